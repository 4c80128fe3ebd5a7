"""The filters follow the contract's locale: ``make_environment`` takes a lang ("zh", "en")
or the scheme's language tag ("zh-CN", "en-US", "en-GB")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contractgen.numbering.words import filters
from contractgen.render import make_environment


@pytest.mark.parametrize("name, fee, words", [
    ("zh", "人民币壹拾捌万伍仟元整（¥185,000.00）", "一百一十五"),
    ("zh-CN", "人民币壹拾捌万伍仟元整（¥185,000.00）", "一百一十五"),
    ("en", "USD 185,000.00 (one hundred eighty-five thousand US dollars)", "one hundred fifteen"),
    ("en-US", "USD 185,000.00 (one hundred eighty-five thousand US dollars)", "one hundred fifteen"),
    ("en-GB", "£185,000 (one hundred and eighty-five thousand pounds)", "one hundred and fifteen"),
])
def test_the_environment_takes_a_lang_or_a_locale(name: str, fee: str, words: str) -> None:
    env = make_environment(name)
    text = env.from_string("{{ fee | amount }}|{{ n | words }}|{{ d | date }}").render(
        fee=Decimal("185000"), n=115, d=dt.date(2024, 3, 1))
    assert text == f"{fee}|{words}|{'2024年3月1日' if name.startswith('zh') else '1 March 2024'}"


def test_an_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="no filters for the locale 'fr-FR'"):
        filters("fr-FR")
