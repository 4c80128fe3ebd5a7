"""Resolve every ``[[ref:label]]`` to its target and compute the parts of the text it shows.

A reference's text is built from the scheme's patterns, not from strings searched after
the fact: the cite pattern of a level ("第{path}条") wraps the clause's own number pattern
("{path}"), the titled pattern ("{cite}（{title}）") wraps the citation, and the scoped
pattern ("{scope}{cite}", "{cite} of {scope}") wraps both. Each wrapper adds its text
before and after as parts with a role, so the number stays a part of its own.
"""

from __future__ import annotations

from ..diagnostics import ERROR, Finding, did_you_mean
from ..model import CITE, NUMBER, SCOPE, TITLE, Clause, Part, Ref, RefPart, inline_lists
from ..numbering import get_scheme
from ..numbering.base import Scheme
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
    if isinstance(target, Clause) and target_part.kind == "attachment":
        ctx.findings.append(Finding("bad-reference", ERROR,
                                    f"'{ref.label}' is inside {target_part.number_text}: cite the attachment "
                                    f"itself ([[ref:{target_part.label}]])", ref.pos))
        return
    scope = target_part.cite_as if target_part is not part and isinstance(target, Clause) else ""
    ref.target = target
    ref.parts = reference_parts(get_scheme(target_part.scheme), target, with_title=ref.with_title, scope=scope)


def reference_parts(scheme: Scheme, target: Clause | Part, *, with_title: bool = False,
                    scope: str = "") -> tuple[RefPart, ...]:
    """The parts of a citation of ``target``: [scope] [cite words] number [cite words]
    [title] [scope], in the order the scheme's patterns put them; empty parts left out."""
    parts = [RefPart(NUMBER, target.number_text)]
    if isinstance(target, Clause):
        parts = _cite_words(scheme, target.number, parts)
    if with_title and target.title:
        parts = _wrap(scheme.titled, parts, TITLE, title=target.title)
    if scope:
        parts = _wrap(scheme.scoped, parts, SCOPE, scope=scope)
    return tuple(p for p in parts if p.text)


def _cite_words(scheme: Scheme, number: tuple[int, ...], parts: list[RefPart]) -> list[RefPart]:
    """Wrap a clause's number in the words its level's cite pattern puts around it.

    The clause pattern ("{path}") appears inside the cite pattern ("第{path}条"); patterns
    are data with placeholders, so splitting one by the other never meets contract text.
    """
    level = min(len(number), len(scheme.cite_formats), len(scheme.clause_formats)) - 1
    before, own, after = scheme.cite_formats[level].partition(scheme.clause_formats[level])
    if not own:  # the scheme cites this level without its own number: no number part
        return [RefPart(CITE, scheme.cite(number))]
    values = {"n": scheme.count(number[-1]), "d": number[-1], "path": ".".join(map(str, number))}
    return [RefPart(CITE, before.format(**values)), *parts, RefPart(CITE, after.format(**values))]


def _wrap(pattern: str, parts: list[RefPart], role: str, **values: str) -> list[RefPart]:
    """``pattern`` with ``{cite}`` standing for ``parts``: the text around it gets ``role``."""
    before, _, after = pattern.partition("{cite}")
    return [RefPart(role, before.format(**values)), *parts, RefPart(role, after.format(**values))]
