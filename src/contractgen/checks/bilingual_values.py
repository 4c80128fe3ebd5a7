"""The values a bilingual parity check compares, read from one text in one language:
amounts (人民币壹拾贰万伍仟元整 / ¥125,000.00 / RMB 125,000.00), periods (三十（30）日 / thirty
(30) days, 十个工作日 / ten business days), percentages (百分之五 / 5% / five percent, 千分之三),
dates (2025年3月1日 / 1 March 2025) and references (本合同第七条 / Article 7, 附件一 /
Schedule 1).

Each value has a ``key`` that is the same in both languages when the texts agree — a
Decimal for amounts and percentages, (number, unit) for periods, (year, month, day) for
dates, (kind, numbers) for references — and the text it was read from (``shown``). Only
what parses is kept: a period written "a month" or a date without its year is no value,
so the check never compares what it could not read. The number grammars are the ones the
single-language rules use (:mod:`.amounts`, :mod:`.numberwords`, :mod:`.dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..grammar import count_value, parse_dotted, roman_value
from .base import line_memo
from .bilingual_kinds import AMOUNT, DATE, KINDS, PERCENT, PERIOD, REF
from .amounts import amount_pairs, zh_words_value
from .dates import date_mentions
from .numberwords import en_words_number, zh_words_number
from .. import rx



@dataclass(slots=True, frozen=True)
class Value:
    kind: str
    key: object
    shown: str
    start: int


_FIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_NUM = "零〇一二三四五六七八九十百千两"
_ZH_MONEY = rx.compile(
    rf"(?:[¥￥]|RMB|CNY|USD|US\$|人民币|美元)\s*(?P<f>{_FIG})\s*(?P<wan>万)?\s*(?:元|美元)?"
    rf"|(?<![\d.,])(?P<f2>{_FIG})\s*(?P<wan2>万)?\s*(?:元|美元|圆)")
_ZH_CAPITAL = rx.compile(r"[零壹贰叁肆伍陆柒捌玖][零壹贰叁肆伍陆柒捌玖拾佰仟万亿]*[元圆](?:[零壹贰叁肆伍陆柒捌玖]角)?(?:[零壹贰叁肆伍陆柒捌玖]分)?[整正]?")
_EN_MONEY = rx.compile(rf"(?<![A-Za-z])(?:USD|US\$|HK\$|RMB|CNY|EUR|GBP|HKD|JPY|[$¥￥€£])\s?(?P<f>{_FIG})"
                       rf"|(?<![\d.,])(?P<f2>{_FIG})\s+(?:yuan|US dollars|dollars|euros|pounds)\b")

_ZH_PERIOD = rx.compile(
    rf"(?<![第每月\d.{_ZH_NUM}])(?P<n>[{_ZH_NUM}]+|\d+)\s*(?:[（(]\s*(?P<f>\d+)\s*[）)])?\s*"
    r"(?P<u>个工作日|工作日|个自然日|自然日|日历日|个月|个星期|个小时|小时|天|日|周|星期|年)(?![度份月])")
_ZH_UNITS = {"个工作日": "business day", "工作日": "business day", "个自然日": "day", "自然日": "day", "日历日": "day",
             "个月": "month", "个星期": "week", "个小时": "hour", "小时": "hour", "天": "day", "日": "day", "周": "week",
             "星期": "week", "年": "year"}
_EN_PERIOD = rx.compile(r"(?i)\b(?:(?P<q>business|working|calendar|banking)[\s-]+)?(?P<u>days?|months?|years?|weeks?|hours?)\b")
_EN_QUALIFIED = {"business": "business day", "working": "business day", "banking": "business day"}
_EN_BEFORE_FIG = rx.compile(r"(?:(?<![\w.,])(?P<d>\d+)|\(\s*(?P<p>\d+)\s*\))[\s-]*$")

_ZH_PERCENT = rx.compile(
    rf"(?P<scale>百分之|千分之|万分之)(?P<w>[{_ZH_NUM}点]+)(?:\s*[（(]\s*(?P<f>{_FIG})\s*[%％‰]\s*[）)])?"
    rf"|(?<![\d.])(?P<f2>{_FIG})\s*(?P<sign>[%％‰])")
_SCALES = {"百分之": Decimal(1), "千分之": Decimal("0.1"), "万分之": Decimal("0.01"), "%": Decimal(1), "％": Decimal(1),
           "‰": Decimal("0.1")}
_EN_PERCENT = rx.compile(rf"(?i)(?<![\d.])(?P<f>{_FIG})\s*(?:%|percent\b|per\s+cent\b)|\bpercent\b|\bper\s+cent\b")

_ZH_REF = rx.compile(rf"第\s*(?P<n>\d+(?:\.\d+)*|[{_ZH_NUM}]+)\s*条|(?P<att>附件|附表)\s*(?P<a>[{_ZH_NUM}]+|\d+|[A-Z](?![A-Za-z]))")
_EN_REF = rx.compile(r"\b(?:(?P<art>Articles?|Clauses?|Sections?)|(?P<att>Schedules?|Annex(?:es)?|Appendix|Appendices"
                     r"|Exhibits?|Attachments?))\s+(?P<n>\d+(?:\.\d+)*|[IVX]+\b|[A-Z]\b)"
                     r"(?P<more>(?:\s*(?:,|and|or|to|through|-|–)\s*(?:\d+(?:\.\d+)*|[IVX]+\b|[A-Z]\b))*)")
_LIST_ITEM = rx.compile(r"\d+(?:\.\d+)*|[IVX]+\b|[A-Z]\b")


def _decimal(text: str | None, wan: str | None = None) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value * 10000 if wan else value


@line_memo
def text_values(text: str, lang: str) -> tuple[Value, ...]:
    """Every value ``text`` (written in ``lang``, "zh" or "en") states, in kind order."""
    if not re.search(r"\d|[零〇一二三四五六七八九十两壹贰叁肆伍陆柒捌玖]|percent|per cent|day|month|year|week|hour", text):
        return ()
    dates = date_mentions(text)
    blank = _blanked(text, [(d.start, d.end) for d in dates])
    found = [Value(DATE, (d.year, d.month, d.day), d.text, d.start) for d in dates if d.year is not None]
    if lang == "zh":
        money = list(_zh_amounts(text))
        blank = _blanked(blank, [(v.start, v.start + len(v.shown)) for v in money])
        found += money + list(_zh_periods(blank)) + list(_zh_percentages(blank)) + list(_zh_refs(text))
    else:
        money = list(_en_amounts(text))
        blank = _blanked(blank, [(v.start, v.start + len(v.shown)) for v in money])
        found += money + list(_en_periods(blank)) + list(_en_percentages(blank)) + list(_en_refs(text))
    return tuple(sorted(found, key=lambda v: (KINDS.index(v.kind), v.start)))


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces (positions kept), so a date's 2025年 is no period."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _zh_amounts(text: str):
    for m in _ZH_MONEY.finditer(text):
        value = _decimal(m["f"] or m["f2"], m["wan"] or m["wan2"])
        if value is not None:
            yield Value(AMOUNT, value, m.group().strip(), m.start())
    paired = {words for words, *_ in amount_pairs(text)}
    for m in _ZH_CAPITAL.finditer(text):  # words with no figures next to them
        value = zh_words_value(m.group())
        if m.group() not in paired and value is not None:
            yield Value(AMOUNT, value, m.group(), m.start())


def _en_amounts(text: str):
    for m in _EN_MONEY.finditer(text):
        value = _decimal(m["f"] or m["f2"])
        if value is not None:
            yield Value(AMOUNT, value, m.group().strip(), m.start())


def _zh_number(words: str) -> Decimal | None:
    if words.isdigit():
        return Decimal(words)
    return zh_words_number(words)


def _zh_periods(text: str):
    for m in _ZH_PERIOD.finditer(text):
        if m["u"] == "年" and not m["f"] and m["n"].isdigit() and len(m["n"]) >= 3:
            continue  # 2025年 is a year
        value = _decimal(m["f"]) if m["f"] else _zh_number(m["n"])
        if value is not None and value > 0:
            yield Value(PERIOD, (value, _ZH_UNITS[m["u"]]), m.group().strip(), m.start())


def _en_periods(text: str):
    for m in _EN_PERIOD.finditer(text):
        before = text[max(0, m.start() - 80):m.start()]
        value, shown_from = _en_count_before(before)
        if value is None or value <= 0:
            continue
        unit = m["u"].casefold().rstrip("s")
        if unit == "day" and m["q"]:
            unit = _EN_QUALIFIED.get(m["q"].casefold(), "day")
        start = m.start() - (len(before) - shown_from)
        yield Value(PERIOD, (value, unit), text[start:m.end()].strip(), start)


def _en_count_before(before: str) -> tuple[Decimal | None, int]:
    """The count that ends ``before`` — "30", "(30)" after its words, "thirty" — and where it starts."""
    m = _EN_BEFORE_FIG.search(before)
    if m:
        value = Decimal(m["d"] or m["p"])
        start = m.start()
        if m["p"]:  # "thirty (30)": the words belong to the period's text
            words, at = _trailing_number_words(before[:m.start()])
            start = at if words else start
        return value, start
    words, at = _trailing_number_words(before)
    if not words:
        return None, 0
    number = en_words_number(words.replace("-", " "))
    return (Decimal(number) if number is not None else None), at


def _trailing_number_words(before: str) -> tuple[str, int]:
    """The longest run of number words ending ``before`` (up to five words) and where it starts."""
    tokens = list(re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", before))
    best, at = "", len(before)
    for count in range(1, min(5, len(tokens)) + 1):
        first = tokens[-count]
        if before[tokens[-1].end():].strip(" -"):
            break
        words = before[first.start():tokens[-1].end()]
        if first.group().casefold() != "and" and en_words_number(words.replace("-", " ")) is not None:
            best, at = words, first.start()
    return best, at


def _zh_percentages(text: str):
    for m in _ZH_PERCENT.finditer(text):
        if m["scale"]:
            value = zh_words_number(m["w"])  # the words decide: figures beside them are number-words-mismatch's
            value = None if value is None else value * _SCALES[m["scale"]]
        else:
            value = _decimal(m["f2"])
            value = None if value is None else value * _SCALES[m["sign"]]
        if value is not None:
            yield Value(PERCENT, value.normalize(), m.group().strip(), m.start())


def _en_percentages(text: str):
    for m in _EN_PERCENT.finditer(text):
        start = m.start()
        if m["f"]:
            value = _decimal(m["f"])
        else:  # "five percent" without figures
            before = text[max(0, m.start() - 80):m.start()]
            words, at = _trailing_number_words(before)
            number = en_words_number(words.replace("-", " ")) if words else None
            value = Decimal(number) if number is not None else None
            start = m.start() - (len(before) - at)
        if value is not None:
            yield Value(PERCENT, value.normalize(), text[start:m.end()].strip(), start)


def _zh_refs(text: str):
    for m in _ZH_REF.finditer(text):
        if m.start() == 0:
            continue  # the heading's own number
        if m["att"]:
            value = count_value(m["a"])
            key = ("attachment", (value,)) if value else None
        else:
            number = parse_dotted(m["n"]) if m["n"][0].isdigit() else (count_value(m["n"]),)
            key = ("article", number) if number and None not in number else None
        if key is not None:
            yield Value(REF, key, m.group(), m.start())


def _en_ref_number(text: str) -> tuple[int, ...] | None:
    if text[0].isdigit():
        return parse_dotted(text)
    value = roman_value(text) if len(text) > 1 or text in "IVX" else count_value(text)
    return (value,) if value else None


def _en_refs(text: str):
    for m in _EN_REF.finditer(text):
        if m.start() == 0:
            continue  # the heading's own number
        kind = "article" if m["art"] else "attachment"
        items = [m["n"]] + _LIST_ITEM.findall(m["more"] or "")
        for item in items:
            number = _en_ref_number(item)
            if number:
                yield Value(REF, (kind, number), m.group().strip(), m.start())
