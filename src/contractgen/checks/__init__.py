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
from .numbering import (check_duplicate_heading, check_duplicate_number, check_numbering_gap,
                        check_numbering_order)
from .parties import check_inconsistent_party_term
from .placeholders import check_unfilled_placeholder
from .references import check_dangling_reference, check_reference_title_mismatch
from .toc import check_toc_mismatch

RULES: list[Rule] = [
    Rule("numbering-gap", ERROR, "numbering", "a number is skipped in an article or sub-clause sequence", check_numbering_gap),
    Rule("duplicate-number", ERROR, "numbering", "two clauses in one sequence carry the same number", check_duplicate_number),
    Rule("numbering-order", ERROR, "numbering", "a clause is numbered out of order or placed under the wrong parent", check_numbering_order),
    Rule("duplicate-heading", WARNING, "numbering", "two sibling headings in one part have the same title", check_duplicate_heading),
    Rule("toc-mismatch", ERROR, "toc", "a table-of-contents entry does not match the body's heading", check_toc_mismatch),
    Rule("dangling-reference", ERROR, "references", "a reference to a clause or attachment that does not exist", check_dangling_reference),
    Rule("reference-title-mismatch", ERROR, "references", "a reference names a title its target does not have", check_reference_title_mismatch),
    Rule("missing-attachment", ERROR, "attachments", "a listed attachment has no content in the document", check_missing_attachment),
    Rule("unused-attachment", WARNING, "attachments", "an included attachment is neither listed nor cited", check_unused_attachment),
    Rule("unfilled-placeholder", ERROR, "placeholders", "a blank or template tag is left in (XXX, 20XX, ____, [NAME], {{ x }}, 【 】)", check_unfilled_placeholder),
    Rule("amount-mismatch", ERROR, "amounts", "an amount in figures disagrees with the amount in words next to it", check_amount_mismatch),
    Rule("inconsistent-party-term", WARNING, "parties", "a party is named by an undefined term, or by two unlinked terms", check_inconsistent_party_term),
]


def rule_codes() -> list[str]:
    return [rule.code for rule in RULES]


def run_checks(doc: Document, lang: str | None = None, rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Run the rules in order; findings come back sorted by line, then by rule order."""
    ctx = CheckContext.for_document(doc, lang)
    findings: list[Finding] = []
    for rule in RULES if rules is None else rules:
        ctx.rule = rule
        findings.extend(rule.func(doc, ctx))
    ctx.rule = None
    order = {code: i for i, code in enumerate(rule_codes())}
    return sorted(findings, key=lambda f: (f.line or 0, order.get(f.code, len(order))))


__all__ = ["RULES", "Rule", "CheckContext", "run_checks", "rule_codes", "WARNING", "ERROR"]
