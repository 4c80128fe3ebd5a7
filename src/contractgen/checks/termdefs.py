"""Where a contract defines its terms, in English and Chinese.

English: a glossary entry ("Confidential Information" means …, "X" mean / is / refers to,
“Contributor” or “You” shall mean …, "X." means) or an inline definition in brackets
(the "Customer"), (“MNDA”), （“X”）, hereinafter referred to as "X". Chinese: （以下简称“甲方”）,
（下称“服务提供商”）, “X”指 / 是指 / 系指 / 具有…含义, “A”或“B”系指, X：指…, 本合同所称X，是指….
The Markdown reader has already dropped bold markers, so (“**MNDA**”) reads (“MNDA”).

A signpost ("Agreement" has the meaning given in Section 1) points at a definition made
elsewhere in the text and is marked ``signpost``. :func:`key_terms` collects the names a
cover page or key-terms table gives values to (a cell or a line that is only a Title Case
name, or "Governing Law: …"): those are defined there, though not by a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..grammar import CJK, is_title_like
from ..model import Part, SourcePos
from .base import CheckContext, line_memo
from .. import rx

_Q_OPEN = "“\"「『"
_QUOTED = rx.compile(r"[“\"「『]\s*(?P<t>[^“”\"「」『』\n]{1,60}?)\s*[”\"」』]")
_Q_TERM = r"[“\"]\s*[^“”\"\n]{1,60}?\s*[”\"]"
# “A” or “B” (or “C”) shall mean …: every quoted term of the chain is defined.
_EN_GLOSSARY = rx.compile(
    rf"(?P<chain>{_Q_TERM}(?:\s*(?:,|\bor\b|\band\b|\(or|\(and|\)|/)\s*{_Q_TERM}\)?)*)\s*(?:,\s*)?"
    r"(?P<verb>means|mean|shall mean|shall have the meanings?|has the meanings?|have the meanings?|refers to|shall refer to"
    r"|is defined as|are defined as)\b"
    rf"|^\W{{0,3}}(?:[\dA-Za-z]{{1,3}}[.)]\s+)?(?P<lead>{_Q_TERM})\s+(?:is|are)\s")
_SIGNPOST = rx.compile(r"\s*(?:has|have|shall have)\s+the\s+meanings?\s+(?:given|set\s+(?:forth|out)|ascribed|assigned)"
                       r"|\s*(?:is|are)\s+defined\s+in\b", re.I)
_CITED_BEFORE = rx.compile(r"\b(?:Sections?|Articles?|Clauses?|Schedule|Exhibit|Annex|Appendix)\s+"
                           r"[\dA-Z]+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*\s*$")
_EN_INLINE = rx.compile(
    r"[(（]\s*(?:(?:each|together|collectively|individually|jointly)\s*,?\s+)?(?:hereinafter\s+)?"
    r"(?:(?:referred\s+to\s+|called\s+)?as\s+)?(?:the\s+|a\s+|an\s+|this\s+)?(?=[“\"])(?P<body>[^()（）\n]{1,160})[)）]"
    r"|(?:hereinafter\s+(?:referred\s+to\s+as|called)|(?:shall\s+be\s+|are\s+|is\s+)?referred\s+to\s+"
    r"(?:collectively\s+|together\s+)?as)\s+(?:the\s+)?(?P<after>[“\"][^“”\"\n]{1,60}[”\"])")
_ZH_INLINE = rx.compile(r"(?:以下简称|以下称为|以下称|以下统称|下称|简称|统称)\s*(?:为)?\s*[:：]?\s*")
_ZH_TERM_AFTER_CUE = rx.compile(r"(?P<t>[\u3400-\u9fffA-Za-z0-9]{1,20})")
_ZH_Q = r"[“\"「]\s*[^“”\"「」\n]{1,20}?\s*[”\"」]"
_ZH_GLOSSARY = rx.compile(
    rf"(?P<chain>(?:{_ZH_Q}\s*(?:或|和|及|、|/|／)\s*)+)?"
    r"[“\"「]\s*(?P<t>[^“”\"「」\n]{1,20}?)\s*[”\"」]\s*(?:[，,]\s*)?(?:均|即|系|是|意|特)?指(?![导示定出挥引标令南责控])"
    r"|[“\"「]\s*(?P<t2>[^“”\"「」\n]{1,20}?)\s*[”\"」]\s*具有[^。；\n]{0,40}?含义"
    r"|(?:本合同|本协议|本补充协议)(?:中)?所称(?:的)?\s*[“\"「]?(?P<t3>[^“”\"「」，,。\s]{1,20}?)[”\"」]?\s*[，,]?\s*(?:均|即|系|是)?指"
    r"|^\s*(?:[\d０-９]+[.．、]\s*|[（(][\d一二三四五六七八九十]+[)）]\s*)?(?P<t4>[\u4e00-\u9fff]{2,12})\s*[：:]\s*(?:是|系)?指(?![导示定出挥引标令南责控])")
_SENTENCE_END = rx.compile(r"[。；;!?！？\n]|\.\s|[，,](?=[“\"])")


@dataclass(slots=True)
class Definition:
    term: str
    unit: int              # index into ctx.units
    start: int             # where the term is in that unit's text
    end: int
    pos: SourcePos | None
    part: Part
    referent: str          # what the term stands for, normalised
    inline: bool           # (the "X") / 以下简称 — not a glossary entry
    signpost: bool = False  # "X" has the meaning given in Section 12: the definition is elsewhere


_NOT_WORD = rx.compile(r"[\s\W_]+")


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text).casefold()


_FULL_STOP = rx.compile(r"\.\s")
_ABBREVIATION_END = rx.compile(r"\b(?:Inc|Ltd|Co|Corp|No|St|Pte|L\.P|U\.S)$")
_BETWEEN_AND = rx.compile(r"\b(?:between|and)\s+")
_LEAD_IN = rx.compile(r"^\s*(?:[\d.]+\s+|[\d０-９]+[.．、]\s*|(?:by|with|to)\s+)*")


def _referent_before(text: str, at: int) -> str:
    """The name before an inline definition: "… and Acme Ltd, of 1 Road (the …" → "Acme Ltd, of 1 Road"."""
    head = text[max(0, at - 200):at]
    cut = max(head.rfind(c) for c in "。；;)）:：\n") + 1
    for m in _FULL_STOP.finditer(head):
        if m.start() >= cut and not _ABBREVIATION_END.search(head[:m.start()]):
            cut = m.end()
    head = _BETWEEN_AND.split(head[cut:])[-1]
    head = _LEAD_IN.sub("", head)
    return _norm(head)


def _referent_after(text: str, at: int) -> str:
    end = _SENTENCE_END.search(text, at)
    return _norm(text[at:end.start() if end else len(text)])


def _quoted_terms(body: str, offset: int) -> Iterator[tuple[str, int]]:
    for m in _QUOTED.finditer(body):
        yield m["t"], offset + m.start("t")


def _en_definitions(text: str) -> Iterator[tuple[str, int, str, bool, bool]]:
    for m in _EN_GLOSSARY.finditer(text):
        group = "chain" if m["chain"] else "lead"
        signpost = bool(_SIGNPOST.match(text, m.start("verb") if m["verb"] else m.end("lead")))
        referent = _referent_after(text, m.end())
        for term, start in _quoted_terms(m[group], m.start(group)):
            yield term, start, referent, False, signpost
    for m in _EN_INLINE.finditer(text):
        if m["body"] and m.start("body") == m.start() + 1 and _CITED_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue  # Section 5 (“Trademark Release”): the title of the clause cited, not a definition
        body = m["body"] or m["after"]
        offset = m.start("body") if m["body"] else m.start("after")
        referent = _referent_before(text, m.start())
        for term, start in _quoted_terms(body, offset):
            yield term, start, referent, True, False


_ZH_DEFINITION_END = rx.compile(r"[）)]|[，,。；](?![“\"「])")


def _zh_definitions(text: str) -> Iterator[tuple[str, int, str, bool, bool]]:
    for m in _ZH_GLOSSARY.finditer(text):
        group = next(g for g in ("t", "t2", "t3", "t4") if m[g])
        referent = _referent_after(text, m.end())
        if m["chain"]:  # “贡献者”或“贵方”/“您”系指
            for term, start in _quoted_terms(m["chain"], m.start("chain")):
                yield term, start, referent, False, False
        yield m[group], m.start(group), referent, False, False
    for m in _ZH_INLINE.finditer(text):
        rest = text[m.end():m.end() + 60]
        close = _ZH_DEFINITION_END.search(rest)
        body = rest[:close.start()] if close else rest
        referent = _referent_before(text, _open_bracket(text, m.start()))
        quoted = list(_quoted_terms(body, m.end()))
        if quoted:
            for term, start in quoted:
                yield term, start, referent, True, False
        elif close and close.group() in "）)" and _open_bracket(text, m.start()) < m.start():
            bare = _ZH_TERM_AFTER_CUE.fullmatch(body.strip())
            if bare:  # （以下简称甲方）
                yield bare["t"], m.end(), referent, True, False


def _open_bracket(text: str, at: int) -> int:
    """The （ that opens an inline definition, or ``at`` when there is none close by."""
    start = max(text.rfind("（", max(0, at - 20), at), text.rfind("(", max(0, at - 20), at))
    return start if start >= 0 else at


def definitions(ctx: CheckContext) -> list[Definition]:
    """Every definition in the document, in order (computed once per check run)."""
    def unit_definitions(index: int, found) -> list[Definition]:
        unit = ctx.units[index]
        return [Definition(term, index, start, start + len(term), unit.pos, unit.part, referent, inline, signpost)
                for term, start, referent, inline, signpost in found]
    return ctx.memo("definitions", lambda: ctx.unit_items("definitions", text_definitions, unit_definitions))


@line_memo
def text_definitions(text: str) -> tuple[tuple[str, int, str, bool, bool], ...]:
    """(term, start, referent, inline, signpost) of each definition one text makes: a pure
    function of the text, memoised (a batch's rows repeat most of their lines)."""
    if not _could_define(text):
        return ()
    found, seen = [], set()
    for term, start, referent, inline, signpost in [*_en_definitions(text), *_zh_definitions(text)]:
        term = term.strip().rstrip(".")  # “Effective Date.” means
        if start in seen or not _plausible(term):
            continue
        seen.add(start)
        found.append((term, start, referent, inline, signpost))
    return tuple(found)


def _could_define(text: str) -> bool:
    return any(q in text for q in _Q_OPEN) or "简称" in text or "下称" in text or "统称" in text or "所称" in text \
        or "指" in text


_PUNCTUATION = rx.compile(r"[。，；：,;:!?！？]")


def _plausible(term: str) -> bool:
    """A term, not a sentence in quotes: short, with no sentence punctuation."""
    if not 0 < len(term) <= 60 or _PUNCTUATION.search(term) or len(term.split()) > 8:
        return False
    return not term[0].isascii() or term[0].isupper() or term[0].isdigit()


_TAG = rx.compile(r"\{[^{}\n]{0,60}\}")
_KEY_ROW = rx.compile(r"(?P<t>[A-Z][A-Za-z’'&/-]*(?:\s+[A-Za-z][A-Za-z’'&/-]*){0,5})\s*[:：]\s*\S")


def key_terms(ctx: CheckContext) -> set[str]:
    """The names a cover page or a key-terms table gives values to, casefolded: a cell or a
    line that is only a Title Case name ("Order Date", "Effective Date"), or a row written
    "Governing Law: [state]". Such a name is defined there, though not by a sentence."""
    def compute() -> set[str]:
        return {name for unit in ctx.units if (name := _key_term(unit.text))}
    return ctx.memo("key-terms", compute)


@line_memo
def _key_term(text: str) -> str:
    """The name one cell or line gives a value to, casefolded, or "" (see :func:`key_terms`)."""
    text = _TAG.sub("", text).strip()
    if not text or CJK.search(text):
        return ""
    if len(text.split()) <= 6 and is_title_like(text, "en"):
        return text.rstrip(".:：").strip().casefold()
    m = _KEY_ROW.match(text)
    return m["t"].casefold() if m and is_title_like(m["t"], "en") else ""
