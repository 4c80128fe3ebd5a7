"""Dates: a day the calendar does not have (2024年2月30日, 31 April 2025), a weekday that is
not that date's (2025年3月4日（星期一）, Monday, 4 March 2025), and a term that ends before
it starts (自2024年3月1日起至2023年2月28日止, from 1 March 2024 to 28 February 2023).

Dates are found per text unit by one scanner per form; a range is two dates joined only by
a range word (至, 到, ～, to, until, through, between … and).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..diagnostics import ERROR
from ..model import Document
from .base import CheckContext, line_memo, rule
from .. import rx

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?"
_ZH_DAYS = "一二三四五六日"

_DATE_FORMS = [
    rx.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    rx.compile(r"(?<![\d.\-/])(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d\-/]|\.\d)"),
    rx.compile(rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b", re.I),
    rx.compile(rf"(?<![\w]){_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
]
_ZH_WEEKDAY_AFTER = rx.compile(r"\s*(?P<open>[（(])?\s*(?:星期|礼拜|周)(?P<wd>[一二三四五六日天])\s*(?P<close>[）)])?")
_EN_WEEKDAY_BEFORE = rx.compile(rf"(?<![\w]){_EN_WEEKDAY},?\s*$")
_EN_WEEKDAY_AFTER = rx.compile(rf"^\s*(?:,\s*|\(\s*){_EN_WEEKDAY}\b")
_SCHEDULE_BEFORE = rx.compile(r"(?:\bto|\bthrough|\buntil|\band|\bor|[-–—])\s*$", re.I)
_RANGE_JOIN = rx.compile(
    r"^\s*(?:起)?\s*[，,]?\s*(?:至|到|～|~|—|–|－|-|to|until|till|through|and)\s*(?:the\s+)?$", re.I)
_NOT_A_SCHEDULE = "至到-－～~—–、和及与或"


@dataclass(slots=True, frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int
    english: bool

    @property
    def date(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


def _month(m: re.Match) -> int:
    if "mon" in m.re.groupindex and m["mon"]:
        return _MONTHS[m["mon"].casefold().rstrip(".")]
    return int(m["m"])


@line_memo
def date_mentions(text: str) -> tuple[DateMention, ...]:
    """Every date written in ``text``, in order, without overlaps (memoised: a batch's rows
    repeat most of their lines)."""
    found: list[DateMention] = []
    for index, form in enumerate(_DATE_FORMS):
        for m in form.finditer(text):
            year = int(m["y"]) if m["y"] else None
            if index == 1 and not (1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31):
                continue  # 2020.13.5 is a version number, not a date
            found.append(DateMention(m.start(), m.end(), m.group(), year, _month(m), int(m["d"]), index >= 2))
    found.sort(key=lambda d: (d.start, -d.end))
    kept: list[DateMention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return tuple(kept)


def _units_with_dates(ctx: CheckContext) -> Iterator[tuple[object, list[DateMention]]]:
    def compute():
        return [(ctx.units[index], mentions) for index, mentions in ctx.scan("dates", _dates_in)]
    return iter(ctx.memo("dates", compute))


_DIGIT = rx.compile(r"\d")


def _dates_in(text: str) -> tuple[DateMention, ...]:
    return date_mentions(text) if _DIGIT.search(text) else ()


def _impossible(mention: DateMention) -> str:
    """Why the date cannot exist, or ""."""
    if not 1 <= mention.month <= 12:
        return f"there is no month {mention.month}"
    year = mention.year if mention.year is not None else 2024  # a leap year: 2月29日 may exist
    days = calendar.monthrange(year, mention.month)[1]
    if not 1 <= mention.day <= days:
        name = calendar.month_name[mention.month]
        leap = f" in {mention.year}" if mention.month == 2 and mention.year is not None else ""
        return f"{name} has {days} days{leap}"
    return ""


@rule("invalid-date", ERROR, "dates", help="a date the calendar does not have (2024年2月30日, 31 April 2025)",
      bad="本合同于2025年2月29日签订。", good="本合同于2025年2月28日签订。")
def check_invalid_date(doc: Document, ctx: CheckContext) -> Iterable:
    """A date the calendar does not have."""
    for unit, mentions in _units_with_dates(ctx):
        for mention in mentions:
            why = _impossible(mention)
            if why:
                yield ctx.finding(f"invalid date '{mention.text}': {why}", unit.pos, unit.text, around=mention.start)


def _stated_weekday(text: str, mention: DateMention) -> tuple[int, str] | None:
    """The weekday written next to a date (0 = Monday), with its text."""
    after = _ZH_WEEKDAY_AFTER.match(text, mention.end)
    if after and not mention.english:
        following = text[after.end():after.end() + 1]
        if (after["open"] and after["close"]) or (not after["open"] and not after["close"] and following not in _NOT_A_SCHEDULE):
            wd = after["wd"].replace("天", "日")
            return _ZH_DAYS.index(wd), after.group().strip(" （）()")
    if mention.english:
        window = text[max(0, mention.start - 60):mention.start]
        before = _EN_WEEKDAY_BEFORE.search(window)
        if before and not _SCHEDULE_BEFORE.search(window[:before.start()]):
            return _en_day(before["wd"]), before["wd"]
        after_en = _EN_WEEKDAY_AFTER.match(text[mention.end:mention.end + 16])
        if after_en:
            return _en_day(after_en["wd"]), after_en["wd"]
    return None


def _en_day(word: str) -> int:
    word = word.casefold().rstrip(".")
    return next(i for i, day in enumerate(_EN_DAYS) if day.startswith(word[:3]))


@rule("weekday-mismatch", ERROR, "dates", help="a weekday written next to a date that falls on another day",
      bad="The kick-off meeting is on Monday, 4 March 2025.", good="The kick-off meeting is on Tuesday, 4 March 2025.")
def check_weekday_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """A weekday written next to a date that falls on another day."""
    for unit, mentions in _units_with_dates(ctx):
        for mention in mentions:
            date = mention.date
            stated = _stated_weekday(unit.text, mention) if date else None
            if stated and stated[0] != date.weekday():
                actual = date.strftime("%A") if mention.english else f"星期{_ZH_DAYS[date.weekday()]}"
                yield ctx.finding(f"'{mention.text}' is a {actual}, not '{stated[1]}'", unit.pos, unit.text,
                                  around=mention.start, suggestion=f"write {actual}")


def _is_range(text: str, first: DateMention, second: DateMention) -> bool:
    join = text[first.end:second.start]
    if len(join) > 12 or not _RANGE_JOIN.match(join):
        return False
    if re.search(r"(?i)\band\b", join):
        return re.search(r"(?i)\bbetween\s+(?:the\s+)?$", text[max(0, first.start - 16):first.start]) is not None
    return True


@rule("date-order", ERROR, "dates", help="a date range that ends before it starts", bad="服务期限自2024年3月1日起至2023年2月28日止。",
      good="服务期限自2024年3月1日起至2025年2月28日止。")
def check_date_order(doc: Document, ctx: CheckContext) -> Iterable:
    """A date range whose end comes before its start."""
    for unit, mentions in _units_with_dates(ctx):
        for first, second in zip(mentions, mentions[1:]):
            start, end = first.date, second.date
            if start and end and end < start and _is_range(unit.text, first, second):
                yield ctx.finding(f"the range ends ('{second.text}') before it starts ('{first.text}')",
                                  unit.pos, unit.text, around=first.start)
