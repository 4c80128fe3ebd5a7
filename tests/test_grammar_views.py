"""The shared text grammar, the typed views readers fill on the model, and the DOCX
walker's typed events."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from contractgen.grammar import AttachmentHead, entry_key, parse_attachment_head
from contractgen.model import RegisterEntry, Suppression, TocEntry
from contractgen.readers import read_path
from contractgen.readers.contract_set import ContractSet, read_set
from contractgen.readers.docx import walk_docx
from contractgen.readers.docxevents import (BookmarkEndEvent, BookmarkEvent, ChangeEvent, CommentEvent,
                                            FieldEvent, HighlightEvent, LinkEvent)
from contractgen.views import DocxView, SetMembership
from docx_factory import build_docx, para

SRC = Path(__file__).resolve().parents[1] / "src" / "contractgen"


# --- attachment heads -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("附件一：服务费用", AttachmentHead("附件一", "附件", 1, "服务费用")),
    ("附件十二", AttachmentHead("附件十二", "附件", 12, "")),
    ("附表2 报价单", AttachmentHead("附表2", "附表", 2, "报价单")),
    ("Schedule 3 – Fees", AttachmentHead("Schedule 3", "Schedule", 3, "Fees")),
    ("Annex I(A)", AttachmentHead("Annex I", "Annex", 1, "(A)")),
    ("Exhibit B: Form of Notice", AttachmentHead("Exhibit B", "Exhibit", 2, "Form of Notice")),
])
def test_parse_attachment_head(text: str, expected: AttachmentHead) -> None:
    assert parse_attachment_head(text) == expected


@pytest.mark.parametrize("text", ["附件1份", "附件一式两份", "Schedule 3.2", "Annexes", "本合同附件"])
def test_not_an_attachment_head(text: str) -> None:
    """A count of copies, a dotted clause number, a plural word, or a mention mid-sentence."""
    assert parse_attachment_head(text) is None


def test_attachment_key_joins_series_that_number_together() -> None:
    """附件 and 附表 are one series; Schedule 3 and Exhibit 3 are different attachments."""
    keys = {t: parse_attachment_head(t).key for t in ("附件二", "附表2", "Schedule 3", "Exhibit 3", "Annex III")}
    assert keys == {"附件二": ("附件", 2), "附表2": ("附件", 2), "Schedule 3": ("schedule", 3),
                    "Exhibit 3": ("exhibit", 3), "Annex III": ("annex", 3)}


def test_attachment_head_is_immutable() -> None:
    head = parse_attachment_head("附件一")
    with pytest.raises(AttributeError):
        head.number = 2  # type: ignore[misc]


@pytest.mark.parametrize("entry, key", [
    (TocEntry(1, "第一条", "定义"), (1,)),
    (TocEntry(1, "1.", "Definitions"), (1,)),
    (TocEntry(2, "3.2", "Fees"), (3, 2)),
    (RegisterEntry("附表1", "报价单"), ("附件", 1)),
    (TocEntry(0, "", "主合同"), ("",)),
])
def test_entry_key(entry, key: tuple) -> None:
    assert entry_key(entry) == key


# --- suppressions -----------------------------------------------------------------------------

MARKDOWN = """\
第一条 服务
<!-- contractgen: ignore[unfilled-placeholder, numbering] -->
乙方____负责。

