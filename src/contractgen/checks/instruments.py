"""Citations of other instruments: the laws, regulations and documents a contract cites by
article or annex, which are not the contract's own clauses.

《民法典》第五百八十五条, 《劳动合同法》第十四条、第十九条, 劳动合同法第十四条,
《民法典》合同编第四百六十五条; Section 101 of Title 17 of the United States Code,
Article 28 of the GDPR, Kan. Stat. Section 44-130, 45 C.F.R. § 164.504, Clause 17 of the
Standard Contractual Clauses, Annex I, Annex II and Annex III of the EEA SCCs, Annex I(B)
on the Cover Page. Used by :mod:`.citations`; check-only, so kept out of ``grammar.py``.
"""

from __future__ import annotations

import re
from .. import rx

# "《民法典》第五百八十五条", "公司法第十条", "《民法典》合同编第五百条": a law's article
_ZH_LAW_BEFORE = rx.compile(r"(?:》|法|法典|条例|规定|办法|细则|解释|公约|章程|规则|决定|通知|意见)"
                            r"(?:\s*(?:第[一二三四五六七八九十百零〇\d]+[编章节]|[\u4e00-\u9fff]{1,3}编))*\s*$")
# between two citations of one law: "第十四条、第十九条", "第五百八十五条至第五百八十七条"
_ZH_CHAIN = rx.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+款)?\s*(?:、|，|,|和|及|与|或|至|以及|或者)\s*$")
_EN_LAW_BEFORE = rx.compile(
    r"(?:Code|Act|U\.S\.C\.?|C\.F\.R\.?|CFR|Stat\.|Regulation|Directive|Rule|GDPR|Convention|Treaty|§)\s*$")
# "of Title 17 of the United States Code", "of Regulation (EU) 2016/679", "of GDPR"
_EN_OTHER_AFTER = rx.compile(
    r"\s*(?:of|under)\s+(?:Title|Chapter|Part|Subpart)\s+\d"
    r"|\s*(?:of|under|in)\s+(?!this\b|These\b|Schedule\b|Exhibit\b|Annex\b|Appendix\b|Attachment\b|Section\b|Article\b"
    r"|Clause\b|the\b|The\b)[A-Z]")
_ATTACHMENT_CHAIN = rx.compile(
    r"(?:\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:Schedule|Exhibit|Annex|Appendix|Attachment)s?\s+"
    r"(?:\d+[A-Z]?|[IVXL]+|[A-Z])(?:\([A-Za-z0-9]{1,3}\))?)*")
# "Annex I(B) on the Cover Page", "Annex III of the UK Addendum", "Exhibit A to the Order Form"
_ATTACHMENT_ELSEWHERE = rx.compile(
    r"^(?:\([A-Za-z0-9]{1,3}\))?\s+(?:of|to|on|in|under)\s+(?:the\s+|an?\s+)?(?!(?:this|Agreement|Contract|MNDA)\b)"
    r"(?:[A-Z]|applicable\b)")


def zh_cites_law(text: str, start: int, last_law_end: int | None) -> bool:
    """Whether the 第X条 at ``start`` is an article of a law: a law's name before it, or it
    follows, in one list, an article of a law (``last_law_end`` is where that one ended)."""
    if _ZH_LAW_BEFORE.search(text[max(0, start - 16):start]):
        return True
    return last_law_end is not None and _ZH_CHAIN.match(text[last_law_end:start]) is not None


def en_cites_law(text: str, start: int, end: int) -> bool:
    """Whether the "Section N" at ``start``..``end`` is a section of a statute or another
    instrument: "U.S.C. § 101", "Kan. Stat. Section 44-130", "Section 101 of Title 17"."""
    if _EN_LAW_BEFORE.search(text[max(0, start - 14):start]) or text[max(0, start - 5):start].lower() == "such ":
        return True  # "… under such Section 365(n)": the statute just cited
    if text[end:end + 1] == "-" and text[end + 1:end + 2].isdigit() and not text[start:end].split()[0].endswith("s"):
        return True  # "Section 44-130": a statute's section number ("Sections 12-18" is a range)
    return _EN_OTHER_AFTER.match(text, end) is not None


def attachment_elsewhere(text: str, end: int) -> bool:
    """Whether the annex cited just before ``end`` (and the annexes listed with it) belongs
    to another instrument: "Annex I, Annex II, and Annex III of the EEA SCCs"."""
    chain = _ATTACHMENT_CHAIN.match(text, end)
    after = text[chain.end() if chain else end:]
    return _ATTACHMENT_ELSEWHERE.match(after) is not None


def is_attachment_head(text: str, start: int) -> bool:
    """A line that starts with the citation and is short and no sentence: the attachment's
    own heading ("Annex I(A) List of Parties", "附件二：……的使用说明"), not a reference to it."""
    if text[:start].strip():
        return False
    stripped = text.strip()
    return len(stripped) <= 60 and not re.search(r"[。；;]|\b(?:see|under|in|as)\b|见|按|根据|依据", stripped)


# names of instruments a contract incorporates and then cites by clause
_INCORPORATED = rx.compile(r"\b(?:SCCs?|Standard\s+Contractual\s+Clauses|GDPR|UK\s+Addendum|U\.S\.C|C\.F\.R|"
                           r"United\s+States\s+Code|Regulation\s+\(EU\)|[A-Z][a-z]+\s+Act)\b")


def names_other_instrument(text: str) -> bool:
    """Whether a run of text names an instrument a contract may cite by clause (the EEA
    SCCs, the GDPR, a U.S. statute)."""
    return _INCORPORATED.search(text) is not None


def sentence_around(text: str, at: int) -> str:
    """The sentence of ``text`` that position ``at`` is in; an abbreviation's period
    ("48 C.F.R. §12.212") ends none."""
    starts = [m.end() for m in re.finditer(r"(?<![A-Z])[.;:]\s|[。；：]", text[:at])]  # not after "C.F.R."
    end = re.search(r"(?<![A-Z])[.;:](?:\s|$)|[。；：]", text[at:])
    return text[starts[-1] if starts else 0:at + end.start() if end else len(text)]
