"""Word list numbering: the labels Word draws in front of numbered paragraphs.

``numbering.xml`` defines abstract lists (``w:abstractNum``, one ``w:lvl`` per outline level)
and list instances (``w:num``) that point at them. Counters belong to the abstract list, so
every ``w:num`` sharing it continues one sequence; a ``w:num`` with
``w:lvlOverride/w:startOverride`` restarts that shared counter where it is first used, and
the other ``w:num``s go on from there (Word and LibreOffice agree). A level's counter resets
when a higher level advances (``w:lvlRestart`` moves or disables that), and a level that has
not been used since its last reset prints as 0 in ``%1.%2`` labels, as in Word.

Levels are 0-9 (``Limits.list_levels``: Word draws 9, LibreOffice 10); a ``w:lvl`` for any
other level is never drawn and is left out. A counter past ``Limits.list_value`` or a label
longer than ``Limits.label_chars`` is refused (``LimitExceeded``): ``w:start`` 10^15 in
upper-case Roman numerals would otherwise be a label of 10^12 letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from ..limits import LIMITS, LimitExceeded, ascii_int
# Re-exported for the reader modules that import them from here.
from ..wordml import BULLET_FORMATS, W, Level, format_number, is_on, wint, wval

__all__ = ["BULLET_FORMATS", "W", "Label", "Level", "ListCounters", "ListInstance", "Numbering",
           "format_number", "is_on", "wint", "wval"]


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

    def _abstract_for(self, num_id: str | None) -> etree._Element | None:
        seen: set[str] = set()
        while num_id is not None and num_id not in seen:
            num = self._nums.get(num_id)
            if num is None:
                return None
            if len(seen) >= LIMITS.style_chain:
                raise LimitExceeded(f"numbering styles link more than {LIMITS.style_chain} deep (the limit)")
            seen.add(num_id)
            abstract = self._abstract.get(wval(num.find(W + "abstractNumId"), ""))
            link = wval(abstract.find(W + "numStyleLink")) if abstract is not None else None
            if not link:
                return abstract
            num_id = self._style_num_id(link)  # the definition lives in a numbering style
        return None

    def _resolve(self, num_id: str) -> ListInstance | None:
        abstract = self._abstract_for(num_id)
        if abstract is None:
            return None
        levels = {_ilvl_attr(lvl): Level.from_xml(lvl) for lvl in abstract.iterfind(W + "lvl")
                  if _ilvl_attr(lvl) < LIMITS.list_levels}
        instance = ListInstance(num_id, abstract.get(W + "abstractNumId", ""), levels)
        for override in self._nums[num_id].iterfind(W + "lvlOverride"):
            ilvl = _ilvl_attr(override)
            if ilvl >= LIMITS.list_levels:
                continue
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
    """``@w:ilvl`` of a level definition; 0 when missing or not an (unsigned) number."""
    value = ascii_int(el.get(W + "ilvl", "0"))
    return value if value is not None and value >= 0 else 0


class ListCounters:
    """Counter state while reading a document top to bottom."""

    def __init__(self) -> None:
        self.limits = LIMITS
        self._counters: dict[str, dict[int, int]] = {}
        self._restarted: set[tuple[str, int]] = set()
        self._runs: dict[str, int] = {}  # abstract list -> times a startOverride restarted it

    def list_id(self, instance: ListInstance) -> str:
        """Which sequence a paragraph just counted belongs to, for ``Line.list_id``.

        Counters belong to the abstract list, so every ``w:num`` sharing one is one list
        ("a3") at every level; a ``w:startOverride`` that restarted its top level begins
        another ("a3/1").
        """
        run = self._runs.get(instance.key, 0)
        return f"a{instance.key}" if not run else f"a{instance.key}/{run}"

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
            if current is not None and ilvl == min(instance.levels):
                self._runs[instance.key] = self._runs.get(instance.key, 0) + 1
            counters[ilvl] = instance.restarts[ilvl]
        else:
            counters[ilvl] = level.start if current is None else current + 1
        if abs(counters[ilvl]) > self.limits.list_value:
            raise LimitExceeded(f"a list counts to {counters[ilvl]:,} (the limit is {self.limits.list_value:,})")
        for deeper, deeper_level in instance.levels.items():
            if deeper > ilvl and deeper_level.resets_after(deeper, ilvl):
                counters.pop(deeper, None)
        if level.fmt in BULLET_FORMATS:
            return None
        text = level.label(counters, instance.levels)
        if len(text) > self.limits.label_chars:
            raise LimitExceeded(f"a list label of {len(text):,} characters (the limit is {self.limits.label_chars})")
        return Label(text, level.suffix) if text.strip() else None
