"""What a check rule is, and the context every rule shares for one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, wraps
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
    """Shared, read-only views of one document, computed once (markdown-it's ``env``)."""

    doc: Document
    lang: str
    units: list[TextUnit] = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    rule: "Rule | None" = None  # the rule being run; set by run_checks

    @classmethod
    def for_document(cls, doc: Document, lang: str | None = None) -> "CheckContext":
        ctx = cls(doc=doc, lang=lang or doc.lang or "zh")
        ctx.units = list(_units(doc))
        return ctx

    @property
    def full_text(self) -> str:
        """All the document's text (titles and units) in one string, for a rule's quick
        "can I match anything at all?" test before it looks unit by unit."""
        return self.memo("full_text", lambda: "\n".join(
            [p.title for p in self.doc.parts] + [c.title for _, c in self.doc.clauses()] + [u.text for u in self.units]))

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


def _units(doc: Document) -> Iterator[TextUnit]:
    """Every unit of text, in order; a batch row's blocks that hold no value
    (``Document.fixed_blocks``) give the same units as the clause set's previous row."""
    fixed = doc.fixed_blocks
    memo = doc.fixed_memo.setdefault("check-units", {}) if fixed is not None else None
    for part, block in doc.blocks():
        if memo is None or id(block) not in fixed:
            yield from _block_units(part, block)
            continue
        units = memo.get(id(block))
        if units is None:
            units = memo[id(block)] = list(_block_units(part, block))
        yield from units


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
