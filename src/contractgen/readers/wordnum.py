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

from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

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
        for deeper, deeper_level in instance.levels.items():
            if deeper > ilvl and deeper_level.resets_after(deeper, ilvl):
                counters.pop(deeper, None)
        if level.fmt in BULLET_FORMATS:
            return None
        text = level.label(counters, instance.levels)
        return Label(text, level.suffix) if text.strip() else None
