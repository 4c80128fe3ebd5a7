"""A rendered Word part as the document model's blocks, for the Markdown and HTML outputs
(and for anything else that reads a built document's text)."""

from __future__ import annotations

from lxml import etree

from ..model import Block, Paragraph, Table
from .ooxml import W

_ALIGN = {"center": "center", "right": "right", "end": "right"}


def paragraph_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        out.append(el.text or "" if el.tag == W + "t" else ("\t" if el.tag == W + "tab" else "\n"))
    return "".join(out).strip()


def _style(p: etree._Element) -> str:
    jc = p.find(f"{W}pPr/{W}jc")
    return _ALIGN.get(jc.get(W + "val") if jc is not None else "", "body")


def _cell_text(cell: etree._Element) -> str:
    return " ".join(t for t in (paragraph_text(p).replace("\n", " ") for p in cell.iter(W + "p")) if t)


def _table(tbl: etree._Element) -> Table | None:
    rows = [[[_cell_text(c)] for c in row.findall(W + "tc")] for row in tbl.findall(W + "tr")]
    rows = [r for r in rows if any(c[0] for c in r)]
    if not rows:
        return None
    first = tbl.find(W + "tr")
    header = first is not None and (first.find(f"{W}trPr/{W}tblHeader") is not None or _all_bold(first))
    return Table(rows=[[[c[0]] if c[0] else [] for c in r] for r in rows], header=header)


def _all_bold(row: etree._Element) -> bool:
    runs = [r for r in row.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    return bool(runs) and all(r.find(f"{W}rPr/{W}b") is not None for r in runs)


def blocks(body: etree._Element) -> list[Block]:
    """Non-empty paragraphs and tables of a rendered body, in order."""
    out: list[Block] = []
    for el in body:
        if el.tag == W + "p":
            text = paragraph_text(el)
            if text:
                out.append(Paragraph(text=[text], style=_style(el)))
        elif el.tag == W + "tbl":
            table = _table(el)
            if table is not None:
                out.append(table)
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                out.extend(blocks(content))
    return out


__all__ = ["blocks", "paragraph_text"]
