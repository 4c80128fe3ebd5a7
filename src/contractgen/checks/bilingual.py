"""Parity of a bilingual contract (中英文对照): the Chinese and the English text must say the
same thing — each unit present in both languages, the same amounts, periods, percentages,
dates and cited articles, the same article numbers, and party names and terms as the
glossary renders them.

The units are paired by :mod:`.bilingual_units` (two-column tables, interleaved
paragraphs, an article's Chinese text then its English text); a document that is not
bilingual gets no finding at all, and one with no second language costs a character count
(:func:`pairing`). Every finding names both places: it stands at one text's line and its
message gives the other's. A mismatch is an error only when it is certain — the units
clearly paired (by position, or by anchors both share) and as many values on each side —
and a warning otherwise; a unit without a counterpart is always a warning (two paragraphs
may have been translated as one).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator

from ..diagnostics import ERROR, WARNING
from ..model import Document
from .base import CheckContext, line_memo, rule
from .bilingual_kinds import AMOUNT, DATE, EN, OTHER, PERCENT, PERIOD, REF, ZH
from .. import rx

if TYPE_CHECKING:
    from .bilingual_units import Pair, Pairing
    from .bilingual_values import Value

# The pairing, the glossary and the value readers are imported where they are used: a
# contract in one language (nearly every batch) needs none of them.

_CJK = rx.compile(r"[\u4e00-\u9fff]+")  # runs: counting them is far cheaper than characters one by one
_LATIN = rx.compile(r"[A-Za-z]+")


def pairing(ctx: CheckContext) -> Pairing | None:
    """The document's pairs and orphans, or None when it is not bilingual (computed once).
    A bilingual contract we built is paired by its structure (each clause with its
    translation); any other is paired by reading it."""
    def compute() -> Pairing | None:
        if ctx.doc.texts:
            from .bilingual_units import structural_pairing

            return structural_pairing(ctx.doc)
        if not _two_languages(_letter_counts(ctx)):
            return None
        from .bilingual_units import document_units, pair_units

        return pair_units(*document_units(ctx.doc))
    return ctx.memo("bilingual-pairing", compute)


def _two_languages(counts: tuple[int, int]) -> bool:
    """Whether both languages are there in proportion, given the document's (CJK
    characters, Latin letters): Latin letters about three times the CJK characters (an
    English text runs about that long), within a wide margin."""
    cjk, latin = counts
    return cjk >= 4 and 0.25 <= latin / (3 * cjk) <= 4


def _letter_counts(ctx: CheckContext) -> tuple[int, int]:
    """(CJK characters, Latin letters) of the document's titles and units: for a batch
    row, the units without a value are counted once per clause set (:meth:`CheckContext.scan`);
    (0, 0) for any other document without both scripts (two searches of its text)."""
    if ctx.shared is None:
        text = ctx.full_text
        if _CJK.search(text) is None or _LATIN.search(text) is None:
            return 0, 0
        return _text_letters(text) or (0, 0)
    def titles() -> tuple[int, int]:
        return _total(n for t in ctx.titles if t and (n := _text_letters(t)))

    fixed, fresh = ctx.scan_parts("letters", _text_letters)
    counted = [ctx.outline_memo("title-letters", titles), ctx.set_memo("fixed-letters", lambda: _total(n for _, n in fixed))]
    return _total(counted + [n for _, n in fresh])


def _total(counts) -> tuple[int, int]:
    cjk = latin = 0
    for c, n in counts:
        cjk, latin = cjk + c, latin + n
    return cjk, latin


def _text_letters(text: str) -> tuple[int, int] | None:
    """(CJK characters, Latin letters) of a text, line by line; None for neither."""
    cjk = latin = 0
    for c, n in map(_letters, text.split("\n")):
        cjk, latin = cjk + c, latin + n
    return (cjk, latin) if cjk or latin else None


@line_memo
def _letters(line: str) -> tuple[int, int]:
    """(CJK characters, Latin letters) of one line."""
    return sum(map(len, _CJK.findall(line))), sum(map(len, _LATIN.findall(line)))


def _pairs(ctx: CheckContext) -> list[Pair]:
    found = pairing(ctx)
    return found.pairs if found is not None else []


# --- a unit in one language only -----------------------------------------------------------

@rule("bilingual-missing-translation", WARNING, "bilingual",
      help="a paragraph, clause or cell of a bilingual contract has no counterpart in the other language",
      bad="第一条 服务内容\nArticle 1 Services\n乙方应按照本合同的约定向甲方提供客户服务外包服务。\n"
          "乙方应于每月五日前向甲方提交上月的服务报告。\nParty B shall submit a report on the services of each month "
          "to Party A before the fifth day of the following month.",
      good="第一条 服务内容\nArticle 1 Services\n乙方应按照本合同的约定向甲方提供客户服务外包服务。\n"
           "Party B shall provide customer service outsourcing services to Party A under this Agreement.\n"
           "乙方应于每月五日前向甲方提交上月的服务报告。\nParty B shall submit a report on the services of each month "
           "to Party A before the fifth day of the following month.")
def check_missing_translation(doc: Document, ctx: CheckContext) -> Iterable:
    """A unit the pairing left without a counterpart."""
    found = pairing(ctx)
    if found is None:
        return
    for orphan in found.orphans:
        unit, near = orphan.unit, orphan.near
        where = f" (the {_NAME[near.lang]} text nearby is at {_line(near, unit)})" if near is not None else ""
        yield ctx.finding(f"this {_NAME[unit.lang]} text has no {_NAME[OTHER[unit.lang]]} counterpart{where}",
                          unit.pos, unit.text)


_NAME = {ZH: "Chinese", EN: "English"}


def _line(unit, other) -> str:
    """Where a unit is, for a message standing at ``other``: "line 12", or "line 12 of
    clauses/supply/fees.en.md" when it is in another file (a bilingual template's
    translation)."""
    if unit.pos and other.pos and unit.pos.path != other.pos.path:
        return f"line {unit.line} of {unit.pos.path}"
    return f"line {unit.line}"


# --- values --------------------------------------------------------------------------------

def _covered(key, keys: set, kind: str) -> bool:
    """Whether ``key`` agrees with one of ``keys``: equal, or for a reference one citing the
    same article at another depth (第七条 and Section 7.2 both cite Article 7)."""
    if key in keys:
        return True
    if kind != REF:
        return False
    return any(k[0] == key[0] and (k[1][:len(key[1])] == key[1] or key[1][:len(k[1])] == k[1]) for k in keys)


def _shown(values: list[Value]) -> str:
    return "', '".join(dict.fromkeys(v.shown for v in values))


def _value_findings(ctx: CheckContext, kind: str, noun: str) -> Iterator:
    """The findings of each pair; a pair of a built contract's units that hold no row
    value gives the same ones in every row of a batch, so they are kept with its structure."""
    memo = ctx.doc.fixed_memo.setdefault("bilingual-values", {}) if ctx.doc.fixed_blocks is not None else None
    for pair in _pairs(ctx):
        if memo is None:
            yield from _pair_value_findings(ctx, pair, kind, noun)
            continue
        # a pair with no row value, or whose texts this row left as an earlier row had them
        key = (kind, id(pair)) if pair.fixed else (kind, pair.zh.text, pair.en.text, pair.zh.pos, pair.en.pos,
                                                   pair.certain)
        hit = memo.get(key)
        if hit is None:
            hit = list(_pair_value_findings(ctx, pair, kind, noun))
            if pair.fixed or len(memo) < _MAX_KEPT:
                memo[key] = hit
        yield from (replace(f) for f in hit)


_MAX_KEPT = 20_000  # value findings kept per clause set for pairs that hold a row's values


def _pair_value_findings(ctx: CheckContext, pair: Pair, kind: str, noun: str) -> Iterator:
    from .bilingual_values import text_values

    zh = [v for v in text_values(pair.zh.text, ZH) if v.kind == kind]
    en = [v for v in text_values(pair.en.text, EN) if v.kind == kind]
    if not zh or not en:
        return  # a side that states nothing readable ("the period above") is not compared
    zh_keys, en_keys = {v.key for v in zh}, {v.key for v in en}
    zh_only = [v for v in zh if not _covered(v.key, en_keys, kind)]
    en_only = [v for v in en if not _covered(v.key, zh_keys, kind)]
    if not zh_only and not en_only:
        return
    certain = pair.certain and zh_only and en_only and len(zh_keys) == len(en_keys)
    finding = ctx.finding(
        f"{noun} differ: '{_shown(zh_only or zh)}' in the Chinese text ({_line(pair.zh, pair.en)}), "
        f"'{_shown(en_only or en)}' in the English text ({_line(pair.en, pair.zh)})",
        pair.zh.pos, pair.zh.text, around=(zh_only or zh)[0].start)
    yield finding if certain else replace(finding, severity=WARNING)


@rule("bilingual-amount-mismatch", ERROR, "bilingual",
      help="the Chinese and English texts of a bilingual contract state different amounts",
      bad="服务费为人民币壹拾贰万伍仟元整（¥125,000.00）。\nThe service fee is RMB 152,000.00.",
      good="服务费为人民币壹拾贰万伍仟元整（¥125,000.00）。\nThe service fee is RMB 125,000.00.")
def check_amount_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units whose amounts differ."""
    return _value_findings(ctx, AMOUNT, "amounts")


