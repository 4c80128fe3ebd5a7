"""End to end: the installed ``contractgen`` builds the sample DOCX, LibreOffice renders
it to PDF, and pdftotext reads what a person would see.

LibreOffice recomputes REF fields from the live numbering and bookmarks (it ignores our
cached text), so these checks prove the Word structures, not just our strings.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contractgen.numbering.zh import count
from contractgen.writers.docx.pages import parse_bbox

from conftest import SAMPLE, require_tool
from helpers import build

pytestmark = pytest.mark.e2e


def _contractgen() -> str:
    return shutil.which("contractgen") or str(Path(sys.executable).with_name("contractgen"))


@pytest.fixture(scope="module")
def sample_pdf_text(tmp_path_factory) -> str:
    require_tool("soffice", "pdftotext")
    out = tmp_path_factory.mktemp("e2e")
    # as `make demo` builds it: with the TOC's page numbers from a LibreOffice layout
    subprocess.run([_contractgen(), "build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"),
                    "--out", str(out), "--format", "docx", "--toc-pages"], check=True, capture_output=True,
                   timeout=300)
    (built,) = out.glob("*.docx")
    docx = built.rename(out / "sample.docx")
    profile = out / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = out / "sample.pdf"
    assert pdf.exists(), "LibreOffice produced no PDF"
    result = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                            capture_output=True, timeout=60)
    # one line per line of the page, read by position: a list label and the text after its
    # tab are one line, as a reader sees them
    return "\n".join(line.text for _w, _h, lines in parse_bbox(result.stdout.decode("utf-8")) for line in lines)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _body(text: str) -> list[str]:
    """Lines after the table of contents (its entries end in dot leaders)."""
    lines = _lines(text)
    last_toc = max(i for i, line in enumerate(lines) if re.search(r"\.{5,}", line))
    return lines[last_toc + 1:]


def test_main_articles_show_chinese_numbers_in_order(sample_pdf_text: str) -> None:
    doc = build(SAMPLE, check=False)
    main = next(p for p in doc.parts if p.kind == "main")
    titles = [c.title for c in main.clauses() if c.level == 1]
    body = _body(sample_pdf_text)
    start = body.index("主合同")
    headings = [line for line in body[start:] if re.match(r"^第[一二三四五六七八九十百]+条 ", line)]
    expected = [f"第{count(i)}条 {t}" for i, t in enumerate(titles, start=1)]
    assert headings[:len(expected)] == expected
    # the addendum restarts at 第一条
    assert headings[len(expected)].startswith("第一条 ")


def test_sections_print_decimal_under_chinese_articles(sample_pdf_text: str) -> None:
    body = _body(sample_pdf_text)
    assert "1.1 定义" in body and "7.3 仲裁解决" in body
    assert not any(re.match(r"^[一二三四五六七八九十]+\.\d", line) for line in body)


def test_addendum_dispute_reference_shows_the_right_article(sample_pdf_text: str) -> None:
    doc = build(SAMPLE, check=False)
    dispute = next(c for _, c in doc.clauses() if c.label == "dispute-resolution")
    flat = "".join(_body(sample_pdf_text))
    assert f"依照本合同{dispute.number_text}（争议解决）约定的方式解决" in flat


def test_toc_lists_every_article(sample_pdf_text: str) -> None:
    doc = build(SAMPLE, check=False)
    lines = _lines(sample_pdf_text)
    toc = [re.sub(r"\.{5,}.*$", "", line).strip() for line in lines if re.search(r"\.{5,}", line)]
    articles = [c.heading_text for p, c in doc.clauses()
                if p.kind in ("main", "addendum") and c.level == 1 and c.title]
    assert len(articles) > 20
    for heading in articles:
        assert heading in toc


def test_attachments_are_numbered_in_chinese(sample_pdf_text: str) -> None:
    body = _body(sample_pdf_text)
    assert "附件一 服务内容详细说明" in body and "附件十 数据管理服务协议" in body
    assert "一、服务范围" in body


def test_chinese_glyphs_render_without_tofu(sample_pdf_text: str) -> None:
    assert "湖州电商客服系统外包服务合同" in sample_pdf_text
    assert "\ufffd" not in sample_pdf_text and "□" not in sample_pdf_text
    assert re.search(r"第 \d+ 页 共 \d+ 页", sample_pdf_text)
