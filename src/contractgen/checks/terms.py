"""Defined terms: a term used but never defined, defined but never used, defined twice, or
used before its (inline) definition. Definitions are found by :mod:`.termdefs`.

Precision first. An English term is a Title Case phrase of two or more words after "the",
"this", "such", "each" or "any" ("the Support Policy") that is not a heading, the title,
a key term a cover page or key-terms table gives a value to, a proper name (an Act, a
court, a place, a company, a document title with its version) or a party's role term
(``inconsistent-party-term`` reports those); a plural or possessive ("Activities",
"Investor's") is a use of the term. A Chinese term is a quoted “X” with Chinese characters
used at least twice; an English word in quotes, or a curly apostrophe, is never one. A
contract that says its capitalised terms or variables are defined elsewhere ("… on the
Cover Page") is not checked for undefined terms, nor is a phrase the text says is defined
in another document ("the Payment Process (as defined in the Order Form)"); a glossary
definition ("X" means …) may come after the recitals use it.

Severity: whether a capitalised phrase is meant as a defined term is the drafter's choice,
so ``undefined-term`` is a warning, unless the text says the phrase is defined in this
contract ("the Renewal Term (as defined below)") and nothing defines it: then an error.
``duplicate-definition`` is an error when two definitions of one term certainly differ:
two glossary entries ("X" means …) in one part, or two names given one short form
(杭州甲公司（以下简称“甲方”）… 宁波丙公司（以下简称“甲方”）); a glossary entry and an
inline definition, which may restate it, is a warning; a signpost ("X" has the meaning given in Section 12), a restatement with the same meaning
and an addendum naming its parent agreement are not reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from difflib import SequenceMatcher
from functools import lru_cache
from operator import itemgetter
from typing import Iterable

from ..diagnostics import ERROR, WARNING
from ..grammar import CJK, is_title_like
from ..model import Clause, Document
from .base import CheckContext, rule
from .parties import TERMS as PARTY_TERMS
from .sets import restated_party
from .termdefs import Definition, definitions, key_terms
from .instruments import names_other_instrument, sentence_around
from .termnames import defined_elsewhere, is_name, proper_name
from .. import rx

_PARTY_KEYS = {t.casefold() for terms in PARTY_TERMS.values()
               for t in (*terms.positional, *(r for side in terms.roles for r in side))}
_BOTH_PARTIES = rx.compile(r"甲乙(?:双)?方")
_WORD = r"[A-Z][a-z]+(?:-[A-Za-z]+)*"
_EN_PHRASE = rx.compile(
    rf"(?<![A-Za-z])(?:[Tt]he|[Tt]his|[Ee]ach|[Aa]ny|[Tt]hese|[Tt]hose)\s+(?P<p>{_WORD}(?:\s+(?:of\s+)?{_WORD})+)"
    r"(?![A-Za-z])")
_INLINE_AFTER = rx.compile(r"\s*\((?:[^()]{0,80}\)\s*\()?\s*(?:the\s+)?[“\"]")
_SELF_NAMES = {"Agreement", "Contract", "Addendum", "Amendment", "Deed", "Schedule", "Annex", "Exhibit",
               "本协议", "本合同", "主合同", "原合同", "主协议"}
# the parts of a standard-terms contract, which name the contract itself
_DOCUMENT_PARTS = {"cover page", "order form", "key terms", "standard terms", "framework terms", "cover terms"}
_SELF_PARTS = {"Page", "Form", "Terms", "Addendum", "Agreement", "Policy", "Schedule", "Exhibit", "Annex"}
# "the Payment Process (as defined in the Order Form)": the text says where the term is defined
_DEFINED_IN_OTHER = rx.compile(r"(?:\s*\([A-Z]{2,6}\))?(?:,?\s*if\s+any,?)?\s*[(,]?\s*(?:as\s+)?(?:defined|described|specified|set\s+out|identified)\s+"
                               r"(?:in|on|under)\s+(?:the|a|an|each|any)\s+[A-Z]")
_SAID_DEFINED_HERE = rx.compile(r"\s*[(,]?\s*(?:as\s+)?defined\s+(?:below|above|herein|hereunder|in\s+this\s+"
                                r"(?:Agreement|Contract)|in\s+(?:Section|Clause|Article)\s+\d)")
_DEFINED_BELOW = rx.compile(r"^[^.;。；]{0,6}[(（]?\s*(?:as\s+)?(?:defined|see)\s+(?:below|in)", re.I)
_ZH_CUE_BEFORE = rx.compile(r"(?:简称|称为|称|所称|指|即|为|名为|标明|注明|写明|载明|如|例如|诸如|或|及|和|、)\s*$")
_ZH_CUE_AFTER = rx.compile(r"^\s*(?:[，,]\s*)?(?:均|即|系|是|意|特)?(?:指|具有|包括|字样|二字|一词|一语|等字样)")
_ZH_QUOTED = rx.compile(r"[“「](?P<t>[\u3400-\u9fffA-Za-z0-9]{2,12})[”」]")


def _key(term: str) -> str:
    return term.casefold()


def _first_definitions(ctx: CheckContext) -> dict[str, list[Definition]]:
    grouped: dict[str, list[Definition]] = defaultdict(list)
    for d in definitions(ctx):
        grouped[_key(d.term)].append(d)
    return grouped


def _is_zh(term: str) -> bool:
    """A Chinese term: one with Chinese characters (a curly apostrophe is not one)."""
    return CJK.search(term) is not None


def _variants(term: str) -> list[str]:
    """How an English term is written when used: itself, and "Activities" for "Activity"
    (plurals in -s/-es and possessives are matched by the pattern's ending)."""
    if len(term) > 2 and term[-1] in "yY" and term[-2].lower() not in "aeiou":
        return [term, term[:-1] + "ies"]
    return [term]


def term_uses(ctx: CheckContext) -> dict[str, list[tuple[int, int]]]:
    """Where each defined term is used: (unit index, offset), definitions themselves excluded."""
    def compute() -> dict[str, list[tuple[int, int]]]:
        defs = definitions(ctx)
        terms = {_key(d.term): d.term for d in defs}
        uses: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if not terms:
            return uses
        written, pattern = _uses_pattern(tuple(terms.items()))
        spans = {(d.unit, d.start) for d in defs}
        parties = tuple(party for party in ("甲方", "乙方") if party in terms)
        fixed, fresh = ctx.scan_parts("term-uses", _term_matches, pattern)
        if ctx.shared is None:
            return _collect_uses(fresh, spans, written, parties)
        # a batch row: the fixed units' uses once per clause set, then the row's own
        mine = frozenset(span for span in spans if ctx.fixed[span[0]])
        kept = ctx.set_memo(("term-uses", pattern, mine, parties), lambda: _collect_uses(fixed, spans, written, parties))
        if not fresh:
            return kept
        uses.update(kept)
        for term, at in _collect_uses(fresh, spans, written, parties).items():
            # in unit order; a unit's own uses as found (the sort is stable)
            uses[term] = sorted(kept.get(term, []) + at, key=_unit_of)
        return uses
    return ctx.memo("term-uses", compute)


def _collect_uses(found, spans, written, parties) -> dict[str, list[tuple[int, int]]]:
    """Where each term is used, from ``found`` (:meth:`CheckContext.scan` results)."""
    uses: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, (matches, both) in found:
        for start, term in matches:
            if (index, start) not in spans:
                uses[written.get(term, term)].append((index, start))
        for start in both:
            for party in parties:
                uses[party].append((index, start))
    return uses


_unit_of = itemgetter(0)  # a use's unit index


@lru_cache(maxsize=256)
def _uses_pattern(terms: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], str]:
    """How each (key, term)'s uses are written (key by written form) and the pattern that
    finds them: the same terms give the same pattern in every row of a batch."""
    written = {_key(v): key for key, t in terms if not _is_zh(t) for v in _variants(t)}
    en = sorted((re.escape(v) for v in written), key=len, reverse=True)
    zh = sorted((re.escape(t) for _, t in terms if _is_zh(t)), key=len, reverse=True)
    alts = []
    if en:
        alts.append(rf"(?<![A-Za-z])(?i:(?P<en>{'|'.join(en)}))(?:s|es|['’]s|s['’])?(?![A-Za-z])")
    if zh:
        alts.append(rf"(?P<zh>{'|'.join(zh)})")
    return written, "|".join(alts)


