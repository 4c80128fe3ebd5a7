"""What ``check`` of the merged DOCX finds in a Word part's text, ``build`` and ``batch`` find:
a [●] or a ____年__月__日 blank left in a rendered part is a finding naming the part's file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from contractgen.cli import main
from contractgen.incremental import StructureCache, build_cached
from contractgen.pipeline import build, build_document, load_data, load_template, render_outputs

from wordparts_docs import DATA, template

LEFTOVERS = "甲方签字：[●]    日期：____年__月__日"


def _codes(findings) -> list[tuple[str, str]]:
    return [(f.code, str(f.source)) for f in findings]


def test_build_finds_leftovers_in_a_word_part(tmp_path: Path) -> None:
    folder = template(tmp_path, extra=LEFTOVERS)
    loaded = load_template(folder)
    _, data = load_data(loaded, DATA / "data.yaml")
    at = f"{folder / 'cover.docx'}: rendered text, paragraph 3"
    assert _codes(build(loaded, data).findings) == [("unfilled-placeholder", at), ("drafting-leftover", at)]
    # a batch row builds incrementally: the same findings
    assert _codes(build_cached(loaded, data, StructureCache()).findings) == _codes(build(loaded, data).findings)


def test_build_fails_where_check_of_its_docx_would(tmp_path: Path) -> None:
    folder = template(tmp_path, extra=LEFTOVERS)
    out = tmp_path / "out"
    args = ["build", str(folder), "--data", str(DATA / "data.yaml"), "--out", str(out), "--format", "docx"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "cover.docx: rendered text, paragraph 3: error drafting-leftover: drafting leftover '[●]'" in result.output
    assert not out.exists() or not any(out.iterdir())
    loaded = load_template(folder)
    docx = dict(render_outputs(build_document(loaded, load_data(loaded, DATA / "data.yaml")[1], check=False),
                               ["docx"]))["docx"]
    (tmp_path / "built.docx").write_bytes(docx)
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "built.docx")])
    assert checked.exit_code == 1 and "drafting-leftover" in checked.output and "unfilled-placeholder" in checked.output


def test_a_clean_part_adds_no_finding(tmp_path: Path) -> None:
    folder = template(tmp_path, extra="签订日期：2024年5月6日")
    loaded = load_template(folder)
    _, data = load_data(loaded, DATA / "data.yaml")
    assert not [f for f in build(loaded, data).findings if "cover.docx" in str(f.source)]
