"""Typed views of a contract's source files that readers fill and checks read.

They sit beside the model, not inside a reader, so a check rule can use them without
importing reader internals. A :class:`~contractgen.model.Document` read from Word files
carries one :class:`DocxView` per file in ``doc.docx`` (filled by
:mod:`contractgen.readers.docxfields`); a contract set read from several files names
them in ``doc.set_files`` (:class:`SetMembership`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
class TocLine:
    """One TOC entry as cached: its line, its text and the bookmark it points at ("" if none)."""

    line: int
    text: str
    anchor: str


@dataclass(slots=True)
class TocInfo:
    kind: str  # "field", "sdt" or "sdt+field"
    instruction: str
    lines: list[int]
    anchors: list[str]
    entries: list[TocLine] = field(default_factory=list)


@dataclass(slots=True)
class Target:
    """What a bookmark points at, as Word would show it now.

    ``number`` is the list label of the bookmarked paragraph ("第六条", "6.2"; "" when Word
    does not number it), ``context`` the label with its list's higher levels in front,
    ``text`` the bookmarked text itself and ``shown`` the whole paragraph, label included.
    """

    line: int
    number: str
    context: str
    text: str
    shown: str


@dataclass(slots=True)
class Heading:
    """A paragraph with an outline level (what a TOC field collects)."""

    line: int
    level: int
    shown: str
    bookmarks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Comment:
    id: str
    author: str
    text: str
    line: int


@dataclass(slots=True)
class MarginText:
    """A line of a Word file shown outside the body's lines: in a header, a footer or a text
    box. ``where`` says which ("header", "first-page footer", "text box"); ``line`` is the
    body line it belongs to (a text box's anchor, the first line of a header's section)."""

    where: str
    text: str
    line: int


@dataclass(slots=True)
class Highlight:
    color: str
    text: str
    line: int
    in_control: bool = False  # inside a content control (w:sdt): the template's, not the drafter's


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
class DocxView:
    """What one Word file holds besides its text, by line: bookmarks and what Word would
    show for them now, headings, fields, TOCs, links, comments, highlights, tracked
    changes, auto-numbered lines and East Asian fonts."""

    path: str = ""
    bookmarks: dict[str, int] = field(default_factory=dict)
    bookmark_ends: dict[str, int] = field(default_factory=dict)  # name -> the line its range ends on
    targets: dict[str, Target] = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    auto_lines: set[int] = field(default_factory=set)  # lines whose number Word draws
    fontless: dict[int, str] = field(default_factory=dict)  # line -> Chinese text without an East Asian font
    chinese_paragraphs: int = 0
    fields: list[FieldUse] = field(default_factory=list)
    tocs: list[TocInfo] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    margins: list[MarginText] = field(default_factory=list)  # headers, footers, text boxes

    @property
    def refs(self) -> list[FieldUse]:
        """The cross-reference fields (REF, PAGEREF, NOTEREF)."""
        return [f for f in self.fields if f.kind in REF_KINDS]


@dataclass(slots=True, frozen=True)
class SetMembership:
    """The files of a contract set: the main contract, its addenda in order, and the
    attachments by number."""

    main: str
    addenda: tuple[str, ...] = ()
    attachments: dict[int, str] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        """Every file of the set: main, addenda, then attachments by number."""
        return [self.main, *self.addenda, *(self.attachments[n] for n in sorted(self.attachments))]
