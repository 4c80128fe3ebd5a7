"""Finding citations in text: 第十五条, 本合同第3.5条, 附件四, Article 12, Sections 5.5 and 5.6,
Section 10(b), Schedule 3, Exhibit B, Annex II — each with its scope and any title in brackets.

Locale is data: the patterns are tables per language; a text is searched with both, so a
Chinese contract citing "Schedule 2" is still read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..grammar import CN_NUM, attachment_key, count_value, is_title_like, parse_dotted
from .instruments import attachment_elsewhere, en_cites_law, zh_cites_law
from .. import rx

if TYPE_CHECKING:
    from .base import TextUnit


@dataclass(slots=True, frozen=True)
class Citation:
    kind: str                     # "clause" or "attachment"
    text: str                     # as shown: "第十五条", "Section 8.4", "附件四"
    number: tuple[int, ...]       # clause number, or (n,) for an attachment
    series: str                   # attachment series ("附件", "schedule"); "" for clauses
    scope: str                    # "" (this part), "main", "self" (本协议: an addendum itself), or "part:N"
    title: str                    # the title given in brackets after it, or ""
    start: int

    @property
    def key(self) -> tuple[str, int]:
        return self.series, self.number[0]


_ZH_SCOPE = rf"(?P<scope>本合同|本协议|主合同|原合同|主协议|原协议|第(?P<partno>{CN_NUM}|\d+)部分)?"
# "第6.2款" cites sub-clause 6.2; "第二款" is a paragraph of an article, not a clause number.
_ZH_CLAUSE = rx.compile(
    rf"{_ZH_SCOPE}(?P<cite>第\s*(?P<num>\d+(?:\.\d+)*|{CN_NUM})\s*条|第\s*(?P<knum>\d+(?:\.\d+)+)\s*款)"
    r"(?:[（(](?P<title>[^（）()]{1,30})[）)])?"
)
_ZH_SELF = {"本协议"}  # in an addendum, 本协议 is the addendum itself; 本合同/主合同 the main contract
# "《民法典》第五百八十五条", "公司法第十条": citations of laws, not of this contract (.instruments).
_ZH_ATTACHMENT = rx.compile(
    rf"(?P<cite>(?P<word>附件|附表)\s*(?P<num>\d+|{CN_NUM}))(?![\d.式份张页个])"
    r"(?:[（(](?P<title>[^（）()]{1,30})[）)])?"
)
_EN_NUM = r"\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*"
_EN_CLAUSE = rx.compile(
    rf"\b(?P<word>Articles?|Sections?|Clauses?)\s+(?P<list>{_EN_NUM}"
    rf"(?:\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|through\s+|to\s+)\s*{_EN_NUM})*)(?![A-Za-z0-9])"
    r"(?:\s*\((?P<title>[^()]{2,60})\))?"
)
_EN_ATTACHMENT = rx.compile(
    r"\b(?P<word>Schedule|Exhibit|Annex|Appendix|Attachment)\s+(?P<num>\d+|[IVXL]+|[A-Z])(?![\w]|\.\d)"
    r"(?:\s*\((?P<title>[^()]{2,60})\))?"
)
_EN_CLAUSE_WORDS = ("Article", "Section", "Clause")
_EN_ATTACHMENT_WORDS = ("Schedule", "Exhibit", "Annex", "Appendix", "Attachment")
_EN_SCOPE_AFTER = rx.compile(r"^\s+(?:of|in|under)\s+(?P<det>this|the)\s+(?P<noun>\w+)(?P<poss>['’]s\b)?")
_EN_MAIN_NOUNS = {"agreement", "contract", "mnda", "terms"}
# "the Agreement, Section 4" / "the Agreement's Section 4": the scope comes before the citation.
_EN_SCOPE_BEFORE = rx.compile(r"\b(?:[Tt]he|[Tt]his)\s+(?:Agreement|Contract)(?:['’]s|,)?\s*$")


def all_citations(ctx) -> list[tuple["TextUnit", Citation]]:
    """(unit, citation) for every citation in the document, found once per check run."""
    return ctx.memo("citations", lambda: ctx.unit_items("citations", text_citations, _unit_citations(ctx)))


def _unit_citations(ctx):
    def unit_citations(index: int, found: tuple[Citation, ...]) -> list[tuple["TextUnit", Citation]]:
        unit = ctx.units[index]
        return [(unit, c) for c in found]
    return unit_citations


def text_citations(text: str) -> tuple[Citation, ...]:
    return tuple(citations(text))


def citations(text: str) -> Iterator[Citation]:
    """Every citation in one run of text, in order. A text's citations depend on that text
    alone, and a batch checks the same clause text in every contract: each text is read once."""
    found = _SEEN.get(text)
    if found is None:
        if len(_SEEN) >= _SEEN_LIMIT:
            _SEEN.clear()
        found = _SEEN[text] = tuple(_read(text))
    return iter(found)


_SEEN: dict[str, tuple[Citation, ...]] = {}
_SEEN_LIMIT = 8192


def _read(text: str) -> list[Citation]:
    found = []  # each finder runs only where its key word occurs: most text cites nothing
    if "第" in text:
        found += _zh_clauses(text)
    if "附" in text:
        found += _zh_attachments(text)
    if any(w in text for w in _EN_CLAUSE_WORDS):
        found += _en_clauses(text)
    if any(w in text for w in _EN_ATTACHMENT_WORDS):
        found += _en_attachments(text)
    return sorted(found, key=lambda c: c.start)


_ZH_LIST_JOINER = rx.compile(r"\s*(?:、|，|,|和|及|以及|或|或者|与|至|到)\s*")


def _zh_clauses(text: str) -> Iterator[Citation]:
    law_end = None  # where the last citation of a law ended: "《劳动合同法》第十四条、第十九条"
    last_end, last_scope = -1, ""  # "本合同第二条和第四条": the scope holds for the whole list
    for m in _ZH_CLAUSE.finditer(text):
        if not m["scope"] and zh_cites_law(text, m.start(), law_end):
            law_end = m.end()
            continue
        law_end = None
        raw = m["num"] or m["knum"]
        num = parse_dotted(raw) if raw[0].isdigit() else _one(count_value(raw))
        if not num:
            continue
        scope = f"part:{count_value(m['partno'])}" if m["partno"] else ("main" if m["scope"] else "")
        scope = "self" if m["scope"] in _ZH_SELF else scope
        if not m["scope"] and last_end >= 0 and _ZH_LIST_JOINER.fullmatch(text, last_end, m.start()):
            scope = last_scope
        last_end, last_scope = m.end(), scope
        yield Citation("clause", m["cite"], num, "", scope, _title(m["title"]), m.start("cite"))


def _zh_attachments(text: str) -> Iterator[Citation]:
    for m in _ZH_ATTACHMENT.finditer(text):
        value = count_value(m["num"])
        if value:
            series = attachment_key(m["word"], value)[0]
            yield Citation("attachment", m["cite"], (value,), series, "", _title(m["title"]), m.start())


_DOTTED_NUMBER = rx.compile(r"\d+(?:\.\d+)*")
_PAREN_ITEM = rx.compile(r"\([a-z0-9]{1,4}\)")


def _en_clauses(text: str) -> Iterator[Citation]:
    for m in _EN_CLAUSE.finditer(text):
        if en_cites_law(text, m.start(), m.end("list")):
            continue
        scope = _en_scope(text[m.end():])
        if scope == "" and _EN_SCOPE_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
            scope = "main"
        if scope is None:
            continue
        numbers = _DOTTED_NUMBER.findall(_PAREN_ITEM.sub("", m["list"]))
        # "Section 6.3(g) (Attorney-in-Fact)" names the sub-clause's title, not 6.3's
        title = _title(m["title"]) if len(numbers) == 1 and "(" not in m["list"] else ""
        word = m["word"].rstrip("s")
        for number in numbers:
            parsed = parse_dotted(number)
            if parsed:  # a number too long to be a clause's is no citation
                yield Citation("clause", f"{word} {number}", parsed, "", scope, title, m.start())


def _en_scope(after: str) -> str | None:
    """"" for this part, "main" for "of this Agreement", None for another document's section."""
    m = _EN_SCOPE_AFTER.match(after)
    if not m:
        return ""
    if m["poss"]:
        return None  # "Article 29 of the Agreement's predecessor": another document
    if m["noun"].casefold() in _EN_MAIN_NOUNS:
        return "main"
    return "" if m["det"] == "this" else None


