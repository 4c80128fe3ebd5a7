"""Atomic file output: write to a temporary file in the same folder, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from .diagnostics import UserError

TEMP_PREFIX = ".contractgen-"  # temporary names start so; only these are ever cleaned up
TEMP_SUFFIX = ".tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what open() would give a new file


#: What a forked worker must not keep of its parent, each with how to close it: the
#: folder lock (a killed parent's lock must go with it) and the parent's end of the
#: workers' lifeline (its closing is how they learn that the parent went).
_PARENT_ONLY: dict[object, Callable[[], None]] = {}


def parent_only(key: object, close: Callable[[], None] | None) -> None:
    """Register (or, with None, forget) a handle that a forked child closes at its start."""
    if close is None:
        _PARENT_ONLY.pop(key, None)
    else:
        _PARENT_ONLY[key] = close


def forget_parent_handles() -> None:
    """In a forked child: close its copies of the parent's handles (see :func:`parent_only`)."""
    for close in list(_PARENT_ONLY.values()):
        with contextlib.suppress(OSError):
            close()
    _PARENT_ONLY.clear()


def make_dir(folder: Path) -> None:
    """Create an output folder; a path that cannot be one is the user's to fix (exit 2)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{folder}: cannot write here ({exc.strerror or exc})") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The file gets the mode a plainly created file would get (``mkstemp`` alone makes it
    private), and its data is on disk before the rename.
    """
    write_all_atomic([(path, data)])


def write_all_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write several files so that either all of them are replaced or none is: every file
    is staged as a temporary file (data on disk) before the first rename. An OSError (disk
    full) propagates, with every temporary file removed."""
    staged: list[Staged] = []
    try:
        for path, data in files:
            staged.append(stage(path, data))
        sync_staged(staged)
        commit_staged(staged)
    finally:
        discard_staged(staged)


class Staged:
    """A file written under a temporary name in its folder, still open: :func:`sync_staged`
    puts its data on disk, :func:`commit_staged` gives it its name, :func:`discard_staged`
    closes it and removes what is left of it."""

    __slots__ = ("fd", "tmp", "path", "data")

    def __init__(self, fd: int, tmp: str, path: Path, data: bytes):
        self.fd, self.tmp, self.path, self.data = fd, tmp, path, data


def stage(path: Path, data: bytes) -> Staged:
    """Write ``data`` to a new temporary file beside ``path`` (not yet synced): the mode a
    plainly created file would get (``mkstemp`` alone makes it private)."""
    make_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:  # a folder that is a file, read-only, or full: the user's to fix
        raise UserError(f"{path.parent}: cannot write here ({exc.strerror or exc})") from None
    try:
        os.fchmod(fd, _MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return Staged(fd, tmp, path, data)


def sync_staged(staged: list[Staged]) -> None:
    """Put the staged files' data on disk (what the rename must wait for). A batch worker
    calls this on a thread of its own: the one call there that waits for the disk."""
    for item in staged:
        os.fsync(item.fd)


def commit_staged(staged: list[Staged]) -> None:
    """Rename synced files into place, in order; each is closed and forgotten once named."""
    for item in staged:
        os.close(item.fd)
        item.fd = -1
        os.replace(item.tmp, item.path)
        item.tmp = ""


def discard_staged(staged: list[Staged]) -> None:
    """Close what is still open and remove what was not renamed (after an error)."""
    for item in staged:
        if item.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(item.fd)
            item.fd = -1
        if item.tmp:
            Path(item.tmp).unlink(missing_ok=True)
            item.tmp = ""


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


def temp_files(folder: Path):
    """Temporary files write_atomic left behind in ``folder`` (an interrupted run)."""
    return (p for p in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}") if p.is_file())


LOCK_NAME = ".contractgen.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder for the length of a run: a second batch
    into the same folder is refused at once instead of racing the first (the lock goes
    with the process, so a killed run leaves nothing to clean up by hand)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; runs are not serialised
        yield
        return
    make_dir(folder)
    path = folder / LOCK_NAME
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            raise UserError(f"{folder}: cannot write here ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise UserError(f"{folder} is in use by another contractgen run; wait for it to finish "
                            "or choose another --out") from None
        try:  # the holder before us may have removed the file between our open and our lock
            same = os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    parent_only(("lock", fd), lambda: os.close(fd))
    try:
        yield
    finally:
        parent_only(("lock", fd), None)
        path.unlink(missing_ok=True)  # while still holding the lock: the folder is left as it was
        os.close(fd)
