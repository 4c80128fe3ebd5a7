"""The DOCX writer on the real sample templates: schema validity, goldens, determinism,
live references after reordering clauses, numbering definitions, core properties."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from contractgen.model import AttachmentRegister, Clause, Part, Toc
from contractgen.writers import get_writer
from contractgen.writers.docx import DocxWriter

from conftest import ROOT, SAMPLE, TESTS, compare_golden
from docx_inspect import (W, bookmarked_paragraphs, fields, numbering_of, paragraph_text, pretty,
                          read_part, style_numbering)
from helpers import build

GOLDEN = TESTS / "data" / "docx_golden"
TEMPLATES = {p.name: p for p in sorted((ROOT / "templates").iterdir()) if (p / "contract.yaml").exists()}
GOLDEN_PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")


@pytest.fixture(scope="module")
def sample_doc():
    return build(SAMPLE, check=False)


@pytest.fixture(scope="module")
def sample_docx(sample_doc) -> bytes:
    return DocxWriter().render(sample_doc)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_docx_passes_the_ooxml_validator(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(DocxWriter().render(build(TEMPLATES[name], check=False)))
    result = OpenXmlValidator().validate(str(path))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("part", GOLDEN_PARTS)
def test_docx_parts_match_golden(name: str, part: str) -> None:
    data = DocxWriter().render(build(TEMPLATES[name], check=False))
    compare_golden(pretty(read_part(data, part)), GOLDEN / name / Path(part).name)


def test_building_twice_gives_identical_bytes(sample_doc) -> None:
    first = DocxWriter().render(sample_doc)
    second = DocxWriter().render(build(SAMPLE, check=False))
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_get_writer_returns_the_docx_writer() -> None:
    writer = get_writer("docx", reference_docx=None)
    assert isinstance(writer, DocxWriter)
    assert writer.suffix == "docx"


def _target_heading(target: Clause | Part) -> str:
    return target.title if isinstance(target, Part) or target.title else ""


def assert_refs_are_live(doc, data: bytes) -> int:
    """Each REF field's bookmark starts in the heading of the reference's target, and the
    cached text is that target's number; returns how many fields were checked."""
    document = read_part(data, "word/document.xml")
    marks = bookmarked_paragraphs(document)
    by_style = style_numbering(data)
    refs = [f for f in fields(document) if f.instruction.startswith("REF ")]
    expected = [r for r in doc.refs() if r.target is not None]
    expected += [e for _, b in doc.blocks() if isinstance(b, AttachmentRegister) for e in b.entries]
    assert len(refs) == len(expected) > 0
    by_text = {}
    for ref in expected:
        by_text.setdefault(ref.target.number_text, set()).add(_target_heading(ref.target))
    for field in refs:
        name = field.instruction.split()[1]
        assert re.fullmatch(r"_Ref\d{9}", name)
        assert field.instruction.endswith("\\r \\h")
        heading = marks[name]
        assert numbering_of(heading, by_style) is not None, "a REF \\r target must be a numbered paragraph"
        assert field.cached in by_text
        titles = by_text[field.cached] - {""}
        if titles:
            assert paragraph_text(heading) in titles
    return len(refs)


def test_every_ref_field_points_at_its_heading(sample_doc, sample_docx) -> None:
    assert assert_refs_are_live(sample_doc, sample_docx) >= 20


