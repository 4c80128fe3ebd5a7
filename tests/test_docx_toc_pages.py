"""`build --toc-pages`: the TOC's cached page numbers are where LibreOffice lays the headings."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from contractgen.cli import main

from conftest import SAMPLE, require_tool

PAGEREF = re.compile(r'PAGEREF (_Toc\d+) \\h.*?fldCharType="separate"/></w:r>(.*?)<w:r><w:fldChar w:fldCharType="end"/>')


def page_refs(xml: str) -> list[tuple[str, str]]:
    """(bookmark, cached page) of every PAGEREF field."""
    return [(name, "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cached))) for name, cached in PAGEREF.findall(xml)]


def _build(runner, out: Path, *extra: str) -> Path:
    result = runner.invoke(main, ["build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"),
                                  "--out", str(out), "--format", "docx", *extra])
    assert result.exit_code == 0, result.output
    return next(out.glob("*.docx"))


@pytest.mark.e2e
def test_toc_page_numbers_match_the_layout(runner, tmp_path: Path) -> None:
    require_tool("soffice", "pdftotext")
    docx = _build(runner, tmp_path / "out", "--toc-pages")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    entries = page_refs(xml)
    assert len(entries) > 40 and all(page.isdigit() for _, page in entries)
    pages = [int(page) for _, page in entries]
    assert pages == sorted(pages) and pages[0] > 1
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True,
                   timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / f"{docx.stem}.pdf"), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8").split("\f")
    for heading, page in (("主合同", pages[0]), ("第七条 争议解决", None)):
        if page is None:  # the dispute-resolution entry: find its number in the TOC lines
            page = int(re.search(rf"{heading}\.+\s*(\d+)", text[1] + text[2])[1])
        assert heading in text[page - 1].splitlines()


def test_without_the_flag_pages_stay_empty(runner, tmp_path: Path) -> None:
    xml = zipfile.ZipFile(_build(runner, tmp_path / "out")).read("word/document.xml").decode("utf-8")
    assert page_refs(xml) and all(page == "" for _, page in page_refs(xml))


def test_missing_libreoffice_is_a_clear_error(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    result = runner.invoke(main, ["build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"),
                                  "--out", str(tmp_path / "out"), "--format", "md,docx", "--toc-pages"])
    assert result.exit_code == 2
    assert "--toc-pages needs LibreOffice (soffice) and pdftotext" in result.output
    assert not (tmp_path / "out").exists()
