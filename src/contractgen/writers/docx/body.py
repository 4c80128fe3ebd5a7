"""``word/document.xml``'s body: parts and blocks as WordprocessingML paragraphs and tables."""

from __future__ import annotations

from itertools import groupby

from ...model import (NUMBER, AttachmentRegister, Block, Clause, Document, Inline, Paragraph, Part, Ref,
                      Table, Toc, join_number)
from ...passes.ids import ensure_ids
from .fields import TOC_END, Bookmarks, hyperlink, pageref_field, ref_field, toc_begin
from .numbering import NumberingPlan, PartLists
from .styles import ATTACHMENT_HEADING_STYLE, HINT_STYLES, PART_STYLE, clause_style
from .xml import paragraph, ppr, run, tab_run

BOLD = "<w:rPr><w:b/></w:rPr>"
TEXT_WIDTH = 8306  # A4 minus 2 × 1800 twips of margin


def runs(value: str, rpr: str = "") -> str:
    """Text runs; a newline inside a string becomes a line break."""
    if "\n" not in value:
        return run(value, rpr)
    lines = value.split("\n")
    return f"<w:r>{rpr}<w:br/></w:r>".join(run(line, rpr) for line in lines)


def collect_bookmarks(doc: Document) -> Bookmarks:
    """The bookmarks of every referenced or listed target, as the ids pass named them."""
    ensure_ids(doc)
    return Bookmarks()


class BodyBuilder:
    """Walks one document once and returns the body XML (without ``w:sectPr``)."""

    def __init__(self, doc: Document, plan: NumberingPlan, marks: Bookmarks,
                 toc_levels: int, pages: dict[str, str] | None = None):
        self.doc, self.plan, self.marks = doc, plan, marks
        self.toc_levels = toc_levels
        self.pages = pages or {}
        self.out: list[str] = []
        self.break_pending = False

    def build(self) -> str:
        for index, part in enumerate(self.doc.parts):
            # The main contract follows the cover's preamble; addenda and attachments
            # each start a page.
            self.break_pending = self.break_pending or (index > 0 and part.kind != "main")
            self.part(part)
        return "".join(self.out)

    # -- paragraphs -------------------------------------------------------------------

    def para(self, style: str | None, content: str, num: tuple[int, int] | None = None,
             jc: str | None = None) -> None:
        """One paragraph; ``num`` is its (numId, ilvl), written only where the style does
        not already carry that list."""
        direct = self.plan.direct_numpr(style, num) if style and num else num
        props = ppr(style, direct, page_break=self.break_pending, jc=jc)
        self.break_pending = False
        self.out.append(paragraph(props, content))

    def inlines(self, items: list[Inline], rpr: str = "") -> str:
        return "".join(runs(i, rpr) if isinstance(i, str) else self.ref(i, rpr) for i in items)

    def ref(self, ref: Ref, rpr: str = "") -> str:
        """The display text with the number part as a live REF field."""
        name = self.marks.ref(ref.target) if ref.target is not None else None
        if not name or not ref.number:
            return runs(ref.text or f"[[ref:{ref.label}]]", rpr)
        out = []
        for is_number, parts in groupby(ref.parts, key=lambda p: p.role == NUMBER):
            text = "".join(p.text for p in parts)
            out.append(ref_field(name, text, rpr) if is_number else runs(text, rpr))
        return "".join(out)

    # -- parts and blocks -------------------------------------------------------------

    def part(self, part: Part) -> None:
        lists = self.plan.parts.get(id(part))
        if part.kind == "attachment" and lists is not None:
            title = self.marks.wrap(part, runs(part.title))
            self.para(ATTACHMENT_HEADING_STYLE, title, num=(lists.heading_num, 0))
        elif part.kind != "cover" and part.heading_text:
            self.para(PART_STYLE, self.marks.wrap(part, runs(part.heading_text)))
        for block in part.blocks:
            self.block(part, lists, block)

    def block(self, part: Part, lists: PartLists | None, block: Block) -> None:
        if isinstance(block, Clause) and lists is not None:
            self.clause(part, lists, block)
        elif isinstance(block, Clause):
            self.para("BodyText", runs(block.heading_text) + self.inlines(block.text))
        elif isinstance(block, Paragraph):
            self.para(HINT_STYLES.get(block.style, "BodyText"), self.inlines(block.text))
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Toc):
            self.toc(block)
        elif isinstance(block, AttachmentRegister):
            self.register(block)

    def clause(self, part: Part, lists: PartLists, clause: Clause) -> None:
        style, num = clause_style(part.kind, clause), lists.clause_numpr(clause.level)
        if not clause.title:
            self.para(style, self.marks.wrap(clause, self.inlines(clause.text)), num=num)
            return
        self.para(style, self.marks.wrap(clause, runs(clause.title)), num=num)
        if clause.text:
            self.para("BodyText", self.inlines(clause.text))

    def table(self, table: Table) -> None:
        if self.break_pending:
            self.para(None, "")
        width = max((len(r) for r in table.rows), default=1) or 1
        col = TEXT_WIDTH // width
        grid = "".join(f'<w:gridCol w:w="{col}"/>' for _ in range(width))
        rows = []
        for index, row in enumerate(table.rows):
            header = table.header and index == 0
            trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
            cells = "".join(self.cell(cell, col, BOLD if header else "") for cell in row)
            rows.append(f"<w:tr>{trpr}{cells}</w:tr>")
        self.out.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')

    def cell(self, inlines: list[Inline], width: int, rpr: str) -> str:
        content = paragraph(ppr("TableText"), self.inlines(inlines, rpr))
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'

    def toc(self, toc: Toc) -> None:
        self.break_pending = self.break_pending or bool(self.out)
        self.para("TOCHeading", runs(toc.title))
        field_open = toc_begin(self.toc_levels)
        for entry in toc.entries:
            anchor = self.marks.toc(entry.target) if entry.target is not None else None
            label = join_number(entry.number_text, entry.title)
            page = self.pages.get(anchor or "", "")
            body = runs(label) + tab_run() + (pageref_field(anchor, page) if anchor else "")
            style = f"TOC{min(max(entry.level, 1), 3)}"
            self.para(style, field_open + (hyperlink(anchor, body) if anchor else body))
            field_open = ""
        self.para(None, field_open + TOC_END)
        self.break_pending = True

    def register(self, register: AttachmentRegister) -> None:
        if register.title:
            self.para("BlockTitle", runs(register.title))
        for entry in register.entries:
            name = self.marks.ref(entry.target) if entry.target is not None else None
            number = ref_field(name, entry.number_text) if name else runs(entry.number_text)
            self.para("BodyText", number + runs(f" {entry.title}" if entry.title else ""))
