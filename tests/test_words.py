"""Amounts and numbers in words: what fragments print, and what the checks read back."""

from __future__ import annotations

import datetime as dt

import pytest

from contractgen.checks import run_checks
from contractgen.numbering.words import en_amount, en_date, en_number_words, zh_amount, zh_count, zh_date
from contractgen.readers.lines import Line, build_document

CASES = [
    (zh_amount, "125000", "人民币壹拾贰万伍仟元整（¥125,000.00）"),
    (zh_amount, "38000.55", "人民币叁万捌仟元伍角伍分（¥38,000.55）"),
    (zh_amount, "0.01", "人民币壹分（¥0.01）"),
    (en_amount, "12500", "USD 12,500.00 (twelve thousand five hundred US dollars)"),
    (en_amount, "1", "USD 1.00 (one US dollar)"),
    (en_amount, "0.01", "USD 0.01 (one cent)"),
    (en_amount, "2001.5", "USD 2,001.50 (two thousand one US dollars and fifty cents)"),
    (en_number_words, 0, "zero"),
    (en_number_words, 115, "one hundred fifteen"),
    (en_number_words, 1_000_001, "one million one"),
    (zh_count, 12, "十二"),
    (zh_count, 101, "一百零一"),
    (zh_date, dt.date(2024, 3, 1), "2024年3月1日"),
    (en_date, dt.date(2024, 3, 1), "1 March 2024"),
]


@pytest.mark.parametrize("func, value, expected", CASES, ids=[c[2] for c in CASES])
def test_words(func, value, expected) -> None:
    assert func(value) == expected


@pytest.mark.parametrize("value, message", [
    ("38000.005", "fractions of a cent"), ("1e20", "cannot be written in words"), ("-5", "cannot be written"),
])
@pytest.mark.parametrize("func", [zh_amount, en_amount])
def test_amounts_are_never_rounded_silently(func, value, message) -> None:
    with pytest.raises(ValueError, match=message):
        func(value)


@pytest.mark.parametrize("value", ["125000", "38000.55", "0.01", "2001.5", "999999.99"])
@pytest.mark.parametrize("func", [zh_amount, en_amount])
def test_what_we_print_the_amount_check_accepts(func, value) -> None:
    doc = build_document([Line(f"Fee: {func(value)} per month.", 1)], "t.txt")
    assert [f.code for f in run_checks(doc) if f.code == "amount-mismatch"] == []
