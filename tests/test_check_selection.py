"""Rule selection the way linters do it: --select / --ignore with codes and families,
[tool.contractgen.check] in pyproject.toml / contractgen.toml, Markdown ignore comments,
--list-rules, and docs/rules.md kept in sync with the rule list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractgen.checks import RULES, run_checks
from contractgen.checks.docs import render_rules_md
from contractgen.checks.selection import Selection, find_config, selected_rules, split_names
from contractgen.cli import main
from contractgen.readers.lines import build_document
from contractgen.readers.markdown import suppressions
from contractgen.readers.text import text_lines

from conftest import ROOT, TESTS, compare_golden

SEED = TESTS / "data" / "check" / "cases" / "huzhou-contract-zh.txt"
# Two defects of different families: a skipped article number and a blank.
CONTRACT = "# 服务合同\n\n## 第一条 服务\n\n签订日期：____年\n\n## 第三条 费用\n\n甲方按月付款。\n"
GAP_LINE, BLANK_LINE = 7, 5


def _json(runner, *args) -> tuple[int, list[tuple[str, int]]]:
    result = runner.invoke(main, ["check", "--format", "json", *map(str, args)])
    if result.exit_code == 2:
        return 2, [("", 0)]
    data = json.loads(result.output)
    return result.exit_code, [(f["code"], f["line"]) for entry in data["files"] for f in entry["findings"]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder that is a repository root, so config lookup stops there."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "c.md").write_text(CONTRACT, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args, expected", [
    ([], [("unfilled-placeholder", BLANK_LINE), ("numbering-gap", GAP_LINE)]),
    (["--select", "numbering-gap"], [("numbering-gap", GAP_LINE)]),
    (["--select", "numbering"], [("numbering-gap", GAP_LINE)]),                     # a family
    (["--ignore", "placeholders"], [("numbering-gap", GAP_LINE)]),
    (["--ignore", "numbering,placeholders"], []),                                   # comma-separated
    (["--ignore", "numbering", "--ignore", "unfilled-placeholder"], []),            # repeated
    (["--select", "numbering,placeholders", "--ignore", "numbering-gap"], [("unfilled-placeholder", BLANK_LINE)]),
])
def test_select_and_ignore(runner, project: Path, args: list[str], expected) -> None:
    status, found = _json(runner, *args, project / "c.md")
    assert found == expected
    assert status == (1 if expected else 0)


@pytest.mark.parametrize("option, name, hint", [
    ("--select", "numbering-gapp", "did you mean 'numbering-gap'?"),
    ("--ignore", "placeholder", "did you mean 'placeholders'?"),
    ("--ignore", "zzz", "unknown rule or family 'zzz'"),
])
def test_unknown_rule_exits_two_with_a_hint(runner, project: Path, option: str, name: str, hint: str) -> None:
    result = runner.invoke(main, ["check", option, name, str(project / "c.md")])
    assert result.exit_code == 2
    assert hint in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("config_name, text", [
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.contractgen.check]\nignore = ["placeholders"]\n'),
    ("contractgen.toml", '[tool.contractgen.check]\nignore = ["unfilled-placeholder"]\n'),
    ("contractgen.toml", '[check]\nselect = ["numbering"]\n'),
])
def test_config_file_next_to_the_contract(runner, project: Path, config_name: str, text: str) -> None:
    (project / config_name).write_text(text, encoding="utf-8")
    assert _json(runner, project / "c.md")[1] == [("numbering-gap", GAP_LINE)]


def test_config_in_a_parent_folder_and_cli_overrides(runner, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.contractgen.check]\nignore = ["numbering"]\n', encoding="utf-8")
    sub = project / "contracts" / "2025"
    sub.mkdir(parents=True)
    (sub / "c.md").write_text(CONTRACT, encoding="utf-8")
    assert _json(runner, sub / "c.md")[1] == [("unfilled-placeholder", BLANK_LINE)]
    assert _json(runner, "--ignore", "placeholders", sub / "c.md")[1] == [("numbering-gap", GAP_LINE)]


def test_config_lookup_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "contractgen.toml").write_text('[check]\nignore = ["numbering"]\n', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo) is None
    assert find_config(tmp_path / "other") == tmp_path / "contractgen.toml"


def test_pyproject_without_our_table_is_skipped(project: Path) -> None:
    (project / "contractgen.toml").write_text('[check]\nignore = ["toc"]\n', encoding="utf-8")
    sub = project / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(sub) == project / "contractgen.toml"


@pytest.mark.parametrize("text, needle", [
    ("[tool.contractgen.check\n", "not valid TOML"),
    ('[tool.contractgen.check]\nignore = ["numbering-gapp"]\n', "did you mean 'numbering-gap'?"),
    ('[tool.contractgen.check]\nignores = ["toc"]\n', "unknown key 'ignores'"),
    ("[tool.contractgen.check]\nselect = 3\n", "'select' must be a list"),
])
def test_bad_config_exits_two_naming_the_file(runner, project: Path, text: str, needle: str) -> None:
    (project / "contractgen.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", str(project / "c.md")])
    assert result.exit_code == 2
    assert str(project / "contractgen.toml") in result.output and needle in result.output


def test_selection_keeps_rule_order() -> None:
    chosen = selected_rules(Selection(("placeholders", "numbering-gap"), ()), RULES)
    assert [r.code for r in chosen] == ["numbering-gap", "unfilled-placeholder"]
    assert split_names(["a, b", "c", ""]) == ("a", "b", "c")


# --- inline suppression in Markdown -----------------------------------------------------------

def _with_comment(comment: str, blank_line: bool = False) -> str:
    lines = CONTRACT.splitlines()
    at = BLANK_LINE - 1
    return "\n".join([*lines[:at], comment, *([""] if blank_line else []), *lines[at:]]) + "\n"


@pytest.mark.parametrize("comment, suppressed", [
    ("<!-- contractgen: ignore[unfilled-placeholder] -->", True),
    ("<!-- contractgen: ignore[placeholders] -->", True),                       # a family
    ("<!--contractgen:ignore[toc, unfilled-placeholder]-->", True),
    ("<!-- contractgen: ignore[numbering-gap] -->", False),                    # another rule
    ("<!-- a comment -->", False),
])
def test_markdown_ignore_comment(runner, project: Path, comment: str, suppressed: bool) -> None:
    (project / "c.md").write_text(_with_comment(comment), encoding="utf-8")
    found = _json(runner, project / "c.md")[1]
    assert [code for code, _ in found if code == "unfilled-placeholder"] == ([] if suppressed else ["unfilled-placeholder"])
    assert ("numbering-gap", GAP_LINE + 1) in found


def test_ignore_comment_covers_only_the_next_line(project: Path) -> None:
    source = _with_comment("<!-- contractgen: ignore[unfilled-placeholder] -->", blank_line=True)
    assert suppressions(source) == {BLANK_LINE + 1: {"unfilled-placeholder"}}
    (project / "c.md").write_text(source, encoding="utf-8")
    from contractgen.checking import check_file

    assert [f.code for f in check_file(project / "c.md")].count("unfilled-placeholder") == 1


def test_unknown_code_in_an_ignore_comment_exits_two(runner, project: Path) -> None:
    (project / "c.md").write_text(_with_comment("<!-- contractgen: ignore[unfilled-placeholders] -->"), encoding="utf-8")
    result = runner.invoke(main, ["check", str(project / "c.md")])
    assert result.exit_code == 2
    assert f"{project / 'c.md'}:{BLANK_LINE}: unknown rule or family 'unfilled-placeholders'" in result.output
    assert "did you mean 'unfilled-placeholder'?" in result.output


def test_ignore_comment_in_a_set_member(runner, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.md").write_text("# 服务合同\n\n## 第一条 服务\n\n乙方提供服务。\n", encoding="utf-8")
    (tmp_path / "addendum.md").write_text(
        "# 补充协议\n\n## 第一条 变更\n\n<!-- contractgen: ignore[dangling-reference] -->\n主合同第九条不再适用。\n\n"
        "主合同第八条不再适用。\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--set", str(tmp_path / "main.md"), str(tmp_path / "addendum.md")])
    assert f"{tmp_path / 'addendum.md'}:8: error dangling-reference" in result.output
    assert f"{tmp_path / 'addendum.md'}:6:" not in result.output


# --- --list-rules and docs/rules.md -----------------------------------------------------------

def test_list_rules_without_paths(runner) -> None:
    result = runner.invoke(main, ["check", "--list-rules"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES):
        assert line.split()[:3] == [rule.code, rule.severity, rule.family] and line.endswith(rule.help)


def test_list_rules_as_json_and_markdown(runner) -> None:
    data = json.loads(runner.invoke(main, ["check", "--list-rules", "--format", "json"]).output)
    assert [(r["code"], r["severity"], r["family"]) for r in data] == [(r.code, r.severity, r.family) for r in RULES]
    md = runner.invoke(main, ["check", "--list-rules", "--format", "md"]).output
    assert md == render_rules_md()


def test_docs_rules_md_is_in_sync() -> None:
    """docs/rules.md is generated: `python -m contractgen.checks.docs docs/rules.md` or `make golden`."""
    compare_golden(render_rules_md(), ROOT / "docs" / "rules.md")


def test_every_rule_is_documented_with_examples() -> None:
    page = render_rules_md()
    for rule in RULES:
        assert f"### `{rule.code}`" in page and f"[`{rule.code}`](#{rule.code})" in page
    first_wave = [r for r in RULES if r.family in ("numbering", "toc", "references", "attachments", "placeholders",
                                                   "amounts", "parties")]
    assert all(r.bad and r.good for r in first_wave)


# Every rule's bad and good examples run in tests/test_rule_examples.py.


# --- exit codes -------------------------------------------------------------------------------

def test_usage_errors_exit_two(runner, project: Path) -> None:
    for args, needle in ((["check"], "no files to check"),
                         (["check", "--format", "md", str(project / "c.md")], "only for --list-rules")):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and needle in result.output


def test_build_runs_every_rule_regardless_of_config(project: Path) -> None:
    (project / "contractgen.toml").write_text('[check]\nselect = ["toc"]\n', encoding="utf-8")
    doc = build_document(text_lines(CONTRACT.replace("#", "")), str(project / "c.txt"))
    assert {f.code for f in run_checks(doc)} == {"numbering-gap", "unfilled-placeholder"}
