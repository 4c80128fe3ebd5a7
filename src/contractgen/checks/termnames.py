"""Proper names and documents that are not defined terms, for ``undefined-term``: a court, a
statute, a treaty, a company, a product or a document title ("the Health Insurance
Portability and Accountability Act", "the Common Paper Pilot Agreement Standard Terms
v1.1", "the Creative Commons Zero license"), and a contract saying its terms are defined in
another document ("Capitalized terms … have the meanings given on the Cover Page").
"""

from __future__ import annotations

import re

from .base import line_memo
from .. import rx

_NAME_ENDS = set(
    "Act Code Law Laws Regulation Regulations Rules Ordinance Convention Treaty Directive Constitution "
    "Court Courts Tribunal Commissioner Commissioners Centre Center Commission Committee Council Association "
    "Institute Institution "
    "Bank Exchange Authority Agency Office Bureau Ministry Department Government Republic Kingdom States "
    "Union Nations Province City County District Region Islands Island Ltd Limited Inc Corporation Company "
    "Group Holdings University Street Road Avenue Building Tower".split())
_NAME_STARTS = set("State Republic Kingdom People City Province Commonwealth United Hong Special Court "
                   "Supreme High District Federal European".split())
# "a Cover Page that specifies Key Terms": the key terms are on another document
_KEY_TERMS_ELSEWHERE = rx.compile(r"(?i)\b(?:cover\s+page|order\s+form)s?\b[^.]{0,40}?\b(?:specif\w*|identif\w*|"
                                  r"sets?\s+out|contains?|lists?|describes?)\s+(?:the\s+|its\s+)?"
                                  r"(?:key\s+terms|variables|information\s+required)")
_DOC_TITLE = rx.compile(r"(?:Terms\s+(?:of\s+(?:Service|Use)|and\s+Conditions)|Privacy\s+(?:Statement|Policy|Notice))$")
_ELSEWHERE = rx.compile(r"(?i)(?:capitali[sz]ed\s+terms|\bvariables|\bterms\s+not\s+(?:otherwise\s+)?defined)"
                        r"[^.]{0,160}?\b(?:meaning|defined|given)[^.]{0,160}")
_NAME_RUN = rx.compile(r"(?:\s+(?:and|of|for|on|the|&)\s+|\s+)(?:[A-Z][\w’'.-]*|\d[\d.]*)")
_MODIFIES = rx.compile(r"\s+(?:standards?|website|site|platform|templates?|license|licence|program|programme|"
                       r"repository|team|account|brand|trademarks?)\b")
_VERSIONED = rx.compile(r"\s+(?:Version|v\d|\d+\.\d)")
_INSIDE_NAME = rx.compile(r"(?:^|\s)[A-Z][\w’'-]*\s+(?:for|of|on|in|and)\s+(?:the|this)\s*$")


def is_name(words: list[str]) -> bool:
    """A court, a law, a place or a company: a word of the phrase says so."""
    return any(w in _NAME_ENDS for w in words) or re.sub(r"[’']s$", "", words[0]) in _NAME_STARTS


def proper_name(text: str, m: re.Match) -> bool:
    """A name the phrase is part of: "the Health Insurance Portability and Accountability
    Act", "the United Nations Convention for the International Sale of Goods", "the Common
    Paper Pilot Agreement Standard Terms v1.1"."""
    end, words = m.end(), m["p"].split()
    for run in _NAME_RUN.finditer(text, end):
        if run.start() != end or len(words) > 16:
            break
        words.append(run.group().split()[-1])
        end = run.end()
    if _DOC_TITLE.search(text[m.start("p"):end]) or re.match(r"\s*\{", text[end:end + 3]):
        return True  # "the Supplemental Terms and Conditions"; "the Acceptable Use Policy {ai_policy_reference}"
    if is_name(words) or _VERSIONED.match(text, end) or any(w == "Version" or re.fullmatch(r"v\d[\d.]*", w)
                                                               for w in words):
        return True
    if _MODIFIES.match(text, end):  # "the Common Paper standards", "the Creative Commons Zero license"
        return True
    return _INSIDE_NAME.search(text, max(0, m.start() - 40), m.start("p")) is not None


@line_memo
def defined_elsewhere(text: str) -> bool:
    """"capitalized terms have the meanings given herein or on the Cover Page", "Variables
    have the meanings given on a Cover Page": another document defines them."""
    if _KEY_TERMS_ELSEWHERE.search(text):
        return True
    m = _ELSEWHERE.search(text)
    if not m:
        return False
    rest = re.sub(r"(?i)\bthis\s+\w+(?:\s+[\d.]+)?|\bherein\b|\belsewhere\b", "", m.group())
    return re.search(r"\b(?:in|on|under)\s+(?:the|a|an|each|any)\s+(?:applicable\s+)?[A-Z]", rest) is not None
