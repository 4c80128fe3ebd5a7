"""Walk a DOCX body in document order and collect each paragraph as Word shows it.

Field codes show their cached result (between ``separate`` and ``end``), never their
instruction; deleted text (``w:del``, ``w:moveFrom``) is dropped, inserted text kept; content
controls (``w:sdt``), smart tags and hyperlinks are read through. Every paragraph, empty ones
included, becomes a :class:`Para` so list counters advance exactly as in Word; the readers
decide which become lines: text after a break (``w:br``: a soft line break, or a page or
column break, which LibreOffice and Word also start a new line with; ``w:cr``) is a line of
its own, the break kept as "\n" in the paragraph's text. Events a checker may want
(bookmarks, fields, TOCs, comments, highlights, tracked changes, links) are recorded on the
paragraph they occur in, with character offsets into the paragraph's text where a checker
needs them (bookmark ranges).

The walk recurses once or twice per level of XML nesting, which the package reader bounds
(``Limits.xml_depth``); paragraphs, characters, nested fields and TOC entries are counted
against :class:`~contractgen.limits.Limits` as they are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .docxevents import (CommentEvent, Event, FieldEvent, FieldRecord, HighlightEvent, LinkEvent, TocRecord,
                         change_event, marker_event)
from .docxfonts import EastAsianFonts, has_cjk
from ..limits import LIMITS, LimitExceeded, ascii_int
from ..wordml import W, is_on, wval
from .wordnum import Label, ListCounters, ListInstance, Numbering
from .wordstyles import NumPr, Styles

_CONTAINERS = frozenset(W + t for t in ("smartTag", "customXml", "bdo", "dir", "sdtContent"))
_DELETED = {W + "del": "del", W + "moveFrom": "del"}
_INSERTED = {W + "ins": "ins", W + "moveTo": "ins"}
_RUN_CHARS = {W + "tab": "\t", W + "cr": "\n", W + "br": "\n", W + "noBreakHyphen": "-", W + "softHyphen": ""}
_TOC_GALLERY = "Table of Contents"
_MARKERS = frozenset(W + t for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart"))
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SHAPES = frozenset((W + "drawing", W + "pict", MC + "AlternateContent"))
# Underlined spaces are a blank to write on: shown as underscores, one for one (offsets
# into the paragraph's text stay right); a single underlined space between words is not.
_BLANK_LINE = "_"
_BLANK_CHARS = frozenset(" \u3000\u00a0\u2002\u2003")


@dataclass(slots=True)
class Para:
    """One paragraph: its visible text, list label and the events found in it.

    ``context`` is the label with the labels of its list's higher levels in front (what a
    ``REF \\w`` field shows); ``east_asian_font`` is None for a paragraph without Chinese
    text, else whether every run showing Chinese text has an East Asian font.
    """

    text: str
    label: Label | None
    heading_level: int | None
    in_table: bool
    hidden_mark: bool
    events: list[Event] = field(default_factory=list)
    context: str = ""
    east_asian_font: bool | None = None
    list_level: int | None = None  # the effective w:ilvl of a numbered paragraph
    list_id: str | None = None  # the list whose counters it advances (see ListCounters.list_id)

    @property
    def shown(self) -> str:
        """The paragraph as Word shows it, label first ("第一条 服务内容"); soft breaks as "\n".

        A paragraph without text shows nothing a reader keeps, not even its list label,
        though its list still counted it (an empty numbered paragraph advances its list in
        Word and LibreOffice alike; a label alone is no clause).
        """
        if self.label is None or not self.text.strip():
            return self.text.rstrip()
        text = self.text.lstrip("\n")  # a break before any text (a page break) moves the label too
        return f"{self.label.text}{self.label.separator}{text}".rstrip()

    @property
    def lines(self) -> list[str]:
        """The lines the paragraph shows: ``shown`` cut at its soft breaks, empty ones left out."""
        return [piece.rstrip() for piece in self.shown.split("\n") if piece.strip()]

    @property
    def one_line(self) -> str:
        """``shown`` with its soft breaks as spaces (what a TOC entry or a REF field shows)."""
        return self.shown.replace("\n", " ")


class BodyWalker:
    """Reads ``w:body`` into :class:`Para` objects; one instance per document."""

    def __init__(self, styles: Styles, numbering: Numbering, fonts: EastAsianFonts | None = None):
        self.limits = LIMITS
        self._chars = 0  # visible characters of the document so far
        self._lines = 0  # paragraphs and soft line breaks so far: each may become a Line
        self._toc_entries = 0  # paragraphs and links recorded in TOCs so far
        self.styles = styles
        self.numbering = numbering
        self.fonts = fonts or EastAsianFonts(None)
        self.counters = ListCounters()
        self._contexts: dict[str, dict[int, str]] = {}  # list -> level -> last label drawn
        self.paras: list[Para] = []
        self.tocs: list[TocRecord] = []
        self._fields: list[FieldRecord] = []
        self._active_tocs: list[TocRecord] = []
        self._pending: list[Event] = []  # events met between paragraphs, for the next one
        self._text: list[str] = []
        self._events: list[Event] = []
        self._highlight: tuple[str, list[str], bool] | None = None
        self._length = 0  # characters of the current paragraph's text so far
        self._controls = 0  # depth of (non-TOC) content controls around the current text
        self._para_style: str | None = None
        self._font_missing: bool | None = None
        # shapes (w:drawing, w:pict, mc:AlternateContent) met in a run, by the index of the
        # paragraph they are anchored in: their text boxes are no body lines (docxmargins.py)
        self.shapes: list[tuple[int, etree._Element]] = []
        self.section_ends: list[tuple[int, etree._Element]] = []  # (last paragraph, its w:sectPr)

    # -- blocks ---------------------------------------------------------------------------
    def walk(self, body: etree._Element) -> list[Para]:
        self._blocks(body, in_table=False)
        return self.paras

    def _blocks(self, parent: etree._Element, in_table: bool) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                self._paragraph(child, in_table)
            elif tag == W + "tbl":
                self._table(child)
            elif tag == W + "sdt":
                self._block_sdt(child, in_table)
            elif tag in _CONTAINERS:
                self._blocks(child, in_table)
            elif tag in _MARKERS:
                self._pending.append(marker_event(child, 0))

    def _table(self, tbl: etree._Element) -> None:
        for row in _own(tbl, W + "tr"):
            for cell in _own(row, W + "tc"):
                self._blocks(cell, in_table=True)

    def _block_sdt(self, sdt: etree._Element, in_table: bool) -> None:
        content = sdt.find(W + "sdtContent")
        if content is None:
            return
        gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
        if wval(gallery) != _TOC_GALLERY:
            self._controls += 1
            self._blocks(content, in_table)
            self._controls -= 1
            return
        toc = TocRecord(kind="sdt")
        self.tocs.append(toc)
        self._active_tocs.append(toc)
        self._blocks(content, in_table)
        self._active_tocs.remove(toc)

    # -- paragraphs -----------------------------------------------------------------------
    def _paragraph(self, p: etree._Element, in_table: bool) -> None:
        ppr = p.find(W + "pPr")
        style_id = wval(ppr.find(W + "pStyle")) if ppr is not None else None
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        direct_outline = ascii_int(wval(outline))
        hidden = ppr is not None and is_on(ppr.find(f"{W}rPr/{W}vanish"))
        index = len(self.paras)
        if index >= self.limits.paragraphs:
            raise LimitExceeded(f"the body has more than {self.limits.paragraphs:,} paragraphs (the limit)")
        self._text, self._events, self._pending, self._length = [], self._pending, [], 0
        self._para_style, self._font_missing = style_id, None
        self._count_toc_entries()
        for toc in self._active_tocs:
            toc.paras.append(index)
        self._inlines(p)
        self._end_highlight()
        heading = self.styles.heading_level(style_id, direct_outline)
        text = "".join(self._text)
        self._count_chars(len(text))
        self._count_lines(text)
        fonts = None if self._font_missing is None else not self._font_missing
        para = Para(text, None, heading, in_table, hidden, self._events, "", fonts)
        section = ppr.find(W + "sectPr") if ppr is not None else None
        if section is not None:
            self.section_ends.append((index, section))
        if _counted(ppr, text):
            self._number(para, NumPr.from_ppr(ppr), style_id)
        self.paras.append(para)

    def _count_chars(self, count: int) -> None:
        limits = self.limits
        if count > limits.paragraph_chars:
            raise LimitExceeded(f"a paragraph shows {count:,} characters (the limit is {limits.paragraph_chars:,})")
        self._chars += count
        if self._chars > limits.text_chars:
            raise LimitExceeded(f"the body shows more than {limits.text_chars:,} characters (the limit)")

    def _count_lines(self, text: str) -> None:
        self._lines += 1 + text.count("\n")
        if self._lines > self.limits.paragraphs:
            raise LimitExceeded(f"the body has more than {self.limits.paragraphs:,} lines (the limit)")

    def _count_toc_entries(self) -> None:
        self._toc_entries += len(self._active_tocs)
        if self._toc_entries > self.limits.paragraphs:
            raise LimitExceeded(f"tables of contents list more than {self.limits.paragraphs:,} entries (the limit)")

    def _number(self, para: Para, direct: NumPr | None, style_id: str | None) -> None:
        """Give a paragraph its list label, level and list, counting it in its list."""
        label, context, where = self._label(direct, style_id)
        para.label, para.context = label, context
        if label is not None and where is not None:
            para.list_id, para.list_level = self.counters.list_id(where[0]), where[1]

    def _label(self, direct: NumPr | None, style_id: str | None
               ) -> tuple[Label | None, str, tuple[ListInstance, int] | None]:
        """Count the paragraph in its list, if any: the label Word draws, its full context
        and the list and level it was counted at.

        A direct ``w:numPr`` wins. Numbering from the style takes its level from the list
        level linked back to the style (``w:lvl/w:pStyle``; ECMA-376 17.9.23 says that link
        overrides the style's ``w:ilvl``), then from the style's ``w:ilvl``, else level 0.
        """
        inherited = self.styles.numpr(style_id)
        if direct is not None and direct.num_id is not None:
            num_id, ilvl = direct.num_id, direct.ilvl or 0
        else:
            num_id = inherited.num_id
            linked = None
            if direct is None or direct.ilvl is None:
                chain_ids = [s.id for s in self.styles.chain(style_id)]
                linked = self.numbering.level_of_style(num_id, chain_ids) if num_id else None
            ilvl = direct.ilvl if direct is not None and direct.ilvl is not None else linked
            ilvl = ilvl if ilvl is not None else (inherited.ilvl or 0)
        instance = self.numbering.instance(num_id)
        if instance is None:
            return None, "", None
        label = self.counters.advance(instance, ilvl)
        return label, self._context(instance.key, ilvl, label), (instance, ilvl)

    def _context(self, key: str, ilvl: int, label: Label | None) -> str:
        """The labels last drawn at this list's higher levels, then this one ("第六条（二）")."""
        levels = self._contexts.setdefault(key, {})
        for deeper in [lvl for lvl in levels if lvl >= ilvl]:
            del levels[deeper]
        if label is None:
            return ""
        levels[ilvl] = label.text
        return "".join(text for _, text in sorted(levels.items()))

    # -- inline content -------------------------------------------------------------------
    def _inlines(self, parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                self._run(child)
            elif tag == W + "hyperlink":
                self._hyperlink(child)
            elif tag in _DELETED:
                self._events.append(change_event(child, _DELETED[tag], W + "delText"))
            elif tag in _INSERTED:
                self._events.append(change_event(child, _INSERTED[tag], W + "t"))
                self._inlines(child)
            elif tag == W + "fldSimple":
                self._simple_field(child)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._controls += 1
                    self._inlines(content)
                    self._controls -= 1
            elif tag in _CONTAINERS:
                self._inlines(child)
            elif tag in _MARKERS:
                self._events.append(marker_event(child, self._length))

    def _hyperlink(self, link: etree._Element) -> None:
        anchor = link.get(W + "anchor")
        before = len(self._text)  # pieces, not characters: no join of the paragraph per link
        self._inlines(link)
        if anchor:
            self._events.append(LinkEvent(anchor, "".join(self._text[before:])))
            self._count_toc_entries()
            for toc in self._active_tocs:
                toc.anchors.append(anchor)

    def _simple_field(self, fld: etree._Element) -> None:
        record = FieldRecord([fld.get(W + "instr", "")], in_result=True)
        self._events.append(FieldEvent(record))
        self._open_field(record)
        self._inlines(fld)
        self._fields.pop()

    def _run(self, run: etree._Element) -> None:
        rpr = run.find(W + "rPr")
        hidden = rpr is not None and is_on(rpr.find(W + "vanish"))
        color = wval(rpr.find(W + "highlight")) if rpr is not None else None
        underlined = rpr is not None and wval(rpr.find(W + "u")) not in (None, "none")
        if not hidden and self._font_missing is not True and has_cjk(run):
            self._font_missing = not self.fonts.run_has_font(rpr, self._para_style)
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                self._field_char(child.get(W + "fldCharType"))
            elif tag == W + "instrText":
                if self._fields and not self._fields[-1].in_result:
                    self._fields[-1].instruction_parts.append(child.text or "")
            elif tag == W + "commentReference":
                self._events.append(CommentEvent(child.get(W + "id", "")))
            elif tag in _SHAPES:
                if not hidden:
                    self.shapes.append((len(self.paras), child))
            elif not hidden:
                text = _run_char(child)
                self._show(_BLANK_LINE * len(text) if underlined and _is_blank(text) else text, color)

    def _show(self, text: str, color: str | None) -> None:
        if not text:
            return
        for record in reversed(self._fields):  # a nested field keeps its own result
            if not record.in_result:
                return
            record.result_parts.append(text)
        self._text.append(text)
        self._length += len(text)
        if color in (None, "none"):
            self._end_highlight()
        elif self._highlight is not None and self._highlight[0] == color:
            self._highlight[1].append(text)
        else:
            self._end_highlight()
            self._highlight = (color, [text], self._controls > 0)

    def _end_highlight(self) -> None:
        if self._highlight is not None:
            color, texts, in_control = self._highlight
            self._events.append(HighlightEvent(color, "".join(texts), in_control))
            self._highlight = None

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            record = FieldRecord()
            self._open_field(record)
            self._events.append(FieldEvent(record))
        elif kind == "separate" and self._fields:
            record = self._fields[-1]
            record.in_result = True
            if record.instruction.split()[:1] == ["TOC"]:
                record.toc = self._begin_toc_field(record)
        elif kind == "end" and self._fields:
            record = self._fields.pop()
            if record.toc is not None and record.toc in self._active_tocs:
                self._active_tocs.remove(record.toc)

    def _open_field(self, record: FieldRecord) -> None:
        """Start reading a field inside the fields already open (each shows its own result)."""
        if len(self._fields) >= self.limits.field_nesting:
            raise LimitExceeded(f"fields nest more than {self.limits.field_nesting} deep (the limit)")
        self._fields.append(record)

    def _begin_toc_field(self, record: FieldRecord) -> TocRecord | None:
        """A TOC field's record; None when it sits in a TOC content control already read."""
        for toc in self._active_tocs:
            if toc.kind == "sdt":  # Word puts its TOC field inside a TOC content control
                toc.kind, toc.instruction = "sdt+field", record.instruction.strip()
                return None
        toc = TocRecord(kind="field", instruction=record.instruction.strip(), paras=[len(self.paras)])
        self.tocs.append(toc)
        self._active_tocs.append(toc)
        return toc


def line_numbers(paras: list[Para]) -> list[int | None]:
    """The 1-based line each paragraph starts on, or None for paragraphs that show nothing;
    a paragraph with soft line breaks takes one line per piece that shows something."""
    out: list[int | None] = []
    line = 0
    for para in paras:
        count = len(para.lines)
        out.append(line + 1 if count else None)
        line += count
    return out


def _counted(ppr: etree._Element | None, text: str) -> bool:
    """Whether a paragraph counts in its list, if it is in one. Two do not:

    - one without any text that carries a section break (``w:pPr/w:sectPr``; bookmarks are
      no text, a space is): LibreOffice neither shows nor counts its number, and the
      contracts that have one (Common Paper's, written in Word) cite the sections after it
      by the numbers that follow from not counting it;
    - one whose mark is a tracked deletion (``w:pPr/w:rPr/w:del`` or ``w:moveFrom``) and
      whose text is all deleted: in the document as it stands once the changes are
      accepted, which is what this reader reads, the paragraph is gone.
    """
    if ppr is None:
        return True
    if ppr.find(W + "sectPr") is not None and not text:
        return False
    mark = ppr.find(W + "rPr")
    deleted = mark is not None and (mark.find(W + "del") is not None or mark.find(W + "moveFrom") is not None)
    return not (deleted and not text.strip())


def _run_char(child: etree._Element) -> str:
    """The text one run child shows (``w:t``, tabs, breaks, symbols)."""
    tag = child.tag
    if tag == W + "t":
        return child.text or ""
    if tag in _RUN_CHARS:  # text after any break (w:br of any type, w:cr) starts a line
        return _RUN_CHARS[tag]
    if tag == W + "sym":
        code = int(child.get(W + "char", "0"), 16) if _is_hex(child.get(W + "char", "")) else 0
        return chr(code) if 0x20 <= code < 0xF000 else ""
    return ""


def _is_blank(text: str) -> bool:
    """Whether underlined ``text`` is a blank line to fill in: two or more spaces, nothing else."""
    return len(text) >= 2 and all(c in _BLANK_CHARS for c in text)


def _is_hex(value: str) -> bool:
    return bool(value) and all(c in "0123456789abcdefABCDEF" for c in value)


def _own(parent: etree._Element, tag: str):
    """The elements ``tag`` under ``parent`` that belong to its table, in document order:
    every descendant not inside a table nested in it (its rows, or a row's cells). Iterative,
    and each element is looked at once per table (no walk up to the enclosing table)."""
    stack = [iter(parent)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag == W + "tbl":
            continue
        if child.tag == tag:
            yield child
        stack.append(iter(child))
