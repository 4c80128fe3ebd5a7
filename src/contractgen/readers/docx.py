"""Read a legacy DOCX (Word, WPS, LibreOffice) as the text Word shows.

Each non-empty body paragraph is one line, each table-cell paragraph one more line
(``in_table``), in document order, with Word's automatic list numbers written in front
("第一条 服务内容") and their list level and list on the line; a soft line break inside a
paragraph starts a new line, as on the page. The XML parts are read with lxml directly: python-docx's object model
is much slower and hides numbering, fields and content controls.

A DOCX may come from anyone, so it is read within :data:`contractgen.limits.LIMITS`: the
central directory is sized before the archive is opened, each part is inflated in chunks
and parsed as it inflates (never trusting the sizes the zip declares), elements are counted
and their nesting measured while parsing, no entity is expanded, no DTD or network is read,
and libxml2's own caps stay on (no ``huge_tree``). Whatever goes past a limit, or is
encrypted, compressed in a way OPC does not allow, or otherwise damaged, is a UserError
naming the file.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import UserError
from ..limits import LIMITS, LimitExceeded, Limits, size
from ..model import Document
from ..views import MarginText
from .docxfields import collect_fields
from .docxfonts import EastAsianFonts
from .docxevents import TocRecord
from .docxmargins import margin_texts
from .docxwalk import BodyWalker, Para, line_numbers
from .lines import Line, build_document
from ..wordml import W
from .wordnum import Numbering
from .wordstyles import Styles

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MARGIN_KINDS = ("/header", "/footer")
_OFFICE_DOCUMENT = "/officeDocument"
_CHUNK = 1024 * 1024  # bytes inflated and parsed at a time
_OPC_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # the only ones ECMA-376 Part 2 allows
_EOCD, _EOCD64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
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
    margins: dict[str, etree._Element] = field(default_factory=dict)  # relationship id -> w:hdr / w:ftr


@dataclass(slots=True)
class WalkedDocx:
    """A walked document: every paragraph, the TOCs found, the package it came from, and
    the lines of its headers, footers and text boxes (no body lines)."""

    package: DocxPackage
    paras: list[Para]
    tocs: list[TocRecord]
    margins: list[MarginText] = field(default_factory=list)


def open_docx(path: str | Path) -> DocxPackage:
    """Open and parse a DOCX; a file that is not one, or goes past :data:`LIMITS`, raises
    :class:`UserError`."""
    name, limits = str(path), LIMITS
    try:
        _check_directory(path, limits)
        with zipfile.ZipFile(path) as archive:
            if len(archive.infolist()) > limits.zip_members:
                raise LimitExceeded(f"the archive has {len(archive.infolist()):,} members "
                                    f"(the limit is {limits.zip_members:,})")
            reader = _PartReader(archive, name, limits)
            main = _main_part(reader)
            if main is None:
                raise UserError(f"{name}: not a Word document (no word/document.xml in the archive)")
            parts = _related_parts(reader, main)
            return DocxPackage(
                path=name,
                document=reader.parse(main),
                styles=reader.parse_optional(parts["styles"]),
                numbering=reader.parse_optional(parts["numbering"]),
                comments=reader.parse_optional(parts["comments"]),
                margins=_margin_parts(reader, main),
            )
    except LimitExceeded as exc:
        raise too_large(name, exc) from None
    except NotImplementedError:  # zipfile: a zip version or feature it cannot read
        raise UserError(f"{name}: not a DOCX file Word could open "
                        "(it uses a zip feature no Word document uses)") from None
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a directory, not a DOCX file") from None
    except zipfile.BadZipFile:
        raise UserError(f"{name}: not a DOCX file (not a zip archive; a .doc must be saved as .docx)") from None
    except (zlib.error, EOFError):
        raise UserError(f"{name}: damaged DOCX (a compressed part cannot be read)") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror or exc}") from None


_BODY_PARAGRAPHS = etree.XPath("count(.//w:p[not(ancestor::w:txbxContent)])", namespaces={"w": W[1:-1]})


def _within_paragraph_limit(body: etree._Element) -> None:
    """The walker's paragraph limit, counted in C before a paragraph is walked: a body of
    a million paragraphs is refused at once rather than after walking the first 200,000."""
    if _BODY_PARAGRAPHS(body) > LIMITS.paragraphs:
        raise LimitExceeded(f"the body has more than {LIMITS.paragraphs:,} paragraphs (the limit)")


def walk_docx(path: str | Path) -> WalkedDocx:
    """Read every paragraph of a DOCX's body with its list label and events."""
    package = open_docx(path)
    try:
        styles = Styles(package.styles)
        numbering = Numbering(package.numbering, styles.num_id)
        body = package.document.find(W + "body")
        if body is not None:
            _within_paragraph_limit(body)
        walker = BodyWalker(styles, numbering, EastAsianFonts(package.styles))
        paras = walker.walk(body) if body is not None else []
        walked = WalkedDocx(package, paras, walker.tocs)
        walked.margins = margin_texts(walked, walker, body)
    except LimitExceeded as exc:
        raise too_large(package.path, exc) from None
    return walked


