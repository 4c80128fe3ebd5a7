"""Word list definitions (``word/numbering.xml``) for a document's parts, and which
paragraph styles carry them.

Each numbered part gets one multilevel list of its own, so numbering restarts in every part
without relying on ``startOverride`` (whose support varies between Word, LibreOffice and
WPS). Level 0 is the scheme's article ("第%1条" in ``chineseCountingThousand``, "Article %1");
the deeper levels are legal-style (``w:isLgl``) "%1.%2" and "%1.%2.%3", which print every
counter in decimal: 第一条, 1.1, 1.1.1, 1.2, 第二条, 2.1. Word, WPS and LibreOffice ≥ 24.2
draw that; LibreOffice before 24.2 ignores ``isLgl`` and shows "一.1". Attachment headings
(附件一, Schedule 1) are one more list, and each attachment's items one list each.

The numbering is attached through the paragraph styles: the first part that numbers a style
(the main contract, for the heading styles) puts its ``numId`` and level in the style's
``w:numPr``, and those paragraphs carry only the style — so a heading copied, moved or newly
typed in that style in Word numbers itself. Paragraphs of a style in another part (an
addendum, a later attachment) carry their own ``w:numPr``, which wins over the style's.

A bilingual contract (中英文对照) has lists for each language's parts: the Chinese text's
(第%1条, 附件%1), then the English text's ("Article %1", "Schedule %1"), whatever the
layout; the styles carry the first language's lists, so every English clause and
attachment heading carries its own ``w:numPr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from ...model import Document, Part
from ...numbering import Scheme, get_scheme
from ...numbering.base import OWN_COUNTERS
from ...wordml import W_NS, Level, suffix_for
from .styles import ATTACHMENT_HEADING_STYLE, CLAUSE_HEADING_STYLES, clause_style
from .xml import XML_DECL

DECIMAL = "decimal"


def word_level(num_fmt: str, text: str, legal: bool = False) -> Level:
    return Level(num_fmt, text, start=1, suffix=suffix_for(text), legal=legal)


def level_from_format(pattern: str, ilvl: int, count_fmt: str) -> Level:
    """Translate a scheme pattern ("第{n}条", "{path}", "{d}.", "({a})", "Section {path}") to a
    Word level; a dotted path below level 0 is legal-style, so its parents' counters print
    in decimal too."""
    if "{path}" in pattern:
        path = ".".join(f"%{i + 1}" for i in range(ilvl + 1))
        return word_level(DECIMAL, pattern.replace("{path}", path), legal=ilvl > 0)
    for key, num_fmt in OWN_COUNTERS.items():
        if "{" + key + "}" in pattern:
            return word_level(num_fmt, pattern.replace("{" + key + "}", f"%{ilvl + 1}"))
    return word_level(count_fmt, pattern.replace("{n}", f"%{ilvl + 1}"))


Indents = tuple[tuple[int, int], ...]  # (left, hanging) in twips, per level


@lru_cache(maxsize=16)
def body_levels(scheme: Scheme) -> tuple[Level, ...]:
    """The one list of a main part or addendum: articles, then legal-style sub-levels."""
    article = word_level(scheme.word_num_fmt, scheme.word_article_text)
    rest = [level_from_format(p, i, scheme.word_num_fmt)
            for i, p in enumerate(scheme.clause_formats) if i > 0]
    return _hanging([article, *rest], _indents(scheme, "clause_indents"))


@lru_cache(maxsize=16)
def attachment_levels(scheme: Scheme) -> tuple[Level, ...]:
    levels = [level_from_format(p, i, scheme.word_num_fmt)
              for i, p in enumerate(scheme.attachment_clause_formats)]
    return _hanging(levels, _indents(scheme, "attachment_indents"))


def _indents(scheme: Scheme, name: str) -> Indents:
    return getattr(scheme.typography, name, ()) if scheme.typography else ()


def _hanging(levels: list[Level], indents: Indents) -> tuple[Level, ...]:
    """A level with a hanging indent ends its label with a tab to the text's indent, so the
    first line's text and its wrapped lines start at the same place."""
    return tuple(replace(level, suffix="tab") if i < len(indents) and indents[i][1] else level
                 for i, level in enumerate(levels))


def level_indent_xml(indent: tuple[int, int]) -> str:
    """The ``w:pPr`` of a list level: a tab stop at the text and the hanging indent."""
    left, hanging = indent
    if not hanging:
        return ""
    return (f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
            f'<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>')


@dataclass(slots=True)
class PartLists:
    """Which ``numId`` the clauses of one part use."""

    num_id: int
    heading_num: int | None = None  # the attachment heading list ("附件%1")

    def clause_numpr(self, level: int) -> tuple[int, int]:
        """(numId, ilvl) for a clause of ``level`` (1 = article)."""
        return self.num_id, level - 1


