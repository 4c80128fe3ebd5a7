"""Reading what the DOCX writer wrote: parts, REF fields and the bookmarks they point at."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def pretty(xml: bytes) -> str:
    """A stable, line-per-element rendering of an XML part for golden diffs."""
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(xml, parser), pretty_print=True, encoding="unicode")


@dataclass
class Field:
    instruction: str
    cached: str
    paragraph: etree._Element


def fields(document_xml: bytes) -> list[Field]:
    """Every complex field in document order of its end; a TOC's entries hold PAGEREF
    fields, so open fields form a stack."""
    root = etree.fromstring(document_xml)
    found: list[Field] = []
    stack: list[tuple[list[str], list[str], list[bool], etree._Element]] = []
    for paragraph in root.iter(f"{W}p"):
        for node in paragraph.iter(f"{W}fldChar", f"{W}instrText", f"{W}t"):
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                stack.append(([], [], [False], paragraph))
            elif kind == "separate":
                stack[-1][2][0] = True
            elif kind == "end":
                instr, cached, _, where = stack.pop()
                found.append(Field("".join(instr).strip(), "".join(cached), where))
            elif stack and node.tag == f"{W}instrText":
                stack[-1][0].append(node.text or "")
            elif stack and node.tag == f"{W}t" and stack[-1][2][0]:
                stack[-1][1].append(node.text or "")
    return found


def bookmarked_paragraphs(document_xml: bytes) -> dict[str, etree._Element]:
    """Bookmark name -> the paragraph it starts in."""
    root = etree.fromstring(document_xml)
    return {b.get(f"{W}name"): b.getparent() for b in root.iter(f"{W}bookmarkStart")}


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def _numpr(num: etree._Element) -> tuple[str, str]:
    return num.find(f"{W}numId").get(f"{W}val"), num.find(f"{W}ilvl").get(f"{W}val")


def style_numbering(data: bytes) -> dict[str, tuple[str, str]]:
    """Paragraph style id -> the (numId, ilvl) its ``w:numPr`` gives, for a built DOCX."""
    root = etree.fromstring(read_part(data, "word/styles.xml"))
    return {s.get(f"{W}styleId"): _numpr(s.find(f"{W}pPr/{W}numPr")) for s in root.iter(f"{W}style")
            if s.find(f"{W}pPr/{W}numPr") is not None}


def numbering_of(paragraph: etree._Element,
                 by_style: dict[str, tuple[str, str]] | None = None) -> tuple[str, str] | None:
    """(numId, ilvl) of a paragraph: its own ``w:numPr``, else its style's (see
    :func:`style_numbering`; our styles are not based on numbered ones)."""
    num = paragraph.find(f"{W}pPr/{W}numPr")
    if num is not None:
        return _numpr(num)
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return (by_style or {}).get(style.get(f"{W}val")) if style is not None else None
