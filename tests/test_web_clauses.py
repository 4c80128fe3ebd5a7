"""The web app's Clause library (contractgen.web.clause_routes): clauses by topic with id,
title, version and where used (as ``contractgen clauses`` reports it), a clause's text
escaped and read-only."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from web_client import local_client

from contractgen.commands.clauses import library_usage
from contractgen.web import create_app
from contractgen.web.site import WebConfig

from conftest import ROOT


def make_client(tmp_path: Path, templates: Path = ROOT / "templates", clauses: Path | None = ROOT / "clauses"):
    return local_client(create_app(WebConfig(templates_dir=templates, clauses_dir=clauses, work_dir=tmp_path / "work")))


def rows(page: str) -> dict[str, tuple[str, str, list[str]]]:
    """clause id -> (title, version, [template ids]) as the listing shows them."""
    found = {}
    for clause_id, body in re.findall(r'<tr data-clause="([^"]+)"[^>]*>(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        used = re.findall(r'<a href="/templates/([^"]+)">', cells[3])
        found[html.unescape(clause_id)] = (html.unescape(cells[1]), cells[2], used)
    return found


def test_every_clause_is_listed_with_its_version_and_where_it_is_used(tmp_path):
    page = make_client(tmp_path).get("/clauses")
    assert page.status_code == 200
    shown = rows(page.text)
    expected = library_usage(ROOT)  # what `contractgen clauses --root .` prints
    assert shown == {cid: (title, version, users) for cid, title, version, users in expected}
    assert shown["huzhou/breach"] == ("违约责任", "1.0.0", ["huzhou-cs-outsourcing"])


def test_clauses_are_grouped_by_topic(tmp_path):
    page = make_client(tmp_path).get("/clauses").text
    topics = re.findall(r'<section class="clause-topic" id="topic-([^"]+)">', page)
    assert topics == sorted({p.name for p in (ROOT / "clauses").iterdir() if p.is_dir()})
    huzhou = page[page.index('id="topic-huzhou"'):]
    huzhou = huzhou[:huzhou.index("</section>")]
    assert 'data-clause="huzhou/breach"' in huzhou and 'data-clause="msa/' not in huzhou


def test_a_clause_page_shows_its_text_escaped(tmp_path):
    library = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", library)
    (library / "huzhou" / "hostile.md").write_text(
        "---\nid: huzhou/hostile\ntitle: <b>Bold</b> & co\nversion: 2.1.0\n---\n"
        "# Hostile {#hostile}\n\n- Text with <script>alert(1)</script> and {{ fee }}.\n", encoding="utf-8")
    client = make_client(tmp_path, clauses=library)
    page = client.get("/clauses/huzhou/hostile")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page.text and "2.1.0" in page.text
    assert "{{ fee }}" in page.text and "not used" in page.text
    assert rows(client.get("/clauses").text)["huzhou/hostile"] == ("<b>Bold</b> & co", "2.1.0", [])


def test_a_clause_page_names_the_templates_that_use_it(tmp_path):
    page = make_client(tmp_path).get("/clauses/huzhou/breach")
    assert page.status_code == 200
    text = (ROOT / "clauses" / "huzhou" / "breach.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    shown = html.unescape(re.search(r'<pre id="clause-text"[^>]*>(.*?)</pre>', page.text, re.S)[1])
    assert shown == text
    assert '<a href="/templates/huzhou-cs-outsourcing">' in page.text


def test_unknown_clauses_and_paths_are_not_found(tmp_path):
    client = make_client(tmp_path)
    for path in ("/clauses/huzhou/nope", "/clauses/../contract.yaml", "/clauses/huzhou/breach.md",
                 "/clauses/%2e%2e/%2e%2e/etc/passwd"):
        assert client.get(path).status_code == 404, path


def test_no_library_and_a_broken_library(tmp_path):
    assert "no clause library" in make_client(tmp_path, clauses=None).get("/clauses").text
    broken = tmp_path / "broken"
    (broken / "x").mkdir(parents=True)
    (broken / "x" / "bad.md").write_text("no front matter here\n", encoding="utf-8")
    page = make_client(tmp_path, clauses=broken).get("/clauses")
    assert page.status_code == 500 and "front matter" in page.text and "Traceback" not in page.text


def test_the_library_speaks_chinese(tmp_path):
    page = make_client(tmp_path).get("/clauses?lang=zh").text
    assert "条款库" in page and "使用它的模板" in page and "huzhou/breach" in page


def test_a_clause_page_names_its_language_not_its_code(tmp_path):
    client = make_client(tmp_path)
    zh = client.get("/clauses/huzhou/breach?lang=zh").text
    assert re.search(r'<td id="clause-lang">中文</td>', zh) and ">zh<" not in zh
    en_clause = next(cid for cid, (title, _, _) in rows(client.get("/clauses").text).items()
                     if re.fullmatch(r"[A-Za-z ,'()-]+", title))
    en = client.get(f"/clauses/{en_clause}").text
    assert re.search(r'<td id="clause-lang">English</td>', en)


def test_the_listing_has_a_search_box_that_needs_no_server(tmp_path):
    client = make_client(tmp_path)
    page = client.get("/clauses?lang=zh").text
    assert re.search(r'<div class="field" id="clause-search-field" hidden>', page)  # shown by the script
    assert '<input type="search" id="clause-search"' in page and "搜索条款" in page
    assert '<script src="/static/clauses.js" defer></script>' in page
    script = client.get("/static/clauses.js")
    assert script.status_code == 200 and "fetch(" not in script.text and "http" not in script.text
    breach = re.search(r'<tr data-clause="huzhou/breach" data-search="([^"]*)">', page)[1]
    assert "违约" in breach and "huzhou-cs-outsourcing" in breach  # title and the templates using it


def test_typing_in_the_search_box_filters_the_list(tmp_path):

    pytest.importorskip("playwright")
    from web_support import CHROMIUM, CHROMIUM_ARGS, new_page, require_tool, serving

    require_tool(str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with serving(tmp_path) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, viewport={"width": 390, "height": 844}, locale="zh-CN")
            page.goto(served.url + "/clauses?lang=zh")
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            total = page.locator("tr[data-clause]").count()
            assert page.locator("#clause-search").is_visible()
            page.fill("#clause-search", "违约")
            visible = page.locator("tr[data-clause]:visible")
            assert 0 < visible.count() < total
            assert all("违约" in (visible.nth(i).get_attribute("data-search") or "") for i in range(visible.count()))
            assert page.locator(".clause-topic:visible").count() <= page.locator(".clause-topic").count()
            assert "显示" in page.locator("#clauses-count").inner_text()
            page.fill("#clause-search", "no-such-clause-anywhere")
            assert page.locator("tr[data-clause]:visible").count() == 0 and page.locator("#clause-search-none").is_visible()
            page.fill("#clause-search", "")
            assert page.locator("tr[data-clause]:visible").count() == total
            assert [url for url in requests if "/static/" not in url] == []  # filtered in the page: no round trip
        finally:
            browser.close()
