"""Rendered Word parts merged into our generated DOCX, one package out.

Our package (the DOCX writer's parts, by name) is the host: its styles, numbering,
settings, theme and fonts stay as they are, so the contract's headings, lists, bookmarks,
REF fields and TOC are untouched. Each part's content goes where its marker paragraph is,
and brings along what it needs: its styles (styles.py), its lists under new numIds and
abstractNumIds, its images and hyperlinks under new relationship ids, bookmarks and
drawing ids renumbered after ours. A skeleton brings its body around ours and its own
section (page setup, headers, footers) instead of ours.
"""

from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from ..wordml import W_NS
from .ooxml import OFFICE_REL, PPR_ORDER, R, Package, W, child, insert_ordered, strip_extensions, to_xml
from .styles import StyleMerge, used_styles

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CARRIED = ("image", "hyperlink", "header", "footer")  # the relationships a part may bring along
_ID = re.compile(r' (?:w:)?id="(\d+)"')
_BOOKMARK_NAME = re.compile(r'<w:bookmarkStart [^>]*w:name="([^"]+)"')
RELS = "word/_rels/document.xml.rels"


@dataclass
class Guest:
    """What one rendered part puts into the host: content trees and where they came from."""

    package: Package
    prefix: str  # the part's id: new style ids, media names
    trees: list[etree._Element]  # elements whose children are the content (a body, headers …)
    margins: dict[str, etree._Element] = field(default_factory=dict)  # header/footer name -> tree


