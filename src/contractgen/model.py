"""The one document model shared by readers, passes, writers and checks.

A contract is a :class:`Document` made of :class:`Part` objects (cover, main contract,
addenda, attachments, signature page). A part holds a flat list of blocks; the hierarchy
of articles (level 1), sections (level 2, "1.1") and sub-clauses (level 3, "1.1.1") is
carried by :attr:`Clause.level`, the way Word keeps outline levels on paragraphs.

Inline text is a list of ``str`` and :class:`Ref` nodes. A ``Ref`` stays unresolved
(``target is None``) until the references pass fills in ``target`` and ``parts``; nothing
formats a number before the numbering pass has run (Sphinx's ``pending_xref``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Union

from . import rx

if TYPE_CHECKING:  # annotations only: a batch never reads a Word file's views (start-up)
    from .views import DocxView, SetMembership


@dataclass(slots=True, frozen=True)
class SourcePos:
    """Where something came from: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(slots=True, frozen=True)
class Origin:
    """The clause fragment a block was rendered from (None for generated text)."""

    clause_id: str
    version: str


# The roles of a reference's parts: where it points (scope), the words that cite a number
# ("第", "条", "Section "), the number as its target shows it, and the target's title.
SCOPE, CITE, NUMBER, TITLE = "scope", "cite", "number", "title"


@dataclass(slots=True, frozen=True)
class RefPart:
    """One piece of a resolved reference's display text, e.g. ``RefPart(NUMBER, "第七条")``.

    A number part names the clause or part whose number it shows (``target``): the cited
    clause, an ancestor ("1.1" of "Clause 1.1(a)") or an attachment ("Schedule 1" of
    "paragraph 3 of Schedule 1"). ``own`` marks a number showing only its own level ("(a)";
    "3" of "3."), ``digits`` one shown without its words ("4" of "Clause 4" in "Clauses 4
    and 6") — what Word's REF field computes with ``\\n`` and ``\\t``."""

    role: str
    text: str
    target: object = field(default=None, compare=False, repr=False)
    own: bool = False
    digits: bool = False


@dataclass(slots=True)
class Ref:
    """A cross-reference by label, e.g. ``[[ref:dispute-resolution]]``.

    ``target`` is the referenced :class:`Clause` or :class:`Part`; ``parts`` is its display
    text in order, set by the references pass: "本合同第7.1条（服务范围）" is scope "本合同",
    cite "第", number "7.1", cite "条", title "（服务范围）"; "Section 6.1 of the Agreement" is
    number "Section 6.1", scope " of the Agreement". The number part is exactly the
    target's ``number_text`` — what a DOCX writer turns into a REF field.
    ``with_title`` asks for the target's title after the number (``[[ref:x|title]]``).
    """

    label: str
    pos: SourcePos | None = None
    with_title: bool = False
    target: Clause | Part | None = None
    parts: tuple[RefPart, ...] = ()
    targets: tuple = ()  # every target, in document order ([[ref:a,b]]); target is the first

    def links(self) -> list[tuple[RefPart, object]]:
        """Each part with the target it links to: a number showing one of the reference's
        targets links to it ("Clauses [4], [6] and [10]"), any other part to nothing."""
        return [(p, p.target if p.role == NUMBER and any(p.target is t for t in self.targets) else None)
                for p in self.parts]

    @property
    def labels(self) -> list[str]:
        """The labels cited: "a" for [[ref:a]], ["a", "b"] for [[ref:a, b]]."""
        return [label.strip() for label in self.label.split(",")]

    @property
    def text(self) -> str:
        """The full display text: "本合同第六条", "Article 6 of the Agreement"."""
        return "".join(p.text for p in self.parts)

    @property
    def cite(self) -> str:
        """The citation without scope and title: "第六条", "第7.1条", "Section 6.1"."""
        return "".join(p.text for p in self.parts if p.role in (CITE, NUMBER))

    @property
    def number(self) -> str:
        """The target's number as the target shows it ("" if unresolved)."""
        return next((p.text for p in self.parts if p.role == NUMBER), "")


Inline = Union[str, Ref]


def join_number(number_text: str, text: str) -> str:
    """A number followed by text: "第六条 争议解决", "一、服务范围", "(a) Fees" (no space after
    、 or ）, nor after ")" before Chinese text)."""
    if not number_text or not text:
        return number_text or text
    tight = number_text[-1] in "、）．" or number_text[-1] == ")" and "\u3000" <= text[0] <= "\u9fff"
    sep = "" if tight else " "  # "(a) Fees", but "1)服务"
    return f"{number_text}{sep}{text}"


def plain_text(inlines: list[Inline]) -> str:
    """The text a reader sees: strings as they are, references by their display text."""
    return "".join(i if isinstance(i, str) else (i.text or f"[[ref:{i.label}]]") for i in inlines)