def too_large(name: str, exc: LimitExceeded) -> UserError:
    """The UserError for a file past one of the limits."""
    return UserError(f"{name}: {exc}; is it a real contract?")


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
    try:
        doc.docx = [collect_fields(walked)]
        doc.docx[0].margins = walked.margins
    except LimitExceeded as exc:
        raise too_large(walked.package.path, exc) from None
    return doc


class _PartReader:
    """Reads the parts of one archive within the limits, counting what they use together."""

    def __init__(self, archive: zipfile.ZipFile, name: str, limits: Limits):
        self.archive, self.name, self.limits = archive, name, limits
        self.members = set(archive.namelist())
        self.inflated = 0  # bytes inflated from all parts so far
        self.elements = 0  # elements parsed in all parts so far

    def parse(self, member: str) -> etree._Element:
        try:
            return self.parse_xml(member)
        except etree.XMLSyntaxError as exc:
            _libxml2_limit(member, str(exc), self.limits)
            raise UserError(f"{self.name}: damaged DOCX: {member} is not well-formed XML ({exc})") from None

    def parse_optional(self, member: str) -> etree._Element | None:
        return self.parse(member) if member in self.members else None

    def parse_xml(self, member: str) -> etree._Element:
        """One part parsed as it inflates; XMLSyntaxError when it is not well-formed."""
        limits = self.limits
        parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                     load_dtd=False, huge_tree=False)
        elements = depth = 0
        for chunk in self._inflate(member):
            parser.feed(chunk)
            before = elements
            for event, _ in parser.read_events():
                if event == "end":
                    depth -= 1
                    continue
                elements, depth = elements + 1, depth + 1
                if depth > limits.xml_depth:
                    raise LimitExceeded(f"{member} nests elements more than {limits.xml_depth} deep (the limit)")
                if elements > limits.xml_elements:
                    raise LimitExceeded(f"{member} has more than {limits.xml_elements:,} XML elements "
                                        "(the limit for one part)")
            self._count_elements(elements - before)
        root = parser.close()
        if root.getroottree().docinfo.doctype:
            raise UserError(f"{self.name}: not a DOCX file Word could open ({member} declares a DTD)")
        return root

    def _count_elements(self, count: int) -> None:
        self.elements += count
        if self.elements > self.limits.total_elements:
            raise LimitExceeded(f"its parts have more than {self.limits.total_elements:,} XML elements "
                                "(the limit for all parts)")

    def _inflate(self, member: str):
        """The bytes of one part, a chunk at a time, counted against the size limits."""
        limits = self.limits
        info = self.archive.getinfo(member)
        if info.flag_bits & 0x1:
            raise UserError(f"{self.name}: {member} is encrypted; save the document without a password first")
        if info.compress_type not in _OPC_METHODS:
            raise UserError(f"{self.name}: not a DOCX file Word could open "
                            f"({member} uses zip compression method {info.compress_type})")
        if info.compress_size > limits.part_compressed:
            raise LimitExceeded(f"{member} is {info.compress_size:,} bytes compressed "
                                f"(the limit for one part is {size(limits.part_compressed)})")
        inflated = 0
        with self.archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                inflated += len(chunk)
                self.inflated += len(chunk)
                if inflated > limits.part_inflated:
                    raise LimitExceeded(f"{member} inflates past {size(limits.part_inflated)} (the limit for one part)")
                if self.inflated > limits.total_inflated:
                    raise LimitExceeded(f"its parts inflate past {size(limits.total_inflated)} "
                                        "(the limit for all parts)")
                yield chunk