class Host:
    """Our package's parts, changed in place as parts are merged into it."""

    def __init__(self, parts: dict[str, str | bytes]):
        self.parts = parts
        self.styles = etree.fromstring(_bytes(parts["word/styles.xml"]))
        self.numbering = etree.fromstring(_bytes(parts["word/numbering.xml"]))
        self.document = str(parts["word/document.xml"])
        self.rels: list[str] = []
        self.next_id = max((int(m) for m in _ID.findall(self.document)), default=0) + 1
        self.bookmark_names = set(_BOOKMARK_NAME.findall(self.document))
        self.rel_count = 0
        self.own_margins = {n for n in parts if re.fullmatch(r"word/(header|footer)\d+\.xml", n)}
        self.headers = len(self.own_margins)
        self.drop_own_margins = False

    # -- one part ---------------------------------------------------------------------

    def bring(self, guest: Guest) -> None:
        """Map the part's styles, lists, relationships, bookmarks and drawing ids into ours."""
        trees = guest.trees + list(guest.margins.values())
        for tree in trees:
            strip_extensions(tree)
        merge = StyleMerge(self.styles, guest.package.styles, guest.prefix)
        merge.merge(used_styles(trees))
        merge.apply(trees)
        merge.add_to_host()
        self._numbering(guest, trees + merge.copied)
        for tree in guest.trees:
            self._relationships(guest, tree, "word/document.xml")
        for name, tree in guest.margins.items():
            self._relationships(guest, tree, name)
        self._ids(trees)

    def _numbering(self, guest: Guest, trees: list[etree._Element]) -> None:
        used = sorted({el.get(W + "val") for t in trees for el in t.iter(W + "numId")} - {"0", None}, key=int)
        source = guest.package.numbering
        if not used or source is None:
            return
        nums = {n.get(W + "numId"): n for n in source.findall(W + "num")}
        abstracts = {a.get(W + "abstractNumId"): a for a in source.findall(W + "abstractNum")}
        next_num = max((int(n.get(W + "numId")) for n in self.numbering.findall(W + "num")), default=0) + 1
        next_abstract = max((int(a.get(W + "abstractNumId")) for a in self.numbering.findall(W + "abstractNum")),
                            default=-1) + 1
        num_map: dict[str, str] = {}
        abstract_map: dict[str, str] = {}
        for old in used:
            num = nums.get(old)
            if num is None:
                continue
            aid = num.find(W + "abstractNumId").get(W + "val")
            if aid not in abstract_map and aid in abstracts:
                abstract_map[aid] = str(next_abstract)
                next_abstract += 1
                new_abstract = copy.deepcopy(abstracts[aid])
                new_abstract.set(W + "abstractNumId", abstract_map[aid])
                for drop in ("nsid", "tmpl"):  # identify a list within its own file only
                    for el in new_abstract.findall(W + drop):
                        new_abstract.remove(el)
                last = self.numbering.findall(W + "abstractNum")
                anchor = last[-1] if last else None
                if anchor is not None:
                    anchor.addnext(new_abstract)
                else:
                    self.numbering.insert(len(self.numbering.findall(W + "numPicBullet")), new_abstract)
            new_num = copy.deepcopy(num)
            new_num.set(W + "numId", str(next_num))
            new_num.find(W + "abstractNumId").set(W + "val", abstract_map.get(aid, aid))
            num_map[old] = str(next_num)
            next_num += 1
            nums_now = self.numbering.findall(W + "num")
            (nums_now[-1].addnext(new_num) if nums_now else self.numbering.append(new_num))
        for tree in trees:
            for el in tree.iter(W + "numId"):
                el.set(W + "val", num_map.get(el.get(W + "val"), "0"))

    def _relationships(self, guest: Guest, tree: etree._Element, source: str) -> None:
        rels = guest.package.rels if source == "word/document.xml" else guest.package.part_rels(source)
        mapped: dict[str, str] = {}
        for el in tree.iter():
            for attr in [a for a in el.attrib if a.startswith(R)]:
                old = el.get(attr)
                if old not in mapped:
                    rel = rels.get(old)
                    mapped[old] = self._carry(guest, rel, source) if rel is not None and rel.type in CARRIED else ""
                if mapped[old]:
                    el.set(attr, mapped[old])
                else:
                    del el.attrib[attr]

    def _carry(self, guest: Guest, rel, source: str) -> str:
        self.rel_count += 1
        rid = f"rIdW{self.rel_count}"
        if rel.external:
            self.rels.append(f'<Relationship Id="{rid}" Type="{OFFICE_REL}/{rel.type}" '
                             f'Target="{_attr(rel.target)}" TargetMode="External"/>')
            return rid
        member = guest.package.target(rel, source)
        if rel.type == "image":
            name = f"media/{guest.prefix}-{posixpath.basename(member)}"
            self.parts[f"word/{name}"] = guest.package.members[member]
        else:  # a skeleton's header or footer: copied, already rendered and mapped
            self.headers += 1
            name = f"{rel.type}{self.headers}.xml"
            self.parts[f"word/{name}"] = etree.tostring(guest.margins[member], xml_declaration=True,
                                                        encoding="UTF-8", standalone=True)
        self.rels.append(f'<Relationship Id="{rid}" Type="{OFFICE_REL}/{rel.type}" Target="{name}"/>')
        return rid

    def _ids(self, trees: list[etree._Element]) -> None:
        """Bookmark and drawing ids after ours; a bookmark name we use is renamed."""
        renumbered: dict[str, str] = {}
        for tree in trees:
            for el in tree.iter(W + "bookmarkStart", W + "bookmarkEnd"):
                old = el.get(W + "id")
                if old not in renumbered:
                    renumbered[old] = str(self.next_id)
                    self.next_id += 1
                el.set(W + "id", renumbered[old])
                name = el.get(W + "name")
                if name is not None and name in self.bookmark_names:
                    el.set(W + "name", f"{name}_{self.next_id}")
                if name is not None:
                    self.bookmark_names.add(el.get(W + "name"))
            for el in tree.iter(f"{{{WP_NS}}}docPr"):
                el.set("id", str(self.next_id))
                self.next_id += 1

    # -- the document -----------------------------------------------------------------

    def replace_marker(self, marker: str, content: str) -> None:
        """Put ``content`` in place of the paragraph holding ``marker``; the paragraph's page
        break goes to the content's first paragraph."""
        at = self.document.index(marker)
        start = max(self.document.rfind("<w:p>", 0, at), self.document.rfind("<w:p ", 0, at))
        end = self.document.index("</w:p>", at) + len("</w:p>")
        if "<w:pageBreakBefore/>" in self.document[start:at]:
            content = _break_first(content)
        self.document = self.document[:start] + content + self.document[end:]

    def wrap(self, before: str, after: str, section: etree._Element | None) -> None:
        """A skeleton's content around our body; its section (headers, page setup) for ours."""
        open_at = self.document.index("<w:body>") + len("<w:body>")
        close_at = self.document.rindex("<w:sectPr")
        ours = self.document[open_at:close_at]
        end = self.document.index("</w:body>")
        own = section is not None
        tail = body_xml(section) if own else self.document[close_at:end]
        self.document = self.document[:open_at] + before + ours + after + tail + self.document[end:]
        if own:  # our running header and footer give way to the skeleton's
            for name in self.own_margins:
                self.parts.pop(name, None)
            self.drop_own_margins = True

    def finish(self) -> dict[str, str | bytes]:
        self.parts["word/document.xml"] = self.document
        self.parts["word/styles.xml"] = _xml(self.styles)
        self.parts["word/numbering.xml"] = _xml(self.numbering)
        rels = str(self.parts[RELS])
        for name in self.own_margins if self.drop_own_margins else ():
            target = re.escape(name.split("/", 1)[1])
            rels = re.sub(f'<Relationship Id="[^"]+" Type="[^"]+" Target="{target}"/>', "", rels)
        if self.rels:
            rels = rels.replace("</Relationships>", "".join(self.rels) + "</Relationships>")
        self.parts[RELS] = rels
        return self.parts


def _break_first(content: str) -> str:
    tree = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{content}</w:body>')
    first = tree[0] if len(tree) else None
    if first is None or first.tag != W + "p":
        return f"<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>{content}"
    ppr = first.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        first.insert(0, ppr)
    child(ppr, "pageBreakBefore", PPR_ORDER)
    return "".join(body_xml(el) for el in tree)


def content_xml(tree: etree._Element) -> str:
    """The children of a body as one string, without the body's section properties."""
    return "".join(body_xml(el) for el in tree if el.tag != W + "sectPr")


_OWN_DECLS = (f' xmlns:w="{W_NS}"', f' xmlns:r="{R[1:-1]}"')


def body_xml(el: etree._Element) -> str:
    """An element for our document.xml: no namespace declarations it does not use, and not
    w and r, which the document declares."""
    el = copy.deepcopy(el)
    etree.cleanup_namespaces(el)
    xml = to_xml(el)
    head, rest = xml.split(">", 1) if ">" in xml else (xml, "")
    for decl in _OWN_DECLS:
        head = head.replace(decl, "")
    return f"{head}>{rest}"


def drop_sections(tree: etree._Element) -> None:
    """A part's section breaks go: the document's section is ours."""
    for el in list(tree.iter(W + "sectPr")):
        el.getparent().remove(el)


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


__all__ = ["Guest", "Host", "content_xml", "drop_sections", "insert_ordered"]
