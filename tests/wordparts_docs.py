"""Word files for the Word-part tests, written with python-docx (as a firm's would be),
into a copy of tests/data/wordparts/template."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from conftest import TESTS

DATA = TESTS / "data" / "wordparts"
# a 1x1 PNG, for a part that carries an image
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def cover(path: Path, name_tag: str = "{{ party_a.name }}", extra: str = "") -> Path:
    doc = Document()
    title = doc.add_paragraph("测试服务合同 Service Agreement")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("合同编号：{{ contract_no }}")
    table = doc.add_table(rows=4, cols=2)
    table.style = doc.styles["Table Grid"]
    cells = [("当事人", "名称"), ("甲方", name_tag), ("乙方", "{{ party_b.name }}"), ("月费", "{{ fee | amount }}")]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if extra:
        doc.add_paragraph(extra)
    image = path.parent / "pixel.png"
    image.write_bytes(PIXEL)
    doc.add_picture(str(image), width=Cm(1))
    image.unlink()
    doc.add_paragraph("封面要点", style="List Number")
    doc.save(path)
    return path


def signature(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("签署页")
    table = doc.add_table(rows=4, cols=3)
    table.style = doc.styles["Table Grid"]
    rows = [("当事人", "名称", "代表"),
            ('{%tr for role, p in [("甲方", party_a), ("乙方", party_b), ("第三方", third_party)] if p %}', "", ""),
            ("{{ role }}", "{{ p.name }}", "{{ p.rep }}"),
            ("{%tr endfor %}", "", "")]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    doc.add_paragraph("签署日期：{{ sign_date | date }}")
    doc.save(path)
    return path


def skeleton(path: Path, body: str = "{{p body }}") -> Path:
    doc = Document()
    header = doc.sections[0].header.paragraphs[0]
    header.text = "律师事务所范本 · {{ contract_no }}"
    doc.add_paragraph("致：{{ party_a.name }}")
    doc.add_paragraph(body)
    doc.add_paragraph("（本合同由律师事务所起草）")
    doc.save(path)
    return path


def template(tmp_path: Path, cover_tag: str = "{{ party_a.name }}", skeleton_file: bool = False,
             extra: str = "") -> Path:
    """A copy of the test template with its Word files written."""
    folder = tmp_path / "template"
    shutil.copytree(DATA / "template", folder)
    cover(folder / "cover.docx", cover_tag, extra)
    signature(folder / "signature.docx")
    if skeleton_file:
        skeleton(folder / "skeleton.docx")
        text = (folder / "contract.yaml").read_text(encoding="utf-8")
        (folder / "contract.yaml").write_text(text.replace("library: clauses\n",
                                                            "library: clauses\nskeleton: skeleton.docx\n"),
                                              encoding="utf-8")
    return folder