def _en_attachments(text: str) -> Iterator[Citation]:
    for m in _EN_ATTACHMENT.finditer(text):
        value = count_value(m["num"])
        if value and not attachment_elsewhere(text, m.end("num")):
            series = attachment_key(m["word"], value)[0]
            yield Citation("attachment", f"{m['word']} {m['num']}", (value,), series, "", _title(m["title"]), m.start())


def _one(value: int | None) -> tuple[int, ...] | None:
    return (value,) if value else None


_QUOTED = rx.compile(r"[\"“‘'](.+?)[.,]?[\"”’']")
_BARE_NUMBER = rx.compile(r"[a-zA-Z]|[ivxlIVXL]+|\d+")
_NOT_A_TITLE = rx.compile(r"(?i)the\s|a\s|an\s|以下|下称|简称")


def _title(text: str | None) -> str:
    """A bracketed title after a citation; "(b)", "(as amended)" and "(the ...)" are not titles."""
    if not text:
        return ""
    text = text.strip()
    quoted = _QUOTED.fullmatch(text)  # Section 5 (“Trademark Release”)
    text = quoted.group(1).strip() if quoted else text
    if _BARE_NUMBER.fullmatch(text) or _NOT_A_TITLE.match(text):
        return ""
    return text if is_title_like(text, "") else ""
