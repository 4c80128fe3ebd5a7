"""Row executors: where batch rows are built. One interface, three backends.

- :class:`InlineExecutor` builds in the calling process (``--jobs 1``; easy to debug).
- :class:`ProcessExecutor` uses a local process pool whose initializer loads the template
  once per worker process. The workers hold a :class:`~.shutdown.Lifeline`: when the run
  ends with an error or a signal, or the parent dies, they stop within moments.
- :class:`DaskExecutor` sends chunks to a ``distributed`` cluster; each worker process
  loads the template once (from the same path, so the template folder must be visible to
  the workers), shared by its threads, and returns the rendered bytes, which the client
  writes.

An executor only takes chunks of :class:`RowTask` and returns futures of result lists.
:func:`dispatch` keeps a bounded number of chunks in flight and yields results in row
order, so memory stays constant however many rows a batch has, and the manifest is
written in the order of the data file.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

from ..fsutil import temp_files

from .shutdown import Lifeline
from .worker import BatchJob, LoadedJob, RowTask, build_row, init_process, run_chunk, run_chunk_cached

EXECUTORS = ("local", "dask")


class RowExecutor(ABC):
    """Builds chunks of rows somewhere; results come back through futures."""

    #: True when results carry the files' bytes for the caller to write.
    returns_payloads = False

    @property
    @abstractmethod
    def parallelism(self) -> int:
        """How many chunks can be built at once."""

    @abstractmethod
    def submit(self, tasks: list[RowTask]):
        """Start building ``tasks``; return an object with ``done()`` and ``result()``."""

    def close(self) -> None:
        """Release workers; pending chunks are cancelled."""

    def abort(self) -> None:
        """The run is stopping (an error, a signal): abandon the chunks being built too."""
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class InlineExecutor(RowExecutor):
    def __init__(self, loaded: LoadedJob):
        self._loaded = loaded

    @property
    def parallelism(self) -> int:
        return 1

    def submit(self, tasks: list[RowTask]) -> Future:
        future: Future = Future()
        future.set_result([build_row(self._loaded, task) for task in tasks])
        return future


#: What the forkserver imports once, so that no worker imports it again: everything a row
#: needs (the check rules and the writers are most of start-up's imports).
PRELOAD = ["contractgen.batch.worker", "contractgen.pipeline", "contractgen.incremental", "contractgen.checks",
           "contractgen.writers.docx", "contractgen.writers.markdown", "contractgen.writers.html"]


def mp_context():
    """How workers start: ``fork`` while this process runs no other thread — a worker then
    begins with everything the parent has imported and loaded, which halves a short batch's
    time (no second import of contractgen, no second template load; benchmarks/batch.py);
    otherwise ``forkserver`` (fork is unsafe beside threads: a progress bar, Dask), whose
    server imports contractgen once for all workers; ``spawn`` where neither exists."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1 and sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def forks(context) -> bool:
    return context.get_start_method() == "fork"


#: How long an aborting run waits for its workers to leave before killing them.
ABORT_GRACE_SECONDS = 1.0


class ProcessExecutor(RowExecutor):
    def __init__(self, job: BatchJob, jobs: int, loaded: LoadedJob | None = None):
        self._jobs, self._out_dir = jobs, job.out_dir
        context = mp_context()
        self._lifeline = Lifeline(context, job.out_dir, jobs)
        # A forked worker inherits the parent's loaded template instead of loading it again.
        template = loaded.template if loaded is not None and forks(context) else None
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=init_process,
                                         initargs=(job, self._lifeline.worker_end, template))
        if forks(context):  # start every worker now, before the parent starts a thread
            self._pool.submit(int)

    @property
    def parallelism(self) -> int:
        return self._jobs

    def submit(self, tasks: list[RowTask]) -> Future:
        return self._pool.submit(run_chunk, tasks)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._lifeline.cut()

    def abort(self) -> None:
        # Workers finish the file they are writing and exit; the pool's own shutdown would
        # wait for whole chunks instead. A worker that does not go in time is killed.
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._lifeline.cut()
        deadline = time.monotonic() + ABORT_GRACE_SECONDS
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._out_dir is not None:  # what a killed worker was staging
            for leftover in temp_files(Path(self._out_dir)):
                leftover.unlink(missing_ok=True)


