"""The preview in Debian's headless Chromium (Playwright's sync API, the system browser).

Skipped when /usr/bin/chromium is missing, except in CI (CONTRACTGEN_REQUIRE_E2E=1), where
that fails. Screenshots and a PDF go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractgen.commands.preview import PreviewSource, render_preview

from conftest import require_tool
from preview_support import ARTIFACTS, LEGACY_SOURCE, SAMPLE_SOURCE, copy_project, edit, serving

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    require_tool(str(CHROMIUM))  # Debian's chromium; Playwright's own download does not work here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    page.close()


def open_preview(page, source: PreviewSource, tmp_path: Path) -> None:
    out = tmp_path / "preview.html"
    out.write_bytes(render_preview(source)[0])
    page.goto(out.as_uri())


def top_of(page, element_id: str) -> float:
    return page.evaluate(f"document.getElementById({element_id!r}).getBoundingClientRect().top")


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def shot(page, name: str, **options) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **options)
    assert path.stat().st_size > 10_000
    return path


def test_addendum_reference_scrolls_to_the_article_and_back(page, tmp_path: Path) -> None:
    open_preview(page, SAMPLE_SOURCE, tmp_path)
    # 补充协议 第十条 10.1 cites 本合同第七条（争议解决）.
    ref = page.locator('h3#third-party-disputes ~ p.clause a.ref[href="#dispute-resolution"]').first
    ref.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    ref.click()
    page.wait_for_function("location.hash === '#dispute-resolution'")
    heading = page.locator("#dispute-resolution")
    assert heading.evaluate("e => e.tagName") == "H3"
    assert heading.inner_text().replace("\n", " ").startswith("第七条")
    assert "争议解决" in heading.inner_text()
    assert 0 <= top_of(page, "dispute-resolution") < 60
    assert page.evaluate("window.scrollY") < before - 1000
    shot(page, "preview-sample-reference-target.png")
    back = page.locator("#dispute-resolution + aside.backlinks a", has_text="10.1")
    back.click()
    assert in_viewport(page, ref)


def test_library_text_and_generated_text_look_different(page, tmp_path: Path) -> None:
    open_preview(page, SAMPLE_SOURCE, tmp_path)
    clause = page.locator("#main-7-3-1")
    assert clause.get_attribute("title") == "huzhou/dispute-resolution v1.0.0"
    number = clause.locator("span.num")
    text_bg = clause.evaluate("e => getComputedStyle(e).backgroundColor")
    assert number.evaluate("e => getComputedStyle(e).backgroundColor") != text_bg
    clause.hover()
    assert clause.evaluate("e => getComputedStyle(e).borderLeftColor") != "rgba(0, 0, 0, 0)"


def test_seed_findings_are_visible_at_their_places(page, tmp_path: Path) -> None:
    open_preview(page, LEGACY_SOURCE, tmp_path)
    shot(page, "preview-seed-top.png")
    gap = page.locator('.finding[data-code="numbering-gap"]')
    assert gap.count() == 1
    holder = gap.locator("xpath=ancestor::*[@data-line][1]")
    assert holder.get_attribute("data-line") == "104"
    assert holder.inner_text().startswith("第八条")
    page.locator('#findings li[data-code="numbering-gap"] a').click()
    assert gap.is_visible() and in_viewport(page, gap)
    assert "numbering-gap" in gap.inner_text() and "第三条" in gap.inner_text()
    shot(page, "preview-seed-numbering-gap.png")
    blanks = page.locator('.finding[data-code="unfilled-placeholder"]')
    lines = set()
    for i in range(blanks.count()):
        blank = blanks.nth(i)
        blank.scroll_into_view_if_needed()
        assert blank.is_visible() and in_viewport(page, blank)
        lines.add(blank.locator("xpath=ancestor::*[@data-line][1]").get_attribute("data-line"))
    assert lines == {"3", "145"}
    shot(page, "preview-seed-placeholder.png")


def test_print_layout_is_a4_without_the_panel(page, tmp_path: Path) -> None:
    open_preview(page, LEGACY_SOURCE, tmp_path)
    page.emulate_media(media="print")
    assert not page.locator("#findings").is_visible()
    assert page.locator('.finding[data-code="numbering-gap"]').is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "preview-seed.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 5
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]", pdf)  # A4 in points


def test_served_page_follows_a_clause_edit(page, tmp_path: Path) -> None:
    template = copy_project(tmp_path)
    clause = tmp_path / "clauses" / "huzhou" / "dispute-resolution.md"
    with serving(PreviewSource(template, template / "sample-data.yaml")) as server:
        page.goto(server.url)
        page.locator("#dispute-resolution").scroll_into_view_if_needed()
        scrolled = page.evaluate("window.scrollY")
        edit(clause, "# 争议解决", "# 争议的解决")
        page.wait_for_function("document.getElementById('dispute-resolution').textContent.includes('争议的解决')")
        page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) < 40")
        shot(page, "preview-serve-after-edit.png")
        original = clause.read_text(encoding="utf-8")
        clause.write_text(original + "\n{{ broken\n", encoding="utf-8")
        page.wait_for_selector("#build-error")
        assert "template-syntax" in page.locator("#build-error").inner_text()
        clause.write_text(original, encoding="utf-8")
        page.wait_for_selector("#dispute-resolution")
