"""Check rules over the document model: a named, ordered list, shared by ``check`` and ``build``.

Each rule is a small function ``(doc, ctx) -> Iterable[Finding]`` in the module of its
family, declared with its code, severity, family, help and examples by the
:func:`~.base.rule` decorator right above it. :data:`RULES` lists the rules of the modules in
:data:`FAMILY_MODULES`, module by module, each module's rules in the order they are defined;
that order sorts the findings on one line. To add a rule, write and decorate the function in
its family's module (a new family: add its module to the tuple); to run a subset, pass
``rules=``.
"""

from __future__ import annotations

from typing import Sequence

from ..diagnostics import ERROR, WARNING, Finding
from ..model import Document
from . import (amounts, attachments, bilingual, dates, fields, leftovers, numbering, numberwords, parties,
               placeholders, references, sets, terms, toc, usage)
from .base import CheckContext, Rule, rules_in

FAMILY_MODULES = (numbering, toc, references, attachments, sets, placeholders, amounts, parties, numberwords,
                  dates, leftovers, terms, usage, fields, bilingual)

RULES: list[Rule] = [rule for module in FAMILY_MODULES for rule in rules_in(module)]


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
    """Run the rules in order; findings come back sorted by file, line, then rule order.

    A bilingual contract — built here (``doc.texts``), or read from a file and certainly
    two texts (:func:`contractgen.bilingual_texts.language_texts`) — is checked as its
    texts: every rule but the parity rules on each text, in its own language, then the
    parity rules (family ``bilingual``) on the whole."""
    from ..bilingual_texts import language_texts

    rules = RULES if rules is None else rules
    texts = doc.texts or language_texts(doc)
    if not texts:
        return finish_findings(rule_findings(doc, lang, rules))
    own = [r for r in rules if r.family != "bilingual"]
    found = [f for text in texts.values() for f in rule_findings(text, None, own)]
    return finish_findings(found + rule_findings(doc, lang, [r for r in rules if r.family == "bilingual"]))


def rule_findings(doc: Document, lang: str | None, rules: Sequence[Rule]) -> list[Finding]:
    """The findings of ``rules``, in rule order, before :func:`finish_findings`."""
    ctx = CheckContext.for_document(doc, lang)
    findings: list[Finding] = []
    for rule in rules:
        ctx.rule = rule
        findings.extend(rule.func(doc, ctx))
    ctx.rule = None
    return findings


def finish_findings(findings: list[Finding]) -> list[Finding]:
    """Repeats merged, sorted by file, line, then rule order: what :func:`run_checks` returns."""
    findings = _merge_repeats(findings)
    order = {code: i for i, code in enumerate(rule_codes())}
    return sorted(findings, key=lambda f: (f.source.path if f.source else "", f.line or 0,
                                           order.get(f.code, len(order))))


__all__ = ["RULES", "FAMILY_MODULES", "Rule", "CheckContext", "finish_findings", "rule_findings", "run_checks",
           "rule_codes", "WARNING", "ERROR"]
