"""Party terms: a party named by a term the contract never defines, or two terms for one
party with no definition linking them (甲方 on the cover, 客户 in the clauses).

Locale is data: each table lists the positional terms (甲方, Party A) and the role terms
for each side. A role term only counts as naming a party when it acts in a sentence
("客户应", "Customer shall"), so "客户信息" or "customer support" alone do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..diagnostics import WARNING
from ..model import Document, SourcePos
from .base import CheckContext, line_memo, rule
from .. import rx


@dataclass(frozen=True)
class PartyTerms:
    positional: tuple[str, ...]          # side 1, side 2, side 3
    roles: tuple[tuple[str, ...], ...]   # role terms per side
    acts: str                            # regex of what follows a term acting as a party
    definition: str                      # regex of a definition around a term ({t} is the term)


ZH_TERMS = PartyTerms(
    positional=("甲方", "乙方", "丙方"),
    roles=(("客户", "委托方", "委托人", "买方", "采购方", "发包方", "出租方", "用户"),
           ("服务提供商", "服务商", "供应商", "受托方", "受托人", "卖方", "承包方", "承租方", "服务方"),
           ()),
    acts=r"(应当|应|有权|可以|可|不得|须|需|承担|负责|同意|保证|未按)",
    definition=r"({t}\s*[（(][^）)]{{0,20}}[）)]|[（(][^）)]{{0,20}}{t}[^）)]{{0,20}}[）)]|{t}\s*[:：]|(以下简称|下称|简称|又称|即)\s*[“\"「]?{t})",
)
EN_TERMS = PartyTerms(
    positional=("Party A", "Party B", "Party C"),
    roles=(("Customer", "Client", "Buyer", "Purchaser", "Licensee"),
           ("Provider", "Service Provider", "Supplier", "Vendor", "Seller", "Contractor", "Licensor"),
           ()),
    acts=r"\s+(shall|will|may|must|agrees|warrants|represents)\b",
    definition=r"([(\[]\s*(the\s+)?[“\"]{t}[”\"]|[“\"]{t}[”\"]\s+means|{t}\s*:|hereinafter\s+(referred\s+to\s+as\s+)?[“\"]?{t})",
)
TERMS = {"zh": ZH_TERMS, "en": EN_TERMS}

_ZH_BOTH = rx.compile(r"甲乙(双)?方")


@dataclass
class _Usage:
    term: str
    side: int
    first: SourcePos | None = None
    excerpt: str = ""
    acting: bool = False
    defined: bool = False


def _occurs(term: str, text: str) -> bool:
    if term in ("甲方", "乙方") and _ZH_BOTH.search(text):
        return True
    if term.isascii():
        return term in text and _word(term).search(text) is not None
    return term in text


@lru_cache(maxsize=256)
def _word(term: str) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])")


def _usages(ctx: CheckContext, terms: PartyTerms) -> list[_Usage]:
    usages = [_Usage(t, side) for side, t in enumerate(terms.positional)]
    usages += [_Usage(t, side) for side, group in enumerate(terms.roles) for t in group]
    occurring = _occurring(ctx, tuple(dict.fromkeys(u.term for u in usages)))
    present = [u for u in usages if u.term in occurring]  # most role terms never occur
    names = tuple(u.term for u in present)
    if not names:
        return usages
    args = (terms.acts, terms.definition, names)
    fixed, fresh = ctx.scan_parts("party-usages", _named_usages, *args)
    folded = _fold_usages(fresh, len(names))
    if fixed:  # a batch row: the fixed units' part once per clause set
        folded = _merge_usages(ctx.set_memo(("party-usages", args), lambda: _fold_usages(fixed, len(names))), folded)
    for usage, (first, acting, defined) in zip(present, folded):
        if first is not None:
            usage.first, usage.excerpt = ctx.units[first].pos, ctx.units[first].text
            usage.acting, usage.defined = acting, defined
    return usages


def _occurring(ctx: CheckContext, candidates: tuple[str, ...]) -> set[str]:
    """The candidate terms the document's titles or units name anywhere."""
    if ctx.shared is None:
        return {term for term in candidates if _occurs(term, ctx.full_text)}
    fixed, fresh = ctx.scan_parts("party-terms", _terms_in, candidates)

    def outline() -> frozenset[str]:
        return frozenset().union(*(_terms_in(t, candidates) or () for t in ctx.titles if t))
    found = set(ctx.outline_memo(("party-title-terms", candidates), outline))
    found |= ctx.set_memo(("party-terms", candidates), lambda: frozenset().union(*(f for _, f in fixed)))
    for _, terms in fresh:
        found |= terms
    return found


