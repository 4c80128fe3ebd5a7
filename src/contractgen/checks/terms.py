"""Defined terms: a term used but never defined, defined but never used, defined twice, or
used before its (inline) definition. Definitions are found by :mod:`.termdefs`.

Precision first. An English term is a Title Case phrase of two or more words after "the",
"this", "such", "each" or "any" ("the Support Policy") that is not a heading, the title,
a proper name (an Act, a court, a place) or a party's role term (``inconsistent-party-term``
reports those). A Chinese term is a quoted “X” used at least twice. A contract that says its
capitalised terms are defined elsewhere ("… on the Cover Page") is not checked for
undefined terms, and a glossary definition ("X" means …) may come after the recitals use it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Iterable

from ..diagnostics import ERROR, WARNING
from ..grammar import is_title_like
from ..model import Clause, Document
from .base import CheckContext, rule
from .parties import TERMS as PARTY_TERMS
from .sets import restated_party
from .termdefs import Definition, definitions

_PARTY_KEYS = {t.casefold() for terms in PARTY_TERMS.values()
               for t in (*terms.positional, *(r for side in terms.roles for r in side))}
_BOTH_PARTIES = re.compile(r"甲乙(?:双)?方")
_WORD = r"[A-Z][a-z]+(?:-[A-Za-z]+)*"
_EN_PHRASE = re.compile(
    rf"(?<![A-Za-z])(?:[Tt]he|[Tt]his|[Ss]uch|[Ee]ach|[Aa]ny|[Tt]hese|[Tt]hose)\s+(?P<p>{_WORD}(?:\s+(?:of\s+)?{_WORD})+)")
_NAME_ENDS = set(
    "Act Code Law Laws Regulation Regulations Rules Ordinance Convention Treaty Directive Constitution "
    "Court Courts Tribunal Centre Center Commission Committee Council Association Institute Institution "
    "Bank Exchange Authority Agency Office Bureau Ministry Department Government Republic Kingdom States "
    "Union Nations Province City County District Region Islands Island Ltd Limited Inc Corporation Company "
    "Group Holdings University Street Road Avenue Building Tower".split())
_INLINE_AFTER = re.compile(r"\s*\((?:[^()]{0,80}\)\s*\()?\s*(?:the\s+)?[“\"]")
_SELF_NAMES = {"Agreement", "Contract", "Addendum", "Amendment", "Deed", "Schedule", "Annex", "Exhibit"}
_NAME_STARTS = set("State Republic Kingdom People City Province Commonwealth United Hong Special Court "
                   "Supreme High District Federal European".split())
_ELSEWHERE = re.compile(r"(?i)capitali[sz]ed\s+terms[^.]{0,160}?\b(?:meaning|defined)[^.]{0,160}")
_DEFINED_BELOW = re.compile(r"^[^.;。；]{0,6}[(（]?\s*(?:as\s+)?(?:defined|see)\s+(?:below|in)", re.I)
_ZH_CUE_BEFORE = re.compile(r"(?:简称|称为|称|所称|指|即|为|名为|标明|注明|写明|载明|如|例如|诸如|或|及|和|、)\s*$")
_ZH_CUE_AFTER = re.compile(r"^\s*(?:[，,]\s*)?(?:均|即|系|是|意|特)?(?:指|具有|包括|字样|二字|一词|一语|等字样)")
_ZH_QUOTED = re.compile(r"[“「](?P<t>[\u3400-\u9fffA-Za-z0-9]{2,12})[”」]")


def _key(term: str) -> str:
    return term.casefold()


def _first_definitions(ctx: CheckContext) -> dict[str, list[Definition]]:
    grouped: dict[str, list[Definition]] = defaultdict(list)
    for d in definitions(ctx):
        grouped[_key(d.term)].append(d)
    return grouped


def term_uses(ctx: CheckContext) -> dict[str, list[tuple[int, int]]]:
    """Where each defined term is used: (unit index, offset), definitions themselves excluded."""
    def compute() -> dict[str, list[tuple[int, int]]]:
        defs = definitions(ctx)
        terms = {_key(d.term): d.term for d in defs}
        uses: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if not terms:
            return uses
        en = sorted((re.escape(t) for t in terms.values() if t.isascii()), key=len, reverse=True)
        zh = sorted((re.escape(t) for t in terms.values() if not t.isascii()), key=len, reverse=True)
        alts = []
        if en:
            alts.append(rf"(?<![A-Za-z])(?i:(?P<en>{'|'.join(en)}))(?:s|es)?(?![A-Za-z])")
        if zh:
            alts.append(rf"(?P<zh>{'|'.join(zh)})")
        pattern = re.compile("|".join(alts))
        spans = {(d.unit, d.start) for d in defs}
        for index, unit in enumerate(ctx.units):
            for m in pattern.finditer(unit.text):
                if (index, m.start()) not in spans:
                    uses[_key(m.group(m.lastgroup))].append((index, m.start()))
            for m in _BOTH_PARTIES.finditer(unit.text):
                for party in ("甲方", "乙方"):
                    if party in terms:
                        uses[party].append((index, m.start()))
        return uses
    return ctx.memo("term-uses", compute)


@rule("undefined-term", ERROR, "terms",
      help="a phrase used as a defined term (the Support Policy, “服务标准”) that is never defined",
      bad='"Services" means the support services.\nProvider shall perform the Services under the Support Policy.',
      good='"Services" means the support services.\n"Support Policy" means Schedule 2.\nProvider shall perform the Services under the Support Policy.')
def check_undefined_term(doc: Document, ctx: CheckContext) -> Iterable:
    """A phrase used as a defined term that the contract never defines."""
    defined = set(_first_definitions(ctx))
    if not defined:
        return
    yield from _en_undefined(doc, ctx, defined)
    yield from _zh_undefined(ctx, defined)


@rule("unused-definition", WARNING, "terms", help="a term is defined but never used",
      bad="“交付日”指乙方交付之日。\n“保密信息”指甲方提供的信息。\n乙方应对保密信息保密。", good="“保密信息”指甲方提供的信息。\n乙方应对保密信息保密。")
def check_unused_definition(doc: Document, ctx: CheckContext) -> Iterable:
    """A term defined but never used."""
    uses, headings = term_uses(ctx), _headings(doc, with_title=False)
    for key, defs in _first_definitions(ctx).items():
        if not uses.get(key) and key not in headings:
            d = defs[0]
            yield ctx.finding(f"'{d.term}' is defined but never used", d.pos, ctx.units[d.unit].text, around=d.start)


@rule("duplicate-definition", ERROR, "terms",
      help="a term is defined twice (an addendum restating the same party is fine)",
      bad='"Fees" means the monthly fees.\n...\n"Fees" means all amounts payable.',
      good='"Fees" means all amounts payable.')
def check_duplicate_definition(doc: Document, ctx: CheckContext) -> Iterable:
    """A term defined twice; an addendum or attachment restating the same meaning is fine."""
    for defs in _first_definitions(ctx).values():
        first = defs[0]
        for d in defs[1:]:
            if (d.unit == first.unit and d.start == first.start) or _restates(first, d) or \
               restated_party(d.term, ctx.units[first.unit], ctx.units[d.unit]):
                continue
            where = f" (first defined at line {first.pos.line})" if first.pos else ""
            yield ctx.finding(f"'{d.term}' is defined again{where}", d.pos, ctx.units[d.unit].text, around=d.start)


def _restates(first: Definition, again: Definition) -> bool:
    """An addendum restating the parties or a definition, or naming which one is meant:
    “……已确定的第三方为某公司（以下简称“第三方”）”."""
    if again.inline and _key(again.term) in again.referent:
        return True
    if again.part is first.part or again.part.kind not in ("addendum", "attachment"):
        return False
    if not again.referent or not first.referent:
        return False
    return again.referent == first.referent or (
        not again.inline and SequenceMatcher(None, first.referent, again.referent).ratio() >= 0.6)


@rule("term-used-before-definition", WARNING, "terms",
      help="a term is used in the body before the clause that defines it in brackets",
      bad='1.1 The Provider shall meet the Service Levels.\n3.1 Provider will meet the levels in Schedule 1 (the "Service Levels").',
      good='1.1 Provider will meet the levels in Schedule 1 (the "Service Levels").\n3.1 The Provider shall meet the Service Levels.')
def check_term_used_before_definition(doc: Document, ctx: CheckContext) -> Iterable:
    """A term used in the body before the clause that defines it in brackets."""
    uses = term_uses(ctx)
    for key, defs in _first_definitions(ctx).items():
        first = defs[0]
        if not first.inline or key in _PARTY_KEYS:
            continue
        for index, start in uses.get(key, ()):
            if index >= first.unit:
                break
            unit = ctx.units[index]
            if not _in_body(unit) or _DEFINED_BELOW.match(unit.text[start + len(first.term):start + len(first.term) + 30]):
                continue
            where = f" at line {first.pos.line}" if first.pos else " later"
            yield ctx.finding(f"'{first.term}' is used before it is defined{where}", unit.pos, unit.text, around=start)
            break


def _in_body(unit) -> bool:
    """Clause text in a contract's body; covers, preambles and tables may name terms early."""
    return unit.part.kind != "cover" and isinstance(unit.block, Clause)


