"""Check rules over the document model: a named, ordered list, shared by ``check`` and ``build``.

Each rule is a small function ``(doc, ctx) -> Iterable[Finding]`` registered here with its
code, severity, family and one line of help. To add a rule, write the function in the
module of its family and add one :class:`Rule` line to :data:`RULES`; to run a subset, pass
``rules=``.
"""

from __future__ import annotations

from typing import Sequence

from ..diagnostics import ERROR, WARNING, Finding
from ..model import Document
from .amounts import check_amount_mismatch
from .attachments import check_missing_attachment, check_unused_attachment
from .base import CheckContext, Rule
from .fields import (check_broken_field_reference, check_hard_typed_reference, check_missing_east_asian_font,
                     check_stale_field_result, check_stale_toc)
from .numbering import (check_duplicate_heading, check_duplicate_number, check_numbering_gap,
                        check_numbering_order)
from .parties import check_inconsistent_party_term
from .placeholders import check_unfilled_placeholder
from .references import check_dangling_reference, check_reference_title_mismatch
from .sets import check_attachment_title_mismatch
from .toc import check_toc_mismatch
from .dates import check_date_order, check_invalid_date, check_weekday_mismatch
from .leftovers import check_drafting_leftover
from .numberwords import check_number_words_mismatch
from .terms import (check_duplicate_definition, check_term_used_before_definition, check_undefined_term,
                    check_unused_definition)
from .usage import check_deposit_term_mix, check_half_width_punctuation, check_penalty_term

