"""Amounts, dates, counts and numbers in words, per locale: the Jinja filters fragments use.

Number words come from num2words, currency names, symbols, minor-unit digits and figures
from Babel (CLDR); Chinese amounts (人民币大写) from cn2an through :mod:`.zh`. Only the
few places where drafting usage differs from CLDR's display names are written here
(:data:`_DRAFTING_NAMES`), with the minor units CLDR does not name (:data:`_MINOR_UNITS`).

How each locale writes ``{{ fee | amount }}`` (figures first, words in brackets, the
code or symbol always the words' currency):

- ``zh-CN``: 人民币壹拾捌万伍仟元整（¥185,000.00）; 人民币 only.
- ``en-US``: USD 185,000.00 (one hundred eighty-five thousand US dollars) — the ISO code,
  the currency's minor-unit digits always shown, no "and" inside numbers.
- ``en-GB``: £185,000 (one hundred and eighty-five thousand pounds); £8,250.50 (eight
  thousand two hundred and fifty pounds and fifty pence) — as an English lawyer writes
  it: CLDR's British symbol (£, €, US$, HK$, JP¥, CN¥; the code where the symbol is the
  code, "SGD 21"), pence only when there are any, "and" after hundreds.

A value a filter cannot write raises :class:`FilterError`; ``render.py`` adds the field,
the clause file and line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Callable, NamedTuple


from .cn_numerals import rmb_words
from .zh import amount_in_figures, count

LOCALES = ("zh-CN", "en-US", "en-GB")
_LANG_LOCALE = {"zh": "zh-CN", "en": "en-US"}
_DEFAULT_CURRENCY = {"zh-CN": "CNY", "en-US": "USD", "en-GB": "GBP"}
# Currencies with English words: the code printed with the figures always names the same
# currency as the words, so "GBP 10.50" is never followed by "US dollars".
CURRENCIES = ("USD", "GBP", "EUR", "HKD", "SGD", "CNY", "JPY")
# Main-unit names (singular, plural) where drafting usage differs from CLDR's display names
# ("British pounds", "Japanese yen", "Chinese yuan"); every other name is CLDR's.
_DRAFTING_NAMES = {
    "en-US": {"GBP": ("pound sterling", "pounds sterling"), "JPY": ("yen", "yen"), "CNY": ("yuan", "yuan")},
    "en-GB": {"GBP": ("pound", "pounds"), "JPY": ("yen", "yen"), "CNY": ("yuan", "yuan")},
}
# Minor units neither CLDR nor num2words' English table names (num2words has USD, GBP, EUR).
_MINOR_UNITS = {"HKD": ("cent", "cents"), "SGD": ("cent", "cents"), "CNY": ("fen", "fen")}
_MAX_AMOUNT = Decimal(10) ** 15


class FilterError(ValueError):
    """A filter cannot write its value. ``str()`` is the reason, worded to follow
    "'<field>' …" or "the value …"; ``kind`` is "type" (the template passes the wrong
    kind of value), "value" (the data's value cannot be written) or "argument" (the
    template passes a bad argument, such as a currency without words: the reason stands
    alone); ``filter`` is set by :func:`filters` to the filter's name."""

    def __init__(self, reason: str, value, kind: str = "value"):
        super().__init__(reason)
        self.reason, self.value, self.kind = reason, value, kind
        self.filter = ""


class Currency(NamedTuple):
    """A currency as a locale writes it: unit names, minor-unit names and digits."""

    code: str
    one: str
    many: str
    minor_one: str
    minor_many: str
    digits: int


def resolve_locale(name: str) -> str:
    """ "zh" -> "zh-CN", "en" -> "en-US"; a supported locale passes through."""
    locale = _LANG_LOCALE.get(name, name)
    if locale not in LOCALES:
        raise ValueError(f"no filters for the locale {name!r} (use one of {', '.join(LOCALES)})")
    return locale