def _headings(doc: Document, with_title: bool = True) -> str:
    """Every heading's text, casefolded; the document's title too unless told otherwise."""
    titles = [doc.title if with_title else ""] + [p.title for p in doc.parts]
    titles += [b.title for _, b in doc.blocks() if getattr(b, "title", "")]
    titles += [e.title for _, b in doc.blocks() for e in getattr(b, "entries", ())]
    return "\n".join(titles).casefold()


def _is_name(words: list[str]) -> bool:
    return words[-1] in _NAME_ENDS or re.sub(r"[’']s$", "", words[0]) in _NAME_STARTS


def _en_undefined(doc: Document, ctx: CheckContext, defined: set[str]) -> Iterable:
    if not any(d.term.isascii() for d in definitions(ctx)) or any(_defined_elsewhere(u.text) for u in ctx.units):
        return
    headings, reported = _headings(doc), set()
    ruled_out: dict[str, bool] = {}  # per phrase, so each costs one look at the headings
    for unit in ctx.units:
        if unit.text[:1].isupper() and is_title_like(unit.text, "en"):
            continue
        for m in _EN_PHRASE.finditer(unit.text):
            phrase = m["p"]
            key = _key(phrase)
            if key not in ruled_out:
                ruled_out[key] = _known(key, defined) or key in headings or _is_name(phrase.split())
            if key in reported or ruled_out[key] or _named_here(unit.text, m):
                continue
            reported.add(key)
            yield ctx.finding(f"'{phrase}' is used as a defined term but is never defined", unit.pos, unit.text,
                              around=m.start("p"), suggestion=f'define it: "{phrase}" means …')