RULES: list[Rule] = [
    Rule("numbering-gap", ERROR, "numbering", "a number is skipped in an article or sub-clause sequence", check_numbering_gap,
         bad='第一条 服务内容\n第二条 服务费用\n第四条 违约责任',
         good='第一条 服务内容\n第二条 服务费用\n第三条 违约责任'),
    Rule("duplicate-number", ERROR, "numbering", "two clauses in one sequence carry the same number", check_duplicate_number,
         bad='3.1 Fees. Customer shall pay the fees.\n3.1 Taxes. Fees exclude taxes.', good='3.1 Fees. Customer shall pay the fees.\n3.2 Taxes. Fees exclude taxes.'),
    Rule("numbering-order", ERROR, "numbering", "a clause is numbered out of order or placed under the wrong parent", check_numbering_order,
         bad='2.1 Restrictions.\n2.3 Support.\n2.2 Customer Content.', good='2.1 Restrictions.\n2.2 Customer Content.\n2.3 Support.'),
    Rule("duplicate-heading", WARNING, "numbering", "two sibling headings in one part have the same title", check_duplicate_heading,
         bad='第五条 保密\n第六条 保密', good='第五条 保密\n第六条 知识产权'),
    Rule("toc-mismatch", ERROR, "toc", "a table-of-contents entry does not match the body's heading", check_toc_mismatch,
         bad='目录\n第一条 服务内容\n\n第一条 服务范围', good='目录\n第一条 服务范围\n\n第一条 服务范围'),
    Rule("dangling-reference", ERROR, "references", "a reference to a clause or attachment that does not exist", check_dangling_reference,
         bad='第一条 服务\n乙方按第三条的约定收取费用。\n第二条 费用\n甲方按月付款。',
         good='第一条 服务\n乙方按第二条的约定收取费用。\n第二条 费用\n甲方按月付款。'),
    Rule("reference-title-mismatch", ERROR, "references", "a reference names a title its target does not have", check_reference_title_mismatch,
         bad='See Section 5.5 (Confidentiality).\n5.5 Security. Provider shall maintain security.', good='See Section 5.5 (Security).\n5.5 Security. Provider shall maintain security.'),
    Rule("missing-attachment", ERROR, "attachments", "a listed attachment has no content in the document", check_missing_attachment,
         bad='第一条 服务\n乙方按附件1提供服务，按附件2收费。\n附件清单：\n附件1：服务标准\n附件2：报价单\n附件1 服务标准\n工作日提供服务。',
         good='第一条 服务\n乙方按附件1提供服务，按附件2收费。\n附件清单：\n附件1：服务标准\n附件2：报价单\n附件1 服务标准\n工作日提供服务。\n附件2 报价单\n年费十万元。'),
    Rule("unused-attachment", WARNING, "attachments", "an included attachment is neither listed nor cited", check_unused_attachment,
         bad='第一条 服务\n乙方按附件1提供服务。\n附件清单：\n附件1：服务标准\n附件1 服务标准\n工作日提供服务。\n附件2 报价单\n年费十万元。',
         good='第一条 服务\n乙方按附件1提供服务，按附件2收费。\n附件清单：\n附件1：服务标准\n附件2：报价单\n附件1 服务标准\n工作日提供服务。\n附件2 报价单\n年费十万元。'),
    Rule("attachment-title-mismatch", ERROR, "attachments", "an attachment delivered as its own file has a title other than the register's", check_attachment_title_mismatch,
         bad="main.md — 附件清单：附件1：服务标准\nannex-1.md — 附件1：保密协议", good="main.md — 附件清单：附件1：服务标准\nannex-1.md — 附件1：服务标准"),
    Rule("unfilled-placeholder", ERROR, "placeholders", "a blank or template tag is left in (XXX, 20XX, ____, [NAME], {{ x }}, 【 】)", check_unfilled_placeholder,
         bad='签订日期：20XX年____月____日', good='签订日期：2025年3月4日'),
    Rule("amount-mismatch", ERROR, "amounts", "an amount in figures disagrees with the amount in words next to it", check_amount_mismatch,
         bad='服务费为人民币100,000元（大写：人民币壹拾万伍仟元整）。', good='服务费为人民币100,000元（大写：人民币壹拾万元整）。'),
    Rule("inconsistent-party-term", WARNING, "parties", "a party is named by an undefined term, or by two unlinked terms", check_inconsistent_party_term,
         bad='甲方：杭州某某科技有限公司\n客户应按时付款。', good='杭州某某科技有限公司（以下简称“甲方”或“客户”）\n客户应按时付款。'),
    Rule("number-words-mismatch", ERROR, "numbers", "a number in words disagrees with the figures next to it (三十（30）日, thirty (30) days)", check_number_words_mismatch,
         bad='乙方应在三十（60）日内交付。', good='乙方应在三十（30）日内交付。'),
    Rule("invalid-date", ERROR, "dates", "a date the calendar does not have (2024年2月30日, 31 April 2025)", check_invalid_date,
         bad='本合同于2025年2月29日签订。', good='本合同于2025年2月28日签订。'),
    Rule("weekday-mismatch", ERROR, "dates", "a weekday written next to a date that falls on another day", check_weekday_mismatch,
         bad='The kick-off meeting is on Monday, 4 March 2025.', good='The kick-off meeting is on Tuesday, 4 March 2025.'),
    Rule("date-order", ERROR, "dates", "a date range that ends before it starts", check_date_order,
         bad='服务期限自2024年3月1日起至2023年2月28日止。', good='服务期限自2024年3月1日起至2025年2月28日止。'),
    Rule("drafting-leftover", ERROR, "leftovers", "a drafting leftover: TBD, [A/B] alternatives, a note to draft, [●], 【请填写】; DOCX comments, highlights, tracked changes", check_drafting_leftover,
         bad='Customer shall pay within [30/60] days. Note to draft: confirm with finance.', good='Customer shall pay within 30 days.'),
    Rule("undefined-term", ERROR, "terms", "a phrase used as a defined term (the Support Policy, “服务标准”) that is never defined", check_undefined_term,
         bad='"Services" means the support services.\nProvider shall perform the Services under the Support Policy.',
         good='"Services" means the support services.\n"Support Policy" means Schedule 2.\nProvider shall perform the Services under the Support Policy.'),
    Rule("unused-definition", WARNING, "terms", "a term is defined but never used", check_unused_definition,
         bad='“交付日”指乙方交付之日。\n“保密信息”指甲方提供的信息。\n乙方应对保密信息保密。', good='“保密信息”指甲方提供的信息。\n乙方应对保密信息保密。'),
    Rule("duplicate-definition", ERROR, "terms", "a term is defined twice (an addendum restating the same party is fine)", check_duplicate_definition,
         bad='"Fees" means the monthly fees.\n...\n"Fees" means all amounts payable.', good='"Fees" means all amounts payable.'),
    Rule("term-used-before-definition", WARNING, "terms", "a term is used in the body before the clause that defines it in brackets", check_term_used_before_definition,
         bad='1.1 The Provider shall meet the Service Levels.\n3.1 Provider will meet the levels in Schedule 1 (the "Service Levels").',
         good='1.1 Provider will meet the levels in Schedule 1 (the "Service Levels").\n3.1 The Provider shall meet the Service Levels.'),
    Rule("deposit-term-mix", WARNING, "usage", "both 定金 and 订金 in one contract (they differ in law)", check_deposit_term_mix,
         bad='甲方应支付定金一万元。……乙方收到订金后开工。', good='甲方应支付定金一万元。……乙方收到定金后开工。'),
    Rule("penalty-term", WARNING, "usage", "罚款 between the parties of a civil contract (违约金 is meant)", check_penalty_term,
         bad='乙方逾期交付的，每日向甲方支付罚款500元。', good='乙方逾期交付的，每日向甲方支付违约金500元。'),
    Rule("half-width-punctuation", WARNING, "usage", "half-width , ; : ? ! ( ) between Chinese characters", check_half_width_punctuation,
         bad='服务费用按月结算,甲方应于收到发票后付款:', good='服务费用按月结算，甲方应于收到发票后付款：'),
    Rule("broken-field-reference", ERROR, "fields", "a DOCX cross-reference field (REF/PAGEREF) points at a bookmark that does not exist", check_broken_field_reference,
         bad='争议按{REF _Ref300 \\r \\h → 第十一条}处理。（书签 _Ref300 已随条款删除）', good='争议按{REF _Ref111 \\r \\h → 第十一条}处理。（书签 _Ref111 在第十一条标题上）'),
    Rule("stale-field-result", ERROR, "fields", "a DOCX cross-reference field shows a cached number or text its target no longer has", check_stale_field_result,
         bad='（删除第三条后未更新域）争议按{REF _Ref111 \\r \\h → 第十一条}处理。 — 目标标题现为 第十条 争议解决',
         good='（按 F9 更新域后）争议按{REF _Ref111 \\r \\h → 第十条}处理。'),
    Rule("stale-toc", ERROR, "fields", "a DOCX table of contents (field or content control) disagrees with the headings it points at", check_stale_toc,
         bad='目录\n第十一条 争议解决 ……… 5  → 链接到的标题现为 第十条 争议解决', good='目录\n第十条 争议解决 ……… 5'),
    Rule("hard-typed-reference", WARNING, "fields", "a typed clause reference in a DOCX whose articles Word numbers automatically", check_hard_typed_reference,
         bad='（第X条由 numbering.xml 自动编号）争议按第十一条（争议解决）处理。', good='争议按{REF _Ref111 \\r \\h → 第十一条}（争议解决）处理。'),
    Rule("missing-east-asian-font", WARNING, "usage", "Chinese text in a DOCX with no East Asian font on its runs, styles or defaults", check_missing_east_asian_font,
         bad='<w:rFonts w:ascii="Arial"/> 甲方应按时付款。', good='<w:rFonts w:ascii="Arial" w:eastAsia="SimSun"/> 甲方应按时付款。'),
]


def rule_codes() -> list[str]:
    return [rule.code for rule in RULES]


def _merge_repeats(findings: list[Finding]) -> list[Finding]:
    """One finding per code, message and line, saying how often it occurs there."""
    counts: dict[tuple, int] = {}
    first: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.code, f.message, f.source)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, f)
    for key, f in first.items():
        if counts[key] > 1:
            f.message += f" ({counts[key]} times)"
    return list(first.values())


def run_checks(doc: Document, lang: str | None = None, rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Run the rules in order; findings come back sorted by file, line, then rule order."""
    ctx = CheckContext.for_document(doc, lang)
    findings: list[Finding] = []
    for rule in RULES if rules is None else rules:
        ctx.rule = rule
        findings.extend(rule.func(doc, ctx))
    ctx.rule = None
    findings = _merge_repeats(findings)
    order = {code: i for i, code in enumerate(rule_codes())}
    return sorted(findings, key=lambda f: (f.source.path if f.source else "", f.line or 0,
                                           order.get(f.code, len(order))))


__all__ = ["RULES", "Rule", "CheckContext", "run_checks", "rule_codes", "WARNING", "ERROR"]