@rule("bilingual-period-mismatch", ERROR, "bilingual",
      help="the Chinese and English texts of a bilingual contract state different periods (三十日 vs fifteen (15) days)",
      bad="甲方应在收到发票后三十日内付款。\nParty A shall pay within fifteen (15) days after receipt of the invoice.",
      good="甲方应在收到发票后三十日内付款。\nParty A shall pay within thirty (30) days after receipt of the invoice.")
def check_period_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units whose periods (days, business days, months, years) differ."""
    return _value_findings(ctx, PERIOD, "periods")


@rule("bilingual-percentage-mismatch", ERROR, "bilingual",
      help="the Chinese and English texts of a bilingual contract state different percentages",
      bad="逾期付款的，每日按应付金额的千分之五支付违约金。\nLate payment bears a penalty of 5% of the amount due per day.",
      good="逾期付款的，每日按应付金额的千分之五支付违约金。\nLate payment bears a penalty of 0.5% of the amount due per day.")
def check_percentage_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units whose percentages differ (千分之五 is 0.5%)."""
    return _value_findings(ctx, PERCENT, "percentages")


@rule("bilingual-date-mismatch", ERROR, "bilingual",
      help="the Chinese and English texts of a bilingual contract state different dates",
      bad="本合同自2025年3月1日起生效。\nThis Agreement takes effect on 1 April 2025.",
      good="本合同自2025年3月1日起生效。\nThis Agreement takes effect on 1 March 2025.")
