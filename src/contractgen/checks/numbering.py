"""Numbering rules: gaps, duplicates, order and duplicate headings in clause sequences.

Sequences are sibling clauses sharing a parent number (articles of a part; 3.1, 3.2 under
article 3), per part, because numbering restarts in every part. One analysis of the
sequences serves the three numbering rules, so a clause is blamed once.
"""

from __future__ import annotations

from bisect import bisect_left

import re
from typing import Iterable

from ..diagnostics import ERROR, WARNING, Finding
from ..model import Clause, Document, Part, plain_text
from .base import CheckContext, rule


def _excerpt(clause: Clause) -> str:
    return " ".join(t for t in (clause.number_text, clause.title, plain_text(clause.text)) if t)


def _misplaced(part: Part) -> list[tuple[Clause, Clause]]:
    """(clause, enclosing) where a sub-clause's number does not start with its parent's."""
    out, last_at_level = [], {}
    for clause in part.clauses():
        if not clause.number:
            continue
        depth = len(clause.number)
        parent = last_at_level.get(depth - 1)
        if parent is not None and parent.number != clause.number[:-1]:
            out.append((clause, parent))
        last_at_level[depth] = clause
        for deeper in [d for d in last_at_level if d > depth]:
            del last_at_level[deeper]
    return out


def _groups(part: Part) -> dict[tuple[int, ...], list[Clause]]:
    groups: dict[tuple[int, ...], list[Clause]] = {}
    for clause in part.clauses():
        if clause.number:
            groups.setdefault(clause.number[:-1], []).append(clause)
    return groups


def _gaps(numbers: list[int], start: int) -> list[tuple[int, int]]:
    """(low, high) of every run of missing numbers, from neighbouring values: the cost
    follows the count of clauses, not the largest number ("第99999999条" is one typo)."""
    out, expected = [], start
    for n in sorted(set(numbers)):
        if n > expected:
            out.append((expected, n - 1))
        expected = max(expected, n + 1)
    return out


def _gap_issues(siblings: list[Clause], start: int) -> list[tuple[str, str, Clause]]:
    by_number = {}
    for c in siblings:
        by_number.setdefault(c.number[-1], c)
    ordered = sorted(by_number)
    issues = []
    for low, high in _gaps(ordered, start):
        after = by_number[high + 1]
        i = bisect_left(ordered, low)
        before = by_number[ordered[i - 1]] if i else None
        prefix = "".join(f"{n}." for n in after.number[:-1])
        gap = f"{prefix}{low}" if low == high else f"{prefix}{low}–{prefix}{high}"
        if before is None:
            msg = f"numbering starts at {after.number_text} ({gap} missing)"
        else:
            msg = f"numbering jumps from {before.number_text} to {after.number_text} ({gap} missing)"
        issues.append(("numbering-gap", msg, after))
    return issues


def _sequence_issues(siblings: list[Clause], start: int) -> list[tuple[str, str, Clause]]:
    issues, seen, highest = [], {}, None
    for clause in siblings:
        n = clause.number[-1]
        if n in seen:
            first = seen[n]
            line = f" (line {first.pos.line})" if first.pos else ""
            issues.append(("duplicate-number", f"{clause.number_text} is numbered the same as an earlier clause{line}", clause))
        elif highest is not None and n < highest.number[-1]:
            issues.append(("numbering-order", f"{clause.number_text} comes after {highest.number_text}", clause))
        seen.setdefault(n, clause)
        if highest is None or n > highest.number[-1]:
            highest = clause
    return issues + _gap_issues(siblings, start)


def _part_start(doc: Document, part: Part) -> int:
    """1, or the number after the previous part's last article when an addendum continues it."""
    index = doc.parts.index(part)
    first = next((c for c in part.clauses() if c.number and len(c.number) == 1), None)
    for earlier in reversed(doc.parts[:index]):
        tops = [c.number[0] for c in earlier.clauses() if c.number and len(c.number) == 1]
        if tops:
            return max(tops) + 1 if first and first.number[0] == max(tops) + 1 else 1
    return 1


def numbering_issues(ctx: CheckContext) -> list[tuple[str, str, Clause]]:
    return ctx.memo("numbering", lambda: list(_all_issues(ctx.doc)))


def _all_issues(doc: Document):
    for part in doc.parts:
        misplaced = _misplaced(part)
        for clause, parent in misplaced:
            where = parent.number_text
            yield "numbering-order", f"{clause.number_text} is placed under {where}", clause
        blamed = {id(c) for c, _ in misplaced}
        for prefix, siblings in _groups(part).items():
            start = _part_start(doc, part) if not prefix else 1
            for issue in _sequence_issues(siblings, start):
                if id(issue[2]) not in blamed:
                    yield issue


def _issues_of(ctx: CheckContext) -> Iterable[Finding]:
    """The shared analysis's issues that belong to the rule being run."""
    for issue_code, message, clause in numbering_issues(ctx):
        if issue_code == ctx.rule.code:
            yield ctx.finding(message, clause.pos, _excerpt(clause))


@rule("numbering-gap", ERROR, "numbering", help="a number is skipped in an article or sub-clause sequence",
      bad="第一条 服务内容\n第二条 服务费用\n第四条 违约责任", good="第一条 服务内容\n第二条 服务费用\n第三条 违约责任")
def check_numbering_gap(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """A number skipped in a sequence of siblings."""
    return _issues_of(ctx)


@rule("duplicate-number", ERROR, "numbering", help="two clauses in one sequence carry the same number",
      bad="3.1 Fees. Customer shall pay the fees.\n3.1 Taxes. Fees exclude taxes.",
      good="3.1 Fees. Customer shall pay the fees.\n3.2 Taxes. Fees exclude taxes.")
def check_duplicate_number(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Two siblings with the same number."""
    return _issues_of(ctx)


@rule("numbering-order", ERROR, "numbering", help="a clause is numbered out of order or placed under the wrong parent",
      bad="2.1 Restrictions.\n2.3 Support.\n2.2 Customer Content.",
      good="2.1 Restrictions.\n2.2 Customer Content.\n2.3 Support.")
def check_numbering_order(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """A clause out of order, or under a parent whose number it does not carry."""
    return _issues_of(ctx)


def normalize_title(title: str) -> str:
    title = title.casefold().replace("&", "and")
    title = re.sub(r"^(the|a|an)\s+", "", title)
    return re.sub(r"[\W_]+", "", title)


@rule("duplicate-heading", WARNING, "numbering", help="two sibling headings in one part have the same title",
      bad="第五条 保密\n第六条 保密", good="第五条 保密\n第六条 知识产权")
def check_duplicate_heading(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Two headings with the same title among siblings of one part."""
    for part in doc.parts:
        seen: dict[tuple, Clause] = {}
        for clause in part.clauses():
            if not clause.title or not clause.number:
                continue
            key = (clause.number[:-1], normalize_title(clause.title))
            if key in seen:
                first = seen[key]
                yield ctx.finding(f"heading '{clause.title}' of {clause.number_text} repeats {first.number_text}'s title",
                                  clause.pos, _excerpt(clause))
            else:
                seen[key] = clause
