"""The preview page's stylesheet (writers/html.css) in Debian's Chromium: usable on a
390 px phone — no sideways scroll of the page, tables keep readable columns or scroll in
their own box, the findings panel fits — and printed on A4 with page numbers.

Skipped without /usr/bin/chromium (or pdftotext for the print test), except in CI.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from contractgen.commands.preview import PreviewSource, render_preview

from conftest import require_tool
from preview_support import ENGLISH, LEGACY_SOURCE, SAMPLE_SOURCE
from web_support import ARTIFACTS, DESKTOP, PHONE, assert_fits, browser, new_page, shot, tables  # noqa: F401

pytestmark = pytest.mark.e2e

ENGLISH_SOURCE = PreviewSource(ENGLISH, ENGLISH / "sample-data.yaml")
CASES = {"sample": SAMPLE_SOURCE, "english": ENGLISH_SOURCE, "seed": LEGACY_SOURCE}
# A table cell narrower than this shows two or three CJK characters a line.
MIN_CELL_PX = 80


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("preview-layout")
    out = {}
    for name, source in CASES.items():
        out[name] = folder / f"{name}.html"
        out[name].write_bytes(render_preview(source)[0])
    return out


def opened(browser, path: Path, viewport: dict):
    page = new_page(browser, viewport)
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("name", sorted(CASES))
def test_phone_page_does_not_scroll_sideways(browser, pages, name: str) -> None:
    page = opened(browser, pages[name], PHONE)
    try:
        assert_fits(page)
        panel = page.locator("section.panel").bounding_box()
        assert panel is not None and panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
        # The contract uses the screen: no A4 margins around a 240 px column.
        text_width = page.evaluate("""() => { const m = document.querySelector('main.contract'), s = getComputedStyle(m);
            return m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }""")
        assert text_width >= 340
        shot(page, f"preview-{name}-390.png")
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["sample", "english"])
def test_phone_tables_keep_readable_columns_or_scroll(browser, pages, name: str) -> None:
    page = opened(browser, pages[name], PHONE)
    try:
        found = tables(page)
        assert found, "the sample has tables"
        for table in found:
            assert table["right"] <= PHONE["width"], table
            assert table["narrowest"] >= MIN_CELL_PX, table
        if name == "sample":  # 附件三's KPI table has four columns: too wide for 390 px, so it scrolls
            kpi = page.locator("table", has_text="首次响应时间")
            assert kpi.evaluate("t => t.scrollWidth > t.clientWidth")
            before = kpi.evaluate("t => t.scrollLeft")
            kpi.evaluate("t => t.scrollBy(200, 0)")
            assert kpi.evaluate("t => t.scrollLeft") > before
            kpi.scroll_into_view_if_needed()
            shot(page, "preview-sample-kpi-table-390.png")
    finally:
        page.context.close()


def test_desktop_tables_are_plain_tables(browser, pages) -> None:
    page = opened(browser, pages["sample"], DESKTOP)
    try:
        assert_fits(page)
        for table in tables(page):
            assert not table["scrolls"] and table["narrowest"] >= MIN_CELL_PX, table
        assert page.evaluate("getComputedStyle(document.querySelector('table')).display") == "table"
    finally:
        page.context.close()


def test_phone_long_unbroken_text_wraps(browser, tmp_path: Path) -> None:
    """A long run without spaces (an account number, a URL, a Latin word) wraps inside the page."""
    source = tmp_path / "long.md"
    source.write_text("# 合同\n\n## 第一条 账户\n\n1.1 账号：" + "6222" * 40 + "，网址 https://example.com/"
                      + "a" * 120 + "。\n", encoding="utf-8")
    path = tmp_path / "long.html"
    path.write_bytes(render_preview(PreviewSource(source))[0])
    page = opened(browser, path, PHONE)
    try:
        assert_fits(page)
    finally:
        page.context.close()


def pdf_text(pdf: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("name,footer", [("sample", "第 {n} 页 共 {total} 页"), ("english", "Page {n} of {total}")],
                         ids=["zh", "en"])
def test_print_has_page_numbers_in_the_contract_language(browser, pages, name: str, footer: str) -> None:
    page = opened(browser, pages[name], DESKTOP)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = ARTIFACTS / f"preview-{name}-print.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    finally:
        page.context.close()
    text = pdf_text(pdf)
    pages_text = text.split("\f")
    pages_text = [p for p in pages_text if p.strip()]
    total = len(pages_text)
    assert total >= 5
    for n, one in enumerate(pages_text, start=1):
        expected = footer.format(n=n, total=total)
        assert re.search(re.escape(expected) + r"\s*$", one), f"page {n} does not end with {expected!r}"