@dataclass(slots=True)
class Block:
    pos: SourcePos | None = field(default=None, kw_only=True)
    origin: Origin | None = field(default=None, kw_only=True)


@dataclass(slots=True)
class Clause(Block):
    """A numbered unit: article (level 1), section (2), sub-clause (3).

    A clause with a ``title`` is a heading ("第六条 争议解决", "1.1 服务范围"); one without
    a title is a numbered paragraph whose ``text`` follows its number ("1.1.1 服务提供商应……").
    A titled clause may also carry ``text`` that runs on after the title.

    For generated documents ``number`` and ``number_text`` are set by the numbering
    pass. For legacy documents a reader sets ``number_text`` to the number as typed or as
    Word shows it ("第八条", "3.2") and ``number`` to its parsed value.

    The outline (:mod:`contractgen.outline`) sets ``style``, ``ordinal`` and ``parent``:
    siblings are clauses with the same parent and style, and each sequence restarts under
    its parent. A clause of a style that is not cited by number (一、, （一）, A.) has
    ``number`` None and only an ``ordinal``.

    ``anchor``, ``ref_bookmark`` and ``toc_bookmark`` are set by the ids pass: the
    Markdown/HTML id of its heading, and the DOCX ``_Ref…``/``_Toc…`` bookmark names
    ("" where it is neither referenced nor listed in a table of contents).
    """

    level: int
    title: str = ""
    text: list[Inline] = field(default_factory=list)
    label: str | None = None
    number: tuple[int, ...] | None = None
    number_text: str = ""
    anchor: str = ""
    ref_bookmark: str = ""
    toc_bookmark: str = ""
    style: str = ""                # numbering style in the outline: "zh-article", "dotted2", "list1" …
    ordinal: int | None = None     # the clause's own counter in its sequence (5 for 第五条 and 3.5)
    parent: Clause | None = field(default=None, repr=False, compare=False)  # enclosing clause, or None

    @property
    def heading_text(self) -> str:
        """Number and title as a heading shows them: "第六条 争议解决"."""
        return join_number(self.number_text, self.title)


@dataclass(slots=True)
class Paragraph(Block):
    """Unnumbered text. ``style`` is a hint for writers: body, title, center, right, note."""

    text: list[Inline]
    style: str = "body"


@dataclass(slots=True)
class Table(Block):
    """A table; each cell is a list of inlines. ``header`` marks the first row as a header.
    ``row_pos`` is where each row is (a table read from a file reports a cell at its own
    line); empty when the rows have no positions of their own."""

    rows: list[list[list[Inline]]]
    header: bool = True
    row_pos: list[SourcePos] = field(default_factory=list)

    def pos_of_row(self, index: int) -> SourcePos | None:
        return self.row_pos[index] if index < len(self.row_pos) else self.pos


@dataclass(slots=True)
class TocEntry:
    level: int
    number_text: str
    title: str
    target: Clause | Part | None = None
    pos: SourcePos | None = None


@dataclass(slots=True)
class Toc(Block):
    """A table of contents. The toc pass fills ``entries`` in generated documents;
    readers of legacy documents fill them from the typed list."""

    title: str = ""
    entries: list[TocEntry] = field(default_factory=list)


@dataclass(slots=True)
class RegisterEntry:
    number_text: str
    title: str
    target: Part | None = None
    pos: SourcePos | None = None


@dataclass(slots=True)
class AttachmentRegister(Block):
    """The list of attachments ("附件清单" / "Schedules"), filled by the attachments pass."""

    title: str = ""
    entries: list[RegisterEntry] = field(default_factory=list)


@dataclass(slots=True)
class Signatory:
    """One party's place on the signature page: its role ("甲方", "Customer") and name, and
    the signatory and date where the data gives them ("" leaves that line blank to fill in)."""

    role: str
    name: str
    signatory: str = ""
    date: str = ""


@dataclass(slots=True)
class SignatureBlock(Block):
    """The signature page element (``[[signatures]]`` in a fragment): a lead line
    ("（以下无正文）", "[Signature page follows]") and one block per party, worded by the
    part's numbering scheme (:class:`contractgen.numbering.base.SignatureForm`)."""

    parties: list[Signatory] = field(default_factory=list)


@dataclass(slots=True)
class Column:
    """One language's share of a :class:`Parallel` unit: its blocks, and the part of that
    language's own document they belong to (its scheme, numbering list and bookmarks)."""

    lang: str
    part: "Part"
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Parallel(Block):
    """One unit of a bilingual contract (中英文对照) in each of its languages, in the
    order of ``Document.languages``: a clause with the paragraphs that follow it, or
    the text before a part's first clause. A side-by-side layout writes the columns
    next to each other (a two-column table row), an interleaved one each after the
    other. The blocks are those of each language's own document
    (``Document.texts``), numbered and resolved there."""

    columns: list[Column] = field(default_factory=list)


