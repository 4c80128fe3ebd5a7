"""The DOCX writer: one document model in, a Word file out.

Every part is built as a string from fragments prepared once per writer (styles,
settings, footer, the reference DOCX's parts), so rendering many contracts re-parses
nothing. See :mod:`.numbering` for how 第一条 / 1.1 / 1.1.1 are encoded (one legal-style
list per part, attached through the heading styles) and
:mod:`.fields` for live cross-references and the table of contents.
"""

from __future__ import annotations

from pathlib import Path

from ...model import Document, Toc
from .body import BodyBuilder, collect_bookmarks
from .numbering import plan_numbering
from .parallel import language_styles
from .package import relationships, zip_parts
from .parts import (EMPTY_FOOTER, EMPTY_HEADER, SETTINGS, Section, app_xml, core_xml, document_xml,
                    footer_xml, header_xml, number_line)
from .styles import fonts_for, styles_xml
from .theme import font_table_xml, theme_xml

__all__ = ["DocxWriter"]


class DocxWriter:
    """Writes ``.docx``. ``reference_docx`` lends styles, page setup, header and footer
    (like pandoc's ``--reference-doc``); ``pages`` maps ``_Toc`` bookmarks to page numbers
    for the TOC's cached entries (see :func:`.pages.toc_page_numbers`)."""

    suffix = "docx"

    def __init__(self, reference_docx: Path | str | None = None, **_options):
        self.reference = None
        if reference_docx:  # read with lxml: imported only then (a batch's start-up)
            from .reference import ReferenceDocx

            self.reference = ReferenceDocx.load(Path(reference_docx))
        self._footers: dict[str, str] = {}

    def render(self, doc: Document, pages: dict[str, str] | None = None) -> bytes:
        from ...wordparts import known_without_word_parts

        if known_without_word_parts(doc.source or ""):
            return zip_parts(self.parts(doc, pages))
        from ...wordparts.loader import word_set_for

        if word_set_for(doc) is None:
            return zip_parts(self.parts(doc, pages))
        from ...wordparts.assembly import docx_parts  # the template's Word parts merged in

        return zip_parts(docx_parts(doc, lambda d: self.parts(d, pages)))

    def parts(self, doc: Document, pages: dict[str, str] | None = None) -> dict[str, str | bytes]:
        """Every package part except content types and root rels, by name."""
        plan = plan_numbering(doc)
        marks = collect_bookmarks(doc)
        builder = BodyBuilder(doc, plan, marks, _toc_levels(doc), pages)
        title = doc.meta.get("title") or doc.title
        fonts = fonts_for(doc.meta, doc.lang)
        parts: dict[str, str | bytes] = {
            "word/numbering.xml": plan.xml(),
            "word/settings.xml": SETTINGS,
            "word/fontTable.xml": font_table_xml(fonts),
            "word/theme/theme1.xml": theme_xml(fonts),
            "docProps/core.xml": core_xml(doc.meta, title, doc.lang),
            "docProps/app.xml": app_xml(doc.meta),
        }
        rels = [("rId1", "styles", "styles.xml"), ("rId2", "numbering", "numbering.xml"),
                ("rId3", "settings", "settings.xml"), ("rId8", "fontTable", "fontTable.xml"),
                ("rId9", "theme", "theme/theme1.xml")]
        if self.reference is not None:
            parts["word/styles.xml"] = self.reference.styles(fonts, doc.lang, plan.styles_numbering(),
                                                             language_styles(doc))
            section = self.reference.add_parts(parts, rels)
        else:
            parts["word/styles.xml"] = styles_xml(fonts, doc.lang, plan.styles_numbering(), language_styles(doc))
            section = self._own_header_footer(doc, title, parts, rels)
            if doc.layout == "sequential" and doc.texts:
                section = self._text_sections(doc, section, parts, rels, builder)
        body = builder.build()
        parts["word/_rels/document.xml.rels"] = relationships(rels)
        parts["word/document.xml"] = document_xml(body, section)
        return parts

    def _text_sections(self, doc: Document, first: Section, parts: dict, rels: list,
                       builder: BodyBuilder) -> Section:
        """A bilingual contract set out one text after the other: a section per text, whose
        running header and footer are in its language ("Supply Agreement … Agreement No.",
        "Page 5 of 8"); the first pages keep the empty first-page ones. Returns the last
        section (the body's); the others end their text's last paragraph."""
        sections = {doc.languages[0]: first}
        for index, lang in enumerate(doc.languages[1:], start=3):
            text = doc.texts[lang]
            if lang not in self._footers:
                self._footers[lang] = footer_xml(lang)
            parts[f"word/header{index}.xml"] = header_xml(text.meta.get("title") or text.title, number_line(text))
            parts[f"word/footer{index}.xml"] = self._footers[lang]
            rels += [(f"rIdHeader{index}", "header", f"header{index}.xml"),
                     (f"rIdFooter{index}", "footer", f"footer{index}.xml")]
            sections[lang] = Section(headers=(("default", f"rIdHeader{index}"), ("first", "rId5")),
                                     footers=(("default", f"rIdFooter{index}"), ("first", "rId7")))
        builder.section_ends = {lang: sections[lang].xml() for lang in doc.languages[:-1]}
        return sections[doc.languages[-1]]

    def _own_header_footer(self, doc: Document, title: str, parts: dict, rels: list) -> Section:
        if doc.lang not in self._footers:
            self._footers[doc.lang] = footer_xml(doc.lang)
        parts["word/header1.xml"] = header_xml(title, number_line(doc))
        parts["word/header2.xml"] = EMPTY_HEADER
        parts["word/footer1.xml"] = self._footers[doc.lang]
        parts["word/footer2.xml"] = EMPTY_FOOTER
        rels += [("rId4", "header", "header1.xml"), ("rId5", "header", "header2.xml"),
                 ("rId6", "footer", "footer1.xml"), ("rId7", "footer", "footer2.xml")]
        return Section(headers=(("default", "rId4"), ("first", "rId5")),
                       footers=(("default", "rId6"), ("first", "rId7")))


def _toc_levels(doc: Document) -> int:
    """Outline levels the TOC field collects: parts (1) plus ``toc_levels`` clause levels."""
    def levels() -> int:
        texts = [doc.texts[lang] for lang in doc.languages] if doc.texts else [doc]  # a bilingual contract's TOCs
        found = [e.level for text in texts for _, b in text.blocks() if isinstance(b, Toc) for e in b.entries]
        return max(found, default=int(doc.meta.get("toc_levels", 2)) + 1)
    if doc.fixed_blocks is None:
        return levels()
    memo = doc.fixed_memo  # a batch row: the TOC's entries are its clause set's (their levels never a value)
    if "docx-toc-levels" not in memo:
        memo["docx-toc-levels"] = levels()
    return memo["docx-toc-levels"]
