"""Fill the register of attachments (附件清单 / Schedules) from the attachment parts."""

from __future__ import annotations

from ..model import AttachmentRegister, RegisterEntry
from ..numbering import get_scheme
from .context import Context


def build_register(ctx: Context) -> None:
    doc = ctx.doc
    entries = [RegisterEntry(p.number_text, p.title, target=p) for p in doc.parts if p.kind == "attachment"]
    for _part, block in doc.blocks():
        if isinstance(block, AttachmentRegister):
            block.entries = list(entries)
            block.title = block.title or get_scheme(doc.lang).register_title
