"""The text checks on a built contract's Word parts, as rendered: what ``check`` of the
merged DOCX would find in them (a ``[●]``, a ``____年__月__日`` blank, an amount whose words
and figures differ, an impossible date) is found by ``build`` and ``batch`` too.

The parts' text (text.py, where the Markdown gets it) is checked on its own, by the rules of
the families that read a line of text by itself — not the structure rules, which a cover's
text beside the body would only confuse. Each finding names the part's file.
"""

from __future__ import annotations

import dataclasses

from ..diagnostics import Finding
from ..model import Document, Paragraph, Part, Table

# the rule families whose findings a part's own text can have on its own
TEXT_FAMILIES = ("placeholders", "leftovers", "amounts", "numbers", "dates")


def word_part_findings(doc: Document, policy, spec=None) -> list[Finding]:
    """The findings ``policy``'s text rules give the document's Word parts ([] for none).
    ``spec``, the template's when the caller has it, says at once that there are none
    (the template's files are not read again)."""
    if spec is not None and not spec.word_parts and not spec.skeleton:
        return []
    from .loader import word_set_for

    word_set = word_set_for(doc)
    rules = [r for r in policy.rules if r.family in TEXT_FAMILIES]
    if word_set is None or not rules:
        return []
    from ..checks import finish_findings, rule_findings
    from .assembly import placed
    files = {str(p.template.path) for p in word_set.parts}
    if word_set.skeleton is not None:
        files.add(str(word_set.skeleton.path))
    parts = [_placed(p) for p in placed(doc).parts if p.pos is not None and p.pos.path in files]
    if not parts:
        return []
    alone = Document(title="", lang=doc.lang, parts=parts, meta=doc.meta, source=doc.source)
    return finish_findings(rule_findings(alone, policy.lang, rules))


def _placed(part: Part) -> Part:
    """The part with each block at its place in the rendered text ("cover.docx: rendered
    text, paragraph 2"), for the findings."""
    from .where import WordPos  # here: a contract without Word parts never needs it

    blocks, counts = [], {"paragraph": 0, "table": 0}
    for block in part.blocks:
        kind = "table" if isinstance(block, Table) else "paragraph"
        counts[kind] += 1
        pos = WordPos(part.pos.path, counts["paragraph"] + counts["table"], f"rendered text, {kind} {counts[kind]}")
        if isinstance(block, Table):
            rows = [WordPos(pos.path, pos.line, f"{pos.where} row {i}") for i in range(1, len(block.rows) + 1)]
            blocks.append(dataclasses.replace(block, pos=pos, row_pos=rows))
        elif isinstance(block, Paragraph):
            blocks.append(dataclasses.replace(block, pos=pos))
        else:
            blocks.append(block)
    return dataclasses.replace(part, blocks=blocks)


__all__ = ["TEXT_FAMILIES", "word_part_findings"]
