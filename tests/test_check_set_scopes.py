"""Which part a citation in an addendum points into (主合同 / 本合同 → the main contract,
本协议 → the addendum itself, 第6.2款, "the Agreement, Section 4"), and the helper that
tells term rules an addendum restating the parties is not a second definition."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.checks import run_checks
from contractgen.checks.base import CheckContext
from contractgen.checks.citations import citations
from contractgen.checks.sets import party_name, restated_party
from contractgen.readers.contract_set import read_set, set_from_yaml
from contractgen.readers.lines import build_document
from contractgen.readers.text import text_lines

from conftest import TESTS

ZH_MAIN = "第一条 服务\n1.1 乙方提供服务。\n1.2 甲方付款。\n第二条 费用\n第三条 保密\n双方负有保密义务。\n"
ZH_ADDENDUM = "补充协议\n第一条 变更\n{text}\n第二条 生效\n本协议自签字之日起生效。\n"
EN_MAIN = "Section 1. Services\n1.1 Scope. Provider provides services.\nSection 2. Fees\nSection 4. Liability\n"
EN_ADDENDUM = "First Amendment\nSection 1. Changes\n{text}\n"


def _dangling(main: str, addendum: str, text: str) -> list[int]:
    source = main + addendum.format(text=text)
    doc = build_document(text_lines(source), "c.txt")
    return [f.line for f in run_checks(doc) if f.code == "dangling-reference"]


@pytest.mark.parametrize("text, dangling", [
    ("主合同第三条修改为：双方永久保密。", False),       # main has 第三条
    ("本合同第三条修改为：双方永久保密。", False),       # 本合同 in an addendum: the main contract
    ("原合同第三条不再适用。", False),
    ("本协议第二条另有约定的除外。", False),             # the addendum's own 第二条
    ("本协议第三条另有约定的除外。", True),              # the addendum has no 第三条 (main does)
    ("主合同第四条不再适用。", True),
    ("主合同第1.2款修改为：甲方按季付款。", False),
    ("主合同第1.5款修改为：甲方按季付款。", True),
    ("依照主合同第三条第二款处理。", False),             # 第二款 is a paragraph, not a clause number
])
def test_zh_addendum_scopes(text: str, dangling: bool) -> None:
    assert bool(_dangling(ZH_MAIN, ZH_ADDENDUM, text)) is dangling


@pytest.mark.parametrize("text, dangling", [
    ("The Agreement, Section 4 is amended.", False),
    ("The Agreement's Section 4 is amended.", False),
    ("Section 4 of the Agreement is amended.", False),
    ("The Agreement, Section 3 is amended.", True),    # the amendment has Section 1 only; main has no 3
    ("Section 1 of this Amendment applies.", False),
    ("Section 4 of the Lease is amended.", False),     # another document: not judged
])
def test_en_addendum_scopes(text: str, dangling: bool) -> None:
    assert bool(_dangling(EN_MAIN, EN_ADDENDUM, text)) is dangling


def test_kuan_with_a_chinese_numeral_is_not_a_clause_citation() -> None:
    assert [c.text for c in citations("依照第三条第二款、主合同第6.2款处理")] == ["第三条", "第6.2款"]
    assert [c.scope for c in citations("本协议第二条、本合同第二条、主协议第二条")] == ["self", "main", "main"]


@pytest.mark.parametrize("term, text, name", [
    ("甲方", "甲方：杭州明湖信息科技有限公司", "杭州明湖信息科技有限公司"),
    ("甲方", "甲方（委托方）：杭州明湖信息科技有限公司", "杭州明湖信息科技有限公司"),
    ("乙方", "宁波东岸软件有限公司（以下简称“乙方”）", "宁波东岸软件有限公司"),
    ("Customer", 'Lakeside Foods Ltd (the "Customer")', "LakesideFoodsLtd"),
    ("Party A", "Party A: Harbor Analytics Inc.", "HarborAnalyticsInc"),
    ("甲方", "甲方应按时付款。", ""),
])
def test_party_name(term: str, text: str, name: str) -> None:
    assert party_name(term, text) == name


def _party_units(ctx: CheckContext, term: str):
    return [u for u in ctx.units if u.text.startswith(term + "：")]


def test_restated_parties_in_an_addendum_file() -> None:
    doc = read_set(set_from_yaml(TESTS / "data" / "check" / "sets" / "zh-clean" / "contract-set.yaml"))
    ctx = CheckContext.for_document(doc)
    first, again = _party_units(ctx, "甲方")
    assert (Path(first.pos.path).name, Path(again.pos.path).name) == ("main.md", "addendum.md")
    assert restated_party("甲方", first, again)
    assert not restated_party("甲方", again, first)          # the main contract does not restate


def test_a_different_party_is_not_a_restatement() -> None:
    source = "甲方：杭州明湖信息科技有限公司\n第一条 服务\n补充协议\n甲方：杭州湖滨贸易有限公司\n第一条 变更\n"
    doc = build_document(text_lines(source), "c.txt")
    ctx = CheckContext.for_document(doc)
    first, again = _party_units(ctx, "甲方")
    assert again.part.kind == "addendum"
    assert not restated_party("甲方", first, again)
