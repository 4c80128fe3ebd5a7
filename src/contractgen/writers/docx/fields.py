"""Complex fields (REF, PAGEREF, TOC, PAGE, NUMPAGES), bookmarks and hyperlinks.

A complex field is ``begin`` / instruction / ``separate`` / cached result / ``end``.
The cached result is the text our own formatter computed, so a reader that never
updates fields (LibreOffice's import, WPS, a text extractor) still reads the right
number; the document does not ask Word to update fields on opening (no
``w:updateFields``), and a Word user's update recomputes the same text from the live
numbering.
"""

from __future__ import annotations

from .xml import run, text


def field_runs(instruction: str, cached: str, rpr: str = "") -> str:
    """A complex field whose result is a single text run (``cached`` may be empty)."""
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> {text(instruction)} </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(cached, rpr)}"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def ref_field(bookmark: str, cached: str, rpr: str = "", own: bool = False, digits: bool = False) -> str:
    """``REF _Ref… \\r \\h``: the paragraph number of the bookmarked heading, as a link.
    ``own``: the number of its own level only, without a trailing period (``\\n``: "(a)",
    "3" of "3."); ``digits``: without the words of its level (``\\t``: "4" of "Clause 4")."""
    switches = ("\\n" if own else "\\r") + (" \\t" if digits else "") + " \\h"
    return field_runs(f"REF {bookmark} {switches}", cached, rpr)


def pageref_field(bookmark: str, cached: str, rpr: str = "") -> str:
    return field_runs(f"PAGEREF {bookmark} \\h", cached, rpr)


def page_field(rpr: str = "") -> str:
    return field_runs("PAGE", "1", rpr)


def numpages_field(rpr: str = "") -> str:
    return field_runs("NUMPAGES", "1", rpr)


def toc_begin(levels: int, page_numbers: bool = True, scope: str | None = None) -> str:
    """The opening half of a TOC field; the entries follow as its cached result. Without
    ``page_numbers`` the field has the ``\\n`` switch: entries without a page-number column,
    so a TOC nobody has updated shows no empty or stale numbers (Word's update keeps it so).
    ``scope``: a bookmark the field lists only the headings of (``\\b``: one text of a
    bilingual contract set out one after the other)."""
    instruction = f'TOC \\o "1-{levels}" \\h \\z \\u' + ("" if page_numbers else " \\n")
    if scope:
        instruction += f" \\b {scope}"
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {text(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


TOC_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def hyperlink(anchor: str, content: str) -> str:
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{content}</w:hyperlink>'


class Bookmarks:
    """Writes the bookmarks the ids pass named (``ref_bookmark``, ``toc_bookmark`` on a
    part or clause), numbering their ``w:id`` in the order they are written.

    A heading that is both referenced and listed in the TOC gets one ``_Ref`` and one
    ``_Toc`` bookmark.
    """

    def __init__(self) -> None:
        self._next_id = 0

    @staticmethod
    def ref(target: object) -> str | None:
        return getattr(target, "ref_bookmark", "") or None

    @staticmethod
    def toc(target: object) -> str | None:
        return getattr(target, "toc_bookmark", "") or None

    @property
    def written(self) -> int:
        """How many bookmarks have been written (the last ``w:id``)."""
        return self._next_id

    def skip(self, count: int) -> None:
        """Count bookmarks written elsewhere (a block's XML reused from the previous row)."""
        self._next_id += count

    def start(self, name: str) -> tuple[str, int]:
        """A bookmark around a range of paragraphs: its start (at body level) and its id."""
        self._next_id += 1
        return f'<w:bookmarkStart w:id="{self._next_id}" w:name="{name}"/>', self._next_id

    def wrap(self, target: object, content: str) -> str:
        """Put the target's bookmarks (if any) around a paragraph's content."""
        names = [n for n in (self.ref(target), self.toc(target)) if n]
        starts, ends = [], []
        for name in names:
            self._next_id += 1
            starts.append(f'<w:bookmarkStart w:id="{self._next_id}" w:name="{name}"/>')
            ends.append(f'<w:bookmarkEnd w:id="{self._next_id}"/>')
        return "".join(starts) + content + "".join(reversed(ends))
