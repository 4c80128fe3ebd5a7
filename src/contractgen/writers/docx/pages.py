"""Page numbers for the TOC's cached entries, from a LibreOffice layout of the document.

Word fills a TOC's page numbers when it updates fields on opening; WPS and LibreOffice
show the cached entries as they are. ``--toc-pages`` lays the document out once with
LibreOffice (DOCX → PDF), finds the page each listed heading lands on in the PDF's text
(by position, so the running header's title is never taken for a heading), and writes the
document again with the page-number column and those numbers cached in the TOC's PAGEREF
fields. Adding the column does not move any heading: an entry of levels 1–2 fits its line
with or without its number.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...diagnostics import UserError
from ...model import Document, Toc, join_number
from .body import collect_bookmarks, listed_entries
from ... import rx

TIMEOUT = 180  # seconds for one LibreOffice conversion


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One line of a PDF page as ``pdftotext -bbox-layout`` reads it (points, top-left origin)."""

    page: int  # 0-based
    text: str  # words joined by spaces
    x_min: float
    y_min: float
    x_max: float
    y_max: float


_PAGE = rx.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = rx.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = rx.compile(r"<word [^>]*>(.*?)</word>", re.S)
# points: the running header and footer sit in the top and bottom margins (72 pt), their
# text ends within 60 pt of the page's edge; a body line's box may start a little above 72.
MARGIN_BAND = 60


def parse_bbox(xhtml: str, column: int | None = None) -> list[tuple[float, float, list[PdfLine]]]:
    """(width, height, lines) of each page of ``pdftotext -bbox-layout`` output; with
    ``column`` (0 or 1), only the lines of that half of the page (a side-by-side bilingual
    contract's language), so a heading is not merged with its translation beside it."""
    pages = []
    for number, m in enumerate(_PAGE.finditer(xhtml)):
        width = float(m[1])
        lines = [PdfLine(number, " ".join(html.unescape(w) for w in _WORD.findall(body)),
                         float(x0), float(y0), float(x1), float(y1))
                 for x0, y0, x1, y1, body in _LINE.findall(m[3])]
        if column is not None:
            lines = [line for line in lines if (line.x_min >= width / 2) == bool(column)]
        pages.append((width, float(m[2]), _merge_rows(lines)))
    return pages


def _merge_rows(lines: list[PdfLine]) -> list[PdfLine]:
    """Pieces of one visual line (pdftotext splits a list label from its text at a tab) as
    one line, left to right; lines top to bottom."""
    rows: list[list[PdfLine]] = []
    for line in sorted(lines, key=lambda item: (item.y_min + item.y_max, item.x_min)):
        middle = (line.y_min + line.y_max) / 2
        last = rows[-1][0] if rows else None
        if last is not None and abs(middle - (last.y_min + last.y_max) / 2) < 3:
            rows[-1].append(line)
        else:
            rows.append([line])
    merged = []
    for row in rows:
        row.sort(key=lambda item: item.x_min)
        merged.append(PdfLine(row[0].page, " ".join(item.text for item in row), row[0].x_min,
                              min(item.y_min for item in row), max(item.x_max for item in row),
                              max(item.y_max for item in row)))
    return merged


def body_lines(xhtml: str, column: int | None = None) -> list[list[str]]:
    """The squeezed text of each page's lines, without the running header and footer."""
    return [[_squeeze(line.text) for line in lines if MARGIN_BAND <= line.y_min and line.y_max <= height - MARGIN_BAND]
            for _width, height, lines in parse_bbox(xhtml, column)]


def toc_page_numbers(doc: Document, docx: bytes) -> dict[str, str]:
    """``_Toc`` bookmark name -> page number for every TOC entry found in the layout.

    Headings are looked for in the body text only (not in the running header, which repeats
    the title on every page) and after the table of contents, whose own lines show the
    same words: the body starts where the first entry's text shows a second time."""
    xhtml = _pdf_bbox(docx)
    if doc.texts:  # a bilingual contract: each text's TOC, found in its own text (its column)
        side = doc.layout == "side-by-side"
        found: dict[str, str] = {}
        for index, lang in enumerate(doc.languages):
            found.update(_text_page_numbers(doc.texts[lang], body_lines(xhtml, index if side else None)))
        return found
    return _text_page_numbers(doc, body_lines(xhtml))


