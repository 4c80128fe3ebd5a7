"""Number clauses per part (restarting in every part) and attachments in order."""

from __future__ import annotations

from functools import lru_cache

from ..diagnostics import ERROR, Finding
from ..grammar import parse_outline_number
from ..model import Clause, Part
from ..numbering import get_scheme
from ..outline import link_by_level
from .context import Context


def number_clauses(ctx: Context) -> None:
    attachments = 0
    for part in ctx.doc.parts:
        scheme = get_scheme(part.scheme)
        if part.kind == "attachment":
            attachments += 1
            part.number, part.number_text = attachments, scheme.attachment(attachments)
        fmt = scheme.attachment_clause_number if part.kind == "attachment" else scheme.clause_number
        _number_part(part, fmt, ctx.findings)
        link_by_level((c for c in part.clauses() if c.number), _style_of)


def _style_of(clause: Clause) -> str:
    """The style a reader gives the number as written ("第一条", "1.1", "一、")."""
    return _style_of_number(clause.number_text, clause.level)


@lru_cache(maxsize=4096)
def _style_of_number(number_text: str, level: int) -> str:
    parsed = parse_outline_number(number_text + " x")
    return parsed.style if parsed else f"level{level}"


def _number_part(part: Part, fmt, findings: list[Finding]) -> None:
    counters: list[int] = []
    for clause in part.clauses():
        if clause.level > len(counters) + 1:
            findings.append(_skipped_level(clause, len(counters)))
            continue
        del counters[clause.level:]
        if len(counters) < clause.level:
            counters.append(0)
        counters[clause.level - 1] += 1
        clause.number = tuple(counters)
        clause.number_text = fmt(clause.number)


def _skipped_level(clause: Clause, depth: int) -> Finding:
    what = "a heading" if clause.title else "a list item"
    parent = "'#' heading" if depth == 0 else "'" + "#" * (depth + 1) + "' heading"
    return Finding("bad-structure", ERROR,
                   f"{what} at level {clause.level} has no level {clause.level - 1} clause above it "
                   f"(add a {parent} first)", clause.pos)
