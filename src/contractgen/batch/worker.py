"""What runs in a batch worker: build one row's contract and write (or return) its files.

A worker loads the template — spec, clause library, compiled fragments — once, in the
process pool's initializer (or once per Dask worker process, shared by its threads), and
then only renders. A row either yields all its output files or none: every format is
rendered to bytes first, files are written atomically (on a thread of the worker, while
the next row is built), and a failure removes whatever the row already wrote.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import InputErrors, UserError
from ..fsutil import Staged, commit_staged, discard_staged, stage, sync_staged, write_all_atomic
from .manifest import FAILED, OK, OutputFile
from .shutdown import STAGED, critical, watch_lifeline


@dataclass(slots=True, frozen=True)
class BatchJob:
    """What every worker needs to know, the same for all rows of a run (and picklable).

    ``out_dir`` None means "return the bytes": the Dask backend ships them back to the
    client, which writes them, so workers need no access to the output folder.
    """

    template_dir: str
    formats: tuple[str, ...]
    out_dir: str | None
    source: str
    fingerprint: str = ""  # of the template and clause files: a changed clause is a new job
    check_codes: tuple[str, ...] | None = None  # the CheckPolicy's rules (None: every rule)


@dataclass(slots=True)
class RowTask:
    row: int
    key: str
    data: dict
    digest: str


@dataclass(slots=True)
class RowResult:
    row: int
    key: str
    status: str
    message: str = ""
    digest: str = ""
    outputs: list[OutputFile] = field(default_factory=list)
    payloads: list[tuple[str, bytes]] = field(default_factory=list)
    detail: str = ""  # traceback of an internal error (a bug in contractgen, not in the row)


@dataclass(slots=True)
class LoadedJob:
    job: BatchJob
    template: object
    writers: list
    structures: object = None  # incremental.StructureCache: the passes run once per clause set
    policy: object = None      # the CheckPolicy of every row


#: Templates this process has loaded from disk (tests read it: once per worker, not per task).
TEMPLATE_LOADS = 0


def load_job(job: BatchJob, template=None) -> LoadedJob:
    global TEMPLATE_LOADS
    from ..pipeline import load_template
    from ..writers import get_writer

    if template is None:
        template = load_template(Path(job.template_dir))
        TEMPLATE_LOADS += 1
    from ..checks.selection import CheckPolicy
    from ..incremental import StructureCache
    from ..passes.fill import read_names

    read_names(template)  # here, before a forked worker starts: once for all of them
    return LoadedJob(job, template, [get_writer(fmt) for fmt in job.formats], StructureCache(),
                     CheckPolicy(codes=job.check_codes))


# Process-pool state: one LoadedJob per worker process, set by the initializer.
_PROCESS_JOB: LoadedJob | None = None


def init_process(job: BatchJob, lifeline=None, template=None) -> None:
    """Pool initializer: watch the parent (``lifeline``, see :mod:`.shutdown`), load the job
    (``template``: the parent's, inherited by a forked worker)."""
    global _PROCESS_JOB
    if lifeline is not None:
        watch_lifeline(lifeline)
    _PROCESS_JOB = load_job(job, template)
    _tune_collector()


#: Objects a worker may allocate between two collections of the youngest generation (Python's
#: default is 700): a row allocates tens of thousands, nearly all freed by reference counting,
#: so the default collects dozens of times per row for little (in one process, 200 rows:
#: 7.6 -> 6.9 ms of CPU per row; a whole batch's CPU, about 2 % less). Cycles are still
#: collected, every 10,000 allocations.
GC_THRESHOLD = (10_000, 50, 100)


def _tune_collector() -> None:
    """In a worker process: what it inherited and loaded (the template, the modules) lives
    as long as it does, so the collector stops scanning it (``gc.freeze``: scanning also
    copies the pages a forked worker shares with its parent), and collects less often."""
    import gc

    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    _tune_allocator()


#: glibc's malloc options (malloc.h): M_TRIM_THRESHOLD, M_MMAP_THRESHOLD.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def _tune_allocator() -> None:
    """In a worker process, on glibc: keep freed memory for the next row. A row's large
    strings (a DOCX part's XML, its zip) are each mapped afresh from the kernel and
    handed back, or the top of the heap trimmed, after every row: 80 page faults a row,
    and the CPU to zero those pages. A worker's peak stays one row's peak (a 200- or
    2,000-row batch: benchmarks/batch.py prints both). Elsewhere: nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)  # trim only above 256 MiB free at the top
        libc.mallopt(_M_MMAP_THRESHOLD, 64 << 20)  # map only blocks of 64 MiB and more
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        pass


def run_chunk(tasks: list[RowTask]) -> list[RowResult]:
    """Process-pool task: build a chunk of rows with the job loaded by the initializer."""
    return build_rows(_PROCESS_JOB, tasks)


def build_rows(loaded: LoadedJob, tasks: list[RowTask]) -> list[RowResult]:
    """:func:`build_row` for each task, in order, each row's files staged as soon as it is
    built and synced to disk on this process's writer thread while the next row is built:
    most of a write is the wait for the disk (fsync), which leaves the CPU free. Only the
    fsync goes to the thread — each call there gives up and takes back the interpreter
    lock, contended by the building thread. Every file of the chunk is on disk and named,
    or its row failed, when this returns, so the manifest records only written rows."""
    if loaded.job.out_dir is None or len(tasks) < 2:
        return [build_row(loaded, task) for task in tasks]
    writer = _row_writer()
    out_dir = Path(loaded.job.out_dir)
    pending = []
    for task in tasks:
        result, payloads = prepare_row(loaded, task)
        staged: list[Staged] = []
        synced = None
        if payloads is not None:
            try:
                with critical():  # staged and noted at once: a stopping worker removes them
                    for suffix, data in payloads:
                        item = stage(out_dir / f"{result.key}.{suffix}", data)
                        staged.append(item)
                        STAGED.add(item.tmp)
                synced = writer.submit(sync_staged, staged)
            except (OSError, UserError) as exc:  # _commit_row removes what was staged
                _write_failed(result, exc)
        pending.append((result, staged, synced))
    return [_commit_row(loaded, result, staged, synced) for result, staged, synced in pending]


def _commit_row(loaded: LoadedJob, result: RowResult, staged: list[Staged], synced) -> RowResult:
    """Name a built row's synced files (all of them, or none on an error) and record them."""
    out_dir = Path(loaded.job.out_dir)
    try:
        if synced is not None:
            synced.result()
            with critical():  # a stop request waits for the renames: no half-staged row is left
                names = [item.tmp for item in staged]
                try:
                    commit_staged(staged)
                finally:
                    _discard(staged)
                    STAGED.difference_update(names)
            result.outputs = [_output_file(item.path, item.data) for item in staged]
            result.status = OK
    except OSError as exc:  # disk full, permissions: the user's to fix, not a bug
        _write_failed(result, exc)
    finally:
        _discard(staged)
    if result.status == FAILED:
        remove_outputs(out_dir, result.key, [w.suffix for w in loaded.writers])
    return result


def _discard(staged: list[Staged]) -> None:
    """discard_staged, and the files are no longer this worker's to remove at its exit."""
    with critical():
        for item in staged:
            STAGED.discard(item.tmp)
        discard_staged(staged)


def _write_failed(result: RowResult, exc: Exception) -> None:
    _fail(result, exc if isinstance(exc, UserError) else UserError(f"cannot write: {exc}"))


_WRITER: tuple[int, object] | None = None  # (pid, executor): a forked child starts its own


def _row_writer():
    global _WRITER
    if _WRITER is None or _WRITER[0] != os.getpid():
        from concurrent.futures import ThreadPoolExecutor

        _WRITER = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="contractgen-writer"))
    return _WRITER[1]