def _moved_dispute_resolution(tmp_path: Path) -> Path:
    """A copy of the sample with 争议解决 moved up to be the main contract's second article."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "clauses", root / "clauses")
    template = root / "templates" / SAMPLE.name
    shutil.copytree(SAMPLE, template)
    spec = template / "contract.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace("      - huzhou/dispute-resolution\n", "")
    text = text.replace("      - huzhou/definitions\n",
                        "      - huzhou/definitions\n      - huzhou/dispute-resolution\n")
    spec.write_text(text, encoding="utf-8")
    return template


def test_reordered_clauses_move_bookmarks_and_cached_numbers(tmp_path: Path) -> None:
    doc = build(_moved_dispute_resolution(tmp_path), check=False)
    data = DocxWriter().render(doc)
    assert_refs_are_live(doc, data)
    document = read_part(data, "word/document.xml")
    marks = bookmarked_paragraphs(document)
    dispute = [f for f in fields(document) if f.instruction.startswith("REF ")
               and paragraph_text(marks[f.instruction.split()[1]]) == "争议解决"]
    assert dispute, "the addendum cites the dispute-resolution article"
    assert {f.cached for f in dispute} == {"第二条"}
    assert all("本合同第二条" in paragraph_text(f.paragraph) for f in dispute)


def test_toc_is_a_field_with_an_entry_per_heading(sample_doc, sample_docx) -> None:
    """One TOC field of levels 1–2 without page numbers (``\\n``); each entry links to the
    heading it lists; Word is not asked to update fields on opening."""
    document = read_part(sample_docx, "word/document.xml")
    found = fields(document)
    toc = [f for f in found if f.instruction.startswith("TOC ")]
    assert [f.instruction for f in toc] == ['TOC \\o "1-2" \\h \\z \\u \\n']
    assert not [f for f in found if f.instruction.startswith("PAGEREF ")]
    marks = bookmarked_paragraphs(document)
    entries = [e for _, b in sample_doc.blocks() if isinstance(b, Toc) for e in b.entries if e.level <= 2]
    anchors = re.findall(rb'<w:hyperlink w:anchor="(_Toc\d+)"', document)
    assert len(anchors) == len(entries) > 30
    for anchor, entry in zip(anchors, entries):
        assert paragraph_text(marks[anchor.decode()]) == entry.title  # numbers are list labels, not text
    settings = read_part(sample_docx, "word/settings.xml").decode()
    assert "updateFields" not in settings


def test_numbering_uses_chinese_articles_and_decimal_sections(sample_docx) -> None:
    numbering = read_part(sample_docx, "word/numbering.xml").decode()
    assert '<w:numFmt w:val="chineseCountingThousand"/><w:suff w:val="space"/><w:lvlText w:val="第%1条"/>' in numbering
    # legal style: 1.1 under 第一条, not 一.1 (Word, WPS, LibreOffice >= 24.2)
    for text in ("%1.%2", "%1.%2.%3"):
        # a tab after the label to the hanging indent: wrapped lines start under the text
        assert f'<w:isLgl/><w:suff w:val="tab"/><w:lvlText w:val="{text}"/>' in numbering
    assert '<w:lvlText w:val="附件%1"/>' in numbering
    assert "vanish" not in read_part(sample_docx, "word/document.xml").decode()  # no hidden helpers


def test_each_part_has_lists_of_its_own(sample_doc, sample_docx) -> None:
    """Addenda and attachments restart: their paragraphs use numIds no other part uses."""
    document = read_part(sample_docx, "word/document.xml")
    numbering = read_part(sample_docx, "word/numbering.xml").decode()
    by_style = style_numbering(sample_docx)
    ids = [numbering_of(p, by_style) for p in etree.fromstring(document).iter(f"{W}p")]
    num_ids = {i[0] for i in ids if i}
    numbered_parts = [p for p in sample_doc.parts if p.kind != "cover"]
    # main and addendum: one list each; attachments: one each plus the shared 附件 list
    assert len(num_ids) == 2 + (len(numbered_parts) - 2) + 1
    assert numbering.count("<w:abstractNum ") == len(num_ids)


def test_english_numbering_is_one_decimal_list() -> None:
    data = DocxWriter().render(build(TEMPLATES["services-agreement-en"], check=False))
    numbering = read_part(data, "word/numbering.xml").decode()
    assert '<w:lvlText w:val="Article %1"/>' in numbering
    assert '<w:lvlText w:val="Section %1.%2"/>' in numbering
    assert "chineseCounting" not in numbering
    assert "第 " not in read_part(data, "word/footer1.xml").decode()


def test_core_properties_carry_title_number_and_template(sample_doc, sample_docx) -> None:
    core = read_part(sample_docx, "docProps/core.xml").decode()
    meta = sample_doc.meta
    assert f"<dc:title>{meta['title']}</dc:title>" in core
    assert f"<dc:identifier>{meta['contract_no']}</dc:identifier>" in core
    assert f"<cp:category>{meta['template']}</cp:category>" in core
    assert f"<cp:version>{meta['template_version']}</cp:version>" in core


def test_styles_set_east_asian_fonts_and_language(sample_docx) -> None:
    styles = read_part(sample_docx, "word/styles.xml").decode()
    assert 'w:eastAsia="SimSun"' in styles and 'w:eastAsia="SimHei"' in styles
    assert 'w:eastAsia="zh-CN"' in styles
    for name in ("Title", "Heading1", "Heading2", "Heading3", "BodyText", "Clause", "AttachmentHeading"):
        assert f'w:styleId="{name}"' in styles


def test_header_footer_and_page_setup(sample_doc, sample_docx) -> None:
    header = read_part(sample_docx, "word/header1.xml").decode()
    footer = read_part(sample_docx, "word/footer1.xml").decode()
    document = read_part(sample_docx, "word/document.xml").decode()
    assert sample_doc.meta["title"] in header and sample_doc.meta["contract_no"] in header
    assert "第 " in footer and " PAGE " in footer and " NUMPAGES " in footer
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document  # A4
    assert "<w:titlePg/>" in document  # no header on the cover page


def test_signature_table_is_a_table(sample_docx) -> None:
    document = read_part(sample_docx, "word/document.xml").decode()
    assert document.count("<w:tbl>") >= 2
    assert "第三方（盖章）" in document


def test_heading_styles_carry_the_main_list(sample_doc, sample_docx) -> None:
    """Main-contract headings carry only their style, whose w:numPr is the main list, so a
    heading copied or typed in that style in Word numbers itself; the addendum's headings
    carry their own list, which wins over the style's."""
    by_style = style_numbering(sample_docx)
    main_list = by_style["Heading2"][0]
    assert by_style["Heading2"] == (main_list, "0") and by_style["Heading3"] == (main_list, "1")
    articles = [p for p in etree.fromstring(read_part(sample_docx, "word/document.xml")).iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading2']") is not None]
    main, addendum = (len([c for c in p.clauses() if c.level == 1]) for p in sample_doc.parts
                      if p.kind in ("main", "addendum"))
    assert len(articles) == main + addendum
    assert all(numbering_of(p) is None for p in articles[:main])
    assert {numbering_of(p) for p in articles[main:]} == {(str(int(main_list) + 1), "0")}
