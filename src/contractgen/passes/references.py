"""Resolve every ``[[ref:label]]`` to its target and compute the text it shows."""

from __future__ import annotations

from ..diagnostics import ERROR, Finding, did_you_mean
from ..model import Clause, Part, Ref, inline_lists
from ..numbering import get_scheme
from .context import Context



def resolve_references(ctx: Context) -> None:
    for part in ctx.doc.parts:
        for block in part.blocks:
            for ref in _refs(block):
                _resolve(ctx, part, ref)


def _refs(block):
    for inlines in inline_lists(block):
        yield from (node for node in inlines if isinstance(node, Ref))


def _resolve(ctx: Context, part: Part, ref: Ref) -> None:
    if ref.label not in ctx.labels:
        ctx.findings.append(Finding("unknown-label", ERROR, f"reference to unknown label '{ref.label}'",
                                    ref.pos, suggestion=did_you_mean(ref.label, ctx.labels)))
        return
    target_part, target = ctx.labels[ref.label]
    scheme = get_scheme(target_part.scheme)
    if isinstance(target, Part):
        ref.cite, title = target.number_text, target.title
    elif target_part.kind == "attachment":
        ctx.findings.append(Finding("bad-reference", ERROR,
                                    f"'{ref.label}' is inside {target_part.number_text}: cite the attachment "
                                    f"itself ([[ref:{target_part.label}]])", ref.pos))
        return
    else:
        ref.cite, title = scheme.cite(target.number), target.title
    text = scheme.with_title(ref.cite, title) if ref.with_title and title else ref.cite
    if target_part is not part and isinstance(target, Clause):
        text = scheme.scope(target_part.cite_as, text)
    ref.target, ref.text = target, text
