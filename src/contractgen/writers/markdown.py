"""Markdown for review: headings with ``{#id}`` anchors, references as links.

Layout: ``#`` the contract title, ``##`` a part (主合同, 补充协议, 附件一 …), ``###`` an
article, ``####``/``#####`` titled sections. A clause without a title is a paragraph that
starts with its number (and an ``<a id>`` if it has a label). Anchors are the ids pass's
(:mod:`contractgen.passes.ids`): labels where the author gave one, otherwise derived from
the part and the number, so the TOC and every reference link somewhere real.

A bilingual contract (中英文对照, :mod:`contractgen.bilingual`) is written in its layout:
side by side, each part as one GFM table with a column per language (headings, TOCs and
numbers in each language's scheme, references linking to that language's anchors);
interleaved, each block followed by its translation; sequential, one whole text with its
title and TOC, then the other. The layouts are chosen so that ``check`` reads our own
output back with the two languages paired (tests/test_bilingual_markdown.py says where
the reader still falls short).
"""

from __future__ import annotations


from ..bilingual import aligned_rows
from ..model import (AttachmentRegister, Block, Clause, Document, Inline, Parallel, Paragraph, Part, Ref, SignatureBlock,
                     Table, Toc, join_number, plain_text)
from ..numbering import get_scheme
from ..passes.ids import ensure_ids
from ..wordparts.assembly import placed
from .. import rx


_SPECIAL = rx.compile(r"([\\`*_\[\]<])")


def escape(text: str) -> str:
    """Text as Markdown that shows exactly that text: a party named "A*B_C [1]" stays so."""
    return _SPECIAL.sub(r"\\\1", text)


# What turns the start of a line into a block of its own: an ATX heading, a quote, a list
# item, a thematic break or a setext underline, a table row.
_BLOCK_START = rx.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]{3,}\s*$|\|)")


def escape_line_start(text: str) -> str:
    """Escape what would make a paragraph's first characters a heading, list item, quote,
    rule or table in Markdown: a value such as "# 免责条款" printed at the start of a
    paragraph stays the paragraph's text for every Markdown reader (and for `check`)."""
    stripped = text.lstrip(" ")
    if len(text) - len(stripped) >= 4:  # four spaces would make it code
        text = stripped
    m = _BLOCK_START.match(text)
    if not m:
        return text
    if m.group().isdigit():  # "1. x" -> "1\. x"
        return m.group() + "\\" + text[m.end():]
    return "\\" + text


# Each language's name in itself: the header of a side-by-side table without headings.
_LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def _every_block(doc: Document):
    """Every block, those of a bilingual contract's paired units included."""
    for _, block in doc.blocks():
        if isinstance(block, Parallel):
            yield from (b for column in block.columns for b in column.blocks)
        else:
            yield block


def _titles(doc: Document) -> list[tuple[str, str]]:
    """(language, title) of each text: one for a contract in one language."""
    titles = doc.meta.get("titles") or {}
    if not doc.languages or not titles:
        return [(doc.lang, doc.title)]
    return [(lang, titles.get(lang, doc.title)) for lang in doc.languages]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _paired_tables(row: list[list[Block]]) -> bool:
    """Whether each cell of a row is one table, all of the same shape (a table and its translation)."""
    tables = [cell[0] for cell in row if len(cell) == 1 and isinstance(cell[0], Table)]
    return len(tables) == len(row) and len({(t.header, *map(len, t.rows)) for t in tables}) == 1


def _table_head(cells: list[str]) -> list[str]:
    return [_row(cells), "|" + "---|" * len(cells)]


def _closed(table: list[str]) -> list[str]:
    return table + [""] if table else []


