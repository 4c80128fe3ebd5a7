"""Word-level changes (tests/data/compare/word-changes.json): Chinese by character, English
by word, numbers, amounts and dates whole and typed, with their currency and unit."""

from __future__ import annotations

import json

import pytest

from contractgen.compare.diff import DELETE, EQUAL, INSERT, changes, tokens, word_diff

from conftest import TESTS

CASES = json.loads((TESTS / "data" / "compare" / "word-changes.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["old"][:20] for c in CASES])
def test_changes_read_as_a_person_would_say_them(case: dict) -> None:
    found = [c.as_dict() for c in changes(word_diff(case["old"], case["new"]))]
    assert found == case["changes"]


@pytest.mark.parametrize("case", CASES, ids=[c["old"][:20] for c in CASES])
def test_the_diff_rebuilds_both_texts(case: dict) -> None:
    ops = word_diff(case["old"], case["new"])
    assert "".join(t for op, t in ops if op in (EQUAL, DELETE)) == case["old"]
    assert "".join(t for op, t in ops if op in (EQUAL, INSERT)) == case["new"]


def test_tokens() -> None:
    assert tokens("三十日内支付USD 10,000.00") == ["三十", "日", "内", "支", "付", "USD", " ", "10,000.00"]
    assert tokens("on 1 April 2024, the Provider's") == ["on", " ", "1 April 2024", ",", " ", "the", " ", "Provider's"]
