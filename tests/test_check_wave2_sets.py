"""Second-wave rules across a contract set and next to the first wave's rules: restated
parties, a term defined in the main file, one finding per blank, the seed and the NDA."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from contractgen.checks import run_checks
from contractgen.checks.numberwords import en_words_number, zh_words_number
from contractgen.checking import check_file
from contractgen.numbering.words import en_number_words
from contractgen.readers.contract_set import read_set, set_from_yaml
from contractgen.readers.lines import Line, build_document

from conftest import TESTS
from test_check_wave2_rules import second_wave

SETS = TESTS / "data" / "check" / "sets"
CASES = TESTS / "data" / "check" / "cases"
SECOND_WAVE_ERRORS = {rule.code for rule in second_wave() if rule.severity == "error"}


def _set_findings(name: str):
    return run_checks(read_set(set_from_yaml(SETS / name / "contract-set.yaml")))


def _check(text: str):
    return run_checks(build_document([Line(t, i) for i, t in enumerate(text.splitlines(), 1)], "t.txt"))


def test_an_addendum_file_restating_the_parties_is_not_a_duplicate() -> None:
    assert [f for f in _set_findings("zh-restated-parties") if f.code == "duplicate-definition"] == []


def test_an_addendum_file_naming_another_party_is_a_duplicate_in_that_file() -> None:
    found = [f for f in _set_findings("zh-other-party") if f.code == "duplicate-definition"]
    assert [(Path(f.source.path).name, f.line) for f in found] == [("addendum.md", 5)]
    assert "'乙方'" in found[0].message


@pytest.mark.parametrize("name", ["en-clean", "zh-clean"])
def test_terms_defined_in_the_main_file_serve_the_addendum(name: str) -> None:
    found = [f.format() for f in _set_findings(name) if f.code in SECOND_WAVE_ERRORS | {"unused-definition"}]
    assert found == []


def test_one_finding_per_blank_between_leftover_and_placeholder() -> None:
    found = [(f.code, f.message) for f in _check("乙方地址：【请填写____】。\nCustomer: [INSERT NAME].\n开户行：____。\n")]
    assert found == [("drafting-leftover", "drafting leftover '【请填写____】'"),
                     ("drafting-leftover", "drafting leftover '[INSERT NAME]'"),
                     ("unfilled-placeholder", "unfilled placeholder '____'")]


def test_the_seed_has_no_second_wave_errors_and_the_nda_no_findings() -> None:
    assert [f.format() for f in check_file(CASES / "huzhou-contract-zh.txt") if f.code in SECOND_WAVE_ERRORS] == []
    assert check_file(CASES / "commonpaper-mutual-nda.md") == []


def test_english_number_words_round_trip() -> None:
    for n in [*range(0, 1200), 12500, 100000, 2345678, 1000000000]:
        assert en_words_number(en_number_words(n).replace("-", " ")) == n


@pytest.mark.parametrize("words", ["five twenty", "and", "hundred", "thirty days", "", "one two"])
def test_english_non_numbers_are_not_parsed(words: str) -> None:
    assert en_words_number(words) is None


def test_chinese_numerals_are_parsed_once() -> None:
    zh_words_number.cache_clear()
    assert [zh_words_number(w) for w in ("三十", "十五", "一百零五", "五点五", "叁拾", "三十")] == \
        [Decimal(30), Decimal(15), Decimal(105), Decimal("5.5"), Decimal(30), Decimal(30)]
    assert zh_words_number.cache_info().hits == 1
    assert zh_words_number("百分之") is None