def _term_matches(text: str, pattern: str) -> tuple[tuple, tuple] | None:
    """:func:`_matches`, or None when the text has none (what :meth:`CheckContext.scan` skips)."""
    hit = _matches(pattern, text)
    return hit if hit[0] or hit[1] else None


_MATCHES: dict[tuple[str, str], tuple[tuple, tuple]] = {}
_MATCHES_LIMIT = 8192


def _matches(pattern: str, text: str) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...]]:
    """(start, term key) of every match of the terms' ``pattern`` in ``text``, and where
    "甲乙双方" names both parties: a function of the two strings, and a batch checks the
    same clause text against the same terms in every contract, so each is searched once."""
    key = (pattern, text)
    hit = _MATCHES.get(key)
    if hit is None:
        if len(_MATCHES) >= _MATCHES_LIMIT:
            _MATCHES.clear()
        found = tuple((m.start(), _key(m.group(m.lastgroup))) for m in re.compile(pattern).finditer(text))
        hit = _MATCHES[key] = (found, tuple(m.start() for m in _BOTH_PARTIES.finditer(text)))
    return hit


@rule("undefined-term", ERROR, "terms",
      help="a phrase used as a defined term (the Support Policy, “服务标准”) that is never defined; an error only when "
           "the text says it is defined here (\"as defined below\"), else a warning: a capitalised phrase may be a name",
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
    """A term defined but never used (nor any alias defined with it: “EEA” for the European
    Economic Area). A warning: an unused definition is harmless."""
    uses, headings = term_uses(ctx), _headings(doc, ctx, with_title=False)
    aliases: dict[tuple[int, str], set[str]] = defaultdict(set)  # “European Economic Area” or “EEA” means
    for d in definitions(ctx):
        aliases[(d.unit, d.referent)].add(_key(d.term))
    for key, defs in _first_definitions(ctx).items():
        names = set().union(*(aliases[(d.unit, d.referent)] for d in defs))
        if not any(uses.get(name) for name in names) and key not in headings:
            d = defs[0]
            yield ctx.finding(f"'{d.term}' is defined but never used", d.pos, ctx.units[d.unit].text, around=d.start)


@rule("duplicate-definition", ERROR, "terms",
      help="a term is defined twice with different meanings: an error for two glossary entries (\"X\" means …) "
           "in one part or two names given one short form, a warning when a glossary entry may restate an inline one",
      bad='"Fees" means the monthly fees.\n...\n"Fees" means all amounts payable.',
      good='"Fees" means all amounts payable.')
def check_duplicate_definition(doc: Document, ctx: CheckContext) -> Iterable:
    """A term defined twice; a signpost, a restatement of the same meaning and an addendum
    naming its parent agreement are not duplicates."""
    for defs in _first_definitions(ctx).values():
        real = [d for d in defs if not d.signpost]
        first = real[0] if real else None
        for d in real[1:]:
            if (d.unit == first.unit and d.start == first.start) or _restates(first, d, ctx.units[d.unit].text) or \
               restated_party(d.term, ctx.units[first.unit], ctx.units[d.unit]):
                continue
            where = f" (first defined at {place(ctx, first.pos, d.pos)})" if first.pos else ""
            found = ctx.finding(f"'{d.term}' is defined again{where}", d.pos, ctx.units[d.unit].text, around=d.start)
            certain = (not first.inline and not d.inline and first.part is d.part) or \
                (first.inline and d.inline and bool(first.referent) and bool(d.referent))
            yield found if certain else as_warning(found)


def place(ctx: CheckContext, pos, at=None) -> str:
    """Where an earlier line is, for a message about ``at``: "line 14" in a one-file
    document; the file and line when the document spans several (a contract set, a contract
    built from clause fragments), so the line is never read as one of the finding's own
    file: the path as read ("clauses/msa/fees.md:14"), or only the name ("main.md:14") of
    a file read by its absolute path from the finding's own folder."""
    files = ctx.memo("source_files", lambda: {u.pos.path for u in ctx.units if u.pos is not None})
    if len(files | {pos.path}) <= 1:
        return f"line {pos.line}"
    if at is not None and Path(pos.path).is_absolute() and Path(at.path).parent == Path(pos.path).parent:
        return f"{Path(pos.path).name}:{pos.line}"
    return str(pos)


def _translation(first: Definition, again: Definition) -> bool:
    """A bilingual contract defines each term in both of its versions: (the “Agreement” or
    “CLA”) in the English text, （“本协议”或“CLA”）in the Chinese."""
    return not _is_zh(first.term) and _is_zh(first.referent) != _is_zh(again.referent)


def as_warning(found):
    """The finding, downgraded: the text leaves doubt."""
    found.severity = WARNING
    return found


_THIS_ADDENDUM = rx.compile(r"\b(?:this|the)\s+(?:Addendum|Amendment|Schedule|Exhibit|Annex)\b")


def _restates(first: Definition, again: Definition, text: str = "") -> bool:
    """An addendum restating the parties or a definition, or naming which one is meant:
    “……已确定的第三方为某公司（以下简称“第三方”）”; the same name given the same short form
    twice; an addendum's (the “Agreement”) naming the agreement it belongs to."""
    if again.inline and _key(again.term) in again.referent:
        return True
    if _translation(first, again):
        return True
    short, long_ = sorted((first.referent, again.referent), key=len)
    if len(short) >= 3 and short in long_:  # 发包方（简称甲方） … 发包方（以下简称甲方）
        return True
    named = next((d.referent for d in (first, again) if d.inline), "")
    other = again.referent if named == first.referent else first.referent
    tail = named[-6:] if _is_zh(named) else named[-10:]
    if first.inline != again.inline and len(named) >= 4 and tail in other:
        return True  # KWDB Project (the “Project”) … “Project” refers to the KWDB Project …
    if again.inline and again.term in _SELF_NAMES and again.unit != first.unit and \
       _THIS_ADDENDUM.search(text):
        return True  # an addendum's “(the “Agreement”)” names the agreement it belongs to
    if first.referent and again.referent and min(len(first.referent), len(again.referent)) >= 20 and \
       SequenceMatcher(None, first.referent, again.referent).ratio() >= 0.8:
        return True
    if again.part is first.part or again.part.kind not in ("addendum", "attachment"):
        return False
    if again.inline and again.term in _SELF_NAMES:
        return True
    if not again.referent or not first.referent:
        return False
    return again.referent == first.referent or (
        not again.inline and SequenceMatcher(None, first.referent, again.referent).ratio() >= 0.6)


@rule("term-used-before-definition", WARNING, "terms",
      help="a term is used in the body before the clause that defines it in brackets",
      bad='1.1 The Provider shall meet the Service Levels.\n3.1 Provider will meet the levels in Schedule 1 (the "Service Levels").',
      good='1.1 Provider will meet the levels in Schedule 1 (the "Service Levels").\n3.1 The Provider shall meet the Service Levels.')
def check_term_used_before_definition(doc: Document, ctx: CheckContext) -> Iterable:
    """A term used in the body before the clause that defines it in brackets, written as the
    term is and not as the end of a longer name. A warning: the meaning is usually plain."""
    uses = term_uses(ctx)
    for key, defs in _first_definitions(ctx).items():
        first = defs[0]
        if not first.inline or key in _PARTY_KEYS:
            continue
        for index, start in uses.get(key, ()):
            if index >= first.unit:
                break
            unit = ctx.units[index]
            if not _in_body(unit) or not _used_as_term(unit.text, start, first.term) or _DEFINED_BELOW.match(unit.text[start + len(first.term):start + len(first.term) + 30]):
                continue
            where = f" at {place(ctx, first.pos, unit.pos)}" if first.pos else " later"
            yield ctx.finding(f"'{first.term}' is used before it is defined{where}", unit.pos, unit.text, around=start)
            break


_CAPITALISED_BEFORE = rx.compile(r"[A-Z][\w’'-]*\s+$")


def _used_as_term(text: str, start: int, term: str) -> bool:
    """Written as the term is ("a GitHub modification" is no use of "Modification"), and not
    the end of a longer name ("the GitHub Data Protection Addendum" is no use of "Addendum")."""
    if _is_zh(term):
        return True
    if term[:1].isupper() and not text[start:start + 1].isupper():
        return False
    return not _CAPITALISED_BEFORE.search(text[max(0, start - 30):start])


_SENTENCE_END = rx.compile(r"[.。!?！？]")


def _in_body(unit) -> bool:
    """Clause text in a contract's body; covers, preambles and tables may name terms early,
    and a heading-like line ("Confidentiality; Pre-Release Materials") names its section."""
    if len(unit.text.split()) <= 8 and not _SENTENCE_END.search(unit.text):
        return False
    return unit.part.kind != "cover" and isinstance(unit.block, Clause)


def _headings(doc: Document, ctx: CheckContext, with_title: bool = True) -> str:
    """Every heading's text, casefolded; the document's title too unless told otherwise."""
    def outline() -> str:
        titles = [p.title for p in doc.parts]
        titles += [b.title for _, b in doc.blocks() if getattr(b, "title", "")]
        titles += [e.title for _, b in doc.blocks() for e in getattr(b, "entries", ())]
        return "\n".join(titles).casefold()
    return f"{(doc.title if with_title else '').casefold()}\n{ctx.outline_memo('headings', outline)}"


def _en_undefined(doc: Document, ctx: CheckContext, defined: set[str]) -> Iterable:
    if not any(not _is_zh(d.term) for d in definitions(ctx)) or ctx.scan("defined-elsewhere", defined_elsewhere):
        return
    headings, reported = _headings(doc, ctx), set()
    named = key_terms(ctx)  # a key-term row "Prior Inventions Disclosure" names the Prior Inventions too
    known = defined | named | _DOCUMENT_PARTS | {" ".join(k.split()[:n]) for k in named for n in range(2, len(k.split()))}
    ruled_out: dict[str, bool] = {}  # per phrase, so each costs one look at the headings
    for index, candidates in ctx.scan("en-undefined-candidates", _en_candidates):
        unit = ctx.units[index]
        for phrase, key, once, start, said_here in candidates:
            if key not in ruled_out:
                ruled_out[key] = _known(key, known) or key in headings or is_name(phrase.split())
            if once in reported or ruled_out[key]:
                continue
            reported.add(once)
            found = ctx.finding(f"'{phrase}' is used as a defined term but is never defined", unit.pos, unit.text,
                                around=start, suggestion=f'define it: "{phrase}" means …')
            yield found if said_here else as_warning(found)


_PLURAL_END = rx.compile(r"(?:['’]s|s)$")


def _en_candidates(text: str) -> tuple[tuple[str, str, str, int, bool], ...]:
    """The phrases of one unit used as defined terms that the unit itself does not account
    for (named in quotes, a proper name, defined in another instrument, a statute's term):
    (phrase, key, its singular key, where, whether the unit says it is defined here). A pure
    function of the text: a batch reads it once per clause set for its fixed units."""
    if text[:1].isupper() and is_title_like(text, "en"):
        return ()
    out = []
    for m in _EN_PHRASE.finditer(text):
        if _named_here(text, m) or proper_name(text, m) or _DEFINED_IN_OTHER.match(text, m.end()) \
           or _regulatory(text, m):
            continue
        phrase = m["p"]
        key = _key(phrase)
        once = _PLURAL_END.sub("", key)  # one finding for "Prior Invention" and "Prior Inventions"
        out.append((phrase, key, once, m.start("p"), bool(_SAID_DEFINED_HERE.match(text, m.end()))))
    return tuple(out)


def _regulatory(text: str, m: re.Match) -> bool:
    """A term of a statute the sentence cites ("the Commercial Computer Software" in a
    sentence citing 48 C.F.R. 227.7202), or the product of a brand ("GitHub Enterprise
    Cloud … the Enterprise Cloud Addendum")."""
    if names_other_instrument(sentence_around(text, m.start("p"))):
        return True
    first = re.escape(m["p"].split()[0])
    return re.search(rf"\b[A-Z][a-z]+[A-Z]\w*\s+{first}\b", text) is not None


def _named_here(text: str, m: re.Match) -> bool:
    """In quotes, the name an inline definition gives a term to, or the document naming itself."""
    if text[m.end():m.end() + 1] in "”\"" or text[m.start("p") - 1:m.start("p")] in "“\"":
        return True
    if _INLINE_AFTER.match(text, m.end()):
        return True
    return text[m.start():m.start() + 4].casefold() == "this" and m["p"].split()[-1] in _SELF_NAMES | _SELF_PARTS


_POSSESSIVE_END = rx.compile(r"[’']s?$")


def _known(key: str, defined: set[str]) -> bool:
    """Defined, in the singular or plural or possessive, or made of a defined term and more
    ("the Fees Customer has paid", "the Customer Content of Private Repositories")."""
    bare = _POSSESSIVE_END.sub("", key)
    forms = {key, bare, bare[:-1] if bare.endswith("s") else bare, bare + "s",
             bare[:-3] + "y" if bare.endswith("ies") else bare}
    if forms & defined or key in _PARTY_KEYS:
        return True
    words = key.split()
    for n in range(1, len(words)):
        head, rest = " ".join(words[:n]), words[n:]
        if (head in defined or head in _PARTY_KEYS) and (rest[0] == "of" or " ".join(rest) in defined | _PARTY_KEYS):
            return True
    return "of" in words and any(" ".join(words[n:]) in defined for n in range(words.index("of") + 1, len(words)))


def _zh_undefined(ctx: CheckContext, defined: set[str]) -> Iterable:
    if not any(_is_zh(d.term) for d in definitions(ctx)):
        return
    reported: set[str] = set()
    counts: dict[str, int] = {}
    for index, found in ctx.scan("zh-quoted-terms", _zh_quoted_terms):
        unit = ctx.units[index]
        for term, start in found:
            if term in reported or term in defined or term in _PARTY_KEYS or _part_of_a_term(term, defined):
                continue
            if counts.setdefault(term, _occurrences(ctx, term)) < 2:
                continue
            reported.add(term)
            yield as_warning(ctx.finding(f"'“{term}”' is used as a defined term but is never defined", unit.pos,
                                         unit.text, around=start, suggestion=f"define it: “{term}”指……"))


def _zh_quoted_terms(text: str) -> tuple[tuple[str, int], ...]:
    """(term, where) of each Chinese phrase in quotation marks that the text itself does not
    show to be other than a term (a cue word before or after it, a book title)."""
    if "“" not in text and "「" not in text:
        return ()
    return tuple((m["t"], m.start()) for m in _ZH_QUOTED.finditer(text) if _is_zh(m["t"]) and not (
        _ZH_CUE_BEFORE.search(text[max(0, m.start() - 4):m.start()]) or
        _ZH_CUE_AFTER.match(text[m.end():m.end() + 8]) or _in_book_title(text, m.start())))


def _occurrences(ctx: CheckContext, term: str) -> int:
    """How often ``term`` occurs in the units' text (titles left out); for a batch row, in
    the fixed units once per clause set."""
    if ctx.shared is None:
        return ctx.memo("units-text", lambda: "\n".join(u.text for u in ctx.units)).count(term)
    units, fixed = ctx.units, ctx.fixed
    kept = ctx.set_memo(("term-occurrences", term),
                        lambda: sum(u.text.count(term) for u, f in zip(units, fixed) if f))
    return kept + sum(units[i].text.count(term) for i, f in enumerate(fixed) if not f)


def _part_of_a_term(term: str, defined: set[str]) -> bool:
    return any(term in d for d in defined)


def _in_book_title(text: str, at: int) -> bool:
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)
