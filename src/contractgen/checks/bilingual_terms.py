"""The glossary of a bilingual contract: which English term renders each Chinese one.

It starts from the positional party terms both locales' party tables list (甲方 ↔ Party A,
乙方 ↔ Party B: :mod:`.parties`), and learns from the definitions clauses: when a Chinese
unit and its English counterpart define as many terms (:func:`.termdefs.text_definitions`),
the terms pair in order — 杭州某某科技有限公司（以下简称“甲方”）and Hangzhou Moumou Technology
Co., Ltd. ("Party A") give 甲方 ↔ Party A, and the party's name in both languages. A
template may later declare the glossary; these are the entries a legacy file teaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import SourcePos
from .base import line_memo
from .bilingual_units import Pairing
from .parties import EN_TERMS, ZH_TERMS
from .termdefs import text_definitions


@dataclass(slots=True)
class Entry:
    zh: str
    en: str
    pos: SourcePos | None = None  # where the definitions taught it; None for the built-in terms
    zh_name: str = ""   # the party's name the definition gives, normalised (杭州某某科技有限公司)
    en_name: str = ""   # normalised (hangzhoumoumoutechnologycoltd)
    en_shown: str = ""  # as the English text writes it


@line_memo
def normalised(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` lower-cased without spaces and punctuation (as termdefs normalises a
    referent), with the index in ``text`` of each character kept. Memoised: a batch's
    rows repeat most units."""
    kept, where = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            kept.append(ch.casefold())
            where.append(i)
    return "".join(kept), tuple(where)


def glossary(pairing: Pairing) -> list[Entry]:
    """The built-in party terms, then what the definitions of paired units teach (a learned
    term replaces a built-in one with the same Chinese)."""
    entries = {zh: Entry(zh, en) for zh, en in zip(ZH_TERMS.positional, EN_TERMS.positional)}
    for pair in pairing.pairs:
        zh_defs = [d for d in text_definitions(pair.zh.text) if not d[4]]
        en_defs = [d for d in text_definitions(pair.en.text) if not d[4]]
        if len(zh_defs) != 1 or len(en_defs) != 1 or not _party_term(zh_defs[0][0], en_defs[0][0]):
            continue  # two definitions a side need not come in the same order: no guess
        for (zt, _, zr, _, _), (et, _, er, _, _) in zip(zh_defs, en_defs):
            if zt in entries and entries[zt].pos is not None:
                continue  # the first definition stands
            shown = _span(pair.en.text, er) if len(er) >= 6 else ""
            entries[zt] = Entry(zt, et, pair.en.pos, zr if len(zr) >= 4 else "", er if shown else "", shown)
    return list(entries.values())


def _party_term(zh: str, en: str) -> bool:
    """Whether a defined pair of terms names a party (甲方, Party A, 客户, the Customer): the
    glossary is of parties; other defined terms are left to a declared glossary."""
    return zh in _ZH_PARTY_TERMS or en in _EN_PARTY_TERMS


_ZH_PARTY_TERMS = {*ZH_TERMS.positional, *(t for group in ZH_TERMS.roles for t in group)}
_EN_PARTY_TERMS = {*EN_TERMS.positional, *(t for group in EN_TERMS.roles for t in group)}


def _span(text: str, name: str) -> str:
    """The text in ``text`` whose normalised form is ``name``."""
    norm, where = normalised(text)
    at = norm.find(name)
    return text[where[at]:where[at + len(name) - 1] + 1] if at >= 0 and name else ""


@line_memo
def has_term(text: str, term: str) -> bool:
    if not term.isascii():
        return term in text
    return re.search(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", text) is not None


ROLE_TERMS = tuple(t for group in EN_TERMS.roles for t in group)


def role_used(text: str, term: str) -> bool:
    """A role term naming a party: "the Customer", "Customer shall" (not "customer service")."""
    return re.search(rf"\b[Tt]he\s+{re.escape(term)}\b|\b{re.escape(term)}{EN_TERMS.acts}", text) is not None


def misspelt(text: str, name: str, shown: str) -> str:
    """The text in ``text`` that is nearly ``name`` (normalised) but not it, or ""."""
    norm, where = normalised(text)
    if name in norm or len(name) < 6:
        return ""
    best, found = 0.0, ""
    width = len(name)
    for start in range(0, max(0, len(norm) - width + 3)):
        if norm[start] != name[0] and norm[start:start + 2] != name[1:3]:
            continue
        for size in (width - 2, width - 1, width, width + 1, width + 2):
            window = norm[start:start + size]
            if len(window) < width - 2:
                continue
            ratio = SequenceMatcher(None, window, name, autojunk=False).ratio()
            if ratio > best:
                best, found = ratio, text[where[start]:where[start + len(window) - 1] + 1]
    return found if best >= 0.85 and found.casefold() != shown.casefold() else ""
