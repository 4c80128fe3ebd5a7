"""Writers turn a numbered, resolved :class:`~contractgen.model.Document` into bytes.

Every writer has the same interface: a ``suffix`` and ``render(doc) -> bytes``. Writers
never number or resolve anything themselves; they print what the passes computed.
"""

from __future__ import annotations

from typing import Protocol

from ..model import Document


class Writer(Protocol):
    suffix: str

    def render(self, doc: Document) -> bytes: ...


def get_writer(fmt: str, **options) -> Writer:
    """The writer for a format name ("md", "docx", "html", "pdf")."""
    if fmt == "md":
        from .markdown import MarkdownWriter

        return MarkdownWriter(**options)
    if fmt == "docx":
        from .docx import DocxWriter

        return DocxWriter(**options)
    if fmt == "html":
        from .html import HtmlWriter

        return HtmlWriter(**options)
    if fmt == "pdf":  # the DOCX, exported by LibreOffice: an error now if it is not installed
        from .pdf import PdfWriter

        return PdfWriter(**options)
    raise ValueError(f"unknown format {fmt!r}")


FORMATS = ("md", "docx", "html", "pdf")
