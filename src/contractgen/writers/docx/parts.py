"""The small parts around the body: settings, header, footer, section and properties."""

from __future__ import annotations

from dataclasses import dataclass

import datetime as dt

from ...model import Document, Paragraph, plain_text
from ...numbering import get_scheme
from .fields import numpages_field, page_field
from .xml import DOC_NS, XML_DECL, run, tab_run, text


SETTINGS = (
    f'{XML_DECL}<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    # No w:updateFields: every field carries its right text already, and Word's prompt to
    # update fields on opening reads as suspicious to a counterparty.
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>")

EMPTY_HEADER = f'{XML_DECL}<w:hdr {DOC_NS}><w:p><w:pPr><w:pStyle w:val="Header"/><w:pBdr><w:bottom w:val="nil"/></w:pBdr></w:pPr></w:p></w:hdr>'
EMPTY_FOOTER = f'{XML_DECL}<w:ftr {DOC_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p></w:ftr>'

# A4 portrait, margins of Chinese Word's default (2.54 cm top/bottom, 3.17 cm sides).
PAGE_SETUP = ('<w:pgSz w:w="11906" w:h="16838"/>'
              '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" '
              'w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/>')


def header_xml(title: str, number_line: str) -> str:
    """The running header: the title, then at the right edge the contract number as the
    cover words it ("Agreement No. MSA-2024-017", "合同编号：HZCS-2024-001")."""
    return (f'{XML_DECL}<w:hdr {DOC_NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
            f"{run(title)}{tab_run()}{run(number_line)}</w:p></w:hdr>")


def number_line(doc: Document) -> str:
    """How the template words the contract number: the cover's line that shows it, else the
    scheme's label before it ("" without a number)."""
    number = str(doc.meta.get("contract_no", ""))
    if not number:
        return ""
    for part in doc.parts[:1] if doc.parts and doc.parts[0].kind == "cover" else []:
        for block in part.blocks:
            text = plain_text(block.text).strip() if isinstance(block, Paragraph) else ""
            if number in text and len(text) <= len(number) + 40:
                return text
    return get_scheme(doc.lang).contract_no_label + number


def footer_xml(lang: str) -> str:
    before, middle, after = get_scheme(lang).page_labels  # the wording is the scheme's
    return (f'{XML_DECL}<w:ftr {DOC_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
            f"{run(before)}{page_field()}{run(middle)}{numpages_field()}{run(after)}</w:p></w:ftr>")


@dataclass(frozen=True, slots=True)
class Section:
    """Header/footer relationship ids by type ("default", "first") and the page setup."""

    headers: tuple[tuple[str, str], ...]
    footers: tuple[tuple[str, str], ...]
    page_setup: str = PAGE_SETUP
    title_page: bool = True

    def xml(self) -> str:
        refs = "".join(f'<w:headerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in self.headers)
        refs += "".join(f'<w:footerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in self.footers)
        title_pg = "<w:titlePg/>" if self.title_page else ""
        return f'<w:sectPr>{refs}{self.page_setup}{title_pg}<w:docGrid w:linePitch="312"/></w:sectPr>'


def document_xml(body: str, section: Section) -> str:
    return f"{XML_DECL}<w:document {DOC_NS}><w:body>{body}{section.xml()}</w:body></w:document>"


# data fields whose date a contract is dated by, in order of preference
DATE_FIELDS = ("sign_date", "signing_date", "date", "effective_date", "start_date")
FIXED_STAMP = "1980-01-01T00:00:00Z"  # the zip entries' date, when the data has none


def document_date(meta: dict) -> str:
    """The core properties' created/modified stamp: the contract's date from its data, so
    the same data gives the same bytes; a fixed date when the data has none."""
    data = meta.get("data") or {}
    for name in DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, dt.date):
            return f"{value:%Y-%m-%d}T00:00:00Z"
    return FIXED_STAMP


def core_xml(meta: dict, title: str, lang: str) -> str:
    """Core properties: title, contract number, template name and version; the contract's date."""
    template = str(meta.get("template", ""))
    version = str(meta.get("template_version", ""))
    number = str(meta.get("contract_no", ""))
    stamp = document_date(meta)
    fields = [
        f"<dc:title>{text(title)}</dc:title>",
        f"<dc:subject>{text(number)}</dc:subject>",
        "<dc:creator>contractgen</dc:creator>",
        f"<cp:keywords>{text(' '.join(x for x in (template, version) if x))}</cp:keywords>",
        f"<dc:description>{text(f'template {template} {version}'.strip())}</dc:description>",
        f"<dc:identifier>{text(number)}</dc:identifier>",
        f"<dc:language>{get_scheme(lang).language_tag}</dc:language>",
        f"<cp:category>{text(template)}</cp:category>",
        f"<cp:version>{text(version)}</cp:version>",
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>',
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>',
    ]
    return (f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'{"".join(fields)}</cp:coreProperties>')


def app_xml(meta: dict) -> str:
    template = text(str(meta.get("template", "")))
    return (f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Template>{template}</Template><Application>contractgen</Application></Properties>")
