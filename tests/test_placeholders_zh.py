"""The blanks Chinese drafters type: XX / ×× runs before 万元, %, 日 or a company word,
X in a date, 某某市, and XX after a colon (found by a fresh-eyes trial: only ____ was seen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.checking import check_file


@pytest.mark.parametrize("line, found", [
    ("合同编号：XX", "XX"),
    ("甲方：XX有限公司", "XX"),
    ("合同金额为人民币XX万元。", "XX"),
    ("税率为XX%。", "XX"),
    ("乙方应在XX日内交付。", "XX"),
    ("签订日期：2026年X月X日", "X"),
    ("乙方：××科技有限公司", "××"),
    ("住所：某某市某某区", "某某"),
    ("ＸＸＸ工程项目一览表", "ＸＸＸ"),
])
def test_a_chinese_blank_is_an_unfilled_placeholder(tmp_path: Path, line: str, found: str) -> None:
    path = tmp_path / "c.txt"
    path.write_text(f"第一条 合同\n{line}\n", encoding="utf-8")
    hits = [f for f in check_file(path) if f.code == "unfilled-placeholder"]
    assert [(f.line, f.severity) for f in hits] == [(2, "error")]
    assert f"'{found}'" in hits[0].message


@pytest.mark.parametrize("line", [
    "XXL号工作服由乙方提供。",                 # a size, not a blank
    "Section 1.1 The XX Agreement applies.",    # English text
    "按照XML格式提交数据。",
    "本合同第十条约定的期限。",
])
def test_look_alikes_are_not_blanks(tmp_path: Path, line: str) -> None:
    path = tmp_path / "c.txt"
    path.write_text(f"第一条 合同\n{line}\n", encoding="utf-8")
    assert [f for f in check_file(path) if f.code == "unfilled-placeholder"] == []


def test_a_quoted_xx_in_usage_notes_is_only_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("第一条 说明\n用语中不应当出现“以××为准”、“与××同级”等不确定用语。\n", encoding="utf-8")
    hits = [f for f in check_file(path) if f.code == "unfilled-placeholder"]
    assert [f.severity for f in hits] == ["warning"]
