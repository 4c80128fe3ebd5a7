"""`build --toc-pages`: the TOC's cached page numbers are where LibreOffice lays the headings."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from contractgen.cli import main

from contractgen.model import Toc, join_number
from contractgen.writers.docx.pages import body_lines

from conftest import ROOT, SAMPLE, require_tool
from helpers import build

EN_SAMPLE = ROOT / "templates" / "services-agreement-en"

PAGEREF = re.compile(r'PAGEREF (_Toc\d+) \\h.*?fldCharType="separate"/></w:r>(.*?)<w:r><w:fldChar w:fldCharType="end"/>')


def page_refs(xml: str) -> list[tuple[str, str]]:
    """(bookmark, cached page) of every PAGEREF field."""
    return [(name, "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cached))) for name, cached in PAGEREF.findall(xml)]


def _build(runner, out: Path, *extra: str, template: Path = SAMPLE) -> Path:
    result = runner.invoke(main, ["build", str(template), "--data", str(template / "sample-data.yaml"),
                                  "--out", str(out), "--format", "docx", *extra])
    assert result.exit_code == 0, result.output
    return next(out.glob("*.docx"))


def _pdf_body_lines(docx: Path, tmp_path: Path) -> list[list[str]]:
    """The PDF's lines per page without the running header and footer, as the PDF shows
    them (positions from ``pdftotext -bbox-layout``)."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True,
                   timeout=180)
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(tmp_path / f"{docx.stem}.pdf"), "-"], check=True,
                           capture_output=True).stdout.decode("utf-8")
    return body_lines(xhtml)


def _heading_pages(xml: str) -> dict[str, str]:
    """_Toc bookmark -> the squeezed text of the TOC entry that points at it."""
    out = {}
    for para in re.findall(r"<w:p>.*?</w:p>", xml):
        if 'w:val="TOC' in para[:80] and "PAGEREF" in para:
            name = re.search(r"PAGEREF (_Toc\d+)", para)[1]
            before = para.split("<w:tab/>")[0]
            out[name] = re.sub(r"\s+", "", "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", before)))
    return out


@pytest.mark.e2e
@pytest.mark.parametrize("template", [SAMPLE, EN_SAMPLE], ids=lambda p: p.name)
def test_toc_page_numbers_match_the_layout(runner, tmp_path: Path, template: Path) -> None:
    """Every cached page number is the page the PDF shows its heading on — a heading in the
    body, not the running header that repeats the title on every page (issue 14)."""
    require_tool("soffice", "pdftotext")
    docx = _build(runner, tmp_path / "out", "--toc-pages", template=template)
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    entries = page_refs(xml)
    assert len(entries) >= 10 and all(page.isdigit() for _, page in entries)
    pages = [int(page) for _, page in entries]
    assert pages == sorted(pages) and pages[0] > 1
    lines = _pdf_body_lines(docx, tmp_path)
    texts = _heading_pages(xml)
    toc_pages = {i + 1 for i, page in enumerate(lines) for line in page if re.fullmatch(r".+?\.{3,}\d+", line)}
    assert toc_pages and len(texts) == len(entries)
    for name, page in entries:
        shown = [i + 1 for i, page_lines in enumerate(lines) if texts[name] in page_lines]
        assert int(page) > max(toc_pages), texts[name]
        assert texts[name] in lines[int(page) - 1], f"{texts[name]} cached as page {page}, shown on {shown}"


def _page(number_lines: list[tuple[float, str]]) -> str:
    lines = "".join(f'<line xMin="90" yMin="{y}" xMax="300" yMax="{y + 12}"><word xMin="90" yMin="{y}" '
                    f'xMax="300" yMax="{y + 12}">{text}</word></line>' for y, text in number_lines)
    return f'<page width="595" height="842"><flow><block>{lines}</block></flow></page>'


def test_headings_are_found_in_the_body_not_in_the_running_header(monkeypatch) -> None:
    """Issue 14: the title in every page's header was taken for the part heading that has
    the same words. A line in the top or bottom margin is never a heading."""
    from contractgen.writers.docx import pages as pages_module

    doc = build(EN_SAMPLE, check=False)
    toc = next(b for _, b in doc.blocks() if isinstance(b, Toc))
    toc.entries[:] = [e for e in toc.entries if e.level == 2][:2]
    first, second = (join_number(e.number_text, e.title) for e in toc.entries)
    header = (50, first)  # a running header with the heading's words, in the top margin (72 pt)
    pdf = "".join([
        _page([(300, "MASTER SERVICES AGREEMENT")]),
        _page([header, (100, toc.title), (130, first), (150, second)]),
        _page([header, (100, "Preamble text")]),
        _page([header, (100, first), (400, "text"), (820, "Page 4 of 9")]),
        _page([header, (100, second)]),
    ])
    monkeypatch.setattr(pages_module, "_pdf_bbox", lambda _docx: pdf)
    found = pages_module.toc_page_numbers(doc, b"")
    assert [found[e.target.toc_bookmark] for e in toc.entries] == ["4", "5"]


def test_a_heading_wrapped_over_two_lines_gets_its_page(monkeypatch) -> None:
    """A heading too long for its line (a narrow bilingual column, a long title) is printed on
    two lines; it is still found, on its own page — and a TOC entry split the same way with
    its page number behind a dot leader is not taken for it."""
    from contractgen.writers.docx import pages as pages_module

    doc = build(EN_SAMPLE, check=False)
    toc = next(b for _, b in doc.blocks() if isinstance(b, Toc))
    toc.entries[:] = [e for e in toc.entries if e.level == 2][:2]
    first, second = (join_number(e.number_text, e.title) for e in toc.entries)
    words = second.split()
    head, tail = " ".join(words[:2]), " ".join(words[2:])
    assert head and tail, second
    pdf = "".join([
        _page([(100, toc.title), (130, first), (150, head), (162, tail + " ........ 3")]),
        _page([(100, first), (400, "text")]),
        _page([(100, "text"), (300, head), (312, tail), (400, "text")]),
    ])
    monkeypatch.setattr(pages_module, "_pdf_bbox", lambda _docx: pdf)
    found = pages_module.toc_page_numbers(doc, b"")
    assert [found.get(e.target.toc_bookmark) for e in toc.entries] == ["2", "3"]


def test_without_the_flag_the_toc_has_no_page_column(runner, tmp_path: Path) -> None:
    """The default TOC cannot show empty or stale numbers: no PAGEREF, no tab to a dotted
    leader, and the \\n switch so that Word's own update keeps it that way."""
    xml = zipfile.ZipFile(_build(runner, tmp_path / "out")).read("word/document.xml").decode("utf-8")
    assert 'TOC \\o "1-2" \\h \\z \\u \\n ' in xml
    assert "PAGEREF" not in xml and page_refs(xml) == []
    toc = [p for p in re.findall(r"<w:p>.*?</w:p>", xml) if re.search(r'<w:pStyle w:val="TOC\d', p)]
    assert len(toc) > 30 and not any("<w:tab/>" in p for p in toc)
    assert all("<w:hyperlink w:anchor=\"_Toc" in p for p in toc)
    settings = zipfile.ZipFile(_build(runner, tmp_path / "again")).read("word/settings.xml").decode("utf-8")
    assert "updateFields" not in settings


def test_missing_libreoffice_is_a_clear_error(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    result = runner.invoke(main, ["build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"),
                                  "--out", str(tmp_path / "out"), "--format", "md,docx", "--toc-pages"])
    assert result.exit_code == 2
    assert "--toc-pages needs LibreOffice (soffice) and pdftotext" in result.output
    assert not (tmp_path / "out").exists()
