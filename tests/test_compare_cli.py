"""`contractgen compare` on the command line: exit 0 identical, 1 different, 2 bad input;
text and JSON to stdout or --out; html and docx need --out; --template/--data compares what
the template builds with a returned file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contractgen.cli import main

from conftest import ROOT, SAMPLE, TESTS

CASES = TESTS / "data" / "compare"


def run(runner, *args):
    return runner.invoke(main, ["compare", *map(str, args)])


def test_identical_exits_0(runner) -> None:
    result = run(runner, CASES / "zh-identical" / "old.md", CASES / "zh-identical" / "new.docx")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("identical: no unit changed")


def test_different_exits_1_with_one_line_per_unit(runner) -> None:
    result = run(runner, CASES / "zh-edit" / "old.md", CASES / "zh-edit" / "new.md")
    assert result.exit_code == 1
    assert "8.1.2: edited; 三十日 → 十五日" in result.output


def test_json_summary(runner) -> None:
    result = run(runner, CASES / "en-move" / "old.docx", CASES / "en-move" / "new.docx", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["totals"]["moved"] == 1 and data["identical"] is False
    assert [u["kind"] for u in data["units"]] == ["renumbered", "renumbered", "moved"]


@pytest.mark.parametrize("args,message", [
    ((CASES / "zh-edit" / "old.md",), "compare needs two files"),
    ((CASES / "zh-edit" / "old.md", CASES / "nope.md"), "no such file"),
    ((CASES / "zh-edit" / "old.md", CASES / "make_cases.py"), "unsupported file type"),
    ((CASES / "zh-edit" / "old.md", CASES / "zh-edit" / "new.md", "--format", "docx"), "--format docx needs --out"),
    ((CASES / "zh-edit" / "old.md", CASES / "zh-edit" / "new.md", "--date", "today"), "ISO 8601"),
    ((CASES / "zh-edit" / "new.md", "--data", SAMPLE / "sample-data.yaml"), "--template and --data go together"),
])
def test_bad_input_exits_2(runner, args, message: str) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_out_is_not_overwritten_without_force(runner, tmp_path: Path) -> None:
    out = tmp_path / "redline.html"
    args = (CASES / "zh-move" / "old.md", CASES / "zh-move" / "new.md", "--format", "html", "--out", out)
    assert run(runner, *args).exit_code == 1
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    again = run(runner, *args)
    assert again.exit_code == 2 and "already exists" in again.output
    assert run(runner, *args, "--force").exit_code == 1


def test_template_against_the_returned_file(runner, tmp_path: Path) -> None:
    returned = CASES / "zh-move" / "new.docx"
    result = run(runner, "--template", SAMPLE, "--data", SAMPLE / "sample-data.yaml", returned)
    assert result.exit_code == 1, result.output
    assert "第八条 (was 第五条) 保密条款: moved with 14 sub-unit(s)" in result.output
    same = run(runner, "--template", SAMPLE, "--data", SAMPLE / "sample-data.yaml", CASES / "zh-identical" / "new.docx")
    assert same.exit_code == 0, same.output


def test_installed_command(tmp_path: Path) -> None:
    exe = shutil.which("contractgen") or str(Path(sys.executable).with_name("contractgen"))
    out = tmp_path / "redline.docx"
    done = subprocess.run([exe, "compare", str(CASES / "en-amount" / "old.md"), str(CASES / "en-amount" / "new.md"),
                           "--format", "docx", "--out", str(out), "--author", "Counsel"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert out.read_bytes()[:2] == b"PK"
