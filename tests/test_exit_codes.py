"""Exit codes that mean one thing: 0 clean, 1 findings, 2 bad input or usage, 3 a bug in
contractgen — one line asking for a report, the traceback only with --debug; one file that
trips a bug does not hide the findings of the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import contractgen.readers as readers
from contractgen.cli import main

from conftest import SAMPLE

CLEAN = "# 合同\n\n## 第一条 服务\n\n乙方提供服务。\n"
GAP = "# 合同\n\n## 第一条 服务\n\n乙方提供服务。\n\n## 第三条 费用\n\n甲方付款。\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / ".git").mkdir()
    out = {}
    for name, text in (("clean.md", CLEAN), ("gap.md", GAP), ("boom.md", CLEAN)):
        out[name] = tmp_path / name
        out[name].write_text(text, encoding="utf-8")
    return out


@pytest.fixture
def buggy_reader(monkeypatch):
    """A reader that fails on one file the way a bug of ours would."""
    real = readers._read

    def read(path, suffix, lang):
        if path.name == "boom.md":
            raise ZeroDivisionError("planted bug")
        return real(path, suffix, lang)

    monkeypatch.setattr(readers, "_read", read)
    monkeypatch.delenv("CONTRACTGEN_DEBUG", raising=False)


@pytest.mark.parametrize("name, status", [("clean.md", 0), ("gap.md", 1), ("missing.md", 2)])
def test_clean_findings_and_bad_input(runner, files, name: str, status: int) -> None:
    path = files.get(name, files["clean.md"].parent / name)
    assert runner.invoke(main, ["check", str(path)]).exit_code == status


def test_a_bug_is_exit_three_with_one_line(runner, files, buggy_reader) -> None:
    result = runner.invoke(main, ["check", str(files["boom.md"])])
    assert result.exit_code == 3
    assert "internal error: ZeroDivisionError: planted bug" in result.output
    assert "please report it" in result.output and "--debug" in result.output
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(runner, files, buggy_reader, monkeypatch) -> None:
    result = runner.invoke(main, ["--debug", "check", str(files["boom.md"])])
    monkeypatch.delenv("CONTRACTGEN_DEBUG", raising=False)
    assert isinstance(result.exception, ZeroDivisionError)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_one_buggy_file_does_not_hide_the_others(runner, files, buggy_reader, fmt: str) -> None:
    result = runner.invoke(main, ["check", "--format", fmt, str(files["gap.md"]), str(files["boom.md"]),
                                  str(files["clean.md"])])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    if fmt == "json":
        payload = json.loads(result.stdout)
        by_path = {Path(e["path"]).name: e for e in payload["files"]}
        assert [f["code"] for f in by_path["gap.md"]["findings"]] == ["numbering-gap"]
        assert by_path["clean.md"]["findings"] == []
        assert by_path["boom.md"]["internal"] is True and "planted bug" in by_path["boom.md"]["error"]
    else:
        assert "gap.md:7: error numbering-gap" in result.output
        assert "boom.md: internal error: ZeroDivisionError: planted bug" in result.output


def test_a_bug_in_build_is_exit_three(runner, tmp_path: Path, monkeypatch) -> None:
    import contractgen.pipeline as pipeline

    def broken(*_args, **_kwargs):
        raise KeyError("planted")

    monkeypatch.setattr(pipeline, "render_outputs", broken)
    import contractgen.commands.build as build

    monkeypatch.setattr(build, "render_outputs", broken)
    monkeypatch.delenv("CONTRACTGEN_DEBUG", raising=False)
    result = runner.invoke(main, ["build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"),
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 3 and "internal error: KeyError" in result.output
    assert not (tmp_path / "out").exists()
