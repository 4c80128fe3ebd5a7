"""The structured view of a DOCX's fields, bookmarks, TOCs, comments and revisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.readers.docx import docx_lines
from contractgen.readers.docxfields import docx_fields, parse_instruction
from docx_factory import build_docx, para
from test_docx_reader import build_case


@pytest.mark.parametrize("instruction, expected", [
    (" REF _Ref200 \\r \\h ", ("REF", ["_Ref200"], ["\\r", "\\h"])),
    (" PAGEREF _Toc1 \\h ", ("PAGEREF", ["_Toc1"], ["\\h"])),
    ("REF _Ref1 \\w \\h \\* MERGEFORMAT", ("REF", ["_Ref1"], ["\\w", "\\h", "\\* MERGEFORMAT"])),
    (' TOC \\o "1-3" \\h \\z \\u ', ("TOC", [], ['\\o "1-3"', "\\h", "\\z", "\\u"])),
    ("_Ref55 \\h", ("REF", ["_Ref55"], ["\\h"])),
    ("  ", ("", [], [])),
])
def test_parse_instruction(instruction: str, expected: tuple) -> None:
    assert parse_instruction(instruction) == expected


def test_ref_fields_with_cached_results(tmp_path: Path) -> None:
    fields = docx_fields(build_case("ref-field", tmp_path))
    refs = [(f.kind, f.bookmark, f.switches, f.cached, f.line) for f in fields.refs]
    assert refs == [
        ("REF", "_Ref200", ["\\r", "\\h"], "第二条", 3),
        ("PAGEREF", "_Ref200", ["\\h"], "3", 3),
        ("REF", "_Ref100", ["\\w", "\\h", "\\* MERGEFORMAT"], "第一条", 4),
    ]
    # a bookmark between paragraphs belongs to the paragraph that follows it
    assert fields.bookmarks == {"_Ref100": 1, "_Ref200": 2}


def test_fields_without_result_and_nested_fields(tmp_path: Path) -> None:
    fields = docx_fields(build_case("ref-field", tmp_path))
    others = [(f.kind, f.cached, f.line) for f in fields.fields if f.kind not in ("REF", "PAGEREF")]
    assert others == [("PAGE", "", 5), ("IF", "乙", 6), ("MERGEFIELD", "«x»", 6)]


def test_libreoffice_toc_in_content_control(tmp_path: Path) -> None:
    path = build_case("libreoffice-toc-sdt", tmp_path)
    fields = docx_fields(path)
    assert len(fields.tocs) == 1
    toc = fields.tocs[0]
    assert (toc.kind, toc.instruction, toc.lines) == ("sdt+field", 'TOC \\f \\o "1-9" \\h', [1, 2, 3, 4])
    assert toc.anchors == ["__RefHeading___Toc101", "__RefHeading___Toc102", "__RefHeading___Toc111"]
    lines = {ln.line: ln.text for ln in docx_lines(path)}
    assert all(anchor in fields.bookmarks for anchor in toc.anchors)
    assert lines[fields.bookmarks["__RefHeading___Toc111"]] == "第十一条 争议解决"
    assert [(ln.anchor, ln.text) for ln in fields.links][:1] == [("__RefHeading___Toc101", "第一条 定义\t1")]
    assert [(f.bookmark, f.cached) for f in fields.refs] == [("_Ref111", "第十一条")]


def test_word_toc_field_without_content_control(tmp_path: Path) -> None:
    """WPS and older Word write a bare TOC field whose entries hold PAGEREF fields."""
    def entry(text: str, bookmark: str, page: str, begin: str = "", end: str = "") -> str:
        return (f"<w:p>{begin}<w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r>"
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText> PAGEREF {bookmark} \\h </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f'<w:r><w:t>{page}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>{end}</w:p>')
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" \\h \\z </w:instrText>'
             '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    body = (para("目录") + entry("第一条 定义", "_Toc1", "1", begin=begin) + entry("第二条 费用", "_Toc2", "2")
            + end + '<w:p><w:bookmarkStart w:id="1" w:name="_Toc1"/><w:r><w:t>第一条 定义</w:t></w:r></w:p>')
    path = build_docx(tmp_path / "toc.docx", body)
    fields = docx_fields(path)
    assert [(t.kind, t.lines) for t in fields.tocs] == [("field", [2, 3])]
    assert [(f.bookmark, f.cached, f.line) for f in fields.refs] == [("_Toc1", "1", 2), ("_Toc2", "2", 3)]
    assert [ln.text for ln in docx_lines(path)] == ["目录", "第一条 定义\t1", "第二条 费用\t2", "第一条 定义"]
    assert fields.bookmarks == {"_Toc1": 4}


def test_comments_highlights_and_tracked_changes(tmp_path: Path) -> None:
    fields = docx_fields(build_case("tracked-changes", tmp_path))
    assert [(c.kind, c.author, c.text, c.line) for c in fields.changes] == [
        ("del", "张三", "一年", 1), ("ins", "李四", "两年", 1),
        ("del", "王五", "", 2), ("ins", "王五", "移入的句子。", 2),
        ("del", "张三", "整段删除", 3),  # its paragraph shows nothing: put on the next line
    ]
    assert fields.changes[0].date == "2024-01-02T00:00:00Z"
    assert [(h.color, h.text, h.line) for h in fields.highlights] == [("yellow", "待确认金额", 3)]
    assert [(c.id, c.author, c.text, c.line) for c in fields.comments] == [("7", "法务", "请核对付款节点。", 4)]


def test_document_without_fields(tmp_path: Path) -> None:
    fields = docx_fields(build_docx(tmp_path / "plain.docx", para("Plain.")))
    assert (fields.bookmarks, fields.fields, fields.tocs, fields.comments, fields.changes) == ({}, [], [], [], [])
