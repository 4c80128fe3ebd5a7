"""Typography of generated text, from the language's :class:`~contractgen.numbering.base.Typography`:
curly quotes and non-breaking spaces in runs, and the signature page element's paragraphs.

Locale is data: the quote style, the citations kept on one line ("Section 6.1",
"第 6.1 条") and the signature wording all come from the numbering scheme.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from ...model import SignatureBlock
from ...numbering import SCHEMES
from ...numbering.base import SignatureForm
from .xml import paragraph, ppr, tab_run

NBSP = "\u00a0"
TEXT_WIDTH = 8306  # A4 minus 2 × 1800 twips of margin
CELL_MARGIN = 108
_OPEN_AFTER = r"(^|(?<=[\s(\[{\u2014\u2013/-]))"


def curly_quotes(text: str) -> str:
    """Straight quotes as typographic ones: an opening quote at the start or after a space
    or bracket, a closing one (and the apostrophe) elsewhere."""
    if '"' not in text and "'" not in text:
        return text
    text = re.sub(_OPEN_AFTER + '"', "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(_OPEN_AFTER + "'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


@lru_cache(maxsize=8)
def typesetter(lang: str) -> Callable[[str], str]:
    """The text transform of one language's generated runs (identity where it has none);
    cached per text, since a batch writes the same clause text for every row."""
    typo = SCHEMES[lang].typography if lang in SCHEMES else None
    if typo is None or not (typo.curly_quotes or typo.keep_together):
        return lambda text: text
    together = re.compile("|".join(f"(?:{p})" for p in typo.keep_together)) if typo.keep_together else None
    quotes = typo.curly_quotes

    @lru_cache(maxsize=8192)
    def typeset(text: str) -> str:
        if quotes:
            text = curly_quotes(text)
        if together is not None and " " in text:
            text = together.sub(lambda m: m[0].replace(" ", NBSP), text)
        return text

    return typeset


RunsFn = Callable[[str], str]


def _line(label: str, value: str, room: int, width: int, runs: RunsFn, form: SignatureForm) -> str:
    """One line of a party's block; a line with a blank ends in an underscore tab leader to
    the cell's edge, with ``room`` twips above it to sign in (a filled line has no blank)."""
    if not room:
        return paragraph(ppr("Signature"), runs(form.line_text(label, value)))
    if value:  # filled from the data (a date, the signatory's name): room to sign, no blank after it
        return paragraph(ppr("Signature", extra=f'<w:spacing w:before="{room}"/>'), runs(form.line_text(label, value)))
    extra = (f'<w:tabs><w:tab w:val="right" w:leader="underscore" w:pos="{width}"/></w:tabs>'
             f'<w:spacing w:before="{room}"/>')
    return paragraph(ppr("Signature", extra=extra), runs(form.line_text(label, value)) + tab_run())


def signature_paragraphs(block: SignatureBlock, form: SignatureForm, runs: RunsFn, page_break: bool) -> str:
    """The parties two by two in an unbordered table whose rows never split across pages;
    every paragraph keeps with the next, so the whole element stays on one page."""
    out = [paragraph(ppr("Signature", page_break=True), "")] if page_break else []
    col = TEXT_WIDTH // 2
    width = col - 2 * CELL_MARGIN
    cells = []
    for party in block.parties:
        lines = form.party_lines(party.role, party.name, party.signatory, party.date)
        content = "".join(_line(label, value, room, width, runs, form) for label, value, room in lines)
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>{content}</w:tc>')
    empty = f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>{paragraph(ppr("Signature"), "")}</w:tc>'
    rows = []
    for i in range(0, len(cells), 2):
        pair = cells[i:i + 2] + ([empty] if len(cells[i:i + 2]) == 1 else [])
        rows.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(pair)}</w:tr>')
    borders = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out.append('<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
               f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
               f'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid><w:gridCol w:w="{col}"/><w:gridCol w:w="{col}"/>'
               f'</w:tblGrid>{"".join(rows)}</w:tbl>')
    out.append(paragraph(ppr("TableAfter"), ""))
    return "".join(out)
