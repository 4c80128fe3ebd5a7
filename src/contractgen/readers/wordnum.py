"""Word list numbering: the labels Word draws in front of numbered paragraphs.

``numbering.xml`` defines abstract lists (``w:abstractNum``, one ``w:lvl`` per outline level)
and list instances (``w:num``) that point at them. Counters belong to the abstract list, so
every ``w:num`` sharing it continues one sequence; a ``w:num`` with
``w:lvlOverride/w:startOverride`` restarts that shared counter where it is first used, and
the other ``w:num``s go on from there (Word and LibreOffice agree). A level's counter resets
when a higher level advances (``w:lvlRestart`` moves or disables that), and a level that has
not been used since its last reset prints as 0 in ``%1.%2`` labels, as in Word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from lxml import etree

from ..numbering.zh import count as chinese_count

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_ZH_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_PLACEHOLDER = re.compile(r"%([1-9])")
BULLET_FORMATS = frozenset({"bullet"})


def wval(el: etree._Element | None, default: str | None = None) -> str | None:
    """The ``w:val`` attribute of ``el``, or ``default`` when the element or value is missing."""
    if el is None:
        return default
    return el.get(W + "val", default)


def wint(el: etree._Element | None, default: int | None = None) -> int | None:
    value = wval(el)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def is_on(el: etree._Element | None) -> bool:
    """A Word on/off property: present and not switched off by ``w:val``."""
    return el is not None and wval(el, "true") not in ("0", "false", "off")


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letters: A..Z, then AA, BB, ... (the letter repeated, not base 26)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


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
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
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


@dataclass(slots=True, frozen=True)
class Level:
    """One ``w:lvl``: how a level counts and what its label looks like."""

    fmt: str = "decimal"
    text: str = ""
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

    def resets_after(self, own: int, used: int) -> bool:
        """Whether a paragraph at level ``used`` restarts this level (numbered ``own``)."""
        limit = own if self.restart is None or self.restart > own else self.restart
        return used < limit


@dataclass(slots=True)
class ListInstance:
    """A ``w:num`` resolved against its abstract list."""

    num_id: str
    key: str  # the abstract list whose counters it shares
    levels: dict[int, Level]
    restarts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level


@dataclass(slots=True, frozen=True)
class Label:
    """A drawn list label and the suffix Word puts after it."""

    text: str
    suffix: str

    @property
    def separator(self) -> str:
        return "" if self.suffix == "nothing" or not self.text else " "


class Numbering:
    """The list definitions of one document (an empty set when numbering.xml is missing)."""

    def __init__(self, root: etree._Element | None, style_num_id: Callable[[str], str | None]):
        self._abstract: dict[str, etree._Element] = {}
        self._nums: dict[str, etree._Element] = {}
        self._style_num_id = style_num_id
        self._cache: dict[str, ListInstance | None] = {}
        if root is not None:
            for el in root.iterfind(W + "abstractNum"):
                self._abstract[el.get(W + "abstractNumId", "")] = el
            for el in root.iterfind(W + "num"):
                self._nums[el.get(W + "numId", "")] = el

    def instance(self, num_id: str | None) -> ListInstance | None:
        """The list behind ``num_id``; None for 0, a missing id or a dangling definition."""
        if not num_id or num_id == "0":
            return None
        if num_id not in self._cache:
            self._cache[num_id] = self._resolve(num_id)
        return self._cache[num_id]

    def _abstract_for(self, num_id: str, seen: frozenset[str] = frozenset()) -> etree._Element | None:
        num = self._nums.get(num_id)
        if num is None or num_id in seen:
            return None
        abstract = self._abstract.get(wval(num.find(W + "abstractNumId"), ""))
        link = wval(abstract.find(W + "numStyleLink")) if abstract is not None else None
        if link:  # the definition lives in a numbering style: follow its numId
            linked = self._style_num_id(link)
            return self._abstract_for(linked, seen | {num_id}) if linked else None
        return abstract

    def _resolve(self, num_id: str) -> ListInstance | None:
        abstract = self._abstract_for(num_id)
        if abstract is None:
            return None
        levels = {_ilvl_attr(lvl): Level.from_xml(lvl) for lvl in abstract.iterfind(W + "lvl")}
        instance = ListInstance(num_id, abstract.get(W + "abstractNumId", ""), levels)
        for override in self._nums[num_id].iterfind(W + "lvlOverride"):
            ilvl = _ilvl_attr(override)
            lvl = override.find(W + "lvl")
            if lvl is not None:
                instance.levels[ilvl] = Level.from_xml(lvl)
            start = wint(override.find(W + "startOverride"))
            if start is not None:
                instance.restarts[ilvl] = start
        return instance

    def level_of_style(self, num_id: str, style_ids: list[str]) -> int | None:
        """The level linked back to one of ``style_ids`` by ``w:lvl/w:pStyle``."""
        instance = self.instance(num_id)
        if instance is None:
            return None
        for style_id in style_ids:
            for ilvl, level in sorted(instance.levels.items()):
                if level.style_id == style_id:
                    return ilvl
        return None


def _ilvl_attr(el: etree._Element) -> int:
    value = el.get(W + "ilvl", "0")
    return int(value) if value.isdigit() else 0


class ListCounters:
    """Counter state while reading a document top to bottom."""

    def __init__(self) -> None:
        self._counters: dict[str, dict[int, int]] = {}
        self._restarted: set[tuple[str, int]] = set()

    def advance(self, instance: ListInstance, ilvl: int) -> Label | None:
        """Count one paragraph at ``ilvl``; its label, or None for bullets and missing levels."""
        level = instance.levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(instance.key, {})
        current = counters.get(ilvl)
        if ilvl in instance.restarts and (instance.num_id, ilvl) not in self._restarted:
            # a startOverride restarts the shared counter where its w:num is first used
            self._restarted.add((instance.num_id, ilvl))
            counters[ilvl] = instance.restarts[ilvl]
        else:
            counters[ilvl] = level.start if current is None else current + 1
        for deeper, deeper_level in instance.levels.items():
            if deeper > ilvl and deeper_level.resets_after(deeper, ilvl):
                counters.pop(deeper, None)
        if level.fmt in BULLET_FORMATS:
            return None
        text = _PLACEHOLDER.sub(lambda m: self._number(instance, level, counters, int(m[1]) - 1),
                                level.text)
        return Label(text, level.suffix) if text.strip() else None

    @staticmethod
    def _number(instance: ListInstance, label_level: Level, counters: dict[int, int], ilvl: int) -> str:
        source = instance.levels.get(ilvl)
        fmt = "decimal" if label_level.legal or source is None else source.fmt
        if source is not None and source.fmt in BULLET_FORMATS:
            fmt = "decimal"
        return format_number(counters.get(ilvl, 0), fmt)
