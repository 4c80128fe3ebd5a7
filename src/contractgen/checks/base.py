"""What a check rule is, and the context every rule shares for one document."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from operator import itemgetter
from typing import Callable, Iterable, Iterator

from ..diagnostics import Finding
from ..model import Block, Clause, Document, Paragraph, Part, SourcePos, Table, plain_text


@dataclass(slots=True)
class TextUnit:
    """One run of text a reader sees, with where it is: a clause's text, a paragraph, a cell."""

    part: Part
    block: Block
    text: str
    pos: SourcePos | None


@dataclass
class CheckContext:
    """Shared, read-only views of one document, computed once (markdown-it's ``env``).

    For a batch row (``Document.fixed_blocks`` set), ``fixed`` tells for each unit whether
    its block holds no value of the row, and ``shared`` is the clause set's own memo
    (``Document.fixed_memo``): what :meth:`scan` finds in the fixed units is kept there and
    read by every later row of the set, so a row only reads the units its values are in."""

    doc: Document
    lang: str
    units: list[TextUnit] = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    rule: "Rule | None" = None  # the rule being run; set by run_checks
    fixed: list[bool] | None = None  # per unit: no value of the batch row in it (None: no batch row)
    shared: dict | None = None  # the clause set's memo, for a batch row; else None

    @classmethod
    def for_document(cls, doc: Document, lang: str | None = None) -> "CheckContext":
        ctx = cls(doc=doc, lang=lang or doc.lang or "zh")
        if doc.fixed_blocks is None:
            ctx.units = [unit for part, block in doc.blocks() for unit in _block_units(part, block)]
        else:  # a row whose units are laid out otherwise than its clause set's reads it all
            ctx.units, ctx.fixed = _batch_row_units(doc)
            ctx.shared = doc.fixed_memo if ctx.fixed is not None else None
        return ctx

    def scan(self, name: str, func: Callable, *args) -> list[tuple[int, object]]:
        """``(index, func(unit.text, *args))`` for every unit where that is truthy, in unit
        order. ``func`` must be a pure function of the text and of ``args`` (hashable): for a
        batch row, the fixed units' results are computed once per clause set (``shared``)
        and only the units holding the row's values are read again."""
        fixed, fresh = self.scan_parts(name, func, *args)
        if not fresh:
            return fixed
        return sorted(fixed + fresh, key=_first)

    def scan_parts(self, name: str, func: Callable, *args) -> tuple[list, list]:
        """:meth:`scan`'s results in two lists: the fixed units' (the same list for every
        row of a clause set: read, never change it) and those of the units holding the
        row's values (every unit's, in a document that is no batch row)."""
        units = self.units
        if self.shared is None:
            return [], [(i, found) for i, unit in enumerate(units) if (found := func(unit.text, *args))]
        store = self.shared.setdefault(_SCANS, {})
        key = (name, func, args)
        fixed = store.get(key)
        if fixed is None:
            fixed = [(i, found) for i, unit in enumerate(units) if self.fixed[i] and (found := func(unit.text, *args))]
            if len(store) < _MAX_SCANS:  # args that change with every row are not kept
                store[key] = fixed
        fresh = self.cache.get((_SCANS, key))  # two rules may scan alike: the row's units are read once
        if fresh is None:
            fresh = self.cache[(_SCANS, key)] = self._fresh(key, func, args)
        return fixed, fresh

    def _fresh(self, key, func: Callable, args: tuple) -> list[tuple[int, object]]:
        """``func``'s results for the units that hold the row's values. Rows repeat most of
        those texts too (the same supplier, fee, place), so each text's result is kept with
        the clause set, as :func:`line_memo` keeps a line's (a long text is not kept)."""
        seen = self.shared.setdefault(_SEEN_TEXTS, {}).setdefault(key, {})
        fresh = []
        for i in self._variable():
            text = self.units[i].text
            found = seen.get(text, _MISS)
            if found is _MISS:
                found = func(text, *args)
                if len(text) <= LONG_LINE:
                    if len(seen) >= _MAX_SEEN_TEXTS:
                        seen.clear()
                    seen[text] = found
            if found:
                fresh.append((i, found))
        return fresh

    def set_memo(self, key, compute: Callable[[], object]):
        """:meth:`memo` kept for the whole clause set of a batch row: ``key`` (hashable) must
        name everything ``compute`` reads besides the fixed units' :meth:`scan_parts`
        results and the outline, which are the same for every row of the set."""
        if self.shared is None:
            return self.memo(key, compute)
        store = self.shared.setdefault(_SET_MEMO, {})
        if key not in store:
            if len(store) >= _MAX_SCANS:
                return compute()
            store[key] = compute()
        return store[key]

    def outline_memo(self, key, compute: Callable[[], object]):
        """:meth:`memo` for what is read from the outline alone — parts, clauses' numbers,
        levels and titles, TOC and register entries (what a ``reads="structure"`` rule may
        read), never a unit's text: a batch row whose outline holds no value of the row
        (``OUTLINE_FIXED``, set by incremental.py) reads its clause set's."""
        if self.shared is None or not self.shared.get(OUTLINE_FIXED):
            return self.memo(key, compute)
        return self.set_memo((_OUTLINE, key), compute)

    def unit_items(self, name: str, func: Callable, items: Callable[[int, object], list],
                   reads_outline: bool = False) -> list:
        """``items(index, found)`` for each :meth:`scan` result of ``func``, flattened in
        unit order. ``items`` may read the unit and ``found``, and the outline if it says
        so (``reads_outline``). For a batch row, the fixed units' items are made once per
        clause set (when they read the outline, once per clause set whose outline holds
        no value: see :meth:`outline_memo`)."""
        fixed, fresh = self.scan_parts(name, func)
        if reads_outline and not (self.shared or {}).get(OUTLINE_FIXED):
            fresh, fixed = sorted(fixed + fresh, key=_first), []
        mine = [(i, row) for i, found in fresh if (row := items(i, found))]
        if not fixed:
            return [item for _, row in mine for item in row]
        # the fixed units' items, flat, and the unit index of each: a row's own go in between
        at, kept = self.set_memo(("unit-items", name, func, items.__code__), lambda: _flat(
            [(i, items(i, found)) for i, found in fixed]))
        if not mine:
            return kept
        out: list = []
        done = 0
        for index, row in mine:
            upto = bisect_left(at, index, done)
            out += kept[done:upto]
            out += row
            done = upto
        out += kept[done:]
        return out

    def scan_blocks(self, name: str, func: Callable) -> list[tuple[int, object]]:
        """``(ordinal, func(block))`` for every block of the document where that is truthy,
        in document order; ``func`` must be a pure function of the block's content. For a
        batch row, the blocks that hold no value are read once per clause set."""
        if self.shared is None:
            return [(i, found) for i, (_, block) in enumerate(self.doc.blocks()) if (found := func(block))]
        plan = self.shared["check-units"]
        store = self.shared.setdefault(_SCANS, {})
        key = (name, func, "blocks")
        fixed = store.get(key)
        if fixed is None:
            fixed = store[key] = [(i, found) for i, (_, block, kept) in enumerate(plan)
                                  if kept is not None and (found := func(block))]
        variable = self.shared.get(_VARIABLE_BLOCKS)
        if variable is None:
            variable = self.shared[_VARIABLE_BLOCKS] = [(i, block) for i, (_, block, kept) in enumerate(plan) if kept is None]
        fresh = [(i, found) for i, block in variable if (found := func(block))]
        if not fresh:
            return fixed
        return sorted(fixed + fresh, key=_first)

    def _variable(self) -> list[int]:
        """The indexes of the units that hold a value of the batch row."""
        found = self.cache.get(_VARIABLE)
        if found is None:
            found = self.cache[_VARIABLE] = [i for i, fixed in enumerate(self.fixed) if not fixed]
        return found

    @property
    def full_text(self) -> str:
        """All the document's text (titles and units) in one string, for a rule's quick
        "can I match anything at all?" test before it looks unit by unit."""
        return self.memo("full_text", lambda: "\n".join(self.titles + [u.text for u in self.units]))

    @property
    def titles(self) -> list[str]:
        """The parts' titles, then the clauses' (what :attr:`full_text` reads besides the
        units); kept with the clause set when the outline holds no value."""
        return self.outline_memo("titles", lambda: [p.title for p in self.doc.parts] +
                                 [c.title for _, c in self.doc.clauses()])

    def may_contain(self, needles: tuple[str, ...]) -> bool:
        """Whether any needle (lower case) occurs in the document: a substring test is far
        cheaper than a pattern with look-arounds, and clean documents match nothing."""
        low = self.memo("full_text_lower", lambda: self.full_text.lower())
        return any(n in low for n in needles)

    def memo(self, key, compute: Callable[[], object]):  # key: any hashable
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def finding(self, message: str, pos: SourcePos | None, excerpt: str = "", suggestion: str = "",
                around: int | None = None) -> Finding:
        """A finding of the rule being run."""
        rule = self.rule
        return Finding(rule.code, rule.severity, message, pos, excerpt=shorten(excerpt, around=around),
                       suggestion=suggestion)