def _named_here(text: str, m: re.Match) -> bool:
    """In quotes, the name an inline definition gives a term to, or the document naming itself."""
    if text[m.end():m.end() + 1] in "”\"" or text[m.start("p") - 1:m.start("p")] in "“\"":
        return True
    if _INLINE_AFTER.match(text, m.end()):
        return True
    return text[m.start():m.start() + 4].casefold() == "this" and m["p"].split()[-1] in _SELF_NAMES


def _known(key: str, defined: set[str]) -> bool:
    singular = key[:-1] if key.endswith("s") else key
    return key in defined or singular in defined or key + "s" in defined or key in _PARTY_KEYS


def _defined_elsewhere(text: str) -> bool:
    """"capitalized terms have the meanings given herein or on the Cover Page": another document."""
    m = _ELSEWHERE.search(text)
    if not m:
        return False
    rest = re.sub(r"(?i)\bthis\s+\w+(?:\s+[\d.]+)?|\bherein\b|\belsewhere\b", "", m.group())
    return re.search(r"\b(?:in|on|under)\s+(?:the|a|an|each|any)\s+[A-Z]", rest) is not None


def _zh_undefined(ctx: CheckContext, defined: set[str]) -> Iterable:
    if not any(not d.term.isascii() for d in definitions(ctx)):
        return
    full = ctx.memo("units-text", lambda: "\n".join(u.text for u in ctx.units))  # titles left out
    reported: set[str] = set()
    counts: dict[str, int] = {}
    for unit in ctx.units:
        if "“" not in unit.text and "「" not in unit.text:
            continue
        for m in _ZH_QUOTED.finditer(unit.text):
            term = m["t"]
            if term in reported or term in defined or term in _PARTY_KEYS or _part_of_a_term(term, defined):
                continue
            if _ZH_CUE_BEFORE.search(unit.text[max(0, m.start() - 4):m.start()]) or \
               _ZH_CUE_AFTER.match(unit.text[m.end():m.end() + 8]) or _in_book_title(unit.text, m.start()):
                continue
            if counts.setdefault(term, full.count(term)) < 2:
                continue
            reported.add(term)
            yield ctx.finding(f"'“{term}”' is used as a defined term but is never defined", unit.pos, unit.text,
                              around=m.start(), suggestion=f"define it: “{term}”指……")


def _part_of_a_term(term: str, defined: set[str]) -> bool:
    return any(term in d for d in defined)


def _in_book_title(text: str, at: int) -> bool:
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)