def check_date_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units whose dates (with their year) differ."""
    return _value_findings(ctx, DATE, "dates")


@rule("bilingual-reference-mismatch", ERROR, "bilingual",
      help="the Chinese and English texts of a bilingual contract cite different articles or attachments "
           "(本合同第七条 vs Article 8)",
      bad="因本合同引起的争议，依照本合同第七条处理。\nAny dispute shall be resolved under Article 8.",
      good="因本合同引起的争议，依照本合同第七条处理。\nAny dispute shall be resolved under Article 7.")
def check_reference_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units citing different articles or attachments."""
    return _value_findings(ctx, REF, "references")


@rule("bilingual-heading-mismatch", ERROR, "bilingual",
      help="paired headings of a bilingual contract carry different article numbers (第七条 vs Article 8)",
      bad="第七条 争议解决\nArticle 8 Dispute Resolution", good="第七条 争议解决\nArticle 7 Dispute Resolution")
def check_heading_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units that start with different article numbers."""
    for pair in _pairs(ctx):
        zh, en = pair.zh.number, pair.en.number
        if zh and en and zh != en:
            finding = ctx.finding(
                f"the Chinese heading is number {_dotted(zh)} ({_line(pair.zh, pair.en)}), "
                f"the English one number {_dotted(en)} ({_line(pair.en, pair.zh)})", pair.zh.pos, pair.zh.text)
            yield finding if pair.certain else replace(finding, severity=WARNING)


def _dotted(number: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in number)


# --- terms and names -----------------------------------------------------------------------

@rule("bilingual-term-mismatch", WARNING, "bilingual",
      help="a party term of the Chinese text is rendered in English by another term than the glossary's "
           "(甲方 ↔ Party A, or as the definitions pair them)",
      bad="甲方应于每月5日前付款。\nThe Customer shall pay before the 5th day of each month.",
      good="甲方应于每月5日前付款。\nParty A shall pay before the 5th day of each month.")
def check_term_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units where the English text names a party by another term than the glossary's."""
    found = pairing(ctx)
    if found is None:
        return
    from .bilingual_terms import glossary, has_term

    entries = ctx.memo("bilingual-glossary", lambda: glossary(found))
    for pair in found.pairs:
        for entry in entries:
            if entry.zh not in pair.zh.text or has_term(pair.en.text, entry.en):
                continue
            other = _other_term(pair, entries, entry.en)
            if other:
                taught = f" (the definitions at line {entry.pos.line})" if entry.pos else ""
                yield ctx.finding(
                    f"'{entry.zh}' (Chinese, {_line(pair.zh, pair.en)}) is '{entry.en}' in English{taught}, "
                    f"but the English text ({_line(pair.en, pair.zh)}) says '{other}'", pair.en.pos, pair.en.text)


