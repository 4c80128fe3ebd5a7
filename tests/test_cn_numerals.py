"""contractgen.numbering.cn_numerals writes what cn2an writes (it replaces cn2an's two
conversions contracts use, so that a batch need not import cn2an): held to cn2an itself."""

from __future__ import annotations

import random
from decimal import Decimal

import cn2an
import pytest

from contractgen.numbering.cn_numerals import count_words, integer_words, rmb_words
from contractgen.numbering.words import zh_amount


def test_counting_is_cn2an_s_for_every_integer_below_200000():
    mismatches = [n for n in range(200_000) if count_words(n) != cn2an.an2cn(n)]
    assert mismatches == []


def test_counting_is_cn2an_s_for_large_integers():
    rng = random.Random(19)
    numbers = [rng.randrange(10 ** rng.randint(6, 16)) for _ in range(20_000)]
    numbers += [10 ** k for k in range(16)] + [10 ** k + 1 for k in range(16)] + [10 ** 16 - 1, 100_000_010]
    assert [n for n in numbers if count_words(n) != cn2an.an2cn(n)] == []


def test_upper_case_integers_are_cn2an_s():
    rng = random.Random(7)
    numbers = list(range(2000)) + [rng.randrange(10 ** 15) for _ in range(5000)]
    assert [n for n in numbers if integer_words(n, upper=True) != cn2an.an2cn(n, "up")] == []


def _amounts() -> list[Decimal]:
    rng = random.Random(21)
    amounts = [Decimal(f"{whole}.{cents:02d}") for whole in (0, 1, 10, 11, 100, 101, 1000, 10001, 100000, 120000,
                                                             125000, 10 ** 8, 10 ** 8 + 5, 999_999_999_999)
               for cents in (0, 1, 5, 10, 15, 50, 99)]
    amounts += [Decimal(rng.randrange(10 ** rng.randint(1, 13))) / 100 for _ in range(20_000)]
    return amounts


def test_amounts_in_words_are_cn2an_s_rmb():
    mismatches = [a for a in _amounts() if rmb_words(a) != cn2an.an2cn(f"{a:.2f}", "rmb")]
    assert mismatches == []


def test_the_amount_filter_writes_what_it_wrote_with_cn2an():
    for amount in _amounts()[:3000]:
        expected = f"人民币{cn2an.an2cn(f'{amount:.2f}', 'rmb')}（¥{amount:,.2f}）"
        assert zh_amount(amount) == expected


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        rmb_words(Decimal("-1.00"))
