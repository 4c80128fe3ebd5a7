"""One data value to its field's type, exactly or not at all.

A value arrives as text (a CSV or XLSX cell, a quoted YAML value) or as a number YAML or
JSON read; a number keeps the text it was written as (:class:`WrittenInt`,
:class:`WrittenFloat`), so a text field given ``012345`` keeps its zero and a number field
given ``1234567.123456789012`` keeps every digit. :func:`coerce` turns a value into the
field's type or raises ValueError saying what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from . import rx


class WrittenInt(int):
    """A whole number read from data, with the text it was written as (``written``)."""

    written = ""


class WrittenFloat(float):
    """A number with a point read from data, with the text it was written as (``written``)."""

    written = ""


def written_number(cls, construct):
    """A YAML constructor: ``construct``'s number as ``cls``, with the scalar's text."""
    def construct_written(loader, node):
        value = cls(construct(loader, node))
        value.written = node.value
        return value
    return construct_written


def json_float(text: str) -> WrittenFloat:
    """``json.loads``' parse_float: the number, with its text."""
    value = WrittenFloat(text)
    value.written = text
    return value


def coerce(fs: FieldSpec, value):
    """Convert one value to the field's type; ValueError says what was expected."""
    result = _COERCE[fs.type](value)
    if fs.type in ("number", "integer"):
        if fs.min is not None and result < fs.min:
            raise ValueError(f"{result} is below the minimum {fs.min}")
        if fs.max is not None and result > fs.max:
            raise ValueError(f"{result} is above the maximum {fs.max}")
    if fs.choices and result not in fs.choices:
        raise ValueError(f"{result!r} is not one of {', '.join(map(str, fs.choices))}")
    return result


_LINE_BREAKS = rx.compile(r"[\n\r\v\f\x85\u2028\u2029]")
_PRIVATE_MARKS = rx.compile("[\ue000-\ue002]")  # render.py's value tokens


def _to_string(value) -> str:
    """One line of text. A line break is refused rather than printed: in a clause it would
    start a new paragraph, heading or list item made of data (see render.py)."""
    if isinstance(value, (dict, list)):
        raise ValueError("expected text, got a nested value")
    text = (getattr(value, "written", "") or str(value)).strip()
    if _LINE_BREAKS.search(text):
        raise ValueError("a line break in a one-line text field; write the value on one line")
    if _PRIVATE_MARKS.search(text):
        raise ValueError("contains a private-use character (U+E000–U+E002) that contracts cannot hold")
    return text


# 1234.50, -12, 1,234.50 (a comma groups thousands, in threes), .5; never an exponent
_DECIMAL = rx.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


def _to_number(value) -> Decimal:
    """The exact decimal a value writes: a number from a data file by the text it was written
    as, text by the digits it holds (1,234.50 is 1234.50); anything else is refused."""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float, Decimal)):
        text = getattr(value, "written", "").replace("_", "") or str(value)
    else:
        text = str(value).strip().replace("，", ",")
        if not _DECIMAL.match(text) or text in ("", "+", "-"):
            raise ValueError(f"expected a number, got {value!r}" + _number_hint(text))
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(int(value))
    if not number.is_finite():
        raise ValueError(f"expected a number, got {value!r}")
    return number


def _number_hint(text: str) -> str:
    if re.fullmatch(r"[+-]?\d(?:\.\d+)?[eE][+-]?\d+", text):
        return (" — a number a spreadsheet shortened to scientific notation, which has lost digits: "
                "format the column as Text or Number and export it again")
    if re.fullmatch(r"[+-]?[\d.,]+", text):
        return " — write 1234.50 or 1,234.50 (a comma groups thousands in threes, a point marks the decimals)"
    return ""


def _to_integer(value) -> int:
    try:
        number = _to_number(value)
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None
    if number != number.to_integral_value():
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(number)


_DATE = rx.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?$")


def _to_date(value) -> dt.date:
    """2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(str(value).strip())
    if not m:
        serial = re.fullmatch(r"\d{5}", str(value).strip())  # 45352 is how a spreadsheet stores 2024-03-01
        hint = " — a spreadsheet's date number? format the column as a date and export it again" if serial else ""
        raise ValueError(f"expected a date like 2024-03-01, got {value!r}{hint}")
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the calendar") from None


def _to_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "是", "y"):
        return True
    if text in ("false", "no", "0", "否", "n"):
        return False
    raise ValueError(f"expected yes or no, got {value!r}")


_COERCE = {"string": _to_string, "number": _to_number, "integer": _to_integer,
           "date": _to_date, "boolean": _to_boolean}
