"""``--reference-docx``: a firm's letterhead lends styles, page setup, header and footer."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt
from openxml_audit import OpenXmlValidator

from contractgen.diagnostics import UserError
from contractgen.writers import get_writer

from conftest import SAMPLE
from docx_inspect import pretty, read_part, style_numbering
from helpers import build


@pytest.fixture(scope="module")
def letterhead(tmp_path_factory) -> Path:
    """A reference DOCX made the way a firm's would be: Letter paper, wide margins, a
    letterhead in the header, its own Heading 2 font size."""
    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(216), Mm(279)
    section.left_margin = section.right_margin = Mm(30)
    section.header.paragraphs[0].text = "LETTERHEAD 某某律师事务所"
    section.footer.paragraphs[0].text = "FOOTER 地址：湖州市"
    word.styles["Heading 2"].font.size = Pt(15)
    path = tmp_path_factory.mktemp("ref") / "letterhead.docx"
    word.save(path)
    return path


@pytest.fixture(scope="module")
def rendered(letterhead) -> bytes:
    return get_writer("docx", reference_docx=letterhead).render(build(SAMPLE, check=False))


def test_header_and_footer_come_from_the_reference(rendered) -> None:
    assert "LETTERHEAD 某某律师事务所" in read_part(rendered, "word/header1.xml").decode()
    assert "FOOTER 地址：湖州市" in read_part(rendered, "word/footer2.xml").decode()


def test_page_setup_comes_from_the_reference(rendered) -> None:
    document = read_part(rendered, "word/document.xml").decode()
    size, margin = (Mm(216).twips, Mm(279).twips), Mm(30).twips
    assert f'<w:pgSz w:w="{size[0]}" w:h="{size[1]}"/>' in document
    assert f'w:left="{margin}"' in document and f'w:right="{margin}"' in document


def test_reference_styles_win_and_ours_fill_the_gaps(rendered) -> None:
    styles = pretty(read_part(rendered, "word/styles.xml"))
    heading2 = styles[styles.index('w:styleId="Heading2"'):]
    heading2 = heading2[:heading2.index("</w:style>")]
    assert '<w:sz w:val="30"/>' in heading2  # the reference's 15 pt, not our 14 pt
    for ours in ("AttachmentHeading", "Clause", "BodyText", "TOC1"):
        assert f'w:styleId="{ours}"' in styles



def test_reference_lists_are_dropped_and_ours_attached(letterhead, rendered) -> None:
    """The reference's own style numbering (python-docx's List Number…) means nothing in our
    numbering.xml; the styles that number clauses, its Heading 2 included, carry our lists."""
    assert "<w:numPr>" in read_part(letterhead.read_bytes(), "word/styles.xml").decode()
    ours = style_numbering(get_writer("docx", reference_docx=None).render(build(SAMPLE, check=False)))
    assert style_numbering(rendered) == ours
    assert ours["Heading2"] == ("1", "0") and ours["Heading3"] == ("1", "1")


def test_output_with_a_reference_is_valid_and_deterministic(rendered, letterhead, tmp_path) -> None:
    again = get_writer("docx", reference_docx=letterhead).render(build(SAMPLE, check=False))
    assert again == rendered
    path = tmp_path / "out.docx"
    path.write_bytes(rendered)
    result = OpenXmlValidator().validate(str(path))
    assert [str(e) for e in result.errors] == []


def test_a_broken_reference_is_a_user_error(tmp_path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(UserError, match="not a usable reference DOCX"):
        get_writer("docx", reference_docx=bad)
