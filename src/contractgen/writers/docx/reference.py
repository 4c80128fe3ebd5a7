"""A firm's own DOCX as a reference: its styles, page setup, header and footer.

Like pandoc's ``--reference-doc``: the reference's styles win; any style the writer
needs that the reference lacks is added from our defaults. The reference's own list
numbering is dropped from its styles and the styles that number our clauses get ours.
The file is read once, when the writer is created, and its parts are reused for every
document.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ...diagnostics import UserError
from ...wordml import W_NS, R, W
from .parts import PAGE_SETUP, Section
from .styles import _STYLE_ID, Fonts, StyleNumbering, numpr_xml, style_ids

PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SETUP_TAGS = ("pgSz", "pgMar", "cols")
# w:pPr children that come before w:numPr in the schema (CT_PPrBase)
BEFORE_NUMPR = frozenset({"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"})


@dataclass(eq=False)
class ReferenceDocx:
    files: dict[str, bytes]
    styles_root: bytes
    page_setup: str = PAGE_SETUP
    title_page: bool = False
    # (kind "header"/"footer", type "default"/"first"/"even", part name in the reference)
    header_footer: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "ReferenceDocx":
        try:
            with zipfile.ZipFile(path) as archive:
                files = {name: archive.read(name) for name in archive.namelist()}
            document = etree.fromstring(files["word/document.xml"])
            styles = etree.fromstring(files["word/styles.xml"])
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as err:
            raise UserError(f"{path}: not a usable reference DOCX ({err})") from err
        for numpr in styles.iter(f"{W}numPr"):  # its list ids mean nothing in our numbering.xml
            numpr.getparent().remove(numpr)
        ref = cls(files, etree.tostring(styles))
        ref._read_section(document)
        return ref

    def _read_section(self, document) -> None:
        sect = document.find(f"{W}body/{W}sectPr")
        if sect is None:
            return
        rels = _relationship_targets(self.files.get("word/_rels/document.xml.rels", b""))
        setup = [_as_w(sect.find(f"{W}{tag}")) for tag in SETUP_TAGS if sect.find(f"{W}{tag}") is not None]
        if setup:
            self.page_setup = "".join(setup)
        self.title_page = sect.find(f"{W}titlePg") is not None
        for kind in ("header", "footer"):
            for ref in sect.findall(f"{W}{kind}Reference"):
                target = rels.get(ref.get(f"{R}id"))
                if target and f"word/{target}" in self.files:
                    self.header_footer.append((kind, ref.get(f"{W}type"), f"word/{target}"))

    def styles(self, fonts: Fonts, lang: str, numbering: StyleNumbering = (), extra: str = "") -> str:
        return _merged_styles(self.styles_root, fonts, lang, numbering, extra)

    def add_parts(self, parts: dict, rels: list) -> Section:
        """Copy header/footer parts (with their media) and the theme into ``parts``."""
        headers, footers = [], []
        for index, (kind, kind_type, name) in enumerate(self.header_footer, start=1):
            new_name = f"{kind}{index}.xml"
            rid = f"rIdRef{index}"
            parts[f"word/{new_name}"] = self.files[name]
            self._copy_part_rels(name, new_name, parts)
            rels.append((rid, kind, new_name))
            (headers if kind == "header" else footers).append((kind_type, rid))
        if "word/theme/theme1.xml" in self.files:
            parts["word/theme/theme1.xml"] = self.files["word/theme/theme1.xml"]
        return Section(tuple(headers), tuple(footers), self.page_setup, self.title_page)

    def _copy_part_rels(self, name: str, new_name: str, parts: dict) -> None:
        rels_name = posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels")
        if rels_name not in self.files:
            return
        parts[f"word/_rels/{new_name}.rels"] = self.files[rels_name]
        for target in _relationship_targets(self.files[rels_name]).values():
            source = posixpath.normpath(posixpath.join("word", target))
            if source in self.files:
                parts[source] = self.files[source]


def _relationship_targets(data: bytes) -> dict[str, str]:
    if not data:
        return {}
    root = etree.fromstring(data)
    return {rel.get("Id"): rel.get("Target") for rel in root.iter(f"{PKG_RELS}Relationship")
            if rel.get("TargetMode") != "External"}


def _as_w(element) -> str:
    """Serialize a w: element with the ``w:`` prefix and no namespace declarations
    (lxml would repeat every declaration the reference's root carries)."""
    attrs = "".join(f' w:{etree.QName(k).localname}="{v}"' for k, v in element.attrib.items()
                    if k.startswith(W))
    name = etree.QName(element).localname
    children = "".join(_as_w(c) for c in element if isinstance(c.tag, str) and c.tag.startswith(W))
    return f"<w:{name}{attrs}>{children}</w:{name}>" if children else f"<w:{name}{attrs}/>"


def _element(xml: str):
    return etree.fromstring(f'<w:styles xmlns:w="{W_NS}">{xml}</w:styles>')[0]


def _attach_numbering(style, num_id: int, ilvl: int) -> None:
    """Give a style our list: its ``w:numPr`` in schema order inside its ``w:pPr``."""
    ppr = style.find(f"{W}pPr")
    if ppr is None:
        ppr = etree.SubElement(style, f"{W}pPr")
        later = [c for c in style if etree.QName(c).localname in ("rPr", "tblPr", "trPr", "tcPr", "tblStylePr")]
        if later:
            later[0].addprevious(ppr)
    numpr = _element(f"<w:pPr>{numpr_xml(num_id, ilvl)}</w:pPr>")[0]
    after = [c for c in ppr if not isinstance(c.tag, str) or etree.QName(c).localname not in BEFORE_NUMPR]
    if after:
        after[0].addprevious(numpr)
    else:
        ppr.append(numpr)


@lru_cache(maxsize=16)
def _merged_styles(styles_root: bytes, fonts: Fonts, lang: str, numbering: StyleNumbering, extra: str = "") -> str:
    root = etree.fromstring(styles_root)
    styles = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
    more = [(_STYLE_ID.search(x).group(1), x) for x in re.findall(r"<w:style .*?</w:style>", extra)]
    for style_id, xml in [*style_ids(fonts, lang), *more]:
        if style_id not in styles:
            styles[style_id] = _element(xml)
            root.append(styles[style_id])
    for style_id, num_id, ilvl in numbering:
        _attach_numbering(styles[style_id], num_id, ilvl)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode()
