"""The HTML reader (readers/html.py): a page read as a browser shows it, checked as the same
contract is checked in the format it came from — our own previews of every bundled template,
pages LibreOffice and pandoc exported from the real-contract corpus, and the page features a
contract saved from a website has (inline markup, hidden text, <ol> numbers, tables)."""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TESTS
from contractgen.checking import check_file
from contractgen.diagnostics import UserError
from contractgen.pipeline import build, load_data, load_template, render_outputs
from contractgen.readers import read_path
from contractgen.readers.html import html_lines

HTML = TESTS / "data" / "html"
CORPUS = TESTS / "data" / "corpus"
TEMPLATES = sorted(p.parent for p in (ROOT / "templates").glob("*/contract.yaml"))


def _texts(source: str) -> list[tuple[str, int | None, int | None]]:
    return [(ln.text, ln.heading_level, ln.list_level) for ln in html_lines(source)]


def _findings(path: Path) -> collections.Counter:
    return collections.Counter((f.severity, f.code, f.message) for f in check_file(path))


# --- our own pages ------------------------------------------------------------------------

def _bilingual_in(layout: str, folder: Path) -> Path:
    shutil.copytree(ROOT / "templates" / "supply-agreement-bilingual", folder)
    spec = folder / "contract.yaml"
    text = spec.read_text(encoding="utf-8").replace("layout: side-by-side", f"layout: {layout}")
    spec.write_text(text.replace("output_name:", f"library: {ROOT / 'clauses'}\noutput_name:", 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", [p.name for p in TEMPLATES] + ["bilingual-interleaved", "bilingual-sequential"])
def test_our_html_is_checked_as_its_markdown_is(case: str, tmp_path: Path) -> None:
    """Nothing in our preview (the "Cited by" boxes, the two-column layout, a title beside
    its translation) reads as a finding the Markdown of the same contract does not give."""
    folder = _bilingual_in(case.split("-", 1)[1], tmp_path / "t") if case.startswith("bilingual-") \
        else ROOT / "templates" / case
    template = load_template(folder)
    data_file = next(p for p in sorted(folder.glob("*.yaml")) if p.name != "contract.yaml")
    _raw, data = load_data(template, data_file)
    built = build(template, data)
    for suffix, payload in render_outputs(built.doc, ["md", "html"]):
        (tmp_path / f"contract.{suffix}").write_bytes(payload)
    assert _findings(tmp_path / "contract.html") == _findings(tmp_path / "contract.md")
    doc = read_path(tmp_path / "contract.html")
    assert sum(1 for _ in doc.clauses()) == sum(1 for _ in read_path(tmp_path / "contract.md").clauses())


# --- pages other people's tools made ------------------------------------------------------

# The DOCX reader reports fill-ins and drafting notes its file highlights as highlighted
# leftovers; a page keeps no highlight, and the same text is then an unfilled placeholder or
# a drafting leftover. Everything else the page gives, the DOCX gives.
SAME_DEFECT = {"unfilled-placeholder", "drafting-leftover"}


@pytest.mark.parametrize("name", ["en-commonpaper-pilot", "zh-data-weituo-contract"])
def test_a_page_libreoffice_exported_gives_the_findings_of_its_docx(name: str) -> None:
    page, docx = _findings(HTML / f"{name}.html"), _findings(CORPUS / f"{name}.docx")
    extra = {key for key in page - docx if key[1] not in SAME_DEFECT}
    assert extra == set()
    structural = {"numbering-gap", "duplicate-number", "numbering-order", "dangling-reference",
                  "reference-title-mismatch", "toc-mismatch", "missing-attachment"}
    assert {k for k in page if k[1] in structural} == {k for k in docx if k[1] in structural}
    assert sum(1 for _ in read_path(HTML / f"{name}.html").clauses()) > 20


def test_a_page_pandoc_made_from_markdown_gives_its_findings() -> None:
    assert _findings(HTML / "en-bonterms-mnda.pandoc.html") == _findings(CORPUS / "en-bonterms-mnda.md")


def test_a_defect_planted_in_a_page_is_found(tmp_path: Path) -> None:
    """Recall on a page: an article deleted from LibreOffice's export of a Chinese model
    contract, and a reference to an article that is not there."""
    source = (HTML / "zh-data-weituo-contract.html").read_text(encoding="utf-8")
    assert source.count("第三条") >= 1 and "第五条" in source
    start = source.index("第三条")
    start = source.rindex("<p", 0, start)
    end = source.index("</p>", start) + 4
    planted = source[:start] + source[end:]
    path = tmp_path / "contract.html"
    path.write_text(planted, encoding="utf-8")
    before = _findings(HTML / "zh-data-weituo-contract.html")
    new = _findings(path) - before
    assert any(code == "numbering-gap" and "第二条 to 第四条" in message for severity, code, message in new), new


# --- what a page holds --------------------------------------------------------------------

def test_inline_markup_is_dropped_and_whitespace_collapses() -> None:
    page = ("<p class=MsoNormal><b><span style='font-family:宋体'>\n  &nbsp;1.1 本协议</span></b>"
            "<span>由<a href='#x'>双方</a>签订。</span><o:p></o:p></p>")
    assert _texts(page) == [("1.1 本协议由双方签订。", None, None)]


def test_what_the_page_does_not_show_is_not_read() -> None:
    page = ("<html><head><title>标题</title><style>p{}</style></head><body>"
            "<script>var x = '第九条';</script><p hidden>第八条 隐藏</p><p style='display: none'>第七条</p>"
            "<aside>Cited by 主合同 6.1</aside><template><p>第六条</p></template><p>第一条 可见</p></body></html>")
    assert _texts(page) == [("第一条 可见", None, None)]


def test_a_line_break_starts_a_line_and_a_heading_keeps_its_level() -> None:
    assert _texts("<h2>第一条 定义</h2><p>甲：某公司<br>乙：某公司</p>") == [
        ("第一条 定义", 2, None), ("甲：某公司", None, None), ("乙：某公司", None, None)]


def test_ordered_lists_show_the_numbers_a_browser_draws() -> None:
    page = ("<ol start='3'><li>Fees</li><li value='7'>Term<ol type='a'><li>first</li><li>second</li></ol></li>"
            "<li>Notices</li></ol><ul><li>a bullet</li></ul>"
            "<ol style='list-style-type: upper-roman'><li>One</li><li>Two</li></ol>"
            "<ol style='list-style-type: cjk-ideographic'><li>总则</li><li>费用</li></ol>")
    assert _texts(page) == [("3. Fees", None, 0), ("7. Term", None, 0), ("a. first", None, 1), ("b. second", None, 1),
                            ("8. Notices", None, 0), ("a bullet", None, None), ("I. One", None, 0), ("II. Two", None, 0),
                            ("一、总则", None, 0), ("二、费用", None, 0)]


def test_a_heading_in_a_list_item_takes_the_lists_depth() -> None:
    """Word's and LibreOffice's HTML put numbered headings in list items, at whatever heading
    level the paragraph style had (h2 and h3 in one list)."""
    page = "<ol><li><h1>Access</h1><ol><li><h2>Use</h2></li><li><h3>License</h3></li></ol></li></ol>"
    assert _texts(page) == [("1. Access", None, 0), ("1. Use", None, 1), ("2. License", None, 1)]


def test_a_table_cell_is_read_at_its_rows_line() -> None:
    page = "<table>\n<tr><td>甲方</td><td>某公司</td></tr>\n<tr><td><p>地址</p><p>邮编</p></td><td>杭州</td></tr>\n</table>"
    lines = html_lines(page)
    assert [(ln.text, ln.line, ln.in_table) for ln in lines] == [
        ("甲方", 2, True), ("某公司", 2, True), ("地址", 3, True), ("邮编", 3, True), ("杭州", 3, True)]
    assert len({ln.list_id for ln in lines}) == 1


def test_a_title_beside_its_translation_is_one_heading_but_two_articles_stay_two() -> None:
    page = ("<hgroup><h1>设备供货合同</h1><h1>Equipment Supply Agreement</h1></hgroup>"
            "<div><div lang=zh><h2>主合同</h2></div><div lang=en><h2>Main Agreement</h2></div></div>"
            "<div><div><h3>第一条 定义</h3></div><div><h3>Article 1 Definitions</h3></div></div>")
    assert _texts(page) == [("设备供货合同 Equipment Supply Agreement", 1, None), ("主合同 Main Agreement", 2, None),
                            ("第一条 定义", 3, None), ("Article 1 Definitions", 3, None)]


def test_the_pages_charset_is_used(tmp_path: Path) -> None:
    page = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head>" \
           "<body><p>第一条 服务内容</p><p>乙方应按时提供服务。</p></body></html>"
    path = tmp_path / "gb.html"
    path.write_bytes(page.encode("gb18030"))
    doc = read_path(path)
    assert [c.title for _, c in doc.clauses()] == ["服务内容"] and doc.lang == "zh"
    xhtml = tmp_path / "x.htm"
    xhtml.write_text("<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'>"
                     "<body><h1>Article 1 Scope</h1><p>Text.</p></body></html>", encoding="utf-8")
    assert [c.title for _, c in read_path(xhtml).clauses()] == ["Scope"]


def test_an_empty_or_binary_page_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("  \n", encoding="utf-8")
    assert list(read_path(empty).clauses()) == []
    binary = tmp_path / "binary.html"
    binary.write_bytes(b"\x00\x01PK\x03\x04" * 100)
    with pytest.raises(UserError, match="binary.html"):
        read_path(binary)


def test_a_minified_page_is_read_and_a_page_too_big_is_refused(tmp_path: Path) -> None:
    from contractgen.limits import LIMITS

    text = "乙方应按时提供服务。" * 20
    paragraphs = f"<p>{text}</p>" * (LIMITS.paragraph_chars // len(text) + 1)
    minified = tmp_path / "minified.html"
    minified.write_text(f"<html><body>{paragraphs}</body></html>", encoding="utf-8")  # one line of the file
    assert len(minified.read_text(encoding="utf-8")) > LIMITS.paragraph_chars
    assert sum(len(p.blocks) for p in read_path(minified).parts) > LIMITS.paragraph_chars // len(text)
    huge = tmp_path / "huge.html"
    huge.write_text("<p>" + "长" * (LIMITS.paragraph_chars + 1) + "</p>", encoding="utf-8")
    with pytest.raises(UserError, match="huge.html: (a paragraph of|the page holds a text of more than)"):
        read_path(huge)
    for depth, message in ((LIMITS.xml_depth + 5, "nested more than 200 deep"), (1000, "nested more than 255 deep")):
        deep = tmp_path / f"deep{depth}.html"
        deep.write_text("<div>" * depth + "第一条 内容" + "</div>" * depth, encoding="utf-8")
        with pytest.raises(UserError, match=f"deep{depth}.html: .*{message}"):
            read_path(deep)


def test_closed_details_and_dialogs_reversed_lists_and_footnote_marks_read_as_shown() -> None:
    page = ("<p>第一条 定义</p><details><summary>历史版本</summary><p>第二条 旧条款</p></details>"
            "<dialog><p>第二条 弹窗</p></dialog><details open><p>第二条 费用</p></details>"
            "<ol reversed><li>Fees</li><li>Term</li></ol><p>As stated in Section 2.1<sup>3</sup>, fees apply.</p>")
    assert [t for t, _, _ in _texts(page)] == ["第一条 定义", "历史版本", "第二条 费用", "2. Fees", "1. Term",
                                              "As stated in Section 2.1 3, fees apply."]
