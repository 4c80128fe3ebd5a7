"""Small helpers for building WordprocessingML as strings.

The writer assembles XML from strings instead of an object tree: every part is
made of precomputed fragments plus escaped text, which is the fast path for many
documents (python-docx's per-paragraph style lookups are the slow one).
"""

from __future__ import annotations

from functools import lru_cache
from ...wordml import R_NS, W_NS, quoteattr

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The namespaces a body part declares: w for content, r for header/footer ids.
DOC_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'


def escape(value: str) -> str:
    """Escape character data (``xml.sax.saxutils.escape``, which imports urllib.request)."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def text(value: str) -> str:
    """Escape character data."""
    return escape(value)


def attr(value: str) -> str:
    """Escape and quote an attribute value."""
    return quoteattr(value)


def run(value: str, rpr: str = "") -> str:
    """One text run; ``rpr`` is a ready ``<w:rPr>`` element or empty."""
    if not value:
        return ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(value)}</w:t></w:r>'


def tab_run(rpr: str = "") -> str:
    return f"<w:r>{rpr}<w:tab/></w:r>"


def paragraph(ppr: str, content: str) -> str:
    return f"<w:p>{ppr}{content}</w:p>"


@lru_cache(maxsize=1024)  # a document repeats a few dozen distinct pPr's thousands of times
def ppr(style: str | None = None, num: tuple[int, int] | None = None, *,
        page_break: bool = False, keep_next: bool = False, jc: str | None = None,
        extra: str = "", mark: str = "") -> str:
    """A ``<w:pPr>`` with its children in schema order (pStyle, keepNext, pageBreakBefore,
    numPr, …, jc, and last the paragraph mark's ``mark``, a ``<w:rPr>``)."""
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if page_break:
        parts.append("<w:pageBreakBefore/>")
    if num is not None:
        num_id, ilvl = num
        parts.append(f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    parts.append(extra)
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    parts.append(mark)
    body = "".join(parts)
    return f"<w:pPr>{body}</w:pPr>" if body else ""
