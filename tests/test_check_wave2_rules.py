"""Second-wave text rules, data-driven: tests/data/check/rules/<code>.txt (and .md) hold cases
headed ``=== fire: why`` (the rule fires once; ``fire x2`` twice) or ``=== quiet: why`` (it
must not fire: a look-alike). Adding a case means adding lines to a file, not code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from contractgen.checks import RULES, run_checks
from contractgen.readers.lines import Line, build_document
from contractgen.readers.markdown import markdown_lines

from conftest import TESTS

RULE_CASES = TESTS / "data" / "check" / "rules"
_HEADER = re.compile(r"^=== (?P<kind>fire|quiet)(?: x(?P<n>\d+))?: (?P<why>.+)$")
# The second wave's text rules are every text rule of these families, so a new rule there
# needs its case file too.
SECOND_WAVE_FAMILIES = ("numbers", "dates", "leftovers", "terms", "usage")


def second_wave() -> list:
    return [rule for rule in RULES if rule.family in SECOND_WAVE_FAMILIES and rule.example_is_text]


@dataclass
class Case:
    code: str
    fires: int
    why: str
    text: str
    markdown: bool

    def __str__(self) -> str:
        return f"{self.code}: {self.why}"


def _cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADER.match(line)
        if m:
            fires = 0 if m["kind"] == "quiet" else int(m["n"] or 1)
            cases.append(Case(path.stem, fires, m["why"], "", path.suffix == ".md"))
        elif cases:
            cases[-1].text += line + "\n"
    return cases


ALL = [case for path in sorted(RULE_CASES.iterdir()) for case in _cases(path)]


def findings(case: Case):
    if case.markdown:
        lines = markdown_lines(case.text)
    else:
        lines = [Line(t, i) for i, t in enumerate(case.text.splitlines(), start=1)]
    return run_checks(build_document(lines, f"case{'.md' if case.markdown else '.txt'}"))


@pytest.mark.parametrize("case", ALL, ids=str)
def test_rule_case(case: Case) -> None:
    found = [f for f in findings(case) if f.code == case.code]
    assert len(found) == case.fires, [f.format() for f in found]
    for f in found:
        assert f.line is not None and f.message


def test_every_second_wave_rule_has_true_positives_and_look_alikes() -> None:
    assert len(second_wave()) >= 12
    for rule in second_wave():
        kinds = {bool(c.fires) for c in ALL if c.code == rule.code}
        assert kinds == {True, False}, rule.code


def test_every_case_file_is_a_rule() -> None:
    codes = {rule.code for rule in RULES}
    assert sorted({case.code for case in ALL} - codes) == []


def test_severities_follow_the_issue() -> None:
    warnings = {"unused-definition", "term-used-before-definition", "deposit-term-mix", "penalty-term",
                "half-width-punctuation"}
    for rule in second_wave():
        assert rule.severity == ("warning" if rule.code in warnings else "error"), rule.code
