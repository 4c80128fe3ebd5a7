"""Word list definitions (``word/numbering.xml``) for a document's parts.

Each numbered part gets lists of its own, so numbering restarts in every part without
relying on ``startOverride`` (whose support varies between Word, LibreOffice and WPS).

Chinese articles ("第一条") count in ``chineseCountingThousand`` while sections print
"1.1"; ``%1.%2`` under a Chinese level-1 counter would print "一.1" unless the level is
``isLgl``, which LibreOffice 7.4 ignores. So when the article level does not count in
decimal, the part uses two lists, the device contracts typed in Word use:

- the *article list*, one level, "第%1条";
- the *clause list*, multilevel decimal ("%1", "%1.%2", "%1.%2.%3"), whose level 0 is
  advanced by an empty paragraph with a hidden mark placed just before every article
  heading, so "%1" always equals the article's number.

English ("Article %1", "Section %1.%2") counts in decimal throughout and uses one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Document, Part
from ...numbering import Scheme, get_scheme
from .xml import XML_DECL, attr

DECIMAL = "decimal"
TIGHT_ENDINGS = ("、", "）", ")", "．")  # as model.join_number


@dataclass(frozen=True, slots=True)
class Level:
    num_fmt: str
    text: str  # w:lvlText, e.g. "第%1条", "%1.%2"
    hidden: bool = False


@dataclass(slots=True)
class PartLists:
    """Which ``numId`` and level a clause of each level uses in one part."""

    clause_num: int
    article_num: int | None = None  # set when articles live in a list of their own
    heading_num: int | None = None  # the attachment heading list ("附件%1")

    @property
    def split(self) -> bool:
        return self.article_num is not None

    def clause_numpr(self, level: int) -> tuple[int, int]:
        """(numId, ilvl) for a clause of ``level`` (1 = article)."""
        if self.split and level == 1:
            return self.article_num, 0
        return self.clause_num, level - 1

    def helper_numpr(self) -> tuple[int, int] | None:
        """(numId, 0) of the hidden paragraph that advances "%1", or None."""
        return (self.clause_num, 0) if self.split else None


def level_from_format(pattern: str, ilvl: int, count_fmt: str) -> Level:
    """Translate a scheme pattern ("第{n}条", "{path}", "{d}.", "Section {path}") to a Word level."""
    if "{d}" in pattern:
        return Level(DECIMAL, pattern.replace("{d}", f"%{ilvl + 1}"))
    if "{path}" in pattern:
        path = ".".join(f"%{i + 1}" for i in range(ilvl + 1))
        return Level(DECIMAL, pattern.replace("{path}", path))
    return Level(count_fmt, pattern.replace("{n}", f"%{ilvl + 1}"))


def body_levels(scheme: Scheme) -> tuple[list[Level] | None, list[Level]]:
    """(article list levels or None, clause list levels) for a main part or addendum."""
    article = Level(scheme.word_num_fmt, scheme.word_article_text)
    rest = [level_from_format(p, i, scheme.word_num_fmt)
            for i, p in enumerate(scheme.clause_formats) if i > 0]
    if scheme.word_num_fmt == DECIMAL or not any("%1" in lv.text for lv in rest):
        return None, [article, *rest]
    return [article], [Level(DECIMAL, "%1", hidden=True), *rest]


def attachment_levels(scheme: Scheme) -> list[Level]:
    return [level_from_format(p, i, scheme.word_num_fmt)
            for i, p in enumerate(scheme.attachment_clause_formats)]


@dataclass(slots=True)
class NumberingPlan:
    """Allocates lists while the parts are walked, then writes ``numbering.xml``."""

    abstracts: list[list[Level]] = field(default_factory=list)
    parts: dict[int, PartLists] = field(default_factory=dict)
    _heading_num: int | None = None

    def _add(self, levels: list[Level]) -> int:
        """Add an abstract list and its one ``w:num``; return the numId (1-based)."""
        self.abstracts.append(levels)
        return len(self.abstracts)

    def lists_for(self, part: Part) -> PartLists:
        return self.parts[id(part)]

    def add_part(self, part: Part) -> None:
        scheme = get_scheme(part.scheme)
        if part.kind == "attachment":
            if self._heading_num is None:
                self._heading_num = self._add([Level(scheme.word_num_fmt, scheme.word_attachment_text)])
            lists = PartLists(self._add(attachment_levels(scheme)), heading_num=self._heading_num)
        else:
            article, clause = body_levels(scheme)
            article_num = self._add(article) if article else None
            lists = PartLists(self._add(clause), article_num=article_num)
        self.parts[id(part)] = lists

    def xml(self) -> str:
        abstracts = "".join(_abstract_xml(i, levels) for i, levels in enumerate(self.abstracts))
        nums = "".join(
            f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>'
            for i in range(len(self.abstracts)))
        return (f'{XML_DECL}<w:numbering xmlns:w="http://schemas.openxmlformats.org/'
                f'wordprocessingml/2006/main">{abstracts}{nums}</w:numbering>')


def plan_numbering(doc: Document) -> NumberingPlan:
    plan = NumberingPlan()
    for part in doc.parts:
        if part.kind == "attachment" or any(True for _ in part.clauses()):
            plan.add_part(part)
    return plan


def _abstract_xml(index: int, levels: list[Level]) -> str:
    kind = "singleLevel" if len(levels) == 1 else "multilevel"
    body = "".join(_level_xml(i, lv) for i, lv in enumerate(levels))
    return (f'<w:abstractNum w:abstractNumId="{index}">'
            f'<w:nsid w:val="{0x43470000 + index:08X}"/>'
            f'<w:multiLevelType w:val="{kind}"/>{body}</w:abstractNum>')


def _level_xml(ilvl: int, level: Level) -> str:
    rpr = "<w:rPr><w:vanish/></w:rPr>" if level.hidden else ""
    # A label that ends in its own punctuation ("一、", "（一）") runs straight into the text.
    suff = "nothing" if level.hidden or level.text.endswith(TIGHT_ENDINGS) else "space"
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{level.num_fmt}"/>'
            f'<w:suff w:val="{suff}"/><w:lvlText w:val={attr(level.text)}/>'
            f'<w:lvlJc w:val="left"/>{rpr}</w:lvl>')
