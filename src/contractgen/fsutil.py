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
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _path in staged:
            Path(tmp).unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> str:
    make_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:  # a folder that is a file, read-only, or full: the user's to fix
        raise UserError(f"{path.parent}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _MODE)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


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
