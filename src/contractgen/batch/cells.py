"""One spreadsheet cell as the exact text a user would type, for the type of its field.

Nothing is rounded or guessed: a value that cannot be read exactly for its field's type is
a :class:`LossyCell`, which the batch reports with the row and column. A string field
reads a number cell as the text the cell shows (``00123`` for 123 formatted ``00000``);
a date field reads a number cell as the date serial it is; a 16+ digit number that a
spreadsheet number cell may already have rounded is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from .. import rx

# Excel keeps 15 significant digits in a number cell: a longer account number, 统一社会信用
# 代码 or card number typed into one has already lost its last digits.
EXACT_DIGITS = 15
_MAX_SERIAL = 2958465  # 9999-12-31
# Number formats whose shown text can be rebuilt exactly: 0, 00000, 0.00, #,##0, #,##0.00
_PLAIN_FORMAT = rx.compile(r"^(?P<group>#,##)?(?P<int>0+)(?:\.(?P<dec>0+))?$")
# What Excel writes to a CSV for a long number in a General cell: 1.10202E+18
_SCIENTIFIC = rx.compile(r"^[+-]?\d(?:\.\d+)?E[+-]\d+$")


class LossyCell(ValueError):
    """A cell whose value the spreadsheet could not store, or we could not read, exactly."""


def cell_text(cell, ftype: str | None = None, epoch: dt.datetime | None = None) -> str:
    """``cell`` (an openpyxl cell, or a CSV cell's text) as text for a field of ``ftype``
    (None: the field is unknown, read the plain value)."""
    if isinstance(cell, str):  # CSV
        text = cell.strip()
        if ftype == "string" and _SCIENTIFIC.match(text):
            raise LossyCell(f"'{text}' is a number the spreadsheet wrote in scientific notation, which has lost "
                            "its digits: format the column as Text, type the values again and export again")
        return text
    value = getattr(cell, "value", cell)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        _refuse_rounded(value)
        if ftype == "date":
            return _serial_date(value, epoch)
        if ftype == "string":
            return _shown(value, getattr(cell, "number_format", "General"))
        return number_text(value)
    return str(value).strip()


def _refuse_rounded(value) -> None:
    """A number past 15 digits that went through a floating-point number (every float, and an
    int a float can hold exactly) may have lost digits: refused, never guessed."""
    if abs(value) < 10 ** EXACT_DIGITS or (isinstance(value, int) and float(value) != value):
        return
    raise LossyCell(f"the number {value:.15g} has more than {EXACT_DIGITS} digits and a spreadsheet "
                    "number cell keeps only 15: format the column as Text and type the value again")


def number_text(value) -> str:
    """A number cell's value in plain digits: 12000, 1234.5, 0.3 (not the binary noise
    0.30000000000000004 past the 15 digits a spreadsheet keeps)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    number = Decimal(repr(value))
    if len(number.as_tuple().digits) > EXACT_DIGITS:
        number = Decimal(f"{value:.{EXACT_DIGITS}g}")
    return format(number, "f")


def _shown(value, number_format: str) -> str:
    """The text a number cell shows, for a text field: 123 formatted 00000 shows 00123."""
    plain = number_text(value)
    m = _PLAIN_FORMAT.match(number_format or "")
    if not m:  # General, Text, or a format we do not rebuild: the value as typed
        return plain
    decimals = len(m["dec"] or "")
    number = Decimal(plain)
    shown = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # as Excel rounds
    if shown != number:
        raise LossyCell(f"the cell shows {shown} but holds {plain}: format the column as Text "
                        "and type the value as it should read")
    sign, digits = ("-" if shown < 0 else ""), format(abs(shown), "f")
    whole, _, fraction = digits.partition(".")
    whole = whole.zfill(len(m["int"]))
    if m["group"]:
        whole = f"{int(whole):,}"
    return sign + whole + (f".{fraction}" if fraction else "")


def _serial_date(value, epoch: dt.datetime | None) -> str:
    """A date field's number cell: the date serial (45352 is 2024-03-01)."""
    if not 0 < value <= _MAX_SERIAL:
        return number_text(value)  # not a date: the schema says so
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    moment = from_excel(value, epoch or CALENDAR_WINDOWS_1900)
    return moment.date().isoformat() if moment.time() == dt.time() else moment.isoformat(sep=" ")
