"""``word/document.xml``'s body: parts and blocks as WordprocessingML paragraphs and tables."""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby

from ...model import (NUMBER, AttachmentRegister, Block, Clause, Column, Document, Inline, Paragraph, Parallel,
                      Part, Ref, SignatureBlock, Table, Toc, TocEntry, join_number)
from ...numbering import get_scheme
from ...passes.ids import ensure_ids
from .fields import TOC_END, Bookmarks, hyperlink, pageref_field, ref_field, toc_begin
from .numbering import NumberingPlan, PartLists
from .styles import ATTACHMENT_HEADING_STYLE, HINT_STYLES, PART_STYLE, clause_style
from .tables import table_xml
from .typeset import TEXT_WIDTH, signature_paragraphs, typesetter
from .xml import paragraph, ppr, run, tab_run
from . import parallel



@lru_cache(maxsize=16384)  # a batch writes the same clause text in every contract
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


# Blocks whose XML depends only on themselves and the builder's state (a TOC without page
# numbers included: BodyBuilder.reusable; a signature block usually holds values).
# the styles justified as Normal is (no alignment of their own): in a side-by-side column
# of a language set ragged right, they are too
RAGGED_STYLES = frozenset({"BodyText", "Clause", "Definition", "Note", "Heading2", "Heading3", "Heading4",
                           "AttachmentSection", "TOC1", "TOC2", "TOC3", "SignatureLead"})
_REUSABLE = (Clause, Paragraph, Table, AttachmentRegister, Toc, SignatureBlock, Parallel)


