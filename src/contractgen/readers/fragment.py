"""Read a rendered clause fragment (the Markdown subset in docs/authoring.md) into blocks.

Fragments use a deliberately small, line-oriented subset of Markdown — headings, list
items, paragraphs, pipe tables and two placeholders — so this reader is a few regular
expressions per line instead of a full Markdown parse: it runs once per fragment per
contract, and a batch renders thousands of contracts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..diagnostics import ERROR, Finding
from ..model import (AttachmentRegister, Block, Clause, Inline, Origin, Paragraph, Ref, SignatureBlock, Signatory,
                     SourcePos, Suppression, Table, Toc)
from .fragment_refusals import line_refusals, typed_number, typed_number_finding
from .. import rx

_HEADING = rx.compile(r"^(#{1,3})\s+(.*?)\s*$")
_ITEM = rx.compile(r"^[-*+]\s+(.*?)\s*$")
# "{#label}" ending a heading or list item; render.py hands it over with its "{" as LABEL_MARK
# (hidden from Jinja, whose comments are "{# … #}"), so both spellings are read as a label.
LABEL_MARK = "\ue003"  # render.LABEL_MARK
_LABEL = rx.compile(r"\s*[{\ue003]#([^}\s]*)\}\s*$")
_STRAY_LABEL = rx.compile(r"\ue003#([^}\s]*)\}")
LINE_MARK = "\ue004"  # render.LINE_MARK: a line break a Jinja comment took out of the text
_STYLE = rx.compile(r"\s*\{\.(center|right|title|note)\}\s*$")
_REF = rx.compile(r"\[\[ref:([^\]|]*)(\|title)?\]\]")
_PLACEHOLDER = rx.compile(r"^\[\[(toc|attachments|signatures|definitions)\]\]$")
_SIGNATORY = rx.compile(r"^([^:：|]+?)\s*[:：]\s*([^|]*?)\s*(?:\|\s*([^|]*?)\s*)?(?:\|\s*([^|]*?)\s*)?$")
_TABLE_RULE = rx.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_VALID_LABEL = rx.compile(r"^[a-z0-9][a-z0-9-]*$")
_CJK_END = rx.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = rx.compile(r"^[\u3000-\u9fff\uff00-\uffef]")

PosFn = Callable[[int], SourcePos]


def parse_inlines(text: str, pos: SourcePos) -> list[Inline]:
    """Split text into strings and :class:`Ref` nodes for ``[[ref:label]]``."""
    out: list[Inline] = []
    last = 0
    for m in _REF.finditer(text):
        if m.start() > last:
            out.append(text[last:m.start()])
        out.append(Ref(m.group(1).strip(), pos, with_title=bool(m.group(2))))
        last = m.end()
    if last < len(text):
        out.append(text[last:])
    return out


_DEFERRED_GLUE = "\ue002"  # between a wrapped line and a data value: decided once it is filled in
_TOKEN = rx.compile("\ue000([0-9]+)\ue001")


def _join(lines: list[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space otherwise. Where a
    data value (a render.py token) meets the break, the choice waits for its text."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("\ue001") or line.startswith("\ue000"):
            glue = _DEFERRED_GLUE
        else:
            glue = "" if _CJK_END.search(text) and _CJK_START.search(line) else " "
        text += glue + line
    return text


def fill_values(text: str, values: list[str]) -> str:
    """Put the data values back into text the reader parsed with tokens in their place —
    as literal text: nothing in a value is read as fragment markup."""
    if "\ue000" not in text and _DEFERRED_GLUE not in text:
        return text
    text = _TOKEN.sub(lambda m: values[int(m[1])], text)
    if _DEFERRED_GLUE in text:
        pieces = text.split(_DEFERRED_GLUE)
        text = pieces[0]
        for piece in pieces[1:]:
            text += ("" if _CJK_END.search(text) and _CJK_START.search(piece) else " ") + piece
    return text


class _Reader:
    def __init__(self, pos: PosFn, origin: Origin):
        self.pos, self.origin = pos, origin
        self.blocks: list[Block] = []
        self.findings: list[Finding] = []
        self.suppressions: list[Suppression] = []
        self.level = 0  # level of the last clause heading, for list items
        self.para: list[str] = []
        self.para_line = 0
        self.item: Clause | None = None
        self.item_indents: list[int] = []  # the indent of each open list level: nested items
        self.definitions = False  # after [[definitions]]: list items are unnumbered definitions
        self.item_lines: list[str] = []
        self.table: list[str] = []
        self.table_line = 0
        self.signatures: SignatureBlock | None = None  # after [[signatures]]: its party lines

    def feed(self, lineno: int, raw: str) -> None:
        line = raw.rstrip()
        stripped = line.strip()
        names = Suppression.names_in(stripped) if stripped.startswith("<!--") else None
        if names is not None:  # a note for `check`, never text of the contract
            governed = self.pos(lineno + 1)
            self.suppressions.append(Suppression(governed.path, governed.line, names))
            return
        if stripped:
            self.findings += line_refusals(stripped, self.pos(lineno))
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        if indent and self.item_indents and _ITEM.match(stripped):
            self._item(lineno, stripped, indent)  # a nested item: one level below the item above
            return
        if self.item is not None and indent and stripped:
            self.item_lines.append(stripped)
            return
        if not stripped:
            self.flush()
            return
        if self.signatures is not None:
            self._signatory(lineno, stripped)
            return
        if stripped.startswith("|"):
            self.flush(keep_table=True)
            if not self.table:
                self.table_line = lineno
            self.table.append(stripped)
            return
        self.flush_table()
        for handler in (self._heading, self._item, self._placeholder):
            if handler(lineno, stripped):
                return
        if self.item is not None:
            self.item_lines.append(stripped)
            return
        if not self.para:
            self.para_line = lineno
            self.item_indents, self.definitions = [], False
            self._no_typed_number(stripped, lineno)
        self.para.append(stripped)

    def _heading(self, lineno: int, line: str) -> bool:
        m = _HEADING.match(line)
        if not m:
            return False
        self.flush()
        self.item_indents, self.definitions = [], False
        title, label = self._label(m.group(2), lineno)
        title = self._no_stray_label(title, self.pos(lineno))
        self._no_typed_number(title, lineno, heading=True)
        self.level = len(m.group(1))
        self._add(Clause(self.level, title=title, label=label), lineno)
        return True

    def _item(self, lineno: int, line: str, indent: int = 0) -> bool:
        """A list item: a numbered clause one level below the heading above it, and one more
        level for each list it is nested in ("  - " under "- ")."""
        m = _ITEM.match(line)
        if not m:
            return False
        self.flush()
        while self.item_indents and self.item_indents[-1] > indent:
            self.item_indents.pop()
        if not self.item_indents or self.item_indents[-1] < indent:
            self.item_indents.append(indent)
        self.item = Clause(self.level + len(self.item_indents))
        self.item_lines = [m.group(1)]
        self._no_typed_number(m.group(1), lineno)
        self.item.pos = self.pos(lineno)
        return True

    def _no_typed_number(self, text: str, lineno: int, heading: bool = False) -> None:
        """Report a number typed in front of a paragraph, an item or a title: the build computes them."""
        number = typed_number(text, heading)
        if number is not None:
            self.findings.append(typed_number_finding(number, self.pos(lineno), heading))

    def _definition(self, item: Clause, text: str) -> None:
        """A list item under ``[[definitions]]``: an unnumbered definition paragraph (the
        definitions pass puts a run of them in alphabetical order)."""
        if item.label:
            self.findings.append(Finding("bad-label", ERROR, f"label '{{#{item.label}}}' is on a definition, which has "
                                         "no number to cite", item.pos, suggestion="label the heading above the "
                                         "definitions instead"))
        para = Paragraph(self._inlines(text, item.pos), style="definition")
        para.pos, para.origin = item.pos, self.origin
        self.blocks.append(para)

    def _placeholder(self, lineno: int, line: str) -> bool:
        m = _PLACEHOLDER.match(line)
        if not m:
            return False
        self.flush()
        if m.group(1) == "definitions":
            self.definitions, self.item_indents = True, []
            return True
        kinds = {"toc": Toc, "attachments": AttachmentRegister, "signatures": SignatureBlock}
        self._add(kinds[m.group(1)](), lineno)
        if m.group(1) == "signatures":
            self.signatures = self.blocks[-1]
        return True

    def _signatory(self, lineno: int, line: str) -> None:
        """A party line under ``[[signatures]]``: ``role: name [| signatory [| date]]``."""
        m = _SIGNATORY.match(self._no_stray_label(line, self.pos(lineno)))
        if m is None:
            self.findings.append(Finding("bad-fragment", ERROR, f"'{line[:40]}' is not a party line of [[signatures]]",
                                         self.pos(lineno), suggestion="write 'role: party name', e.g. "
                                         "'甲方：{{ party_a.name }}', optionally '| signatory | date'"))
            return
        self.signatures.parties.append(Signatory(*(g or "" for g in m.groups())))

    def _label(self, text: str, lineno: int) -> tuple[str, str | None]:
        m = _LABEL.search(text)
        if not m:
            return text, None
        label = m.group(1)
        if not _VALID_LABEL.match(label):
            self.findings.append(Finding("bad-label", ERROR,
                                         f"label '{{#{label}}}' must be lower-case words joined by hyphens",
                                         self.pos(lineno)))
        return text[:m.start()], label

    def _no_stray_label(self, text: str, pos: SourcePos) -> str:
        """``text`` with a label that ends a line but not a heading or list item reported
        (a paragraph's last line, a wrapped item's first line): it would label nothing."""
        for m in _STRAY_LABEL.finditer(text):
            self.findings.append(Finding("bad-label", ERROR, f"label '{{#{m[1]}}}' labels nothing here: a label "
                                         "ends a heading or a list item", pos,
                                         suggestion="move it to the end of the heading or of the item's last "
                                                    "line; a note to yourself is {# … #}"))
        return text.replace(LABEL_MARK, "{")

    def _inlines(self, text: str, pos: SourcePos) -> list[Inline]:
        """Inlines of ``text``; a "[[" that is not a whole reference is reported, never printed."""
        inlines = parse_inlines(self._no_stray_label(text, pos), pos)
        for part in (n for n in inlines if isinstance(n, str) and "[[" in n):
            bad = part[part.index("[["):][:40]
            self.findings.append(Finding("bad-reference", ERROR, f"malformed reference '{bad}'", pos,
                                         suggestion="write [[ref:label]] or [[ref:label|title]]; "
                                                    "[[toc]] and [[attachments]] stand alone on a line"))
        return inlines

    def _add(self, block: Block, lineno: int) -> None:
        block.pos = self.pos(lineno)
        block.origin = self.origin
        self.blocks.append(block)

    def flush(self, keep_table: bool = False) -> None:
        if self.para:
            text = _join(self.para)
            m = _STYLE.search(text)
            style = m.group(1) if m else "body"
            text = text[:m.start()] if m else text
            pos = self.pos(self.para_line)
            self._add(Paragraph(self._inlines(text, pos), style=style), self.para_line)
            self.para = []
        if self.item is not None:
            item, self.item = self.item, None
            text, item.label = self._label(_join(self.item_lines), item.pos.line)
            if self.definitions:
                self._definition(item, text)
            else:
                item.text = self._inlines(text, item.pos)
                item.origin = self.origin
                self.blocks.append(item)
        self.signatures = None
        if not keep_table:
            self.flush_table()

    def flush_table(self) -> None:
        if not self.table:
            return
        rows = [r for r in self.table if not _TABLE_RULE.match(r)]
        header = len(self.table) > 1 and bool(_TABLE_RULE.match(self.table[1]))
        pos = self.pos(self.table_line)
        cells = [[self._inlines(c.strip(), pos) for c in _split_row(r)] for r in rows]
        self._add(Table(cells, header=header), self.table_line)
        self.table = []


_CELL_BAR = rx.compile(r"(?<!\\)\|")


def _split_row(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.replace("\\|", "|") for c in _CELL_BAR.split(row)]


def _copy_inlines(inlines: list[Inline], values: list[str]) -> list[Inline]:
    return [fill_values(n, values) if isinstance(n, str) else Ref(n.label, n.pos, with_title=n.with_title)
            for n in inlines]


def copy_blocks(blocks: list[Block], values: list[str] | None = None) -> list[Block]:
    """Fresh, unnumbered, unresolved copies of blocks this reader made (passes fill them
    in), with the rendered fragment's data ``values`` in place of their tokens."""
    values = values or []
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Clause):
            new = Clause(b.level, title=fill_values(b.title, values), text=_copy_inlines(b.text, values),
                         label=b.label)
        elif isinstance(b, Paragraph):
            new = Paragraph(_copy_inlines(b.text, values), style=b.style)
        elif isinstance(b, Table):
            new = Table([[_copy_inlines(c, values) for c in row] for row in b.rows], header=b.header)
        elif isinstance(b, SignatureBlock):
            new = SignatureBlock([Signatory(*(fill_values(v, values) for v in (p.role, p.name, p.signatory, p.date)))
                                  for p in b.parties])
        else:
            new = type(b)()  # Toc, AttachmentRegister: filled by their passes
        new.pos, new.origin = b.pos, b.origin
        out.append(new)
    return out


@dataclass(slots=True)
class FragmentRead:
    """What the reader made of one rendered fragment."""

    blocks: list[Block]
    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)


def read_fragment(text: str, pos: PosFn, origin: Origin) -> FragmentRead:
    """Blocks of one rendered fragment; ``pos(n)`` maps body line n to a file position.
    A line that is only ``<!-- contractgen: ignore[…] -->`` becomes a :class:`Suppression`
    for the next line and is left out of the contract."""
    reader = _Reader(pos, origin)
    lineno = 1
    for line in text.splitlines():
        if LINE_MARK not in line:
            reader.feed(lineno, line)
            lineno += 1
            continue
        # marks before the text: lines the text comes after; marks in or after it: lines
        # the text after this line comes after
        leading = len(line) - len(line.lstrip(LINE_MARK))
        reader.feed(lineno + leading, line.replace(LINE_MARK, ""))
        lineno += 1 + line.count(LINE_MARK)
    reader.flush()
    return FragmentRead(reader.blocks, reader.findings, reader.suppressions)
