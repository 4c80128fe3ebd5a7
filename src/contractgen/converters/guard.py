"""The guard of one LibreOffice server: ``python -m contractgen.converters.guard FOLDER -- COMMAND…``.

It starts COMMAND (``soffice …``) in a process group of its own and waits for its standard
input to end. The process that started the guard holds the only write end of that pipe,
so the end comes however that process ends — a normal exit, ``os._exit`` after a batch's
stop request, SIGKILL, a crash. The guard then kills the whole LibreOffice process group
(the ``oosplash`` launcher and the ``soffice.bin`` it forks, which no parent-death signal
reaches) and removes FOLDER, the server's profile and queue. It first asks the macro to
stop (by removing ``queue/ready``) and waits a moment, so that LibreOffice's own launcher
collects its exit, then kills what is left. It does the same when
LibreOffice exits by itself, and when it gets SIGTERM; it ignores SIGINT, like batch
workers: a Ctrl-C on a terminal is the batch's to handle.

Only the standard library: the guard starts in a few tens of milliseconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading

GRACE = 1.5  # seconds LibreOffice gets to stop by itself before it is killed


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("usage: python -m contractgen.converters.guard FOLDER -- COMMAND...", file=sys.stderr)
        return 2
    folder, command = argv[1], argv[3:]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with open(os.path.join(folder, "soffice.log"), "wb") as log:
        office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                  start_new_session=True)
    threading.Thread(target=_wait_for_eof, args=(done,), daemon=True).start()
    threading.Thread(target=lambda: (office.wait(), done.set()), daemon=True).start()
    while not done.wait(0.5):  # a timeout, so SIGTERM's handler runs promptly
        pass
    _stop(office, os.path.join(folder, "queue", "ready"))
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def _wait_for_eof(done: threading.Event) -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    done.set()


def _stop(office: subprocess.Popen, ready: str) -> None:
    """Ask the macro to stop, then SIGKILL to LibreOffice's group, whether or not the
    launcher is still there: the profile is thrown away, so nothing needs saving."""
    try:
        os.unlink(ready)
    except OSError:
        pass
    try:
        office.wait(GRACE)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(office.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    office.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