# Dask state: a Dask worker runs tasks on several threads of one process; they share one
# loaded job, loaded by the first task that needs it while the others wait.
_DASK_LOCK = threading.Lock()
_DASK_JOB: tuple[BatchJob, LoadedJob] | None = None


def cached_job(job: BatchJob) -> LoadedJob:
    """The loaded ``job`` of this process, loaded on first use. One job at a time: a
    long-lived cluster given an edited template (a new fingerprint) loads it afresh."""
    global _DASK_JOB
    with _DASK_LOCK:
        if _DASK_JOB is None or _DASK_JOB[0] != job:
            _DASK_JOB = (job, load_job(job))
        return _DASK_JOB[1]


def run_chunk_cached(job: BatchJob, tasks: list[RowTask]) -> list[RowResult]:
    """Dask task: build the chunk with this worker process's loaded job."""
    loaded = cached_job(job)
    return [build_row(loaded, task) for task in tasks]


def build_row(loaded: LoadedJob, task: RowTask) -> RowResult:
    """Validate, build, render and write one row; every failure becomes a failed result."""
    return finish_row(loaded, *prepare_row(loaded, task))


def prepare_row(loaded: LoadedJob, task: RowTask) -> tuple[RowResult, list[tuple[str, bytes]] | None]:
    """Validate, build and render one row: its result (failed, with the reason, when it
    fails) and its files' bytes (None when it failed)."""
    from ..incremental import build_cached
    from ..spec import validate_data

    result = RowResult(task.row, task.key, FAILED, digest=task.digest)
    row_source = f"{loaded.job.source}:{task.row}"
    try:
        data = validate_data(loaded.template.spec, task.data, row_source)
        built = build_cached(loaded.template, data, loaded.structures, loaded.policy)
        if built.errors:  # what pipeline.build_document raises: the row fails with its errors
            raise InputErrors(built.errors)
        doc = built.doc
        return result, [(w.suffix, w.render(doc)) for w in loaded.writers]
    except Exception as exc:
        _fail(result, exc, row_source)
    return result, None