_SCANS, _VARIABLE, _SET_MEMO, _OUTLINE, _VARIABLE_BLOCKS, _UNIT_LAYOUT, _SEEN_TEXTS, _MISS = (object() for _ in range(8))
_MAX_SEEN_TEXTS = 4096  # value-holding texts kept per scan and clause set
#: In a clause set's memo (``Document.fixed_memo``): its outline holds no value of a row.
OUTLINE_FIXED = "outline-fixed"
_MAX_SCANS = 256


_first = itemgetter(0)  # a sort key: an item's unit index (or ordinal)


def _flat(rows: list[tuple[int, list]]) -> tuple[list[int], list]:
    """(the unit index of each item, the items) of (unit index, items) rows."""
    return [i for i, row in rows for _ in row], [item for _, row in rows for item in row]


def _batch_row_units(doc: Document) -> tuple[list[TextUnit], list[bool] | None]:
    """Every unit of a batch row's document and whether its block holds no value. A row is
    its clause set's document filled in place (incremental.py): the same blocks in the same
    order, so the set's memo keeps each block's place and a fixed block's units, and the
    first row's layout of units. None for the flags when a value gave a block another
    number of units than that row's (a clause whose text a value empties): then the
    indexes the set's memo keeps are not this row's."""
    memo = doc.fixed_memo
    plan = memo.get("check-units")
    if plan is None:
        fixed = doc.fixed_blocks
        plan = memo["check-units"] = [
            (part, block, tuple(_block_units(part, block)) if id(block) in fixed else None)
            for part, block in doc.blocks()]
    layout = memo.get(_UNIT_LAYOUT)
    if layout is not None:  # the first row's list, its value blocks' units put in anew
        units, flags, slots = layout
        units = units.copy()
        for start, count, part, block in slots:
            fresh = list(_block_units(part, block))
            if len(fresh) != count:  # a value made a unit more or fewer: the set's indexes do not hold
                return [unit for part, block in doc.blocks() for unit in _block_units(part, block)], None
            units[start:start + count] = fresh
        return units, flags
    units, flags, slots = [], [], []
    for part, block, kept in plan:
        if kept is None:
            fresh = list(_block_units(part, block))
            slots.append((len(units), len(fresh), part, block))
            units += fresh
            flags += [False] * len(fresh)
        else:
            units += kept
            flags += [True] * len(kept)
    memo[_UNIT_LAYOUT] = (units, flags, slots)
    return units.copy(), flags


