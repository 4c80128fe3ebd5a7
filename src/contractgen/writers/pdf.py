"""PDF: the DOCX our writer makes, laid out and exported by LibreOffice.

No second layout engine: what a counterparty gets as PDF is the signing DOCX as an office
suite prints it. :class:`PdfWriter` renders the DOCX and hands the bytes to this process's
LibreOffice server (:mod:`contractgen.converters.soffice`: started once, on first use, and
kept, so a batch worker starts one LibreOffice whatever its number of rows).

Creating the writer checks that ``soffice`` is on the PATH, so a command asked for PDF
without LibreOffice fails before any work, naming what to install.

Reproducibility: LibreOffice's export filter has no option for the document's date; it
writes the time of export into the PDF's information dictionary. :func:`stamp_pdf`
replaces it with the contract's date from the DOCX (``docProps/core.xml``, the data's sign
or start date), in place and at the same length, so the file's cross-reference offsets
stay valid (the XMP metadata already carries that date). The bytes are still not
reproducible: a running LibreOffice gives each font it embeds a new ``/UniqueID`` and
the file a new ``/ID``. The text is the same for the same input.
"""

from __future__ import annotations

import io
import zipfile

from ..model import Document
from .. import rx

_CORE_DATE = rx.compile(rb"<dcterms:created[^>]*>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)")
FIXED_DATE = b"19800101000000"  # the DOCX writer's own fallback (1980-01-01, the zip epoch)


class PdfWriter:
    """Writes ``.pdf`` through LibreOffice; ``reference_docx`` as for the DOCX writer."""

    suffix = "pdf"

    def __init__(self, reference_docx=None, **_options):
        from ..converters.soffice import find_soffice

        self.soffice = find_soffice()  # no LibreOffice: the error that says what to install
        self.reference_docx = reference_docx

    def render(self, doc: Document, pages: dict[str, str] | None = None) -> bytes:
        from .docx import DocxWriter

        return self.convert(DocxWriter(reference_docx=self.reference_docx).render(doc, pages))

    def convert(self, docx: bytes) -> bytes:
        """The PDF of DOCX bytes our DOCX writer made (a :class:`UserError` if LibreOffice fails)."""
        from ..converters.soffice import convert_docx

        return stamp_pdf(convert_docx(docx, self.soffice), docx_date(docx))


def docx_date(docx: bytes) -> bytes:
    """``YYYYMMDDHHmmSS`` of the DOCX's creation date, the fixed date when it has none."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            core = package.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError):
        return FIXED_DATE
    found = _CORE_DATE.search(core)
    return b"".join(found.groups()) if found else FIXED_DATE


def stamp_pdf(pdf: bytes, date: bytes) -> bytes:
    """``pdf`` with the information dictionary's creation date set to ``date``
    (``YYYYMMDDHHmmSS``, UTC): the same number of bytes, so nothing else moves."""
    key = b"/CreationDate(D:"
    at = pdf.rfind(key)  # the information dictionary is written after every page and font
    if at < 0 or not pdf[at + len(key):at + len(key) + 14].isdigit() or len(date) != 14:
        return pdf
    at += len(key)
    return pdf[:at] + date + pdf[at + 14:]
