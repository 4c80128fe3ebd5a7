"""The table of contents must list the body's headings, with their numbers and titles.

A TOC may list parts too (主合同, 补充协议, 附件一 …); an entry for a part switches the
part whose clauses the following entries are looked up in. A DOCX TOC that is a field or a
TOC content control is left to ``stale-toc`` (checks/fields.py), which follows each entry's
bookmark; this rule checks typed tables of contents.
"""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import ERROR
from ..grammar import parse_attachment_head, parse_clause_number
from ..model import Clause, Document, Part, Toc, TocEntry
from .base import CheckContext, rule
from .fields import docx_toc_lines
from .index import clauses_by_part
from .numbering import normalize_title
from .references import titles_match


def same_title(listed: str, heading: str) -> bool:
    """A TOC line reproduces its heading: equal once case, spacing and punctuation are set
    aside. (References may paraphrase a title; a TOC is a copy, so "Terminatiox" is a typo.)"""
    return normalize_title(listed) == normalize_title(heading)


def _toc_blocks(doc: Document) -> Iterable[tuple[int, Toc]]:
    field_lines = docx_toc_lines(doc)
    for index, part in enumerate(doc.parts):
        for block in part.blocks:
            if isinstance(block, Toc) and block.entries and not _is_field_toc(block, field_lines):
                yield index, block


def _is_field_toc(toc: Toc, field_lines: set[tuple[str, int]]) -> bool:
    return bool(field_lines) and all(e.pos is not None and (e.pos.path, e.pos.line) in field_lines for e in toc.entries)


def _body_part(doc: Document, index: int, toc: Toc) -> Part | None:
    """The part a TOC lists first: its own part if headings follow it there, else the next one."""
    own = doc.parts[index]
    after = own.blocks[own.blocks.index(toc) + 1:]
    if any(isinstance(b, Clause) for b in after):
        return own
    return next((p for p in doc.parts[index + 1:] if any(True for _ in p.clauses())), None)


def _entry_text(entry: TocEntry) -> str:
    return " ".join(t for t in (entry.number_text, entry.title) if t)


def _find_part(doc: Document, entry: TocEntry) -> Part | None:
    if isinstance(entry.target, Part):
        return entry.target
    head = parse_attachment_head(entry.number_text) if entry.number_text else None
    for part in doc.parts:
        if head and part.kind == "attachment":
            own = parse_attachment_head(part.number_text)
            if own and own.key == head.key:
                return part
        elif not head and not entry.number_text and part.title and titles_match(entry.title, part.title):
            return part
    return None


def _part_problem(entry: TocEntry, part: Part | None) -> str | None:
    if part is None:
        return f"TOC lists '{_entry_text(entry)}', which is not in the document"
    if part.title and entry.title and not same_title(entry.title, part.title):
        return f"TOC lists '{_entry_text(entry)}' but {part.heading_text or 'the part'} is titled '{part.title}'"
    return None


def _clause_problem(entry: TocEntry, number: tuple[int, ...], body: Part, index: dict) -> str | None:
    clause = entry.target if isinstance(entry.target, Clause) else index.get(number)
    if clause is None:
        elsewhere = next((c for c in body.clauses() if c.title and c.number and len(c.number) == len(number)
                          and titles_match(entry.title, c.title)), None)
        hint = f" ('{entry.title}' is {elsewhere.number_text})" if elsewhere else ""
        return f"TOC lists '{_entry_text(entry)}' but the body has no {entry.number_text}{hint}"
    if clause.number != number:
        return f"TOC lists '{_entry_text(entry)}' but that heading is numbered {clause.number_text}"
    if clause.title and not same_title(entry.title, clause.title):
        return f"TOC lists '{_entry_text(entry)}' but {clause.number_text} is titled '{clause.title}'"
    return None


@rule("toc-mismatch", ERROR, "toc", help="a table-of-contents entry does not match the body's heading (a typed TOC copies its headings: any difference is certain)",
      bad="目录\n第一条 服务内容\n\n第一条 服务范围", good="目录\n第一条 服务范围\n\n第一条 服务范围",
      reads="structure")
def check_toc_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """Each TOC entry must match a heading's number and title; entries under a bad one are skipped."""
    indexes = clauses_by_part(ctx)
    for index, toc in _toc_blocks(doc):
        body = _body_part(doc, index, toc)
        bad_depth = None
        for entry in toc.entries:
            num = parse_clause_number(entry.number_text) if entry.number_text else None
            depth = len(num.number) if num and not parse_attachment_head(entry.number_text) else 0
            if bad_depth is not None and depth > bad_depth:
                continue
            if depth == 0:
                body = _find_part(doc, entry) or body
                problem = _part_problem(entry, _find_part(doc, entry))
            else:
                problem = _clause_problem(entry, num.number, body, indexes[body.id]) if body else None
            bad_depth = depth if problem else None
            if problem:
                yield ctx.finding(problem, entry.pos or toc.pos, _entry_text(entry))
        if body is not None:
            yield from _missing_from_toc(ctx, toc, body)


def _missing_from_toc(ctx: CheckContext, toc: Toc, body: Part) -> Iterable:
    """Only for a legacy TOC of one part that lists articles; generated ones list every part."""
    if any(e.target is not None or not e.number_text for e in toc.entries):
        return
    listed = {num.number for e in toc.entries if (num := parse_clause_number(e.number_text))}
    if not any(len(n) == 1 for n in listed):
        return
    for clause in body.clauses():
        if clause.number and len(clause.number) == 1 and clause.title and clause.number not in listed:
            yield ctx.finding(f"heading '{clause.heading_text}' is missing from the TOC", clause.pos, clause.heading_text)
