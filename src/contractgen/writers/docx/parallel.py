"""A bilingual contract (中英文对照) in Word: the layouts of :func:`contractgen.bilingual.combine`.

- ``side-by-side``: each pair of parts is one borderless two-column table, 50/50, with no
  header row, whose rows may break across pages: a row for the parts' headings ("附件一
  货物清单" beside "Schedule 1 List of Goods"), then the rows of each
  :class:`~contractgen.model.Parallel` unit (:func:`~contractgen.bilingual.aligned_rows`:
  a paragraph beside its translation when the counts match, else the whole unit in one
  row). A signature page element or a wide table does not fit a column: it leaves the
  table and follows in each language in turn, at the text's width.
- ``interleaved``: the same rows, each language's blocks after the other's.
- ``sequential``: every part of the first text, then every part of the second, which starts
  a page; each text's range is a bookmark its own TOC field lists (``\\b``).

Every clause is numbered by the list of its own language's part (:mod:`.numbering`), its
bookmarks are that text's (``_Ref1…``, ``_Ref5…``), and its REF fields point at them, so
Word and LibreOffice number and resolve the two texts independently. Runs of a text in
another language than the document's are in that language's character style ("TextEn":
its Latin font and language tag — an English run in a Chinese document is set in Times
New Roman, and its quotes are Latin, not full-width); its headings are bold where its
typography wants them and the document's does not.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import zip_longest
from typing import TYPE_CHECKING, Callable

from ...bilingual import aligned_rows
from ...model import Block, Document, Parallel, Part, SignatureBlock, Table, Toc
from ...numbering import get_scheme
from .styles import CJK_FACES, fonts_for
from .tables import fits
from .typeset import CELL_MARGIN, TEXT_WIDTH
from .xml import attr, paragraph, ppr

if TYPE_CHECKING:
    from .body import BodyBuilder

COLUMN_WIDTH = TEXT_WIDTH // 2
RULE = "BFBFBF"  # the light rule between the columns
_NONE = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH"))
TABLE_START = ('<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
               f'<w:tblBorders>{_NONE}<w:insideV w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/></w:tblBorders>'
               '<w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
               'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
               f'<w:tblGrid><w:gridCol w:w="{COLUMN_WIDTH}"/><w:gridCol w:w="{COLUMN_WIDTH}"/></w:tblGrid>')
CELL_START = f'<w:tc><w:tcPr><w:tcW w:w="{COLUMN_WIDTH}" w:type="dxa"/></w:tcPr>'
EMPTY_CELL_PARAGRAPH = paragraph(ppr("BodyText"), "")
# Body text in a column of a language whose words are separated by spaces is set ragged
# right: justified in half the text's width, an English line opens wide gaps.
RAGGED = {"en": "left"}


# --------------------------------------------------------------------- runs of a language


def lang_rpr(doc: Document, lang: str) -> str:
    """The run properties of ``lang``'s text in ``doc`` ("" for the document's language,
    whose styles set it already): its character style (:func:`language_styles`)."""
    return "" if lang == doc.lang else f'<w:rStyle w:val="{language_style_id(lang)}"/>\x00'


def language_style_id(lang: str) -> str:
    """The character style of a language's text: "TextEn"."""
    return "Text" + "".join(x.capitalize() for x in lang.replace("-", "_").split("_"))


def language_styles(doc: Document) -> str:
    """The character styles of the document's other languages (``w:style`` elements)."""
    return "".join(_language_style(lang) for lang in doc.languages if lang != doc.lang)


@lru_cache(maxsize=16)
def _language_style(lang: str) -> str:
    """A language's text in a document of another: its body font for Latin text — for a
    Chinese face, the language's Latin font beside it — and its language tag, East Asian
    too, so quotes and dashes count as that language's characters (Latin quotes in English
    text, not full-width ones)."""
    scheme = get_scheme(lang)
    fonts = fonts_for({}, lang)
    if fonts.body in CJK_FACES:
        latin = attr(fonts.latin or fonts.body)
        rfonts = f"<w:rFonts w:ascii={latin} w:hAnsi={latin} w:eastAsia={attr(fonts.body)} w:cs={latin}/>"
    else:
        face = attr(fonts.body)
        rfonts = f"<w:rFonts w:ascii={face} w:hAnsi={face} w:cs={face}/>"
    tag = scheme.language_tag
    return (f'<w:style w:type="character" w:customStyle="1" w:styleId="{language_style_id(lang)}">'
            f'<w:name w:val="Text ({tag})"/><w:uiPriority w:val="1"/>'
            f'<w:rPr>{rfonts}<w:lang w:val="{tag}" w:eastAsia="{tag}"/></w:rPr></w:style>')


