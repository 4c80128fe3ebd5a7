"""The web app's frame: the home page, the template catalog, the UI labels and language."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from web_client import local_client

from conftest import ROOT
from contractgen.web import WebConfig, create_app
from contractgen.web import labels

TEMPLATES = ROOT / "templates"
CLI = [sys.executable, "-c", "from contractgen.cli import main; main()"]
CLAUSES = ROOT / "clauses"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return local_client(create_app(WebConfig(templates_dir=TEMPLATES, clauses_dir=CLAUSES, work_dir=tmp_path)))


def test_home_page_lists_the_sections_and_the_templates(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for href in ("/templates", "/batch", "/check", "/clauses"):
        assert f'href="{href}"' in page.text
    assert "湖州电商客服系统外包服务合同" in page.text
    assert 'href="/templates/huzhou-cs-outsourcing"' in page.text
    assert '<link rel="stylesheet" href="/static/app.css">' in page.text
    assert client.get("/static/app.css").status_code == 200


def test_the_ui_switches_to_chinese_and_keeps_it(client: TestClient) -> None:
    assert ">Templates<" in client.get("/").text
    zh = client.get("/?lang=zh")
    assert '<html lang="zh-CN">' in zh.text and ">模板<" in zh.text and ">English<" in zh.text
    assert ">模板<" in client.get("/").text  # the cookie keeps the choice
    assert ">Templates<" in client.get("/?lang=en").text


def test_accept_language_decides_without_a_choice(client: TestClient) -> None:
    assert ">条款库<" in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert ">Clauses<" in client.get("/", headers={"Accept-Language": "en-GB,en"}).text


def test_every_base_label_has_a_chinese_translation() -> None:
    zh = labels.catalog("zh")
    for msgid in ("Templates", "Batch", "Check", "Clauses", "Not found", "Something went wrong"):
        assert zh.get(msgid) and zh[msgid] != msgid
    assert labels.label("Status {code}", "zh", code=404) == "状态码 404"
    assert labels.label("Status {code}", "en", code=404) == "Status 404"


# -- contractgen serve -------------------------------------------------------------------

def _start(*args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(CLI + ["serve", *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "Serving contractgen at" not in line:
        process.kill()
        raise AssertionError(f"no start-up line: {line!r} {process.stderr.read()}")
    return process, line.split(" at ", 1)[1].split()[0]


def _get(url: str, opener=None) -> tuple[int, str]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_serve_starts_on_a_free_loopback_port_and_serves_the_home_page(tmp_path: Path) -> None:
    process, url = _start("--port", "0", env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        assert url.startswith("http://127.0.0.1:") and "token" not in url
        status, text = _get(url)
        assert status == 200 and "湖州电商客服系统外包服务合同" in text
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.headers["X-Frame-Options"] == "SAMEORIGIN" and "Server" not in answer.headers
        port = url.rstrip("/").rsplit(":", 1)[1]
        busy = subprocess.run(CLI + ["serve", "--port", port], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert busy.returncode == 2 and f"port {port} is in use" in busy.stderr
        assert [p.name[:16] for p in tmp_path.iterdir()] == ["contractgen-web-"]  # the sessions' folder
    finally:
        _stop(process, signal.SIGINT)
    assert process.returncode == 0  # Ctrl-C: a clean stop
    assert list(tmp_path.iterdir()) == []  # and the sessions' folder is gone


def test_serve_with_a_token_prints_it_and_refuses_requests_without_it() -> None:
    process, url = _start("--port", "0", "--token", "let-me-in-123")
    try:
        assert url.endswith("/?token=let-me-in-123")
        assert _get(url.split("?")[0])[0] == 401
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert _get(url, browser)[0] == 200  # the token becomes a cookie, the redirect drops it from the URL
        assert _get(url.split("?")[0], browser)[0] == 200  # the cookie is enough from then on
    finally:
        _stop(process)


def test_serve_refuses_a_templates_path_that_is_not_a_folder(tmp_path: Path) -> None:
    done = subprocess.run(CLI + ["serve", "--templates", str(tmp_path / "nope")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not a folder of templates" in done.stderr


def test_a_non_loopback_bind_gets_a_token_in_its_url() -> None:
    from contractgen.commands.serve import url_of
    from contractgen.web.security import is_loopback

    assert url_of("192.0.2.1", 8000, "abc") == "http://192.0.2.1:8000/?token=abc"
    assert url_of("::1", 8000, None) == "http://[::1]:8000/"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1") and not is_loopback("example.com")


# -- the catalog -------------------------------------------------------------------------

def test_the_catalog_lists_every_template_sorted_with_its_language(tmp_path: Path) -> None:
    from contractgen.web.site import Site

    site = Site(WebConfig(templates_dir=TEMPLATES, work_dir=tmp_path))
    infos = site.templates()
    ids = [i.id for i in infos]
    assert ids == sorted(p.name for p in TEMPLATES.iterdir() if (p / "contract.yaml").is_file())
    huzhou = site.template("huzhou-cs-outsourcing")
    assert (huzhou.title, huzhou.lang, huzhou.path) == ("湖州电商客服系统外包服务合同", "zh",
                                                        TEMPLATES / "huzhou-cs-outsourcing")
    assert "补充协议（第三方介入）" in huzhou.description
    english = site.template("services-agreement-en")
    assert (english.title, english.lang) == ("Master Services Agreement", "en")
    assert "Statement of Work" in english.description


def test_a_template_that_does_not_load_is_skipped_with_a_note(tmp_path: Path, capsys) -> None:
    from contractgen.web.site import Site

    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "services-agreement-en", root / "good")
    (root / "broken").mkdir()
    (root / "broken" / "contract.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (root / "not-a-template").mkdir()
    site = Site(WebConfig(templates_dir=root, work_dir=tmp_path / "work"))
    assert [i.id for i in site.templates()] == ["good"]
    assert "template broken skipped" in capsys.readouterr().err


# -- labels ----------------------------------------------------------------------------------

LABEL_CALL = re.compile(r"""\bt\(\s*(?:"([^"]*)"|'([^']*)')""")


def _page_msgids(page: Path) -> set[str]:
    found = {a or b for a, b in LABEL_CALL.findall(page.read_text(encoding="utf-8"))}
    assert found, f"no labels found in {page.name}"
    return found


@pytest.mark.parametrize("page", ["base.html", "home.html", "error.html"])
def test_every_label_of_the_base_pages_is_in_chinese(page: str) -> None:
    from contractgen.web.site import PAGES_DIR

    missing = sorted(m for m in _page_msgids(PAGES_DIR / page) if m not in labels.catalog("zh"))
    assert missing == []


def test_every_status_title_and_message_is_in_chinese() -> None:
    from contractgen.web import app

    zh = labels.catalog("zh")
    texts = [*app.TITLES.values(), *app.MESSAGES.values()]
    assert len(texts) > 15 and [t for t in texts if t not in zh] == []


def test_every_page_links_an_icon_the_app_serves(client: TestClient) -> None:
    """The browser asks for the page's icon: it is linked and served (no 404 in the log)."""
    for path in ("/", "/templates", "/templates/huzhou-cs-outsourcing"):
        icon = re.search(r'<link rel="icon" href="([^"]+)"', client.get(path).text)
        assert icon and icon.group(1).startswith("/static/"), path
    response = client.get(icon.group(1))
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.lstrip().startswith("<svg")
