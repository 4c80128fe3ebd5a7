"""Amounts written twice, in figures and in words, must agree:
人民币壹拾贰万伍仟元整（¥125,000.00）, USD 12,500.00 (twelve thousand five hundred US dollars),
£185,000 (one hundred and eighty-five thousand pounds), €1,000.50 (one thousand euros and
fifty cents), JP¥21 (twenty-one yen) — and the figures' code or symbol must be the words'
currency (GBP 10.00 (ten US dollars) is two amounts).

An amount is only compared when its figures and its words sit next to each other, with at
most brackets and a label (大写, 小写, i.e.) between them; amounts without words are left alone.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal, InvalidOperation
from typing import Iterable, Iterator

from ..diagnostics import ERROR
from ..model import Document
from .base import CheckContext, line_memo, rule
from .. import rx

_ZH_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")} | {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ZH_DIGITS["两"] = 2
_ZH_UNITS = {"拾": 10, "佰": 100, "仟": 1000, "十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_CAP = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿"
_LOW = "零〇一二三四五六七八九两十百千万亿"
_ZH_WORDS = rx.compile(
    rf"(?P<w>(?:[{_CAP}]+[元圆](?:[{_CAP}]角)?(?:[{_CAP}]分)?[整正]?)"
    rf"|(?<=人民币)[{_LOW}]+[元圆](?:[{_LOW}]角)?(?:[{_LOW}]分)?[整正]?"
    rf"|(?<=人民币)(?:[{_CAP}]角(?:[{_CAP}]分)?|[{_CAP}]分)[整正]?)"  # under one yuan: 人民币壹分
)
_FIGURE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_FIGURES = rx.compile(
    rf"(?:[¥￥]|RMB|CNY|人民币)\s*(?P<f>{_FIGURE})\s*(?P<wan>万)?\s*元?|(?P<f2>{_FIGURE})\s*(?P<wan2>万)?元"
)
_ZH_GAP = rx.compile(r"^[\s（）()：:，,即为小写大写金额人民币RMB]{0,12}$")


_ZH_AMOUNT_WORDS = rx.compile(r"(?:(?P<int>[^元圆角分]*)[元圆])?(?:(?P<jiao>.)角)?(?:(?P<fen>.)分)?[整正]?")


def zh_words_value(words: str) -> Decimal | None:
    """人民币壹拾贰万伍仟元整 → 125000; 叁佰元伍角 → 300.5; 壹分 → 0.01."""
    m = _ZH_AMOUNT_WORDS.fullmatch(words)
    if not m or not (m["int"] is not None or m["jiao"] or m["fen"]):
        return None
    value = Decimal(_zh_integer(m["int"] or ""))
    for name, scale in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
        if m[name]:
            value += _ZH_DIGITS.get(m[name], 0) * scale
    return value


def _zh_integer(text: str) -> int:
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        elif ch in _ZH_BIG:
            total = (total + section + digit) * _ZH_BIG[ch] if ch == "亿" else total + (section + digit) * _ZH_BIG[ch]
            section, digit = 0, 0
    return total + section + digit


def _decimal(text: str, wan: str | None) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value * 10000 if wan else value


_ZH_GAP_MAX = 12  # the longest label _ZH_GAP allows between words and figures


def _zh_pairs(text: str) -> Iterator[tuple[str, Decimal, str, Decimal, int]]:
    """Words and figures that sit next to each other. Only the nearest figure on either
    side can qualify (a gap holds no digits), so each words match looks at two figures,
    found by bisection: linear in the text, however many amounts a paragraph holds."""
    figures = [(m.start(), m.end(), m.group().strip(), _decimal(m["f"] or m["f2"], m["wan"] or m["wan2"]))
               for m in _ZH_FIGURES.finditer(text)]
    if not figures:
        return
    starts = [f[0] for f in figures]
    ends = [f[1] for f in figures]
    for w in _ZH_WORDS.finditer(text):
        before = bisect_right(ends, w.start()) - 1
        after = bisect_left(starts, w.end())
        candidates = ([figures[before]] if before >= 0 and w.start() - ends[before] <= _ZH_GAP_MAX else []) + \
                     ([figures[after]] if after < len(figures) and starts[after] - w.end() <= _ZH_GAP_MAX else [])
        for start, end, shown, value in candidates:
            between = text[w.end():start] if start >= w.end() else text[end:w.start()]
            if value is not None and _ZH_GAP.match(between):
                words_value = zh_words_value(w["w"])
                if words_value is not None:
                    yield w["w"], words_value, shown, value, w.start()
                break


_EN_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_NUMBER = {*_EN_ONES, *_EN_TENS, "hundred", *_EN_SCALES}
# words an amount in words may hold besides numbers: currency names as contracts write them
# (US, British, CLDR and ISO forms) and the joining "and"
_EN_NOISE = {"and", "us", "u.s.", "dollars", "dollar", "euros", "euro", "pounds", "pound", "sterling",
             "only", "renminbi", "yuan", "rmb", "usd", "eur", "gbp", "united", "states", "of", "yen", "hong",
             "kong", "singapore", "hkd", "sgd", "jpy", "cny", "british", "japanese", "chinese", "american"}
_EN_MINOR = {"cent", "cents", "penny", "pence", "fen"}
# every amount either side matches has one of these: a quick test before the real patterns
_MONEY_HINT = rx.compile(r"[元圆¥￥$€£]|USD|RMB|CNY|EUR|GBP|HKD|SGD|JPY")
_EN_FIG = rx.compile(rf"(?<![A-Za-z])(?P<cur>USD|US\$|HK\$|S\$|JP¥|CN¥|EUR|€|GBP|£|RMB|CNY|HKD|SGD|JPY|[$¥￥])"
                     rf"\s?(?P<f>{_FIGURE})")


_CENTS_FRACTION = rx.compile(r"\band\s+(\d{1,2})/100\b")


def en_words_value(words: str) -> Decimal | None:
    """"twelve thousand five hundred US dollars and fifty cents" → 12500.50, "one hundred
    and eighty-five thousand pounds" → 185000, "one penny" → 0.01; None unless every word
    is a number word, a currency word or "and"."""
    text = words.casefold().replace("-", " ").replace(",", " ")
    m = _CENTS_FRACTION.search(text)
    if m:  # "one thousand and 50/100 dollars"
        whole = _en_integer((text[:m.start()] + text[m.end():]).split())
        return None if whole is None else whole + Decimal(int(m[1])) / 100
    tokens = [t for t in text.split() if t != "only"]
    minor_at = max((i for i, t in enumerate(tokens) if t in _EN_MINOR), default=None)
    if minor_at is None:
        whole = _en_integer(tokens)
        return None if whole is None else Decimal(whole)
    if any(t not in _EN_NOISE for t in tokens[minor_at + 1:]):
        return None
    start = minor_at
    while start > 0 and tokens[start - 1] in _EN_NUMBER:
        start -= 1
    minor = _en_integer(tokens[start:minor_at])
    rest = tokens[:start - 1] if start and tokens[start - 1] == "and" else tokens[:start]
    whole = _en_integer(rest) if rest else 0
    if minor is None or minor >= 100 or whole is None:
        return None
    return whole + Decimal(minor) / 100


def _en_integer(tokens: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for token in tokens:
        if token in _EN_ONES or token in _EN_TENS:
            current += _EN_ONES.get(token, _EN_TENS.get(token, 0))
        elif token == "hundred":
            current *= 100
        elif token in _EN_SCALES:
            total, current = total + current * _EN_SCALES[token], 0
        elif token in _EN_NOISE:
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


_EN_WORDS_AFTER = rx.compile(r"\s*\(([A-Za-z][A-Za-z\-\s,./0-9]{2,150}?)\)")
_EN_WORDS_BEFORE = rx.compile(r"((?:[A-Za-z.\-]+,?\s+){1,20})\(\s*$")
_EN_BEFORE_WINDOW = 600  # twenty words before "(": the look-back never scans the whole text


def _en_pairs(text: str) -> Iterator[tuple[str, Decimal, str, Decimal, int]]:
    for m in _EN_FIG.finditer(text):
        figure = _decimal(m["f"], None)
        after = _EN_WORDS_AFTER.match(text, m.end())
        if after:
            words = after[1]
        else:
            before = _EN_WORDS_BEFORE.search(text[max(0, m.start() - _EN_BEFORE_WINDOW):m.start()])
            words = _trailing_number_words(before[1]) if before else ""
        value = en_words_value(words) if words else None
        if value is not None and figure is not None:
            yield words.strip(), value, m.group(), figure, m.start()


def _trailing_number_words(text: str) -> str:
    tokens = text.split()
    keep: list[str] = []
    for token in reversed(tokens):
        if en_words_value(token) is None and token.casefold().strip(",") not in _EN_NOISE:
            break
        keep.insert(0, token)
    while keep and keep[0].casefold() in _EN_NOISE:  # "the sum of two hundred pounds": from "two"
        keep.pop(0)
    return " ".join(keep)


@rule("amount-mismatch", ERROR, "amounts", help="an amount in figures disagrees with the amount in words next to it",
      bad="服务费为人民币100,000元（大写：人民币壹拾万伍仟元整）。", good="服务费为人民币100,000元（大写：人民币壹拾万元整）。")
def check_amount_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """An amount whose words and figures disagree."""
    for index, pairs in ctx.scan("amount-pairs", _hinted_pairs):
        unit = ctx.units[index]
        for words, words_value, figures, value, start in pairs:
            if words_value != value:
                yield ctx.finding(f"amount in words '{words}' ({words_value:,.2f}) does not match '{figures}'",
                                  unit.pos, unit.text, around=start)
            elif not _same_currency(figures, words):
                yield ctx.finding(f"amount in words '{words}' names another currency than '{figures}'",
                                  unit.pos, unit.text, around=start)


def _hinted_pairs(text: str) -> tuple:
    """:func:`amount_pairs` of a text that may name money (a quick test first)."""
    return amount_pairs(text) if _MONEY_HINT.search(text) else ()


@line_memo
def amount_pairs(text: str) -> tuple[tuple[str, Decimal, str, Decimal, int], ...]:
    """(words, their value, figures, their value, where) of every amount written both ways
    in ``text`` (memoised: a batch's rows repeat most of their lines)."""
    return (*_zh_pairs(text), *_en_pairs(text))


# The currency words name, by the code or symbol the figures may carry. Only a certain
# disagreement is reported: "$" may be any dollar, plain "dollars" any dollar currency, "¥"
# yen or yuan; "cents" alone is no pound's and no yen's.
_DOLLARS = {"USD", "US$", "$", "HKD", "HK$", "SGD", "S$"}
_WORD_CURRENCY = ((rx.compile(r"\bhong kong dollars?\b"), {"HKD", "HK$", "$"}),
                  (rx.compile(r"\bsingapore dollars?\b"), {"SGD", "S$", "$"}),
                  (rx.compile(r"\b(?:us|u\.s\.|united states|american) dollars?\b"), {"USD", "US$", "$"}),
                  (rx.compile(r"\bdollars?\b"), _DOLLARS),
                  (rx.compile(r"\bpounds?\b|\bsterling\b|\bpence\b|\bpenny\b"), {"GBP", "£"}),
                  (rx.compile(r"\beuros?\b"), {"EUR", "€"}),
                  (rx.compile(r"\byen\b"), {"JPY", "JP¥", "¥", "￥"}),
                  (rx.compile(r"\b(?:yuan|renminbi|rmb|fen)\b"), {"CNY", "RMB", "CN¥", "¥", "￥"}),
                  (rx.compile(r"\bcents?\b"), _DOLLARS | {"EUR", "€"}))


_CURRENCY_MARK = rx.compile(r"[A-Z]{3}|US\$|HK\$|S\$|JP¥|CN¥|[$€£¥￥]")


def _same_currency(figures: str, words: str) -> bool:
    """Whether the words' currency, if they name one, is the figures' ("GBP 10 (ten US
    dollars)" is not); Chinese pairs and words without a currency pass."""
    code = _CURRENCY_MARK.match(figures)
    if code is None:
        return True
    low = words.casefold()
    for pattern, codes in _WORD_CURRENCY:
        if pattern.search(low):
            return code.group() in codes
    return True