@dataclass(slots=True)
class Part:
    """A contract part.

    kind: "cover", "main", "addendum", "attachment" (or "body" for a legacy
    document read as a single part). Clause numbering restarts in every part.
    ``cite_as`` is how other parts cite this one ("本合同", "the Agreement"). An
    attachment's ``number``/``number_text`` ("附件三", "Schedule 3") are set by the
    numbering pass; ``label`` makes the part referable. ``anchor`` and the bookmark names
    are set by the ids pass, as on :class:`Clause`.
    """

    kind: str
    id: str
    title: str = ""
    scheme: str = "zh"
    cite_as: str = ""
    label: str | None = None
    blocks: list[Block] = field(default_factory=list)
    number: int | None = None
    number_text: str = ""
    pos: SourcePos | None = None
    anchor: str = ""
    ref_bookmark: str = ""
    toc_bookmark: str = ""
    # A bilingual contract laid out side by side or interleaved: the part of each
    # language's document this part sets out together (their headings; its blocks are
    # Parallel units). Empty for any other part.
    columns: list["Part"] = field(default_factory=list)

    @property
    def heading_text(self) -> str:
        return join_number(self.number_text, self.title)

    def clauses(self) -> Iterator[Clause]:
        return (b for b in self.blocks if isinstance(b, Clause))


@dataclass(slots=True, frozen=True)
class Suppression:
    """``<!-- contractgen: ignore[code, family] -->``: the named rules are switched off for
    the line after the comment. ``names`` are checked against the rule list when the
    findings are chosen, and an unknown name is reported at ``comment_line``."""

    path: str
    line: int  # the line the comment governs
    names: tuple[str, ...]

    @property
    def comment_line(self) -> int:
        return self.line - 1

    @staticmethod
    def names_in(line: str) -> tuple[str, ...] | None:
        """The rule names of a line that is only a suppression comment, else None."""
        m = _SUPPRESS_COMMENT.match(line)
        return None if m is None else tuple(n.strip() for n in m[1].split(",") if n.strip())


_SUPPRESS_COMMENT = rx.compile(r"^\s*<!--\s*contractgen:\s*ignore\[([^\]]*)\]\s*-->\s*$")


@dataclass(slots=True)
class Document:
    """A whole contract. ``meta`` holds template name/version, contract number, data;
    ``suppressions`` the inline rule suppressions of its source files."""

    title: str
    lang: str = "zh"
    parts: list[Part] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    source: str = ""
    suppressions: list[Suppression] = field(default_factory=list)
    docx: list[DocxView] = field(default_factory=list)  # one per Word file read; empty otherwise
    set_files: SetMembership | None = None  # the files, when read as a contract set
    # A clause set's structure that a batch fills with each row's values in place
    # (incremental.build_cached): the ids of its parts and blocks that hold no value, and a
    # memo in which checks and writers keep what they made of those for the next row.
    # None (and unused) otherwise.
    fixed_blocks: frozenset[int] | None = field(default=None, repr=False, compare=False)
    fixed_memo: dict = field(default_factory=dict, repr=False, compare=False)
    # A bilingual contract (contractgen.bilingual): its languages, the first the
    # template's ``lang``; the layout (side-by-side, interleaved, sequential); the language
    # that prevails; and each language's own document, built and checked on its own.
    # The parts of this document set them out: a sequential layout lists every part of
    # each text in turn, the others pair the parts (Part.columns) and their units
    # (Parallel blocks).
    languages: tuple[str, ...] = ()
    layout: str = ""
    governing: str = ""
    texts: dict[str, "Document"] = field(default_factory=dict, repr=False, compare=False)

    def blocks(self) -> Iterator[tuple[Part, Block]]:
        for part in self.parts:
            for block in part.blocks:
                yield part, block

    def clauses(self) -> Iterator[tuple[Part, Clause]]:
        for part in self.parts:
            for clause in part.clauses():
                yield part, clause

    def refs(self) -> Iterator[Ref]:
        """Every reference node, in document order."""
        for _, block in self.blocks():
            for inlines in inline_lists(block):
                for node in inlines:
                    if isinstance(node, Ref):
                        yield node


def clause_units(part: Part) -> list[list[Block]]:
    """A part's blocks as units: the blocks before its first clause (maybe none), then each
    clause with the blocks up to the next clause — what a bilingual contract pairs with its
    translation."""
    units: list[list[Block]] = [[]]
    for block in part.blocks:
        if isinstance(block, Clause):
            units.append([block])
        else:
            units[-1].append(block)
    return units


def inline_lists(block: Block) -> Iterator[list[Inline]]:
    if isinstance(block, (Clause, Paragraph)):
        yield block.text
    elif isinstance(block, Table):
        for row in block.rows:
            yield from row