def _block_units(part: Part, block: Block) -> Iterator[TextUnit]:
    if isinstance(block, Clause):
        if block.text:
            yield TextUnit(part, block, plain_text(block.text), block.pos)
    elif isinstance(block, Paragraph):
        yield TextUnit(part, block, plain_text(block.text), block.pos)
    elif isinstance(block, Table):
        for index, row in enumerate(block.rows):
            pos = block.pos_of_row(index)
            for cell in row:
                yield TextUnit(part, block, plain_text(cell), pos)


def shorten(text: str, limit: int = 100, around: int | None = None) -> str:
    """At most ``limit`` characters of one line, centred on ``around`` when given."""
    if len(text) > 4 * limit:  # cut a window first: a finding must not cost the whole line
        start = 0 if around is None else max(0, around - 2 * limit)
        text, around = text[start:start + 4 * limit], None if around is None else around - start
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    start = 0 if around is None else max(0, min(around - limit // 2, len(text) - limit))
    head = "…" if start else ""
    tail = "…" if start + limit < len(text) else ""
    return f"{head}{text[start:start + limit]}{tail}"


#: Lines longer than this are not memoised (see :func:`line_memo`).
LONG_LINE = 4000


def line_memo(func: Callable) -> Callable:
    """Memoise ``func``, a pure function of one line of text (its first argument) and of
    hashable options: a batch checks the same clause lines in every row. A line longer
    than :data:`LONG_LINE` is computed afresh each time, so a hostile megabyte paragraph
    never stays in memory after its check (a long-running ``contractgen serve``)."""
    cached = lru_cache(maxsize=8192)(func)

    @wraps(func)
    def call(text: str, *args):
        return func(text, *args) if len(text) > LONG_LINE else cached(text, *args)

    call.cache_clear, call.cache_info = cached.cache_clear, cached.cache_info
    return call


RuleFunc = Callable[[Document, "CheckContext"], Iterable[Finding]]

#: What a rule's ``bad`` / ``good`` examples are. A text example is the input itself, read
#: as a ``.txt`` or ``.md`` file; a ``docx`` or ``set`` example is a short description for
#: the docs, and the input it describes is kept as fixture files
#: (``tests/data/rules/<code>/bad*``, ``good*``), since a DOCX or a contract set is no text.
EXAMPLE_FORMATS = ("txt", "md", "docx", "set")


@dataclass(slots=True, frozen=True)
class Rule:
    """A check rule: a stable code, its severity, its family, one line of help, a function."""

    code: str
    severity: str
    family: str
    help: str
    func: RuleFunc
    bad: str = ""   # an example that triggers the rule (for docs/rules.md)
    good: str = ""  # the same example, fixed
    example: str = "txt"  # what bad/good are: one of EXAMPLE_FORMATS
    reads: str = "text"  # one of READS: what its findings depend on (see rule())

    @property
    def example_is_text(self) -> bool:
        return self.example in ("txt", "md")


_RULE_ATTR = "contractgen_rule"

#: What a rule's findings may depend on. ``"text"`` (the default): anything. ``"structure"``:
#: only the outline — parts, clause levels, numbers, styles, labels, references' targets,
#: clause and part titles, TOC and register entries, and whether a paragraph is a heading
#: or ends with a colon — never the rest of the text. A batch runs a structure rule once
#: per clause set (``pipeline.build_cached``) when none of those holds a data value, and
#: reuses its findings for every row of the set; a rule that reads more must stay "text".
READS = ("text", "structure")


def rule(code: str, severity: str, family: str, *, help: str, bad: str = "", good: str = "",
         example: str = "txt", reads: str = "text") -> Callable[[RuleFunc], RuleFunc]:
    """Declare the function below as a check rule, its metadata next to its code (as ruff's
    rules are). The function is returned unchanged; :func:`rules_in` collects the rules."""
    if example not in EXAMPLE_FORMATS:
        raise ValueError(f"rule {code}: example must be one of {EXAMPLE_FORMATS}, not {example!r}")
    if reads not in READS:
        raise ValueError(f"rule {code}: reads must be one of {READS}, not {reads!r}")

    def register(func: RuleFunc) -> RuleFunc:
        setattr(func, _RULE_ATTR, Rule(code, severity, family, help, func, bad=bad, good=good, example=example,
                                       reads=reads))
        return func

    return register


def rules_in(module) -> list[Rule]:
    """The rules a family module defines, in the order they are defined there."""
    found = (getattr(value, _RULE_ATTR, None) for value in vars(module).values())
    return [r for r in found if isinstance(r, Rule) and r.func.__module__ == module.__name__]
