"""A live preview server: serve one page on 127.0.0.1, rebuild it when its sources change.

Standard library only. A watcher thread polls the modification times of the watched
files and folders; a change rebuilds the page in memory and bumps a version number. The
page polls ``/version`` and reloads itself (keeping its scroll position) when the number
changes. A build that fails serves an error page instead, which recovers the same way.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .diagnostics import ContractgenError, UserError, debug_enabled, internal_error_message
from .writers.html import error_page

RELOAD_SCRIPT = """(function () {
  var version = "%(version)s", key = "contractgen-scroll:" + location.pathname;
  window.addEventListener("load", function () {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, Number(saved)); }
  });
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (v.trim() !== version) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      } else {
        setTimeout(poll, %(interval)d);
      }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, %(interval)d);
})();"""

SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules", ".pytest_cache"}

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: list[Path]) -> Snapshot:
    """(mtime, size) of every file under the given files and folders; a missing one is absent."""
    found: Snapshot = {}
    for path in paths:
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                for name in names:
                    _stat_into(found, os.path.join(folder, name))
        else:
            _stat_into(found, str(path))
    return found


def _stat_into(found: Snapshot, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    found[path] = (st.st_mtime_ns, st.st_size)


class PreviewServer:
    """``build(script) -> page`` makes the page, with the reload script embedded;
    ``watch()`` names the files and folders to poll (asked again after every build)."""

    def __init__(self, build: Callable[[str], bytes], watch: Callable[[], list[Path]], *,
                 host: str = "127.0.0.1", port: int = 0, interval: float = 0.5):
        self.build, self.watch, self.interval = build, watch, interval
        self.version = 0
        self.page = b""
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.httpd = _bind(host, port, self)
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> None:
        """Build the page for the next version; a failure becomes the error page."""
        version = self.version + 1
        script = RELOAD_SCRIPT % {"version": version, "interval": int(self.interval * 1000)}
        try:
            page = self.build(script)
        except ContractgenError as exc:
            print(f"build failed:\n{exc.message}", file=sys.stderr, flush=True)
            page = error_page("The contract does not build", exc.message, script)
        except Exception as exc:  # a bug in contractgen: keep serving; the traceback only under --debug
            if debug_enabled():
                print(traceback.format_exc(), file=sys.stderr, flush=True)
            message = internal_error_message(exc)
            print(f"build failed: {message}", file=sys.stderr, flush=True)
            page = error_page("contractgen failed (this is a bug)", message, script)
        with self.lock:
            self.page, self.version = page, version

    def start(self) -> None:
        # Read the files' state before the first build, so an edit made during it is not missed.
        paths = self.watch()
        seen = snapshot(paths)
        self.rebuild()
        self.threads = [threading.Thread(target=self.httpd.serve_forever, name="preview-http", daemon=True),
                        threading.Thread(target=self._watch_loop, args=(paths, seen), name="preview-watch",
                                         daemon=True)]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.threads:  # shutdown() waits for serve_forever(), which only start() runs
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self.threads:
            thread.join(timeout=5)

    def _watch_loop(self, paths: list[Path], seen: Snapshot) -> None:
        while not self.stopping.wait(self.interval):
            now = snapshot(paths)
            if now != seen:
                self.rebuild()
                # Compare with the state read before the build: an edit during it rebuilds again.
                new_paths = self.watch()
                seen = now if new_paths == paths else snapshot(new_paths)
                paths = new_paths

    def current(self) -> tuple[bytes, int]:
        with self.lock:
            return self.page, self.version


def _bind(host: str, port: int, server: PreviewServer) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"preview": server})
    try:
        httpd = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} is in use (pick another with --port, or --port 0 for any free one)") from exc
        raise UserError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    httpd.daemon_threads = True
    return httpd


class _Handler(BaseHTTPRequestHandler):
    preview: PreviewServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        page, version = self.preview.current()
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", page)
        elif path == "/version":
            self._send(200, "text/plain; charset=utf-8", str(version).encode())
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: one line per poll is noise
        return


def serve_until_interrupted(server: PreviewServer) -> None:
    """Serve until Ctrl-C, then stop the threads and close the socket."""
    try:
        server.start()
        print(f"Serving the preview at {server.url} (Ctrl-C to stop)", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
    finally:
        server.stop()
