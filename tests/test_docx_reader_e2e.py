"""The DOCX reader against LibreOffice: files LibreOffice writes, and LibreOffice's own reading.

Skipped without ``soffice``; with CONTRACTGEN_REQUIRE_E2E=1 (CI) a missing soffice fails.
Each conversion runs with its own LibreOffice profile so parallel runs do not collide.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import TESTS, compare_golden, require_tool
from contractgen.readers.docx import docx_lines, walk_docx
from contractgen.readers.lines import Line
from test_docx_reader import build_case, render

E2E = TESTS / "data" / "docx-e2e"
# Cases where LibreOffice (25.2) shows what Word shows; elsewhere it differs from Word on
# purpose-built edge cases: lvlRestart, never-used levels, hidden paragraphs, a level linked
# only by w:lvl/w:pStyle, revisions. isLgl agrees since LibreOffice 24.2.
AGREEING_CASES = ("libreoffice-toc-sdt", "shared-abstract-list", "template-tags-in-tables",
                  "no-styles-no-numbering", "is-legal", "legal-list-through-styles",
                  "num-style-link-and-level-override", "soft-line-breaks", "section-break-paragraph",
                  "empty-numbered-paragraph")


def soffice_convert(source: Path, target: str, outdir: Path) -> Path:
    """Convert with headless LibreOffice; return the converted file."""
    profile = (outdir / "lo-profile").resolve().as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    converted = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert converted.exists(), f"soffice did not write {converted}"
    return converted


def libreoffice_text(docx: Path, outdir: Path) -> list[str]:
    """What LibreOffice shows for a DOCX: its plain-text export, list labels included."""
    txt = soffice_convert(docx, "txt:Text (encoded):UTF8", outdir)
    return [line for line in txt.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def squeeze(text: str) -> str:
    """Drop whitespace: LibreOffice's text export indents lists and pads labels."""
    return re.sub(r"\s+", "", text)


def without_bare_labels(docx: Path, shown: list[str]) -> list[str]:
    """LibreOffice's lines without those showing only the label of a numbered paragraph that
    has no text: LibreOffice (like Word) draws that label; our reader counts the paragraph
    but gives it no line, as a label alone is no clause. Dropped in order, one per such
    paragraph, and only where LibreOffice shows exactly that label."""
    bare = [squeeze(p.label.text) for p in walk_docx(docx).paras if p.label is not None and not p.text.strip()]
    out = []
    for text in shown:
        if bare and text == bare[0]:
            bare.pop(0)
            continue
        out.append(text)
    assert not bare, f"LibreOffice does not show these labels of empty paragraphs: {bare}"
    return out


def rows_as_shown(lines: list[Line], shown: list[str]) -> list[str]:
    """Our squeezed lines, with the cells of one table row joined where LibreOffice shows
    them as one line (its text export writes a row as its cells separated by tabs; 7.4
    wrote one line a cell). Only consecutive table cells are ever joined."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        text, k = squeeze(lines[i].text), i + 1
        target = shown[len(out)] if len(out) < len(shown) else ""
        while (lines[i].in_table and k < len(lines) and lines[k].in_table and text != target
               and target.startswith(text + squeeze(lines[k].text))):
            text, k = text + squeeze(lines[k].text), k + 1
        out.append(text)
        i = k
    return out


@pytest.mark.e2e
def test_libreoffice_outline_numbering_reads_back(tmp_path: Path) -> None:
    """An ODF outline-numbered contract saved as DOCX by LibreOffice (taiwaneseCountingThousand)."""
    require_tool("soffice")
    docx = soffice_convert(E2E / "outline.fodt", "docx", tmp_path)
    lines = docx_lines(docx)
    compare_golden(render(lines), E2E / "outline.expected.txt")
    shown = [squeeze(t) for t in libreoffice_text(docx, tmp_path)]
    assert rows_as_shown(lines, shown) == shown


@pytest.mark.e2e
@pytest.mark.parametrize("name", AGREEING_CASES)
def test_reader_agrees_with_libreoffice(name: str, tmp_path: Path) -> None:
    require_tool("soffice")
    docx = build_case(name, tmp_path)
    shown = without_bare_labels(docx, [squeeze(t) for t in libreoffice_text(docx, tmp_path)])
    assert rows_as_shown(docx_lines(docx), shown) == shown