def finish_row(loaded: LoadedJob, result: RowResult, payloads: list[tuple[str, bytes]] | None) -> RowResult:
    """Write a prepared row's files atomically (or keep their bytes for the caller); a
    failed row's files, left from an earlier run, are removed."""
    out_dir = Path(loaded.job.out_dir) if loaded.job.out_dir else None
    if payloads is not None:
        try:
            if out_dir is None:
                result.payloads = payloads
            else:
                try:
                    result.outputs = write_outputs(out_dir, result.key, payloads)
                except OSError as exc:  # disk full, permissions: the user's to fix, not a bug
                    raise UserError(f"cannot write: {exc}") from None
            result.status = OK
        except Exception as exc:
            _fail(result, exc)
    if result.status == FAILED and out_dir is not None:
        remove_outputs(out_dir, result.key, [w.suffix for w in loaded.writers])
    return result


def _fail(result: RowResult, exc: Exception, row_source: str = "") -> None:
    """Record why a row failed: the user's mistake as its message, a bug with its traceback."""
    if isinstance(exc, InputErrors):
        result.message = findings_message(exc.findings, row_source)
    elif isinstance(exc, UserError):
        result.message = exc.message
    else:  # a bug in contractgen: keep the other rows going, report the traceback
        result.message = f"internal error: {type(exc).__name__}: {exc}"
        result.detail = "".join(traceback.format_exception(exc))


def findings_message(findings, row_source: str = "") -> str:
    """Why a row failed, in one line: each finding as :func:`finding_text` writes it."""
    return "; ".join(finding_text(f, row_source) for f in findings)


def finding_text(finding, row_source: str = "") -> str:
    """A finding as a manifest cell or a report line: the file and line of the template it
    is in ("clauses/fees.md:8: …", "cover.docx: table 1 row 2 …"), but not the row's own
    place for what is about the row's cells (data findings carry it: ``rows.csv:8``)."""
    text = f"{finding.message} ({finding.suggestion})" if finding.suggestion else finding.message
    if finding.source is None or finding.source.path == row_source:
        return text
    return f"{finding.source}: {text}"


def write_outputs(out_dir: Path, key: str, payloads: list[tuple[str, bytes]]) -> list[OutputFile]:
    """Write a row's files atomically, all of them or none."""
    files = [(out_dir / f"{key}.{suffix}", data) for suffix, data in payloads]
    with critical():  # a stop request waits for the renames: no half-staged row is left
        write_all_atomic(files)
    return [_output_file(path, data) for path, data in files]


def _output_file(path: Path, data: bytes) -> OutputFile:
    return OutputFile(path.name, hashlib.sha256(data).hexdigest(), len(data))


def remove_outputs(out_dir: Path, key: str, suffixes) -> None:
    """Remove a failed row's files, including stale ones from an earlier run (--force, --resume)."""
    if key:
        for suffix in suffixes:
            (out_dir / f"{key}.{suffix}").unlink(missing_ok=True)