def _terms_in(text: str, candidates: tuple[str, ...]) -> frozenset[str] | None:
    """The candidates :func:`_occurs` finds in ``text``, or None."""
    found = {term for term in candidates if term in text and (not term.isascii() or _word(term).search(text))}
    if _ZH_BOTH.search(text):  # 甲乙双方 names both
        found.update(term for term in ("甲方", "乙方") if term in candidates)
    return frozenset(found) or None


def _fold_usages(found: list, count: int) -> list[tuple[int | None, bool, bool]]:
    """Per term of the scan's ``names``: (the first unit naming it, whether any has it act,
    whether any defines it), from ``found`` (:meth:`CheckContext.scan` results, in order)."""
    folded: list[tuple[int | None, bool, bool]] = [(None, False, False)] * count
    for index, usages in found:
        for k, (acting, defined) in enumerate(usages):
            if acting is not None:
                first, was_acting, was_defined = folded[k]
                folded[k] = (index if first is None else first, was_acting or acting, was_defined or defined)
    return folded


def _merge_usages(one: list, other: list) -> list[tuple[int | None, bool, bool]]:
    """Two folds of different units as one fold of them all."""
    merged = []
    for (a, acting_a, defined_a), (b, acting_b, defined_b) in zip(one, other):
        first = a if b is None else b if a is None else min(a, b)
        merged.append((first, acting_a or acting_b, defined_a or defined_b))
    return merged


def _named_usages(text: str, acts: str, definition: str, names: tuple[str, ...]):
    """:func:`_unit_usages`, or None when the text names none of the terms."""
    found = _unit_usages(text, acts, definition, names)
    return found if any(acting is not None for acting, _ in found) else None


@line_memo
def _unit_usages(text: str, acts: str, definition: str, names: tuple[str, ...]) -> tuple[tuple[bool | None, bool], ...]:
    """For each term of ``names``: (whether the text has it act, whether it defines it), or
    (None, False) when the text does not name it. A pure function of its arguments,
    memoised: a batch's rows repeat most of their lines."""
    return tuple((_patterns(acts, definition, name)[0].search(text) is not None,
                  _patterns(acts, definition, name)[1].search(text) is not None)
                 if _occurs(name, text) else (None, False) for name in names)


@lru_cache(maxsize=256)
def _patterns(acts: str, definition: str, term: str) -> tuple[re.Pattern, re.Pattern]:
    """The term acting (``甲方应``, "Customer shall") and being defined (``acts`` and
    ``definition``: the language's :class:`PartyTerms` patterns)."""
    return re.compile(re.escape(term) + acts), re.compile(definition.format(t=re.escape(term)))


def _linked(ctx: CheckContext, terms: PartyTerms, a: str, b: str) -> bool:
    """Both terms in one definition: 甲方（客户）, "Acme Ltd (the "Customer", "Party A")"."""
    for unit in ctx.units:
        if a in unit.text and b in unit.text:
            if re.search(terms.definition.format(t=re.escape(a)), unit.text) or \
               re.search(terms.definition.format(t=re.escape(b)), unit.text):
                return True
    return False


@rule("inconsistent-party-term", WARNING, "parties",
      help="a party is named by an undefined term, or by two unlinked terms", bad="甲方：杭州某某科技有限公司\n客户应按时付款。",
      good="杭州某某科技有限公司（以下简称“甲方”或“客户”）\n客户应按时付款。")
def check_inconsistent_party_term(doc: Document, ctx: CheckContext) -> Iterable:
    """A party named by two terms no definition links. A warning: a role word (采购方) may
    name whichever party plays the role, not another name for one party."""
    terms = TERMS.get(ctx.lang)
    if terms is None:
        return
    usages = _usages(ctx, terms)
    used = [u for u in usages if u.first is not None and (u.acting or u.defined or u.term in terms.positional)]
    any_defined = any(u.defined for u in used)
    for side in range(len(terms.positional)):
        on_side = [u for u in used if u.side == side]
        for role in (u for u in on_side if u.term not in terms.positional and u.acting):
            other = next((u for u in on_side if u is not role and (u.defined or u.term in terms.positional)), None)
            if other is not None and not _linked(ctx, terms, role.term, other.term):
                yield ctx.finding(f"'{role.term}' and '{other.term}' both name a party but no definition links them",
                                  role.first, role.excerpt, suggestion=f"define it, e.g. {_example(ctx.lang, other.term, role.term)}")
            elif other is None and not role.defined and any_defined:
                yield ctx.finding(f"party term '{role.term}' is used but never defined", role.first, role.excerpt)


def _example(lang: str, term: str, alias: str) -> str:
    return f"{term}（以下简称“{alias}”）" if lang == "zh" else f'{term} (the "{alias}")'
