"""Untitled numbered clauses (a definitions list right under an article) show their
numbers in LibreOffice as in our Markdown: "Section 1.1 "Order Form" means …". LibreOffice
25.2 does not number such a paragraph through its style alone (found by a fresh-eyes trial:
the Markdown said Section 1.1, the DOCX showed no number)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from contractgen.pipeline import build_from_files, render_outputs

from conftest import ROOT, require_tool

TEMPLATE = ROOT / "templates" / "msa-order-form-en"


def _libreoffice_lines(template: Path, tmp_path: Path) -> list[str]:
    """The sample's DOCX as LibreOffice shows it, as text lines (its numbering computed)."""
    require_tool("soffice")
    doc = build_from_files(template, template / "sample-data.yaml")[2].doc
    docx = tmp_path / "contract.docx"
    docx.write_bytes(dict(render_outputs(doc, ["docx"]))["docx"])
    subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    return (tmp_path / "contract.txt").read_text(encoding="utf-8-sig").splitlines()


@pytest.mark.e2e
def test_definitions_under_an_article_are_numbered_in_libreoffice(tmp_path: Path) -> None:
    lines = [ln.strip() for ln in _libreoffice_lines(TEMPLATE, tmp_path)]
    definitions = [ln for ln in lines if "” means " in ln or '" means ' in ln]
    assert [ln.split(" ", 2)[:2] for ln in definitions] == [["Section", "1.1"], ["Section", "1.2"], ["Section", "1.3"]]


GB_TEMPLATE = ROOT / "templates" / "consultancy-agreement-gb"


@pytest.mark.e2e
def test_en_gb_numbering_renders_1_1_a_i_in_libreoffice(tmp_path: Path) -> None:
    """The en-GB scheme as LibreOffice 25.2 draws it from numbering.xml: clause "2.", then
    "2.2", its items "(a)" "(b)", their items "(i)" "(ii)" — and the schedule's paragraphs
    "1.", cited "paragraph 1 of Schedule 1"; "Clauses 4 to 6 and 8" as LibreOffice
    computes its REF fields (it ignores a REF \\t switch, so no field may rely on one). The expected lines are the sample's clause 2
    as an English lawyer numbers it, not our own output."""
    lines = [" ".join(ln.split()) for ln in _libreoffice_lines(GB_TEMPLATE, tmp_path)]
    start = len(lines) - 1 - lines[::-1].index("2. Services")  # the heading, not its TOC line
    numbers = [ln.split(" ", 1)[0] for ln in lines[start + 1:start + 8]]
    assert numbers == ["2.1", "2.2", "(a)", "(b)", "(i)", "(ii)", "(c)"]
    assert "1. Definitions and Interpretation" in lines
    assert any("survive termination" in ln and "Clauses 4 to 6 and 8" in ln for ln in lines)
    assert any(ln.startswith("1. Scope") for ln in lines)
    assert any("in accordance with paragraph 1 of Schedule 1." in ln for ln in lines)
