"""Every bad input is a clear message with file and line, exit status 2, and no output.

Each case is a folder under tests/roots/errors/: files copied over the mini-zh root,
expected.txt with the lines the error output must contain (paths relative to the copied
root), and optionally exit-code (default 2: bad input; 1: the built contract fails the
checks). Adding a case means adding a folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.cli import main

from conftest import ROOTS, copy_root

CASES = sorted(p for p in (ROOTS / "errors").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_with_place(case: Path, tmp_path: Path, runner) -> None:
    root = copy_root("mini-zh", tmp_path / "proj", overlay=case)
    out = tmp_path / "out"
    template = root / "templates" / "mini"
    result = runner.invoke(main, ["build", str(template), "--data", str(template / "data.yaml"), "--out", str(out)])
    code_file = case / "exit-code"
    assert result.exit_code == (int(code_file.read_text()) if code_file.exists() else 2), result.output
    assert "Traceback" not in result.output
    output = result.output.replace(str(root) + "/", "")
    for expected in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert expected in output
    assert not out.exists() or not any(out.iterdir())


def test_existing_output_is_not_overwritten_without_force(tmp_path: Path, runner) -> None:
    root = copy_root("mini-zh", tmp_path / "proj")
    template = root / "templates" / "mini"
    args = ["build", str(template), "--data", str(template / "data.yaml"), "--out", str(tmp_path / "out")]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    target = tmp_path / "out" / "T-001-甲公司.md"
    target.write_text("edited by hand", encoding="utf-8")
    second = runner.invoke(main, args)
    assert second.exit_code == 2
    assert "already exists (use --force to overwrite)" in second.output
    assert target.read_text(encoding="utf-8") == "edited by hand"
    third = runner.invoke(main, args + ["--force"])
    assert third.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# 测试服务合同")


def _build_mini(tmp_path: Path, runner, *extra: str):
    """`contractgen build` of a fresh copy of the mini project into tmp_path/out."""
    template = copy_root("mini-zh", tmp_path / "proj") / "templates" / "mini"
    return runner.invoke(main, ["build", str(template), "--data", str(template / "data.yaml"),
                                "--out", str(tmp_path / "out"), *extra])


def test_error_in_second_format_writes_nothing(tmp_path: Path, runner) -> None:
    result = _build_mini(tmp_path, runner, "--format", "md,odt")  # pdf is a format since issue 18
    assert result.exit_code == 2
    assert "odt" in result.output
    assert not (tmp_path / "out").exists()


def test_toc_pages_without_docx_is_a_usage_error(tmp_path: Path, runner) -> None:
    result = _build_mini(tmp_path, runner, "--toc-pages")
    assert result.exit_code == 2
    assert "applies to DOCX output: add docx to --format" in result.output


def test_a_format_named_twice_is_written_once(tmp_path: Path, runner) -> None:
    result = _build_mini(tmp_path, runner, "--format", "md,md")
    assert result.exit_code == 0
    assert result.output.count("T-001-甲公司.md") == 1


@pytest.mark.parametrize("command", ["build", "batch", "preview"])
def test_output_folder_that_cannot_exist_is_a_clear_error(command: str, tmp_path: Path, runner) -> None:
    from conftest import SAMPLE

    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    args = {
        "build": ["build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"), "--out", str(blocker / "sub")],
        "batch": ["batch", str(SAMPLE), "--data", str(SAMPLE / "parties.csv"), "--out", str(blocker / "sub"),
                  "--quiet", "--jobs", "1"],
        "preview": ["preview", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"),
                    "--out", str(blocker / "sub" / "p.html")],
    }[command]
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "cannot write here (Not a directory)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
