"""Paragraph styles of a DOCX: the ``w:basedOn`` chain, its numbering and outline level.

Style ids are arbitrary ("2" is "heading 1" in a file saved by WPS and "List Number 2" in
another), so built-in styles are recognised by ``w:name``; ids only link styles to each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..limits import LIMITS, LimitExceeded
from ..wordml import W, wint, wval
from .. import rx

_HEADING_NAME = rx.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = frozenset({"title", "标题"})
BODY_TEXT_OUTLINE = 9  # w:outlineLvl 9 means "body text", not a heading


@dataclass(slots=True, frozen=True)
class NumPr:
    """A ``w:numPr``: either part may be missing and come from further up the chain."""

    num_id: str | None = None
    ilvl: int | None = None

    @classmethod
    def from_ppr(cls, ppr: etree._Element | None) -> NumPr | None:
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        if numpr is None:
            return None
        return cls(wval(numpr.find(W + "numId")), wint(numpr.find(W + "ilvl")))


@dataclass(slots=True, frozen=True)
class Style:
    id: str
    name: str
    based_on: str | None
    numpr: NumPr | None
    outline: int | None

    @classmethod
    def from_xml(cls, el: etree._Element) -> Style:
        ppr = el.find(W + "pPr")
        return cls(
            id=el.get(W + "styleId", ""),
            name=wval(el.find(W + "name"), "") or "",
            based_on=wval(el.find(W + "basedOn")),
            numpr=NumPr.from_ppr(ppr),
            outline=wint(ppr.find(W + "outlineLvl")) if ppr is not None else None,
        )

    def heading_level_by_name(self) -> int | None:
        name = self.name.strip()
        match = _HEADING_NAME.match(name)
        if match:
            return int(match[1])
        return 0 if name.lower() in _TITLE_NAMES else None


class Styles:
    """The paragraph and numbering styles of one document (empty without styles.xml)."""

    def __init__(self, root: etree._Element | None):
        self._styles: dict[str, Style] = {}
        self._default: str | None = None
        self._chains: dict[str | None, list[Style]] = {}
        if root is None:
            return
        for el in root.iterfind(W + "style"):
            if el.get(W + "type", "paragraph") not in ("paragraph", "numbering"):
                continue
            style = Style.from_xml(el)
            self._styles[style.id] = style
            if el.get(W + "type", "paragraph") == "paragraph" and el.get(W + "default") in ("1", "true"):
                self._default = style.id

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and the styles it is based on, nearest first (the default style if none).

        Read once per style (cached); a chain of more than ``Limits.style_chain`` styles is
        refused (``LimitExceeded``)."""
        if style_id not in self._chains:
            self._chains[style_id] = self._read_chain(style_id)
        return self._chains[style_id]

    def _read_chain(self, style_id: str | None) -> list[Style]:
        out: list[Style] = []
        seen: set[str] = set()
        current = style_id if style_id in self._styles else self._default
        while current in self._styles and current not in seen:
            if len(out) >= LIMITS.style_chain:
                raise LimitExceeded(f"styles are based on each other more than {LIMITS.style_chain} deep (the limit)")
            style = self._styles[current]
            out.append(style)
            seen.add(current)
            current = style.based_on
        return out

    def num_id(self, style_id: str) -> str | None:
        """The ``numId`` a (numbering) style points at, for ``w:numStyleLink``."""
        for style in self.chain(style_id):
            if style.numpr is not None and style.numpr.num_id is not None:
                return style.numpr.num_id
        return None

    def numpr(self, style_id: str | None) -> NumPr:
        """The numbering a paragraph style gives: each part from the nearest style that has it."""
        num_id: str | None = None
        ilvl: int | None = None
        for style in self.chain(style_id):
            if style.numpr is None:
                continue
            num_id = num_id if num_id is not None else style.numpr.num_id
            ilvl = ilvl if ilvl is not None else style.numpr.ilvl
        return NumPr(num_id, ilvl)

    def heading_level(self, style_id: str | None, direct_outline: int | None) -> int | None:
        """Outline level 1-9 (0 for a Title style) or None for body text.

        A direct ``w:outlineLvl`` wins, then the nearest style with one, then a style named
        "heading N" / "Title" in the chain.
        """
        outline = direct_outline
        chain = self.chain(style_id)
        for style in chain:
            if outline is not None:
                break
            outline = style.outline
        if outline is not None:
            return outline + 1 if 0 <= outline < BODY_TEXT_OUTLINE else None
        for style in chain:
            level = style.heading_level_by_name()
            if level is not None:
                return level
        return None
