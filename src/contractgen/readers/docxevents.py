"""What the DOCX walker records in a paragraph besides its text, one class per kind.

:class:`~contractgen.readers.docxwalk.BodyWalker` appends these to ``Para.events`` in
document order; :mod:`contractgen.readers.docxfields` turns them into the
:class:`~contractgen.views.DocxView` that checks read. Offsets are character offsets
into the paragraph's visible text (without its list label).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from lxml import etree

from ..wordml import W


@dataclass(slots=True)
class TocRecord:
    """A table of contents: a TOC field, a TOC content control, or both."""

    kind: str  # "field", "sdt" or "sdt+field"
    instruction: str = ""
    paras: list[int] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FieldRecord:
    """A field (complex or ``w:fldSimple``): its instruction and the result Word shows.

    Filled while the walker reads the field, so it is mutable and shared with its event;
    the text comes in pieces (one per run), kept in lists so that a field of many runs
    reads in linear time."""

    instruction_parts: list[str] = field(default_factory=list)
    result_parts: list[str] = field(default_factory=list)
    in_result: bool = False
    toc: TocRecord | None = None

    @property
    def instruction(self) -> str:
        return "".join(self.instruction_parts)

    @property
    def result(self) -> str:
        return "".join(self.result_parts)


@dataclass(slots=True, frozen=True)
class BookmarkEvent:
    """``w:bookmarkStart``: a bookmark opens at ``offset``."""

    name: str
    id: str
    offset: int


@dataclass(slots=True, frozen=True)
class BookmarkEndEvent:
    """``w:bookmarkEnd``: the bookmark with this id closes at ``offset``."""

    id: str
    offset: int


@dataclass(slots=True, frozen=True)
class CommentEvent:
    """A comment's range start or reference mark."""

    id: str


@dataclass(slots=True, frozen=True)
class FieldEvent:
    """A field begins here; ``record`` is complete once the paragraph has been read."""

    record: FieldRecord


@dataclass(slots=True, frozen=True)
class LinkEvent:
    """An internal hyperlink to a bookmark, with the text it shows."""

    anchor: str
    text: str


@dataclass(slots=True, frozen=True)
class HighlightEvent:
    """A run of text highlighted in one colour; ``in_control`` inside a content control."""

    color: str
    text: str
    in_control: bool


@dataclass(slots=True, frozen=True)
class ChangeEvent:
    """A tracked change: ``kind`` "ins" or "del" (moves count as one of each)."""

    kind: str
    author: str
    date: str
    text: str


Event = Union[BookmarkEvent, BookmarkEndEvent, CommentEvent, FieldEvent, LinkEvent, HighlightEvent, ChangeEvent]


def marker_event(el: etree._Element, offset: int) -> Event:
    """A bookmark start or end at ``offset``, or a comment's range start."""
    if el.tag == W + "bookmarkStart":
        return BookmarkEvent(el.get(W + "name", ""), el.get(W + "id", ""), offset)
    if el.tag == W + "bookmarkEnd":
        return BookmarkEndEvent(el.get(W + "id", ""), offset)
    return CommentEvent(el.get(W + "id", ""))


def change_event(el: etree._Element, kind: str, text_tag: str) -> ChangeEvent:
    text = "".join(t.text or "" for t in el.iter(text_tag))
    return ChangeEvent(kind, el.get(W + "author", ""), el.get(W + "date", ""), text)
