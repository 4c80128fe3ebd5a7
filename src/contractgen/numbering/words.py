"""Amounts, dates and counts in words, per language: the Jinja filters fragments use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .zh import amount_in_figures, amount_in_words, count

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


def en_number_words(n: int) -> str:
    """English words for a non-negative integer: 12500 -> "twelve thousand five hundred"."""
    if n < 0:
        raise ValueError(f"no words for negative {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = f" {en_number_words(n % 100)}" if n % 100 else ""
        return f"{_ONES[n // 100]} hundred{rest}"
    for scale, name in _SCALES:
        if n >= scale:
            rest = f" {en_number_words(n % scale)}" if n % scale else ""
            return f"{en_number_words(n // scale)} {name}{rest}"
    raise AssertionError("unreachable")


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _money(value) -> Decimal:
    """An amount to write out: never rounded silently, and small enough to have words."""
    amount = _decimal(value)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"amount {amount} has fractions of a cent (分): round it to two decimals in the data")
    if not 0 <= amount < Decimal(10) ** 15:
        raise ValueError(f"amount {amount} cannot be written in words (0 up to 999,999,999,999,999.99)")
    return amount


def zh_amount(value) -> str:
    """人民币壹万贰仟元整（¥12,000.00）."""
    amount = _money(value)
    return f"{amount_in_words(amount)}（{amount_in_figures(amount)}）"


# The words for a currency's units in English: (unit, units, minor unit, minor units,
# minor units per unit). The code printed with the figures always names the same currency
# as the words, so "GBP 10.50" is never followed by "US dollars".
EN_CURRENCIES: dict[str, tuple[str, str, str, str, int]] = {
    "USD": ("US dollar", "US dollars", "cent", "cents", 100),
    "GBP": ("pound sterling", "pounds sterling", "penny", "pence", 100),
    "EUR": ("euro", "euros", "cent", "cents", 100),
    "HKD": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents", 100),
    "SGD": ("Singapore dollar", "Singapore dollars", "cent", "cents", 100),
    "CNY": ("yuan", "yuan", "fen", "fen", 100),
    "JPY": ("yen", "yen", "", "", 1),
}


def en_amount(value, currency: str = "USD", unit: str | None = None) -> str:
    """USD 12,500.00 (twelve thousand five hundred US dollars); GBP 10.50 (ten pounds
    sterling and fifty pence); JPY 1,000 (one thousand yen). ``unit`` overrides the words
    for the main unit (the same in singular and plural)."""
    code = str(currency).upper()
    if code not in EN_CURRENCIES:
        raise ValueError(f"amount: no English words for the currency {currency!r} "
                         f"(use one of {', '.join(EN_CURRENCIES)})")
    one, many, minor_one, minor_many, per = EN_CURRENCIES[code]
    if unit is not None:
        one = many = unit
    amount = _money(value)
    whole, minor = divmod(int(amount * 100), 100)
    if per == 1 and minor:
        raise ValueError(f"amount: {code} has no minor unit, but {amount} has a fraction")
    parts = []
    if whole or not minor:
        parts.append(f"{en_number_words(whole)} {one if whole == 1 else many}")
    if minor:
        parts.append(f"{en_number_words(minor)} {minor_one if minor == 1 else minor_many}")
    figures = f"{amount:,.2f}" if per != 1 else f"{int(amount):,}"
    return f"{code} {figures} ({' and '.join(parts)})"


def zh_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def en_date(value: dt.date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def zh_count(value: int) -> str:
    return count(int(value))


def en_count(value: int) -> str:
    return en_number_words(int(value))
