"""What the HTML writer works out before it writes: citation ids, citations, finding places.

Headings keep the anchors the ids pass gave them (:mod:`contractgen.passes.ids`, the same
ids the Markdown writer uses); the ids of the page's own elements — each reference link,
the findings panel and each finding — are claimed after them, so they never take a
heading's name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..diagnostics import Finding
from ..model import AttachmentRegister, Block, Clause, Document, Part, Ref, SourcePos, Toc, inline_lists
from ..passes.ids import IdRegistry, ensure_ids, targets


@dataclass(slots=True)
class Citation:
    """One reference in the text: its own element id and where it stands ("补充协议 第十条")."""

    ref_id: str
    where: str


@dataclass
class PageIndex:
    """Ids and cross-links for one page, keyed by ``id()`` of model objects."""

    ref_ids: dict[int, str] = field(default_factory=dict)       # Ref -> its link's id
    cited_by: dict[int, list[Citation]] = field(default_factory=dict)  # target -> citations
    finding_ids: list[str] = field(default_factory=list)        # finding index -> its mark's id
    panel_id: str = "findings"
    placed: dict[int, list[int]] = field(default_factory=dict)  # element -> finding indexes
    unplaced: set[int] = field(default_factory=set)             # findings with no element


def source_parts(doc: Document) -> list[Part]:
    """The parts whose blocks the page shows: a bilingual contract set out side by side or
    interleaved shows each language's own parts' blocks (in paired units), so its index is
    made over those, language by language; any other document's own parts."""
    if doc.texts and any(part.columns for part in doc.parts):
        return [part for lang in doc.languages for part in doc.texts[lang].parts]
    return doc.parts


def index_page(doc: Document, findings: list[Finding]) -> PageIndex:
    ensure_ids(doc)
    index = PageIndex()
    used = {target.anchor for target, _part in targets(doc)}
    used.update(target.anchor for text in doc.texts.values() for target, _part in targets(text))
    registry = IdRegistry(used)
    _collect_citations(doc, registry, index)
    index.panel_id = registry.claim("findings")
    index.finding_ids = [registry.claim(f"finding-{n}") for n in range(1, len(findings) + 1)]
    index.placed, index.unplaced = place_findings(doc, findings)
    return index


def _collect_citations(doc: Document, registry: IdRegistry, index: PageIndex) -> None:
    n = 0
    for part in source_parts(doc):
        last_number = ""
        for block in part.blocks:
            if isinstance(block, Clause) and block.number_text:
                last_number = block.number_text
            for inlines in inline_lists(block):
                for node in inlines:
                    if not isinstance(node, Ref) or node.target is None:
                        continue
                    n += 1
                    ref_id = registry.claim(f"ref-{n}")
                    index.ref_ids[id(node)] = ref_id
                    where = " ".join(t for t in (part.heading_text or part.title, last_number) if t)
                    for target in node.targets or (node.target,):
                        index.cited_by.setdefault(id(target), []).append(Citation(ref_id, where or doc.title))


def _key(pos: SourcePos | None) -> tuple[str, int] | None:
    if pos is None:
        return None
    return os.path.normcase(os.path.abspath(pos.path)), pos.line


def placeable(doc: Document):
    """Every model object the writer gives an element of its own, with its source position."""
    for part in source_parts(doc):
        yield part, part.pos
        for block in part.blocks:
            yield block, block.pos
            if isinstance(block, (Toc, AttachmentRegister)):
                for entry in block.entries:
                    yield entry, entry.pos


def place_findings(doc: Document, findings: list[Finding]) -> tuple[dict[int, list[int]], set[int]]:
    """Attach each finding to the element written from its file and line.

    Returns ``id(object) -> [finding index]`` and the indexes of findings that match no
    element (the page lists those in the panel only, with their line).
    """
    by_line: dict[tuple[str, int], Part | Block | object] = {}
    for obj, pos in placeable(doc):
        key = _key(pos)
        if key is not None:
            by_line.setdefault(key, obj)
    placed: dict[int, list[int]] = {}
    unplaced: set[int] = set()
    for i, finding in enumerate(findings):
        obj = by_line.get(_key(finding.source)) if finding.source else None
        if obj is None:
            unplaced.add(i)
        else:
            placed.setdefault(id(obj), []).append(i)
    return placed, unplaced
