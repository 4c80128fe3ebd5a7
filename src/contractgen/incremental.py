"""Build many contracts of one template incrementally: the structure once per clause set.

A batch's rows share their template, and most rows select the same clauses: the same
numbered, resolved document with other values in it. :func:`build_cached` returns what
:func:`contractgen.pipeline.build` returns for the same data — the same document, the same
findings, byte for byte (``tests/test_batch_equals_build.py``) — but runs the passes once
per clause set and fills each row's values into the result (:mod:`contractgen.passes.fill`),
and runs the check rules declared ``reads="structure"`` (checks/base.py) once per set
when what they read holds no value. Every other rule runs on every row.
"""

from __future__ import annotations

import threading
from dataclasses import replace as dc_replace

from .checks.base import OUTLINE_FIXED
from .checks.selection import CheckPolicy
from .diagnostics import Finding, InputErrors
from .model import Document
from .passes import PASSES, Context, PassList, run_passes
from .passes.assemble import _meta
from .passes.fill import assemble_tokenized, outline_is_data_free, render_key
from .passes.fill import holds_value as _holds_value
from .pipeline import Built, Template, build
from .wordparts.checking import word_part_findings


class StructureCache:
    """The built structure of each clause set a batch meets, to build its rows incrementally.

    Rows whose fragments render to the same tokenized text (same parts, same ``{% if %}``
    branches, same loop lengths, the same values empty) share one numbered, resolved
    document (:mod:`contractgen.passes.fill`): the passes run once for it and each row only
    fills its values in. Each thread has its own (a row's document is filled in place).
    """

    MAX_ENTRIES = 64  # clause sets kept per thread; a batch that meets more builds the rest in full

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def entries(self) -> dict:
        if not hasattr(self._local, "entries"):
            self._local.entries = {}
        return self._local.entries


_UNCACHEABLE = object()


def build_cached(template: Template, data: dict, cache: StructureCache,
                 policy: CheckPolicy | None = None) -> Built:
    """What :func:`build` returns for this data — the same document, the same findings —
    with the passes run once per clause set (``cache``) instead of once per contract.

    The document is the clause set's own, filled in place: render it before the next call
    on this thread (a batch row does); a caller who keeps documents uses :func:`build`."""
    if template.spec.bilingual:  # each language's text built so, then set out together (bilingual.py)
        from .bilingual import build_bilingual

        return build_bilingual(template, data, policy or CheckPolicy.default(),
                               lambda view, d, own: build_cached(view, d, cache, own))
    keyed = render_key(template, data)
    if keyed is None:
        return build(template, data, policy)
    key, renders, values = keyed
    entries = cache.entries
    entry = entries.get(key)
    if entry is None:
        entry = _structure(template, data, renders, values, policy or CheckPolicy.default())
        if len(entries) < cache.MAX_ENTRIES:
            entries[key] = entry
    if entry is _UNCACHEABLE:
        return build(template, data, policy)
    if isinstance(entry, InputErrors):
        raise InputErrors([dc_replace(f) for f in entry.findings])
    slots, structure_findings, lang = entry
    doc = slots.fill(values)
    doc.meta = _meta(template, data)
    policy = policy or CheckPolicy.default()
    findings, suppressed = _findings(doc, policy, structure_findings if lang == policy.lang else None)
    findings += word_part_findings(doc, policy, template.spec)  # as build does
    return Built(doc, findings, policy, {}, suppressed)


def _structure(template: Template, data: dict, renders: list, values: list[str], policy: CheckPolicy):
    """A cache entry: (the document's slots, the findings of every structure rule or None,
    the language they were checked in), the pass errors (InputErrors), or _UNCACHEABLE."""
    from .checks import RULES, rule_findings
    from .passes.fill import NotCacheable, value_slots

    ctx = Context(template, data)
    try:
        assemble_tokenized(ctx, renders, values)
        run_passes(ctx, _after_assemble())
        slots = value_slots(ctx.doc)
        ctx.doc.fixed_blocks = slots.fixed_blocks()
    except InputErrors as exc:
        return exc
    except NotCacheable:
        return _UNCACHEABLE
    found = None
    if outline_is_data_free(ctx.doc):  # the structure rules' findings hold for every row
        ctx.doc.fixed_memo[OUTLINE_FIXED] = True  # and so does what the checks read of it
        found = rule_findings(ctx.doc, policy.lang, [r for r in RULES if r.reads == "structure"])
        if any(_holds_value(f.message, f.excerpt, f.suggestion) for f in found):
            found = None  # a finding that quotes a value: run them on every row
    return slots, found, policy.lang


def _findings(doc: Document, policy: CheckPolicy, structure: list[Finding] | None) -> tuple[list[Finding], int]:
    """policy.findings_and_suppressed(doc), with the structure rules' findings given."""
    from .checks import RULES, finish_findings, rule_findings
    from .checks.selection import check_suppressions, unsuppressed

    check_suppressions(doc.suppressions, RULES)
    rules = policy.rules
    if structure is None:
        found = rule_findings(doc, policy.lang, rules)
    else:
        chosen = {r.code for r in rules if r.reads == "structure"}
        found = [dc_replace(f) for f in structure if f.code in chosen]
        found += rule_findings(doc, policy.lang, [r for r in rules if r.reads != "structure"])
    found = finish_findings(found)
    kept = unsuppressed(found, doc.suppressions, RULES)
    return kept, len(found) - len(kept)


def _after_assemble() -> PassList:
    passes = PASSES.copy()
    passes.disable("assemble")
    return passes


__all__ = ["StructureCache", "build_cached"]
