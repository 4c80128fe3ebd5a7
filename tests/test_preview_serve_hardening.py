"""`preview --serve` holds against what a page on the same machine can send: a foreign
Host header (DNS rebinding), idle connections, and a clause whose render never ends."""

from __future__ import annotations

import http.client
import socket
import time
from pathlib import Path

import pytest

from contractgen.serve import MAX_CONNECTIONS, PreviewServer

from preview_support import wait_for


def _get(server: PreviewServer, path: str = "/", host: str | None = None) -> tuple[int, bytes]:
    address, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(address, port, timeout=5)
    conn.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


@pytest.fixture
def server(tmp_path: Path):
    watched = tmp_path / "clause.md"
    watched.write_text("v1", encoding="utf-8")

    def build(script: str) -> bytes:
        text = watched.read_text(encoding="utf-8")
        if text == "loop":
            while True:  # a render that never ends
                pass
        return f"<html><body>{text}<script>{script}</script></body></html>".encode()

    srv = PreviewServer(build, lambda: [watched], port=0, interval=0.05, build_seconds=1.0)
    srv.watched = watched
    srv.start()
    yield srv
    srv.stop()


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "192.168.1.5:{port}",
                                  "localhost.attacker.example:{port}", ""])
def test_a_foreign_host_header_is_refused(server, host: str) -> None:
    port = server.httpd.server_address[1]
    status, body = _get(server, "/", host.format(port=port))
    assert status == 403 and b"v1" not in body
    assert _get(server, "/version", host.format(port=port))[0] == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "localhost"])
def test_the_bound_address_and_localhost_are_served(server, host: str) -> None:
    port = server.httpd.server_address[1]
    status, body = _get(server, "/", host.format(port=port))
    assert status == 200 and b"v1" in body


def test_a_render_that_never_ends_is_stopped_and_reload_keeps_working(server) -> None:
    server.watched.write_text("loop", encoding="utf-8")
    assert wait_for(lambda: b"took longer than 1 s" in _get(server)[1], timeout=15)
    server.watched.write_text("v3", encoding="utf-8")
    assert wait_for(lambda: b"v3" in _get(server)[1], timeout=15)


def test_idle_connections_cannot_take_every_thread(server) -> None:
    address, port = server.httpd.server_address[:2]
    idle = [socket.create_connection((address, port), timeout=5) for _ in range(MAX_CONNECTIONS + 8)]
    try:
        time.sleep(0.3)
        # the connections past the cap were answered 503 and closed, without a thread each
        refused = 0
        for sock in idle[MAX_CONNECTIONS:]:
            sock.settimeout(2)
            try:
                refused += sock.recv(64).startswith(b"HTTP/1.1 503")
            except OSError:
                pass
        assert refused == 8
    finally:
        for sock in idle:
            sock.close()
    assert wait_for(lambda: _get(server)[0] == 200, timeout=5)  # served again once they are gone
