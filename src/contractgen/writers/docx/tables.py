"""Tables as WordprocessingML: columns as wide as their content needs, a shaded header
row that repeats on every page, rows that do not split, and a little space after."""

from __future__ import annotations

import unicodedata
from typing import Callable

from ...model import Inline, Table, plain_text
from ...numbering import get_scheme
from .typeset import TEXT_WIDTH
from .xml import paragraph, ppr

MIN_SHARE = 4  # no column narrower than about four characters
MAX_SHARE = 40  # a long cell wraps instead of squeezing its neighbours
HEADER_FILL = "D9D9D9"


def display_width(text: str) -> int:
    """Roughly how many Latin character widths a text takes (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_widths(table: Table, total: int = TEXT_WIDTH) -> list[int]:
    """Twips per column, in proportion to the widest cell of each (within bounds)."""
    count = max((len(r) for r in table.rows), default=1) or 1
    shares = [MIN_SHARE] * count
    for row in table.rows:
        for i, cell in enumerate(row):
            shares[i] = max(shares[i], min(MAX_SHARE, display_width(plain_text(cell))))
    widths = [total * s // sum(shares) for s in shares]
    widths[-1] += total - sum(widths)
    return widths


def table_xml(table: Table, inlines: Callable[[list[Inline], str], str], lang: str) -> str:
    widths = column_widths(table)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    bold = "" if get_scheme(lang).typography and not get_scheme(lang).typography.heading_bold else "<w:b/>"
    rows = []
    for index, row in enumerate(table.rows):
        header = table.header and index == 0
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        rpr = f"<w:rPr>{bold}</w:rPr>" if header and bold else ""
        cells = "".join(_cell(inlines(cell, rpr), widths[i], header) for i, cell in enumerate(row))
        rows.append(f"<w:tr>{trpr}{cells}</w:tr>")
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _cell(content: str, width: int, header: bool) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if header else ""
    style = "TableHeader" if header else "TableText"
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
            f"{paragraph(ppr(style), content)}</w:tc>")
