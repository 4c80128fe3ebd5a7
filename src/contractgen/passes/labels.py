"""Collect every label (clause labels and attachment part ids) into one table."""

from __future__ import annotations

from ..diagnostics import ERROR, Finding
from .context import Context


def collect_labels(ctx: Context) -> None:
    for part in ctx.doc.parts:
        if part.label:
            _add(ctx, part.label, part, part)
        for clause in part.clauses():
            if clause.label:
                _add(ctx, clause.label, part, clause)


def _add(ctx: Context, label: str, part, target) -> None:
    if label in ctx.labels:
        first = ctx.labels[label][1].pos
        ctx.findings.append(Finding("duplicate-label", ERROR,
                                    f"label '{label}' is defined twice (first at {first})", target.pos))
        return
    ctx.labels[label] = (part, target)
