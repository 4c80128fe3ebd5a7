"""Real-contract look-alikes, data-driven (issue 22, classes 5–8): every file in
tests/data/check/realtext is a snippet of a real contract (Common Paper, Bonterms, GitHub,
OpenAtom CLAs, 示范文本) or written in its style, with a reviewed golden
``<name>.expected.json`` of the findings the rules of its family give it — code,
severity, line and message. The family is the file name's first word (``terms-…``).
Regenerate with CONTRACTGEN_UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractgen.checking import check_file

from conftest import TESTS, compare_golden

CASES = TESTS / "data" / "check" / "realtext"
INPUTS = sorted(p for p in CASES.iterdir() if p.suffix in (".md", ".txt"))
CODES = {
    "terms": ("undefined-term", "duplicate-definition", "unused-definition", "term-used-before-definition"),
    "references": ("dangling-reference", "reference-title-mismatch"),
    "placeholders": ("unfilled-placeholder", "drafting-leftover"),
    "usage": ("penalty-term",),
}


def _findings(path: Path) -> list[dict]:
    codes = CODES[path.name.split("-")[0]]
    return [{"code": f.code, "severity": f.severity, "line": f.line, "message": f.message}
            for f in check_file(path) if f.code in codes]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_findings_match_golden(path: Path) -> None:
    actual = json.dumps(_findings(path), ensure_ascii=False, indent=2) + "\n"
    compare_golden(actual, path.with_suffix(".expected.json"))


def test_every_case_has_a_family_and_a_golden() -> None:
    assert len(INPUTS) >= 10
    for path in INPUTS:
        assert path.name.split("-")[0] in CODES, path.name
        assert path.with_suffix(".expected.json").exists(), path.name


def _errors(name: str) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in _findings(CASES / name) if f["severity"] == "error"]


def test_real_defects_are_still_errors() -> None:
    # GitHub's Educational Use Agreement: "Sections 1 and 3 through 9 will survive" past the end
    assert ("dangling-reference", 14) in _errors("references-other-instruments-en.md")
    assert _errors("references-other-instruments-zh.txt") == [("dangling-reference", 10)]  # 第九条
    # a phrase the text says is defined below, and nothing defines it
    assert _errors("terms-defined-elsewhere.md") == [("undefined-term", 7)]


def test_defined_elsewhere_is_at_most_a_warning() -> None:
    found = _findings(CASES / "terms-defined-elsewhere.md")
    assert {f["severity"] for f in found if "General Cap Amount" in f["message"]} == {"warning"}
    assert not [f for f in found if "Pilot Period" in f["message"] or "Payment Process" in f["message"]]


def test_a_definition_in_another_file_of_the_set_counts() -> None:
    from contractgen.checking import collect

    folder = TESTS / "data" / "check" / "sets" / "en-terms-across-files"
    alone = [f for f in check_file(folder / "main.md") if f.code == "undefined-term"]
    assert [(f.severity, f.line) for f in alone] == [("warning", 5)]  # read alone, the Order Form is missing
    as_set = [f for _, found in collect([folder / "contract-set.yaml"]) for f in found]
    assert not [f for f in as_set if f.code == "undefined-term"]