class MarkdownWriter:
    suffix = "md"

    def render(self, doc: Document) -> bytes:
        doc = placed(doc)  # the template's Word parts, as text where contract.yaml puts them
        ensure_ids(doc)
        has_title = any(isinstance(b, Paragraph) and b.style == "title" for b in _every_block(doc))
        titles = _titles(doc)
        if doc.layout == "sequential":  # each text has its own title
            titles = titles[:1]
        shown = {lang for lang, _ in titles}
        out = [] if has_title else [f"# {escape(' '.join(title for _, title in titles))}", ""]
        self.scheme = doc.lang
        for part in doc.parts:
            self.scheme = part.scheme
            lang = get_scheme(part.scheme).lang
            if doc.layout == "sequential" and lang not in shown and not has_title:  # the next text starts
                shown.add(lang)
                out += [f"# {escape(dict(_titles(doc))[lang])}", ""]
            if part.columns:
                out += self.paired_part(part, doc.layout)
                continue
            out += self.part_heading(part)
            for block in part.blocks:
                out += self.block(block)
        return ("\n".join(out).rstrip() + "\n").encode("utf-8")

    def part_heading(self, part: Part) -> list[str]:
        return [f"## {escape(part.heading_text)} {{#{part.anchor}}}", ""] if part.kind != "cover" else []

    # -- a bilingual contract's paired parts (side by side, interleaved) -----------------

    def paired_part(self, frame: Part, layout: str) -> list[str]:
        """Side by side, the part as a two-column table (:meth:`side_by_side`). Interleaved,
        one heading with the part's heading in each language, then each unit's blocks one
        language after the other, but the TOCs (and registers) beside each other in a
        two-column table — listed one after the other, a reader would take the second
        language's TOC for the first's — and a table and its translation as one table
        (:meth:`paired_table`)."""
        if layout == "side-by-side":
            return self.side_by_side(frame)
        out = self.paired_heading(frame)
        for unit in frame.blocks:
            for row in aligned_rows(unit):
                if all(len(cell) == 1 and isinstance(cell[0], (Toc, AttachmentRegister)) for cell in row):
                    out += _table_head([self.cell(cell) for cell in row]) + [""]
                    continue
                if _paired_tables(row):
                    out += self.paired_table([cell[0] for cell in row])
                    continue
                for column, blocks in zip(unit.columns, row):
                    out += self.in_column(column.part, blocks)
        return out

    def paired_heading(self, frame: Part) -> list[str]:
        """"## 附件一 货物清单 Schedule 1 List of Goods {#goods-list}": the first language's
        anchor as the heading's, the others' as ``<a id>`` before their text."""
        if frame.kind == "cover":
            return []
        first, *others = frame.columns
        text = " ".join([escape(first.heading_text)] + [f'<a id="{p.anchor}"></a>{escape(p.heading_text)}' for p in others])
        return [f"## {text} {{#{first.anchor}}}", ""]

    def in_column(self, part: Part, blocks: list[Block]) -> list[str]:
        """Blocks of one language's text, in its numbering scheme (signature wording)."""
        self.scheme = part.scheme
        return [line for block in blocks for line in self.block(block)]

    def side_by_side(self, frame: Part) -> list[str]:
        """A part as one GFM table, a column per language: the header row holds the part's
        headings (the languages' names for a cover), each row a unit or, where both columns
        have as many blocks, one block and its translation. A table cannot sit in a cell:
        it ends the table and is written for each language in turn, and the rows after it
        start a new table. Everything else is a cell — a heading, a TOC, the signatures — so
        the Markdown reader (and ``check``) reads each row as a pair of cells."""
        langs = [p.scheme for p in frame.columns]
        names = [escape(_LANGUAGE_NAMES.get(get_scheme(s).lang, s)) for s in langs]
        head = names if frame.kind == "cover" else [self.part_cell(p) for p in frame.columns]
        out: list[str] = []
        table = _table_head(head)
        for unit in frame.blocks:
            for row in aligned_rows(unit):
                if any(isinstance(b, Table) for cell in row for b in cell):
                    out += _closed(table)
                    table = []
                    if _paired_tables(row):
                        out += self.paired_table([cell[0] for cell in row])
                        continue
                    for column, blocks in zip(unit.columns, row):
                        out += self.in_column(column.part, blocks)
                    continue
                cells = []
                for column, blocks in zip(unit.columns, row):
                    self.scheme = column.part.scheme
                    cells.append(self.cell(blocks))
                table = table or _table_head(names)
                table.append(_row(cells))
        return out + _closed(table)

    def paired_table(self, tables: list[Table]) -> list[str]:
        """Tables of the same shape, one per language, as one table whose every cell holds
        the cell of each language, one line each ("数控车床<br>CNC lathe")."""
        rows = [["<br>".join(self.inlines(t.rows[r][c]).replace("|", "\\|") for t in tables)
                 for c in range(len(tables[0].rows[r]))] for r in range(len(tables[0].rows))]
        return self.table_lines(rows, tables[0].header)

    def part_cell(self, part: Part) -> str:
        return f'<a id="{part.anchor}"></a>{escape(part.heading_text)}'

    def cell(self, blocks: list[Block]) -> str:
        """Blocks as the text of one table cell: their lines joined by ``<br>``."""
        texts = []
        for block in blocks:
            lines = self.cell_lines(block)
            texts.append("<br>".join(line.replace("\n", "<br>") for line in lines))
        return "<br><br>".join(texts).replace("|", "\\|")

    def cell_lines(self, block: Block) -> list[str]:
        if isinstance(block, Clause):
            mark = f'<a id="{block.anchor}"></a>' if block.title or block.label else ""
            text = self.inlines(block.text)
            if block.title:
                heading = f"**{escape(block.heading_text)}**"
                return [mark + heading + (f" {text}" if text else "")]
            return [mark + join_number(escape(block.number_text), text)]
        if isinstance(block, Paragraph):
            text = self.inlines(block.text)
            return [f"**{text}**" if block.style == "title" else text]
        if isinstance(block, (Toc, AttachmentRegister)):
            lines = [f"**{escape(block.title)}**"] if block.title else []
            for e in block.entries:
                text = join_number(e.number_text, e.title)
                lines.append(f"[{escape(text)}](#{e.target.anchor})" if e.target is not None else escape(text))
            return lines
        # a signature block: its lines, as the Markdown writer writes them as paragraphs
        return [line for line in self.block(block) if line]

    def inlines(self, inlines: list[Inline]) -> str:
        parts = []
        for node in inlines:
            if isinstance(node, Ref) and len(node.targets) > 1:  # each number links to its clause
                parts += [f"[{escape(p.text)}](#{target.anchor})" if target is not None else escape(p.text)
                          for p, target in node.links()]
            elif isinstance(node, Ref) and node.target is not None:
                parts.append(f"[{escape(node.text)}](#{node.target.anchor})")
            else:
                parts.append(escape(node if isinstance(node, str) else plain_text([node])))
        return "".join(parts)

    def block(self, block: Block) -> list[str]:
        if isinstance(block, Clause):
            return self.clause(block)
        if isinstance(block, Paragraph):
            text = self.inlines(block.text)
            return [f"# {text}" if block.style == "title" else escape_line_start(text), ""]
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Toc):
            lines = [f"**{escape(block.title)}**", ""]
            for e in block.entries:
                indent = "  " * (e.level - 1)
                text = join_number(e.number_text, e.title)
                lines.append(f"{indent}- [{escape(text)}](#{e.target.anchor})")
            return lines + [""]
        if isinstance(block, AttachmentRegister):
            lines = [f"**{escape(block.title)}**", ""]
            for e in block.entries:
                lines.append(f"- [{escape(e.number_text)} {escape(e.title)}](#{e.target.anchor})")
            return lines + [""]
        if isinstance(block, SignatureBlock):
            return self.signatures(block)
        raise TypeError(f"no Markdown for {type(block).__name__}")

    def signatures(self, block: SignatureBlock) -> list[str]:
        """The lead line, then each party's lines as paragraphs (blanks are left to fill in)."""
        form = get_scheme(self.scheme).signatures
        lines = [escape(form.lead), ""]
        for p in block.parties:
            for label, value, _room in form.party_lines(p.role, p.name, p.signatory, p.date):
                lines += [escape(form.line_text(label, value)), ""]
        return lines

    def clause(self, clause: Clause) -> list[str]:
        text = self.inlines(clause.text)
        if not clause.title:
            mark = f'<a id="{clause.anchor}"></a>' if clause.label else ""
            return [mark + join_number(clause.number_text, text), ""]
        hashes = "#" * (clause.level + 2)
        lines = [f"{hashes} {escape(clause.heading_text)} {{#{clause.anchor}}}", ""]
        return lines + ([escape_line_start(text), ""] if text else [])

    def table(self, table: Table) -> list[str]:
        return self.table_lines([[self.inlines(c).replace("|", "\\|") for c in row] for row in table.rows], table.header)

    def table_lines(self, rows: list[list[str]], header: bool) -> list[str]:
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if not header:
            rows.insert(0, [""] * width)
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return lines + [""]
