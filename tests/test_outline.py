"""The outline every reader builds, and the numbering and TOC rules that run on it.

Each case in tests/data/check/outline is a real or written contract with two reviewed
goldens: the findings of the numbering and TOC rules (`expected.json`) and the outline
(`outline.txt`). Regenerate with `make golden` (CONTRACTGEN_UPDATE_GOLDEN=1) and review.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from contractgen.checking import check_file
from contractgen.grammar import parse_outline_number
from contractgen.model import Clause
from contractgen.outline import Outliner, format_outline, link_by_level
from contractgen.pipeline import build, load_template, render_outputs
from contractgen.readers import read_path

from conftest import TESTS, compare_golden

CASES = TESTS / "data" / "check" / "outline"
RULES = {"numbering-gap", "duplicate-number", "numbering-order", "duplicate-heading", "toc-mismatch"}
INPUTS = sorted(p for p in CASES.glob("*/contract.*"))


def _findings(path: Path) -> str:
    found = [f.as_dict() for f in check_file(path) if f.code in RULES]
    return json.dumps(found, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.parent.name)
def test_numbering_findings_match_golden(path: Path) -> None:
    compare_golden(_findings(path), path.parent / "expected.json")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.parent.name)
def test_outline_matches_golden(path: Path) -> None:
    compare_golden(format_outline(read_path(path).parts), path.parent / "outline.txt")


def _codes(case: str) -> list[tuple[str, str, int]]:
    path = next((CASES / case).glob("contract.*"))
    return [(f.code, f.severity, f.line) for f in check_file(path) if f.code in RULES]


def test_a_missing_article_is_an_error_and_a_missing_item_a_warning() -> None:
    assert _codes("zh-planted-gaps") == [("numbering-gap", "warning", 19), ("numbering-gap", "error", 39)]


def test_a_mistyped_toc_line_after_a_preamble_is_reported() -> None:
    assert _codes("en-preamble-keeps-toc") == []
    assert _codes("en-preamble-toc-typo") == [("toc-mismatch", "error", 7)]


def test_order_form_and_statement_of_work_are_addenda() -> None:
    doc = read_path(CASES / "en-order-form-addendum" / "contract.md")
    assert [(p.kind, p.title) for p in doc.parts if p.kind != "cover"] == [
        ("main", ""), ("addendum", "Order Form"), ("addendum", "Statement of Work")]


def test_nested_markdown_items_are_numbered_by_their_path() -> None:
    doc = read_path(CASES / "md-nested-lists" / "contract.md")
    clauses = {c.number_text: c for _, c in doc.clauses()}
    assert clauses["1.4"].title == "Feedback and Usage Data" and clauses["1.4"].parent is clauses["1."]
    assert clauses["2.1"].number == (2, 1) and clauses["3."].parent is None


def test_a_style_takes_the_level_the_document_gives_it() -> None:
    # 一、 is above 第X条 in one contract and below it in another.
    def parents(lines: list[str]) -> list[str]:
        outliner, out = Outliner(), []
        for text in lines:
            num = parse_outline_number(text)
            clause = Clause(level=1, number=num.number, number_text=num.number_text, style=num.style,
                            ordinal=num.ordinal)
            outliner.place(clause)
            out.append(clause.parent.number_text if clause.parent else "")
        return out

    assert parents(["一、总则", "第一条 定义", "第二条 范围", "二、服务", "第三条 内容"]) == ["", "一、", "一、", "", "二、"]
    assert parents(["第一条 定义", "一、甲方", "二、乙方", "第二条 范围", "一、期限"]) == ["", "第一条", "第一条", "", "第二条"]
    # 第四条 after 第三条 › 一、 › 1. closes 1. and 一、 , which the document put below 第X条
    assert parents(["第三条 服务", "一、内容", "1. 客服", "第四条 费用"]) == ["", "第三条", "一、", ""]


def test_generated_clauses_get_parents_from_their_levels() -> None:
    clauses = [Clause(level=1, number=(1,), number_text="第一条"), Clause(level=2, number=(1, 1), number_text="1.1"),
               Clause(level=3, number=(1, 1, 1), number_text="1.1.1"), Clause(level=1, number=(2,), number_text="第二条")]
    link_by_level(clauses, lambda c: f"level{c.level}")
    assert [c.parent for c in clauses] == [None, clauses[0], clauses[1], None]
    assert [c.ordinal for c in clauses] == [1, 1, 1, 2]


def test_our_mini_zh_contract_checks_clean_when_read_back(tmp_path: Path) -> None:
    root = TESTS / "roots" / "mini-zh" / "templates" / "mini"
    built = build(load_template(root), yaml.safe_load((root / "data.yaml").read_text(encoding="utf-8")))
    assert built.findings == []
    for fmt, data in render_outputs(built.doc, ["md", "docx"]):
        path = tmp_path / f"mini.{fmt}"
        path.write_bytes(data)
        assert [f.format() for f in check_file(path)] == [], path.name
