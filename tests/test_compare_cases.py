"""`compare` on data-driven cases built from our templates (tests/data/compare/<case>/):
old and new as Markdown, as our DOCX, and for some as a legacy DOCX whose numbers are Word
auto-numbering. expected.json is the reviewed summary (CONTRACTGEN_UPDATE_GOLDEN=1 rewrites
it); expected-<variant>.json where a variant reads differently (the legacy DOCX files hold
only the cover and main contract). Regenerate the inputs with make_cases.py in that folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractgen.compare.api import compare_files
from contractgen.compare.report import as_dict

from conftest import TESTS, compare_golden

CASES = TESTS / "data" / "compare"
VARIANTS = {"md": ("old.md", "new.md"), "docx": ("old.docx", "new.docx"), "auto": ("old-auto.docx", "new-auto.docx")}


def _runs():
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for variant, (old, new) in VARIANTS.items():
            if (case / old).exists():
                yield pytest.param(case, variant, id=f"{case.name}-{variant}")


def summary(case: Path, variant: str) -> dict:
    old, new = VARIANTS[variant]
    result = as_dict(compare_files(case / old, case / new))
    result.pop("old"), result.pop("new")
    return result


def golden_for(case: Path, variant: str) -> Path:
    own = case / f"expected-{variant}.json"
    return own if own.exists() or variant == "auto" else case / "expected.json"


@pytest.mark.parametrize("case,variant", list(_runs()))
def test_case_is_classified_as_expected(case: Path, variant: str) -> None:
    actual = json.dumps(summary(case, variant), ensure_ascii=False, indent=2) + "\n"
    golden = golden_for(case, variant)
    if variant != "md" and golden.name == "expected.json":
        # the same contract as a DOCX must read as it does in Markdown: never rewritten from here
        assert actual == golden.read_text(encoding="utf-8")
    else:
        compare_golden(actual, golden)


@pytest.mark.parametrize("case,variant", list(_runs()))
def test_renumbering_is_never_an_edit(case: Path, variant: str) -> None:
    result = summary(case, variant)
    for unit in result["units"]:
        if unit["kind"] == "renumbered":
            assert unit["changes"] == [] and unit["old_number"] != unit["new_number"]
    if case.name.endswith(("-renumber", "-move", "-delete", "-insert")):
        assert result["totals"]["edited"] == 0, result["units"]
        assert result["retargeted"] == []


@pytest.mark.parametrize("case,variant", list(_runs()))
def test_identical_only_when_nothing_changed(case: Path, variant: str) -> None:
    assert summary(case, variant)["identical"] is case.name.endswith("-identical")
