"""Every rule's examples run: the bad one fires the rule, the good one does not.

The test walks :data:`contractgen.checks.RULES` itself, so a new rule is covered (and fails
here until it has examples). A rule's examples are

- its ``bad`` / ``good`` text when the rule says they are text (``example="txt"`` or
  ``"md"``), read with the text or Markdown reader from a file of that suffix;
- fixture files in ``tests/data/rules/<code>/``: ``bad.txt`` / ``bad.md`` / ``bad.docx`` read
  as they are, a ``bad/`` (``good/``, ``bad-2/`` …) folder with a ``contract-set.yaml`` read
  as a contract set, or one with a ``body.xml`` built into a DOCX by ``docx_factory`` (the
  folder layout of ``tests/data/check/docx``).

A DOCX or a contract set is no text, so those rules (``example="docx"``/``"set"``) show a
short description in docs/rules.md and keep the input itself here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.checks import RULES, run_checks
from contractgen.checks.base import Rule
from contractgen.diagnostics import Finding
from contractgen.readers import read_path
from contractgen.readers.contract_set import read_set, set_from_yaml

from conftest import TESTS
from docx_factory import build_case

EXAMPLES = TESTS / "data" / "rules"


def _fixtures(rule: Rule, kind: str) -> list[Path]:
    folder = EXAMPLES / rule.code
    return sorted(folder.glob(f"{kind}*")) if folder.is_dir() else []


def examples(rule: Rule, kind: str, tmp_path: Path) -> list[Path]:
    """The inputs of the rule's ``kind`` ("bad" or "good") examples, as files to read."""
    found = []
    text = getattr(rule, kind)
    if rule.example_is_text and text:
        path = tmp_path / f"{kind}.{rule.example}"
        path.write_text(text + "\n", encoding="utf-8")
        found.append(path)
    return found + _fixtures(rule, kind)


def findings(path: Path, tmp_path: Path) -> list[Finding]:
    if (path / "contract-set.yaml").is_file():
        return run_checks(read_set(set_from_yaml(path / "contract-set.yaml")))
    if (path / "body.xml").is_file():
        dest = tmp_path / path.name
        dest.mkdir()
        return run_checks(read_path(build_case(path, dest)))
    return run_checks(read_path(path))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_fires_and_good_example_is_clean(rule: Rule, tmp_path: Path) -> None:
    bad, good = examples(rule, "bad", tmp_path), examples(rule, "good", tmp_path)
    assert bad and good, f"{rule.code}: no runnable bad and good examples (text, or files in {EXAMPLES / rule.code})"
    for path in bad:
        codes = [f.code for f in findings(path, tmp_path)]
        assert rule.code in codes, f"{rule.code}: the bad example {path.name} does not fire it: {codes}"
    for path in good:
        found = [f.format() for f in findings(path, tmp_path) if f.code == rule.code]
        assert found == [], f"{rule.code}: the good example {path.name} fires it"


def test_described_examples_are_kept_as_files_and_every_folder_is_a_rule() -> None:
    codes = {rule.code for rule in RULES}
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.name not in codes) == []
    for rule in RULES:
        assert rule.bad and rule.good, f"{rule.code}: docs/rules.md shows no bad or good example"
        if not rule.example_is_text:
            assert _fixtures(rule, "bad") and _fixtures(rule, "good"), rule.code
