"""`contractgen clauses` lists every fragment with the templates that use it."""

from __future__ import annotations

from contractgen.cli import main
from contractgen.commands.clauses import library_usage

from conftest import ROOT, ROOTS


def test_usage_table_of_mini_root() -> None:
    rows = {cid: (title, version, users) for cid, title, version, users in library_usage(ROOTS / "mini-zh")}
    assert rows["mini/dispute"] == ("争议解决", "1.0.0", ["mini"])
    assert set(rows) == {"mini/cover", "mini/definitions", "mini/services", "mini/dispute",
                         "mini/attachments", "mini/addendum", "mini/att-spec"}


def test_cli_lists_the_bundled_library(runner) -> None:
    result = runner.invoke(main, ["clauses", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "huzhou/dispute-resolution" in result.output
    assert "huzhou-cs-outsourcing" in result.output


def test_unused_fragment_is_marked(tmp_path, runner) -> None:
    import shutil

    shutil.copytree(ROOTS / "mini-zh", tmp_path, dirs_exist_ok=True)
    (tmp_path / "clauses" / "mini" / "spare.md").write_text("---\nid: mini/spare\ntitle: 备用\nversion: 2.0.0\n---\n正文\n",
                                                           encoding="utf-8")
    rows = {cid: users for cid, _t, _v, users in library_usage(tmp_path)}
    assert rows["mini/spare"] == []


def test_missing_library_is_a_usage_error(tmp_path, runner) -> None:
    result = runner.invoke(main, ["clauses", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "no clauses/ folder" in result.output