class BodyBuilder:
    """Walks one document once and returns the body XML (without ``w:sectPr``)."""

    def __init__(self, doc: Document, plan: NumberingPlan, marks: Bookmarks,
                 toc_levels: int, pages: dict[str, str] | None = None):
        self.doc, self.plan, self.marks = doc, plan, marks
        self.toc_levels = toc_levels  # what the field collects when Word updates it
        self.pages = pages  # None: a TOC without page numbers (``\n``)
        self.out: list[str] = []
        self.break_pending = False
        self.keep_next = False  # the text before a signature page element keeps with it
        self.lang = getattr(doc, "lang", "")  # the language of the text being written
        self.typeset = typesetter(self.lang)
        self.lang_rpr = ""  # run properties of a text in another language than the document's
        self.heading_rpr = ""  # and of its headings, bold where its headings are and the document's are not
        self.width = TEXT_WIDTH  # twips a table may take: the text's, or a column's
        self.in_table = False  # a side-by-side table is open (its rows follow)
        self.in_cell = False  # writing a cell of it: page breaks wait for the row's end
        self.body_jc: str | None = None  # the alignment of body text in a side-by-side column
        self.toc_scope: str | None = None
        self.section_ends: dict[str, str] = {}  # a sequential text -> the section (w:sectPr) it ends  # a sequential text's bookmark its TOC lists (\b)

    def runs(self, value: str, rpr: str = "") -> str:
        if self.lang_rpr:
            rpr = parallel.with_lang(rpr, self.lang_rpr)
        return runs(self.typeset(value), rpr)

    def set_lang(self, lang: str) -> None:
        """Write what follows as ``lang``'s text: its typography, and in a bilingual contract
        its fonts and language tag on every run of a language other than the document's."""
        if lang == self.lang:
            return
        self.lang = lang
        self.typeset = typesetter(lang)
        self.lang_rpr = parallel.lang_rpr(self.doc, lang)
        self.heading_rpr = parallel.heading_rpr(self.doc, lang)

    def build(self) -> str:
        if self.doc.layout == "sequential" and self.doc.texts:
            parallel.build_sequential(self)
            return "".join(self.out)
        for index, part in enumerate(self.doc.parts):
            # The main contract follows the cover's preamble; addenda and attachments
            # each start a page.
            self.break_pending = self.break_pending or (index > 0 and part.kind != "main")
            self.part(part)
        self.break_pending = False  # the body ends with a paragraph, after a table too
        parallel.close_table(self)
        return "".join(self.out)

    # -- paragraphs -------------------------------------------------------------------

    def para(self, style: str | None, content: str, num: tuple[int, int] | None = None,
             jc: str | None = None, extra: str = "", mark: str = "") -> None:
        """One paragraph; ``num`` is its (numId, ilvl), written only where the style does
        not already carry that list."""
        direct = self.plan.direct_numpr(style, num) if style and num else num
        if self.body_jc and jc is None and style in RAGGED_STYLES:
            jc = self.body_jc
        page_break = self.break_pending and not self.in_cell
        if mark:  # the paragraph mark's run properties: its list label's bold and font
            props = ppr(style, direct, page_break=page_break, keep_next=self.keep_next, jc=jc, extra=extra, mark=mark)
        elif self.keep_next or extra:
            props = ppr(style, direct, page_break=page_break, keep_next=self.keep_next, jc=jc, extra=extra)
        else:  # the common case, with the cache key ppr had before keep_next and extra
            props = ppr(style, direct, page_break=page_break, jc=jc)
        if not self.in_cell:
            self.break_pending = False
        self.out.append(paragraph(props, content))

    def inlines(self, items: list[Inline], rpr: str = "") -> str:
        typeset = self.typeset
        if self.lang_rpr:
            rpr = parallel.with_lang(rpr, self.lang_rpr)
        return "".join(runs(typeset(i), rpr) if isinstance(i, str) else self._ref(i, rpr) for i in items)

    def ref(self, ref: Ref, rpr: str = "") -> str:
        if self.lang_rpr:
            rpr = parallel.with_lang(rpr, self.lang_rpr)
        return self._ref(ref, rpr)

    def _ref(self, ref: Ref, rpr: str) -> str:
        """The display text with every number part as a live REF field to what it shows
        (``rpr`` complete: the language's run properties in it)."""
        if ref.target is None or not ref.number:
            return runs(self.typeset(ref.text or f"[[ref:{ref.label}]]"), rpr)
        out, text = [], ""
        for part in ref.parts:
            name = self.marks.ref(part.target or ref.target) if part.role == NUMBER else None
            if not name:
                text += part.text  # words between numbers are one run
                continue
            if text:
                out.append(runs(self.typeset(text), rpr))
                text = ""
            out.append(ref_field(name, part.text, rpr, own=part.own, digits=part.digits))
        if text:
            out.append(runs(self.typeset(text), rpr))
        return "".join(out)

    # -- parts and blocks -------------------------------------------------------------

    def part(self, part: Part) -> None:
        if self.reusable(part):
            self.reuse(id(part), self._part, part)
        else:
            self._part(part)

    def _part(self, part: Part) -> None:
        if part.columns:  # a bilingual contract's pair of parts, side by side or interleaved
            parallel.frame_part(self, part)
            return
        parallel.close_table(self)
        lists = self.plan.parts.get(id(part))
        self.heading(part, lists)
        for fixed, run in self.runs_of(part):
            if fixed:  # consecutive blocks that hold no value: written once per clause set
                self.reuse((id(part), run[0]), self.blocks, part, lists, run)
            else:
                self.blocks(part, lists, run)

    def heading(self, part: Part, lists: PartLists | None) -> None:
        """A part's heading: an attachment's numbered by its list (附件一, Schedule 1)."""
        if part.kind == "attachment" and lists is not None:
            title = self.marks.wrap(part, self.runs(part.title, self.heading_rpr))
            self.para(ATTACHMENT_HEADING_STYLE, title, num=(lists.heading_num, 0), mark=self.heading_mark())
        elif part.kind != "cover" and part.heading_text:
            self.para(PART_STYLE, self.marks.wrap(part, self.runs(part.heading_text, self.heading_rpr)))

    def heading_mark(self) -> str:
        """A heading's paragraph-mark properties in another language's text ("" otherwise)."""
        return parallel.with_lang(self.heading_rpr, self.lang_rpr) if self.heading_rpr else ""

    def runs_of(self, part: Part) -> list[tuple[bool, list[int]]]:
        """The part's blocks as runs of (reusable, indexes), worked out once per clause set."""
        if self.doc.fixed_blocks is None or self.pages is not None:
            return [(False, list(range(len(part.blocks))))]
        memo = self.doc.fixed_memo.setdefault("docx-runs", {})
        runs = memo.get(id(part))
        if runs is None:
            blocks = part.blocks
            runs = memo[id(part)] = [(fixed, list(run)) for fixed, run in groupby(
                range(len(blocks)), key=lambda i: self.reusable(blocks[i]))]
        return runs

    def blocks(self, part: Part, lists: PartLists | None, indexes: list[int]) -> None:
        blocks = part.blocks
        for index in indexes:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            self.keep_next = isinstance(following, SignatureBlock)
            self.block(part, lists, blocks[index])
            self.keep_next = False

    def reusable(self, node: Part | Block) -> bool:
        """Whether the node holds no value of a batch row (``Document.fixed_blocks``): then
        it comes out the same for the same builder state, for every row of its clause set.
        A TOC with page numbers is written anew: they are given per call."""
        fixed = self.doc.fixed_blocks
        return fixed is not None and self.pages is None and id(node) in fixed and (
            isinstance(node, (Part, *_REUSABLE)))

    def reuse(self, key, write, *args) -> None:
        """``write(*args)``, or the XML it wrote for an earlier row of this clause set."""
        memo = self.doc.fixed_memo.setdefault("docx", {})
        key = (key, self.break_pending, self.keep_next, self.marks.written, not self.out, self.in_table, self.lang)
        hit = memo.get(key)
        if hit is None:
            start, marks = len(self.out), self.marks.written
            write(*args)
            memo[key] = ("".join(self.out[start:]), self.break_pending, self.marks.written - marks, self.in_table)
            return
        xml, self.break_pending, bookmarks, self.in_table = hit
        self.out.append(xml)
        self.marks.skip(bookmarks)

    def block(self, part: Part, lists: PartLists | None, block: Block) -> None:
        if isinstance(block, Clause) and lists is not None:
            self.clause(part, lists, block)
        elif isinstance(block, Clause):
            self.para("BodyText", self.runs(block.heading_text) + self.inlines(block.text))
        elif isinstance(block, Paragraph):
            self.para(HINT_STYLES.get(block.style, "BodyText"), self.inlines(block.text))
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Toc):
            self.toc(block)
        elif isinstance(block, AttachmentRegister):
            self.register(block)
        elif isinstance(block, SignatureBlock):
            self.signatures(part, block)

    def clause(self, part: Part, lists: PartLists, clause: Clause) -> None:
        style, num = clause_style(part.kind, clause), lists.clause_numpr(clause.level)
        if not clause.title:
            self.para(style, self.marks.wrap(clause, self.inlines(clause.text)), num=num)
            return
        self.para(style, self.marks.wrap(clause, self.runs(clause.title, self.heading_rpr)), num=num,
                  mark=self.heading_mark())
        if clause.text:
            self.para("BodyText", self.inlines(clause.text))

    def table(self, table: Table) -> None:
        if self.break_pending and not self.in_cell:
            self.para(None, "")
        self.out.append(table_xml(table, self.inlines, self.lang, self.width))
        self.para("TableAfter", "")

    def signatures(self, part: Part, block: SignatureBlock) -> None:
        """The lead line, kept with the text before it, then the parties' blocks."""
        form = get_scheme(part.scheme).signatures
        self.keep_next = not form.new_page
        self.para("SignatureLead", self.runs(form.lead))
        self.keep_next = False
        self.out.append(signature_paragraphs(block, form, self.runs, page_break=form.new_page))

    def toc(self, toc: Toc) -> None:
        self.break_pending = self.break_pending or bool(self.out)
        self.para("TOCHeading", self.runs(toc.title))
        field_open = toc_begin(self.toc_levels, page_numbers=self.pages is not None, scope=self.toc_scope)
        for entry in listed_entries(self.doc, toc):
            anchor = self.marks.toc(entry.target) if entry.target is not None else None
            body = self.runs(join_number(entry.number_text, entry.title))
            if self.pages is not None:
                page = self.pages.get(anchor or "", "")
                body += tab_run() + (pageref_field(anchor, page) if anchor else "")
            style = f"TOC{min(max(entry.level, 1), 3)}"
            self.para(style, field_open + (hyperlink(anchor, body) if anchor else body))
            field_open = ""
        self.para(None, field_open + TOC_END)
        self.break_pending = True

    def register(self, register: AttachmentRegister) -> None:
        if register.title:
            self.para("BlockTitle", self.runs(register.title))
        for entry in register.entries:
            name = self.marks.ref(entry.target) if entry.target is not None else None
            number = ref_field(name, entry.number_text) if name else self.runs(entry.number_text)
            self.para("BodyText", number + self.runs(f" {entry.title}" if entry.title else ""))


def listed_entries(doc: Document, toc: Toc) -> list[TocEntry]:
    """The entries the DOCX TOC lists: the toc pass's (``toc_levels`` in contract.yaml; the
    samples list parts and articles, levels 1–2)."""
    return list(toc.entries)
