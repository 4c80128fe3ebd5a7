"""Attachment rules: listed or cited attachments without content, and content nobody cites."""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import ERROR, WARNING
from ..model import Document
from .base import CheckContext, rule
from .citations import all_citations
from .index import attachment_info


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
    for key, pos in info.content.items():
        if key not in info.listed and key not in cited:
            name = info.names.get(key, f"{key[0]} {key[1]}")
            yield ctx.finding(f"{name} is included but never listed or cited", pos, name)
