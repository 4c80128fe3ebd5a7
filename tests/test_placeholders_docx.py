"""Blanks in every part of a Word file: body, table, underlined spaces, header, footer, text
box and comment — each reported once, at its line, saying where it is; the body's lines
stay the body's (a text box or header adds none)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from contractgen.checking import check_file
from contractgen.readers.docx import docx_lines, read_docx

_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="box"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
    '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
    '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
)


def _contract(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("第一条 合同")                                   # line 1
    d.add_paragraph("合同编号：XX")                                  # line 2: body
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "合同金额"                                # line 3
    table.cell(0, 1).text = "人民币XX万元"                            # line 4: table
    signing = d.add_paragraph("乙方签字：")                          # line 5: underlined spaces
    signing.add_run("        ").underline = True
    anchor = d.add_paragraph("本合同一式两份。")                      # line 6: a text box's anchor
    anchor._p.append(parse_xml(_TEXT_BOX.format(text="乙方：××科技有限公司")))
    noted = d.add_paragraph("双方应按时履行。")                       # line 7: a comment on it
    d.add_comment(noted.runs, text="住所：某某市", author="张三")
    section = d.sections[0]
    section.header.paragraphs[0].text = "XXX-20XX"
    section.footer.paragraphs[0].text = "签订日期：2024年XX月XX日"
    d.add_section()  # its header and footer are the first section's: shown, not reported, again
    d.add_paragraph("第二条 其他")                                   # line 8
    d.save(path)
    return path


@pytest.fixture(scope="module")
def contract(tmp_path_factory) -> Path:
    return _contract(tmp_path_factory.mktemp("docx") / "contract.docx")


def test_each_blank_is_reported_once_with_where_it_is(contract: Path) -> None:
    found = sorted((f.line, f.message) for f in check_file(contract) if f.code == "unfilled-placeholder")
    assert found == [
        (1, "unfilled placeholder '20XX' in the header"),
        (1, "unfilled placeholder 'XX' in the footer (2 times)"),
        (1, "unfilled placeholder 'XXX' in the header"),
        (2, "unfilled placeholder 'XX'"),
        (4, "unfilled placeholder 'XX'"),
        (5, "unfilled placeholder '________'"),
        (6, "unfilled placeholder '××' in a text box"),
        (7, "unfilled placeholder '某某' in a comment"),
    ]


def test_the_body_lines_stay_the_body_lines(contract: Path) -> None:
    assert [(ln.line, ln.text) for ln in docx_lines(contract)] == [
        (1, "第一条 合同"), (2, "合同编号：XX"), (3, "合同金额"), (4, "人民币XX万元"),
        (5, "乙方签字：________"), (6, "本合同一式两份。"), (7, "双方应按时履行。"), (8, "第二条 其他")]


def test_margins_are_on_the_docx_view(contract: Path) -> None:
    view = read_docx(contract).docx[0]
    assert [(m.where, m.text, m.line) for m in view.margins] == [
        ("text box", "乙方：××科技有限公司", 6), ("header", "XXX-20XX", 1), ("footer", "签订日期：2024年XX月XX日", 1)]


def test_a_single_underlined_space_is_no_blank(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph()
    for text in ("甲方", " ", "乙方"):
        p.add_run(text).underline = True
    d.save(tmp_path / "c.docx")
    assert [ln.text for ln in docx_lines(tmp_path / "c.docx")] == ["甲方 乙方"]


def test_a_header_of_a_later_section_is_at_that_section(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("第一条 合同")
    d.add_paragraph("正文。")
    later = d.add_section()
    later.header.is_linked_to_previous = False
    later.header.paragraphs[0].text = "附件XX"
    d.add_paragraph("附件一 清单")
    d.save(tmp_path / "c.docx")
    view = read_docx(tmp_path / "c.docx").docx[0]
    assert [(m.where, m.text, m.line) for m in view.margins] == [("header", "附件XX", 3)]
