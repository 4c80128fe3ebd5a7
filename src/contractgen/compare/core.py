"""The comparison of two documents: entries per unit in redline order, totals, findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..diagnostics import Finding
from ..model import Document
from .align import Alignment, align_units, masked
from .classify import (DELETED, EDITED, INSERTED, KINDS, MERGED, MOVED, RENUMBERED, SPLIT, UNCHANGED, Classifier,
                       Entry, lone)
from .units import Unit, document_units

SPLIT_SIMILARITY = 85.0
HERE, MOVED_FROM, MOVED_TO = "here", "moved-from", "moved-to"


@dataclass
class Comparison:
    """What changed from ``old`` to ``new``. ``sequence`` is the redline order: NEW's units
    with deleted and moved-away old units at the place they had; ``findings`` are
    ``check``'s reference findings on NEW that OLD did not have, and ``retargeted`` the
    citations that now point elsewhere than before."""

    old: Document
    new: Document
    entries: list[Entry]
    sequence: list[tuple[Entry, str]]
    findings: list[Finding] = field(default_factory=list)
    retargeted: list[tuple[Entry, str]] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.new.lang or self.old.lang

    @property
    def reported(self) -> list[Entry]:
        return [e for e in self.entries if e.reported and e.kind != UNCHANGED]

    @property
    def identical(self) -> bool:
        return not self.reported and not self.findings and not self.retargeted

    def totals(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for e in self.entries:
            if e.reported:
                counts[e.kind] += 1
        counts["references_renumbered"] = sum(e.refs_renumbered for e in self.entries)
        return counts


def compare_documents(old: Document, new: Document, findings: tuple[list[Finding], list[Finding]] | None = None
                      ) -> Comparison:
    """Compare two documents; ``findings`` are (OLD's, NEW's) reference findings, if known."""
    align = align_units(document_units(old), document_units(new))
    classifier = Classifier(align)
    pairs = {o: classifier.pair(align.old[o], align.new[n]) for o, n in sorted(align.old_to_new.items())}
    for o, entry in pairs.items():
        entry.cited_renumbered = classifier.cited.get(o, 0)
    deleted = {u.index: lone(u, DELETED) for u in align.old if u.index not in align.old_to_new}
    inserted = {u.index: lone(u, INSERTED) for u in align.new if u.index not in align.new_to_old}
    _fold(align, pairs, deleted, inserted)
    _splits(align, pairs, deleted, inserted)
    entries = [pairs[o] for o in sorted(pairs)] + [deleted[i] for i in sorted(deleted)]
    entries += [inserted[i] for i in sorted(inserted)]
    entries.sort(key=lambda e: (e.new.index if e.new else _anchor_new(align, e.old), e.old is None))
    comparison = Comparison(old, new, entries, redline_sequence(align, pairs, deleted, inserted))
    comparison.retargeted = [(e, note) for e in pairs.values() for note in classifier.retargeted(e)]
    if findings is not None:
        known = {(f.code, f.message) for f in findings[0]}
        comparison.findings = [f for f in findings[1] if (f.code, f.message) not in known]
    return comparison


def _fold(align: Alignment, pairs: dict, deleted: dict, inserted: dict) -> None:
    """Fold into their parent's entry the units that only went along with it."""
    for index, entry in sorted(deleted.items()):
        parent = entry.old.parent
        if parent is not None and parent.index in deleted:
            entry.reported = False
            _top(deleted, parent, lambda u: u.index).contains += 1
    for index, entry in sorted(inserted.items()):
        parent = entry.new.parent
        if parent is not None and parent.index in inserted:
            entry.reported = False
            _top(inserted, parent, lambda u: u.index).contains += 1
    for o, entry in sorted(pairs.items()):
        if entry.kind in (RENUMBERED, UNCHANGED) and (entry.moved_carried or _follows_parent(entry)):
            entry.reported = False
            top = _top_pair(pairs, entry.old)
            if top is not None and top.kind in (MOVED, RENUMBERED):
                top.contains += 1
                top.cited_renumbered += entry.cited_renumbered


