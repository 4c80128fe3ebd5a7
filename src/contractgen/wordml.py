"""WordprocessingML vocabulary shared by the DOCX writer and the DOCX reader.

Namespace URIs, on/off and value attributes, and the description of one list level
(``w:lvl``: ``w:numFmt``, ``w:lvlText``, ``w:start``, ``w:isLgl``, ``w:suff``, …) with the
label it draws for given counters. The writer turns a :class:`Level` into XML, the reader
builds one from XML and asks it for labels, so both sides agree on what a level means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable
from . import rx

if TYPE_CHECKING:  # the writer needs only the names below; lxml is the readers' (11 ms of a batch's start-up)
    from lxml import etree

from .limits import LimitExceeded, ascii_int
from .model import join_number


def quoteattr(data: str) -> str:
    """``xml.sax.saxutils.quoteattr``, quoting for quoting: importing xml.sax.saxutils
    imports urllib.request (and http.client, ssl), ~30 ms of every batch's start-up."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    data = data.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"%s"' % data.replace('"', "&quot;")
from .numbering.base import letter, roman
from .numbering.zh import count as chinese_count

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"  # Clark notation prefix for lxml: W + "p" is w:p
R = f"{{{R_NS}}}"

BULLET_FORMATS = frozenset({"bullet"})
_PLACEHOLDER = rx.compile(r"%([1-9])")


def wval(el: etree._Element | None, default: str | None = None) -> str | None:
    """The ``w:val`` attribute of ``el``, or ``default`` when the element or value is missing."""
    if el is None:
        return default
    return el.get(W + "val", default)


def wint(el: etree._Element | None, default: int | None = None) -> int | None:
    """The ``w:val`` of ``el`` as a number, ``default`` when missing or not a number.

    Only ASCII digits count ("²" and "٣" are no number in a file); a number with more
    digits than :data:`contractgen.limits.LIMITS` allows raises ``LimitExceeded``."""
    try:
        value = ascii_int(wval(el))
    except LimitExceeded as exc:
        from lxml import etree

        raise LimitExceeded(f"{exc} in w:{etree.QName(el).localname}") from None
    return default if value is None else value


def is_on(el: etree._Element | None) -> bool:
    """A Word on/off property: present and not switched off by ``w:val``."""
    return el is not None and wval(el, "true") not in ("0", "false", "off")


# -- number formats (w:numFmt) -------------------------------------------------------------

_ZH_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese_counting(n: int) -> str:
    """``chineseCounting``: 一..九十九 in words, larger numbers digit by digit (一〇一)."""
    if n < 100:
        return chinese_count(n)
    return "".join(_ZH_DIGITS[int(d)] for d in str(n))


def _from_table(table: str) -> Callable[[int], str]:
    return lambda n: table[n - 1] if n <= len(table) else str(n)


_FORMATTERS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": lambda n: roman(n).upper(),
    "lowerRoman": roman,
    "upperLetter": lambda n: letter(n).upper(),
    "lowerLetter": letter,
    "chineseCounting": _chinese_counting,
    "chineseCountingThousand": chinese_count,
    "taiwaneseCountingThousand": lambda n: chinese_count(n).replace("万", "萬"),
    "taiwaneseCounting": _chinese_counting,
    "ideographTraditional": _from_table(_HEAVENLY_STEMS),
    "decimalEnclosedCircle": _from_table("".join(chr(0x2460 + i) for i in range(20))),
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "none": lambda n: "",
}


@lru_cache(maxsize=4096)  # Chinese counting goes through cn2an, which is slow
def format_number(value: int, fmt: str) -> str:
    """One counter in one ``w:numFmt``; unknown formats fall back to decimal."""
    if fmt == "none":
        return ""
    if value <= 0:
        return "〇" if "Counting" in fmt else "0"
    return _FORMATTERS.get(fmt, str)(value)


def suffix_for(text: str) -> str:
    """``w:suff`` for a label: none after its own punctuation ("一、", "（一）"), else a space —
    the rule :func:`contractgen.model.join_number` uses for typed numbers."""
    return "space" if join_number(text, "x") != f"{text}x" else "nothing"


# -- one list level -------------------------------------------------------------------------

@dataclass(slots=True, frozen=True)
class Level:
    """One ``w:lvl``: how a level counts and what its label looks like."""

    fmt: str = "decimal"
    text: str = ""  # w:lvlText, e.g. "第%1条", "%1.%2"
    start: int = 0  # ECMA-376: a missing w:start means 0
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart (1-based level; 0 = never)
    legal: bool = False  # w:isLgl: every number in the label is decimal
    style_id: str | None = None  # w:pStyle: the paragraph style linked to this level

    @classmethod
    def from_xml(cls, lvl: etree._Element) -> Level:
        return cls(
            fmt=wval(lvl.find(W + "numFmt"), "decimal"),
            text=wval(lvl.find(W + "lvlText"), ""),
            start=wint(lvl.find(W + "start"), 0),
            suffix=wval(lvl.find(W + "suff"), "tab"),
            restart=wint(lvl.find(W + "lvlRestart")),
            legal=is_on(lvl.find(W + "isLgl")),
            style_id=wval(lvl.find(W + "pStyle")),
        )

    def xml(self, ilvl: int) -> str:
        """The ``w:lvl`` element, children in schema order (``w:suff`` before ``w:lvlText``)."""
        restart = f'<w:lvlRestart w:val="{self.restart}"/>' if self.restart is not None else ""
        style = f"<w:pStyle w:val={quoteattr(self.style_id)}/>" if self.style_id else ""
        legal = "<w:isLgl/>" if self.legal else ""
        return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{self.start}"/>'
                f'<w:numFmt w:val="{self.fmt}"/>{restart}{style}{legal}'
                f'<w:suff w:val="{self.suffix}"/><w:lvlText w:val={quoteattr(self.text)}/>'
                '<w:lvlJc w:val="left"/></w:lvl>')

    def resets_after(self, own: int, used: int) -> bool:
        """Whether a paragraph at level ``used`` restarts this level (numbered ``own``)."""
        limit = own if self.restart is None or self.restart > own else self.restart
        return used < limit

    def label(self, counters: Mapping[int, int], levels: Mapping[int, Level]) -> str:
        """The text Word draws for this level: each ``%n`` is level n-1's current counter in
        that level's format — in decimal when this level is legal (``isLgl``) or that level
        is a bullet; a level never used since its reset counts 0."""
        def number(match: re.Match) -> str:
            ilvl = int(match[1]) - 1
            source = levels.get(ilvl)
            decimal = self.legal or source is None or source.fmt in BULLET_FORMATS
            return format_number(counters.get(ilvl, 0), "decimal" if decimal else source.fmt)

        return _PLACEHOLDER.sub(number, self.text)
