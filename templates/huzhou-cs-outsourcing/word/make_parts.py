"""Write the Huzhou template's Word parts: a cover page and a signature page.

The .docx files next to this script are committed; run it again after editing it
(``.venv/bin/python templates/huzhou-cs-outsourcing/word/make_parts.py``) and the files
come out byte for byte the same: python-docx writes the parts, and the zip is re-packed
here with a fixed date and sorted members, as contractgen's own writer does.

The parts use docxtpl's tags, as a firm's own Word file would: ``{{ party_a.name }}`` in a
table cell, ``{%tr if third_party %}`` around a table row, ``{%tr for … %}`` for a row per
signatory. ``contractgen build`` checks every tag against contract.yaml's data before it
renders anything.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
SIGNATORIES = ('[("甲方 Party A", party_a), ("乙方 Party B", party_b), '
               '("第三方 Third Party", third_party)]')


def _new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    return doc


def _para(doc, text: str, size: float = 12, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER,
          before: float = 0, after: float = 6):
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
    run = p.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    return p


def _cell(cell, text: str, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold


def _table(doc, rows: list[list[str]], widths: list[float], header: bool = True):
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Cm(widths[c])
            _cell(cell, value, bold=header and r == 0)
    return table


def _page_break_before(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, OxmlElement("w:pageBreakBefore"))


def cover() -> Document:
    doc = _new_document()
    _para(doc, "湖州电商客服系统外包服务合同", size=22, bold=True, before=120, after=6)
    _para(doc, "Customer Service Outsourcing Agreement", size=14, after=48)
    _para(doc, "合同编号 Contract No.：{{ contract_no }}", size=12, after=24)
    _table(doc, [
        ["当事人 Party", "名称 Name", "住所 Address", "代表 Representative"],
        ["甲方 Party A", "{{ party_a.name }}", "{{ party_a.address }}", "{{ party_a.rep }}"],
        ["乙方 Party B", "{{ party_b.name }}", "{{ party_b.address }}", "{{ party_b.rep }}"],
        ["{%tr if third_party %}", "", "", ""],
        ["第三方 Third Party", "{{ third_party.name }}", "{{ third_party.address }}", "{{ third_party.rep }}"],
        ["{%tr endif %}", "", "", ""],
    ], [2.6, 4.6, 4.8, 3.8])  # 3.8 cm: "Representative" on one line in Word and LibreOffice
    _para(doc, "签订日期 Date of Signing：{{ sign_date | date }}", before=36)
    _para(doc, "签订地点 Place of Signing：{{ sign_place }}")
    return doc


def signature_page() -> Document:
    doc = _new_document()
    _para(doc, "签署页 Signature Page", size=16, bold=True, after=12)
    _para(doc, "各方授权代表于下列日期签署本合同及其补充协议、附件。"
          "The parties' authorised representatives sign this Agreement, its addendum and schedules "
          "on the date below.", align=WD_ALIGN_PARAGRAPH.LEFT, after=18)
    table = _table(doc, [
        ["当事人 Party", "名称（盖章） Name (Seal)", "授权代表 Representative", "签字 Signature"],
        [f"{{%tr for role, signer in {SIGNATORIES} if signer %}}", "", "", ""],
        ["{{ role }}", "{{ signer.name }}", "{{ signer.rep }}", ""],
        ["{%tr endfor %}", "", "", ""],
    ], [2.6, 5.0, 4.0, 4.2])
    for row in table.rows:
        row.height = Cm(1.6)
    _para(doc, "签署日期 Date：{{ sign_date | date }}　　签署地点 Place：{{ sign_place }}",
          align=WD_ALIGN_PARAGRAPH.LEFT, before=18)
    return doc


def deterministic(data: bytes) -> bytes:
    """The package re-zipped with sorted members and a fixed date (python-docx stamps now)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {name: src.read(name) for name in src.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ["[Content_Types].xml", *sorted(n for n in members if n != "[Content_Types].xml")]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(info, members[name])
    return out.getvalue()


def _core_properties(doc: Document) -> None:
    """python-docx stamps its own dates and name: fixed ones, for the same bytes every run."""
    import datetime as dt

    props = doc.core_properties
    stamp = dt.datetime(2024, 1, 1)
    props.author = props.last_modified_by = "contractgen sample"
    props.created = props.modified = stamp
    props.revision = 1


def write(doc: Document, path: Path) -> None:
    _core_properties(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(deterministic(buffer.getvalue()))


def main(out_dir: Path = HERE) -> None:
    write(cover(), out_dir / "cover.docx")
    write(signature_page(), out_dir / "signature-page.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
