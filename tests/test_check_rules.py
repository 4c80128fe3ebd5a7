"""Each rule on small texts: true positives, and look-alikes that must not fire."""

from __future__ import annotations

import pytest

from contractgen.checks import RULES, run_checks
from contractgen.readers.lines import Line, build_document


def check(text: str, lang: str = "auto") -> list[tuple[str, int]]:
    lines = [Line(t, i) for i, t in enumerate(text.strip("\n").splitlines(), start=1)]
    return [(f.code, f.line) for f in run_checks(build_document(lines, "t.txt", lang))]


def codes(text: str) -> set[str]:
    return {code for code, _ in check(text)}


ZH_BODY = """第一条 服务内容
1.1 服务范围
1.2 服务时间
第二条 服务费用
2.1 费用计算
第三条 保密条款
3.1 保密义务
"""


def test_rule_list_is_named_ordered_and_unique() -> None:
    names = [r.code for r in RULES]
    assert len(names) == len(set(names)) and names[0] == "numbering-gap"
    assert all(r.severity in ("error", "warning") and r.help and r.family for r in RULES)


def test_clean_body_has_no_findings() -> None:
    assert check(ZH_BODY) == []


@pytest.mark.parametrize("text, expected", [
    (ZH_BODY.replace("第三条", "第五条"), ("numbering-gap", 6)),
    (ZH_BODY.replace("第三条", "第二条"), ("duplicate-number", 6)),
    (ZH_BODY.replace("2.1 费用计算", "2.2 费用计算"), ("numbering-gap", 5)),
    (ZH_BODY.replace("1.2 服务时间", "1.1 服务时间"), ("duplicate-number", 3)),
    ("第一条 甲\n第三条 丙\n第二条 乙\n", ("numbering-order", 3)),
    (ZH_BODY.replace("2.1 费用计算", "3.1 费用计算"), ("numbering-order", 5)),
])
def test_numbering_true_positives(text: str, expected: tuple[str, int]) -> None:
    assert expected in check(text)


def test_numbering_restarts_per_part_and_lists_restart() -> None:
    text = ZH_BODY + "第二部分：补充协议\n第一条 定义\n第二条 效力\n说明：\n1. 第一项内容，详见说明。\n2. 第二项内容。\n标准：\n1. 另一个列表的第一项。\n"
    assert check(text) == []


def test_dates_and_versions_are_not_clauses() -> None:
    assert check(ZH_BODY + "2024.3.1 双方签订本合同。\n版本 1.2.3 已发布。\n") == []


def test_numbers_inside_tables_are_not_clauses() -> None:
    lines = [Line(t, i) for i, t in enumerate(ZH_BODY.splitlines(), 1)]
    lines += [Line("7. 项目", 20, in_table=True), Line("1.1", 21, in_table=True), Line("第九条", 22, in_table=True)]
    found = [f.code for f in run_checks(build_document(lines, "t.txt"))]
    assert found == ["dangling-reference"]  # a citation in a table is still a citation


def test_duplicate_heading_only_among_siblings() -> None:
    assert ("duplicate-heading", 3) in check("第一条 保密\n1.1 违约责任\n第二条 保密\n")
    assert check("第一条 保密\n1.1 违约责任\n第二条 违约责任\n") == []


@pytest.mark.parametrize("sentence, fires", [
    ("违约的，按第九条处理。", True),
    ("违约的，按第3.5条处理。", True),
    ("详见附件四。", True),
    ("违约的，按第二条处理。", False),
    ("按照第1.2条执行。", False),
    ("依据《中华人民共和国民法典》第五百八十五条处理。", False),
    ("依照公司法第十条处理。", False),
    ("本合同附件一式两份。", False),
    ("2024.3.1 起算。", False),
])
def test_dangling_reference_zh(sentence: str, fires: bool) -> None:
    assert ("dangling-reference" in codes(ZH_BODY + "第四条 其他\n" + sentence)) is fires


