"""What a DOCX holds besides its text, for checks on Word field integrity.

:func:`docx_fields` reads the same paragraphs as :func:`~contractgen.readers.docx.docx_lines`
and reports, with the line each sits on (the numbering of ``docx_lines``): bookmarks,
fields (REF/PAGEREF with their bookmark, switches and the cached result Word and WPS show
until fields are updated), tables of contents (a TOC field, a TOC content control, or both,
with the lines of their entries and the bookmarks their hyperlinks point at), internal
hyperlinks, comments, highlighted text and tracked changes.

Something found in a paragraph that shows no text (an empty paragraph holding a bookmark)
is put on the next line that does, or the last line when none follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .docx import line_numbers, walk_docx
from .docxwalk import FieldRecord
from .wordnum import W

_ARG_SWITCHES = frozenset({"\\*", "\\#", "\\@", "\\d", "\\p"})
_TOKEN = re.compile(r'"[^"]*"|\S+')
REF_KINDS = frozenset({"REF", "PAGEREF", "NOTEREF"})


@dataclass(slots=True)
class FieldUse:
    """One field: ``kind`` is its first word upper-cased ("REF", "PAGEREF", "TOC", ...)."""

    kind: str
    instruction: str
    cached: str
    line: int
    bookmark: str = ""  # REF/PAGEREF/NOTEREF target
    switches: list[str] = field(default_factory=list)  # "\\h", "\\r", "\\* MERGEFORMAT"


@dataclass(slots=True)
class TocInfo:
    kind: str  # "field", "sdt" or "sdt+field"
    instruction: str
    lines: list[int]
    anchors: list[str]


@dataclass(slots=True)
class Comment:
    id: str
    author: str
    text: str
    line: int


@dataclass(slots=True)
class Highlight:
    color: str
    text: str
    line: int


@dataclass(slots=True)
class Change:
    kind: str  # "ins" or "del" (moves count as an insertion and a deletion)
    author: str
    date: str
    text: str
    line: int


@dataclass(slots=True)
class Link:
    anchor: str  # the bookmark an internal hyperlink points at
    text: str
    line: int


@dataclass(slots=True)
class DocxFields:
    bookmarks: dict[str, int] = field(default_factory=dict)
    fields: list[FieldUse] = field(default_factory=list)
    tocs: list[TocInfo] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def refs(self) -> list[FieldUse]:
        """The cross-reference fields (REF, PAGEREF, NOTEREF)."""
        return [f for f in self.fields if f.kind in REF_KINDS]


def parse_instruction(instruction: str) -> tuple[str, list[str], list[str]]:
    """(kind, arguments, switches) of a field instruction.

    ``REF _Ref123 \\r \\h`` -> ("REF", ["_Ref123"], ["\\r", "\\h"]); a switch that takes a
    value keeps it (``\\* MERGEFORMAT``, ``\\o "1-3"``). A bare bookmark name is a REF field,
    as in Word.
    """
    tokens = _TOKEN.findall(instruction)
    if not tokens:
        return "", [], []
    kind, rest = tokens[0].upper(), tokens[1:]
    if not kind.isalpha() or kind.startswith("_"):
        kind, rest = "REF", tokens
    args: list[str] = []
    switches: list[str] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("\\"):
            value = rest[i + 1] if i + 1 < len(rest) else None
            if value is not None and (token in _ARG_SWITCHES or value.startswith('"')):
                token, i = f"{token} {value}", i + 1
            switches.append(token)
        else:
            args.append(token.strip('"'))
        i += 1
    return kind, args, switches


def docx_fields(path: str | Path) -> DocxFields:
    """Bookmarks, fields, TOCs, links, comments, highlights and tracked changes, by line."""
    walked = walk_docx(path)
    numbers = line_numbers(walked.paras)
    lines = _event_lines(numbers)
    out = DocxFields()
    comment_text = _comments(walked.package.comments)
    seen_comments: set[str] = set()
    for index, para in enumerate(walked.paras):
        line = lines[index]
        for event in para.events:
            kind = event[0]
            if kind == "bookmark":
                out.bookmarks.setdefault(event[1], line)
            elif kind == "field":
                out.fields.append(_field_use(event[1], line))
            elif kind == "link":
                out.links.append(Link(event[1], event[2], line))
            elif kind == "highlight":
                out.highlights.append(Highlight(event[1], event[2], line))
            elif kind == "change":
                out.changes.append(Change(event[1], event[2], event[3], event[4], line))
            elif kind == "comment" and event[1] not in seen_comments:
                seen_comments.add(event[1])
                author, text = comment_text.get(event[1], ("", ""))
                out.comments.append(Comment(event[1], author, text, line))
    for toc in walked.tocs:
        toc_lines = sorted({numbers[i] for i in toc.paras if numbers[i] is not None})
        out.tocs.append(TocInfo(toc.kind, toc.instruction, toc_lines, list(toc.anchors)))
    return out


def _field_use(record: FieldRecord, line: int) -> FieldUse:
    kind, args, switches = parse_instruction(record.instruction)
    bookmark = args[0] if kind in REF_KINDS and args else ""
    return FieldUse(kind, record.instruction.strip(), record.result, line, bookmark, switches)


def _event_lines(numbers: list[int | None]) -> list[int]:
    """For each paragraph, its line, else the next shown line, else the last line (0 if none)."""
    out: list[int] = [0] * len(numbers)
    following = max((n for n in numbers if n is not None), default=0)
    for i in range(len(numbers) - 1, -1, -1):
        if numbers[i] is not None:
            following = numbers[i]
        out[i] = following
    return out


def _comments(root: etree._Element | None) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, text) from word/comments.xml."""
    if root is None:
        return {}
    out = {}
    for comment in root.iterfind(W + "comment"):
        paragraphs = ["".join(t.text or "" for t in p.iter(W + "t")) for p in comment.iter(W + "p")]
        out[comment.get(W + "id", "")] = (comment.get(W + "author", ""), "\n".join(paragraphs))
    return out
