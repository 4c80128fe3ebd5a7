"""A live preview server: serve one page on 127.0.0.1, rebuild it when its sources change.

Standard library only. A watcher thread polls the modification times of the watched
files and folders; a change rebuilds the page in memory and bumps a version number. The
page polls ``/version`` and reloads itself (keeping its scroll position) when the number
changes. A build that fails serves an error page instead, which recovers the same way.

It holds against what a browser on the same machine can be made to send: a request whose
``Host`` is not the bound address or ``localhost`` is refused (DNS rebinding), every
connection has a timeout and at most :data:`MAX_CONNECTIONS` are served at once, and a
build runs in a child process that is stopped when it overruns :data:`BUILD_SECONDS` (a
clause whose render never ends), so the watcher and live reload keep working.
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
MAX_CONNECTIONS = 32     # served at once; more get 503 at once instead of a thread each
REQUEST_SECONDS = 10     # an idle or slow connection is dropped after this
BUILD_SECONDS = 30.0     # a rebuild that takes longer is stopped and reported
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

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
                 host: str = "127.0.0.1", port: int = 0, interval: float = 0.5,
                 build_seconds: float = BUILD_SECONDS):
        self.build, self.watch, self.interval = build, watch, interval
        self.build_seconds = build_seconds
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
            page = run_with_deadline(self.build, script, self.build_seconds)
        except BuildTimeout:
            message = (f"building the preview took longer than {self.build_seconds:g} s and was stopped "
                       "(a clause that loops without end?); fix it and save again")
            print(f"build failed: {message}", file=sys.stderr, flush=True)
            page = error_page("The contract does not build", message, script)
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

    def allowed_hosts(self) -> set[str]:
        """``Host`` values a browser sends for this server, and nothing a foreign name resolves to."""
        host, port = self.httpd.server_address[:2]
        names = {*LOOPBACK_NAMES, host if ":" not in host else f"[{host}]"}
        return names | {f"{name}:{port}" for name in names}


class BuildTimeout(Exception):
    """A build ran past its deadline and was stopped."""


def run_with_deadline(build: Callable[[str], bytes], script: str, seconds: float) -> bytes:
    """``build(script)`` in a forked child that is killed after ``seconds``. Without fork
    (Windows, macOS' spawn default) the build runs here, without a deadline."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return build(script)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_build_in_child, args=(build, script, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise BuildTimeout()
        kind, value = receiver.recv()
    except EOFError:  # the child died without a word (killed, out of memory)
        kind, value = "bug", RuntimeError(f"the build process ended with status {child.exitcode}")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if kind == "page":
        return value
    raise value


def _build_in_child(build, script: str, sender) -> None:
    try:
        result = ("page", build(script))
    except ContractgenError as exc:
        result = ("user", UserError(exc.message))
    except Exception as exc:  # sent to the parent, which reports it as a bug of ours
        result = ("bug", RuntimeError(f"{type(exc).__name__}: {exc}"))
    sender.send(result)
    sender.close()


def _bind(host: str, port: int, server: PreviewServer) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"preview": server})
    try:
        httpd = _BoundedServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} is in use (pick another with --port, or --port 0 for any free one)") from exc
        raise UserError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    httpd.daemon_threads = True
    return httpd


class _BoundedServer(ThreadingHTTPServer):
    """At most MAX_CONNECTIONS requests at a time; the next one is answered 503 at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            except OSError:
                pass  # the client went away: nothing to tell it
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _Handler(BaseHTTPRequestHandler):
    preview: PreviewServer
    timeout = REQUEST_SECONDS  # applied to the connection's socket by StreamRequestHandler

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.headers.get("Host", "") not in self.preview.allowed_hosts():
            self._send(403, "text/plain; charset=utf-8", b"forbidden host\n")
            return
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
