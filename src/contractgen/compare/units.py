"""The units two versions of a contract are compared by.

A document becomes one flat list of :class:`Unit` in reading order: each part gives a unit
for its heading and the text before its first clause (level 0), and every clause gives a
unit for its heading line and the unnumbered blocks that follow it. A unit keeps its number
apart from its text, so that renumbering can be told from editing. Tables of contents and
attachment registers are left out: they repeat the headings, which are compared anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Block, Clause, Document, Paragraph, Part, SignatureBlock, Table, join_number, plain_text
from .. import rx


@dataclass(slots=True, eq=False)
class Unit:
    """One comparable piece: a part heading (level 0) or a clause, with its text.

    ``head`` is the heading line without its number (title and run-on text); ``paras`` are
    the paragraphs after it. ``index`` is its place in the document's unit list."""

    index: int
    level: int
    part: Part
    number_text: str
    number: tuple[int, ...] | None
    title: str
    head: str
    paras: list[str]
    label: str | None = None
    parent: "Unit | None" = field(default=None, repr=False)
    clause: Clause | None = field(default=None, repr=False)
    signatures: bool = False  # the signature page of its part

    @property
    def part_kind(self) -> str:
        kind = "main" if self.part.kind == "body" else self.part.kind
        return f"{kind}-signatures" if self.signatures else kind

    @property
    def heading(self) -> str:
        """The heading line as the document shows it: "第六条 争议解决"."""
        return join_number(self.number_text, self.head)

    def lines(self, number_text: str | None = None) -> list[str]:
        """Every paragraph of the unit, its heading numbered ``number_text`` (default its own)."""
        shown = self.number_text if number_text is None else number_text
        head = join_number(shown, self.head)
        return ([head] if head else []) + self.paras

    @property
    def body(self) -> str:
        return "\n".join([self.head, *self.paras])


def block_lines(block: Block, scheme: str = "zh") -> list[str]:
    """The paragraphs an unnumbered block reads as: a table one line per cell (readers of
    Markdown and Word files cut rows differently, cells alike); a signature block as the
    writers word it."""
    if isinstance(block, Paragraph):
        text = plain_text(block.text)
        return [text] if text.strip() else []
    if isinstance(block, Table):
        cells = (plain_text(cell).strip() for row in block.rows for cell in row)
        return [c for c in cells if c]
    if isinstance(block, SignatureBlock):
        return signature_lines(block, scheme)
    return []  # a TOC or register repeats the headings; other blocks carry no text


def signature_lines(block: SignatureBlock, scheme: str) -> list[str]:
    from ..numbering import get_scheme

    form = get_scheme(scheme).signatures
    if form is None:
        return [f"{p.role} {p.name}".strip() for p in block.parties]
    lines = [form.lead]
    for p in block.parties:
        lines += [form.line_text(label, value) for label, value, _ in form.party_lines(p.role, p.name, p.signatory, p.date)]
    return lines


def clause_head(clause: Clause) -> str:
    text = plain_text(clause.text)
    if clause.title and text:
        return f"{clause.title} {text}"
    return clause.title or text


def document_units(doc: Document) -> list[Unit]:
    """The document's units in reading order, each clause's ``parent`` the unit above it."""
    units: list[Unit] = []
    for part in doc.parts:
        current = Unit(len(units), 0, part, part.number_text, (part.number,) if part.number else None,
                       part.title, part.title, [], label=part.label)
        units.append(current)
        stack: list[Unit] = [current]
        for block in part.blocks:
            if _starts_signatures(block):
                current = Unit(len(units), 0, part, "", None, "", "", [], label=None)
                current.signatures = True
                units.append(current)
                stack = [current]
            if isinstance(block, Clause):
                while len(stack) > 1 and stack[-1].level >= block.level:
                    stack.pop()
                current = Unit(len(units), block.level, part, block.number_text, block.number, block.title,
                               clause_head(block), [], label=block.label, parent=stack[-1], clause=block)
                units.append(current)
                stack.append(current)
            else:
                current.paras.extend(block_lines(block, part.scheme))
    kept = [u for u in units if u.level or u.head or u.paras or u.number_text]
    for i, unit in enumerate(kept):
        unit.index = i
    return kept


def _leads() -> frozenset[str]:
    from ..numbering import SCHEMES

    return frozenset(normalise(s.signatures.lead) for s in SCHEMES.values() if s.signatures)


def _starts_signatures(block: Block) -> bool:
    """The signature page's lead line ("（以下无正文）", "[Signature page follows]") starts a
    unit of its own, so the parties' lines do not belong to whichever clause is last."""
    if isinstance(block, SignatureBlock):
        return True
    return isinstance(block, Paragraph) and normalise(plain_text(block.text)) in _leads()


_SPACE = rx.compile(r"\s+")


def normalise(text: str) -> str:
    """Text for matching: whitespace and quote styles do not count."""
    return _SPACE.sub("", text).translate(_QUOTES)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def document_lines(doc: Document) -> list[str]:
    """The document as the comparison reads it, one string per paragraph."""
    return [line for unit in document_units(doc) for line in unit.lines()]
