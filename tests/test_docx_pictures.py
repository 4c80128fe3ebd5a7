"""The picture test: the zh and en samples as LibreOffice lays them out.

The first pages, the signature page and a table page of each sample are rendered to PNG
under ``tests/artifacts/`` (for a person to look at), and the PDF's text positions
(``pdftotext -bbox-layout``) are asserted: a numbered clause's wrapped lines start under
its text, not at the margin; every signature line has at least 1.5 cm of room above it;
the "（以下无正文）" / "[Signature page follows]" line never starts a page.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from contractgen.model import Clause
from contractgen.writers.docx import DocxWriter

from conftest import ROOT, SAMPLE, TESTS, require_tool
from helpers import build

pytestmark = pytest.mark.e2e

ARTIFACTS = TESTS / "artifacts"
SAMPLES = {"zh": SAMPLE, "en": ROOT / "templates" / "services-agreement-en"}
CM = 72 / 2.54  # points
MARGIN_X = 1800 / 20  # the left margin in points
LEAD = {"zh": "（以下无正文）", "en": "[Signature page follows]"}
FILL_LABELS = {"zh": ("法定代表人或授权代表（签字）：", "日期："), "en": ("Signed by", "Name:", "Title:", "Date:")}
TABLE_HEAD = {"zh": "费用项目", "en": "Item"}
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass
class Row:
    """Words of one visual line in one column of a page, left to right."""

    words: list[tuple[float, float, float, float, str]]

    @property
    def text(self) -> str:
        return "".join(w[4] for w in self.words)

    @property
    def top(self) -> float:
        return min(w[1] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w[3] for w in self.words)

    @property
    def left(self) -> float:
        return self.words[0][0]


def page_rows(xhtml: str, columns: bool = False) -> list[list[Row]]:
    """Each page's rows top to bottom; with ``columns``, the page's left and right halves
    apart (the signature blocks stand side by side)."""
    pages = []
    for body in re.findall(r"<page [^>]*>(.*?)</page>", xhtml, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
        groups: dict[tuple[int, int], list] = {}
        for word in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
            column = int(columns and word[0] > 297)
            key = next((k for k in groups if k[0] == column and abs(k[1] - (word[1] + word[3]) / 2) < 3), None)
            groups.setdefault(key or (column, (word[1] + word[3]) / 2), []).append(word)
        rows = [Row(sorted(ws)) for _, ws in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
        pages.append([r for r in rows if 60 <= r.top and r.bottom <= 842 - 60])  # no header, footer
    return pages


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[object, Path, str]]:
    """lang -> (document, PDF, bbox XHTML), from one LibreOffice run."""
    require_tool("soffice", "pdftotext", "pdftoppm")
    out = tmp_path_factory.mktemp("pictures")
    docs = {lang: build(path, check=False) for lang, path in SAMPLES.items()}
    for lang, doc in docs.items():
        (out / f"{lang}.docx").write_bytes(DocxWriter().render(doc))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out), *(str(out / f"{lang}.docx") for lang in docs)],
                   check=True, capture_output=True, timeout=300)
    found = {}
    for lang, doc in docs.items():
        pdf = out / f"{lang}.pdf"
        xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                               timeout=60).stdout.decode("utf-8")
        found[lang] = (doc, pdf, xhtml)
    return found


def _sq(text: str) -> str:
    return text.replace(" ", "")


def _page_of(pages: list[list[Row]], text: str) -> int:
    return next(i for i, rows in enumerate(pages) if any(r.text.startswith(_sq(text)) for r in rows))


def _png(pdf: Path, page: int, name: str) -> Path:
    """Page ``page`` (0-based) of ``pdf`` as ``tests/artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-r", "60", "-f", str(page + 1), "-l", str(page + 1), "-singlefile", "-png",
                    str(pdf), str(stem)], check=True, capture_output=True, timeout=60)
    return stem.with_suffix(".png")


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_pages_are_rendered_to_png(rendered, lang: str) -> None:
    _doc, pdf, xhtml = rendered[lang]
    pages = page_rows(xhtml)
    wanted = {"page-1": 0, "page-2": 1, "page-3": 2, "signature": _signature_page(pages, lang),
              "table": _page_of(pages, TABLE_HEAD[lang])}
    for what, page in wanted.items():
        png = _png(pdf, page, f"docx-{lang}-{what}")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000


def _signature_page(pages: list[list[Row]], lang: str) -> int:
    lead = _page_of(pages, LEAD[lang])
    return lead if any(r.text.startswith(_sq(FILL_LABELS[lang][-1])) for r in pages[lead]) else lead + 1


def _wrapped_clauses(doc, pages: list[list[Row]]) -> list[tuple[Row, Row]]:
    """(first row, next row) of numbered clauses without a title whose text wraps."""
    labels = [c.number_text for part in doc.parts if part.kind == "main" for c in part.clauses()
              if isinstance(c, Clause) and not c.title and c.text and ("." in c.number_text or c.number_text[:1] == "(")]
    rows = [r for page in pages for r in page]
    out = []
    for label in labels:
        at = next((i for i, r in enumerate(rows) if r.words[0][4] == label and len(r.words) > 1), None)
        if at is None or at + 1 >= len(rows):
            continue
        after = rows[at + 1]
        if not re.match(r"^(\d+(\.\d+)+|第|Article|Section|\([a-z]+\))", after.text) and after.top - rows[at].bottom < 12:
            out.append((rows[at], after))
    return out


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_wrapped_lines_of_a_numbered_clause_start_under_its_text(rendered, lang: str) -> None:
    doc, _pdf, xhtml = rendered[lang]
    wrapped = _wrapped_clauses(doc, page_rows(xhtml))
    assert len(wrapped) >= 5
    for first, after in wrapped:
        text_x = first.words[1][0]  # after the label's tab
        assert text_x - first.left > 12, first.text  # the label hangs to the left of the text
        assert abs(after.left - text_x) < 2, f"{first.text!r} wraps to x={after.left}, its text is at x={text_x}"
        assert after.left > MARGIN_X + 12


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_signature_lines_have_room_to_sign(rendered, lang: str) -> None:
    _doc, _pdf, xhtml = rendered[lang]
    page = _signature_page(page_rows(xhtml), lang)
    rows = page_rows(xhtml, columns=True)[page]
    checked = 0
    for column in (0, 1):
        own = [r for r in rows if (r.left > 297) == bool(column)]
        for above, row in zip(own, own[1:]):
            if row.text.startswith(tuple(_sq(label) for label in FILL_LABELS[lang])):
                assert row.top - above.bottom >= 1.5 * CM, f"{row.text!r}: {row.top - above.bottom:.1f} pt of room"
                checked += 1
    parties = 2
    assert checked >= parties * (len(FILL_LABELS[lang]) - (lang == "en"))


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_the_lead_line_never_starts_a_page(rendered, lang: str) -> None:
    pages = page_rows(rendered[lang][2])
    for index, rows in enumerate(pages):
        for position, row in enumerate(rows):
            if row.text == _sq(LEAD[lang]):
                assert position > 0, f"{LEAD[lang]} starts page {index + 1}"
                if lang == "zh":  # the parties' blocks follow on the same page
                    assert any(r.text.startswith("甲方（盖章）") for r in rows[position:])
