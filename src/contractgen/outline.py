"""The outline of a contract: each clause's style, own counter and parent.

Readers and the numbering pass both end here, so the numbering rules run on one outline
whatever the document came from:

- :class:`Outliner` places the clauses a reader recognised, one part at a time. A style
  seen for the first time under the current chain is a level below the latest clause; a
  style already open in the chain is a sibling of that clause, and closes everything below
  it. So the level a style takes is the document's own (一、 above 第X条 in one contract,
  below it in another), and numbering restarts under every parent.
- :func:`link_by_level` derives the same fields from ``Clause.level`` for generated
  documents, whose levels are known.

A clause's ``style`` is its numbering style plus how the source marks its level:
``"arabic-dot/h3"`` is "1." in a level-3 heading, ``"arabic-dot/l1"`` a Markdown or Word
list item at depth 1 (items of an outermost list read like typed lines and are not marked), ``".../auto"`` a number Word's automatic numbering displays. Siblings
are clauses with one parent and one style.
"""

from __future__ import annotations

from typing import Iterable

from .model import Clause

#: Styles cited by their number ("第五条", "Article 5", "Section 3.2", "3.2"): their
#: ``Clause.number`` is kept for references and the TOC.
CITED_STYLES = ("zh-article", "en-article", "en-section", "en-clause")


#: Styles whose words state their level (第X章, 第X条, Article N, 3.2): a defect in them is
#: certain. The level of any other style (一、, （一）, 1., a)) is inferred from the document.
EXPLICIT_STYLES = CITED_STYLES + ("zh-chapter", "zh-section")


def base_style(style: str) -> str:
    """"arabic-dot" for "arabic-dot/h3/l1"."""
    return style.split("/", 1)[0]


def is_cited_style(style: str) -> bool:
    """A style whose numbers the text cites: articles, sections and dotted numbers."""
    base = base_style(style)
    return base in CITED_STYLES or base.startswith("dotted")


def is_explicit_style(style: str) -> bool:
    """A style whose level the number itself states: chapters, articles, sections, 3.2."""
    return is_cited_style(style) or base_style(style) in EXPLICIT_STYLES


def is_rendered(style: str) -> bool:
    """Numbers a program displays (Word auto-numbering): no typed-number defect is possible."""
    return style.endswith("/auto")


def sibling_key(style: str) -> str:
    """What siblings share: the style without the auto mark (Word may number some items of a
    list and leave others typed, as it displays them alike)."""
    return style.removesuffix("/auto")


def marked_style(base: str, heading_level: int | None, list_level: int | None, auto: bool) -> str:
    """The style key of a line: its base style and the marks of its level in the source."""
    style = base
    if heading_level is not None and not (auto and list_level is not None):
        style += f"/h{heading_level}"  # a Word list level, where Word numbers the line, is what it shows
    if list_level:  # the outermost list reads like typed "1." lines: only nested items are marked
        style += f"/l{list_level}"
    return style + ("/auto" if auto else "")


class Outliner:
    """Places clauses of one part in the outline, in document order, in O(depth) each."""

    def __init__(self) -> None:
        self._open: list[Clause] = []   # the chain of open clauses, outermost first
        self._below: dict[str, set[str]] = {}  # styles seen nested under each style

    @property
    def is_open(self) -> bool:
        """True once a clause has been placed: numbered lines after it belong to the outline."""
        return bool(self._open)

    def parent_for(self, style: str) -> Clause | None:
        """The parent a clause of ``style`` would get, without placing it."""
        end = self._close_from(style)
        return self._open[end - 1] if end else None

    def sibling_style(self, style: str) -> str:
        """A plain line of a style the chain uses in headings or lists is their sibling
        ("**8. Fees**" between "## 7." and "## 9."): it takes their style."""
        if self._find(style) is not None or "/" in style:
            return style
        for clause in reversed(self._open):
            if base_style(clause.style) == style and not is_rendered(clause.style):
                return clause.style
        return style

    def place(self, clause: Clause) -> None:
        """Set ``clause.parent`` (and ``level`` where no number gives it), and open it."""
        del self._open[self._close_from(clause.style):]
        clause.parent = self._open[-1] if self._open else None
        if clause.number is None:
            clause.level = clause.parent.level + 1 if clause.parent else 1
        for ancestor in self._open:
            self._below.setdefault(sibling_key(ancestor.style), set()).add(sibling_key(clause.style))
        self._open.append(clause)

    def _close_from(self, style: str) -> int:
        """Where the chain closes for a clause of ``style``: at its sibling if one is open,
        else above every open clause of a style the document has already put below it
        (第四条 after 第三条 › 一、 › 1. closes 1.)."""
        i = self._find(style)
        if i is not None:
            return i
        key = sibling_key(style)
        below, end = self._below.get(key, ()), len(self._open)
        while end:
            top = sibling_key(self._open[end - 1].style)
            if top not in below or key in self._below.get(top, ()):
                break
            end -= 1
        return end

    def _find(self, style: str) -> int | None:
        key = sibling_key(style)
        for i in range(len(self._open) - 1, -1, -1):
            if sibling_key(self._open[i].style) == key:
                return i
        return None


def link_by_level(clauses: Iterable[Clause], style_of) -> None:
    """Parents, styles and ordinals of generated clauses, from their levels and numbers."""
    chain: list[Clause] = []
    for clause in clauses:
        del chain[clause.level - 1:]
        clause.parent = chain[-1] if chain else None
        clause.style = style_of(clause)
        clause.ordinal = clause.number[-1] if clause.number else None
        chain.append(clause)


def format_outline(parts) -> str:
    """The outline as text, one clause a line: line, indented number, style, parent's line
    and title — for reviewing what a reader recognised (``tests/data/check/outline``)."""
    out = []
    for part in parts:
        out.append(f"{part.kind} {part.heading_text}".rstrip())
        for clause in part.clauses():
            line = clause.pos.line if clause.pos else 0
            parent = clause.parent.pos.line if clause.parent and clause.parent.pos else "-"
            depth = 0
            ancestor = clause.parent
            while ancestor is not None:
                depth, ancestor = depth + 1, ancestor.parent
            out.append(f"{line:5} {'  ' * depth}{clause.number_text} [{clause.style}] ^{parent} {clause.title}".rstrip())
    return "\n".join(out) + "\n"
