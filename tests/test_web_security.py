"""The web app is safe by default: each guard refuses with the right status and nothing
is written (issue 16: foreign Host, missing CSRF token, a 60 MB upload, a path-traversal
file name, a missing access token on a non-loopback bind), plus sessions, headers and
the generic 500 page."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from web_client import local_client

from conftest import ROOT
from contractgen.web import WebConfig, create_app, security
from contractgen.web.sessions import SessionStore

TEMPLATES = ROOT / "templates"
CSRF_TEXT = "security token"


def probe_app(work_dir: Path, **config):
    """The app with a POST route that saves every uploaded file as the real routes do."""
    app = create_app(WebConfig(templates_dir=TEMPLATES, work_dir=work_dir, **config))
    site = app.state.site

    async def upload(request):
        form = await site.form(request)
        folder = site.session_dir(request)
        saved = []
        for _, value in form.multi_items():
            if hasattr(value, "filename"):
                target = security.inside(folder, value.filename)
                target.write_bytes(await value.read())
                saved.append(str(target.relative_to(work_dir)))
        return JSONResponse({"saved": saved})

    async def boom(request):
        raise RuntimeError("secret detail /srv/private/contract.yaml")

    app.router.routes[:0] = [Route("/probe", upload, methods=["POST"]), Route("/boom", boom)]
    return app


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def csrf_of(client: TestClient) -> str:
    page = client.get("/")
    assert page.status_code == 200
    return page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def client(work: Path) -> TestClient:
    return local_client(probe_app(work), raise_server_exceptions=False)


# -- Host header ---------------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost", "127.0.0.1"])
def test_loopback_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost:9999", "127.0.0.1.evil.example",
                                  "localhost.evil.example:8000", "testserver.evil.example", ""])
def test_a_foreign_host_is_refused_and_nothing_written(client: TestClient, work: Path, host: str) -> None:
    token = csrf_of(client)
    page = client.post("/probe", headers={"Host": host, "X-CSRF-Token": token},
                       files={"file": ("a.csv", b"x,y\n")})
    assert page.status_code == 421
    assert "only to its own address" in page.text
    assert files_under(work) == []
    assert client.get("/", headers={"Host": host}).status_code == 421


def test_the_host_check_reuses_the_preview_servers_loopback_names() -> None:
    from contractgen.serve import LOOPBACK_NAMES

    for name in LOOPBACK_NAMES:
        assert security.allowed_host(f"{name}:8000", "127.0.0.1", 8000)
    assert not security.allowed_host("testserver", "127.0.0.1", 8000)  # TestClient's default name
    assert security.allowed_host("any.name:8000", "0.0.0.0", 8000)  # the token guards a network bind


# -- CSRF ----------------------------------------------------------------------------

def test_a_post_with_its_csrf_token_is_accepted(client: TestClient, work: Path) -> None:
    token = csrf_of(client)
    by_field = client.post("/probe", data={"csrf": token}, files={"file": ("a.csv", b"1")})
    assert by_field.status_code == 200, by_field.text
    by_header = client.post("/probe", headers={"X-CSRF-Token": token}, files={"file": ("b.csv", b"2")})
    assert by_header.status_code == 200
    assert [Path(p).name for p in files_under(work)] == ["a.csv", "b.csv"]


@pytest.mark.parametrize("how", ["missing", "wrong field", "wrong header", "other session", "no session"])
def test_a_post_without_a_valid_csrf_token_is_refused(client: TestClient, work: Path, how: str) -> None:
    token = csrf_of(client)
    kwargs: dict = {"files": {"file": ("a.csv", b"1")}}
    if how == "wrong field":
        kwargs["data"] = {"csrf": token[:-1] + ("0" if token[-1] != "0" else "1")}
    elif how == "wrong header":
        kwargs["headers"] = {"X-CSRF-Token": "0" * 64}
        kwargs["data"] = {"csrf": token}  # a wrong header is not saved by a right field
    elif how == "other session":
        other = local_client(client.app)
        kwargs["data"] = {"csrf": csrf_of(other)}
    elif how == "no session":
        client.cookies.clear()
        kwargs["data"] = {"csrf": token}
    page = client.post("/probe", **kwargs)
    assert page.status_code == 403
    assert CSRF_TEXT in page.text and "Traceback" not in page.text
    assert files_under(work) == []


def test_a_post_without_a_session_cookie_is_refused_before_any_route_runs(work: Path) -> None:
    """A cross-site form carries no session cookie (SameSite): refused even by a route
    that forgot to call site.form()."""
    app = probe_app(work)
    ran = []

    async def naive(request):
        ran.append(request.url.path)
        return JSONResponse({})

    app.router.routes.insert(0, Route("/naive", naive, methods=["POST"]))
    page = local_client(app).post("/naive", data={"x": "1"})
    assert page.status_code == 403 and CSRF_TEXT in page.text
    assert ran == []


def test_every_post_route_of_the_app_checks_csrf(tmp_path: Path) -> None:
    """Whatever routes the route modules add: a POST without the token is refused."""
    app = create_app(WebConfig(templates_dir=TEMPLATES, work_dir=tmp_path))
    client = local_client(app, raise_server_exceptions=False)
    csrf_of(client)
    posts = [r for r in app.routes if "POST" in (getattr(r, "methods", None) or ())]
    for route in posts:
        path = route.path_format
        for param in route.param_convertors:
            path = path.replace("{" + param + "}", "huzhou-cs-outsourcing")
        page = client.post(path, data={"x": "1"})
        assert page.status_code == 403, f"POST {path} without a CSRF token gave {page.status_code}"
    assert files_under(tmp_path) == []


# -- upload limit --------------------------------------------------------------------

def test_a_60_mb_upload_is_refused_by_its_length_and_nothing_written(client: TestClient, work: Path) -> None:
    token = csrf_of(client)
    page = client.post("/probe", data={"csrf": token}, files={"file": ("big.csv", b"0" * (60 * 2**20))})
    assert page.status_code == 413
    assert "at most 50 MB" in page.text
    assert files_under(work) == []


@pytest.mark.parametrize("length", [None, 60 * 2**20])
def test_an_upload_is_stopped_before_or_while_it_streams(work: Path, length: int | None) -> None:
    """With a Content-Length past the limit not one chunk is read; without one the body is
    read chunk by chunk and the read stops at the limit: the 60 MB never reach memory or disk."""
    app = probe_app(work)
    client = local_client(app)
    token = csrf_of(client)
    session = client.cookies[security.SESSION_COOKIE]
    chunk, pulled, sent = 2**20, 0, []
    head = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n")

    async def receive():
        nonlocal pulled
        pulled += 1
        if pulled > 60:
            return {"type": "http.request", "body": b"\r\n--B--\r\n", "more_body": False}
        return {"type": "http.request", "body": (head if pulled == 1 else b"") + b"0" * chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/probe", "raw_path": b"/probe", "query_string": b"", "root_path": "",
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"multipart/form-data; boundary=B"),
                         (b"cookie", f"{security.SESSION_COOKIE}={session}".encode()),
                         (b"x-csrf-token", token.encode())]}
    if length:
        scope["headers"].append((b"content-length", str(length).encode()))
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    assert pulled <= (0 if length else 51)  # stopped once past 50 MB, not after 60
    assert files_under(work) == []


def test_the_limit_is_the_configured_one(work: Path) -> None:
    client = local_client(probe_app(work, max_upload_bytes=1000))
    token = csrf_of(client)
    assert client.post("/probe", data={"csrf": token}, files={"f": ("a.csv", b"1" * 500)}).status_code == 200
    refused = client.post("/probe", data={"csrf": token}, files={"f": ("b.csv", b"1" * 2000)})
    assert refused.status_code == 413 and "too large" in refused.text
    assert [Path(p).name for p in files_under(work)] == ["a.csv"]


# -- file names ----------------------------------------------------------------------

@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd", "passwd"), ("..\\x.csv", "x.csv"), ("/etc/shadow", "shadow"),
    ("C:\\Windows\\win.ini", "win.ini"), ("a\x00b.csv", "ab.csv"), ("..", "upload"), ("", "upload"),
    ("....//....//x", "x"), (".hidden", "hidden"), ("合同 2024.docx", "合同 2024.docx"),
])
def test_safe_name_keeps_only_a_display_name(name: str, shown: str) -> None:
    assert security.safe_name(name) == shown


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\x.csv", "/tmp/absolute.csv", "a\x00b.csv", "../"])
def test_a_path_traversal_name_never_leaves_the_session_folder(client: TestClient, tmp_path: Path, work: Path,
                                                               name: str) -> None:
    before = sorted(str(p) for p in tmp_path.parent.rglob("*") if "work" not in p.parts)
    token = csrf_of(client)
    page = client.post("/probe", data={"csrf": token}, files={"file": (name, b"payload")})
    assert page.status_code == 200
    saved = page.json()["saved"]
    assert len(saved) == 1
    session = client.cookies[security.SESSION_COOKIE]
    assert Path(saved[0]).parent == Path(session)  # work/<session>/<name>, nothing deeper or above
    assert files_under(work) == saved
    assert sorted(str(p) for p in tmp_path.parent.rglob("*") if "work" not in p.parts) == before


# -- access token ----------------------------------------------------------------------

def test_a_network_bind_refuses_requests_without_the_token(work: Path) -> None:
    client = local_client(probe_app(work, host="0.0.0.0", token="s3cret-token"), follow_redirects=False)
    assert client.get("/").status_code == 401
    assert client.get("/", params={"token": "wrong"}).status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    refused = client.post("/probe", files={"file": ("a.csv", b"1")})
    assert refused.status_code == 401 and "access token" in refused.text
    assert files_under(work) == []
    assert client.get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_a_wrong_token_is_told_apart_from_a_missing_one(work: Path) -> None:
    client = local_client(probe_app(work, host="0.0.0.0", token="s3cret-token"), follow_redirects=False)
    missing = client.get("/")
    assert missing.status_code == 401 and "needs its access token" in missing.text and "is wrong" not in missing.text
    stale = local_client(client.app, follow_redirects=False)  # a cookie from an earlier start
    stale.cookies.set(security.TOKEN_COOKIE, "from-an-earlier-start")
    for wrong in (client.get("/", params={"token": "s3cret-tokeX"}),
                  client.get("/", headers={"Authorization": "Bearer old"}),
                  stale.get("/")):
        assert wrong.status_code == 401 and "The access token is wrong" in wrong.text
        assert "Wrong access token" in wrong.text
    zh = client.get("/", params={"token": "nope", "lang": "zh"}, headers={"Accept-Language": "zh-CN"})
    assert "访问令牌不正确" in zh.text and "needs its access token" not in zh.text


def test_the_token_in_the_url_becomes_a_strict_httponly_cookie(work: Path) -> None:
    client = local_client(probe_app(work, host="0.0.0.0", token="s3cret-token"), follow_redirects=False)
    first = client.get("/", params={"token": "s3cret-token", "lang": "zh"})
    assert first.status_code == 303 and "token" not in first.headers["location"]
    assert "lang=zh" in first.headers["location"]
    cookie = next(c for c in first.headers.get_list("set-cookie") if c.startswith(security.TOKEN_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200  # the cookie now
    token = csrf_of(client)
    assert client.post("/probe", data={"csrf": token}, files={"file": ("a.csv", b"1")}).status_code == 200


def test_a_network_bind_without_a_token_gets_a_generated_one(work: Path) -> None:
    app = create_app(WebConfig(templates_dir=TEMPLATES, work_dir=work, host="192.0.2.10"))
    token = app.state.site.config.token
    assert token and len(token) >= 24
    assert local_client(app).get("/").status_code == 401
    loopback = create_app(WebConfig(templates_dir=TEMPLATES, work_dir=work))
    assert loopback.state.site.config.token is None


# -- sessions --------------------------------------------------------------------------

def test_each_browser_session_has_its_own_folder(work: Path) -> None:
    app = probe_app(work)
    one, two = local_client(app), local_client(app)
    for client, name in ((one, "a.csv"), (two, "b.csv")):
        assert client.post("/probe", data={"csrf": csrf_of(client)}, files={"f": (name, b"1")}).status_code == 200
    assert one.cookies[security.SESSION_COOKIE] != two.cookies[security.SESSION_COOKIE]
    assert files_under(work) == sorted([f"{one.cookies[security.SESSION_COOKIE]}/a.csv",
                                        f"{two.cookies[security.SESSION_COOKIE]}/b.csv"])


def test_the_session_cookie_is_httponly(work: Path) -> None:
    page = local_client(probe_app(work)).get("/")
    cookie = next(c for c in page.headers.get_list("set-cookie") if c.startswith(security.SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_idle_sessions_expire_and_their_folders_go(tmp_path: Path) -> None:
    now = [1000.0]
    store = SessionStore(tmp_path, idle_seconds=7200, clock=lambda: now[0])
    old, fresh = "a" * 43, "b" * 43
    (store.folder(old) / "x.csv").write_text("1")
    now[0] += 3600
    store.folder(fresh)
    now[0] += 3601
    assert store.sweep() == [old]
    assert not (tmp_path / old).exists() and (tmp_path / fresh).is_dir()
    with pytest.raises(ValueError):
        store.folder("../escape-but-long-enough-to-look-like-an-id-xx")


def test_the_work_folder_we_made_is_removed_at_shutdown() -> None:
    store = SessionStore(None)
    (store.folder("c" * 43) / "x").write_text("1")
    assert store.root.is_dir()
    store.close()
    assert not store.root.exists()


def test_shutdown_of_the_app_removes_its_sessions(work: Path) -> None:
    with local_client(probe_app(work)) as client:
        client.post("/probe", data={"csrf": csrf_of(client)}, files={"f": ("a.csv", b"1")})
        assert files_under(work)
    assert files_under(work) == [] and work.is_dir()


# -- headers and errors ----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/static/app.css", "/no-such-page", "/boom"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp


def test_the_preview_page_has_no_inline_script_the_policy_would_block() -> None:
    from contractgen.pipeline import build_from_files
    from contractgen.writers.html import HtmlWriter

    sample = TEMPLATES / "huzhou-cs-outsourcing"
    built = build_from_files(sample, sample / "sample-data.yaml")[2]
    html = HtmlWriter(built.findings).render(built.doc).decode()
    assert "<script" not in html and " onclick=" not in html
    assert "<style>" in html  # inline style: allowed by style-src 'unsafe-inline'


@pytest.mark.parametrize("lang, words", [("en", "An internal error occurred"), ("zh", "发生内部错误")])
def test_an_internal_error_is_a_generic_page(client: TestClient, capsys, lang: str, words: str) -> None:
    page = client.get("/boom", params={"lang": lang})
    assert page.status_code == 500
    assert words in page.text
    for leak in ("Traceback", "RuntimeError", "/srv/private", "secret detail", str(ROOT)):
        assert leak not in page.text
    assert "secret detail /srv/private" in capsys.readouterr().err  # the log has it


def test_an_unknown_template_is_a_404_page_in_the_ui_language(work: Path) -> None:
    from contractgen.web.site import Site
    from starlette.exceptions import HTTPException

    site = Site(WebConfig(templates_dir=TEMPLATES, work_dir=work))
    for bad in ("../templates", "nope", "", ".", "huzhou-cs-outsourcing/../x"):
        with pytest.raises(HTTPException) as caught:
            site.template(bad)
        assert caught.value.status_code == 404
    assert site.template("huzhou-cs-outsourcing").lang == "zh"
    assert os.listdir(work) == []


def test_a_wrong_method_is_a_405_page_that_says_what_is_allowed(client: TestClient) -> None:
    page = client.get("/probe")
    assert page.status_code == 405 and "does not accept" in page.text
    assert page.headers["Allow"] == "POST"


# -- contractgen serve's addresses -------------------------------------------------------

def test_a_bind_to_every_address_prints_the_machines_own_addresses(monkeypatch) -> None:
    import socket

    from contractgen.commands import serve

    monkeypatch.setattr(serve.socket, "gethostname", lambda: "lawfirm-pc")
    monkeypatch.setattr(serve, "main_address", lambda family: "192.168.1.20" if family == socket.AF_INET else None)
    monkeypatch.setattr(serve.socket, "getaddrinfo", lambda name, port, family: [
        (family, 0, 0, "", (a, 0)) for a in (["127.0.1.1", "192.168.1.20", "10.0.0.5"] if family == socket.AF_INET
                                             else ["::1", "fe80::1%eth0", "fd00::7"])])
    urls = serve.reachable_urls("0.0.0.0", 8766, "tok")
    assert urls == ["http://192.168.1.20:8766/?token=tok", "http://10.0.0.5:8766/?token=tok",
                    "http://lawfirm-pc:8766/?token=tok"]
    assert "http://[fd00::7]:8766/?token=tok" in serve.reachable_urls("::", 8766, "tok")
    assert serve.reachable_urls("192.168.1.20", 8766, "tok") == ["http://192.168.1.20:8766/?token=tok"]
    assert serve.reachable_urls("127.0.0.1", 8766, None) == ["http://127.0.0.1:8766/"]
    monkeypatch.setattr(serve, "main_address", lambda family: None)  # no network at all
    monkeypatch.setattr(serve.socket, "getaddrinfo", lambda *a: (_ for _ in ()).throw(OSError("no name")))
    monkeypatch.setattr(serve.socket, "gethostname", lambda: "localhost")
    assert serve.reachable_urls("0.0.0.0", 8766, "tok") == ["http://0.0.0.0:8766/?token=tok"]

