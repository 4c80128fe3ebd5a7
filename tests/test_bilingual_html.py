"""The HTML page (and `contractgen preview`) of a bilingual contract (issue 21), from the dev
fixture tests/data/bilingual-template in each layout: both languages, each language's
text inside an element with its ``lang``, unique ids, links that land; side by side a
grid row per unit that stacks on a phone without sideways scroll, and keeps together in
print (Chromium, marked e2e); a parity finding placed at its element in the preview.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from bilingual_layouts import LAYOUTS, built, template_copy
from contractgen.commands.preview import PreviewSource, render_preview
from web_support import DESKTOP, PHONE, assert_fits, browser, new_page  # noqa: F401

_VOID = {"meta", "br", "img", "hr", "input", "link"}


class _Page(HTMLParser):
    """Ids, links, and each text run with the ``lang`` of its nearest element that has one."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.texts: list[tuple[str, str]] = []  # (lang, text)
        self.pairs: list[list[str | None]] = []  # side by side: the langs of each grid row's columns

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.links.append(unquote(attrs["href"][1:]))
        classes = (attrs.get("class") or "").split()
        parent = self.stack[-1] if self.stack else None
        if "col" in classes and parent and "pair" in (parent[1].get("class") or "").split():
            self.pairs[-1].append(attrs.get("lang"))
        if "pair" in classes:
            self.pairs.append([])
        if tag not in _VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag) -> None:
        if tag in _VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data) -> None:
        if data.strip() and not any(tag in ("style", "script", "title") for tag, _ in self.stack):
            lang = next((a["lang"] for _, a in reversed(self.stack) if a.get("lang")), "")
            self.texts.append((lang, data.strip()))

    def lang_of(self, text: str) -> str:
        return next(lang for lang, t in self.texts if text in t)


def parsed(html: bytes) -> _Page:
    page = _Page()
    page.feed(html.decode("utf-8"))
    return page


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, bytes]:
    return {layout: built(tmp_path_factory.mktemp(layout), layout, ("html",))["html"] for layout in LAYOUTS}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_language_is_in_an_element_of_its_lang(pages, layout: str) -> None:
    page = parsed(pages[layout])
    assert page.lang_of("卖方应按照") == "zh-CN"
    assert page.lang_of("The Seller shall deliver the goods") == "en"
    assert page.lang_of("Schedule 1") == "en" and page.lang_of("List of Goods") == "en"
    assert page.lang_of("货物清单") == "zh-CN"
    assert page.lang_of("Supply Agreement") == "en"  # the title, in each language


@pytest.mark.parametrize("layout", LAYOUTS)
def test_ids_are_unique_and_every_link_lands(pages, layout: str) -> None:
    page = parsed(pages[layout])
    assert len(page.ids) == len(set(page.ids)), sorted(i for i in page.ids if page.ids.count(i) > 1)
    assert page.links and set(page.links) <= set(page.ids)
    assert {"goods", "en-goods", "goods-list", "en-goods-list"} <= set(page.ids)


def test_side_by_side_is_a_grid_row_per_unit_chinese_then_english(pages) -> None:
    page = parsed(pages["side-by-side"])
    assert page.pairs and all(p == ["zh-CN", "en"] for p in page.pairs), page.pairs
    # the part headings, the preamble's three paragraphs and TOC, 3 articles and 6 sections, the schedule
    assert len(page.pairs) == 2 + 4 + 9 + 1
    assert b'class="pair"' not in pages["interleaved"] and b'class="pair"' not in pages["sequential"]


def test_sequential_gives_each_text_its_title_and_toc(pages) -> None:
    html = pages["sequential"].decode("utf-8")
    zh_toc, en_toc = html.index(">目录<"), html.index(">Contents<")
    assert html.index('<span class="title-line" lang="zh-CN">供货合同</span>') < zh_toc
    assert zh_toc < html.index("数控车床") < html.index('<span class="title-line" lang="en">Supply Agreement</span>') < en_toc


def test_preview_places_a_parity_finding_at_its_element_in_the_grid(tmp_path: Path) -> None:
    template = template_copy(tmp_path, "side-by-side")
    payment = template.parent / "clauses" / "mini" / "payment.en.md"
    text = payment.read_text(encoding="utf-8")
    assert "within {{ payment_days }} days" in text
    payment.write_text(text.replace("within {{ payment_days }} days", "within 15 days"), encoding="utf-8")
    html, findings = render_preview(PreviewSource(template, template / "data.yaml"))
    assert [f.code for f in findings] == ["bilingual-period-mismatch"]
    assert "payment.en.md" in findings[0].message  # it stands at the Chinese line and names the English one
    page = html.decode("utf-8")
    row = page[page.index("2.2</span>"):]
    row = row[:row.index("</div></div>")]  # the grid row of 2.2: its Chinese column, then its English one
    zh, en = row.split('<div class="col" lang="en">')
    assert "30日内付款" in zh and 'data-code="bilingual-period-mismatch"' in zh
    assert "within 15 days" in en and "finding" not in en
    assert 'class="finding-list"' in page  # and the panel lists it


# --- in Chromium --------------------------------------------------------------------------

_BOXES = """() => [...document.querySelectorAll('div.pair')].filter(p => p.textContent.includes('2.2'))
  .map(p => [...p.children].map(c => { const b = c.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height}; }))[0]"""


@pytest.mark.e2e
def test_side_by_side_columns_sit_beside_each_other_and_stack_on_a_phone(browser, pages, tmp_path: Path) -> None:
    path = tmp_path / "side-by-side.html"
    path.write_bytes(pages["side-by-side"])
    for viewport in (DESKTOP, PHONE):
        page = new_page(browser, viewport)
        try:
            page.goto(path.as_uri())
            zh, en = page.evaluate(_BOXES)
            if viewport is DESKTOP:
                assert en["x"] >= zh["x"] + zh["w"] and abs(en["y"] - zh["y"]) < 1
            else:
                assert_fits(page)
                assert en["y"] >= zh["y"] + zh["h"] and abs(en["x"] - zh["x"]) < 1
            page.emulate_media(media="print")
            assert page.evaluate("() => getComputedStyle(document.querySelector('div.pair')).breakInside") == "avoid"
        finally:
            page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("layout", ["interleaved", "sequential"])
def test_flowing_layouts_fit_a_phone(browser, pages, tmp_path: Path, layout: str) -> None:
    path = tmp_path / f"{layout}.html"
    path.write_bytes(pages[layout])
    page = new_page(browser, PHONE)
    try:
        page.goto(path.as_uri())
        assert_fits(page)
    finally:
        page.context.close()
