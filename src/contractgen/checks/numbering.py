"""Numbering rules: gaps, duplicates, order and duplicate headings, on the outline only.

Siblings are clauses with the same parent and the same style (:mod:`contractgen.outline`),
so numbering restarts under every parent: 1. 2. under 第一条 and 1. 2. under 第二条 are two
sequences, and "1." is not a duplicate of 第一条. A sibling that starts again at 1 after
others opens a new run (parallel lists: 甲方的义务：1. 2. / 乙方的义务：1. 2.). Numbers Word
displays through automatic numbering are not typed, so they have no typed-number defects.

Severity follows the evidence: an error means certain. A defect in a style the text cites
by number (第X条, Article N, Section N, 3.2) is an error; in any other style (一、, （一）,
1., a)), whose level is inferred, it is a warning. One analysis of the sequences serves
the three numbering rules, so a clause is blamed once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from ..diagnostics import ERROR, WARNING, Finding
from ..model import Clause, Document, Paragraph, Part, plain_text
from ..outline import is_cited_style, is_explicit_style, is_rendered, sibling_key
from .base import CheckContext, rule
from .. import rx

Issue = tuple[str, str, Clause]


def _excerpt(clause: Clause) -> str:
    return " ".join(t for t in (clause.number_text, clause.title, plain_text(clause.text)) if t)


def _misplaced(clause: Clause) -> bool:
    """A dotted number whose prefix is not its parent's: 2.3 under 第五条 / under 5.1."""
    parent = clause.parent
    if not clause.number or len(clause.number) < 2 or not clause.style.startswith("dotted"):
        return False
    return (parent is not None and parent.number is not None
            and len(parent.number) == len(clause.number) - 1 and parent.number != clause.number[:-1])


def _is_lead_in(block) -> bool:
    """A heading without a number, or a line that ends with a colon (甲方的义务：)."""
    if not isinstance(block, Paragraph):
        return False
    text = plain_text(block.text).rstrip()
    return block.style == "heading" or text.endswith((":", "："))


def _runs(part: Part) -> list[Run]:
    """Sibling sequences of numbers, in order of their first clause. A sibling numbered 1
    starts a new run after two or more siblings, or, in an inferred style, after a lead-in
    (a heading without a number, "乙方的义务：") — parallel lists; "1. 1. 2." and 第一条 twice
    stay one run with a duplicate."""
    groups: dict[tuple[int, str], tuple[list[Clause], int]] = {}
    order: list[Run] = []
    lead_ins = 0
    for block in part.blocks:
        if _is_lead_in(block):
            lead_ins += 1
        if not isinstance(block, Clause) or block.ordinal is None or _misplaced(block):
            continue
        key = (id(block.parent), sibling_key(block.style))
        run, seen_lead_ins = groups.get(key, (None, 0))
        led_in = seen_lead_ins < lead_ins and not is_explicit_style(block.style)  # 第一条 twice is no new list
        if run is None or (block.ordinal == 1 and (len(run) > 1 or led_in)):
            run = Run(restarts=run is not None)
            order.append(run)
        run.append(block)
        groups[key] = (run, lead_ins)
    return order


class Run(list):
    """One sequence of siblings; ``restarts`` if an earlier run of the same siblings exists."""

    def __init__(self, restarts: bool = False) -> None:
        super().__init__()
        self.restarts = restarts


def _gaps(numbers: list[int], start: int) -> list[tuple[int, int]]:
    """(low, high) of every run of missing numbers, from neighbouring values: the cost
    follows the count of clauses, not the largest number ("第99999999条" is one typo)."""
    out, expected = [], start
    for n in sorted(set(numbers)):
        if n > expected:
            out.append((expected, n - 1))
        expected = max(expected, n + 1)
    return out


def _prefix(clause: Clause) -> str:
    return "".join(f"{n}." for n in clause.number[:-1]) if clause.number and len(clause.number) > 1 else ""


