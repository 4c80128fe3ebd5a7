"""Shared by the browser tests of the web app and the preview page: Debian's Chromium
through Playwright, and a `contractgen serve` application on a free 127.0.0.1 port.

The browser is ``/usr/bin/chromium`` (Playwright's own browser download does not work
here). Without it a test skips on a laptop and fails in CI (``CONTRACTGEN_REQUIRE_E2E=1``),
through :func:`conftest.require_tool`. The server runs the real application —
``create_app(WebConfig(...))`` under Uvicorn in a thread of the test process — over copies
of the repository's templates and clause library in ``tmp_path``, with a temporary
``work_dir``, so nothing a test does can touch the repository's files.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT, TESTS, require_tool

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 15_000
ARTIFACTS = TESTS / "artifacts"
WEB_DATA = TESTS / "data" / "web"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HUZHOU = "huzhou-cs-outsourcing"
ENGLISH = "services-agreement-en"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (each test gets its own context). Not per
    session: Playwright's sync API runs one instance per thread at a time, and the other
    browser tests (test_preview_browser, test_compare_browser) start their own."""
    require_tool(str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, viewport: dict | None = None, locale: str = "en-GB"):
    """A page in a fresh context (its own cookies), downloads accepted."""
    context = browser.new_context(viewport=viewport or DESKTOP, locale=locale, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser):
    page = new_page(browser, PHONE)
    yield page
    page.context.close()


# -- the server --------------------------------------------------------------------------


@dataclass
class Served:
    url: str
    root: Path          # the tmp folder holding templates/, clauses/ and work/
    templates: Path
    clauses: Path
    work: Path

    def to(self, path: str) -> str:
        return self.url + path


def copy_library(dest: Path) -> tuple[Path, Path]:
    """Copies of the repository's templates/ and clauses/ under ``dest``."""
    templates, clauses = dest / "templates", dest / "clauses"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copytree(ROOT / "clauses", clauses)
    return templates, clauses


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(root: Path, **config) -> Iterator[Served]:
    """The web app on a free 127.0.0.1 port over copies of templates/ and clauses/ in
    ``root``; ``config`` adds WebConfig fields. Stopped (and its thread joined) at the end."""
    import uvicorn

    from contractgen.web import WebConfig, create_app

    templates, clauses = copy_library(root)
    work = root / "work"
    work.mkdir()
    sock = _free_socket()
    port = sock.getsockname()[1]
    app = create_app(WebConfig(templates_dir=templates, clauses_dir=clauses, host="127.0.0.1", port=port,
                               work_dir=work, **config))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="auto"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", root, templates, clauses, work)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serving_cli(root: Path, *args: str) -> Iterator[Served]:
    """The real `contractgen serve --port 0` in a child process over copies of templates/
    and clauses/ in ``root``; its URL is read from the line it prints at start. Stopped
    with SIGINT (as Ctrl-C stops it) at the end, SIGKILL if it does not stop."""
    templates, clauses = copy_library(root)
    cli = Path(sys.executable).with_name("contractgen")
    command = [str(cli), "serve", "--templates", str(templates), "--clauses", str(clauses), "--port", "0", *args]
    env = {**os.environ, "TMPDIR": str(root)}  # the app's session folders stay in root
    child = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        if "Serving contractgen at " not in line:
            child.kill()
            raise RuntimeError(f"contractgen serve did not start: {line!r} {child.stderr.read()!r}")
        url = line.split(" at ", 1)[1].split()[0]
        yield Served(url.split("/?", 1)[0].rstrip("/"), root, templates, clauses, root)
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Served]:
    """One running app for a test module."""
    with serving(tmp_path_factory.mktemp("web")) as served:
        yield served


# -- what the tests look at --------------------------------------------------------------

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // Inside a box that scrolls sideways by itself (a table on a phone) is fine.
    let p = e.parentElement, scrolls = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|hidden)/.test(s.overflowX)) { scrolls = true; break; }
      p = p.parentElement;
    }
    if (!scrolls) wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') + ' right=' + Math.round(box.right));
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
}"""

TABLES_JS = """() => [...document.querySelectorAll('table')].map(t => {
  const cells = [...t.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().width);
  const box = t.getBoundingClientRect();
  return {narrowest: Math.min(...cells), scrolls: t.scrollWidth > t.clientWidth + 1
          && /(auto|scroll)/.test(getComputedStyle(t).overflowX), right: box.right,
          columns: t.rows.length ? t.rows[0].cells.length : 0};
})"""


def overflow(page) -> dict:
    """The page's scroll width and the elements (outside sideways-scrolling boxes) past
    the right edge of the viewport."""
    return page.evaluate(OVERFLOW_JS)


def assert_fits(page) -> None:
    """No horizontal scroll of the page at its width."""
    report = overflow(page)
    assert report["scrollWidth"] <= page.viewport_size["width"], report
    assert report["wide"] == [], report


def tables(page) -> list[dict]:
    return page.evaluate(TABLES_JS)


def shot(page, name: str, full_page: bool = False) -> Path:
    """A screenshot in tests/artifacts/ (CI keeps that folder), checked to hold a picture."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000
    return path


__all__ = ["ARTIFACTS", "CHROMIUM", "DESKTOP", "ENGLISH", "HUZHOU", "PHONE", "Served", "WEB_DATA",
           "assert_fits", "browser", "copy_library", "new_page", "overflow", "page", "phone", "serving", "serving_cli",
           "shot", "site", "tables"]
