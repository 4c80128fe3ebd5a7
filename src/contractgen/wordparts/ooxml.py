"""The pieces of a .docx package a Word part brings along: members, relationships, XML.

A part's package is read once (a batch worker renders it for every row): its members as
bytes, the main document's relationships, and parsed styles and numbering.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from ..wordml import R_NS, W, W_NS

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = f"{{{R_NS}}}"
MC = f"{{{MC_NS}}}"
DOCUMENT = "word/document.xml"
MAX_MEMBER = 64 * 1024 * 1024  # a Word part is a page or two; a bigger member is not one

# The namespaces a merged part may keep: those of WordprocessingML's core vocabulary, which
# every reader knows. Word's later extensions (w14, w15, wp14, …) are marked ignorable in
# the file that uses them; copied into our document without that mark they would make Word
# refuse it, so their attributes and elements are left out (they hold ids and effects).
CORE_NAMESPACES = frozenset({
    W_NS, R_NS, REL_NS,
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office",
    "urn:schemas-microsoft-com:office:word",
    "http://www.w3.org/XML/1998/namespace",
})

# w:pPr's and w:rPr's children in schema order: a property added to one goes in its place.
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
             "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
             "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
             "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
             "rPr sectPr pPrChange").split()
RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
             "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()
STYLE_ORDER = ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
               "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
               "tblStylePr").split()


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def insert_ordered(parent: etree._Element, child: etree._Element, order: list[str]) -> etree._Element:
    """Put ``child`` among ``parent``'s children where the schema's ``order`` wants it."""
    rank = order.index(local(child)) if local(child) in order else len(order)
    for index, existing in enumerate(parent):
        if local(existing) in order and order.index(local(existing)) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def child(parent: etree._Element, name: str, order: list[str]) -> etree._Element:
    """``parent``'s ``w:name`` child, made in its place when missing."""
    found = parent.find(W + name)
    return found if found is not None else insert_ordered(parent, etree.Element(W + name), order)


@dataclass(frozen=True, slots=True)
class Rel:
    id: str
    type: str  # the last segment of the type URI: "image", "hyperlink", "header", …
    target: str
    external: bool = False


def read_rels(xml: bytes | None) -> dict[str, Rel]:
    if not xml:
        return {}
    rels = {}
    for el in etree.fromstring(xml):
        rels[el.get("Id")] = Rel(el.get("Id"), el.get("Type", "").rsplit("/", 1)[-1], el.get("Target", ""),
                                 el.get("TargetMode") == "External")
    return rels


@dataclass
class Package:
    """A .docx read into memory: its members by name and the main document's relationships."""

    members: dict[str, bytes]
    rels: dict[str, Rel] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes) -> "Package":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {}
            for info in archive.infolist():
                if info.file_size > MAX_MEMBER:
                    raise ValueError(f"its member {info.filename} is larger than {MAX_MEMBER >> 20} MiB")
                members[info.filename] = archive.read(info)
        if DOCUMENT not in members:
            raise ValueError("it has no word/document.xml (is it a Word document?)")
        return cls(members, read_rels(members.get("word/_rels/document.xml.rels")))

    def target(self, rel: Rel, source: str = DOCUMENT) -> str:
        """The member a relationship of ``source`` points to."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), rel.target))

    def part_rels(self, name: str) -> dict[str, Rel]:
        """The relationships of any member (a header's images)."""
        folder, base = posixpath.split(name)
        return read_rels(self.members.get(f"{folder}/_rels/{base}.rels"))

    @cached_property
    def styles(self) -> etree._Element | None:
        xml = self.members.get("word/styles.xml")
        return etree.fromstring(xml) if xml else None

    @cached_property
    def numbering(self) -> etree._Element | None:
        xml = self.members.get("word/numbering.xml")
        return etree.fromstring(xml) if xml else None


def strip_extensions(tree: etree._Element) -> None:
    """Leave out what is outside the core namespaces: ``mc:AlternateContent`` becomes its
    fallback, other foreign elements and attributes go."""
    for alt in list(tree.iter(MC + "AlternateContent")):
        fallback = alt.find(MC + "Fallback")
        parent = alt.getparent()
        index = parent.index(alt)
        for offset, kid in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, kid)
        parent.remove(alt)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace not in CORE_NAMESPACES:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        for name in [n for n in el.attrib if n.startswith("{") and etree.QName(n).namespace not in CORE_NAMESPACES]:
            del el.attrib[name]


def to_xml(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode")


__all__ = ["DOCUMENT", "OFFICE_REL", "Package", "R", "Rel", "W", "W_NS", "child", "insert_ordered", "local",
           "read_rels", "strip_extensions", "to_xml"]