class _Sequence:
    """One numbered sequence, fed a run at a time: articles numbered through a part run on
    across chapters (第一章 第1–4条, 第二章 第5条), so a chapter's run continues the sequence
    of the chapter before, and a number met again there is a duplicate."""

    def __init__(self, start: int, keyed_to: frozenset[int] = frozenset()) -> None:
        self.seen: dict[int, Clause] = {}
        self.highest: Clause | None = None
        self.expected = start
        self.start = start
        self.keyed_to = keyed_to  # numbers of an earlier sequence this one may pick from
        self.numbers: set[int] = set()

    def add(self, run: list[Clause]) -> list[Issue]:
        issues, fresh = [], {}
        for clause in run:
            n = clause.ordinal
            if n in self.seen:
                first = self.seen[n]
                line = f" (line {first.pos.line})" if first.pos else ""
                issues.append(("duplicate-number", f"{clause.number_text} is numbered the same as an earlier clause{line}", clause))
            elif self.highest is not None and n < self.highest.ordinal:
                issues.append(("numbering-order", f"{clause.number_text} comes after {self.highest.number_text}", clause))
            else:
                fresh.setdefault(n, clause)
            self.seen.setdefault(n, clause)
            if self.highest is None or n > self.highest.ordinal:
                self.highest = clause
        self.numbers.update(c.ordinal for c in run)
        gaps = self._gaps(fresh)
        return issues if self.numbers <= self.keyed_to else issues + gaps  # a pick of keyed numbers skips none

    def _gaps(self, fresh: dict[int, Clause]) -> list[Issue]:
        issues = []
        for low, high in _gaps(sorted(fresh), self.expected):
            after = fresh[high + 1]
            before = self.seen.get(low - 1) if low > self.start else None
            prefix = _prefix(after)
            gap = f"{prefix}{low}" if low == high else f"{prefix}{low}–{prefix}{high}"
            if before is None and not is_explicit_style(after.style):
                continue  # "附件：一、… / 二、…": the first item of an inferred level may sit inside a line
            if before is None:
                msg = f"numbering starts at {after.number_text} ({gap} missing)"
            else:
                msg = f"numbering jumps from {before.number_text} to {after.number_text} ({gap} missing)"
            issues.append(("numbering-gap", msg, after))
        if fresh:
            self.expected = max(self.expected, max(fresh) + 1)
        return issues


def _continued_from_part(part: Part) -> dict[str, int]:
    """The last top-level number of each style in ``part``, for an addendum that continues
    the main contract's articles."""
    last: dict[str, int] = {}
    for c in part.clauses():
        if c.parent is None and c.ordinal is not None:
            last[sibling_key(c.style)] = c.ordinal
    return last


def numbering_issues(ctx: CheckContext) -> list[Issue]:
    return ctx.memo("numbering", lambda: list(_all_issues(ctx)))


def _part_runs(ctx: CheckContext, part: Part) -> list[Run]:
    """_runs(part), once per check run: the numbering rules and duplicate-heading share them."""
    return ctx.memo(("runs", id(part)), lambda: _runs(part))


def _all_issues(ctx: CheckContext) -> Iterator[Issue]:
    carried: dict[str, int] = {}  # the last top-level numbers of the parts before
    for part in ctx.doc.parts:
        for clause in part.clauses():
            if _misplaced(clause):
                yield "numbering-order", f"{clause.number_text} is placed under {clause.parent.number_text}", clause
        last = dict(carried)
        sequences: dict[str, _Sequence] = {}
        used: dict[str, set[int]] = {}
        for run in _part_runs(ctx, part):
            style = sibling_key(run[0].style)
            sequence = _sequence_for(run, style, sequences.get(style), last, used)
            sequences[style] = sequence
            yield from (i for i in sequence.add(run) if not is_rendered(i[2].style))  # Word displays what it numbers
            last[style] = max(c.ordinal for c in run)
            used.setdefault(style, set()).update(c.ordinal for c in run)
        carried.update(_continued_from_part(part))


