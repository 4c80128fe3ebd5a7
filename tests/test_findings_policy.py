"""One decision for every command: `check`, `preview`, `build` and `batch` give the same
findings to the same contract under the same configuration — a `contractgen.toml` that
switches a rule family off, and a suppression comment in a clause fragment."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from contractgen.cli import main
from contractgen.commands.preview import PreviewSource, preview_document

from conftest import copy_root

# Three defects in one fragment: the comment switches the blank off, contractgen.toml
# switches the dates family off, and the mismatched number in words is left to report.
DISPUTE = """---
id: mini/dispute
title: 争议解决
version: 1.0.0
---
# 争议解决 {#dispute}

## 协商 {#negotiation}
双方协商解决。

## 仲裁
<!-- contractgen: ignore[unfilled-placeholder] -->
协商不成的，提交XXX仲裁委员会仲裁，见[[ref:negotiation]]和[[ref:fee-item]]。

乙方应在三十（60）日内答复。

本合同于2025年2月29日签订。
"""
CLEAN_LINE = "乙方应在三十（30）日内答复。"
NUMBER_WORDS = "number-words-mismatch"
FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): (?P<severity>error|warning) (?P<code>[a-z-]+): (?P<message>.*)$")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_root("mini-zh", tmp_path / "project")
    (root / ".git").mkdir()  # the repository root: config lookup stops here
    (root / "contractgen.toml").write_text('[check]\nignore = ["dates"]\n', encoding="utf-8")
    (root / "clauses" / "mini" / "dispute.md").write_text(DISPUTE, encoding="utf-8")
    data = yaml.safe_load((root / "templates" / "mini" / "data.yaml").read_text(encoding="utf-8"))
    flat = _flatten(data)
    with (root / "rows.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(flat))
        writer.writeheader()
        writer.writerow(flat)
    return root


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


def _messages_from_lines(output: str) -> set[tuple[str, str]]:
    return {(m["code"], m["message"]) for m in map(FINDING.match, output.splitlines()) if m}


def run_build(runner, root: Path) -> tuple[int, set]:
    result = runner.invoke(main, ["build", str(root / "templates" / "mini"), "--data",
                                  str(root / "templates" / "mini" / "data.yaml"), "--out", str(root / "out"),
                                  "--format", "md,docx,html"])
    return result.exit_code, _messages_from_lines(result.output)


def run_check(runner, root: Path) -> tuple[int, set]:
    result = runner.invoke(main, ["check", str(root / "templates" / "mini"), "--data",
                                  str(root / "templates" / "mini" / "data.yaml"), "--format", "json"])
    files = json.loads(result.output)["files"]
    return result.exit_code, {(f["code"], f["message"]) for entry in files for f in entry["findings"]}


def run_preview(_runner, root: Path) -> tuple[int, set]:
    _doc, findings = preview_document(PreviewSource(root / "templates" / "mini", root / "templates" / "mini" / "data.yaml"))
    return (1 if any(f.severity == "error" for f in findings) else 0), {(f.code, f.message) for f in findings}


PLACED = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): (?P<message>.*)$")


def run_batch(runner, root: Path) -> tuple[int, set]:
    """A batch row records the failing findings' places and messages (not their codes) in
    the manifest: each in the clause file it is in."""
    result = runner.invoke(main, ["batch", str(root / "templates" / "mini"), "--data", str(root / "rows.csv"),
                                  "--out", str(root / "batch"), "--quiet", "--jobs", "1", "--manifest", "jsonl"])
    entries = [json.loads(line) for line in (root / "batch" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    placed = [PLACED.match(m) for e in entries for m in e["message"].split("; ") if m]
    assert all(p is not None and Path(p["path"]).is_relative_to(root / "clauses") for p in placed), placed
    return result.exit_code, {("?", p["message"]) for p in placed}


COMMANDS = {"build": run_build, "check": run_check, "preview": run_preview, "batch": run_batch}


def _compare(found: set, expected: set, command: str) -> None:
    if command == "batch":  # messages only
        assert {m for _, m in found} == {m for _, m in expected}
    else:
        assert found == expected


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_reports_the_same_findings(runner, project: Path, command: str) -> None:
    status, found = COMMANDS[command](runner, project)
    codes = {code for code, _ in found}
    # the toml's family and the commented line are off everywhere; the rest is reported
    assert "invalid-date" not in codes and "unfilled-placeholder" not in codes
    reference = run_check(runner, project)[1]
    assert {code for code, _ in reference} == {NUMBER_WORDS}
    _compare(found, reference, command)
    assert status == 1


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_passes_what_the_configuration_allows(runner, project: Path, command: str) -> None:
    dispute = project / "clauses" / "mini" / "dispute.md"
    dispute.write_text(DISPUTE.replace("乙方应在三十（60）日内答复。", CLEAN_LINE), encoding="utf-8")
    status, found = COMMANDS[command](runner, project)
    assert (status, found) == (0, set())


def test_without_the_config_and_comment_the_build_reports_all_three(runner, project: Path) -> None:
    (project / "contractgen.toml").unlink()
    dispute = project / "clauses" / "mini" / "dispute.md"
    dispute.write_text(DISPUTE.replace("<!-- contractgen: ignore[unfilled-placeholder] -->\n", ""), encoding="utf-8")
    status, found = run_build(runner, project)
    assert status == 1
    assert {code for code, _ in found} == {NUMBER_WORDS, "invalid-date", "unfilled-placeholder"}


def test_build_says_which_rules_the_config_switches_off(runner, project: Path) -> None:
    result = runner.invoke(main, ["build", str(project / "templates" / "mini"), "--data",
                                  str(project / "templates" / "mini" / "data.yaml"), "--out", str(project / "out")])
    assert f"note: {project / 'contractgen.toml'} switches off 3 check rule(s): invalid-date, weekday-mismatch, date-order" \
        in result.output


def test_build_says_how_many_findings_the_comments_switched_off(runner, project: Path) -> None:
    result = runner.invoke(main, ["build", str(project / "templates" / "mini"), "--data",
                                  str(project / "templates" / "mini" / "data.yaml"), "--out", str(project / "out")])
    assert "note: 1 finding(s) switched off by <!-- contractgen: ignore[…] --> comments in the clauses" in result.output


def test_a_suppression_comment_never_reaches_the_output(runner, project: Path) -> None:
    dispute = project / "clauses" / "mini" / "dispute.md"
    dispute.write_text(DISPUTE.replace("乙方应在三十（60）日内答复。", CLEAN_LINE), encoding="utf-8")
    status, _ = run_build(runner, project)
    assert status == 0
    outputs = sorted((project / "out").iterdir())
    assert [p.suffix for p in outputs] == [".docx", ".html", ".md"]
    for path in outputs:
        text = zipfile.ZipFile(path).read("word/document.xml").decode() if path.suffix == ".docx" \
            else path.read_text(encoding="utf-8")
        assert "提交XXX仲裁委员会仲裁" in text  # the governed line is there …
        assert "contractgen:" not in text and "ignore[" not in text, path.name  # … its comment is not


def test_an_unknown_name_in_a_fragment_comment_is_reported_at_its_line(runner, project: Path) -> None:
    dispute = project / "clauses" / "mini" / "dispute.md"
    dispute.write_text(DISPUTE.replace("ignore[unfilled-placeholder]", "ignore[unfilled-placeholders]"), encoding="utf-8")
    status, _ = run_build(runner, project)
    result = runner.invoke(main, ["build", str(project / "templates" / "mini"), "--data",
                                  str(project / "templates" / "mini" / "data.yaml"), "--out", str(project / "out")])
    assert status == 2 and result.exit_code == 2
    assert f"{dispute}:12: unknown rule or family 'unfilled-placeholders'" in result.output
    assert not (project / "out").exists()


# --- a contract file: `check FILE` and `preview FILE` decide alike -------------------------

LEGACY = """# 服务合同

## 第一条 服务

<!-- contractgen: ignore[unfilled-placeholder] -->
签订日期：____年

本合同于2025年2月29日签订。

## 第三条 费用

甲方按月付款。
"""


def test_check_and_preview_of_a_file_agree(runner, project: Path) -> None:
    contract = project / "legacy.md"
    contract.write_text(LEGACY, encoding="utf-8")
    result = runner.invoke(main, ["check", str(contract), "--format", "json"])
    checked = {(f["code"], f["line"]) for e in json.loads(result.output)["files"] for f in e["findings"]}
    _doc, findings = preview_document(PreviewSource(contract))
    assert {(f.code, f.line) for f in findings} == checked == {("numbering-gap", 10)}