<!--contractgen:ignore[toc]-->
第三条 费用
"""


def test_markdown_reader_fills_one_suppression_per_comment(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = read_path(path)
    assert doc.suppressions == [
        Suppression(str(path), 3, ("unfilled-placeholder", "numbering")),
        Suppression(str(path), 6, ("toc",)),
    ]
    assert [s.comment_line for s in doc.suppressions] == [2, 5]
    assert "suppress" not in doc.meta


def test_text_reader_has_no_suppressions(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert read_path(path).suppressions == []


# --- contract sets ----------------------------------------------------------------------------

def test_a_set_concatenates_suppressions_and_docx_views_and_names_its_files(tmp_path: Path) -> None:
    main = tmp_path / "main.md"
    main.write_text("# 服务合同\n\n第一条 服务\n<!-- contractgen: ignore[toc] -->\n乙方负责。\n", encoding="utf-8")
    addendum = build_docx(tmp_path / "addendum.docx", para("补充协议") + para("第一条 变更"))
    annex = tmp_path / "annex.md"
    annex.write_text("附件1：服务标准\n\n<!-- contractgen: ignore[numbering-gap] -->\n1. 标准\n", encoding="utf-8")
    doc = read_set(ContractSet(main, [addendum], {1: annex}))
    assert [(Path(s.path).name, s.line, s.names) for s in doc.suppressions] == [
        ("main.md", 5, ("toc",)), ("annex.md", 4, ("numbering-gap",))]
    assert [Path(v.path).name for v in doc.docx] == ["addendum.docx"]
    assert doc.set_files == SetMembership(str(main), (str(addendum),), {1: str(annex)})
    assert doc.set_files.files == [str(main), str(addendum), str(annex)]
    assert not {"docx", "set", "suppress"} & set(doc.meta)


def test_a_single_docx_has_one_view_and_a_markdown_file_none(tmp_path: Path) -> None:
    docx = read_path(build_docx(tmp_path / "a.docx", para("第一条 服务")))
    md = tmp_path / "a.md"
    md.write_text("第一条 服务\n", encoding="utf-8")
    assert [type(v) for v in docx.docx] == [DocxView] and docx.set_files is None
    assert read_path(md).docx == []


# --- DOCX walker events -----------------------------------------------------------------------

EVENTS_BODY = (
    '<w:p><w:bookmarkStart w:id="1" w:name="_Ref1"/><w:r><w:t>第一条 服务</w:t></w:r>'
    '<w:bookmarkEnd w:id="1"/></w:p>'
    '<w:p><w:r><w:t>见</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText> REF _Ref1 \\r </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>第一条</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:hyperlink w:anchor="_Ref1"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'
    '<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>待定</w:t></w:r>'
    '<w:ins w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:t>新</w:t></w:r></w:ins>'
    '<w:del w:author="B" w:date="2024-01-02T00:00:00Z"><w:r><w:delText>旧</w:delText></w:r></w:del>'
    '<w:r><w:commentReference w:id="7"/></w:r></w:p>'
)


def test_walker_records_typed_events_with_offsets(tmp_path: Path) -> None:
    paras = walk_docx(build_docx(tmp_path / "e.docx", EVENTS_BODY)).paras
    assert paras[0].events == [BookmarkEvent("_Ref1", "1", 0), BookmarkEndEvent("1", len("第一条 服务"))]
    events = paras[1].events
    # a highlight is recorded where it ends: here at the inserted text that follows it
    assert [type(e) for e in events] == [FieldEvent, LinkEvent, ChangeEvent, HighlightEvent, ChangeEvent, CommentEvent]
    field_event = events[0]
    assert (field_event.record.instruction.strip(), field_event.record.result) == ("REF _Ref1 \\r", "第一条")
    assert events[1:] == [
        LinkEvent("_Ref1", "链接"),
        ChangeEvent("ins", "A", "2024-01-01T00:00:00Z", "新"),
        HighlightEvent("yellow", "待定", False),
        ChangeEvent("del", "B", "2024-01-02T00:00:00Z", "旧"),
        CommentEvent("7"),
    ]


# --- layering ---------------------------------------------------------------------------------

def _imported_modules(path: Path) -> set[str]:
    """The absolute contractgen module names a module imports (relative imports resolved)."""
    package = ["contractgen", *path.relative_to(SRC).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_checks_import_nothing_from_readers() -> None:
    offenders = {path.name: sorted(n for n in _imported_modules(path) if n.startswith("contractgen.readers"))
                 for path in sorted((SRC / "checks").glob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_import_scan_sees_reader_imports() -> None:
    """The scan above resolves relative imports, so it would catch ``from ..readers.x import y``."""
    assert "contractgen.readers.docxfields.collect_fields" in _imported_modules(SRC / "readers" / "docx.py")
    assert "contractgen.grammar.parse_attachment_head" in _imported_modules(SRC / "checks" / "toc.py")
