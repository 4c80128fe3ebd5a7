"""Attachment rules: listed or cited attachments without content, and content nobody cites."""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import ERROR, WARNING
from ..grammar import parse_attachment_head
from ..model import Document, Paragraph, plain_text
from .base import CheckContext, rule
from .citations import all_citations
from .index import attachment_info
from .. import rx


@rule("missing-attachment", ERROR, "attachments", help="a listed attachment has no content in the document",
      bad="第一条 服务\n乙方按附件1提供服务，按附件2收费。\n附件清单：\n附件1：服务标准\n附件2：报价单\n附件1 服务标准\n工作日提供服务。",
      good="第一条 服务\n乙方按附件1提供服务，按附件2收费。\n附件清单：\n附件1：服务标准\n附件2：报价单\n附件1 服务标准\n工作日提供服务。\n附件2 报价单\n年费十万元。")
def check_missing_attachment(doc: Document, ctx: CheckContext) -> Iterable:
    """An attachment in the register with no content anywhere in the document."""
    info = attachment_info(ctx)
    for key, (number_text, title, pos) in info.listed.items():
        if key not in info.content:
            name = f"{number_text}（{title}）" if ctx.lang == "zh" else f"{number_text} ({title})"
            yield ctx.finding(f"{name} is listed but its content is not in the document", pos,
                              f"{number_text}: {title}" if ctx.lang != "zh" else f"{number_text}：{title}")


@rule("unused-attachment", WARNING, "attachments", help="an included attachment is neither listed nor cited",
      bad="第一条 服务\n乙方按附件1提供服务。\n附件清单：\n附件1：服务标准\n附件1 服务标准\n工作日提供服务。\n附件2 报价单\n年费十万元。",
      good="第一条 服务\n乙方按附件1提供服务，按附件2收费。\n附件清单：\n附件1：服务标准\n附件2：报价单\n附件1 服务标准\n工作日提供服务。\n附件2 报价单\n年费十万元。")
def check_unused_attachment(doc: Document, ctx: CheckContext) -> Iterable:
    """Attachment content that is neither listed in the register nor cited in the text."""
    info = attachment_info(ctx)
    cited = {c.key for _, c in all_citations(ctx) if c.kind == "attachment"}
    by_title = _cited_by_title(ctx)
    for key, pos in info.content.items():
        if key not in info.listed and key not in cited and key not in by_title:
            name = info.names.get(key, f"{key[0]} {key[1]}")
            yield ctx.finding(f"{name} is included but never listed or cited", pos, name)


_BOOK_TITLE = rx.compile(r"《([^《》]{2,40})》")


def _cited_by_title(ctx: CheckContext) -> set[tuple[str, int]]:
    """Attachments the text outside them cites by their title in book-title marks
    (《旅游行程单》 for "附件2：" followed by the line "旅游行程单")."""
    if ctx.lang != "zh":
        return set()
    named = {title for index, found in ctx.scan("book-titles", _book_titles) for title in found
             if ctx.units[index].part.kind != "attachment"}
    if not named:
        return set()
    titles = {}
    for part in ctx.doc.parts:
        head = parse_attachment_head(part.number_text) if part.kind == "attachment" else None
        title = part.title or _first_line(part)
        if head and title:
            titles.setdefault(title, head.key)
    return {key for title, key in titles.items() if title in named}


def _book_titles(text: str) -> tuple[str, ...]:
    """The titles a text gives in book-title marks (《…》)."""
    return tuple(m.group(1) for m in _BOOK_TITLE.finditer(text)) if "《" in text else ()


def _first_line(part) -> str:
    """An attachment's title written on the line after its 附件N： head."""
    first = next((b for b in part.blocks if isinstance(b, Paragraph)), None)
    text = plain_text(first.text).strip() if first is not None else ""
    return text if len(text) <= 30 else ""
