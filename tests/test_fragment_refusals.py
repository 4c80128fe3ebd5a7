"""The fragment reader refuses what it does not understand: each case is an error with its
exact message at file:line, exit status 2 and nothing written.

Each case is a folder under tests/data/fragment_refusals/: clause files copied over a root
(tests/roots/mini-zh, or the one its ``root`` file names), and expected.txt with every
error line the build prints, in order (paths relative to the copied root). Adding a case
means adding a folder; ``CONTRACTGEN_UPDATE_GOLDEN=1`` rewrites expected.txt (read the diff).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contractgen.cli import main
from contractgen.model import Origin, SourcePos
from contractgen.readers.fragment import read_fragment

from conftest import ROOTS, TESTS, UPDATE_GOLDEN

CASES = sorted(p for p in (TESTS / "data" / "fragment_refusals").iterdir() if p.is_dir())


def _project(case: Path, dest: Path) -> Path:
    root_file = case / "root"
    root = root_file.read_text(encoding="utf-8").strip() if root_file.exists() else "mini-zh"
    shutil.copytree(ROOTS / root, dest)
    shutil.copytree(case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "root"))
    return dest


def _error_lines(output: str, root: Path) -> list[str]:
    lines = output.replace(str(root) + "/", "").splitlines()
    return [line.removeprefix("Error: ") for line in lines if " error " in line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refused_with_its_message(case: Path, tmp_path: Path, runner) -> None:
    root = _project(case, tmp_path / "proj")
    template = root / "templates" / "mini"
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(template), "--data", str(template / "data.yaml"), "--out", str(out)])
    assert "Traceback" not in result.output
    actual = _error_lines(result.output, root)
    expected = case / "expected.txt"
    if UPDATE_GOLDEN:
        expected.write_text("\n".join(actual) + "\n", encoding="utf-8")
    assert result.exit_code == 2, result.output
    assert actual == expected.read_text(encoding="utf-8").splitlines()
    assert not out.exists()


@pytest.mark.parametrize("root", ["mini-zh", "mini-en"])
def test_the_roots_build_clean(root: str, tmp_path: Path, runner) -> None:
    """Every case above is one change away from a template that builds: the refusal is the change's."""
    template = shutil.copytree(ROOTS / root, tmp_path / "proj") / "templates" / "mini"
    result = runner.invoke(main, ["build", str(template), "--data", str(template / "data.yaml"),
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert " error " not in result.output


@pytest.mark.parametrize("text", [
    "违约金为合同价款的1.5倍。",                      # a quantity, not a typed number
    "1.5 times the fees are payable.",
    "2.5 per cent of the fees is retained.",
    "The Supplier shall comply with Section\n2.1 of the Standards.",  # a wrapped line, not a typed number
    "# 24小时服务\n全天响应。",
    "Our letter [Ref: 2024/7] applies.",               # a bracket of the contract's own, not a reference
    "单价<10万元的，按 3 * 4 计算。",                   # comparisons and arithmetic, not HTML or italics
    "签字：____________",                              # a blank line to sign on, not emphasis
    "见[[ref:a, b]]和[[ref:c|title]]。",
])
def test_what_the_subset_has_is_not_refused(text: str) -> None:
    read = read_fragment(text + "\n", lambda n: SourcePos("f.md", n), Origin("t/x", "1"))
    assert read.findings == []


@pytest.mark.parametrize("text, code, line", [
    ("# 服务\n\n说明如下：\n\n#### 细则\n", "unsupported-markup", 5),
    ("- 甲方应当：\n  - 1) 按时付款；\n", "typed-number", 2),
    ("| 项目 | 说明 |\n|---|---|\n| 费用 | 见[ref:fees] |\n", "bad-reference", 3),
    ("# 服务\n正文\n\n一、范围\n", "typed-number", 4),
])
def test_refusals_name_their_own_line(text: str, code: str, line: int) -> None:
    read = read_fragment(text, lambda n: SourcePos("f.md", n), Origin("t/x", "1"))
    assert [(f.code, f.line) for f in read.findings] == [(code, line)]
