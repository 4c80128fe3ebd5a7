"""`contractgen serve`: the web app (:mod:`contractgen.web`) run by Uvicorn.

The socket is bound here, before Uvicorn starts, so a port in use is a clear error (exit
2) and ``--port 0`` knows its port. A bind to anything but loopback needs an access
token: ``--token`` or a generated one, printed in the URL at start. A bind to every
address (``--host 0.0.0.0`` or ``::``) prints the addresses colleagues can open — the
machine's non-loopback IPs and its host name — not the wildcard.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
from pathlib import Path

import click

from ..diagnostics import UserError
from ..web import WebConfig, create_app
from ..web.security import is_loopback, new_token


MAX_CONNECTIONS = 64  # at once; more are answered 503 by Uvicorn
WILDCARDS = {"0.0.0.0": socket.AF_INET, "::": socket.AF_INET6, "": socket.AF_INET}
# A documentation address (RFC 5737 / 3849): "connecting" a UDP socket to it sends nothing
# but makes the system pick the address it would send from, the machine's main address.
PROBES = {socket.AF_INET: "192.0.2.1", socket.AF_INET6: "2001:db8::1"}


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


def main_address(family: int) -> str | None:
    """The address this machine sends from on its default route, or None (no network)."""
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((PROBES[family], 9))
            return probe.getsockname()[0]
    except OSError:
        return None


def machine_addresses(family: int) -> list[str]:
    """This machine's addresses others can reach: the main one first, then those its host
    name resolves to; no loopback, link-local or unspecified ones. IPv4 only for an IPv4
    bind; both for ``::`` (a dual-stack socket)."""
    found = [main_address(socket.AF_INET)]
    try:
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    if family == socket.AF_INET6:
        found.append(main_address(socket.AF_INET6))
        try:
            found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET6)]
        except OSError:
            pass
    shown: list[str] = []
    for address in found:
        try:
            ip = ipaddress.ip_address((address or "").split("%", 1)[0])
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified) and str(ip) not in shown:
            shown.append(str(ip))
    return shown


def reachable_urls(host: str, port: int, token: str | None) -> list[str]:
    """The addresses to print at start: the bound one, or for a bind to every address the
    machine's own addresses and host name (a browser cannot open ``0.0.0.0``)."""
    family = WILDCARDS.get(host.strip("[]"))
    if family is None:
        return [url_of(host, port, token)]
    urls = [url_of(address, port, token) for address in machine_addresses(family)]
    name = socket.gethostname()
    if name and name != "localhost":
        urls.append(url_of(name, port, token))
    return urls or [url_of(host, port, token)]


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
    first, *others = reachable_urls(host, port, token)
    click.echo(f"Serving contractgen at {first} (Ctrl-C to stop)")
    for url in others:
        click.echo(f"  or at {url}")
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
