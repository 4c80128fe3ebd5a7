"""What a DOCX holds besides its text, for checks on Word field integrity.

:func:`docx_fields` reads the same paragraphs as :func:`~contractgen.readers.docx.docx_lines`
and reports, with the line each sits on (the numbering of ``docx_lines``): bookmarks,
fields (REF/PAGEREF with their bookmark, switches and the cached result Word and WPS show
until fields are updated), tables of contents (a TOC field, a TOC content control, or both,
with the lines of their entries and the bookmarks their hyperlinks point at), internal
hyperlinks, comments, highlighted text and tracked changes — and, for each bookmark, what
Word would show for it now (:class:`Target`: the paragraph's list number and the bookmarked
text), so stale cached results can be told apart from current ones.

Something found in a paragraph that shows no text (an empty paragraph holding a bookmark)
is put on the next line that does, or the last line when none follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ..views import REF_KINDS, Change, Comment, DocxView, FieldUse, Heading, Highlight, Link, Target, TocInfo, TocLine
from .docxevents import (BookmarkEndEvent, BookmarkEvent, ChangeEvent, CommentEvent, FieldEvent, FieldRecord,
                         HighlightEvent, LinkEvent)
from .docxwalk import Para, line_numbers
from ..limits import LIMITS, LimitExceeded
from ..wordml import W
from .. import rx

if TYPE_CHECKING:
    from .docx import WalkedDocx

_ARG_SWITCHES = frozenset({"\\*", "\\#", "\\@", "\\d", "\\p"})
_TOKEN = rx.compile(r'"[^"]*"|\S+')


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


def docx_fields(path: str | Path) -> DocxView:
    """Bookmarks, fields, TOCs, links, comments, highlights and tracked changes, by line."""
    from .docx import too_large, walk_docx  # docx.read_docx builds on this module

    walked = walk_docx(path)
    try:
        return collect_fields(walked)
    except LimitExceeded as exc:
        raise too_large(walked.package.path, exc) from None


def collect_fields(walked: WalkedDocx) -> DocxView:
    """The field view of a walked DOCX (the paragraphs :func:`read_docx` reads its lines from)."""
    numbers = line_numbers(walked.paras)
    lines = _event_lines(numbers)
    out = DocxView(path=walked.package.path)
    comment_text = _comments(walked.package.comments)
    seen_comments: set[str] = set()
    ranges = _BookmarkRanges(walked.paras)
    names: dict[str, str] = {}  # bookmark id -> name, for where each range ends
    previous = None  # the line of the last paragraph before this one that has a line
    for index, para in enumerate(walked.paras):
        line = lines[index]
        if index and numbers[index - 1] is not None:
            previous = numbers[index - 1]
        _paragraph_facts(out, para, numbers[index])
        for event in para.events:
            if isinstance(event, BookmarkEvent):
                out.bookmarks.setdefault(event.name, line)
                names.setdefault(event.id, event.name)
                ranges.open(event.name, event.id, index, event.offset)
            elif isinstance(event, BookmarkEndEvent):
                ranges.close(event.id, index, event.offset)
                end = previous if event.offset == 0 else line  # closed before this paragraph's text
                if event.id in names and end is not None:
                    out.bookmark_ends.setdefault(names[event.id], end)
            elif isinstance(event, FieldEvent):
                out.fields.append(_field_use(event.record, line))
            elif isinstance(event, LinkEvent):
                out.links.append(Link(event.anchor, event.text, line))
            elif isinstance(event, HighlightEvent):
                out.highlights.append(Highlight(event.color, event.text, line, event.in_control))
            elif isinstance(event, ChangeEvent):
                out.changes.append(Change(event.kind, event.author, event.date, event.text, line))
            elif isinstance(event, CommentEvent) and event.id not in seen_comments:
                seen_comments.add(event.id)
                author, text = comment_text.get(event.id, ("", ""))
                out.comments.append(Comment(event.id, author, text, line))
    for name, (index, text) in ranges.finish().items():
        para = walked.paras[index]
        number = para.label.text if para.label is not None else ""
        out.targets.setdefault(name, Target(lines[index], number, para.context or number, text, para.one_line))
    out.tocs = [_toc_info(toc, walked.paras, numbers) for toc in walked.tocs]
    return out


def _paragraph_facts(out: DocxView, para: Para, line: int | None) -> None:
    """Headings, auto-numbered lines and East Asian fonts of one paragraph."""
    if line is None:
        return
    if para.label is not None:
        out.auto_lines.add(line)
    if para.heading_level is not None and para.heading_level >= 1 and not para.in_table:
        names = [e.name for e in para.events if isinstance(e, BookmarkEvent)]
        out.headings.append(Heading(line, para.heading_level, para.one_line, names))
    if para.east_asian_font is not None:
        out.chinese_paragraphs += 1
        if not para.east_asian_font:
            out.fontless[line] = para.one_line


class _BookmarkRanges:
    """The text each bookmark encloses, from its start and end offsets in paragraph text."""

    def __init__(self, paras: list[Para]):
        self.paras = paras
        self.chars = 0  # characters of bookmarked text so far: bounded like the body's text
        self.started: dict[str, tuple[str, int, int]] = {}  # id -> (name, paragraph, offset)
        self.done: dict[str, tuple[int, str]] = {}  # name -> (paragraph, text)

    def open(self, name: str, bookmark_id: str, index: int, offset: int) -> None:
        self.started[bookmark_id] = (name, index, offset)

    def close(self, bookmark_id: str, index: int, offset: int) -> None:
        start = self.started.pop(bookmark_id, None)
        if start is None:
            return
        name, first, begin = start
        if name in self.done:
            return  # the first bookmark of a name is the one Word goes to
        self._count(index - first)  # paragraphs crossed, as characters: each costs one
        if first == index:
            text = self.paras[first].text[begin:offset]
        else:
            middle = [p.text for p in self.paras[first + 1:index]]
            text = "\n".join([self.paras[first].text[begin:], *middle, self.paras[index].text[:offset]])
        self._count(len(text))
        self.done[name] = (first, text.strip())

    def _count(self, count: int) -> None:
        self.chars += count
        if self.chars > LIMITS.text_chars:
            raise LimitExceeded(f"bookmarks enclose more than {LIMITS.text_chars:,} characters in all (the limit)")

    def finish(self) -> dict[str, tuple[int, str]]:
        """Every bookmark; one never closed runs to the end of its paragraph."""
        for name, first, begin in self.started.values():
            if name not in self.done:
                text = self.paras[first].text[begin:]
                self._count(len(text))
                self.done[name] = (first, text.strip())
        self.started = {}
        return self.done


def _toc_info(toc, paras: list[Para], numbers: list[int | None]) -> TocInfo:
    toc_lines = sorted({numbers[i] for i in toc.paras if numbers[i] is not None})
    entries = []
    for i in toc.paras:
        if numbers[i] is None:
            continue
        anchor = _entry_anchor(paras[i])
        entries.append(TocLine(numbers[i], paras[i].one_line, anchor))
    return TocInfo(toc.kind, toc.instruction, toc_lines, list(toc.anchors), entries)


def _entry_anchor(para: Para) -> str:
    """The bookmark a TOC entry points at: its hyperlink's anchor, else its PAGEREF's bookmark."""
    for event in para.events:
        if isinstance(event, LinkEvent):
            return event.anchor
    for event in para.events:
        if isinstance(event, FieldEvent):
            kind, args, _ = parse_instruction(event.record.instruction)
            if kind == "PAGEREF" and args:
                return args[0]
    return ""


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
