"""References across versions: what an old citation points at, and how it reads renumbered.

A citation is found with ``check``'s own finder (:func:`contractgen.checks.citations.citations`)
and resolved to the old unit it names; that unit's match in the new version gives the number
the citation should show now. :func:`renumber_text` rewrites the old text that way, so text
whose only difference is consistent renumbering compares equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..checks.citations import Citation
from ..checks.citations import citations as _citations
from ..grammar import CN_NUM, count_value, parse_dotted
from ..numbering.zh import count
from .units import Unit
from .. import rx

_NUMERAL = rx.compile(rf"\d+(?:\.\d+)*|{CN_NUM}")


@lru_cache(maxsize=65536)
def citations(text: str) -> tuple[Citation, ...]:
    """``check``'s citations of a text, found once per text (both versions share most text)."""
    return tuple(_citations(text)) if text else ()


@dataclass(slots=True, frozen=True)
class Rewrite:
    """One citation number as the new version should show it."""

    start: int
    end: int
    old: str
    new: str
    target: int  # the old unit's index


class UnitIndex:
    """Units of one version by what a citation names: (part id, clause number) or an
    attachment's (series, number)."""

    def __init__(self, units: list[Unit]):
        self.clauses: dict[tuple[str, tuple[int, ...]], Unit] = {}
        self.attachments: dict[tuple[str, int], Unit] = {}
        self.main = next((u.part.id for u in units if u.part_kind == "main"), None)
        for u in units:
            if u.level and u.number:
                self.clauses.setdefault((u.part.id, u.number), u)
            elif u.level == 0 and u.part.kind == "attachment" and u.number:
                series = _series(u.number_text)
                self.attachments.setdefault((series, u.number[0]), u)

    def target(self, unit: Unit, cit: Citation) -> Unit | None:
        """The unit a citation in ``unit`` names, or None."""
        if cit.kind == "attachment":
            return self.attachments.get(cit.key)
        own = (unit.part.id, cit.number)
        if cit.scope == "self" and unit.part.kind == "addendum" and own in self.clauses:
            return self.clauses[own]
        if cit.scope in ("main", "self") or cit.scope.startswith("part:"):
            return self.clauses.get((self.main, cit.number))
        return self.clauses.get(own) or self.clauses.get((self.main, cit.number))


def _series(number_text: str) -> str:
    word = re.match(r"[^\s\d一二三四五六七八九十IVXL]+", number_text)
    text = word[0].strip() if word else ""
    return {"附表": "附件"}.get(text, text if text == "附件" else text.lower())


def rewrites(text: str, unit: Unit, index: UnitIndex, new_number) -> list[Rewrite]:
    """The citation numbers of ``text`` that change with their targets' renumbering;
    ``new_number(old_unit)`` gives the matched unit's number, or None."""
    out: list[Rewrite] = []
    cursor: dict[int, int] = {}
    for cit in citations(text):
        target = index.target(unit, cit)
        number = new_number(target) if target is not None else None
        span = _numeral_span(text, cit, cursor.get(cit.start, cit.start))
        if span is None:
            continue
        cursor[cit.start] = span[1]
        if number and tuple(number) != cit.number:
            old = text[span[0]:span[1]]
            out.append(Rewrite(span[0], span[1], old, _format_like(old, number), target.index))
    return out


def _numeral_span(text: str, cit: Citation, start: int) -> tuple[int, int] | None:
    """Where the citation's number is written (the second of "Sections 5.5 and 5.6" too)."""
    for m in _NUMERAL.finditer(text, start, min(len(text), start + len(cit.text) + 60)):
        value = parse_dotted(m[0]) if m[0][0].isdigit() else _one(count_value(m[0]))
        if value == cit.number:
            return m.start(), m.end()
    return None


def _one(value: int | None) -> tuple[int, ...] | None:
    return (value,) if value else None


def _format_like(old: str, number: tuple[int, ...]) -> str:
    if not old[0].isdigit() and len(number) == 1:
        return count(number[0])
    return ".".join(str(n) for n in number)


def apply(text: str, found: list[Rewrite]) -> str:
    for rw in sorted(found, key=lambda r: r.start, reverse=True):
        text = text[:rw.start] + rw.new + text[rw.end:]
    return text


def cited_numbers(text: str) -> list[tuple[str, tuple[int, ...], str]]:
    """(kind, number, text) of every citation, in order — to pair old and new citations."""
    return [(c.kind, c.number, c.text) for c in citations(text)]
