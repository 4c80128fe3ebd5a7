"""Review marks in a Word part — tracked changes and comments — refused when it is loaded.

A part's tracked changes are not the text it prints: docxtpl renders the tags of deleted
text too (``w:delText``), and ``check`` reports the merged document's revisions as drafting
leftovers. A part's comments cannot come along: their ranges would point at a comments part
our document does not have. Both are reported at their paragraph, with what to do in Word.
"""

from __future__ import annotations

from lxml import etree

from ..diagnostics import ERROR, Finding
from .ooxml import DOCUMENT, W, Package
from .validate import members, paragraphs
from .where import WordPos

# what Word writes for a tracked change, and what it is in words
TRACKED = {"ins": "an insertion", "del": "a deletion", "moveFrom": "a move", "moveTo": "a move",
           "cellIns": "an inserted cell", "cellDel": "a deleted cell", "cellMerge": "a merged cell",
           "rPrChange": "a formatting change", "pPrChange": "a formatting change",
           "sectPrChange": "a formatting change", "tblPrChange": "a formatting change",
           "trPrChange": "a formatting change", "tcPrChange": "a formatting change",
           "tblGridChange": "a formatting change", "numberingChange": "a numbering change"}
COMMENT_MARKS = ("commentRangeStart", "commentRangeEnd", "commentReference")
_TRACKED_TAGS = {W + name for name in TRACKED}
_COMMENT_TAGS = {W + name for name in COMMENT_MARKS}

TRACKED_FIX = ("accept or reject every change in Word (Review > Accept > Accept All Changes) and save: "
               "a part prints the text it shows without revisions")
COMMENT_FIX = ("delete its comments in Word (Review > Delete > Delete All Comments in Document) and save: "
               "a Word part's comments cannot be carried into the contract")


def review_marks(package: Package, path: str) -> list[Finding]:
    """One finding for the part's tracked changes and one for its comments, at the first
    paragraph that has them (with how many paragraphs do)."""
    tracked: list[tuple[WordPos, str]] = []
    commented: list[WordPos] = []
    for member in members(package):
        if member not in package.members:
            continue
        tree = etree.fromstring(package.members[member])
        body = tree.find(W + "body") if member == DOCUMENT else tree
        places = {p: pos for pos, p, _ in paragraphs(body if body is not None else tree, member, path)}
        for el in tree.iter(*_TRACKED_TAGS, *_COMMENT_TAGS):
            pos = _place(el, places, path)
            if el.tag in _TRACKED_TAGS:
                tracked.append((pos, TRACKED[etree.QName(el).localname]))
            else:
                commented.append(pos)
    if not commented and any(rel.type == "comments" for rel in package.rels.values()):
        commented.append(WordPos(path, 1, ""))
    found = []
    if tracked:
        pos, what = tracked[0]
        found.append(Finding("bad-template", ERROR, f"the Word part has tracked changes ({what}"
                             f"{_more(len({p.where for p, _ in tracked}))})", pos, suggestion=TRACKED_FIX))
    if commented:
        found.append(Finding("bad-template", ERROR, "the Word part has comments"
                             f"{_more(len({p.where for p in commented}))}", commented[0], suggestion=COMMENT_FIX))
    return found


def _place(el: etree._Element, places: dict, path: str) -> WordPos:
    """The paragraph an element is in (a row's first paragraph for a row's mark)."""
    for ancestor in el.iterancestors():
        if ancestor in places:
            return places[ancestor]
        if ancestor.tag in (W + "tr", W + "tbl"):
            first = next((p for p in ancestor.iter(W + "p") if p in places), None)
            if first is not None:
                return places[first]
    return WordPos(path, 1, "")


def _more(places: int) -> str:
    return f", in {places} places" if places > 1 else ""


__all__ = ["COMMENT_MARKS", "TRACKED", "review_marks"]