BOLD = "<w:rPr><w:b/><w:bCs/></w:rPr>"


def heading_rpr(doc: Document, lang: str) -> str:
    """Bold for ``lang``'s headings where its typography sets them bold and the document's
    styles do not (an English heading in a Chinese document whose headings are 黑体)."""
    if lang == doc.lang:
        return ""
    mine, theirs = get_scheme(lang).typography, get_scheme(doc.lang).typography
    bold = mine is None or mine.heading_bold
    return BOLD if bold and theirs is not None and not theirs.heading_bold else ""


@lru_cache(maxsize=256)
def with_lang(rpr: str, language: str) -> str:
    """``rpr`` (a ``<w:rPr>`` or "") with a language's run properties, ``language`` as
    :func:`lang_rpr` gives them (what goes first, NUL, what goes last), in schema order."""
    fonts, tag = language.split("\x00")
    inner = rpr[len("<w:rPr>"):-len("</w:rPr>")] if rpr else ""
    return f"<w:rPr>{fonts}{inner}{tag}</w:rPr>"


# --------------------------------------------------------------------- paired parts


def frame_part(b: BodyBuilder, part: Part) -> None:
    """A pair of parts (``Part.columns``): their headings, then their units."""
    side = b.doc.layout == "side-by-side"
    columns = list(zip(b.doc.languages, part.columns))
    if part.kind != "cover" and any(p.heading_text for _, p in columns):
        writers = [(lang, lambda p=p: b.heading(p, b.plan.parts.get(id(p)))) for lang, p in columns]
        if side:
            table_row(b, writers)
        else:
            for lang, write in writers:
                b.set_lang(lang)
                write()
            b.set_lang(b.doc.lang)
    for fixed, indexes in b.runs_of(part):
        if fixed:  # units that hold no value: written once per clause set
            b.reuse((id(part), indexes[0]), units, b, part, indexes)
        else:
            units(b, part, indexes)
    # the table stays open: the next part closes it, and its page break follows it without
    # an empty paragraph between them that could fall on a page of its own


def units(b: BodyBuilder, part: Part, indexes: list[int]) -> None:
    """Units of a part that hold a row's values: each of their rows whose blocks hold none
    (a heading beside its translation, a TOC) is still written once per clause set."""
    fixed = b.doc.fixed_blocks if b.pages is None else None
    for index in indexes:
        unit = part.blocks[index]
        for number, row in enumerate(rows_of(b, unit)):
            if fixed is not None and all(id(x) in fixed for blocks in row for x in blocks):
                b.reuse((id(unit), number), write_row, b, unit, row)
            else:
                write_row(b, unit, row)


def rows_of(b: BodyBuilder, unit: Parallel) -> list[list[list[Block]]]:
    """:func:`~contractgen.bilingual.aligned_rows`, worked out once per clause set."""
    if b.doc.fixed_blocks is None:
        return aligned_rows(unit)
    memo = b.doc.fixed_memo.setdefault("docx-rows", {})
    rows = memo.get(id(unit))
    if rows is None:
        rows = memo[id(unit)] = aligned_rows(unit)
    return rows


def write_row(b: BodyBuilder, unit: Parallel, row: list[list[Block]]) -> None:
    """One row: a row of the side-by-side table, or each language's blocks in turn (the
    interleaved layout, and a signature page element, which does not fit a column)."""
    cells = list(zip(unit.columns, row))
    if b.doc.layout == "side-by-side" and not any(too_wide(x) for _, blocks in cells for x in blocks):
        table_row(b, [(c.lang, lambda c=c, blocks=blocks: write_blocks(b, c.part, blocks)) for c, blocks in cells])
        return
    close_table(b)
    tocs = [blocks[0] for _, blocks in cells if len(blocks) == 1 and isinstance(blocks[0], Toc)]
    if len(tocs) == len(cells) > 1:  # interleaved: one TOC, as Word makes it of the headings of both texts
        b.toc(merged_toc(tocs))
        return
    for column, blocks in cells:
        b.set_lang(column.lang)
        write_blocks(b, column.part, blocks)
    b.set_lang(b.doc.lang)


def merged_toc(tocs: list[Toc]) -> Toc:
    """The TOCs of an interleaved unit as one: each Chinese entry followed by its English
    one — the headings in document order, which is what Word lists when it updates the
    field (a TOC field cannot leave out the other language's headings in between)."""
    entries = []
    for row in zip_longest(*(t.entries for t in tocs)):
        entries.extend(e for e in row if e is not None)
    return Toc(title=" ".join(t.title for t in tocs if t.title), entries=entries, pos=tocs[0].pos)


MAX_COLUMN_TABLE = 3  # columns of a table that still reads in half the text's width


