"""Every diagnostic code in the source is known: a check rule's, or a registered build-time
code (contractgen.codes) with help and an example, documented in docs/rules.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from contractgen.checks import RULES
from contractgen.checks.docs import render_rules_md
from contractgen.codes import BUILD_CODES, build_codes

from conftest import ROOT

SRC = ROOT / "src" / "contractgen"
# where a finding's code is not a literal: the rule being run (CheckContext.finding)
COMPUTED_CODE_ALLOWED = {"checks/base.py"}


def _code_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "code"), None)


def finding_codes(root: Path = SRC) -> list[tuple[str, int, ast.expr | None]]:
    """(file, line, code expression) of every ``Finding(...)`` call under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name == "Finding":
                    found.append((path.relative_to(root).as_posix(), node.lineno, _code_argument(node)))
    return found


def test_every_finding_in_the_source_uses_a_known_code() -> None:
    known = {r.code for r in RULES} | set(build_codes())
    unknown, computed = [], []
    for where, line, code in finding_codes():
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            if code.value not in known:
                unknown.append(f"{where}:{line}: '{code.value}'")
        elif where not in COMPUTED_CODE_ALLOWED:
            computed.append(f"{where}:{line}: {ast.unparse(code) if code else 'no code'}")
    assert unknown == [], "register these codes in src/contractgen/codes.py (or make them rules)"
    assert computed == [], "write a finding's code as a literal, so this test can check it"


def test_the_scan_sees_the_build_codes_it_checks() -> None:
    literal = {c.value for _, _, c in finding_codes() if isinstance(c, ast.Constant)}
    assert {"bad-structure", "template-syntax", "unknown-label", "bad-data"} <= literal
    assert sorted(set(build_codes()) - literal) == [], "a registered build code no Finding uses"


def test_the_scan_catches_an_unregistered_code(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text('Finding("no-such-code", ERROR, "m")\nx.Finding(code=kind)\n', encoding="utf-8")
    assert [(line, ast.unparse(code)) for _, line, code in finding_codes(tmp_path)] == [
        (1, "'no-such-code'"), (2, "kind")]


def test_build_codes_are_unique_and_apart_from_rule_codes() -> None:
    codes = build_codes()
    assert len(codes) == len(set(codes))
    assert sorted(set(codes) & {r.code for r in RULES}) == []


@pytest.mark.parametrize("entry", BUILD_CODES, ids=lambda c: c.code)
def test_build_code_has_help_an_example_and_a_docs_row(entry) -> None:
    assert entry.severity in ("error", "warning") and entry.stage and entry.help
    assert f"{entry.severity} {entry.code}: " in entry.example
    page = render_rules_md()
    assert f"| `{entry.code}` | {entry.stage} |" in page and entry.example in page
