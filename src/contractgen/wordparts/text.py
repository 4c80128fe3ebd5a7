"""A rendered Word part as the document model's blocks, for the Markdown and HTML outputs
(and for anything else that reads a built document's text).

:func:`blocks` reads a rendered body whose printed values may still be tokens (see
template.py); :func:`filled` puts a contract's values in, then drops what is empty.
"""

from __future__ import annotations

from lxml import etree

from ..model import Block, Paragraph, Table
from .ooxml import W
from .template import TOKEN

_ALIGN = {"center": "center", "right": "right", "end": "right"}


def paragraph_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        out.append(el.text or "" if el.tag == W + "t" else ("\t" if el.tag == W + "tab" else "\n"))
    return "".join(out)


def _style(p: etree._Element) -> str:
    jc = p.find(f"{W}pPr/{W}jc")
    return _ALIGN.get(jc.get(W + "val") if jc is not None else "", "body")


_CELL_PARAGRAPH = "\ue010"  # between a cell's paragraphs until the values are in


def _cell_text(cell: etree._Element) -> str:
    return _CELL_PARAGRAPH.join(paragraph_text(p).replace("\n", " ") for p in cell.iter(W + "p"))


def _table(tbl: etree._Element) -> Table:
    rows = [[[_cell_text(c)] for c in row.findall(W + "tc")] for row in tbl.findall(W + "tr")]
    first = tbl.find(W + "tr")
    header = first is not None and (first.find(f"{W}trPr/{W}tblHeader") is not None or _all_bold(first))
    return Table(rows=rows, header=header)


def _all_bold(row: etree._Element) -> bool:
    runs = [r for r in row.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    return bool(runs) and all(r.find(f"{W}rPr/{W}b") is not None for r in runs)


def blocks(body: etree._Element) -> list[Block]:
    """Paragraphs and tables of a rendered body, in order, as read (see :func:`filled`)."""
    out: list[Block] = []
    for el in body:
        if el.tag == W + "p":
            out.append(Paragraph(text=[paragraph_text(el)], style=_style(el)))
        elif el.tag == W + "tbl":
            out.append(_table(el))
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                out.extend(blocks(content))
    return out


def filled(read: list[Block], values: list[str] | None) -> list[Block]:
    """New blocks with the values in place of their tokens; empty paragraphs, empty cells'
    spaces and rows with nothing in them left out."""
    def text(value: str) -> str:
        value = TOKEN.sub(lambda m: values[int(m[1])], value) if values else value
        return " ".join(t for t in (t.strip() for t in value.split(_CELL_PARAGRAPH)) if t)

    out: list[Block] = []
    for block in read:
        if isinstance(block, Paragraph):
            value = text(block.text[0])
            if value:
                out.append(Paragraph(text=[value], style=block.style))
            continue
        rows = [[text(c[0]) for c in row] for row in block.rows]
        rows = [[[c] if c else [] for c in row] for row in rows if any(row)]
        if rows:
            out.append(Table(rows=rows, header=block.header))
    return out


__all__ = ["blocks", "filled", "paragraph_text"]