def _top(entries: dict, unit: Unit, key) -> Entry:
    while unit.parent is not None and key(unit.parent) in entries:
        unit = unit.parent
    return entries[key(unit)]


def _top_pair(pairs: dict, unit: Unit) -> Entry | None:
    """The nearest reported entry above ``unit``."""
    parent = unit.parent
    while parent is not None and parent.index in pairs and not pairs[parent.index].reported:
        parent = parent.parent
    return pairs.get(parent.index) if parent is not None else None


def _follows_parent(entry: Entry) -> bool:
    """Renumbered only because its parent was: 4.1 → 3.1 under 第四条 → 第三条."""
    o, n = entry.old, entry.new
    if entry.kind != RENUMBERED or o.parent is None or n.parent is None:
        return False
    parent_renumbered = o.parent.number_text != n.parent.number_text
    same_ordinal = bool(o.number and n.number and o.number[-1] == n.number[-1])
    return parent_renumbered and same_ordinal


def _splits(align: Alignment, pairs: dict, deleted: dict, inserted: dict) -> None:
    """A unit whose text now runs on into the inserted unit after it was split; a unit that
    took in the text of the deleted unit after it was merged. Only where it is clear: the
    two are siblings and together read as the one (rapidfuzz ratio >= SPLIT_SIMILARITY)."""
    for index, entry in sorted(inserted.items()):
        _join(entry, _previous_sibling(align.new, entry.new), align.origin_of, pairs, SPLIT, "new")
    for index, entry in sorted(deleted.items()):
        _join(entry, _previous_sibling(align.old, entry.old), align.match_of, pairs, MERGED, "old")


def _previous_sibling(units: list[Unit], unit: Unit) -> Unit | None:
    before = units[unit.index - 1] if unit.index else None
    if before is None or before.level != unit.level or before.parent is not unit.parent:
        return None
    return before


def _join(entry: Entry, sibling: Unit | None, counterpart, pairs: dict, kind: str, side: str) -> None:
    if not entry.reported or entry.contains or sibling is None:
        return
    other = counterpart(sibling)
    if other is None:
        return
    pair = pairs[(other if side == "new" else sibling).index]
    if pair.kind != EDITED:
        return
    lone_unit = entry.new if side == "new" else entry.old
    joined = masked(sibling.body + "\n" + lone_unit.body)
    if fuzz.ratio(masked(other.body), joined) >= SPLIT_SIMILARITY:
        pair.kind = entry.kind = kind
        pair.partner, entry.partner = entry, pair
        entry.reported = False  # reported with the pair: "1.1 split into 1.1 and 1.2"


def _anchor(align: Alignment, old_unit: Unit) -> Unit | None:
    """The nearest old unit before ``old_unit`` that kept its place."""
    for i in range(old_unit.index - 1, -1, -1):
        if i in align.old_to_new and i not in align.moved:
            return align.old[i]
    return None


def _anchor_new(align: Alignment, old_unit: Unit) -> float:
    anchor = _anchor(align, old_unit)
    return align.old_to_new[anchor.index] + 0.5 if anchor is not None else -0.5


def redline_sequence(align: Alignment, pairs: dict, deleted: dict, inserted: dict) -> list[tuple[Entry, str]]:
    """NEW's units in order, each deleted or moved-away old unit after its anchor."""
    after: dict[int | None, list[tuple[Entry, str]]] = {}
    for old_unit in align.old:
        i = old_unit.index
        if i in deleted or i in align.moved:
            anchor = _anchor(align, old_unit)
            entry = deleted.get(i) or pairs[i]
            after.setdefault(anchor.index if anchor else None, []).append((entry, MOVED_FROM if i in pairs else HERE))
    sequence = list(after.get(None, []))
    for new_unit in align.new:
        origin = align.new_to_old.get(new_unit.index)
        if origin is None:
            sequence.append((inserted[new_unit.index], HERE))
            continue
        sequence.append((pairs[origin], MOVED_TO if origin in align.moved else HERE))
        if origin not in align.moved:
            sequence += after.get(origin, [])
    return sequence
