"""Markdown for review: headings with ``{#id}`` anchors, references as links.

Layout: ``#`` the contract title, ``##`` a part (主合同, 补充协议, 附件一 …), ``###`` an
article, ``####``/``#####`` titled sections. A clause without a title is a paragraph that
starts with its number (and an ``<a id>`` if it has a label). Anchors are the ids pass's
(:mod:`contractgen.passes.ids`): labels where the author gave one, otherwise derived from
the part and the number, so the TOC and every reference link somewhere real.
"""

from __future__ import annotations

import re

from ..model import (AttachmentRegister, Block, Clause, Document, Inline, Paragraph, Ref, SignatureBlock, Table, Toc,
                     join_number, plain_text)
from ..numbering import get_scheme
from ..passes.ids import ensure_ids
from ..wordparts.assembly import placed


_SPECIAL = re.compile(r"([\\`*_\[\]<])")


def escape(text: str) -> str:
    """Text as Markdown that shows exactly that text: a party named "A*B_C [1]" stays so."""
    return _SPECIAL.sub(r"\\\1", text)


# What turns the start of a line into a block of its own: an ATX heading, a quote, a list
# item, a thematic break or a setext underline, a table row.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]{3,}\s*$|\|)")


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


class MarkdownWriter:
    suffix = "md"

    def render(self, doc: Document) -> bytes:
        doc = placed(doc)  # the template's Word parts, as text where contract.yaml puts them
        ensure_ids(doc)
        has_title = any(isinstance(b, Paragraph) and b.style == "title" for _, b in doc.blocks())
        out = [] if has_title else [f"# {escape(doc.title)}", ""]
        self.scheme = doc.lang
        for part in doc.parts:
            self.scheme = part.scheme
            if part.kind != "cover":
                out += [f"## {escape(part.heading_text)} {{#{part.anchor}}}", ""]
            for block in part.blocks:
                out += self.block(block)
        return ("\n".join(out).rstrip() + "\n").encode("utf-8")

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
        rows = [[self.inlines(c).replace("|", "\\|") for c in row] for row in table.rows]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if not table.header:
            rows.insert(0, [""] * width)
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return lines + [""]
