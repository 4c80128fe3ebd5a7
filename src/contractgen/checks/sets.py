"""Rules and helpers for contract sets (a main contract, addenda and attachment files read
into one document by :mod:`contractgen.readers.contract_set`).

``attachment-title-mismatch``: an attachment delivered as its own file whose title is not
the one the main contract's register lists. :func:`restated_party` tells a term rule that
an addendum restating the parties ("甲方：某某公司" again) is not a second definition.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from ..diagnostics import ERROR
from ..grammar import parse_attachment_head
from ..model import Document
from .base import CheckContext, TextUnit, rule
from .index import attachment_info
from .references import titles_match


@rule("attachment-title-mismatch", ERROR, "attachments",
      help="an attachment delivered as its own file has a title other than the register's",
      bad="main.md — 附件清单：附件1：服务标准\nannex-1.md — 附件1：保密协议", good="main.md — 附件清单：附件1：服务标准\nannex-1.md — 附件1：服务标准",
      example="set")
def check_attachment_title_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """An attachment file titled differently from its entry in the main contract's register."""
    info = attachment_info(ctx)
    for part in doc.parts:
        head = parse_attachment_head(part.number_text) if part.kind == "attachment" else None
        if head is None or not part.title or part.pos is None:
            continue
        listed = info.listed.get(head.key)
        if listed is None:
            continue
        number_text, title, pos = listed
        if pos is None or pos.path == part.pos.path or not title or titles_match(title, part.title):
            continue
        yield ctx.finding(f"{part.number_text} is titled '{part.title}' but the register in {Path(pos.path).name} "
                          f"(line {pos.line}) lists {number_text} as '{title}'", part.pos, part.heading_text,
                          suggestion=f"retitle the file '{title}' or correct the register")


# --- restated parties ------------------------------------------------------------------------

_NAME = r"[^\s，,。；;：:（()）“”\"「」]{2,40}"
_NAME_EN = r"[A-Z][\w.&'’\- ]{1,60}?"


def _name_patterns(term: str) -> list[re.Pattern]:
    t = re.escape(term)
    if term.isascii():
        return [re.compile(rf"{t}\s*:\s*(?P<name>{_NAME_EN})(?:\s*[,(;]|\s*$)"),
                re.compile(rf"(?P<name>{_NAME_EN})\s*\((?:the\s+|hereinafter\s+)?[“\"]{t}[”\"]")]
    return [re.compile(rf"{t}\s*(?:[（(][^）)]{{0,20}}[）)])?\s*[:：]\s*(?P<name>{_NAME})"),
            re.compile(rf"(?P<name>{_NAME})\s*[（(][^）)]{{0,10}}(?:以下简称|下称|简称|以下称)\s*[“\"「]?{t}")]


def party_name(term: str, text: str) -> str:
    """The name a party term is bound to in one text ("甲方：杭州某某公司" → "杭州某某公司"), or ""."""
    for pattern in _name_patterns(term):
        m = pattern.search(text)
        if m:
            return re.sub(r"\s+", "", m["name"]).rstrip(".,，")
    return ""


def restated_party(term: str, first: TextUnit, second: TextUnit) -> bool:
    """True when ``second`` restates, in an addendum, the party that ``first`` defines: the
    same term bound to the same name in both ("甲方：某某公司" in the main contract and again
    in the 补充协议). Such a restatement is not a duplicate definition."""
    if second.part is first.part or second.part.kind != "addendum":
        return False
    name = party_name(term, second.text)
    return bool(name) and name == party_name(term, first.text)