def _sequence_for(run: Run, style: str, current: _Sequence | None, last: dict[str, int],
                  used: dict[str, set[int]]) -> _Sequence:
    """The sequence a run belongs to: the current one if the run goes on with it (an article
    style under a new chapter not starting at 1), else a new one. A new sequence that starts
    again (协议条款 after the 合同条件), or runs on from the last number, may be keyed to the
    numbers used before it: it picks numbers rather than skipping them."""
    first, dotted = run[0].ordinal, style.startswith("dotted")
    if current is not None and first != 1 and is_explicit_style(style) and not dotted:
        return current
    follows = not dotted and first == last.get(style, 0) + 1
    keyed = frozenset(used.get(style, ())) if run.restarts or follows else frozenset()
    return _Sequence(first if follows else 1, keyed)


def _severity(clause: Clause) -> str:
    """Error for a style whose level its own text states; warning where the level is inferred."""
    return ERROR if is_explicit_style(clause.style) else WARNING


def _issues_of(ctx: CheckContext) -> Iterable[Finding]:
    """The shared analysis's issues that belong to the rule being run."""
    for issue_code, message, clause in numbering_issues(ctx):
        if issue_code == ctx.rule.code:
            finding = ctx.finding(message, clause.pos, _excerpt(clause))
            yield finding if _severity(clause) == finding.severity else replace(finding, severity=_severity(clause))


@rule("numbering-gap", ERROR, "numbering", help="a number is skipped in a sequence of sibling clauses; an error in explicit styles (第X条, Article N, 3.2), a warning in inferred ones (一、, 1., a))",
      bad="第一条 服务内容\n第二条 服务费用\n第四条 违约责任", good="第一条 服务内容\n第二条 服务费用\n第三条 违约责任",
      reads="structure")
def check_numbering_gap(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """A number skipped in a sequence of siblings."""
    return _issues_of(ctx)


@rule("duplicate-number", ERROR, "numbering", help="two sibling clauses in one sequence carry the same number; an error in explicit styles, a warning in inferred ones",
      bad="3.1 Fees. Customer shall pay the fees.\n3.1 Taxes. Fees exclude taxes.",
      good="3.1 Fees. Customer shall pay the fees.\n3.2 Taxes. Fees exclude taxes.",
      reads="structure")
def check_duplicate_number(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Two siblings with the same number."""
    return _issues_of(ctx)


@rule("numbering-order", ERROR, "numbering", help="a clause is numbered out of order, or a dotted number sits under a parent it does not carry; an error in explicit styles, a warning in inferred ones",
      bad="2.1 Restrictions.\n2.3 Support.\n2.2 Customer Content.",
      good="2.1 Restrictions.\n2.2 Customer Content.\n2.3 Support.",
      reads="structure")
def check_numbering_order(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """A clause out of order, or under a parent whose number it does not carry."""
    return _issues_of(ctx)


_LEADING_ARTICLE = rx.compile(r"^(the|a|an)\s+")
_NOT_WORD = rx.compile(r"[\W_]+")


def normalize_title(title: str) -> str:
    title = title.casefold().replace("&", "and")
    title = _LEADING_ARTICLE.sub("", title)
    return _NOT_WORD.sub("", title)


@rule("duplicate-heading", WARNING, "numbering", help="two sibling headings in one sequence have the same title (always a warning)",
      bad="第五条 保密\n第六条 保密", good="第五条 保密\n第六条 知识产权",
      reads="structure")
def check_duplicate_heading(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Two headings with the same title among siblings: one parent, one style, one run of
    one part (parallel lists repeat titles). Always a warning: two sub-clauses may share a
    title on purpose."""
    for part in doc.parts:
        for run in _part_runs(ctx, part):
            seen: dict[str, Clause] = {}
            for clause in run:
                key = normalize_title(clause.title)
                if not key:
                    continue
                if key in seen and seen[key].ordinal == clause.ordinal:
                    continue  # number and title repeated: duplicate-number's finding
                if key in seen:
                    first = seen[key]
                    yield ctx.finding(f"heading '{clause.title}' of {clause.number_text} repeats "
                                      f"{first.number_text}'s title", clause.pos, _excerpt(clause))
                else:
                    seen[key] = clause