def _libxml2_limit(member: str, message: str, limits: Limits) -> None:
    """Raise LimitExceeded when libxml2 stopped at one of its own caps (kept on: no huge_tree)."""
    if "Text node too long" in message or "huge text node" in message:
        raise LimitExceeded(f"{member} has a text node over 10,000,000 bytes (libxml2's limit)")
    if "Excessive depth" in message:
        raise LimitExceeded(f"{member} nests elements more than {limits.xml_depth} deep (the limit)")
    if "amplification" in message:
        raise LimitExceeded(f"{member} declares a DTD whose entities expand past libxml2's limit")


def _check_directory(path: str | Path, limits: Limits) -> None:
    """Refuse an archive whose central directory (read whole by zipfile before anything
    else) is larger than ``limits.zip_directory`` or lists more than ``zip_members``."""
    with open(path, "rb") as fp:
        end = fp.seek(0, 2)
        start = max(0, end - 22 - 0xFFFF)  # the end record, with a comment of at most 64 KiB
        fp.seek(start)
        tail = fp.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            return  # not a zip: zipfile says so
        entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
        locator = start + at - 20
        if locator >= 56:  # a ZIP64 end record before the locator overrides these (as zipfile reads it)
            fp.seek(locator - 56)
            record = fp.read(76)
            if record[56:60] == _EOCD64_LOCATOR and record[:4] == b"PK\x06\x06":
                entries, directory = struct.unpack("<QQ", record[32:48])
    if directory > limits.zip_directory or entries > limits.zip_members:
        raise LimitExceeded(f"the archive lists {entries:,} members in {directory:,} bytes "
                            f"(the limits are {limits.zip_members:,} members and {size(limits.zip_directory)})")


def _targets(reader: _PartReader, rels: str, base: str) -> dict[str, str]:
    """Relationship type suffix -> part name, from one ``.rels`` part."""
    if rels not in reader.members:
        return {}
    try:
        root = reader.parse_xml(rels)
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


def _margin_parts(reader: _PartReader, main: str) -> dict[str, etree._Element]:
    """The main document's header and footer parts, parsed, by relationship id."""
    base = posixpath.dirname(main)
    rels = posixpath.join(base, "_rels", posixpath.basename(main) + ".rels")
    if rels not in reader.members:
        return {}
    try:
        root = reader.parse_xml(rels)
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, etree._Element] = {}
    for rel in root.iter(_REL):
        kind, target, rid = rel.get("Type", ""), rel.get("Target", ""), rel.get("Id", "")
        if not kind.endswith(_MARGIN_KINDS) or rel.get("TargetMode") == "External" or not target or not rid:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        if part in reader.members:
            out[rid] = reader.parse(part)
    return out


def _main_part(reader: _PartReader) -> str | None:
    main = _targets(reader, "_rels/.rels", "").get(_OFFICE_DOCUMENT)
    if main in reader.members:
        return main
    return "word/document.xml" if "word/document.xml" in reader.members else None


def _related_parts(reader: _PartReader, main: str) -> dict[str, str]:
    base = posixpath.dirname(main)
    rels = posixpath.join(base, "_rels", posixpath.basename(main) + ".rels")
    found = _targets(reader, rels, base)
    return {key: found.get("/" + key, default) for key, default in _DEFAULT_PARTS.items()}
