"""The table of contents must list the body's headings, with their numbers and titles."""

from __future__ import annotations

from typing import Iterable

from ..model import Clause, Document, Part, Toc, TocEntry
from ..readers.numbers import attachment_key, parse_attachment_head, parse_clause_number
from .base import CheckContext
from .references import titles_match


def _toc_blocks(doc: Document) -> Iterable[tuple[int, Toc]]:
    for index, part in enumerate(doc.parts):
        for block in part.blocks:
            if isinstance(block, Toc) and block.entries:
                yield index, block


def _body_part(doc: Document, index: int, toc: Toc) -> Part | None:
    """The part a TOC lists: its own part if headings follow it there, else the next one."""
    own = doc.parts[index]
    after = own.blocks[own.blocks.index(toc) + 1:]
    if any(isinstance(b, Clause) for b in after):
        return own
    return next((p for p in doc.parts[index + 1:] if any(True for _ in p.clauses())), None)


def _entry_text(entry: TocEntry) -> str:
    return " ".join(t for t in (entry.number_text, entry.title) if t)


def _clause_matches(entry: TocEntry, clause: Clause) -> bool:
    """An untitled clause (a numbered sentence) cannot contradict a TOC title."""
    return titles_match(entry.title, clause.title) if clause.title else True


def _entry_problem(entry: TocEntry, body: Part, attachments: dict) -> str | None:
    head = parse_attachment_head(entry.number_text)
    if head:
        actual = attachments.get(attachment_key(head[1], head[2]))
        if actual is None:
            return f"TOC lists '{_entry_text(entry)}', which is not in the document"
        return None if titles_match(entry.title, actual.title or entry.title) else \
            f"TOC lists '{_entry_text(entry)}' but {actual.number_text} is titled '{actual.title}'"
    num = parse_clause_number(entry.number_text)
    clause = next((c for c in body.clauses() if num and c.number == num.number), None)
    if clause is None:
        depth = len(num.number) if num else 1
        elsewhere = next((c for c in body.clauses()
                          if c.title and c.number and len(c.number) == depth and titles_match(entry.title, c.title)), None)
        hint = f" ('{entry.title}' is {elsewhere.number_text})" if elsewhere else ""
        return f"TOC lists '{_entry_text(entry)}' but the body has no {entry.number_text}{hint}"
    if not _clause_matches(entry, clause):
        return f"TOC lists '{_entry_text(entry)}' but {clause.number_text} is titled '{clause.title}'"
    return None


def check_toc_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """Each TOC entry must match a heading's number and title; entries under a bad one are skipped."""
    attachments = {}
    for part in doc.parts:
        head = parse_attachment_head(part.number_text) if part.kind == "attachment" else None
        if head:
            attachments.setdefault(attachment_key(head[1], head[2]), part)
    for index, toc in _toc_blocks(doc):
        body = _body_part(doc, index, toc)
        if body is None:
            continue
        bad_level = None
        for entry in toc.entries:
            if bad_level is not None and entry.level > bad_level:
                continue
            problem = _entry_problem(entry, body, attachments)
            bad_level = entry.level if problem else None
            if problem:
                yield ctx.finding(problem, entry.pos or toc.pos, _entry_text(entry))
        yield from _missing_from_toc(ctx, toc, body)


def _missing_from_toc(ctx: CheckContext, toc: Toc, body: Part) -> Iterable:
    listed = {num.number for e in toc.entries if (num := parse_clause_number(e.number_text))}
    if not any(len(n) == 1 for n in listed):
        return
    for clause in body.clauses():
        if clause.number and len(clause.number) == 1 and clause.title and clause.number not in listed:
            yield ctx.finding(f"heading '{clause.heading_text}' is missing from the TOC", clause.pos, clause.heading_text)