@dataclass(slots=True)
class NumberingPlan:
    """The lists of a document and the styles that carry them; writes ``numbering.xml``."""

    abstracts: list[tuple[tuple[Level, ...], Indents]] = field(default_factory=list)
    parts: dict[int, PartLists] = field(default_factory=dict)
    style_numbering: dict[str, tuple[int, int]] = field(default_factory=dict)  # style id -> (numId, ilvl)
    _heading_nums: dict[str, int] = field(default_factory=dict)  # scheme -> its attachment heading list
    _xml: str | None = None  # numbering.xml, once the plan is complete
    narrow: bool = False  # the lists number text in half the page's width (a side-by-side column)

    def _fit(self, indents: Indents) -> Indents:
        """In a narrow column, each level's label starts half as far in; the room for the
        label (the hanging indent) stays."""
        if not self.narrow:
            return indents
        return tuple((hanging + (left - hanging) // 2, hanging) for left, hanging in indents)

    def _add(self, levels: tuple[Level, ...], indents: Indents = ()) -> int:
        """Add an abstract list and its one ``w:num``; return the numId (1-based)."""
        self._xml = None
        self.abstracts.append((levels, indents))
        return len(self.abstracts)

    def lists_for(self, part: Part) -> PartLists:
        return self.parts[id(part)]

    def add_part(self, part: Part) -> None:
        scheme = get_scheme(part.scheme)
        if part.kind == "attachment":
            # one heading list per language (附件一, 附件二 …; Schedule 1, Schedule 2 …); the
            # style carries the first one, the others' headings carry their own numPr
            heading = self._heading_nums.get(part.scheme)
            if heading is None:
                heading = self._heading_nums[part.scheme] = self._add(
                    (word_level(scheme.word_num_fmt, scheme.word_attachment_text),))
                self.style_numbering.setdefault(ATTACHMENT_HEADING_STYLE, (heading, 0))
            lists = PartLists(self._add(attachment_levels(scheme), self._fit(_indents(scheme, "attachment_indents"))),
                              heading_num=heading)
        else:
            lists = PartLists(self._add(body_levels(scheme), self._fit(_indents(scheme, "clause_indents"))))
        self.parts[id(part)] = lists
        for clause in part.clauses():
            self.style_numbering.setdefault(clause_style(part.kind, clause), lists.clause_numpr(clause.level))

    def direct_numpr(self, style: str, num: tuple[int, int]) -> tuple[int, int] | None:
        """The ``w:numPr`` a paragraph of ``style`` needs: none when its style carries ``num``
        and is a heading style. LibreOffice 25.2 does not number a paragraph of another
        style (our "Clause" at level 2) through its style alone, so those carry their own
        numPr as well; the style still numbers a paragraph a Word user types in it."""
        if style in CLAUSE_HEADING_STYLES.values() and self.style_numbering.get(style) == num:
            return None
        return num

    def styles_numbering(self) -> tuple[tuple[str, int, int], ...]:
        """(style id, numId, ilvl) for styles.xml, in a stable order."""
        return tuple(sorted((style, num, ilvl) for style, (num, ilvl) in self.style_numbering.items()))

    def xml(self) -> str:
        if self._xml is None:
            self._xml = self._write()
        return self._xml

    def _write(self) -> str:
        abstracts = "".join(_abstract_xml(i, levels, indents) for i, (levels, indents) in enumerate(self.abstracts))
        nums = "".join(
            f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>'
            for i in range(len(self.abstracts)))
        return f'{XML_DECL}<w:numbering xmlns:w="{W_NS}">{abstracts}{nums}</w:numbering>'


def plan_numbering(doc: Document) -> NumberingPlan:
    """The document's lists; one plan for all the rows of a batch's clause set, whose
    numbering does not depend on the row's values (``Document.fixed_blocks``)."""
    if doc.fixed_blocks is None:
        return _plan(doc)
    plan = doc.fixed_memo.get("docx-numbering")
    if plan is None:
        plan = doc.fixed_memo["docx-numbering"] = _plan(doc)
    return plan


def numbered_parts(doc: Document) -> list[Part]:
    """The parts that own lists: the document's own, or for a bilingual contract set out
    side by side or interleaved, each language's text's parts in turn (a frame part's
    Parallel units number each column's clauses by its own part's list)."""
    if doc.texts and any(part.columns for part in doc.parts):
        return [part for lang in doc.languages for part in doc.texts[lang].parts]
    return doc.parts


def _plan(doc: Document) -> NumberingPlan:
    plan = NumberingPlan(narrow=doc.layout == "side-by-side" and bool(doc.texts))
    for part in numbered_parts(doc):
        if part.kind == "attachment" or any(True for _ in part.clauses()):
            plan.add_part(part)
    return plan


def _abstract_xml(index: int, levels: tuple[Level, ...], indents: Indents = ()) -> str:
    kind = "singleLevel" if len(levels) == 1 else "multilevel"
    body = "".join(_level_xml(level, i, indents[i] if i < len(indents) else (0, 0))
                   for i, level in enumerate(levels))
    return (f'<w:abstractNum w:abstractNumId="{index}">'
            f'<w:nsid w:val="{0x43470000 + index:08X}"/>'
            f'<w:multiLevelType w:val="{kind}"/>{body}</w:abstractNum>')



@lru_cache(maxsize=256)
def _level_xml(level: Level, ilvl: int, indent: tuple[int, int]) -> str:
    """``w:lvl`` with its indent: ``w:pPr`` is its last child but ``w:rPr``, which it has none of."""
    xml = level.xml(ilvl)
    ppr = level_indent_xml(indent)
    return xml[:-len("</w:lvl>")] + ppr + "</w:lvl>" if ppr else xml