EN_BODY = """1. Definitions. Terms have these meanings.
2. Fees. Customer pays the Fees.
2.1 Invoices. Provider invoices monthly.
2.2 Late Payment. Interest accrues.
3. Confidentiality. Each party protects information.
"""


@pytest.mark.parametrize("sentence, code", [
    ("See Section 4.", "dangling-reference"),
    ("See Section 2.3.", "dangling-reference"),
    ("See Article 12.", "dangling-reference"),
    ("See Schedule 3 and Exhibit B.", "dangling-reference"),
    ("See Section 2 (Confidentiality).", "reference-title-mismatch"),
    ("See Article 3 (Fees).", "reference-title-mismatch"),
])
def test_references_en_true_positives(sentence: str, code: str) -> None:
    assert code in codes(EN_BODY + sentence)


@pytest.mark.parametrize("sentence", [
    "See Section 2 (Fees) and Sections 2.1 and 2.2.",
    "See Section 2(b) and Section 3(a)(ii).",
    "See Section 2 (the \"Fee Clause\").",
    "Under Section 2 of the Securities Act, nothing applies.",
    "Under 26 U.S.C. Section 501(c)(3), nothing applies.",
    "Section 409A of the Code applies.",
    "This Article applies to the Article in prose.",
    "Version 2.1.3 of the software; meeting on 2024.3.1.",
    "See Section 3.1.",  # article 3 has no known sub-sections: cannot judge
])
def test_references_en_look_alikes(sentence: str) -> None:
    assert codes(EN_BODY + sentence) & {"dangling-reference", "reference-title-mismatch"} == set()


def test_reference_title_mismatch_zh() -> None:
    assert ("reference-title-mismatch", 9) in check(ZH_BODY + "第四条 其他\n按第三条（争议解决）处理。")
    assert check(ZH_BODY + "第四条 其他\n按第三条（保密条款）处理。") == []


def test_addendum_cites_main_contract() -> None:
    text = ZH_BODY + "补充协议\n第一条 争议\n1.1 依照本合同第三条处理。\n1.2 依照本合同第九条处理。\n"
    assert check(text) == [("dangling-reference", 11)]


def test_toc_mismatch_and_match() -> None:
    toc = "目录\n1. 服务内容\n2. 服务费用\n3. 保密条款\n"
    assert check(toc + ZH_BODY) == []
    found = check(toc.replace("3. 保密条款", "3. 争议解决") + ZH_BODY)
    assert found == [("toc-mismatch", 4)]
    assert check(toc.replace("3. 保密条款\n", "") + ZH_BODY) == [("toc-mismatch", 9)]


REGISTER = "附件清单\n附件1：服务说明\n附件2：费用表\n"


def test_missing_and_unused_attachments() -> None:
    assert check(ZH_BODY + REGISTER + "附件1 服务说明\n内容。\n附件2 费用表\n内容。\n") == []
    assert check(ZH_BODY + REGISTER + "附件1 服务说明\n内容。\n") == [("missing-attachment", 10)]
    found = check(ZH_BODY + "附件1 服务说明\n内容。\n")
    assert found == [("unused-attachment", 8)]


@pytest.mark.parametrize("text, token", [
    ("甲方：XXX", "XXX"), ("签订于20XX年", "20XX"), ("于____年签订", "____"),
    ("Customer: [CUSTOMER NAME]", "[CUSTOMER NAME]"), ("名称：{{ party.name }}", "{{ party.name }}"),
    ("地址：【 】", "【 】"), ("{% if vip %}", "{% if vip %}"), ("依照[[ref:fees]]支付", "[[ref:fees]]"),
])
def test_placeholders_fire(text: str, token: str) -> None:
    doc = build_document([Line(text, 1)], "t.txt")
    messages = [f.message for f in run_checks(doc) if f.code == "unfilled-placeholder"]
    assert messages == [f"unfilled placeholder '{token}'"]


