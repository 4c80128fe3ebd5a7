"""Aligning two versions by structure, not by number.

Units are matched in rounds, each round only among units still unmatched and of the same
part kind and outline level: by label (generated documents), by a title that is unique on
both sides, by text that is unique on both sides (citations masked, so a renumbered
reference does not stop a match), then the same two within parents already matched, and
last by text similarity (rapidfuzz). A unit keeps its match whatever its number, so a moved
or renumbered article is matched to itself. Moves are the matched pairs outside the longest
run that keeps its order on both sides.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Callable, Hashable, Iterable

from rapidfuzz import fuzz

from .refs import citations
from .units import Unit, normalise

SIMILARITY = 60.0      # below this a pair of texts is not the same unit edited
PARENT_BONUS = 12.0    # a candidate under the matched parent is preferred


def masked(text: str) -> str:
    """Text with every citation's number masked: "见第十条" and "见第九条" read alike."""
    for cit in reversed(citations(text)):
        text = text[:cit.start] + "§" + text[cit.start + len(cit.text):]
    return normalise(text)


class Alignment:
    """Matched pairs between the old and new unit lists, and the moved ones."""

    def __init__(self, old: list[Unit], new: list[Unit]):
        self.old, self.new = old, new
        self.old_to_new: dict[int, int] = {}
        self.new_to_old: dict[int, int] = {}
        self._bodies: dict[tuple[str, int], str] = {}
        self.moved: set[int] = set()  # old indexes

    def pair(self, o: Unit, n: Unit) -> None:
        self.old_to_new[o.index] = n.index
        self.new_to_old[n.index] = o.index

    def match_of(self, unit: Unit) -> Unit | None:
        """The new unit an old unit was matched to."""
        i = self.old_to_new.get(unit.index)
        return None if i is None else self.new[i]

    def origin_of(self, unit: Unit) -> Unit | None:
        """The old unit a new unit was matched to."""
        i = self.new_to_old.get(unit.index)
        return None if i is None else self.old[i]

    def body(self, side: str, unit: Unit) -> str:
        key = (side, unit.index)
        if key not in self._bodies:
            self._bodies[key] = masked(unit.body)
        return self._bodies[key]

    def free(self) -> tuple[list[Unit], list[Unit]]:
        return ([u for u in self.old if u.index not in self.old_to_new],
                [u for u in self.new if u.index not in self.new_to_old])


def _group(unit: Unit) -> tuple[str, int]:
    return unit.part_kind, unit.level


def _parent_key(align: Alignment, unit: Unit, side: str) -> int | None:
    if unit.parent is None:
        return None
    return align.old_to_new.get(unit.parent.index) if side == "old" else unit.parent.index


def match_unique(align: Alignment, key: Callable[[Unit, str], Hashable | None]) -> None:
    """Pair the free units whose key is unique on both sides and the same."""
    old_free, new_free = align.free()
    olds, news = _by_key(old_free, key, "old"), _by_key(new_free, key, "new")
    for k, units in olds.items():
        if len(units) == 1 and len(news.get(k, ())) == 1:
            align.pair(units[0], news[k][0])


def _by_key(units: Iterable[Unit], key, side: str) -> dict:
    out: dict = defaultdict(list)
    for u in units:
        k = key(u, side)
        if k is not None:
            out[k].append(u)
    return out


def match_similar(align: Alignment) -> None:
    """Pair what is left by text similarity, best pairs first, within part kind and level."""
    old_free, new_free = align.free()
    news = defaultdict(list)
    for n in new_free:
        news[_group(n)].append(n)
    scored = []
    for group, olds in _grouped(old_free).items():
        cands = news.get(group)
        if not cands:
            continue
        for o in olds:
            text = align.body("old", o)
            for n in cands:
                score = fuzz.ratio(text, align.body("new", n), score_cutoff=SIMILARITY - PARENT_BONUS)
                if _parent_key(align, o, "old") == _parent_key(align, n, "new"):
                    score += PARENT_BONUS
                if score >= SIMILARITY:
                    scored.append((-score, o.index, n.index))
    for _neg, oi, ni in sorted(scored):
        if oi not in align.old_to_new and ni not in align.new_to_old:
            align.pair(align.old[oi], align.new[ni])


def _grouped(units: list[Unit]) -> dict:
    out = defaultdict(list)
    for u in units:
        out[_group(u)].append(u)
    return out


def _title(unit: Unit) -> str:
    return normalise(unit.title)


def align_units(old: list[Unit], new: list[Unit]) -> Alignment:
    """Match old units to new ones, then find the moved pairs."""
    align = Alignment(old, new)
    match_unique(align, lambda u, s: (_group(u), u.label) if u.label else None)
    match_unique(align, lambda u, s: (_group(u), _title(u)) if u.title else None)
    match_unique(align, lambda u, s: (_group(u), align.body(s, u)) if u.body.strip() else None)
    match_unique(align, lambda u, s: (_group(u), _parent_key(align, u, s), _title(u)) if u.title else None)
    match_unique(align, lambda u, s: (_group(u), _parent_key(align, u, s), align.body(s, u)))
    match_unique(align, lambda u, s: (_group(u),) if u.level == 0 and u.part_kind in _SINGLE else None)
    match_similar(align)
    align.moved = moved_pairs(align)
    return align


_SINGLE = ("cover", "main")


def moved_pairs(align: Alignment) -> set[int]:
    """Old indexes of the matched pairs outside a longest order-keeping run (patience/LIS)."""
    pairs = sorted(align.old_to_new.items())
    keep = _longest_increasing([n for _, n in pairs])
    return {pairs[i][0] for i in range(len(pairs)) if i not in keep}


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []       # the smallest tail value of a run of each length
    tail_pos: list[int] = []
    back = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_pos.append(i)
        else:
            tails[k], tail_pos[k] = v, i
        back[i] = tail_pos[k - 1] if k else -1
    keep, i = set(), tail_pos[-1] if tail_pos else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return keep

