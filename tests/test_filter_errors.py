"""A filter given a value it cannot write is one plain error line: the clause file and line,
the filter, the field that fed it, what is wrong and what to do — exit 2, nothing written,
no traceback.

Each case is a file under tests/data/money/filter-errors/: the template's ``lang``, the
``line`` that replaces the fee line (line 11) of the mini project's clause, optional
``data`` merged into its data, and the ``expected`` error line (paths relative to the
project). Adding a case means adding a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractgen.cli import main

from conftest import copy_root

CASES = sorted((Path(__file__).parent / "data" / "money" / "filter-errors").glob("*.yaml"))
FEE_LINE = "- 服务费用为每月{{ fee | amount }}。"


def _project(case: dict, root: Path) -> Path:
    """The mini project with the case's lang, clause line and data."""
    template = root / "templates" / "mini"
    spec = template / "contract.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("lang: zh", f"lang: {case['lang']}"), encoding="utf-8")
    services = root / "clauses" / "mini" / "services.md"
    text = services.read_text(encoding="utf-8")
    assert text.splitlines()[10] == FEE_LINE  # line 11, the line the cases replace
    services.write_text(text.replace(FEE_LINE, case["line"]), encoding="utf-8")
    data = yaml.safe_load((template / "data.yaml").read_text(encoding="utf-8")) | case.get("data", {})
    (template / "data.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return template


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_refused_filter_value_is_one_clear_error(path: Path, tmp_path: Path, runner) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    root = tmp_path / "proj"
    template = _project(case, copy_root("mini-zh", root))
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(template), "--data", str(template / "data.yaml"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line.removeprefix("Error: ") for line in result.output.replace(str(root) + "/", "").splitlines()
              if " error " in line]
    assert errors == [case["expected"]]
    assert not out.exists() or not any(out.iterdir())


def test_the_cases_cover_every_filter() -> None:
    lines = " ".join(yaml.safe_load(p.read_text(encoding="utf-8"))["line"] for p in CASES)
    assert all(f"| {name}" in lines for name in ("amount", "date", "count", "words"))
