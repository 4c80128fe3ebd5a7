"""Recognising clause, part and attachment numbers in text, in both locales.

Readers use these to build the model from lines; checks use them to parse the numbers
that references, TOC entries and registers show. Locale is data: the patterns below are
tables, and the counting functions come from :mod:`contractgen.numbering.zh`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..numbering.zh import parse_count

CN_DIGITS = "零〇一二三四五六七八九十百千两"
CN_NUM = f"[{CN_DIGITS}]+"
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

#: Words that name an attachment, per locale; every series numbers on its own.
ATTACHMENT_WORDS = ("附件", "附表", "Schedule", "Exhibit", "Annex", "Appendix", "Attachment")
_ATTACHMENT_RE = "|".join(ATTACHMENT_WORDS)
ATTACHMENT_NUMBER = rf"(?:{CN_NUM}|\d+|[IVXL]+\b|[A-Z]\b)"


@dataclass(slots=True, frozen=True)
class ClauseNumber:
    """A clause number as typed: its value, its text and the text after it."""

    number: tuple[int, ...]
    number_text: str
    rest: str
    kind: str  # "article" (第X条 / Article N), "section" (Section N.N), "dotted" (1.1)


_ZH_ARTICLE = re.compile(rf"^(第\s*({CN_NUM}|\d+)\s*条)(?:[\s:：、.．]+|$)(.*)$")
_ZH_DOTTED_ARTICLE = re.compile(r"^(第\s*(\d+(?:\.\d+)+)\s*条)(?:[\s:：、.．]+|$)(.*)$")
_EN_ARTICLE = re.compile(
    r"^((?:Article|ARTICLE|Section|SECTION|Clause|CLAUSE)\s+(\d+(?:\.\d+)*|[IVXL]+\b))\.?(?:\s*[:.\-–—]\s*|\s+|$)(.*)$"
)
_DOTTED = re.compile(r"^((\d{1,3})((?:\.\d{1,3})*))(\.(?!\d)|(?=\s)|(?=[\u4e00-\u9fff])|$)\s*(.*)$")


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral (I–L range is all contracts use), or None."""
    if not text or any(c not in ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = ROMAN[c]
        total += -v if i + 1 < len(text) and ROMAN[text[i + 1]] > v else v
    return total


@lru_cache(maxsize=4096)
def count_value(text: str) -> int | None:
    """A counter in any form contracts use: 十二, 12, XII, B (letters count A=1)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if re.fullmatch(CN_NUM, text):
        return parse_count(text)
    if re.fullmatch(r"[IVXL]+", text):
        return roman_value(text)
    if re.fullmatch(r"[A-Z]", text):
        return ord(text) - ord("A") + 1
    return None


def parse_dotted(text: str) -> tuple[int, ...] | None:
    parts = text.split(".")
    if not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def parse_clause_number(text: str) -> ClauseNumber | None:
    """The clause number a line starts with: 第八条, 第3.5条, Article 12, Section 8.4, 1.1.1."""
    text = text.strip()
    for pattern, kind in ((_ZH_DOTTED_ARTICLE, "article"), (_ZH_ARTICLE, "article")):
        m = pattern.match(text)
        if m:
            value = parse_dotted(m[2]) if "." in m[2] else _single(count_value(m[2]))
            if value:
                return ClauseNumber(value, m[1], m[3].strip(), kind)
    m = _EN_ARTICLE.match(text)
    if m and not re.match(r"\s+[a-z(]", text[m.end(1):]):  # "Section 5 of ...", "Article 29 shall": prose
        value = parse_dotted(m[2]) if m[2][0].isdigit() else _single(roman_value(m[2]))
        if value:
            kind = "article" if m[1][0] in "Aa" or len(value) == 1 else "section"
            return ClauseNumber(value, m[1], m[3].strip(), kind)
    m = _DOTTED.match(text)
    if m:
        value = parse_dotted(m[1])
        if value and all(v > 0 for v in value):
            return ClauseNumber(value, m[1] + (m[4] if m[4] == "." else ""), m[5].strip(), "dotted")
    return None


def _single(value: int | None) -> tuple[int, ...] | None:
    return (value,) if value else None


_ATTACHMENT_HEAD = re.compile(
    rf"^((?:{_ATTACHMENT_RE})\s*({ATTACHMENT_NUMBER}))(?![\dA-Za-z.式份张页个])\s*[:：、.．\-–—]?\s*(.*)$"
)


def parse_attachment_head(text: str) -> tuple[str, str, int, str] | None:
    """("附件一", "附件", 1, rest) for a line that starts with an attachment's name."""
    m = _ATTACHMENT_HEAD.match(text.strip())
    if not m:
        return None
    value = count_value(m[2])
    if not value:
        return None
    word = re.match(_ATTACHMENT_RE, m[1])[0]
    return m[1], word, value, m[3].strip()


def attachment_key(word: str, value: int) -> tuple[str, int]:
    """Identity of an attachment: 附件/附表 are one series; Schedule 3 ≠ Exhibit 3."""
    series = {"附表": "附件"}.get(word, word.lower())
    return series, value


_PART = re.compile(rf"^第\s*({CN_NUM}|\d+)\s*部分\s*[:：、.\s]?\s*(.*)$")
_EN_PART = re.compile(r"^(?:PART|Part)\s+(\d+|[IVX]+|One|Two|Three|Four|Five)\b\s*[:.\-–—]?\s*(.*)$")
_EN_WORDS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


def parse_part_marker(text: str) -> tuple[int, str, str] | None:
    """(number, number_text, title) for 第二部分：补充条款 / Part II – Addendum."""
    text = text.strip()
    m = _PART.match(text)
    value = count_value(m[1]) if m else None
    if not m:
        m = _EN_PART.match(text) if len(text) <= 80 else None
        value = (_EN_WORDS.get(m[1]) or count_value(m[1])) if m else None
    if not value:
        return None
    number_text = text[: m.start(2)].rstrip(" :：、.-–—")
    return value, number_text, m[2].strip().rstrip(":：").strip()
