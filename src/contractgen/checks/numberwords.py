"""Numbers written twice, in words and in figures, must agree: 三十（30）日, 百分之五（5%）,
thirty (30) days, 5 (five) business days.

Only a number in words directly next to a figure in brackets (or the reverse) is compared.
Money is the amount rule's: words followed by 元 or figures after a currency are left to it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

from ..diagnostics import ERROR
from ..model import Document
from ..numbering.words import en_number_words
from .base import CheckContext, line_memo, rule
from .. import rx

_ZH_NUM = "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟点"
_FIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_WORDS_FIG = rx.compile(
    rf"(?P<pct>百分之)?(?P<w>[{_ZH_NUM}]+)\s*[（(]\s*(?P<f>{_FIG})\s*(?P<fpct>[%％])?\s*[）)]")
_ZH_FIG_WORDS = rx.compile(
    rf"(?<![\d.,:：/\-])(?P<f>{_FIG})\s*(?P<fpct>[%％])?\s*[（(]\s*(?P<pct>百分之)?(?P<w>[{_ZH_NUM}]+)\s*[）)]")
_EN_FIG_WORDS = rx.compile(
    rf"(?<![\w.,:/\-$€£¥])(?P<f>{_FIG})\s*(?P<fpct>%)?\s*\(\s*(?P<w>[A-Za-z][A-Za-z \-]*?)\s*\)")
_EN_PAREN_FIG = rx.compile(rf"\(\s*(?P<f>{_FIG})\s*(?P<fpct>%)?\s*\)")
_CURRENCY_BEFORE = rx.compile(r"(?:USD|US\$|\$|EUR|€|GBP|£|RMB|CNY|¥|￥|人民币|HKD|SGD|JPY)\s?$")
_NOT_A_COUNT = rx.compile(r"(?i)\b(?:version|ver|v|release|rev|revision|no|number|tel|phone|fax)\.?\s*$")
_MONEY_AFTER = rx.compile(r"^\s*(?:万|亿)?\s*(?:元|圆|美元|港元|欧元|英镑)")



@lru_cache(maxsize=1)
def _en_small() -> dict[str, int]:
    """"zero" … "ninety-nine" → their values; made on first use (num2words is imported then)."""
    return {en_number_words(n): n for n in range(100)}


_EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
_PERCENT = ("percent", "per cent")


class Pair(NamedTuple):
    words: str
    words_value: Decimal
    figure: str
    value: Decimal
    start: int


def en_words_number(words: str) -> int | None:
    """"one hundred and twenty-five" → 125; None unless every word is a number word."""
    tokens = [t for t in words.casefold().replace(",", " ").split() if t != "and"]
    if not tokens:
        return None
    small = _en_small()
    total, current, seen = 0, 0, False
    for token in tokens:
        if token in small:
            value, last = small[token], current % 100
            if seen and last and not (last >= 20 and last % 10 == 0 and value < 10):
                return None  # "twenty five" is a number, "five twenty" is not
            current += value
        elif token == "hundred" and seen and 0 < current < 100:
            current *= 100
        elif token in _EN_SCALES and token != "hundred" and seen and current:
            total, current = total + current * _EN_SCALES[token], 0
        else:
            return None
        seen = True
    return total + current


@lru_cache(maxsize=4096)
def zh_words_number(words: str) -> Decimal | None:
    """三十 → 30, 五点五 → 5.5, 二〇二四 → 2024; cached because cn2an is slow."""
    import cn2an  # here: importing it compiles its patterns (~0.2 s), and most contracts never get here

    try:
        value = cn2an.cn2an(words, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _before(text: str, start: int) -> str:
    """The text just before ``start``: a bounded window keeps every rule linear."""
    return text[max(0, start - 120):start]


def _figure(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _zh_pairs(text: str) -> Iterator[Pair]:
    for pattern in (_ZH_WORDS_FIG, _ZH_FIG_WORDS):
        for m in pattern.finditer(text):
            if _CURRENCY_BEFORE.search(_before(text, m.start())) or _MONEY_AFTER.match(text[m.end():m.end() + 8]):
                continue
            if bool(m["pct"]) != bool(m["fpct"]):
                continue
            words, figure = m["w"], _figure(m["f"])
            value = zh_words_number(words)
            if value is not None and figure is not None:
                shown = (m["pct"] or "") + words
                yield Pair(shown, value, m["f"] + (m["fpct"] or ""), figure, m.start())


def _trailing_words(before: str) -> tuple[str, bool]:
    """The number words (and "percent") that end ``before``: ("thirty", False), ("five", True)."""
    tokens = before.split()
    percent = False
    if tokens and tokens[-1].casefold() == "percent":
        percent, tokens = True, tokens[:-1]
    elif len(tokens) > 1 and " ".join(tokens[-2:]).casefold() == "per cent":
        percent, tokens = True, tokens[:-2]
    keep: list[str] = []
    for token in reversed(tokens):
        parts = token.casefold().split("-")
        if not all(p in _en_small() or p in _EN_SCALES or p == "and" for p in parts):
            break
        keep.insert(0, token)
    while keep and keep[0].casefold() == "and":
        keep.pop(0)
    return " ".join(keep), percent


def _en_pairs(text: str) -> Iterator[Pair]:
    for m in _EN_FIG_WORDS.finditer(text):
        words, percent = m["w"], False
        for suffix in _PERCENT:
            if words.casefold().endswith(" " + suffix):
                words, percent = words[: -len(suffix) - 1], True
        value, figure = en_words_number(words.replace("-", " ")), _figure(m["f"])
        if value is None or figure is None or percent != bool(m["fpct"]):
            continue
        before = _before(text, m.start())
        if _CURRENCY_BEFORE.search(before) or _NOT_A_COUNT.search(before):
            continue
        yield Pair(m["w"], Decimal(value), m["f"] + (m["fpct"] or ""), figure, m.start())
    for m in _EN_PAREN_FIG.finditer(text):
        words, percent = _trailing_words(_before(text, m.start()))
        if not words or percent != bool(m["fpct"]):
            continue
        value, figure = en_words_number(words.replace("-", " ")), _figure(m["f"])
        if value is not None and figure is not None:
            yield Pair(words + (" percent" if percent else ""), Decimal(value),
                       m["f"] + (m["fpct"] or ""), figure, text.rfind(words, 0, m.start()))


@line_memo
def number_pairs(text: str) -> tuple[Pair, ...]:
    """Every number in words next to its figures in ``text`` (memoised: a batch's rows
    repeat most of their lines)."""
    return (*_zh_pairs(text), *_en_pairs(text))


@rule("number-words-mismatch", ERROR, "numbers",
      help="a number in words disagrees with the figures next to it (三十（30）日, thirty (30) days)", bad="乙方应在三十（60）日内交付。",
      good="乙方应在三十（30）日内交付。")
def check_number_words_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """A number whose words and figures disagree (money excepted)."""
    for index, pairs in ctx.scan("number-words", _mismatched_pairs):
        unit = ctx.units[index]
        for pair in pairs:
            yield ctx.finding(
                f"number in words '{pair.words}' ({pair.words_value.normalize():f}) "
                f"does not match the figure '{pair.figure}'",
                unit.pos, unit.text, around=pair.start)


_DIGIT = rx.compile(r"\d")


def _mismatched_pairs(text: str) -> tuple[Pair, ...]:
    """The pairs of ``text`` whose words and figures disagree (a function of the text)."""
    if not _DIGIT.search(text):
        return ()
    return tuple(pair for pair in number_pairs(text) if pair.words_value != pair.value)
