"""Where a contract defines its terms, in English and Chinese.

English: a glossary entry ("Confidential Information" means …) or an inline definition in
brackets (the "Customer"), (“MNDA”), hereinafter referred to as "X". Chinese: （以下简称“甲方”）,
（下称“服务提供商”）, “X”指 / 是指 / 具有…含义, 本合同所称X，是指…. The Markdown reader has
already dropped bold markers, so (“**MNDA**”) reads (“MNDA”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..model import Part, SourcePos
from .base import CheckContext

_Q_OPEN = "“\"「『"
_QUOTED = re.compile(r"[“\"「『]\s*(?P<t>[^“”\"「」『』\n]{1,60}?)\s*[”\"」』]")
_EN_GLOSSARY = re.compile(
    r"[“\"]\s*(?P<t>[^“”\"\n]{1,60}?)\s*[”\"]\s*(?:,\s*)?(?:means|shall mean|has the meanings?|have the meanings?|refers to)\b")
_EN_INLINE = re.compile(
    r"\(\s*(?:each\s+|together\s+|collectively\s+|individually\s+|jointly\s+)?(?:hereinafter\s+)?"
    r"(?:(?:referred\s+to\s+|called\s+)?as\s+)?(?:the\s+|a\s+|an\s+|this\s+)?(?=[“\"])(?P<body>[^()\n]{1,160})\)"
    r"|hereinafter\s+(?:referred\s+to\s+as|called)\s+(?:the\s+)?(?P<after>[“\"][^“”\"\n]{1,60}[”\"])")
_ZH_INLINE = re.compile(r"(?:以下简称|以下称为|以下称|以下统称|下称|简称|统称)\s*(?:为)?\s*[:：]?\s*")
_ZH_TERM_AFTER_CUE = re.compile(r"(?P<t>[\u3400-\u9fffA-Za-z0-9]{1,20})")
_ZH_GLOSSARY = re.compile(
    r"[“\"「]\s*(?P<t>[^“”\"「」\n]{1,20}?)\s*[”\"」]\s*(?:[，,]\s*)?(?:均|即|系|是|意|特)?指(?![导示定出挥引标令南责控])"
    r"|[“\"「]\s*(?P<t2>[^“”\"「」\n]{1,20}?)\s*[”\"」]\s*具有[^。；\n]{0,40}?含义"
    r"|(?:本合同|本协议|本补充协议)(?:中)?所称(?:的)?\s*[“\"「]?(?P<t3>[^“”\"「」，,。\s]{1,20}?)[”\"」]?\s*[，,]?\s*(?:均|即|系|是)?指")
_SENTENCE_END = re.compile(r"[。；;!?！？\n]|\.\s|[，,](?=[“\"])")


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


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text).casefold()


def _referent_before(text: str, at: int) -> str:
    """The name before an inline definition: "… and Acme Ltd, of 1 Road (the …" → "Acme Ltd, of 1 Road"."""
    head = text[max(0, at - 200):at]
    cut = max(head.rfind(c) for c in "。；;)）:：\n") + 1
    for m in re.finditer(r"\.\s", head):
        if m.start() >= cut and not re.search(r"\b(?:Inc|Ltd|Co|Corp|No|St|Pte|L\.P|U\.S)$", head[:m.start()]):
            cut = m.end()
    head = re.split(r"\b(?:between|and)\s+", head[cut:])[-1]
    head = re.sub(r"^\s*(?:[\d.]+\s+|(?:by|with|to)\s+)*", "", head)
    return _norm(head)


def _referent_after(text: str, at: int) -> str:
    end = _SENTENCE_END.search(text, at)
    return _norm(text[at:end.start() if end else len(text)])


def _quoted_terms(body: str, offset: int) -> Iterator[tuple[str, int]]:
    for m in _QUOTED.finditer(body):
        yield m["t"], offset + m.start("t")


def _en_definitions(text: str) -> Iterator[tuple[str, int, str, bool]]:
    for m in _EN_GLOSSARY.finditer(text):
        yield m["t"], m.start("t"), _referent_after(text, m.end()), False
    for m in _EN_INLINE.finditer(text):
        body = m["body"] or m["after"]
        offset = m.start("body") if m["body"] else m.start("after")
        referent = _referent_before(text, m.start())
        for term, start in _quoted_terms(body, offset):
            yield term, start, referent, True


def _zh_definitions(text: str) -> Iterator[tuple[str, int, str, bool]]:
    for m in _ZH_GLOSSARY.finditer(text):
        group = "t" if m["t"] else "t2" if m["t2"] else "t3"
        yield m[group], m.start(group), _referent_after(text, m.end()), False
    for m in _ZH_INLINE.finditer(text):
        rest = text[m.end():m.end() + 60]
        close = re.search(r"[）)]|[，,。；](?![“\"「])", rest)
        body = rest[:close.start()] if close else rest
        referent = _referent_before(text, _open_bracket(text, m.start()))
        quoted = list(_quoted_terms(body, m.end()))
        if quoted:
            for term, start in quoted:
                yield term, start, referent, True
        elif close and close.group() in "）)" and _open_bracket(text, m.start()) < m.start():
            bare = _ZH_TERM_AFTER_CUE.fullmatch(body.strip())
            if bare:  # （以下简称甲方）
                yield bare["t"], m.end(), referent, True


def _open_bracket(text: str, at: int) -> int:
    """The （ that opens an inline definition, or ``at`` when there is none close by."""
    start = max(text.rfind("（", max(0, at - 20), at), text.rfind("(", max(0, at - 20), at))
    return start if start >= 0 else at


def definitions(ctx: CheckContext) -> list[Definition]:
    """Every definition in the document, in order (computed once per check run)."""
    def compute() -> list[Definition]:
        found: list[Definition] = []
        for index, unit in enumerate(ctx.units):
            if not _could_define(unit.text):
                continue
            seen: set[int] = set()
            for term, start, referent, inline in [*_en_definitions(unit.text), *_zh_definitions(unit.text)]:
                term = term.strip()
                if start in seen or not _plausible(term):
                    continue
                seen.add(start)
                found.append(Definition(term, index, start, start + len(term), unit.pos, unit.part,
                                        referent, inline))
        return found
    return ctx.memo("definitions", compute)


def _could_define(text: str) -> bool:
    return any(q in text for q in _Q_OPEN) or "简称" in text or "下称" in text or "统称" in text or "所称" in text


def _plausible(term: str) -> bool:
    """A term, not a sentence in quotes: short, with no sentence punctuation."""
    if not 0 < len(term) <= 60 or re.search(r"[。，；：,;:!?！？]", term) or len(term.split()) > 8:
        return False
    return not term[0].isascii() or term[0].isupper() or term[0].isdigit()
