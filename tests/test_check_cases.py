"""Data-driven check cases: every contract in tests/data/check/cases has a reviewed golden
file of expected findings next to it (`<name>.expected.json`). Regenerate them with
`make golden` (CONTRACTGEN_UPDATE_GOLDEN=1) and review the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractgen.checking import check_file

from conftest import TESTS, compare_golden

CASES = TESTS / "data" / "check" / "cases"
INPUTS = sorted(p for p in CASES.iterdir() if p.suffix in (".md", ".txt", ".docx"))


def _findings_json(path: Path) -> str:
    findings = [f.as_dict() for f in check_file(path)]
    return json.dumps(findings, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_findings_match_golden(path: Path) -> None:
    compare_golden(_findings_json(path), path.with_suffix(".expected.json"))


def _codes(name: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_file(CASES / name)]


def test_seed_reports_the_known_defects() -> None:
    found = check_file(CASES / "huzhou-contract-zh.txt")
    codes = {(f.code, f.line) for f in found}
    assert ("numbering-gap", 104) in codes  # 第三条 → 第八条
    assert {line for code, line in codes if code == "toc-mismatch"} >= {23, 41, 61}
    assert {line for code, line in codes if code == "missing-attachment"} == {225, 226, 227, 228, 229}  # 附件6–10
    placeholders = {f.message for f in found if f.code == "unfilled-placeholder"}
    assert any("'XXX'" in m for m in placeholders) and any("'20XX'" in m for m in placeholders)
    assert any("'____'" in m for m in placeholders)
    assert any(f.code == "inconsistent-party-term" and "'客户' and '甲方'" in f.message for f in found)


def test_seed_has_no_false_positive_on_addendum_references() -> None:
    # 第二部分 restarts numbering and cites "本合同第十条", which is the main contract's 争议解决.
    assert not [c for c in _codes("huzhou-contract-zh.txt") if c[0] in ("dangling-reference", "duplicate-number")]


def test_real_clean_contracts_have_no_errors() -> None:
    for name in ("commonpaper-mutual-nda.md", "en-cloud-services-clean.md"):
        assert [f for f in check_file(CASES / name) if f.severity == "error"] == [], name


def test_deleted_section_is_a_gap_and_dangling_references() -> None:
    assert _codes("en-cloud-services-deleted-section.md") == [
        ("dangling-reference", 9), ("numbering-gap", 35), ("dangling-reference", 35)]


def test_renamed_title_is_a_title_mismatch() -> None:
    assert _codes("en-cloud-services-renamed-title.md") == [("reference-title-mismatch", 11)]


def test_moved_clause_is_out_of_order() -> None:
    assert _codes("en-cloud-services-moved-clause.md") == [("numbering-order", 27)]
