"""Our DOCX as other programs read it: pandoc (docx → Markdown) and python-docx; and the
typography the schemes' locale data asks for, as written in the XML."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from contractgen.writers.docx import DocxWriter

from conftest import ROOT, SAMPLE, require_tool
from docx_inspect import read_part
from helpers import build

SAMPLES = {"zh": SAMPLE, "en": ROOT / "templates" / "services-agreement-en"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[object, Path]]:
    out = tmp_path_factory.mktemp("readers")
    found = {}
    for lang, template in SAMPLES.items():
        doc = build(template, check=False)
        path = out / f"{lang}.docx"
        path.write_bytes(DocxWriter().render(doc))
        found[lang] = (doc, path)
    return found


@pytest.mark.e2e
@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_pandoc_keeps_article_titles_as_headings_and_no_empty_list_items(built, lang: str) -> None:
    require_tool("pandoc")
    doc, path = built[lang]
    markdown = subprocess.run([shutil.which("pandoc"), "-f", "docx", "-t", "markdown", str(path)], check=True,
                              capture_output=True, timeout=120).stdout.decode("utf-8")
    # an addendum's headings carry their own list (numPr), which pandoc reads as a list
    # item holding the heading: "1.  ## 第三方的界定" — still a heading
    headings = re.findall(r"^(?:\s*\d+\.\s+)?(#{1,6}) (.+?)\s*$", markdown, re.M)
    by_level = {(len(hashes), re.sub(r"\s*\{#[^}]*\}$", "", text)) for hashes, text in headings}
    articles = [c.title for p in doc.parts if p.kind in ("main", "addendum") for c in p.clauses() if c.level == 1]
    assert len(articles) >= 8
    for title in articles:
        assert (2, title) in by_level, f"article {title!r} is not a level-2 heading for pandoc"
    assert not re.findall(r"^\s*(?:[-*+]|\d+[.)])\s*$", markdown, re.M), "empty list items"


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_python_docx_finds_the_default_paragraph_style(built, lang: str) -> None:
    document = docx.Document(str(built[lang][1]))
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    assert default is not None and default.name == "Normal"
    assert document.core_properties.created.year == 2024  # the data's date, not 2000-01-01


def _style(styles: str, style_id: str) -> str:
    return re.search(rf'<w:style [^>]*w:styleId="{style_id}">.*?</w:style>', styles)[0]


def test_chinese_typography(built) -> None:
    data = built["zh"][1].read_bytes()
    styles = read_part(data, "word/styles.xml").decode()
    assert 'w:firstLineChars="200"' in _style(styles, "BodyText")
    assert 'w:ascii="Times New Roman"' in styles and 'w:eastAsia="SimSun"' in styles
    heading = _style(styles, "Heading2")
    assert 'w:eastAsia="SimHei"' in heading and "<w:b/>" not in heading  # SimHei is heavy: no faked bold
    assert "<w:keepNext/>" in heading and "<w:widowControl/>" in _style(styles, "Normal")
    numbering = read_part(data, "word/numbering.xml").decode()
    assert '<w:ind w:left="720" w:hanging="720"/>' in numbering  # 1.1 wraps under its text


def test_english_typography(built) -> None:
    data = built["en"][1].read_bytes()
    styles = read_part(data, "word/styles.xml").decode()
    normal = _style(styles, "Normal")
    assert '<w:jc w:val="left"/>' in normal and 'w:after="160"' in normal
    assert "firstLine" not in _style(styles, "BodyText")
    document = read_part(data, "word/document.xml").decode()
    assert "\u201cCustomer\u201d" in document and '"Customer"' not in document
    assert "Schedule\u00a01" in document  # kept on one line with its number
    header = read_part(data, "word/header1.xml").decode()
    assert "Agreement No. MSA-2024-017" in header and "Contract No." not in header  # the cover's wording


def test_tables_get_widths_from_content_and_a_repeated_shaded_header(built) -> None:
    document = read_part(built["zh"][1].read_bytes(), "word/document.xml").decode()
    fee_table = next(t for t in re.findall(r"<w:tbl>.*?</w:tbl>", document) if "费用项目" in t)
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', fee_table)]
    assert len(widths) == 3 and widths[0] < widths[1] and sum(widths) == 8306
    header_row = re.search(r"<w:tr>.*?</w:tr>", fee_table)[0]
    assert "<w:tblHeader/>" in header_row and 'w:fill="D9D9D9"' in header_row
