"""Tables as WordprocessingML: columns as wide as their content needs, a shaded header
row that repeats on every page, rows that do not split, and a little space after."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from ...model import Inline, Table, plain_text
from ...numbering import get_scheme
from .typeset import TEXT_WIDTH
from .xml import paragraph, ppr
from ... import rx

HEADER_FILL = "D9D9D9"
CHAR = 120  # twips of one Latin character width at 12 pt (a CJK character is two)
PADDING = 2 * 108 + 60  # the cell's left and right margins, and a little air


# wide (East Asian W/F) characters: CJK, kana, Hangul, full-width forms
_WIDE = rx.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def display_width(text: str) -> int:
    """Roughly how many Latin character widths a text takes (a CJK character takes two)."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def _longest_word(text: str) -> int:
    if text.isascii():
        return max(map(len, text.split()), default=0)
    return max((display_width(w) for w in text.split() if not _WIDE.search(w)), default=0)


def column_widths(table: Table, total: int = TEXT_WIDTH) -> list[int]:
    """Twips per column from its content: each column as wide as its longest cell if they
    all fit; otherwise short columns keep their width, no column is narrower than its
    longest word, and the long ones share the rest (they wrap)."""
    return list(_widths(tuple(tuple(plain_text(cell) for cell in row) for row in table.rows), total))


def fits(table: Table, total: int) -> bool:
    """Whether every column's longest word fits in ``total`` twips side by side."""
    return _least(tuple(tuple(plain_text(cell) for cell in row) for row in table.rows)) <= total


@lru_cache(maxsize=256)
def _least(rows: tuple[tuple[str, ...], ...]) -> int:
    count = max((len(r) for r in rows), default=1) or 1
    least = [PADDING] * count
    for row in rows:
        for i, text in enumerate(row):
            least[i] = max(least[i], _longest_word(text) * CHAR + PADDING)
    return sum(least)


@lru_cache(maxsize=256)  # a batch writes the same tables, row after row
def _widths(rows: tuple[tuple[str, ...], ...], total: int) -> tuple[int, ...]:
    count = max((len(r) for r in rows), default=1) or 1
    natural, least = [PADDING] * count, [PADDING] * count
    for row in rows:
        for i, text in enumerate(row):
            natural[i] = max(natural[i], display_width(text) * CHAR + PADDING)
            least[i] = max(least[i], _longest_word(text) * CHAR + PADDING)
    if sum(natural) <= total:
        widths = [total * n // sum(natural) for n in natural]
    else:
        widths, remaining, left = [0] * count, total, count
        for i in sorted(range(count), key=lambda k: (natural[k], k)):
            share = remaining // left
            widths[i] = min(natural[i], max(share, least[i]))
            remaining, left = remaining - widths[i], left - 1
    widths[-1] += total - sum(widths)
    if widths[-1] < PADDING:  # longest words wider than the room (many columns in a narrow one): shrink them all
        widths = [max(1, total * n // sum(least)) for n in least]
        widths[-1] += total - sum(widths)
    return tuple(widths)


def table_xml(table: Table, inlines: Callable[[list[Inline], str], str], lang: str, total: int = TEXT_WIDTH) -> str:
    """``total``: the twips it may take (the text's width, or a side-by-side column's)."""
    widths = column_widths(table, total)
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
