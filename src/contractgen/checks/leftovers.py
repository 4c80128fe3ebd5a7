"""Drafting leftovers: what a drafter meant to resolve before signing — TBD, bracketed
alternatives ([甲方/乙方], [30/60] days), notes to draft (起草说明), and blanks that carry an
instruction or a bullet ([●], 【请填写】, [insert date]).

Plain blanks (____, XXX, 【 】, [CUSTOMER NAME]) are ``unfilled-placeholder``'s; a bracket
with an instruction, a bullet or alternatives is ours, so one place gets one finding: the
placeholder rule skips what lies in :func:`drafting_leftover_spans`. In DOCX,
comments, highlighted runs and tracked changes are reported by ``docx_leftovers``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Iterator

from ..diagnostics import ERROR
from ..model import Clause, Document, SourcePos
from .base import CheckContext, rule
from .. import rx

_DATE_LIKE = rx.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}$")
_INSTRUCTION = (r"(?i:请|待|填写|插入|填入|补充|确认|注[:：]|insert|enter|specify|describe|complete|add|confirm|"
                r"include|select|choose|delete|tbd|tbc)")

LEFTOVER = rx.compile(
    r"(?<![A-Za-z])(?:TBD|TBC|TBA)(?![A-Za-z])"                                       # TBD / TBC
    r"|[\[【]\s*[●•◆■▪◦·]+\s*[\]】]"                                                   # [●] 【●】
    rf"|[\[【]\s*{_INSTRUCTION}[^\[\]【】\n]{{0,80}}[\]】]"                               # [insert date] 【请填写】
    r"|[\[【][^\[\]【】/／\n]{1,30}(?:[/／][^\[\]【】/／\n]{1,30})+[\]】]"                  # [甲方/乙方] [30/60]
    r"|(?i:note\s+to\s+(?:draft|drafter|draftsperson)s?|drafting\s+note|drafter'?s\s+note)"  # Note to draft
    r"|(?<![A-Za-z])NTD(?![A-Za-z])"
    r"|起草说明|起草注|(?<![备附批标])注\s*[:：]\s*请"                                      # 起草说明 注：请
)
_HINTS = ("tbd", "tbc", "tba", "ntd", "[", "【", "note", "draft", "起草")


def _may_have_leftovers(ctx: CheckContext) -> bool:
    """A cheap superset test of LEFTOVER over the whole document."""
    return ctx.may_contain(_HINTS) or (ctx.may_contain(("注",)) and bool(re.search(r"注\s*[:：]", ctx.full_text)))


def drafting_leftover_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has drafting leftovers; a placeholder inside one is not reported again."""
    return [m.span() for m in leftovers(text)] if ("[" in text or "【" in text) else []


def _owned(match: re.Match) -> bool:
    token = match.group()
    if "/" in token or "／" in token:
        inner = token[1:-1].strip()
        return not (_DATE_LIKE.match(inner) or "://" in inner or inner.casefold() in ("and/or", "或/和"))
    return True


def leftovers(text: str) -> Iterator[re.Match]:
    return (m for m in LEFTOVER.finditer(text) if _owned(m))


def _titles(doc: Document) -> Iterator[tuple[str, SourcePos | None]]:
    """The parts' titles, then the clauses' (read before the units)."""
    for part in doc.parts:
        if part.title:
            yield part.title, part.pos
    for _, block in doc.blocks():
        if isinstance(block, Clause) and block.title:
            yield block.title, block.pos


def _leftover_tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """(leftover, how many times, where the first is) of each leftover form in a text."""
    low = text.lower()
    if "注" not in text and not any(hint in low for hint in _HINTS):  # every leftover holds one
        return ()
    matches = list(leftovers(text))
    if not matches:
        return ()
    counts = Counter(" ".join(m.group().split()) for m in matches)
    firsts: dict[str, int] = {}
    for m in matches:
        firsts.setdefault(" ".join(m.group().split()), m.start())
    return tuple((token, count, firsts[token]) for token, count in counts.items())


@rule("drafting-leftover", ERROR, "leftovers",
      help="a drafting leftover: TBD, [A/B] alternatives, a note to draft, [●], 【请填写】; DOCX comments, highlights, tracked changes",
      bad="Customer shall pay within [30/60] days. Note to draft: confirm with finance.",
      good="Customer shall pay within 30 days.")
def check_drafting_leftover(doc: Document, ctx: CheckContext) -> Iterable:
    """One finding per leftover form per line, naming it; DOCX review marks come from the DOCX rule.
    An error, and certain: a marker, a note to draft or a review mark is never contract text."""
    # a batch row reads its clause set's titles and fixed units once: no need of the quick test
    if ctx.shared is not None or _may_have_leftovers(ctx):
        titles = ctx.outline_memo("title-leftovers", lambda: [(text, pos, found) for text, pos in _titles(doc)
                                                              if (found := _leftover_tokens(text))])
        units = [(ctx.units[i].text, ctx.units[i].pos, found) for i, found in ctx.scan("leftovers", _leftover_tokens)]
        for text, pos, found in titles + units:
            for token, count, first in found:
                times = f" ({count} times)" if count > 1 else ""
                yield ctx.finding(f"drafting leftover '{token}'{times}", pos, text, around=first,
                                  suggestion=_suggestion(token))
    if doc.docx:
        from .docx_leftovers import docx_leftover_findings  # the DOCX reader's data, read lazily
        yield from docx_leftover_findings(doc, ctx)


def _suggestion(token: str) -> str:
    if "/" in token or "／" in token:
        return "choose one alternative and remove the brackets"
    if re.search(r"(?i)note|说明|注", token):
        return "delete the drafting note"
    return "fill in the text and remove the marker"