def currency(code: str, locale: str = "en-US") -> Currency:
    """The English words for ``code`` in ``locale``: USD -> US dollar(s), cent(s), 2 digits."""
    from babel.numbers import get_currency_name, get_currency_precision  # imported when used: start-up
    from num2words.lang_EN import Num2Word_EN

    code = str(code).upper()
    if code not in CURRENCIES:
        raise FilterError(f"no English words for the currency {code!r} (use one of {', '.join(CURRENCIES)})",
                          code, kind="argument")
    babel_locale = locale.replace("-", "_")
    one, many = _DRAFTING_NAMES[locale].get(code) or (
        get_currency_name(code, count=1, locale=babel_locale), get_currency_name(code, count=2, locale=babel_locale))
    minor = Num2Word_EN.CURRENCY_FORMS.get(code, (None, None))[1] or _MINOR_UNITS.get(code, ("", ""))
    return Currency(code, one, many, minor[0], minor[1], get_currency_precision(code))


def number_words(n: int | Decimal, locale: str = "en-US") -> str:
    """English words for a non-negative number: 115 -> "one hundred fifteen" (en-US),
    "one hundred and fifteen" (en-GB); 5.5 -> "five point five". No commas between groups."""
    from num2words import num2words  # imported when used: a Chinese batch need not pay for it at start-up

    if n < 0:
        raise ValueError(f"no words for negative {n}")
    words = num2words(n, lang="en").replace(",", "")
    if locale == "en-US":
        words = " ".join(w for w in words.split() if w != "and")
    return words


def en_number_words(n: int) -> str:
    """US English words for a non-negative integer: 12500 -> "twelve thousand five hundred"."""
    return number_words(int(n), "en-US")


def _number(value, what: str = "a number") -> Decimal:
    """The value as a Decimal; text, yes/no and left-out values are the template's mistake."""
    if value is None:
        raise FilterError("is left out in the data; guard it with {% if … %}", value, kind="type")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise FilterError(f"is {_shown(value)}, not {what}", value, kind="type")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise FilterError(f"is the text {_shown(value)}, not {what}; use a field declared "
                          f"{{type: {'integer' if 'whole' in what else 'number'}}}", value, kind="type")
    return number


def _shown(value) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (dict, list, tuple)):
        return "a group of fields" if isinstance(value, dict) else "a list"
    return f"{type(value).__name__} {value!r}" if not isinstance(value, (int, float, Decimal)) else str(value)


def _money(value, minor_unit: str = "cent (分)", digits: int = 2) -> Decimal:
    """An amount to write out: never rounded silently, and small enough to have words."""
    amount = _number(value)
    if not 0 <= amount < _MAX_AMOUNT:
        raise FilterError(f"is {amount}, which cannot be written in words (0 up to 999,999,999,999,999.99)", value)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        if digits == 0:
            raise FilterError(f"is {amount}: {minor_unit} has no minor unit, so the amount must be whole; "
                              "round it in the data", value)
        raise FilterError(f"is {amount}, which has fractions of a {minor_unit}: round it to {digits} decimals "
                          "in the data", value)
    return amount


def zh_amount(value, currency_code: str = "CNY") -> str:
    """人民币壹万贰仟元整（¥12,000.00）."""
    if str(currency_code).upper() not in ("CNY", "RMB"):
        raise FilterError(f"Chinese amounts in words are in 人民币 only (CNY), not {currency_code!r}",
                          currency_code, kind="argument")
    amount = _money(value)
    return f"人民币{rmb_words(amount)}（{amount_in_figures(amount)}）"  # zh.amount_in_words' text, without cn2an


def amount(value, currency_code: str | None = None, locale: str = "en-US") -> str:
    """An amount in figures and English words, in the currency's own code or symbol."""
    locale = resolve_locale(locale)
    if locale == "zh-CN":
        return zh_amount(value, currency_code or "CNY")
    cur = currency(currency_code or _DEFAULT_CURRENCY[locale], locale)
    amount_ = _money(value, cur.code if cur.digits == 0 else cur.minor_one, cur.digits)
    return f"{_figures(amount_, cur, locale)} ({_amount_words(amount_, cur, locale)})"


def en_amount(value, currency_code: str = "USD") -> str:
    """USD 12,500.00 (twelve thousand five hundred US dollars); JPY 1,000 (one thousand yen)."""
    return amount(value, currency_code, "en-US")


