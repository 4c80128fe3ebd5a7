"""The batch page's library side: count and dry-run an uploaded data file, run the batch in
a background thread (one job per browser session), report its progress, zip its output.

Everything here goes through the API ``contractgen batch`` uses (:mod:`contractgen.batch`):
the dry run's problems are the ones ``batch --dry-run`` prints, the run is
:func:`~contractgen.batch.run.run_batch`, and progress is read from the manifest the run
streams line by line (``.manifest.csv.partial``); the Stop button sets the run's
``BatchOptions.cancel``, and the run stops as a signal would stop it.
"""

from __future__ import annotations

import shutil
import sys
import threading
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..batch import manifest as mf
from ..batch.dryrun import MIN_ROWS_FOR_POOL
from ..batch.rows import RowSource, header_problems
from ..batch.run import STOPPED as BATCH_STOPPED
from ..batch.run import BatchOptions, dry_run_rows, fingerprint, run_batch, scan_rows
from ..batch.worker import BatchJob, load_job
from ..checks.selection import CheckPolicy, Selection
from ..diagnostics import ContractgenError, InputErrors, UserError
from ..naming import check_pattern
from ..pipeline import load_template

DATA_SUFFIXES = (".csv", ".xlsx")
FORMATS = ("docx",)
MANIFEST = "manifest.csv"
# A fixed time for every zip member: the same documents give the same zip bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

RUNNING, DONE, FAILED, STOPPED = "running", "done", "failed", "stopped"
DRY_RUN, RUN = "dry-run", "run"


class TooManyRows(UserError):
    """The data file has more rows than the app's ``max_rows``."""


ENCODINGS = ("utf-8", "gb18030")  # what the upload form offers besides automatic detection


def count_rows(template_dir: Path, data_path: Path, limit: int, encoding: str | None = None) -> int:
    """The data rows below the header, checked against the template's columns; raises
    :class:`TooManyRows` as soon as there are more than ``limit`` (the rest is not read).
    ``encoding``: a CSV file's encoding, None to detect it."""
    spec = load_template(template_dir).spec
    with RowSource(data_path, encoding, None, spec.data) as source:
        findings = header_problems(source.header, spec.data, data_path)
        if findings:
            raise InputErrors(findings)
        rows = 0
        for _row in source.rows():
            rows += 1
            if rows > limit:
                raise TooManyRows(f"the file has more than {limit} rows; this server takes at most {limit}")
    if rows == 0:
        raise UserError(f"{data_path}: no rows below the header: nothing to build")
    return rows


@dataclass
class DryRun:
    rows: int
    problems: list[tuple[int, str, str]]  # (row, key, message), as batch --dry-run prints them
    collisions: int = 0  # rows whose output name another row has: the run refuses to start

    @property
    def bad_rows(self) -> int:
        return len({row for row, _, _ in self.problems})


def dry_run(template_dir: Path, data_path: Path, encoding: str | None = None) -> DryRun:
    """Every row validated and built in memory as ``batch --dry-run`` does; nothing written."""
    template = load_template(template_dir)
    opts = BatchOptions(formats=FORMATS, dry_run=True, quiet=True, encoding=encoding, echo=_silent)
    policy = CheckPolicy.resolve(template_dir, Selection())
    pattern = template.spec.output_name
    check_pattern(pattern, template.spec.data)
    job = BatchJob(str(template_dir.resolve()), FORMATS, None, str(data_path),
                   fingerprint(template, pattern, FORMATS, policy), policy.codes)
    loaded = load_job(job, template)
    scan = scan_rows(template.spec, data_path, pattern, opts, None, [w.suffix for w in loaded.writers])
    dry_run_rows(loaded, data_path, pattern, opts, scan)
    problems = sorted(scan.problems + [(f.line or 0, "", f.message) for f in scan.collisions])
    return DryRun(scan.rows, problems, len(scan.collisions))


