"""Per-browser-session private folders under one work folder, removed when idle.

A session is named by a random id (the ``cg_session`` cookie); its folder is
``root/<id>``, created on first use with mode 0700. A session idle for longer than
``idle_seconds`` is forgotten and its folder removed. The root is a fresh
``tempfile.mkdtemp`` unless the configuration names one; a root we made is removed at
shutdown, a given one keeps only its own folder (its sessions are removed).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path
from .. import rx

IDLE_SECONDS = 2 * 3600
SWEEP_EVERY = 60.0
_ID = rx.compile(r"[A-Za-z0-9_-]{32,64}")


def new_id() -> str:
    return secrets.token_urlsafe(32)


def valid_id(value: str | None) -> bool:
    """An id we could have made: nothing else ever names a folder."""
    return bool(value) and _ID.fullmatch(value) is not None


class SessionStore:
    def __init__(self, work_dir: Path | None = None, idle_seconds: float = IDLE_SECONDS,
                 clock=time.monotonic):
        self.owned = work_dir is None
        self.root = Path(tempfile.mkdtemp(prefix="contractgen-web-")) if work_dir is None else Path(work_dir)
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()
        self.last_sweep = clock()

    def touch(self, session_id: str) -> None:
        """Mark the session as used now; sweep idle sessions now and then."""
        now = self.clock()
        with self.lock:
            self.seen[session_id] = now
            due = now - self.last_sweep >= SWEEP_EVERY
            if due:
                self.last_sweep = now
        if due:
            self.sweep()

    def folder(self, session_id: str) -> Path:
        """The session's folder (made when missing); a malformed id is refused."""
        if not valid_id(session_id):
            raise ValueError("not a session id")
        path = self.root / session_id
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self.lock:
            self.seen.setdefault(session_id, self.clock())
        return path

    def sweep(self) -> list[str]:
        """Forget and remove every session idle for longer than ``idle_seconds``."""
        limit = self.clock() - self.idle_seconds
        with self.lock:
            expired = [sid for sid, seen in self.seen.items() if seen < limit]
            for sid in expired:
                del self.seen[sid]
        for sid in expired:
            shutil.rmtree(self.root / sid, ignore_errors=True)
        return expired

    def close(self) -> None:
        """At shutdown: remove every session folder (and the root when we made it)."""
        with self.lock:
            ids, self.seen = list(self.seen), {}
        if self.owned:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        for sid in ids:
            shutil.rmtree(self.root / sid, ignore_errors=True)