def _other_term(pair: Pair, entries, expected: str) -> str:
    """A party term the English text uses that the Chinese text does not account for."""
    from .bilingual_terms import ROLE_TERMS, has_term, role_used

    for entry in entries:
        if entry.en != expected and has_term(pair.en.text, entry.en) and entry.zh not in pair.zh.text:
            return entry.en
    known = {e.en for e in entries}
    return next((t for t in ROLE_TERMS if t not in known and t != expected and role_used(pair.en.text, t)), "")


@rule("bilingual-name-mismatch", WARNING, "bilingual",
      help="a party's English name is spelt otherwise than where the contract gives it",
      bad="甲方：杭州某某科技有限公司（以下简称“甲方”）\nParty A: Hangzhou Moumou Technology Co., Ltd. (\"Party A\")\n"
          "本合同由杭州某某科技有限公司签署。\nThis Agreement is signed by Hangzhou Momou Technology Co., Ltd.",
      good="甲方：杭州某某科技有限公司（以下简称“甲方”）\nParty A: Hangzhou Moumou Technology Co., Ltd. (\"Party A\")\n"
           "本合同由杭州某某科技有限公司签署。\nThis Agreement is signed by Hangzhou Moumou Technology Co., Ltd.")
def check_name_parity(doc: Document, ctx: CheckContext) -> Iterable:
    """Paired units where the Chinese text names a party whose English name the English
    text writes nearly, but not exactly, as the definitions do."""
    found = pairing(ctx)
    if found is None:
        return
    from .bilingual_terms import glossary, misspelt, normalised

    entries = [e for e in ctx.memo("bilingual-glossary", lambda: glossary(found)) if e.zh_name and e.en_name]
    for pair in found.pairs:
        zh_norm = normalised(pair.zh.text)[0]
        for entry in entries:
            if entry.zh_name not in zh_norm:
                continue
            spelt = misspelt(pair.en.text, entry.en_name, entry.en_shown)
            if spelt:
                yield ctx.finding(
                    f"the English text ({_line(pair.en, pair.zh)}) spells the name of '{entry.zh}' (Chinese, "
                    f"{_line(pair.zh, pair.en)}) as '{spelt}', not '{entry.en_shown}' as at line {entry.pos.line}",
                    pair.en.pos, pair.en.text)
