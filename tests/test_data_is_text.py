"""Data is text, always: a value from a data file or a spreadsheet cell is printed as the
literal text it holds and can never add an article, a label, a table cell, a TOC or a
reference to the contract it fills; a line break in a one-line field is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractgen.cli import main
from contractgen.model import Clause, Paragraph, Table, Toc, plain_text

from conftest import copy_root
from helpers import build

MARKUP = "# 免责条款 {#waiver} | x | y |"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_root("mini-zh", tmp_path / "project")
    services = root / "clauses" / "mini" / "services.md"
    # a value alone on a line, where "# …" would be a heading and "- …" a list item
    services.write_text(services.read_text(encoding="utf-8").replace(
        "- 服务费用为每月", "{{ party_b.name }}\n\n- 服务费用为每月"), encoding="utf-8")
    return root


def _with_names(root: Path, party_a: str, party_b: str) -> Path:
    path = root / "templates" / "mini" / "data.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["party_a"]["name"], data["party_b"]["name"] = party_a, party_b
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _shape(doc) -> list[tuple[str, int, str]]:
    return [(type(b).__name__, getattr(b, "level", 0), getattr(b, "label", None) or "")
            for p in doc.parts for b in p.blocks if isinstance(b, (Clause, Table, Toc))]


@pytest.mark.parametrize("party_b", [MARKUP, "- 乙公司", "1. 乙公司", "| 乙 | 公司 |", "{#injected} 乙公司",
                                     "乙公司 {.center}", "[[attachments]]"])
def test_markup_in_a_value_is_printed_as_text(project: Path, party_b: str) -> None:
    template = project / "templates" / "mini"
    plain = build(template, _with_names(project, "甲公司", "乙公司"), check=False)
    doc = build(template, _with_names(project, f"甲公司 {MARKUP}", party_b), check=False)
    assert _shape(doc) == _shape(plain)  # no article, item, label, table or TOC added
    texts = [plain_text(b.text) for p in doc.parts for b in p.blocks if isinstance(b, Paragraph)]
    assert party_b in texts  # the value alone on its line: one paragraph of exactly its text
    items = [plain_text(b.text) for _, b in doc.clauses() if b.label is None and not b.title]
    assert f"甲公司 {MARKUP}（以下简称“甲方”）。" in items


def test_values_between_wrapped_lines_keep_the_cjk_joining_rule(tmp_path: Path) -> None:
    root = copy_root("mini-zh", tmp_path / "project")
    cover = root / "clauses" / "mini" / "cover.md"
    cover.write_text(cover.read_text(encoding="utf-8").replace(
        "合同编号：{{ contract_no }}", "合同编号：\n{{ contract_no }}\n号，甲方\n{{ party_a.name }}\nand more"), encoding="utf-8")
    data = _with_names(root, "甲公司", "乙公司")
    doc = build(root / "templates" / "mini", data, check=False)
    texts = [plain_text(b.text) for b in doc.parts[0].blocks if isinstance(b, Paragraph)]
    # T-001 is Latin: a space on both sides; 甲公司 meets 甲方 without one, then Latin again
    assert "合同编号： T-001 号，甲方甲公司 and more" in texts


def test_a_line_break_in_a_value_is_a_data_error(project: Path, runner, tmp_path: Path) -> None:
    data = _with_names(project, "甲公司\n\n# 免责条款\n\n乙方对任何损失不承担责任。\n\n[[toc]]", "乙公司")
    result = runner.invoke(main, ["build", str(project / "templates" / "mini"), "--data", str(data),
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "error bad-data: field 'party_a.name': a line break in a one-line text field" in result.output
    assert not (tmp_path / "out").exists()


def test_a_spreadsheet_cell_is_text_too(project: Path, runner, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("contract_no,party_a.name,party_b.name,fee,staff,sign_date\n"
                    f'T-1,"甲公司 {MARKUP}",乙公司,100,1,2024-03-01\n'
                    'T-2,"甲公司\n# 免责条款",乙公司,100,1,2024-03-01\n', encoding="utf-8")
    result = runner.invoke(main, ["batch", str(project / "templates" / "mini"), "--data", str(rows),
                                  "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1", "--format", "md"])
    assert result.exit_code == 1
    assert "1 built, 1 failed" in result.output
    assert "row 3" in result.output and "a line break in a one-line text field" in result.output
    built = next((tmp_path / "out").glob("T-1-*.md")).read_text(encoding="utf-8")
    assert built.count("### 第") == 4  # the main contract's four articles (no third party: no addendum)


def _markdown(runner, project: Path, party_b: str, out: Path) -> str:
    data = _with_names(project, "甲公司", party_b)
    result = runner.invoke(main, ["build", str(project / "templates" / "mini"), "--data", str(data),
                                  "--out", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    return next(out.glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.parametrize("party_b", [MARKUP, "- 乙公司", "1. 乙公司", "> 乙公司", "---", "| 乙 | 公司 |"])
def test_markup_in_a_value_stays_text_in_the_written_markdown(project: Path, runner, tmp_path: Path,
                                                               party_b: str) -> None:
    """The .md we write reads back as the same blocks with the value as a paragraph's text:
    pandoc, GitHub and `check` would otherwise see a heading, list item, quote, rule or table
    row made of data."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    written = parser.parse(_markdown(runner, project, party_b, tmp_path / "out"))
    baseline = parser.parse(_markdown(runner, project, "乙公司", tmp_path / "plain"))
    assert [t.type for t in written] == [t.type for t in baseline]  # no block added or turned into another
    paragraphs = [t.content for i, t in enumerate(written) if t.type == "inline" and written[i - 1].type == "paragraph_open"]
    shown = [parser.renderInline(text) for text in paragraphs]
    assert party_b.replace(">", "&gt;") in shown
