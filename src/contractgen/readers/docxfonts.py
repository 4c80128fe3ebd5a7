"""Whether Chinese text in a DOCX has an East Asian font.

Word picks the font for Chinese characters from ``w:rFonts/@w:eastAsia`` (or
``@w:eastAsiaTheme``, a theme font), looked up on the run, then its character style chain,
then the paragraph style chain, then ``w:docDefaults``. When none sets it, Word, WPS and
LibreOffice each fall back to a font of their own choosing (often a Japanese one, or the
Latin font without Chinese glyphs), so the same file prints differently on each machine.
"""

from __future__ import annotations


from lxml import etree

from ..limits import LIMITS, LimitExceeded
from ..wordml import W
from .. import rx

_CJK = rx.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_EAST_ASIA = (W + "eastAsia", W + "eastAsiaTheme")


def has_cjk(run: etree._Element) -> bool:
    """Whether a run shows Chinese characters in its ``w:t`` text."""
    return any(t.text and _CJK.search(t.text) for t in run.iterfind(W + "t"))


def sets_east_asian_font(rpr: etree._Element | None) -> bool:
    """Whether a ``w:rPr`` names an East Asian font (a ``w:hint`` alone names none)."""
    fonts = rpr.find(W + "rFonts") if rpr is not None else None
    return fonts is not None and any(fonts.get(attr) for attr in _EAST_ASIA)


class EastAsianFonts:
    """East Asian font lookup through styles and document defaults (nothing without styles.xml)."""

    def __init__(self, root: etree._Element | None):
        self._own: dict[str, bool] = {}
        self._based_on: dict[str, str | None] = {}
        self._default_para: str | None = None
        self._cache: dict[str | None, bool] = {}
        self._default = False
        if root is None:
            return
        self._default = sets_east_asian_font(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        for style in root.iterfind(W + "style"):
            style_id = style.get(W + "styleId", "")
            based = style.find(W + "basedOn")
            self._based_on[style_id] = based.get(W + "val") if based is not None else None
            self._own[style_id] = sets_east_asian_font(style.find(W + "rPr"))
            if style.get(W + "type", "paragraph") == "paragraph" and style.get(W + "default") in ("1", "true"):
                self._default_para = style_id

    def _style_has(self, style_id: str | None) -> bool:
        """Whether a style or a style it is based on names an East Asian font (cached)."""
        if style_id not in self._cache:
            seen: set[str] = set()
            current, found = style_id, False
            while current in self._own and current not in seen and not found:
                if len(seen) >= LIMITS.style_chain:
                    raise LimitExceeded(f"styles are based on each other more than {LIMITS.style_chain} deep "
                                        "(the limit)")
                seen.add(current)
                found = self._own[current]
                current = self._based_on.get(current)
            self._cache[style_id] = found
        return self._cache[style_id]

    def run_has_font(self, rpr: etree._Element | None, para_style: str | None) -> bool:
        """Whether a run's Chinese text has an East Asian font from anywhere in the chain."""
        if self._default or sets_east_asian_font(rpr):
            return True
        char_style = rpr.find(W + "rStyle") if rpr is not None else None
        if char_style is not None and self._style_has(char_style.get(W + "val")):
            return True
        style = para_style if para_style in self._own else self._default_para
        return self._style_has(style)
