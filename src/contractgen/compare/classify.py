"""Classifying every unit: unchanged, renumbered, moved, edited, inserted, deleted, split or
merged — with the word-level changes of the edited ones and the references that followed
their targets' renumbering.

A unit that moved or disappeared with its article is folded into the article's entry
("contains"), and a section renumbered only because its article was (4.1 → 3.1 under
第四条 → 第三条) is folded the same way, so a report lists what a reader must look at.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .align import Alignment
from .diff import Change, changes, word_diff
from .refs import UnitIndex, apply, citations, rewrites
from .units import Unit, normalise

UNCHANGED, RENUMBERED, MOVED, EDITED = "unchanged", "renumbered", "moved", "edited"
INSERTED, DELETED, SPLIT, MERGED = "inserted", "deleted", "split", "merged"
KINDS = (MOVED, EDITED, INSERTED, DELETED, SPLIT, MERGED, RENUMBERED, UNCHANGED)


@dataclass(slots=True)
class LineOp:
    """One paragraph of a unit: "equal", "replace" (with its word diff), "delete", "insert"."""

    op: str
    old: str = ""   # OLD's text with its citations renumbered like their targets (compared)
    new: str = ""
    words: list[tuple[int, str]] = field(default_factory=list)
    written: str = ""  # OLD's text as OLD has it, where it differs from ``old`` (shown)

    @property
    def old_as_written(self) -> str:
        return self.written or self.old


@dataclass(slots=True, eq=False)
class Entry:
    """The comparison of one unit. ``old``/``new`` is None for inserted/deleted units;
    ``lines`` start with the heading (compared without its number)."""

    kind: str
    old: Unit | None
    new: Unit | None
    lines: list[LineOp] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    refs_renumbered: int = 0       # citations in this unit that followed their targets
    cited_renumbered: int = 0      # citations of this unit, elsewhere, that followed it
    reported: bool = True
    contains: int = 0
    moved_carried: bool = False   # moved with its parent, so not a move of its own
    partner: "Entry | None" = field(default=None, repr=False)  # the split/merge counterpart

    @property
    def unit(self) -> Unit:
        return self.new or self.old

    @property
    def content_changed(self) -> bool:
        return any(line.op != "equal" for line in self.lines)


class Classifier:
    """Builds an :class:`Entry` per old and new unit from an alignment."""

    def __init__(self, align: Alignment):
        self.align = align
        self.old_index = UnitIndex(align.old)
        self.cited: dict[int, int] = {}  # old unit index -> citations of it renumbered consistently

    def new_number(self, old_unit: Unit) -> tuple[int, ...] | None:
        match = self.align.match_of(old_unit)
        return match.number if match is not None else None

    def mapped(self, unit: Unit, text: str) -> tuple[str, list]:
        """Old text with its citations renumbered like their targets, and those rewrites."""
        found = rewrites(text, unit, self.old_index, self.new_number)
        return apply(text, found), found

    def pair(self, o: Unit, n: Unit) -> Entry:
        heads = self.mapped(o, o.head)
        paras = [self.mapped(o, p) for p in o.paras]
        lines = [line_op(heads[0], n.head)] if (o.head or n.head) else []
        lines += line_ops([p for p, _ in paras], n.paras)
        entry = Entry(UNCHANGED, o, n, lines)
        as_written = {heads[0]: o.head, **{mapped: text for (mapped, _), text in zip(paras, o.paras)}}
        for line in lines:
            if as_written.get(line.old, line.old) != line.old:
                line.written = as_written[line.old]
        by_text = dict([heads] + paras)
        found = {id(line): _stale(changes(line.words), by_text.get(line.old, ()))
                 for line in lines if line.op == "replace"}
        entry.changes = [c for line in lines if line.op == "replace" for c in found[id(line)]]
        # a citation counts as renumbered consistently where no number around it changed
        consistent = [rw for line in lines for rw in by_text.get(line.old, ())
                      if line.op == "equal" or (line.op == "replace" and all(c.kind == "text" for c in found[id(line)]))]
        entry.refs_renumbered = len(consistent)
        for rw in consistent:
            self.cited[rw.target] = self.cited.get(rw.target, 0) + 1
        entry.changes += [Change(line.old, "", "text") for line in lines if line.op == "delete"]
        entry.changes += [Change("", line.new, "text") for line in lines if line.op == "insert"]
        carried = o.parent is not None and o.parent.index in self.align.moved and \
            self.align.match_of(o.parent) is n.parent
        entry.moved_carried = o.index in self.align.moved and carried
        if o.index in self.align.moved and not carried:
            entry.kind = MOVED
        elif entry.content_changed:
            entry.kind = EDITED
        elif o.number_text != n.number_text:
            entry.kind = RENUMBERED
        return entry

    def retargeted(self, entry: Entry) -> list[str]:
        """Citations of the new text that no longer point where the old ones did: the old
        citation's target now has another number than the new citation shows."""
        o, n = entry.old, entry.new
        notes = []
        for old_line, new_line in zip([o.head, *o.paras], [n.head, *n.paras]):
            olds, news = citations(old_line), citations(new_line)
            if not olds or len(olds) != len(news):
                continue
            for was, now in zip(olds, news):
                target = self.old_index.target(o, was) if was.kind == "clause" else None
                if target is None:
                    continue
                match = self.align.match_of(target)
                if match is None:
                    notes.append(f"cites {now.text}; it cited {was.text}, which was deleted")
                elif match.number != now.number:
                    notes.append(f"cites {now.text}; it cited {was.text}, which is now "
                                 f"{match.number_text or match.title}: it points at another clause")
        return notes


def _stale(found: list[Change], rewrites) -> list[Change]:
    """A number change that undoes a citation's renumbering is a reference left at its old
    number: "Article 3" still, where its target is now Article 2."""
    undone = {(rw.new, rw.old) for rw in rewrites}
    return [Change(c.old, c.new, "reference") if (c.old, c.new) in undone else c for c in found]


def line_op(old: str, new: str) -> LineOp:
    if old == new:
        return LineOp("equal", old, new)
    if not old and not new:
        return LineOp("equal", old, new)
    if not old:
        return LineOp("insert", new=new)
    if not new:
        return LineOp("delete", old=old)
    if normalise(old) == normalise(new):
        return LineOp("equal", old, new)
    return LineOp("replace", old, new, word_diff(old, new))


def line_ops(old: list[str], new: list[str]) -> list[LineOp]:
    """Paragraphs aligned with difflib; a replaced run is paired line by line."""
    out: list[LineOp] = []
    matcher = difflib.SequenceMatcher(None, [normalise(t) for t in old], [normalise(t) for t in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [LineOp("equal", a, b) for a, b in zip(old[i1:i2], new[j1:j2])]
            continue
        pairs = min(i2 - i1, j2 - j1)
        out += [line_op(a, b) for a, b in zip(old[i1:i1 + pairs], new[j1:j1 + pairs])]
        out += [LineOp("delete", old=a) for a in old[i1 + pairs:i2]]
        out += [LineOp("insert", new=b) for b in new[j1 + pairs:j2]]
    return out


def lone(unit: Unit, kind: str) -> Entry:
    """An inserted or deleted unit: every line inserted or deleted."""
    lines = unit.lines()
    if kind == INSERTED:
        return Entry(kind, None, unit, [LineOp("insert", new=t) for t in lines])
    return Entry(kind, unit, None, [LineOp("delete", old=t) for t in lines])


__all__ = ["Classifier", "Entry", "LineOp", "KINDS", "line_op", "line_ops", "lone"]