class DaskExecutor(RowExecutor):
    """Chunks run on a Dask cluster: ``scheduler`` is its address, or pass a ``client``."""

    returns_payloads = True

    def __init__(self, job: BatchJob, scheduler: str | None = None, client=None):
        try:
            from distributed import Client
        except ImportError:
            from ..diagnostics import UserError

            raise UserError("--executor dask needs the dask extra: pip install 'contractgen[dask]'") from None
        if client is None and not scheduler:
            from ..diagnostics import UserError

            raise UserError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        self._own = client is None
        self._client = client or _connect(Client, scheduler)
        # The client writes the files, so workers only render.
        self._job = BatchJob(job.template_dir, job.formats, None, job.source, job.fingerprint)

    @property
    def parallelism(self) -> int:
        threads = self._client.nthreads()
        return max(1, sum(threads.values()))

    def submit(self, tasks: list[RowTask]):
        return self._client.submit(run_chunk_cached, self._job, tasks, pure=False)

    def close(self) -> None:
        if self._own:
            self._client.close()


def _connect(client_class, address: str):
    try:
        return client_class(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        from ..diagnostics import UserError

        raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def make_executor(kind: str, job: BatchJob, jobs: int, loaded: LoadedJob,
                  scheduler: str | None = None, client=None) -> RowExecutor:
    if kind == "dask":
        return DaskExecutor(job, scheduler, client)
    if jobs <= 1:
        return InlineExecutor(loaded)
    return ProcessExecutor(job, jobs, loaded)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def chunk_size_for(rows: int, parallelism: int) -> int:
    """Chunks big enough to amortise the round trip (about a millisecond), small enough to
    balance the workers: the last chunk of a short batch is what one worker builds while
    the others wait, so a 200-row batch on 2 workers sends chunks of 6 rows (~60 ms), not 12."""
    return max(1, min(16, rows // (parallelism * 16)))


def dispatch(executor: RowExecutor, items: Iterable, chunk_size: int, window: int | None = None) -> Iterator:
    """Build the :class:`RowTask` items on ``executor``; yield every item's result in order.

    Items that are not tasks (manifest entries decided up front: skipped or failed rows)
    pass through in their place. At most ``window`` chunks are in flight.
    """
    return _Dispatcher(executor, chunk_size, window or executor.parallelism * 4).run(items)


class _Dispatcher:
    def __init__(self, executor: RowExecutor, chunk_size: int, window: int):
        self.executor, self.chunk_size, self.window = executor, chunk_size, window
        self.queue: deque = deque()  # results in row order: ready items and _Pending chunks
        self.chunk: list[RowTask] = []
        self.in_flight = 0

    def run(self, items: Iterable) -> Iterator:
        for item in items:
            if isinstance(item, RowTask):
                self.chunk.append(item)
                if len(self.chunk) >= self.chunk_size:
                    self._submit()
            else:
                self._submit()
                self.queue.append(item)
            yield from self._drain(until_empty=False)
        self._submit()
        yield from self._drain(until_empty=True)

    def _full(self) -> bool:
        return self.in_flight >= self.window or len(self.queue) > self.window * self.chunk_size * 2

    def _submit(self) -> None:
        if self.chunk:
            self.queue.append(_Pending(self.executor.submit(self.chunk)))
            self.in_flight += 1
            self.chunk = []

    def _drain(self, until_empty: bool) -> Iterator:
        """Yield finished results from the front; wait while too much is in flight."""
        block = until_empty or self._full()
        while self.queue:
            head = self.queue[0]
            if isinstance(head, _Pending):
                if not (block or head.future.done()):
                    return
                self.queue.popleft()
                self.in_flight -= 1
                yield from head.future.result()
                block = until_empty or self._full()
            else:
                self.queue.popleft()
                yield head


class _Pending:
    __slots__ = ("future",)

    def __init__(self, future):
        self.future = future