def _silent(_message: str, err: bool = False) -> None:
    """Where the batch's own notes go: the page shows the manifest instead."""


@dataclass
class Job:
    """One background job of a session — the dry run of an upload, or the batch run —
    where it writes, how far it is, how it ended."""

    kind: str  # DRY_RUN or RUN
    out_dir: Path
    zip_path: Path
    total: int
    status: str = RUNNING
    error: str = ""
    failures: list[mf.Entry] = field(default_factory=list)
    built: int = 0
    shown: dict[str, str] = field(default_factory=dict)  # our file paths -> the names users know
    name: str = ""  # the uploaded file's name, as the user knows it
    superseded: bool = False  # a newer upload replaced this dry run: its result is dropped
    cancel: threading.Event = field(default_factory=threading.Event)  # the Stop button (a run only)
    recorded: int = 0  # rows a stopped run recorded before it stopped

    def done(self) -> int | None:
        """Rows recorded so far (the run's manifest is written row by row); None while a
        dry run runs (it builds in memory and says nothing until it has finished)."""
        if self.status == STOPPED:
            return self.recorded
        if self.status != RUNNING:
            return self.total
        if self.kind == DRY_RUN:
            return None
        for path in (mf.partial_path(self.out_dir, "csv"), mf.manifest_path(self.out_dir, "csv")):
            if path.is_file():
                return min(self.total, sum(1 for _ in mf.read_manifest(path)))
        return 0

    def as_dict(self) -> dict:
        return {"kind": self.kind, "status": self.status, "done": self.done(), "total": self.total,
                "built": self.built, "failed": len(self.failures), "error": replace_paths(self.error, self.shown),
                "failures": [{"row": e.row, "key": e.key, "message": replace_paths(e.message, self.shown)}
                             for e in self.failures]}


class JobBusy(UserError):
    """The session already has a job running."""


