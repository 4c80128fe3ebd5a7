"""What keeps the web app safe by default: the Host check, the access token, CSRF
tokens, the upload-size limit, safe file names and the response headers.

Plain functions; the middleware in :mod:`contractgen.web.app` and :class:`Site` use them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import unicodedata
from pathlib import Path, PurePosixPath

from ..serve import LOOPBACK_NAMES
from .. import rx

SESSION_COOKIE = "cg_session"
TOKEN_COOKIE = "cg_token"
LANG_COOKIE = "cg_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # The preview page (writers/html.py) carries its stylesheet inline and a few style
    # attributes; scripts come only from /static.
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'self'"),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
}


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: the only binds that need no token."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_host(header: str, bind_host: str, port: int) -> bool:
    """Whether a request's ``Host`` names this server. A loopback bind accepts only the
    loopback names (as ``preview --serve`` does), bare or with the bound port (any port
    when bound to port 0), so a foreign name resolving to 127.0.0.1 (DNS rebinding) is
    refused. A non-loopback bind is reached by whatever name the network gives it: there
    the token is the guard."""
    if not is_loopback(bind_host):
        return True
    header = header.strip().lower()
    bound = bind_host if ":" not in bind_host or bind_host.startswith("[") else f"[{bind_host}]"
    names = {*LOOPBACK_NAMES, bound}
    name, _, given_port = header.rpartition(":") if header.rfind(":") > header.rfind("]") else (header, "", "")
    if name not in names:
        return False
    return not given_port or port == 0 or given_port == str(port)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def bearer(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


def csrf_token(secret: bytes, session_id: str) -> str:
    """The CSRF token of a session: an HMAC of its id with the process's secret."""
    return hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, session_id: str | None, given: str | None) -> bool:
    return bool(session_id) and same(given, csrf_token(secret, session_id))


class UploadTooLarge(Exception):
    """The request body ran past the upload limit while it was read."""


def limited_receive(receive, limit: int):
    """``receive`` that raises :class:`UploadTooLarge` once the body passes ``limit``
    bytes, so an oversized upload is stopped while it streams (no length header needed)."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadTooLarge()
        return message

    return wrapped


_UNSAFE = rx.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def safe_name(filename: str | None, default: str = "upload") -> str:
    """A display name for an uploaded file: its last path component only (either slash),
    no control characters, NUL, drive letters or leading dots, at most 120 characters.
    It never names a folder: ``../../etc/passwd`` -> ``passwd``."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + dot + ext[:9]) if dot and len(ext) < 10 else name[:120]
    return name or default


def inside(folder: Path, name: str) -> Path:
    """``folder / safe_name(name)``, checked to stay inside ``folder``."""
    path = folder / safe_name(name)
    if PurePosixPath(path.name).name != path.name or path.resolve().parent != folder.resolve():
        raise ValueError(f"{name!r} leaves its folder")
    return path
