"""End to end: a bilingual contract (中英文对照) laid out side by side, written by the installed
``contractgen``, rendered by LibreOffice to PDF and read back column by column with
pdftotext, as a person would read it.

LibreOffice draws the list numbers from numbering.xml and recomputes every REF field from
the live numbering and bookmarks (it ignores our cached text), so 第一条 in the left column
and Article 1 in the right one prove that each clause is on its own language's list, and
the references' texts prove that each points at its own language's bookmark.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TESTS, require_tool

pytestmark = pytest.mark.e2e

FIXTURE = TESTS / "data" / "bilingual-template"
# A4 is 595 pt wide; the text runs from 90 pt to 505 pt, the columns meet in the middle
PAGE_WIDTH, MIDDLE, PAGE_HEIGHT = 595, 297, 842


def _contractgen() -> str:
    return shutil.which("contractgen") or str(Path(sys.executable).with_name("contractgen"))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    require_tool("soffice", "pdftotext")
    out = tmp_path_factory.mktemp("bilingual-e2e")
    root = out / "tpl"
    shutil.copytree(FIXTURE, root)
    subprocess.run([_contractgen(), "build", str(root / "mini"), "--data", str(root / "mini" / "data.yaml"),
                    "--out", str(out), "--format", "docx"], check=True, capture_output=True, timeout=300)
    (built,) = out.glob("*.docx")
    docx = built.rename(out / "side-by-side.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = out / "side-by-side.pdf"
    assert pdf.exists(), "LibreOffice produced no PDF"
    return pdf


def _column(pdf: Path, left: bool) -> str:
    """The text of one column on every page (header and footer lines included)."""
    x, width = (0, MIDDLE) if left else (MIDDLE, PAGE_WIDTH - MIDDLE)
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-x", str(x), "-y", "0", "-W", str(width),
                             "-H", str(PAGE_HEIGHT), str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return result.stdout.decode("utf-8")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def zh(pdf) -> str:
    return _column(pdf, left=True)


@pytest.fixture(scope="module")
def en(pdf) -> str:
    return _column(pdf, left=False)


def _starts(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_chinese_column_numbers_articles_in_chinese(zh: str) -> None:
    lines = _starts(zh)
    for heading in ("第一条 货物", "第二条 价格与付款", "第三条 其他"):
        assert heading in lines, heading
    assert lines.index("第一条 货物") < lines.index("第二条 价格与付款") < lines.index("第三条 其他")
    # legal-style sections beneath them: 1.1, not 一.1
    assert any(line.startswith("1.1 ") for line in lines) and any(line.startswith("3.2 ") for line in lines)
    assert not any(line.startswith("一.") for line in lines)
    assert any(re.fullmatch(r"附件一\s+货物清单", line) for line in lines)
    assert "Article" not in zh and "Schedule" not in zh


def test_english_column_numbers_articles_in_english(en: str) -> None:
    lines = [" ".join(line.split()) for line in _starts(en)]
    # a heading may wrap in the narrow column (how far depends on the Latin font the viewer
    # has), so count it in the column's text with the line breaks taken out
    for heading in ("Article 1 Goods", "Article 2 Price and Payment", "Article 3 Miscellaneous",
                    "Schedule 1 List of Goods"):
        assert _squeezed(en).count(heading) >= 2, heading  # its TOC entry and the heading itself
    assert any(line.startswith("Section 1.1") for line in lines)
    assert any(line.startswith("Section 3.2") for line in lines)
    assert not re.search(r"第.条", en)


def test_references_show_each_languages_numbers(zh: str, en: str) -> None:
    chinese, english = _squeezed(zh).replace(" ", ""), _squeezed(en)
    assert "卖方应按照附件一向买方交付货物" in chinese
    assert "货物见第一条" in chinese
    assert "as set out in Schedule 1." in english
    assert "The goods are described in Article 1." in english


ZH_HEADINGS = ["供货合同", "第一条 货物", "第二条 价格与付款", "第三条 其他", "附件一 货物清单"]
EN_HEADINGS = ["Supply Agreement", "Article 1 Goods", "Article 2 Price and Payment", "Article 3 Miscellaneous",
               "Schedule 1 List of Goods"]
# the body of an A4 page between the 72 pt top and bottom margins: no running header or footer
BODY_TOP, BODY_HEIGHT = 72, PAGE_HEIGHT - 144


def _body_pages(pdf: Path, x: int, width: int) -> list[str]:
    """Each page's body text inside one column, with all white space taken out."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-x", str(x), "-y", str(BODY_TOP),
                             "-W", str(width), "-H", str(BODY_HEIGHT), str(pdf), "-"],
                            check=True, capture_output=True, timeout=60)
    return [re.sub(r"\s+", "", page) for page in result.stdout.decode("utf-8").split("\f")]


def _pages_of(headings: list[str], pages: list[str]) -> list[str]:
    """The page each heading is printed on, read in order: the first page from the previous
    heading's on where the heading's text stands without a dot leader after it (a TOC entry)."""
    found, page = [], 0
    for heading in headings:
        pattern = re.compile(re.escape(re.sub(r"\s+", "", heading)) + r"(?!\.)")
        while page < len(pages) and not pattern.search(pages[page]):
            page += 1
        assert page < len(pages), f"{heading!r} is on no page after the previous heading"
        found.append(str(page + 1))
    return found


@pytest.mark.parametrize("layout", ["side-by-side", "sequential"])
def test_toc_pages_find_each_texts_headings(layout: str, tmp_path: Path) -> None:
    """``--toc-pages``: each text's TOC gets the pages of its own headings — side by side,
    from its own column of the layout (a heading is not read together with its translation).

    The expected pages are read from LibreOffice's own rendering of the built DOCX, so they
    hold whatever Latin font the machine substitutes for Times New Roman."""
    require_tool("soffice", "pdftotext")
    root = tmp_path / "tpl"
    shutil.copytree(FIXTURE, root)
    spec = root / "mini" / "contract.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("layout: side-by-side", f"layout: {layout}"),
                    encoding="utf-8")
    subprocess.run([_contractgen(), "build", str(root / "mini"), "--data", str(root / "mini" / "data.yaml"),
                    "--out", str(tmp_path / "out"), "--format", "docx", "--toc-pages"],
                   check=True, capture_output=True, timeout=600)
    (built,) = (tmp_path / "out").glob("*.docx")
    from docx_inspect import fields, read_part

    pages = [(f.instruction.split()[1], f.cached) for f in fields(read_part(built.read_bytes(), "word/document.xml"))
             if f.instruction.startswith("PAGEREF")]
    zh_cached = [page for mark, page in pages if mark.startswith("_Toc1")]
    en_cached = [page for mark, page in pages if mark.startswith("_Toc5")]

    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(built)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / built.with_suffix(".pdf").name
    if layout == "side-by-side":
        zh_printed = _pages_of(ZH_HEADINGS, _body_pages(pdf, 0, MIDDLE))
        en_printed = _pages_of(EN_HEADINGS, _body_pages(pdf, MIDDLE, PAGE_WIDTH - MIDDLE))
        assert zh_printed == en_printed  # a heading and its translation share a row
    else:
        whole = _body_pages(pdf, 0, PAGE_WIDTH)
        zh_printed, en_printed = _pages_of(ZH_HEADINGS, whole), _pages_of(EN_HEADINGS, whole)
        assert int(en_printed[0]) > int(zh_printed[-1])  # the English text follows the Chinese
    assert zh_cached == zh_printed
    assert en_cached == en_printed
