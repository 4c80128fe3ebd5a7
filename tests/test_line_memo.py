"""The checks' per-line memo: an ordinary line is computed once, a hostile long one every
time and never kept (a long-running `contractgen serve` must not hold megabyte lines)."""

from __future__ import annotations

from contractgen.checks.base import LONG_LINE, line_memo


def test_a_short_line_is_computed_once_and_a_long_one_each_time_without_being_kept():
    calls = []

    @line_memo
    def words(text: str, lower: bool = False) -> tuple[str, ...]:
        calls.append(text)
        return tuple((text.lower() if lower else text).split())

    short, long_ = "甲方 应 按时 付款", "x " * LONG_LINE
    assert words(short) == words(short) == ("甲方", "应", "按时", "付款")
    assert words(short, True) == ("甲方", "应", "按时", "付款")  # another option, another entry
    assert calls == [short, short]
    assert words(long_) == words(long_)
    assert calls.count(long_) == 2
    assert words.cache_info().currsize == 2  # the short line with each option; never the long one
    words.cache_clear()
    words(short)
    assert calls.count(short) == 3
