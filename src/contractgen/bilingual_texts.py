"""A bilingual contract read from a file, taken apart into its two texts for checking.

A contract written 中英文对照 with each Chinese article followed by its English one
(interleaved), or the whole Chinese text followed by the whole English text (sequential),
holds two numbered sequences, two tables of contents and two ways of citing: read as one
text, 第一条 and Article 1 look like one list numbered twice, the Chinese TOC lacks the
English headings, and "Schedule 1" names no attachment the Chinese headings know. So
``check`` checks each text on its own — the rules of one-language contracts see one
language — and compares them with the parity rules (:mod:`contractgen.checks.bilingual`).

:func:`language_texts` does that only when the document leaves no doubt: at least two
articles in each language, numbered in each language's own words (第一条 … / Article 1 …),
about as many of each; a contract in one language is never taken apart. A side-by-side
Markdown table reaches it as an interleaved text (:mod:`contractgen.readers.languages`
unfolds its rows); a side-by-side Word table is still read as a table, its cells paired by
the parity rules as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import (AttachmentRegister, Block, Clause, Document, Paragraph, Part, SignatureBlock, Table, Toc,
                     plain_text)

ZH, EN, BOTH = "zh", "en", "both"


def language_texts(doc: Document) -> dict[str, Document] | None:
    """The Chinese and the English text of a bilingual document read from a file, each a
    document of its own (the blocks are the same objects, so findings keep their places),
    or None when the document is not certainly two texts set out one after the other."""
    if doc.texts or doc.set_files is not None or doc.fixed_blocks is not None or "template" in doc.meta:
        return None  # one we built (a bilingual one is paired by its structure), or a contract set
    articles = {ZH: 0, EN: 0}
    for _, block in doc.blocks():
        if isinstance(block, Clause) and block.level == 1:
            lang = _numbered_in(block)
            if lang in articles:
                articles[lang] += 1
    zh, en = articles[ZH], articles[EN]
    if min(zh, en) < 2 or max(zh, en) > 2 * min(zh, en):
        return None
    # The Word file's own fields and bookmarks (doc.docx) are checked once, with the first text.
    texts = {lang: Document(title=doc.title, lang=lang, meta=dict(doc.meta), source=doc.source,
                            suppressions=list(doc.suppressions), docx=list(doc.docx) if lang == ZH else [])
             for lang in (ZH, EN)}
    for part in doc.parts:
        _split_part(part, texts)
    for text in texts.values():
        text.parts = [p for p in text.parts if p.blocks or p.heading_text]
        _outline(text)
    return texts


def _outline(text: Document) -> None:
    """Each text's clauses placed in an outline of their own: read as one document, an
    English "2.1" after the Chinese "（一）" was taken for its sub-clause."""
    from .outline import Outliner

    for part in text.parts:
        outliner = Outliner()
        for clause in part.clauses():
            outliner.place(clause)


def _numbered_in(clause: Clause) -> str:
    """The language a clause's number is worded in: 第一条 / 一、 are Chinese, "Article 1",
    "Section 1.1", "Clause 2" English; a bare "1.1" says nothing (its text decides)."""
    style = clause.style or ""
    if style.startswith("zh-") or clause.number_text.startswith("第"):
        return ZH
    if style.startswith("en-") or clause.number_text[:1].isalpha():
        return EN
    return ""


def _block_lang(block: Block, previous: str) -> str:
    from .checks.bilingual_units import split_mixed, text_lang

    if isinstance(block, SignatureBlock):
        return BOTH
    if isinstance(block, AttachmentRegister):
        text = " ".join(f"{e.number_text} {e.title}" for e in block.entries) or block.title
        return text_lang(text) if split_mixed(" ".join(text.split())) is None and text_lang(text) else BOTH
    if isinstance(block, Clause):
        lang = _numbered_in(block)
        if lang:
            return lang
        text = " ".join(t for t in (block.title, plain_text(block.text)) if t)
    elif isinstance(block, Paragraph):
        text = plain_text(block.text)
    elif isinstance(block, Table):
        text = " ".join(plain_text(cell) for row in block.rows for cell in row)
    elif isinstance(block, Toc):
        text = " ".join(f"{e.number_text} {e.title}" for e in block.entries) or block.title
    else:
        return previous or BOTH
    if split_mixed(" ".join(text.split())) is not None:
        return BOTH
    return text_lang(text) or previous or BOTH


def _share(block: Block, lang: str) -> Block:
    """One language's share of a block in both: a table's cells in that language (a table
    of contents or a parties table set out in two columns), a TOC's or a register's entries
    in it."""
    from .checks.bilingual_units import text_lang

    if isinstance(block, Table):  # each row kept keeps its place in the file (row_pos)
        kept = [([cell for cell in row if text_lang(plain_text(cell)) in (lang, "")], block.pos_of_row(index))
                for index, row in enumerate(block.rows)]
        return replace(block, rows=[row for row, _ in kept if row], row_pos=[pos for row, pos in kept if row])
    if isinstance(block, (Toc, AttachmentRegister)):
        entries = [e for e in block.entries if text_lang(f"{e.number_text} {e.title}") in (lang, "")]
        return replace(block, entries=entries, title=block.title if text_lang(block.title) in (lang, "") else "")
    return block


def _heading_lang(part: Part) -> str:
    from .checks.bilingual_units import split_mixed, text_lang

    text = " ".join(part.heading_text.split())
    if not text:
        return BOTH
    if split_mixed(text) is not None or (part.number_text.startswith("附件") and text_lang(part.title) == EN):
        return BOTH
    return text_lang(text) or BOTH


def _split_part(part: Part, texts: dict[str, Document]) -> None:
    """Each language's share of a part: its blocks in that language (and those in both),
    under the part's heading where the heading is in that language or both. Blocks in a
    language whose part heading is in the other — the English text after the last Chinese
    attachment, in a sequential layout — continue that language's last part with a heading
    of its own, or open its main part."""
    head = _heading_lang(part)
    langs, previous = [], ""
    for block in part.blocks:
        previous = _block_lang(block, previous)
        langs.append(previous)
    for lang, text in texts.items():
        blocks = [_share(b, lang) if l == BOTH else b for b, l in zip(part.blocks, langs) if l in (lang, BOTH)]
        if head in (lang, BOTH):
            text.parts.append(_headed(part, lang, head, blocks))
        elif blocks:
            last = text.parts[-1] if text.parts else None
            if last is not None and last.heading_text and last.kind != "cover":
                last.blocks.extend(blocks)
            else:
                text.parts.extend(_opened(part, blocks, lang))


def _headed(part: Part, lang: str, head: str, blocks: list[Block]) -> Part:
    """The part in one text. A heading that holds both languages ("附件一 货物清单 Schedule 1
    List of Goods") keeps, for each text, its own half: number and title."""
    own = replace(part, blocks=blocks, columns=[])
    if head != BOTH or not part.heading_text:
        return own
    from .checks.bilingual_units import split_mixed
    from .grammar import parse_attachment_head, parse_part_marker

    mixed = split_mixed(" ".join(part.heading_text.split()))
    if mixed is None:
        return own
    half = mixed[0] if lang == ZH else mixed[1]
    attachment = parse_attachment_head(half) if part.kind == "attachment" else None
    marker = parse_part_marker(half) if part.number_text and attachment is None else None
    if attachment is not None:
        own.number, own.number_text, own.title = attachment.number, attachment.number_text, attachment.rest
    elif marker is not None:
        own.number, own.number_text, own.title = marker
    elif not part.number_text:
        own.title = half
    return own


def _opened(part: Part, blocks: list[Block], lang: str) -> list[Part]:
    """The parts of a text that begins inside another language's part (the English text
    of a sequential layout, after the last Chinese attachment): its cover — what comes
    before its title — and its main part, headed by the first line before its first
    clause that its table of contents lists without a number ("Equipment Supply
    Agreement")."""
    toc_titles = {e.title.casefold() for b in blocks if isinstance(b, Toc) for e in b.entries if not e.number_text}
    first_clause = next((i for i, b in enumerate(blocks) if isinstance(b, Clause)), len(blocks))
    at = next((i for i, b in enumerate(blocks[:first_clause]) if isinstance(b, Paragraph)
               and plain_text(b.text).strip().casefold() in toc_titles), None)
    if at is None:
        return [Part(kind="main", id=f"{part.id}-{lang}", scheme=lang, blocks=list(blocks),
                     pos=blocks[0].pos if blocks else part.pos)]
    title = plain_text(blocks[at].text).strip()
    out = [Part(kind="main", id=f"{part.id}-{lang}", title=title, scheme=lang, blocks=list(blocks[at + 1:]),
                pos=blocks[at].pos)]
    if at:
        out.insert(0, Part(kind="cover", id=f"{part.id}-{lang}-cover", scheme=lang, blocks=list(blocks[:at]),
                           pos=blocks[0].pos))
    return out


__all__ = ["language_texts"]
