"""The amounts table (tests/data/money/amounts.yaml): what each locale prints for an amount
in each currency, that `check` accepts every line, and that it reports every line with one
word changed — figures and words always agree, and any disagreement is caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from contractgen.checking import check_file
from contractgen.numbering.words import FilterError, amount

TABLE = Path(__file__).parent / "data" / "money" / "amounts.yaml"


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for key, rows in yaml.safe_load(TABLE.read_text(encoding="utf-8")).items():
        locale, code = key.split()[:2]
        cases += [(locale, code, value, expected) for value, expected in rows.items()]
    return cases


CASES = _cases()
PRINTED = [c for c in CASES if not c[3].startswith("error: ")]
REFUSED = [c for c in CASES if c[3].startswith("error: ")]

_EN_NEXT = dict(zip("one two three four five six seven eight nine twenty fifty ninety hundred thousand".split(),
                    "two three four five six seven eight nine ten thirty sixty eighty thousand million".split()))
_EN_OTHER_CURRENCY = {"dollars": "euros", "dollar": "euro", "pounds": "dollars", "pound": "dollar",
                      "euros": "pounds", "euro": "pound", "yen": "yuan", "yuan": "yen", "penny": "cent",
                      "pence": "cents", "cent": "penny", "cents": "pence", "fen": "pence"}
_ZH_NEXT = str.maketrans("壹贰叁肆伍陆柒捌玖", "贰叁肆伍陆柒捌玖壹")


def _replace_first(text: str, table: dict[str, str]) -> str:
    """``text`` with the first word of its bracketed words that ``table`` has replaced."""
    head, words = text.split("(", 1)
    pattern = r"\b(" + "|".join(map(re.escape, table)) + r")\b"
    changed = re.sub(pattern, lambda m: table[m[1]], words, count=1)
    assert changed != words, f"no word of {words!r} to change"
    return f"{head}({changed}"


def mutations(line: str) -> list[str]:
    """The line with one word changed: another number, or (in English) another currency."""
    if "（" in line:  # 人民币…（¥…）: one digit of the words
        words, figures = line.split("（", 1)
        first = next(i for i, ch in enumerate(words) if ch in "壹贰叁肆伍陆柒捌玖")
        return [words[:first] + words[first].translate(_ZH_NEXT) + words[first + 1:] + "（" + figures]
    return [_replace_first(line, _EN_NEXT), _replace_first(line, _EN_OTHER_CURRENCY)]


def _ids(cases) -> list[str]:
    return [f"{locale}-{code}-{value}" for locale, code, value, _ in cases]


@pytest.mark.parametrize("locale, code, value, expected", PRINTED, ids=_ids(PRINTED))
def test_amount_in_figures_and_words(locale: str, code: str, value: str, expected: str) -> None:
    assert amount(value, code, locale) == expected


@pytest.mark.parametrize("locale, code, value, expected", REFUSED, ids=_ids(REFUSED))
def test_an_amount_the_currency_cannot_have_is_refused(locale: str, code: str, value: str, expected: str) -> None:
    with pytest.raises(FilterError) as caught:
        amount(value, code, locale)
    assert str(caught.value).startswith(expected.removeprefix("error: "))
    assert caught.value.kind == "value"


def _amount_findings(tmp_path: Path, lines: list[str]) -> list[int]:
    """The lines of a Markdown contract, one amount per list item, that amount-mismatch reports."""
    body = "\n".join(f"- Item {i}: {line}." for i, line in enumerate(lines, 1))
    path = tmp_path / "fees.md"
    path.write_text(f"# Fees Agreement\n\n## Article 1 Fees\n\n{body}\n", encoding="utf-8")
    offset = 5  # the first list item's line
    return sorted({f.source.line - offset for f in check_file(path) if f.code == "amount-mismatch"})


def test_check_accepts_every_line_of_the_table(tmp_path: Path) -> None:
    assert _amount_findings(tmp_path, [expected for *_, expected in PRINTED]) == []


def test_check_reports_every_line_with_one_word_changed(tmp_path: Path) -> None:
    changed = [m for *_, expected in PRINTED for m in mutations(expected)]
    assert len(changed) > 2 * len(PRINTED) - 10
    assert _amount_findings(tmp_path, changed) == list(range(len(changed)))


def test_a_changed_line_is_another_amount() -> None:
    assert mutations("£21 (twenty-one pounds)") == ["£21 (thirty-one pounds)", "£21 (twenty-one dollars)"]
    assert mutations("人民币壹仟元伍角（¥1,000.50）") == ["人民币贰仟元伍角（¥1,000.50）"]
