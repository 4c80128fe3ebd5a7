"""`contractgen check` end to end: output formats, exit codes, readers and their errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from contractgen.cli import main
from contractgen.readers import read_path
from contractgen.readers.markdown import markdown_lines

from conftest import TESTS

CASES = TESTS / "data" / "check" / "cases"
SEED = CASES / "huzhou-contract-zh.txt"
NDA = CASES / "commonpaper-mutual-nda.md"


def test_clean_file_exits_zero(runner) -> None:
    result = runner.invoke(main, ["check", str(NDA)])
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s)" in result.output


def test_findings_exit_one_with_file_line_severity_code(runner) -> None:
    result = runner.invoke(main, ["check", str(SEED)])
    assert result.exit_code == 1
    assert f"{SEED}:104: error numbering-gap: numbering jumps from 第三条 to 第八条" in result.output
    assert result.output.rstrip().endswith("1 file(s) checked: 20 error(s), 88 warning(s)")  # 86: half-width punctuation


def test_json_output_shape(runner) -> None:
    result = runner.invoke(main, ["check", "--format", "json", str(SEED), str(NDA)])
    data = json.loads(result.output)
    assert [f["path"] for f in data["files"]] == [str(SEED), str(NDA)]
    assert (data["errors"], data["warnings"]) == (20, 88)  # 86: half-width punctuation
    first = data["files"][0]["findings"][0]
    assert set(first) == {"code", "severity", "message", "line", "excerpt"}
    assert data["files"][1]["findings"] == []


def test_warnings_fail_only_with_strict(runner, tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("甲方：某公司\n乙方：某科技\n第一条 服务\n客户应按时付款。\n", encoding="utf-8")
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0
    assert runner.invoke(main, ["check", "--strict", str(path)]).exit_code == 1


def test_unreadable_inputs_exit_two_without_traceback(runner, tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02garbage")
    for args, needle in ((["check", str(tmp_path / "missing.txt")], "no such file"),
                         (["check", str(tmp_path / "x.pdf")], "unsupported file type"),
                         (["check", str(binary)], "not a text file"),
                         (["check", "--format", "xml", str(NDA)], "Invalid value")):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, args
        assert needle in result.output
        assert "Traceback" not in result.output


def test_one_unreadable_file_does_not_hide_the_others(runner, tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02garbage")
    result = runner.invoke(main, ["check", str(SEED), str(binary)])
    assert result.exit_code == 2
    assert f"{SEED}:104: error numbering-gap" in result.output
    assert f"Error: {binary}: not a text file" in result.output
    data = json.loads(runner.invoke(main, ["check", "--format", "json", str(binary), str(NDA)]).stdout)
    assert [(f["path"], f.get("error", "")[:len(str(binary))]) for f in data["files"]] == [
        (str(NDA), ""), (str(binary), str(binary))]


def test_text_encodings(tmp_path: Path) -> None:
    text = "第一条 服务\n第三条 费用\n"
    for name, data in (("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")), ("gbk.txt", text.encode("gb18030"))):
        path = tmp_path / name
        path.write_bytes(data)
        doc = read_path(path)
        assert [c.number_text for _, c in doc.clauses()] == ["第一条", "第三条"]


def test_markdown_reader_strips_markup_and_keeps_lines() -> None:
    source = "# T\n\n1. **Intro**. See [Section 2](#s2) {#intro}\n   next line\n\n| a | 第三条 |\n|---|---|\n| 1. x | y |\n"
    lines = [(ln.text, ln.line, ln.heading_level, ln.in_table) for ln in markdown_lines(source)]
    assert lines[0] == ("T", 1, 1, False)
    assert lines[1] == ("1. Intro. See Section 2", 3, None, False)
    assert lines[2] == ("next line", 4, None, False)
    assert ("第三条", 6, None, True) in lines and ("1. x", 8, None, True) in lines


def test_installed_command_runs() -> None:
    exe = Path(sys.executable).parent / "contractgen"
    result = subprocess.run([str(exe), "check", "--format", "json", str(NDA)], capture_output=True, text=True)
    assert result.returncode == 0 and json.loads(result.stdout)["errors"] == 0