class Jobs:
    """The background jobs of one app, one at a time per session; each runs in a thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def get(self, session: Path) -> Job | None:
        with self._lock:
            return self._jobs.get(str(session))

    def running(self, session: Path, kind: str | None = None) -> bool:
        """Whether the session has a job running (of ``kind``, when given)."""
        job = self.get(session)
        return job is not None and job.status == RUNNING and kind in (None, job.kind)

    def supersede(self, session: Path) -> bool:
        """Make room for a new upload: a running dry run is superseded (its result will be
        dropped), a finished job forgotten. False while a batch run is running."""
        with self._lock:
            job = self._jobs.get(str(session))
            if job is None:
                return True
            if job.status == RUNNING and job.kind == RUN:
                return False
            job.superseded = True
            del self._jobs[str(session)]
            return True

    def current(self, job: Job, then: Callable[[], None]) -> None:
        """Call ``then`` unless ``job`` has been superseded, holding the lock, so a newer
        upload cannot slip in between the test and the call."""
        with self._lock:
            if not job.superseded:
                then()

    def start_dry_run(self, session: Path, template_dir: Path, data_path: Path, work: Path, total: int,
                      finish: Callable[[DryRun], None], shown: dict[str, str], name: str = "",
                      encoding: str | None = None) -> Job:
        """Dry-run every row; ``finish`` gets the result (in the job's thread) unless a newer
        upload superseded the job meanwhile. ``shown``: the names to give our file paths in
        messages; ``name``: the uploaded file's."""
        def task(job: Job) -> None:
            result = dry_run(template_dir, data_path, encoding)
            self.current(job, lambda: finish(result))

        job = Job(DRY_RUN, work / "out", work / "contracts.zip", total, shown=shown, name=name)
        return self._start(session, job, task)

    def start_run(self, session: Path, template_dir: Path, data_path: Path, work: Path, total: int,
                  shown: dict[str, str], name: str = "", encoding: str | None = None) -> Job:
        """Build every row into ``work/out`` and zip them."""
        job = Job(RUN, work / "out", work / "contracts.zip", total, shown=shown, name=name)
        return self._start(session, job, lambda job: _run(job, template_dir, data_path, encoding))

    def _start(self, session: Path, job: Job, task: Callable[[Job], None]) -> Job:
        """Start ``task`` in a thread; :class:`JobBusy` while the session has a job running,
        except that a new dry run supersedes a running one (the user chose another file)."""
        with self._lock:
            current = self._jobs.get(str(session))
            if current is not None and current.status == RUNNING:
                if not (current.kind == job.kind == DRY_RUN):
                    raise JobBusy("a batch is already running for this session; wait for it to finish")
                current.superseded = True
            shutil.rmtree(job.out_dir, ignore_errors=True)  # a second run of the same upload
            job.zip_path.unlink(missing_ok=True)
            self._jobs[str(session)] = job
        threading.Thread(target=_guarded, args=(job, task), name=f"contractgen-web-{job.kind}", daemon=True).start()
        return job

    def stop(self, session: Path) -> bool:
        """Ask the session's running batch run to stop (its workers go within a second or
        two; the rows it recorded are listed, nothing is zipped). False when none runs."""
        with self._lock:
            job = self._jobs.get(str(session))
            if job is None or job.status != RUNNING or job.kind != RUN:
                return False
            job.cancel.set()
            return True

    def forget(self, session: Path) -> None:
        """Drop a finished job (a new upload replaces it); a running one stays."""
        with self._lock:
            job = self._jobs.get(str(session))
            if job is not None and job.status != RUNNING:
                del self._jobs[str(session)]


def _guarded(job: Job, task: Callable[[Job], None]) -> None:
    """Run the job's task; whatever happens, the job ends done or failed with a message."""
    try:
        task(job)
        if job.status == RUNNING:  # a stopped run says so itself
            job.status = DONE
    except ContractgenError as exc:
        job.error, job.status = exc.message, FAILED
    except Exception:  # a bug of ours: the page says so, the log has the traceback
        if not job.superseded:  # a superseded dry run may trip over the newer upload's files
            traceback.print_exc(file=sys.stderr)
        job.error, job.status = "internal error", FAILED


def _run(job: Job, template_dir: Path, data_path: Path, encoding: str | None = None) -> None:
    # Small batches build inline: a process pool costs more to start than it saves.
    jobs = 1 if job.total < MIN_ROWS_FOR_POOL else None
    status = run_batch(template_dir, data_path, job.out_dir,
                       BatchOptions(formats=FORMATS, quiet=True, jobs=jobs, encoding=encoding, echo=_silent,
                                    cancel=job.cancel))
    if status == BATCH_STOPPED:  # the rows recorded so far are listed; nothing is zipped
        entries = list(mf.read_manifest(mf.partial_path(job.out_dir, "csv")))
        job.failures = [e for e in entries if e.status == mf.FAILED]
        job.built = sum(e.status == mf.OK for e in entries)
        job.recorded, job.status = len(entries), STOPPED
        return
    entries = list(mf.read_manifest(mf.manifest_path(job.out_dir, "csv")))
    job.failures = [e for e in entries if e.status == mf.FAILED]
    job.built = sum(e.status == mf.OK for e in entries)
    write_zip(job.out_dir, entries, job.zip_path)


def replace_paths(message: str, shown: dict[str, str]) -> str:
    """A message with our file paths replaced by what the user knows them as."""
    for path in sorted(shown, key=len, reverse=True):
        message = message.replace(path, shown[path])
    return message


def write_zip(out_dir: Path, entries: list[mf.Entry], zip_path: Path) -> None:
    """The documents of the rows built and the manifest, in name order, with fixed times:
    the same batch gives the same bytes. Written to a temporary name, then renamed."""
    names = sorted({o.path for e in entries if e.status == mf.OK for o in e.outputs} | {MANIFEST})
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (out_dir / name).read_bytes())
    partial.replace(zip_path)
