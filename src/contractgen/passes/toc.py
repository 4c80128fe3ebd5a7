"""Fill every table of contents from the numbered clauses.

Entry levels are outline levels: 1 for a part heading (主合同, 补充协议, 附件一 …), 2 for
an article, 3 for a section. ``toc_levels`` in contract.yaml counts clause levels, so the
default 2 lists articles and sections (a DOCX TOC field ``\\o "1-3"``).
"""

from __future__ import annotations

from ..model import Toc, TocEntry
from ..numbering import get_scheme
from .context import Context


def build_toc(ctx: Context) -> None:
    doc = ctx.doc
    entries = _entries(doc, ctx.template.spec.toc_levels)
    for _part, block in doc.blocks():
        if isinstance(block, Toc):
            block.entries = list(entries)
            block.title = block.title or get_scheme(doc.lang).toc_title


def _entries(doc, max_level: int) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for part in doc.parts:
        if part.kind == "cover":
            continue
        entries.append(TocEntry(1, part.number_text, part.title, target=part))
        if part.kind == "attachment":
            continue
        for clause in part.clauses():
            if clause.title and clause.level <= max_level:
                entries.append(TocEntry(clause.level + 1, clause.number_text, clause.title, target=clause))
    return entries
