"""``batch --dry-run``: every row validated and built in memory, the way the run builds it.

A row the dry run calls valid is one the run builds: its data passes the schema, its
contract builds with the same template, the same check rules decide whether it fails (an
error finding fails it, a warning does not, as in :func:`.worker.build_row`) and every
requested format renders. Nothing is written: the rendered bytes are dropped.

Rows are built in this process with the template loaded once, or — with more than one
job and enough rows to pay for starting workers — in a process pool whose workers load
the template once each. Results come back in row order, a bounded number of chunks at a
time, so memory stays constant for any number of rows.
"""

from __future__ import annotations

import traceback
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..diagnostics import Finding, InputErrors, UserError
from . import shutdown
from .worker import BatchJob, LoadedJob, finding_text, load_job

# Below this many rows a pool costs more to start than it saves.
MIN_ROWS_FOR_POOL = 64
CHUNK = 16


@dataclass(slots=True)
class DryRow:
    """One row to try: its spreadsheet number, output name and cells as nested data."""

    number: int
    key: str
    data: dict


@dataclass(slots=True)
class DryResult:
    number: int
    key: str
    problems: list[str] = field(default_factory=list)
    detail: str = ""  # the traceback of an internal error (a bug in contractgen)


def try_row(loaded: LoadedJob, row: DryRow) -> DryResult:
    """Validate, build and render one row in memory; every reason it would fail, one a line."""
    from ..checks.selection import CheckPolicy
    from ..pipeline import build_document
    from ..spec import validate_data

    result = DryResult(row.number, row.key)
    source = f"{loaded.job.source}:{row.number}"
    try:
        data = validate_data(loaded.template.spec, row.data, source)  # every bad cell at once
        doc = build_document(loaded.template, data, policy=CheckPolicy(codes=loaded.job.check_codes))
        for writer in loaded.writers:
            writer.render(doc)
    except InputErrors as exc:
        result.problems = [finding_text(f, source) for f in exc.findings]
    except UserError as exc:
        result.problems = [exc.message]
    except Exception as exc:  # a bug in contractgen: the run would report it the same way
        result.problems = [f"internal error: {type(exc).__name__}: {exc}"]
        result.detail = traceback.format_exc()
    return result


def try_rows(loaded: LoadedJob, rows: Iterable[DryRow], jobs: int, total: int) -> Iterator[DryResult]:
    """Every row's result, in row order: inline, or in a pool of ``jobs`` processes."""
    if jobs <= 1 or total < MIN_ROWS_FOR_POOL:
        for row in rows:
            yield try_row(loaded, row)
        return
    yield from _pooled(loaded, rows, jobs)


# Process-pool state: the job this worker process loaded in its initializer.
_LOADED: LoadedJob | None = None


def _init(job: BatchJob, lifeline, template=None) -> None:
    """Pool initializer: leave when the parent goes (see :mod:`.shutdown`), load the job
    (``template``: the parent's, inherited by a forked worker)."""
    global _LOADED
    shutdown.watch_lifeline(lifeline)
    _LOADED = load_job(job, template)


def _try_chunk(rows: list[DryRow]) -> list[DryResult]:
    return [try_row(_LOADED, row) for row in rows]


def _pooled(loaded: LoadedJob, rows: Iterable[DryRow], jobs: int) -> Iterator[DryResult]:
    from .executors import forks, mp_context

    context = mp_context()
    lifeline = shutdown.Lifeline(context, workers=jobs)  # no output folder: a dry run holds no lock
    template = loaded.template if forks(context) else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init,
                               initargs=(loaded.job, lifeline.worker_end, template))
    pending: deque = deque()
    try:
        for chunk in _chunks(rows, CHUNK):
            pending.append(pool.submit(_try_chunk, chunk))
            while len(pending) >= jobs * 4:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BaseException:  # a signal, an error, the caller stopping early: workers go at once
        lifeline.cut()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    lifeline.cut()


def _chunks(rows: Iterable[DryRow], size: int) -> Iterator[list[DryRow]]:
    chunk: list[DryRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
