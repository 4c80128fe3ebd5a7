"""`contractgen serve`: the web app (:mod:`contractgen.web`) run by Uvicorn.

The socket is bound here, before Uvicorn starts, so a port in use is a clear error (exit
2) and ``--port 0`` knows its port. A bind to anything but loopback needs an access
token: ``--token`` or a generated one, printed in the URL at start.
"""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path

import click

from ..diagnostics import UserError
from ..web import WebConfig, create_app
from ..web.security import is_loopback, new_token


MAX_CONNECTIONS = 64  # at once; more are answered 503 by Uvicorn


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} is in use (pick another with --port, or --port 0 for any free one)") from exc
        raise UserError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def run_serve(templates_dir: Path, clauses_dir: Path | None, host: str, port: int, token: str | None) -> None:
    import uvicorn

    if not templates_dir.is_dir():
        raise UserError(f"{templates_dir}: not a folder of templates (give one with --templates DIR)")
    if clauses_dir is None and Path("clauses").is_dir():
        clauses_dir = Path("clauses")
    if clauses_dir is not None and not clauses_dir.is_dir():
        raise UserError(f"{clauses_dir}: not a folder (give the clause library with --clauses DIR)")
    if token is None and not is_loopback(host):
        token = new_token()
    sock = bind(host, port)
    port = sock.getsockname()[1]
    config = WebConfig(templates_dir=templates_dir.resolve(),
                       clauses_dir=clauses_dir.resolve() if clauses_dir else None,
                       host=host, port=port, token=token)
    app = create_app(config)
    click.echo(f"Serving contractgen at {url_of(host, port, token)} (Ctrl-C to stop)")
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False,
                                           proxy_headers=False,  # no proxy in front: the peer is the client
                                           limit_concurrency=MAX_CONNECTIONS, timeout_graceful_shutdown=5))
    try:
        server.run(sockets=[sock])  # stops gracefully on SIGINT / SIGTERM, then re-raises it
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        sock.close()
