"""Indexes over a document that several rules share: clauses by number, attachments."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..grammar import AttachmentHead, parse_attachment_head
from ..model import AttachmentRegister, Clause, Document, Paragraph, Part, SourcePos, Table, plain_text
from .base import CheckContext, line_memo
from .citations import citations
from .instruments import is_attachment_head


def clause_index(part: Part) -> dict[tuple[int, ...], Clause]:
    """The first clause with each number in a part."""
    index: dict[tuple[int, ...], Clause] = {}
    for clause in part.clauses():
        if clause.number and clause.number not in index:
            index[clause.number] = clause
    return index


def clauses_by_part(ctx: CheckContext) -> dict[str, dict[tuple[int, ...], Clause]]:
    return ctx.outline_memo("clauses", lambda: {p.id: clause_index(p) for p in ctx.doc.parts})


def main_part(doc: Document) -> Part | None:
    """The part that "本合同第X条" / "Section X of the Agreement" points at."""
    for part in doc.parts:
        if part.kind in ("main", "body"):
            return part
    numbered = [p for p in doc.parts if p.kind != "attachment" and any(True for _ in p.clauses())]
    return numbered[0] if numbered else None


@dataclass
class AttachmentInfo:
    """Attachments by key (series, number): where listed, where their content is, where cited."""

    listed: dict[tuple[str, int], tuple[str, str, SourcePos | None]] = field(default_factory=dict)
    content: dict[tuple[str, int], SourcePos | None] = field(default_factory=dict)
    names: dict[tuple[str, int], str] = field(default_factory=dict)


def _inline_content(text: str) -> AttachmentHead | None:
    """"附件1的详细要求：……" describes an attachment's content in the text itself."""
    head = parse_attachment_head(text)
    if head and head.rest.startswith("的") and len(head.rest) >= 15:
        return head
    return None


def attachment_info(ctx: CheckContext) -> AttachmentInfo:
    return ctx.memo("attachments", lambda: _collect_attachments(ctx))


def _collect_attachments(ctx: CheckContext) -> AttachmentInfo:
    info = AttachmentInfo()
    for part in ctx.doc.parts:
        head = parse_attachment_head(part.number_text) if part.kind == "attachment" else None
        if head:
            key = head.key
            info.content.setdefault(key, part.pos)
            info.names.setdefault(key, part.number_text)
    for _, found in ctx.scan_blocks("attachments", _block_attachments):
        for field_name, key, value in found:
            getattr(info, field_name).setdefault(key, value)
    return info


def _block_attachments(block) -> tuple[tuple[str, tuple[str, int], object], ...]:
    """What one block tells of attachments, in order: (AttachmentInfo field, key, value),
    the first of each key winning. A function of the block's content (ctx.scan_blocks)."""
    found: list[tuple[str, tuple[str, int], object]] = []
    if isinstance(block, AttachmentRegister):
        for entry in block.entries:
            head = parse_attachment_head(entry.number_text)
            if head:
                key = head.key
                found.append(("listed", key, (entry.number_text, entry.title, entry.pos)))
                found.append(("names", key, entry.number_text))
                if entry.target is not None:
                    found.append(("content", key, entry.target.pos))
    elif isinstance(block, Paragraph):
        for key in _heads_in(plain_text(block.text)):
            if key is not None:
                found.append(("content", key, block.pos))
    elif isinstance(block, Table):
        for row in block.rows:
            for cell in row:
                key = _own_head(plain_text(cell))
                if key is not None:
                    found.append(("content", key, block.pos))
    return tuple(found)


@line_memo
def _heads_in(text: str) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
    """The attachments whose content a paragraph holds: (described inline, its own heading).
    Pure functions of the text, memoised: a batch's rows repeat most of their lines."""
    inline = _inline_content(text)
    return (inline.key if inline else None), _own_head(text)


_HEAD_WORDS = ("附件", "附表", "Schedule", "Exhibit", "Annex", "Appendix", "Attachment")


@line_memo
def _own_head(text: str) -> tuple[str, int] | None:
    """The attachment whose own heading a paragraph or cell is ("Annex I(A) List of Parties",
    "附件一 鉴证编号：……"): its content is here."""
    if not text.lstrip().startswith(_HEAD_WORDS):
        return None
    for cit in citations(text):
        if cit.kind == "attachment" and is_attachment_head(text, cit.start):
            return cit.key
        break
    return None
