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
WAVE2 = ("number-words-mismatch", "invalid-date", "weekday-mismatch", "date-order", "drafting-leftover",
         "undefined-term", "unused-definition", "duplicate-definition", "term-used-before-definition",
         "deposit-term-mix", "penalty-term", "half-width-punctuation")


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


def test_every_wave2_rule_has_true_positives_and_look_alikes() -> None:
    for code in WAVE2:
        kinds = {bool(c.fires) for c in ALL if c.code == code}
        assert kinds == {True, False}, code


def test_wave2_rules_are_registered_with_examples() -> None:
    by_code = {rule.code: rule for rule in RULES}
    for code in WAVE2:
        rule = by_code[code]
        assert rule.bad and rule.good and rule.help, code
        bad = run_checks(build_document([Line(t, i) for i, t in enumerate(rule.bad.splitlines(), 1)], "bad.txt"))
        good = run_checks(build_document([Line(t, i) for i, t in enumerate(rule.good.splitlines(), 1)], "good.txt"))
        assert code in {f.code for f in bad}, code
        assert code not in {f.code for f in good}, code


def test_severities_follow_the_issue() -> None:
    warnings = {"unused-definition", "term-used-before-definition", "deposit-term-mix", "penalty-term",
                "half-width-punctuation"}
    for rule in RULES:
        if rule.code in WAVE2:
            assert rule.severity == ("warning" if rule.code in warnings else "error"), rule.code