def _amount_words(amount_: Decimal, cur: Currency, locale: str) -> str:
    scale = 10 ** cur.digits
    whole, minor = divmod(int(amount_ * scale), scale)
    parts = []
    if whole or not minor:
        parts.append(f"{number_words(whole, locale)} {cur.one if whole == 1 else cur.many}")
    if minor:
        parts.append(f"{number_words(minor, locale)} {cur.minor_one if minor == 1 else cur.minor_many}")
    return " and ".join(parts)


def _figures(amount_: Decimal, cur: Currency, locale: str) -> str:
    from babel.numbers import format_currency, get_currency_symbol

    babel_locale = locale.replace("-", "_")
    if locale == "en-US":
        return format_currency(amount_, cur.code, format="¤¤ #,##0.00", locale=babel_locale, currency_digits=True)
    symbol = get_currency_symbol(cur.code, locale=babel_locale)
    sign = "¤¤ " if symbol.isalpha() else "¤"
    if amount_ == amount_.to_integral_value():
        return format_currency(amount_, cur.code, format=f"{sign}#,##0", locale=babel_locale, currency_digits=False)
    return format_currency(amount_, cur.code, format=f"{sign}#,##0.00", locale=babel_locale, currency_digits=True)


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if value is None:
        raise FilterError("is left out in the data; guard it with {% if … %}", value, kind="type")
    text = "the text " if isinstance(value, str) else ""
    raise FilterError(f"is {text}{_shown(value)}, not a date; use a field declared {{type: date}} "
                      "(YYYY-MM-DD in the data)", value, kind="type")


def zh_date(value: dt.date) -> str:
    value = _date(value)
    return f"{value.year}年{value.month}月{value.day}日"


def en_date(value: dt.date) -> str:
    """1 March 2024, in en-US and en-GB contracts alike (the form both write in contracts)."""
    from babel.dates import format_date

    return format_date(_date(value), "d MMMM y", locale="en_GB")


def _whole(value) -> int:
    number = _number(value, "a whole number")
    if number != number.to_integral_value():
        raise FilterError(f"is {number}, not a whole number: give a whole number in the data", value)
    return int(number)


def zh_count(value: int) -> str:
    n = _whole(value)
    if n <= 0:
        raise FilterError(f"is {n}: Chinese counting starts at 一", value)
    return count(n)


def en_count(value: int, locale: str = "en-US") -> str:
    n = _whole(value)
    if n < 0:
        raise FilterError(f"is {n}: a negative number has no count in words", value)
    return number_words(n, locale)


def zh_words(value) -> str:
    """五点五, 一百一十五: a plain number in Chinese words."""
    import cn2an  # here: importing it compiles its patterns (~0.2 s)

    n = _plain(value)
    return cn2an.an2cn(format(n.normalize(), "f"))


def en_words(value, locale: str = "en-US") -> str:
    """"five point five", "one hundred fifteen" (en-US) / "one hundred and fifteen" (en-GB)."""
    n = _plain(value)
    return number_words(int(n) if n == n.to_integral_value() else n.normalize(), locale)


def _plain(value) -> Decimal:
    n = _number(value)
    if not 0 <= n < _MAX_AMOUNT:
        raise FilterError(f"is {n}, which cannot be written in words (0 up to 999,999,999,999,999)", value)
    return n


def _named(name: str, func: Callable) -> Callable:
    """The filter ``func`` under its Jinja name: a refused value's error knows the filter."""
    def filter_(value, *args, **kwargs):
        try:
            return func(value, *args, **kwargs)
        except FilterError as exc:
            exc.filter = name
            raise
    filter_.__name__ = filter_.__qualname__ = f"{name}_filter"
    filter_.__doc__ = func.__doc__
    return filter_


def filters(locale: str) -> dict[str, Callable]:
    """The Jinja filters ``amount``, ``date``, ``count`` and ``words`` for a locale
    ("zh-CN", "en-US", "en-GB"; the langs "zh" and "en" mean "zh-CN" and "en-US")."""
    locale = resolve_locale(locale)
    if locale == "zh-CN":
        table = {"amount": zh_amount, "date": zh_date, "count": zh_count, "words": zh_words}
    else:
        table = {"amount": lambda value, code=None: amount(value, code, locale), "date": en_date,
                 "count": lambda value: en_count(value, locale), "words": lambda value: en_words(value, locale)}
    return {name: _named(name, func) for name, func in table.items()}
