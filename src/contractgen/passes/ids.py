"""Assign, once, every anchor the writers need: heading ids and DOCX bookmark names.

- ``anchor`` — the id of a part's or clause's heading in Markdown (``{#…}``) and HTML
  (``id``): its label, else ``<part>-<number path>``. Ids must be unique in a page, stable
  across builds and readable, because people bookmark and share them; labels claim their
  names first, so an author's label never loses its name to a derived anchor, and a
  collision — a legacy contract that numbers two clauses alike — gets a ``-2`` suffix.
- ``ref_bookmark`` — ``_Ref…`` on every target a reference or the register cites, the
  bookmark a DOCX ``REF`` field points at; ``toc_bookmark`` — ``_Toc…`` on every target a
  table of contents lists. Word writes ``_Ref`` + 9 random digits; these count from a fixed
  base in document order instead, so the same document always gets the same names.

Generated documents get them from the "ids" pass; documents read from legacy files run no
passes, so writers call :func:`ensure_ids` first.
"""

from __future__ import annotations


from ..model import AttachmentRegister, Clause, Document, Part, Toc
from .context import Context
from .. import rx

REF_PREFIX = "_Ref"
TOC_PREFIX = "_Toc"
_NAME_BASE = 100000000


_NOT_ID = rx.compile(r"[^\w.-]+")


class IdRegistry:
    """Hands out unique ids; the first claimant of a name keeps it."""

    def __init__(self, used: set[str] | None = None) -> None:
        self.used: set[str] = set(used or ())
        self.next: dict[str, int] = {}  # base -> the next suffix to try, so clashes cost O(1)

    def claim(self, wanted: str) -> str:
        # Letters (CJK included), digits, _ . - only: safe in attributes, URLs and Markdown links.
        base = _NOT_ID.sub("-", wanted.strip()).strip("-") or "x"
        name, n = base, self.next.get(base, 1)
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.next[base] = n
        self.used.add(name)
        return name


def assign_ids(ctx: Context) -> None:
    """The "ids" pass."""
    assign_document_ids(ctx.doc)


def ensure_ids(doc: Document) -> None:
    """Assign ids to a document no pass has given them (one read from a legacy file)."""
    if not all(part.anchor for part in doc.parts):
        assign_document_ids(doc)


def assign_document_ids(doc: Document) -> None:
    _assign_anchors(doc)
    _assign_bookmarks(doc)


def targets(doc: Document) -> list[tuple[Part | Clause, Part]]:
    """Every part and clause, in document order, with the part it is in."""
    out: list[tuple[Part | Clause, Part]] = []
    for part in doc.parts:
        out.append((part, part))
        out.extend((clause, part) for clause in part.clauses())
    return out


def wanted_anchor(target: Part | Clause, part: Part) -> str:
    """The id a heading asks for: its label, or ``<part>-<number path>``."""
    if target.label:
        return target.label
    if isinstance(target, Part):
        return target.id
    return f"{part.id}-" + "-".join(map(str, target.number or ()))


def _assign_anchors(doc: Document) -> None:
    registry = IdRegistry()
    everything = targets(doc)
    for labelled in (True, False):
        for target, part in everything:
            if bool(target.label) == labelled:
                target.anchor = registry.claim(wanted_anchor(target, part))


def cited(ref) -> list:
    """Everything a reference's numbers show: its targets, their ancestors whose numbers
    it shows ("1.1" of "Clause 1.1(a)") and an attachment scoping it."""
    shown = [p.target for p in ref.parts if p.target is not None]
    return shown or ([ref.target] if ref.target is not None else [])


def _assign_bookmarks(doc: Document) -> None:
    referenced = {id(t) for r in doc.refs() for t in cited(r)}
    listed: set[int] = set()
    for _, block in doc.blocks():
        if isinstance(block, Toc):
            listed.update(id(e.target) for e in block.entries if e.target is not None)
        elif isinstance(block, AttachmentRegister):
            referenced.update(id(e.target) for e in block.entries if e.target is not None)
    refs = tocs = 0
    for target, _part in targets(doc):
        target.ref_bookmark = target.toc_bookmark = ""
        if id(target) in referenced:
            refs += 1
            target.ref_bookmark = f"{REF_PREFIX}{_NAME_BASE + refs}"
        if id(target) in listed:
            tocs += 1
            target.toc_bookmark = f"{TOC_PREFIX}{_NAME_BASE + tocs}"
