"""The DOCX reader: legacy Word/WPS/LibreOffice files read as the text Word shows.

Each folder under tests/data/docx/ is one case: the inner XML of ``w:body`` (body.xml) and,
when the case needs them, of styles.xml, numbering.xml and comments.xml; expected.txt holds
one line per line read, ``flags | text`` (flags: auto = Word numbering, lN@L = list level N
of list L, table = table cell, hN = heading level N, - = none). Add a case by adding a folder; `make golden` rewrites the
expected files for review.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import TESTS, compare_golden
from contractgen.diagnostics import UserError
from contractgen.model import Clause
from contractgen.readers.docx import docx_lines, read_docx
from contractgen.readers.lines import Line
from contractgen.readers.wordnum import format_number
from docx_factory import build_case as build_folder_case, build_docx, level, numbering_xml, para

CASES = TESTS / "data" / "docx"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "body.xml").exists())


def build_case(name: str, dest: Path) -> Path:
    return build_folder_case(CASES / name, dest)


def render(lines: list[Line]) -> str:
    out = []
    for ln in lines:
        flags = ["auto"] if ln.auto_number else []
        flags += [f"l{ln.list_level}@{ln.list_id}"] if ln.list_level is not None else []
        flags += ["table"] if ln.in_table else []
        flags += [f"h{ln.heading_level}"] if ln.heading_level is not None else []
        out.append(f"{','.join(flags) or '-'} | {ln.text}\n")
    return "".join(out)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, tmp_path: Path) -> None:
    lines = docx_lines(build_case(name, tmp_path))
    assert [ln.line for ln in lines] == list(range(1, len(lines) + 1))
    compare_golden(render(lines), CASES / name / "expected.txt")


def test_cases_exist() -> None:
    assert len(CASE_NAMES) >= 12


ARTICLES = numbering_xml({0: [level(0, "chineseCountingThousand", "第%1条", extra='<w:suff w:val="space"/>')]},
                         {1: 0})


@pytest.mark.parametrize("count, expected", [
    (1, "第一条"), (10, "第十条"), (11, "第十一条"), (20, "第二十条"), (21, "第二十一条"),
    (99, "第九十九条"), (100, "第一百条"), (101, "第一百零一条"),
])
def test_chinese_article_numbers_at_their_counts(tmp_path: Path, count: int, expected: str) -> None:
    body = "".join(para(f"条款{i}", num=(1, 0)) for i in range(1, 102))
    lines = docx_lines(build_docx(tmp_path / "a.docx", body, numbering=ARTICLES))
    assert lines[count - 1].text == f"{expected} 条款{count}"
    assert lines[count - 1].auto_number


@pytest.mark.parametrize("fmt, values", [
    ("decimal", {1: "1", 12: "12"}),
    ("decimalZero", {1: "01", 12: "12"}),
    ("upperLetter", {1: "A", 26: "Z", 27: "AA", 28: "BB"}),
    ("lowerLetter", {3: "c"}),
    ("upperRoman", {4: "IV", 9: "IX", 14: "XIV", 1994: "MCMXCIV"}),
    ("lowerRoman", {3: "iii"}),
    ("chineseCounting", {1: "一", 10: "十", 15: "十五", 20: "二十", 101: "一〇一"}),
    ("chineseCountingThousand", {10: "十", 19: "十九", 101: "一百零一", 110: "一百一十"}),
    ("taiwaneseCountingThousand", {1: "一", 11: "十一", 99: "九十九"}),
    ("ideographTraditional", {1: "甲", 4: "丁", 10: "癸", 11: "11"}),
    ("decimalEnclosedCircle", {1: "①", 20: "⑳", 21: "21"}),
    ("decimalFullWidth", {12: "１２"}),
    ("none", {5: ""}),
    ("someFutureFormat", {7: "7"}),
])
def test_format_number(fmt: str, values: dict[int, str]) -> None:
    assert {n: format_number(n, fmt) for n in values} == values


def test_zero_prints_as_zero() -> None:
    assert (format_number(0, "decimal"), format_number(0, "chineseCountingThousand")) == ("0", "〇")


def test_read_docx_builds_clauses_from_word_numbers(tmp_path: Path) -> None:
    doc = read_docx(build_case("hidden-mark-counts", tmp_path), lang="zh")
    numbers = [c.number_text for _, c in doc.clauses()]
    assert numbers[:2] == ["第一条", "1.1"]
    assert "第二条" in numbers
    assert doc.source == str(tmp_path / "hidden-mark-counts.docx")
    assert all(isinstance(c, Clause) for _, c in doc.clauses())


def test_python_docx_file_reads(tmp_path: Path) -> None:
    """A file python-docx writes (its own template, styles by id "Heading1") reads too."""
    import docx

    document = docx.Document()
    document.add_heading("Definitions", level=1)
    document.add_paragraph("Plain text.")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "{{ party }}"
    document.save(tmp_path / "p.docx")
    lines = docx_lines(tmp_path / "p.docx")
    assert [(ln.text, ln.heading_level, ln.in_table) for ln in lines] == [
        ("Definitions", 1, False), ("Plain text.", None, False), ("{{ party }}", None, True)]


def test_not_a_zip_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an OLE .doc renamed")
    with pytest.raises(UserError, match=r"old\.docx: not a DOCX file"):
        docx_lines(path)


def test_zip_without_document_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/styles.xml", "<x/>")
    with pytest.raises(UserError, match=r"empty\.docx: not a Word document \(no word/document\.xml"):
        docx_lines(path)


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"nope\.docx: no such file"):
        docx_lines(tmp_path / "nope.docx")


def test_malformed_xml_is_a_user_error(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "bad.docx", "<w:p><w:r><w:t>unclosed</w:r></w:p>")
    with pytest.raises(UserError, match=r"bad\.docx: damaged DOCX: word/document\.xml"):
        docx_lines(path)


def test_document_part_found_through_relationships(tmp_path: Path) -> None:
    """Some producers name the main part differently; _rels/.rels says where it is."""
    path = tmp_path / "renamed.docx"
    src = build_docx(tmp_path / "src.docx", para("hello"))
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.namelist():
            data = old.read(item)
            if item == "_rels/.rels":
                data = data.replace(b"word/document.xml", b"word/document2.xml")
            new.writestr("word/document2.xml" if item == "word/document.xml" else item, data)
    assert [ln.text for ln in docx_lines(path)] == ["hello"]


SECTION_STYLES = (CASES / "section-break-paragraph" / "styles.xml").read_text(encoding="utf-8")
SECTION_NUMBERING = (CASES / "section-break-paragraph" / "numbering.xml").read_text(encoding="utf-8")
SECTION_BREAK = '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:pPr></w:p>'


def _baa_like(tmp_path: Path, cited: str) -> Path:
    """The shape of en-commonpaper-baa.docx: a cover page, then an empty heading carrying the
    section break, then the numbered standard terms citing each other by number."""
    body = (para("Business Associate Agreement") + para("Cover Page") + SECTION_BREAK
            + para("Business Associate Obligations", style="Heading1")
            + para("Safeguards. Provider will implement safeguards.", style="Heading2")
            + para("Breach Notification", style="Heading1")
            + para("Breach Reporting. Provider will report each Security Incident.", style="Heading2")
            + para(f"Unsuccessful Attempts. This is sufficient notice under Section {cited}.", style="Heading2"))
    return build_docx(tmp_path / "baa.docx", body, styles=SECTION_STYLES, numbering=SECTION_NUMBERING)


def test_sections_after_an_empty_section_break_heading_keep_their_numbers(tmp_path: Path) -> None:
    """LibreOffice does not count the empty heading that carries the section break, and the
    contract's own references agree: "Section 2.1" is Breach Reporting, not a dangling one."""
    from contractgen.checking import check_file

    lines = docx_lines(_baa_like(tmp_path, "2.1"))
    assert [ln.text for ln in lines if ln.auto_number][:3] == [
        "1. Business Associate Obligations", "1.1 Safeguards. Provider will implement safeguards.",
        "2. Breach Notification"]
    numbering = ("dangling-reference", "reference-title-mismatch", "numbering-gap")
    assert [f.code for f in check_file(tmp_path / "baa.docx") if f.code in numbering] == []
    wrong = [f.message for f in check_file(_baa_like(tmp_path, "3.1")) if f.code == "dangling-reference"]
    assert wrong == ["reference to Section 3.1, which does not exist"]


