"""The app's TestClient, speaking to it as a browser on this machine does: the Host header
is 127.0.0.1 (the app refuses any other name on a loopback bind, TestClient's default
``testserver`` included)."""

from __future__ import annotations

from starlette.testclient import TestClient

LOOPBACK = "http://127.0.0.1"


def local_client(app, **kwargs) -> TestClient:
    return TestClient(app, base_url=LOOPBACK, **kwargs)
