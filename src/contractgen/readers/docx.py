"""Read a legacy DOCX (Word, WPS, LibreOffice) as the text Word shows.

Each non-empty body paragraph is one line, each table-cell paragraph one more line
(``in_table``), in document order, with Word's automatic list numbers written in front
("第一条 服务内容") and their list level and list on the line; a soft line break inside a
paragraph starts a new line, as on the page. The XML parts are read with lxml directly: python-docx's object model
is much slower and hides numbering, fields and content controls.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import UserError
from ..model import Document
from .docxfields import collect_fields
from .docxfonts import EastAsianFonts
from .docxevents import TocRecord
from .docxwalk import BodyWalker, Para, line_numbers
from .lines import Line, build_document
from ..wordml import W
from .wordnum import Numbering
from .wordstyles import Styles

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_DEFAULT_PARTS = {
    "styles": "word/styles.xml",
    "numbering": "word/numbering.xml",
    "comments": "word/comments.xml",
}


@dataclass(slots=True)
class DocxPackage:
    """The parsed parts a reader needs; optional parts are None when absent."""

    path: str
    document: etree._Element
    styles: etree._Element | None
    numbering: etree._Element | None
    comments: etree._Element | None


@dataclass(slots=True)
class WalkedDocx:
    """A walked document: every paragraph, the TOCs found, and the package it came from."""

    package: DocxPackage
    paras: list[Para]
    tocs: list[TocRecord]


def open_docx(path: str | Path) -> DocxPackage:
    """Open and parse a DOCX; a file that is not one raises :class:`UserError`."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            main = _main_part(archive, members)
            if main is None:
                raise UserError(f"{name}: not a Word document (no word/document.xml in the archive)")
            parts = _related_parts(archive, members, main)
            return DocxPackage(
                path=name,
                document=_parse(archive, main, name),
                styles=_parse_optional(archive, parts["styles"], members, name),
                numbering=_parse_optional(archive, parts["numbering"], members, name),
                comments=_parse_optional(archive, parts["comments"], members, name),
            )
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a directory, not a DOCX file") from None
    except zipfile.BadZipFile:
        raise UserError(f"{name}: not a DOCX file (not a zip archive; a .doc must be saved as .docx)") from None
    except zlib.error:
        raise UserError(f"{name}: damaged DOCX (a compressed part cannot be read)") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror or exc}") from None


def walk_docx(path: str | Path) -> WalkedDocx:
    """Read every paragraph of a DOCX's body with its list label and events."""
    package = open_docx(path)
    styles = Styles(package.styles)
    numbering = Numbering(package.numbering, styles.num_id)
    body = package.document.find(W + "body")
    walker = BodyWalker(styles, numbering, EastAsianFonts(package.styles))
    paras = walker.walk(body) if body is not None else []
    return WalkedDocx(package, paras, walker.tocs)


def docx_lines(path: str | Path) -> list[Line]:
    """The lines of a DOCX as Word shows them, automatic numbers included."""
    return paragraph_lines(walk_docx(path).paras)


def paragraph_lines(paras: list[Para]) -> list[Line]:
    """The lines walked paragraphs become: those that show something, numbered from 1."""
    lines: list[Line] = []
    for para, first in zip(paras, line_numbers(paras)):
        if first is None:
            continue
        for k, text in enumerate(para.lines):  # a soft line break starts a line of its own
            item = k == 0 and para.label is not None
            lines.append(Line(
                text=text,
                line=first + k,
                heading_level=para.heading_level,
                auto_number=item,
                in_table=para.in_table,
                list_level=para.list_level if item else None,
                list_id=para.list_id if item else None,
            ))
    return lines


def read_docx(path: str | Path, lang: str = "auto") -> Document:
    """A legacy DOCX as a :class:`Document` for the check passes.

    The package is parsed and walked once; besides the text, ``doc.docx`` holds the file's
    :class:`~contractgen.views.DocxView` (fields, bookmarks and the numbers Word would now
    show for them, TOCs, comments, highlights, tracked changes, fonts) that the
    DOCX-specific check rules read.
    """
    walked = walk_docx(path)
    doc = build_document(paragraph_lines(walked.paras), str(path), lang)
    doc.docx = [collect_fields(walked)]
    return doc


def _parse(archive: zipfile.ZipFile, member: str, name: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(member), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{name}: damaged DOCX: {member} is not well-formed XML ({exc})") from None


def _parse_optional(archive: zipfile.ZipFile, member: str, members: set[str], name: str):
    return _parse(archive, member, name) if member in members else None


def _targets(archive: zipfile.ZipFile, rels: str, members: set[str], base: str) -> dict[str, str]:
    """Relationship type suffix -> part name, from one ``.rels`` part."""
    if rels not in members:
        return {}
    try:
        root = etree.fromstring(archive.read(rels), _PARSER)
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iter(_REL):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out.setdefault(kind[kind.rfind("/"):], part)
    return out


def _main_part(archive: zipfile.ZipFile, members: set[str]) -> str | None:
    main = _targets(archive, "_rels/.rels", members, "").get(_OFFICE_DOCUMENT)
    if main in members:
        return main
    return "word/document.xml" if "word/document.xml" in members else None


def _related_parts(archive: zipfile.ZipFile, members: set[str], main: str) -> dict[str, str]:
    base = posixpath.dirname(main)
    rels = posixpath.join(base, "_rels", posixpath.basename(main) + ".rels")
    found = _targets(archive, rels, members, base)
    return {key: found.get("/" + key, default) for key, default in _DEFAULT_PARTS.items()}