def too_wide(block: Block) -> bool:
    """A block that does not fit a side-by-side column: a signature page element (its
    parties two by two), a table of more than three columns or whose longest words do not
    fit — it is set out at the text's width, each language's after the other's."""
    if isinstance(block, SignatureBlock):
        return True
    if isinstance(block, Table):
        return max(map(len, block.rows), default=0) > MAX_COLUMN_TABLE or not fits(block, COLUMN_WIDTH - 2 * CELL_MARGIN)
    return False


def write_blocks(b: BodyBuilder, part: Part, blocks: list[Block]) -> None:
    """One language's blocks of a row, numbered by its own part's lists."""
    lists = b.plan.parts.get(id(part))
    for index, block in enumerate(blocks):
        b.keep_next = index + 1 < len(blocks) and isinstance(blocks[index + 1], SignatureBlock)
        b.block(part, lists, block)
        b.keep_next = False


def table_row(b: BodyBuilder, cells: list[tuple[str, Callable[[], None]]]) -> None:
    """One row of the side-by-side table: each language's cell written by its writer. A
    page break asked for inside a cell (after a TOC) waits for the row's end; one pending
    before the row closes the table and opens a new one on the next page."""
    if b.break_pending:
        close_table(b)
    if not b.in_table:
        if b.break_pending:
            b.para(None, "")
        b.out.append(TABLE_START)
        b.in_table = True
    b.out.append("<w:tr>")
    width, breaks = b.width, False
    b.in_cell, b.width = True, COLUMN_WIDTH - 2 * CELL_MARGIN
    for lang, write in cells:
        b.set_lang(lang)
        b.body_jc = RAGGED.get(lang)
        b.out.append(CELL_START)
        start = len(b.out)
        write()
        if len(b.out) == start or not b.out[-1].endswith("</w:p>"):
            b.out.append(EMPTY_CELL_PARAGRAPH)  # a cell ends with a paragraph
        b.out.append("</w:tc>")
        breaks, b.break_pending = breaks or b.break_pending, False
    b.in_cell, b.width, b.body_jc = False, width, None
    b.set_lang(b.doc.lang)
    b.out.append("</w:tr>")
    b.break_pending = breaks


def close_table(b: BodyBuilder) -> None:
    if b.in_table:
        b.out.append("</w:tbl>")
        b.in_table = False
        if not b.break_pending:  # else the page break's paragraph follows the table
            b.para("TableAfter", "")


# --------------------------------------------------------------------- one text after the other


def scope_bookmark(lang: str) -> str:
    """The bookmark around one text of a sequential contract ("_TextZh", "_TextEn")."""
    return "_Text" + "".join(x.capitalize() for x in lang.replace("-", "_").split("_"))


def end_section(b: BodyBuilder, sect_pr: str) -> None:
    """End a section with the last paragraph written (its ``w:pPr`` holds the ``w:sectPr``):
    no empty paragraph that could take a page of its own. Our last body element is always
    a paragraph (a table is followed by one)."""
    for index in range(len(b.out) - 1, -1, -1):
        chunk = b.out[index]
        at = chunk.rfind("<w:p>")
        if at < 0:
            continue
        head = at + len("<w:p>")
        if chunk.startswith("<w:pPr>", head):
            close = chunk.index("</w:pPr>", head)
            chunk = chunk[:close] + sect_pr + chunk[close:]
        else:
            chunk = chunk[:head] + f"<w:pPr>{sect_pr}</w:pPr>" + chunk[head:]
        b.out[index] = chunk
        return
    b.out.append(f"<w:p><w:pPr>{sect_pr}</w:pPr></w:p>")


def build_sequential(b: BodyBuilder) -> None:
    """Each text's parts in turn, each text a bookmarked range starting a page: a section
    of its own where it has its own running header and footer (``b.section_ends``)."""
    current, end = None, ""
    for index, part in enumerate(b.doc.parts):
        lang = get_scheme(part.scheme).lang
        new_section = False
        if lang != current:
            if current in b.section_ends:  # the next section starts a page
                end_section(b, b.section_ends[current])
                new_section = True
            b.out.append(end)
            start, mark = b.marks.start(scope_bookmark(lang))
            b.out.append(start)
            end = f'<w:bookmarkEnd w:id="{mark}"/>'
            b.toc_scope = scope_bookmark(lang)
            b.break_pending = b.break_pending or current is not None
            b.set_lang(lang)
            current = lang
        b.break_pending = (b.break_pending or (index > 0 and part.kind != "main")) and not new_section
        b.part(part)
    b.out.append(end)
    b.set_lang(b.doc.lang)
    b.toc_scope = None


__all__ = ["build_sequential", "frame_part", "lang_rpr", "scope_bookmark", "with_lang"]
