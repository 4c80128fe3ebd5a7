"""NEW as a Word file with native tracked changes against OLD.

Inserted text is ``w:ins``, deleted text ``w:del``/``w:delText``, a moved unit
``w:moveFrom`` at its old place and ``w:moveTo`` at its new one, each wrapped in its named
range (``w:moveFromRangeStart``/``End``). A whole paragraph inserted, deleted or moved has its
paragraph mark tracked too, so accepting or rejecting removes the paragraph and not only its
text. Renumbering is no change: a renumbered article shows its new number, untracked, and so
do the references that followed it. Package, styles and escaping are the DOCX writer's.
"""

from __future__ import annotations

from itertools import count

from ..model import join_number
from ..writers.docx.package import relationships, zip_parts
from ..writers.docx.parts import SETTINGS, Section, app_xml, core_xml, document_xml
from ..writers.docx.styles import fonts_for, styles_xml
from ..writers.docx.theme import font_table_xml, theme_xml
from ..writers.docx.xml import attr, text
from .classify import Entry, LineOp, line_op, line_ops
from .core import MOVED_FROM, MOVED_TO, Comparison
from .diff import DELETE, EQUAL
from .units import Unit


def render_docx(comparison: Comparison, options) -> bytes:
    body = TrackedBody(comparison, options.author, options.date, options.track_renumbering).build()
    doc = comparison.new
    fonts = fonts_for(doc.meta, doc.lang)
    title = doc.meta.get("title") or doc.title
    parts = {
        "word/document.xml": document_xml(body, Section(headers=(), footers=(), title_page=False)),
        "word/styles.xml": styles_xml(fonts, doc.lang),
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": font_table_xml(fonts),
        "word/theme/theme1.xml": theme_xml(fonts),
        "docProps/core.xml": core_xml(doc.meta, title, doc.lang),
        "docProps/app.xml": app_xml(doc.meta),
        "word/_rels/document.xml.rels": relationships([("rId1", "styles", "styles.xml"),
                                                       ("rId3", "settings", "settings.xml"),
                                                       ("rId8", "fontTable", "fontTable.xml"),
                                                       ("rId9", "theme", "theme/theme1.xml")]),
    }
    return zip_parts(parts)


def paragraph_style(unit: Unit, first: bool) -> str:
    if not first:
        return "BodyText"
    if unit.level == 0:
        return "Heading1" if unit.title else "BodyText"
    if unit.title and unit.level <= 3:
        return f"Heading{unit.level + 1}"
    return "Clause"


class TrackedBody:
    """The ``w:body`` content, one paragraph per line of every unit in redline order."""

    def __init__(self, comparison: Comparison, author: str, date: str, track_renumbering: bool = False):
        self.c = comparison
        self.track_renumbering = track_renumbering
        self.mark = f"w:author={attr(author)} w:date={attr(date)}"
        self.ids = count(1)
        self.moves: dict[int, str] = {}

    def build(self) -> str:
        out = []
        for entry, role in self.c.sequence:
            if role == MOVED_FROM:
                out.append(self.moved(entry, entry.old, "moveFrom"))
            elif role == MOVED_TO:
                out.append(self.moved(entry, entry.new, "moveTo"))
            elif entry.old is None or entry.new is None:
                out.append(self.whole(entry))
            else:
                out.append(self.paired(entry))
        return "".join(out)

    def revision(self, kind: str) -> str:
        return f'<w:{kind} w:id="{next(self.ids)}" {self.mark}'

    def para(self, style: str, content: str, mark: str = "") -> str:
        rpr = f"<w:rPr>{mark}</w:rPr>" if mark else ""
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{rpr}</w:pPr>{content}</w:p>'

    def whole(self, entry: Entry) -> str:
        """An inserted or deleted unit: every paragraph and its mark tracked."""
        unit, kind = (entry.new, "ins") if entry.old is None else (entry.old, "del")
        out = []
        for i, line in enumerate(unit.lines()):
            out.append(self.para(paragraph_style(unit, i == 0), self.tracked(kind, line), self.revision(kind) + "/>"))
        return "".join(out)

    def tracked(self, kind: str, value: str) -> str:
        if not value:
            return ""
        tag = "w:delText" if kind == "del" else "w:t"
        return f'{self.revision(kind)}><w:r><{tag} xml:space="preserve">{text(value)}</{tag}></w:r></w:{kind}>'

    def moved(self, entry: Entry, unit: Unit, kind: str) -> str:
        """A moved unit's paragraphs at one end of the move, inside its named range."""
        name = self.moves.setdefault(id(entry), f"move{len(self.moves) + 1}")
        range_id = next(self.ids)
        start = f'<w:{kind}RangeStart w:id="{range_id}" {self.mark} w:name="{name}"/>'
        end = f'<w:{kind}RangeEnd w:id="{range_id}"/>'
        lines = unit.lines()
        out = []
        for i, line in enumerate(lines):
            content = (start if i == 0 else "") + self.tracked_move(kind, line) + (end if i == len(lines) - 1 else "")
            out.append(self.para(paragraph_style(unit, i == 0), content, self.revision(kind) + "/>"))
        return "".join(out)

    def tracked_move(self, kind: str, value: str) -> str:
        if not value:
            return ""
        return f'{self.revision(kind)}><w:r><w:t xml:space="preserve">{text(value)}</w:t></w:r></w:{kind}>'

    def paired(self, entry: Entry) -> str:
        """A matched unit: its new number untracked, word changes tracked, paragraphs added
        or removed inside it tracked with their marks."""
        o, n = entry.old, entry.new
        out = []
        lines = entry.lines
        if self.track_renumbering:  # diff the text as typed, citations' old numbers and all
            lines = ([line_op(o.head, n.head)] if o.head or n.head else []) + line_ops(o.paras, n.paras)
        for i, line in enumerate(lines):
            first = i == 0 and bool(o.head or n.head)
            style = paragraph_style(n, first)
            lead = self.number(o, n) if first else ""
            if line.op == "delete":
                content = lead + self.tracked("del", line.old)
                out.append(self.para(style, content, self.revision("del") + "/>"))
            elif line.op == "insert":
                content = lead + self.tracked("ins", line.new)
                out.append(self.para(style, content, self.revision("ins") + "/>"))
            else:
                out.append(self.para(style, lead + self.words(line)))
        if not (o.head or n.head) and n.number_text and lines:
            out.insert(0, self.para(paragraph_style(n, True), self.number(o, n)))
        return "".join(out)

    def number(self, o: Unit, n: Unit) -> str:
        """The new number, untracked — or, with ``track_renumbering``, the old one deleted
        and the new one inserted, so that rejecting every change gives OLD exactly."""
        old, new = _number_prefix(o), _number_prefix(n)
        if old == new or not self.track_renumbering:
            return _plain(new)
        return self.tracked("del", old) + self.tracked("ins", new)

    def words(self, line: LineOp) -> str:
        if line.op == "equal":
            return _plain(line.new)
        parts = []
        for op, value in line.words:
            if op == EQUAL:
                parts.append(_plain(value))
            else:
                parts.append(self.tracked("del" if op == DELETE else "ins", value))
        return "".join(parts)


def _number_prefix(unit: Unit) -> str:
    """The number and its separator as the heading shows them: "第六条 ", "一、"."""
    if not unit.number_text:
        return ""
    return join_number(unit.number_text, "x")[:-1]


def _plain(value: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text(value)}</w:t></w:r>' if value else ""
