"""Page numbers for the TOC's cached entries, from a LibreOffice layout of the document.

Word fills a TOC's page numbers when it updates fields on opening; WPS and LibreOffice
show the cached entries as they are. ``--toc-pages`` lays the document out once with
LibreOffice (DOCX → PDF), finds the page each listed heading lands on in the PDF's text,
and writes the document again with those numbers cached in the TOC's PAGEREF fields.
Adding the numbers does not move any heading: each sits at the end of its entry's line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...diagnostics import UserError
from ...model import Document, Toc, join_number
from .body import collect_bookmarks

TIMEOUT = 180  # seconds for one LibreOffice conversion


def toc_page_numbers(doc: Document, docx: bytes) -> dict[str, str]:
    """``_Toc`` bookmark name -> page number for every TOC entry found in the layout."""
    pages = _pdf_pages(docx)
    marks = collect_bookmarks(doc)
    found: dict[str, str] = {}
    cursor = (0, 0)
    for entry in (e for _, b in doc.blocks() if isinstance(b, Toc) for e in b.entries):
        anchor = marks.toc(entry.target) if entry.target is not None else None
        hit = _find_line(pages, _squeeze(join_number(entry.number_text, entry.title)), cursor)
        if anchor and hit is not None:
            found[anchor] = str(hit[0] + 1)
            cursor = hit
    return found


def _find_line(pages: list[list[str]], wanted: str, start: tuple[int, int]) -> tuple[int, int] | None:
    """The first (page, line) at or after ``start`` whose whole text is the heading: TOC
    lines carry dot leaders, so only the heading itself matches."""
    for p in range(start[0], len(pages)):
        for i in range(start[1] if p == start[0] else 0, len(pages[p])):
            if pages[p][i] == wanted:
                return p, i + 1
    return None


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_pages(docx: bytes) -> list[list[str]]:
    """The text of each page of LibreOffice's PDF of ``docx``, one squeezed string a line."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        raise UserError("--toc-pages needs LibreOffice (soffice) and pdftotext (poppler-utils) on the PATH")
    with tempfile.TemporaryDirectory(prefix="contractgen-pages-") as tmp:
        folder = Path(tmp)
        (folder / "contract.docx").write_bytes(docx)
        _run([soffice, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
              "--convert-to", "pdf", "--outdir", str(folder), str(folder / "contract.docx")])
        text = _run([pdftotext, "-enc", "UTF-8", str(folder / "contract.pdf"), "-"])
    return [[_squeeze(line) for line in page.splitlines()] for page in text.split("\f")]


def _run(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
    except subprocess.TimeoutExpired:
        raise UserError(f"{Path(command[0]).name} took longer than {TIMEOUT} s laying out the document") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise UserError(f"{Path(command[0]).name} failed: {detail[0]}") from None
    return done.stdout.decode("utf-8", "replace")
