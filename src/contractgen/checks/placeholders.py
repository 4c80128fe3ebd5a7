"""Blanks and template tags left in a contract: XXX, 20XX, ____, [CUSTOMER NAME], {{ var }}, 【 】."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from ..diagnostics import ERROR
from ..model import Clause, Document
from .base import CheckContext, rule
from .leftovers import drafting_leftover_spans

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9])(?:19|20)[Xx×]{2}(?![A-Za-z0-9])"             # 20XX
    r"|(?<![A-Za-z0-9])(?<!Article )(?<!Part )X{3,}(?![A-Za-z0-9])"  # XXX (not Roman XXX after Article)
    r"|(?<![A-Za-z0-9])x{3,}(?![A-Za-z0-9])"                          # xxx
    r"|[_＿]{3,}"                                                      # ____
    r"|\[(?:[A-Z][A-Z0-9 _'&/.\-]*[A-Z0-9]|(?:Insert|INSERT|Enter)[^\]]{0,60})\]"  # [CUSTOMER NAME]
    r"|\{\{.{0,80}?\}\}|\{%.{0,80}?%\}"                               # {{ var }}, {% if %}
    r"|\[\[[^\[\]\n]{1,60}\]{0,2}"                                     # [[ref:label]] left in
    r"|【\s*】"                                                         # 【 】
)
_HINTS = ("xx", "××", "__", "＿＿", "[", "{", "【")  # every PLACEHOLDER match contains one


def _texts(doc: Document, ctx: CheckContext):
    for part, block in doc.blocks():
        if isinstance(block, Clause) and block.title:
            yield block.title, block.pos
    for part in doc.parts:
        if part.title:
            yield part.title, part.pos
    for unit in ctx.units:
        yield unit.text, unit.pos


@rule("unfilled-placeholder", ERROR, "placeholders",
      help="a blank or template tag is left in (XXX, 20XX, ____, [NAME], {{ x }}, 【 】)", bad="签订日期：20XX年____月____日",
      good="签订日期：2025年3月4日")
def check_unfilled_placeholder(doc: Document, ctx: CheckContext) -> Iterable:
    """One finding per placeholder form per line, with how often it occurs there."""
    if not ctx.may_contain(_HINTS):
        return
    for text, pos in _texts(doc, ctx):
        # a bracket with an instruction, a bullet or alternatives is drafting-leftover's
        owned = drafting_leftover_spans(text)
        matches = [m for m in PLACEHOLDER.finditer(text) if not any(s <= m.start() and m.end() <= e for s, e in owned)]
        if not matches:
            continue
        counts = Counter(" ".join(m.group().split()) for m in matches)
        firsts = {}
        for m in matches:
            firsts.setdefault(" ".join(m.group().split()), m.start())
        for token, count in counts.items():
            times = f" ({count} times)" if count > 1 else ""
            yield ctx.finding(f"unfilled placeholder '{token}'{times}", pos, text, around=firsts[token])