def test_soft_line_break_starts_a_heading_line(tmp_path: Path) -> None:
    """第十一条 after a w:br in the paragraph of 第十条 is an article of its own."""
    body = ('<w:p><w:r><w:t>第十条 保密</w:t><w:br/><w:t>双方应保守秘密。</w:t><w:br/>'
            '<w:t>第十一条 争议解决</w:t></w:r></w:p>' + para("因本合同发生的争议，提交仲裁。"))
    doc = read_docx(build_docx(tmp_path / "br.docx", body), lang="zh")
    assert [(c.number_text, c.title, c.pos.line) for _, c in doc.clauses()] == [
        ("第十条", "保密", 1), ("第十一条", "争议解决", 3)]


def test_table_cells_are_lines_of_their_own(tmp_path: Path) -> None:
    cell = "".join(f"<w:tc>{para(t)}</w:tc>" for t in ("甲方", "____"))
    body = para("第一条 总则") + f"<w:tbl><w:tr>{cell}</w:tr><w:tr>{cell}</w:tr></w:tbl>" + para("第二条 其他")
    lines = docx_lines(build_docx(tmp_path / "t.docx", body))
    assert [(ln.line, ln.in_table) for ln in lines] == [
        (1, False), (2, True), (3, True), (4, True), (5, True), (6, False)]


def test_word_list_levels_and_lists_reach_the_lines(tmp_path: Path) -> None:
    """Each auto-numbered line carries its effective w:ilvl and the abstract list it counts
    in: two w:num sharing an abstract list are one list; a startOverride restart a new one."""
    numbering = numbering_xml({0: [level(0, "decimal", "%1."), level(1, "decimal", "%1.%2")]}, {1: 0, 2: 0})
    numbering += ('<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
                  '<w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    body = (para("A", num=(1, 0)) + para("a", num=(2, 1)) + para("not in a list")
            + para("B", num=(2, 0)) + para("C", num=(3, 0)) + para("c", num=(3, 1)))
    lines = docx_lines(build_docx(tmp_path / "l.docx", body, numbering=numbering))
    assert [(ln.text, ln.list_level, ln.list_id) for ln in lines] == [
        ("1. A", 0, "a0"), ("1.1 a", 1, "a0"), ("not in a list", None, None),
        ("2. B", 0, "a0"), ("1. C", 0, "a0/1"), ("1.1 c", 1, "a0/1")]


def test_a_finding_in_a_table_cell_reports_the_cell_line(tmp_path: Path) -> None:
    from contractgen.checking import check_file

    cell = lambda text: f"<w:tc>{para(text)}</w:tc>"  # noqa: E731
    rows = "".join(f"<w:tr>{cell(a)}{cell(b)}</w:tr>" for a, b in (("甲方", "某公司"), ("日期", "____年__月__日")))
    body = para("第一条 总则") + f"<w:tbl>{rows}</w:tbl>" + para("第二条 其他")
    found = [f.line for f in check_file(build_docx(tmp_path / "cell.docx", body)) if f.code == "unfilled-placeholder"]
    assert found == [5]
