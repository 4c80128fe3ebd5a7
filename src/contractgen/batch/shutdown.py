"""How a batch stops: signals in the parent, a lifeline to every worker, no half writes.

- **Parent.** :func:`interruptible` turns SIGTERM and SIGINT into :class:`Interrupted`,
  raised in the main thread — but never inside a :func:`critical` section (a manifest
  line, a row's files being written): a signal that arrives there is held until the
  section ends, so the manifest only ever holds whole lines and the folder whole files.
  Exit status: 130 after SIGINT, 143 after SIGTERM (128 + the signal number, as shells
  report it).
- **Workers.** The parent keeps the write end of a pipe, the :class:`Lifeline`; each
  worker process holds only the read end, and a thread in it waits for end of file. The
  kernel closes the write end however the parent ends — an exception, SIGTERM, SIGKILL, a
  crash — so every worker learns of it at once, without polling a process id that may
  be reused, on every platform multiprocessing runs on; a parent that ends the run itself
  writes one byte per worker first, so that end of file alone means it died (and left its
  temporary folder and lock file for the workers to remove). The worker then waits for its
  critical section (a row's files being staged and renamed) and exits. Workers ignore
  SIGINT (a Ctrl-C on a terminal reaches the whole process group: the parent decides)
  and treat SIGTERM as the end of their lifeline. A worker forked from the parent closes
  its copies of the lifeline's write end and of the folder lock first
  (:func:`~contractgen.fsutil.forget_parent_handles`). With no worker left, a forkserver
  and its resource tracker (when workers start from one) end too: they hold nothing but
  the workers' pipes.
"""

from __future__ import annotations

import contextlib
import os
import time
import shutil
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..fsutil import LOCK_NAME, forget_parent_handles, parent_only

SIGNAL_NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}
WORKER_EXIT_STATUS = 143  # what a worker that stops because its parent went returns


class Interrupted(BaseException):
    """The batch was asked to stop by a signal; not an Exception, so no row swallows it."""

    def __init__(self, signum: int):
        super().__init__(SIGNAL_NAMES.get(signum, f"signal {signum}"))
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum

    def message(self, recorded: int) -> str:
        return (f"interrupted by {self}: {recorded} row(s) recorded in the partial manifest; "
                "run the same command with --resume to build the rest")


class _State:
    """Per process: how deep in critical sections the main thread is, what is held."""

    def __init__(self):
        self.lock = threading.RLock()  # a worker's lifeline thread waits on it
        self.depth = 0
        self.pending: int | None = None  # a signal that arrived inside a critical section
        self.stopping = False  # Interrupted was raised once: later signals are only noted
        self.on_signal = None  # what a signal does outside a critical section


_STATE = _State()


@contextlib.contextmanager
def critical() -> Iterator[None]:
    """A section that a stop request waits for: it runs to its end, then the stop happens."""
    with _STATE.lock:
        _STATE.depth += 1
        try:
            yield
        finally:
            _STATE.depth -= 1
    if _STATE.depth == 0 and _STATE.pending is not None and _STATE.on_signal is not None:
        signum, _STATE.pending = _STATE.pending, None
        _STATE.on_signal(signum)


def _handle(signum, _frame) -> None:
    if _STATE.depth:
        _STATE.pending = signum
    else:
        _STATE.on_signal(signum)


def _raise_interrupted(signum: int) -> None:
    if _STATE.stopping:  # a second Ctrl-C while cleaning up: let the cleanup finish
        return
    _STATE.stopping = True
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGINT raise :class:`Interrupted` in the main thread while this runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals can only be caught on the main thread: leave them as they are
        return
    previous = {s: signal.getsignal(s) for s in SIGNAL_NAMES}
    _STATE.on_signal, _STATE.stopping, _STATE.pending = _raise_interrupted, False, None
    for signum in SIGNAL_NAMES:
        signal.signal(signum, _handle)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _STATE.on_signal = None


#: What the parent writes into the lifeline, one byte per worker, when it asks them to go:
#: a worker that reads end of file without one knows that the parent died.
ASKED = b"\x01"


class Lifeline:
    """The parent's end of the pipe whose closing tells every worker to stop."""

    def __init__(self, context, out_dir: str | None = None, workers: int = 1):
        from multiprocessing.util import get_temp_dir

        reader, self._writer = context.Pipe(duplex=False)
        self._workers = max(1, workers)
        # multiprocessing's own folder in the system temp dir (the forkserver's socket is
        # in it): the parent's exit removes it, but a parent killed outright cannot.
        self.worker_end = LifelineEnd(reader, get_temp_dir(), out_dir)
        parent_only(self, self._writer.close)  # a forked worker must not hold it open

    def cut(self) -> None:
        """Tell the workers to stop now (the parent's death does the same, but for the
        byte each worker reads here: it tells them the parent is alive and tidies up)."""
        parent_only(self, None)
        if self._writer.closed:
            return
        try:  # a byte each (one read takes one byte, whichever worker reads it): never blocks
            os.write(self._writer.fileno(), ASKED * self._workers)
        except OSError:  # no worker left to read it
            pass
        self._writer.close()


@dataclass(frozen=True)
class LifelineEnd:
    """What a worker gets: the read end, the parent's temp folder and the output folder,
    whose lock file the parent held."""

    reader: object
    parent_temp_dir: str
    out_dir: str | None = None


#: Temporary files this worker has staged and not yet named (added and removed inside
#: :func:`critical`): a worker that stops removes them on its way out.
STAGED: set[str] = set()


def _exit_worker(_signum: int | None = None) -> None:
    with _STATE.lock:  # a row's files are never left half staged
        for tmp in STAGED:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        os._exit(WORKER_EXIT_STATUS)


def watch_lifeline(end: LifelineEnd) -> None:
    """In a worker: stop when the parent closes its end or goes, or on SIGTERM. A forked
    worker first drops what it inherited of the parent's run: the lifeline's other end,
    the folder lock, the parent's signal state."""
    forget_parent_handles()
    _STATE.__init__()
    _STATE.on_signal = _exit_worker
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _handle)

    def wait_for_end() -> None:
        try:  # one byte: the parent asks this worker to go; end of file: the parent is gone
            asked = os.read(end.reader.fileno(), 1) == ASKED
        except OSError:
            asked = False
        if not asked:  # the parent died: nobody else will tidy up after it
            shutil.rmtree(end.parent_temp_dir, ignore_errors=True)
            if end.out_dir:
                remove_stale_lock(Path(end.out_dir))
        _exit_worker()

    threading.Thread(target=wait_for_end, name="contractgen-lifeline", daemon=True).start()


def remove_stale_lock(folder: Path) -> None:
    """Remove a dead run's lock file the way its holder would: locked, then unlinked. A run
    that has taken the lock since holds it, and then the file is left alone."""
    try:
        import fcntl
    except ImportError:
        return
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return
    try:
        if _lock_soon(fcntl, fd) and os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino:
            path.unlink()
    except OSError:  # already removed by another worker
        pass
    finally:
        os.close(fd)


def _lock_soon(fcntl, fd: int, tries: int = 20, pause: float = 0.05) -> bool:
    """Take the lock within about a second: the kernel releases a killed parent's lock only
    once its last descriptor is closed, which may be a moment after the worker noticed the
    death. False when it stays locked (a new run holds it)."""
    for attempt in range(tries):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt + 1 < tries:
                time.sleep(pause)
    return False