@pytest.mark.parametrize("text", [
    "Size XXL and XXXL shirts.", "See Article XXX of the treaty.", "Call __init__ now.",
    "Footnote [1] and [a].", "Price list version 2024.", "Use a checkbox [ ] here.",
    "A matrix [a [b]] in prose.",
])
def test_placeholder_look_alikes(text: str) -> None:
    assert "unfilled-placeholder" not in codes(text)


@pytest.mark.parametrize("text, fires", [
    ("合同总价为人民币壹拾贰万伍仟元整（¥125,000.00）。", False),
    ("合同总价为人民币壹拾贰万元整（¥125,000.00）。", True),
    ("合同总价为¥125,000.00（大写：人民币壹拾贰万伍仟元整）。", False),
    ("合同总价为12.5万元（人民币壹拾贰万伍仟元整）。", False),
    ("合同总价为12.5万元（人民币壹拾贰万元整）。", True),
    ("费用为125,000元，另付人民币叁佰元整的押金。", False),
    ("Fees are USD 12,500.00 (twelve thousand five hundred US dollars).", False),
    ("Fees are USD 12,500.00 (twelve thousand US dollars).", True),
    ("Fees are Twelve Thousand Dollars ($12,500).", True),
    ("Fees are $1,250.50 (one thousand two hundred fifty dollars and fifty cents).", False),
    ("Fees are $100 (the Fee) and $20 (payable monthly).", False),
])
def test_amount_mismatch(text: str, fires: bool) -> None:
    assert ("amount-mismatch" in codes(text)) is fires


def test_party_terms() -> None:
    cover = "甲方：某某公司\n乙方：某某科技\n"
    assert codes(cover + ZH_BODY + "第四条 其他\n客户应按时付款。\n") == {"inconsistent-party-term"}
    linked = "甲方（客户）：某某公司\n乙方：某某科技\n"
    assert codes(linked + ZH_BODY + "第四条 其他\n客户应按时付款。\n") == set()
    assert codes(cover + ZH_BODY + "第四条 其他\n甲方应保护客户信息。\n") == set()


def test_party_terms_en() -> None:
    head = 'Acme Inc. (the "Customer") and Beta LLC (the "Provider") agree:\n'
    assert codes(head + EN_BODY + "Supplier shall deliver on time.") == {"inconsistent-party-term"}
    assert codes(head + EN_BODY + "Provider shall deliver on time.") == set()


def test_repeats_on_one_line_are_one_finding_that_counts_them() -> None:
    text = "第一条 定义\n\n" + "见第九条。" * 500 + "\n"
    found = [f for f in run_checks(build_document([Line(t, i) for i, t in enumerate(text.splitlines(), 1)], "t.txt"))
             if f.code == "dangling-reference"]
    assert [(f.line, f.message) for f in found] == [(3, "reference to 第九条, which does not exist (500 times)")]


def test_a_suggestion_is_part_of_the_finding_as_data() -> None:
    lines = [Line("乙方逾期交付的，每日向甲方支付罚款500元。", 1), Line("签订日期：20XX年", 2)]
    penalty, placeholder = [f.as_dict() for f in run_checks(build_document(lines, "t.txt"))]
    assert (penalty["code"], penalty["suggestion"]) == ("penalty-term", "违约金")
    assert placeholder["code"] == "unfilled-placeholder" and "suggestion" not in placeholder


def test_a_module_lists_its_own_rules_in_definition_order() -> None:
    import types

    from contractgen.checks.base import rule, rules_in
    from contractgen.checks.numbering import check_numbering_gap

    module = types.ModuleType("family_under_test")

    @rule("second-rule", "warning", "demo", help="defined second")
    def later(doc, ctx):
        return []

    @rule("first-rule", "error", "demo", help="defined first")
    def earlier(doc, ctx):
        return []

    later.__module__ = earlier.__module__ = module.__name__
    module.b, module.imported, module.a = later, check_numbering_gap, earlier
    assert [r.code for r in rules_in(module)] == ["second-rule", "first-rule"]  # not the imported numbering-gap
    with pytest.raises(ValueError, match="example"):
        rule("bad-example", "error", "demo", help="h", example="pdf")