def _text_page_numbers(doc: Document, pages: list[list[str]]) -> dict[str, str]:
    marks = collect_bookmarks(doc)
    toc = next((b for _, b in doc.blocks() if isinstance(b, Toc)), None)
    entries = listed_entries(doc, toc) if toc is not None else []
    texts = [_squeeze(join_number(e.number_text, e.title)) for e in entries]
    cursor = _after_toc(pages, _squeeze(toc.title) if toc is not None else "", texts)
    found: dict[str, str] = {}
    toc_start = _find_line(pages, _squeeze(toc.title), (0, 0)) if toc is not None and toc.title else None
    for entry, wanted in zip(entries, texts):
        anchor = marks.toc(entry.target) if entry.target is not None else None
        hit = _find_line(pages, wanted, cursor)
        if hit is None and toc_start is not None:  # a heading above the TOC
            before = _find_line(pages, wanted, (0, 0))
            if anchor and before is not None and before[:2] < toc_start[:2]:
                found[anchor] = str(before[0] + 1)
            continue
        if anchor and hit is not None:
            found[anchor] = str(hit[0] + 1)
            cursor = _after(hit)
    return found


def _after_toc(pages: list[list[str]], title: str, texts: list[str]) -> tuple[int, int]:
    """Where the body starts: after the TOC's title, at the first entry's second showing
    (its first is the TOC's own line); at the first showing if the TOC lines differ."""
    shown = _find_line(pages, title, (0, 0)) if title else None
    start = _after(shown) if shown else (0, 0)
    if not texts:
        return start
    first = _find_line(pages, texts[0], start)
    if first is None:
        return start
    second = _find_line(pages, texts[0], _after(first))
    if second is not None:
        return second[:2]
    # the first entry's heading is not after the TOC (the part's title above a TOC in its
    # preamble): the body starts after the TOC's own lines, each entry's first showing
    cursor = _after(first)
    for text in texts[1:]:
        hit = _find_line(pages, text, cursor)
        cursor = _after(hit) if hit else cursor
    return cursor


def _find_line(pages: list[list[str]], wanted: str, start: tuple[int, int]) -> tuple[int, int, int] | None:
    """(page, line, line after) of the first place at or after ``start`` where ``wanted``
    stands as whole lines — one, or several when the heading wraps (a long title, a narrow
    bilingual column): TOC lines with page numbers carry dot leaders, so only the heading
    itself matches."""
    for p in range(start[0], len(pages)):
        lines = pages[p]
        for i in range(start[1] if p == start[0] else 0, len(lines)):
            if not lines[i] or not wanted.startswith(lines[i]):
                continue
            text, end = lines[i], i + 1
            while text != wanted and end < len(lines) and lines[end] and wanted.startswith(text + lines[end]):
                text, end = text + lines[end], end + 1
            if text == wanted:
                return p, i, end
    return None


def _after(hit: tuple[int, int, int]) -> tuple[int, int]:
    """Where to look on from after a found heading."""
    return hit[0], hit[2]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_of(docx: bytes, folder: Path) -> Path:
    """LibreOffice's PDF of ``docx``, written in ``folder``."""
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftotext"):
        raise UserError("--toc-pages needs LibreOffice (soffice) and pdftotext (poppler-utils) on the PATH")
    (folder / "contract.docx").write_bytes(docx)
    _run([soffice, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
          "--convert-to", "pdf", "--outdir", str(folder), str(folder / "contract.docx")])
    return folder / "contract.pdf"


def _pdf_bbox(docx: bytes) -> str:
    """``pdftotext -bbox-layout`` of LibreOffice's PDF of ``docx``."""
    with tempfile.TemporaryDirectory(prefix="contractgen-pages-") as tmp:
        pdf = pdf_of(docx, Path(tmp))
        return _run([shutil.which("pdftotext"), "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"])


def _run(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
    except subprocess.TimeoutExpired:
        raise UserError(f"{Path(command[0]).name} took longer than {TIMEOUT} s laying out the document") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise UserError(f"{Path(command[0]).name} failed: {detail[0]}") from None
    return done.stdout.decode("utf-8", "replace")
