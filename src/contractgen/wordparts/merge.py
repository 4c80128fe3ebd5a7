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
from .ooxml import OFFICE_REL, PPR_ORDER, R, Package, W, child, insert_ordered, to_xml
from .styles import StyleMerge, apply_styles, used_styles
from .. import rx

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CARRIED = ("image", "hyperlink", "header", "footer")  # the relationships a part may bring along
_ID = rx.compile(r' (?:w:)?id="(\d+)"')
_BOOKMARK_NAME = rx.compile(r'<w:bookmarkStart [^>]*w:name="([^"]+)"')
RELS = "word/_rels/document.xml.rels"
_RELATED = etree.XPath(f".//*[@*[namespace-uri()='{R[1:-1]}']]")  # the elements that name a relationship


@dataclass
class Guest:
    """What one rendered part puts into the host: content trees and where they came from."""

    package: Package
    prefix: str  # the part's id: new style ids, media names
    trees: list[etree._Element]  # elements whose children are the content (a body, headers …)
    margins: dict[str, etree._Element] = field(default_factory=dict)  # header/footer name -> tree


@dataclass(frozen=True)
class Plan:
    """How one part's styles and lists go into ours: our styles and numbering after it, and
    the ids its content is given. The same for every contract of a batch whose parts and
    clause set are the same, so it is made once (``_PLANS``)."""

    styles: bytes
    numbering: bytes
    style_map: dict
    default: str | None  # the style for the part's paragraphs that name none
    num_map: dict

    def apply(self, trees: list[etree._Element]) -> None:
        apply_styles(trees, self.style_map, self.default)
        for tree in trees:
            for el in tree.iter(W + "numId"):
                el.set(W + "val", self.num_map.get(el.get(W + "val"), "0"))


_PLANS: dict[tuple, Plan] = {}
_PLANS_KEPT = 64


class Host:
    """Our package's parts, changed in place as parts are merged into it."""

    def __init__(self, parts: dict[str, str | bytes]):
        self.parts = parts
        self.styles = _bytes(parts["word/styles.xml"])
        self.numbering = _bytes(parts["word/numbering.xml"])
        self.document = str(parts["word/document.xml"])
        self.rels: list[str] = []
        self._next_id: int | None = None  # read from our document when a part has ids to renumber
        self._bookmark_names: set[str] | None = None
        self.replacements: dict[str, str] = {}  # marker -> content, put in place by finish()
        self.rel_count = 0
        self.own_margins = {n for n in parts if re.fullmatch(r"word/(header|footer)\d+\.xml", n)}
        self.headers = len(self.own_margins)
        self.drop_own_margins = False
        self.merged = False

    # -- one part ---------------------------------------------------------------------

    def bring(self, guest: Guest) -> None:
        """Map the part's styles, lists, relationships, bookmarks and drawing ids into ours."""
        trees = guest.trees + list(guest.margins.values())
        key = (self.styles, self.numbering, id(guest.package), guest.prefix, frozenset(used_styles(trees)),
               frozenset(_num_ids(trees)))
        plan = _PLANS.get(key)
        if plan is None:
            plan = self._plan(guest, trees)
            if len(_PLANS) >= _PLANS_KEPT:
                _PLANS.clear()
            _PLANS[key] = plan
        self.styles, self.numbering, self.merged = plan.styles, plan.numbering, True
        plan.apply(trees)
        self._ids(trees)
        for name, tree in guest.margins.items():  # before the body: its section copies them
            self._relationships(guest, tree, name)
        for tree in guest.trees:
            self._relationships(guest, tree, "word/document.xml")

    def _plan(self, guest: Guest, trees: list[etree._Element]) -> Plan:
        styles = etree.fromstring(self.styles)
        merge = StyleMerge(styles, guest.package.styles, guest.prefix)
        merge.merge(used_styles(trees))
        merge.add_to_host()
        numbering = etree.fromstring(self.numbering)
        num_map = _add_lists(numbering, guest.package.numbering, sorted(_num_ids(trees + merge.copied), key=int))
        for style in merge.copied:
            for el in style.iter(W + "numId"):
                el.set(W + "val", num_map.get(el.get(W + "val"), "0"))
        return Plan(_xml(styles), _xml(numbering), dict(merge.mapping), merge.paragraph_default, num_map)

    def _relationships(self, guest: Guest, tree: etree._Element, source: str) -> None:
        rels = guest.package.rels if source == "word/document.xml" else guest.package.part_rels(source)
        mapped: dict[str, str] = {}
        for el in _RELATED(tree):
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

    @property
    def next_id(self) -> int:
        if self._next_id is None:
            self._next_id = max((int(m) for m in _ID.findall(self.document)), default=0) + 1
        return self._next_id

    @next_id.setter
    def next_id(self, value: int) -> None:
        self._next_id = value

    @property
    def bookmark_names(self) -> set[str]:
        if self._bookmark_names is None:
            self._bookmark_names = set(_BOOKMARK_NAME.findall(self.document))
        return self._bookmark_names

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
        """Put ``content`` in place of the paragraph holding ``marker`` (when the document is
        finished; :meth:`breaks_before` tells whether the content should start a page); the
        paragraph after the part starts a page: a Word part has its pages to itself."""
        self.replacements[marker] = content

    def breaks_before(self, marker: str) -> bool:
        """Whether the marker's paragraph starts a page (the part's first paragraph will)."""
        at = self.document.index(marker)
        start = max(self.document.rfind("<w:p>", 0, at), self.document.rfind("<w:p ", 0, at))
        return "<w:pageBreakBefore/>" in self.document[start:at]

    def state(self, xml: str) -> tuple:
        """What merging a part rendered to ``xml`` depends on in our package so far."""
        ids = (self.next_id, frozenset(self.bookmark_names)) if "bookmarkStart" in xml or "docPr" in xml else None
        return self.styles, self.numbering, self.rel_count, self.headers, ids

    def mark(self) -> tuple[int, set[str]]:
        return len(self.rels), set(self.parts)

    def delta(self, mark: tuple[int, set[str]], ids: bool) -> "Delta":
        """What merging a part changed since ``mark``, to do again for the next contract."""
        count, names = mark
        return Delta(self.styles, self.numbering, tuple(self.rels[count:]), self.rel_count, self.headers,
                     {k: v for k, v in self.parts.items() if k not in names},
                     (self._next_id, frozenset(self._bookmark_names or ())) if ids else None)

    def replay(self, delta: "Delta") -> None:
        self.styles, self.numbering, self.merged = delta.styles, delta.numbering, True
        self.rels += delta.rels
        self.rel_count, self.headers = delta.rel_count, delta.headers
        self.parts.update(delta.parts)
        if delta.ids is not None:
            self._next_id, self._bookmark_names = delta.ids[0], set(delta.ids[1])

    def _replaced(self) -> str:
        doc, out, done = self.document, [], 0
        spans = []
        for marker, content in self.replacements.items():
            at = doc.index(marker)
            start = max(doc.rfind("<w:p>", 0, at), doc.rfind("<w:p ", 0, at))
            end = doc.index("</w:p>", at) + len("</w:p>")
            spans.append((start, end, content))
        spans.sort()
        starts = {start for start, _, _ in spans}
        for start, end, content in spans:
            out += [doc[done:start], content]
            done = end
            # what follows starts a page (another part's marker has its own break)
            if end not in starts and doc.startswith("<w:p", end) and doc[end + 4] in "> ":
                close = doc.index("</w:p>", end) + len("</w:p>")
                out.append(_break_first(doc[end:close]))
                done = close
        return "".join(out) + doc[done:]

    def wrap(self, before: str, after: str, section: etree._Element | None) -> None:
        """A skeleton's content around our body; its section (headers, page setup) for ours."""
        self.document, self.replacements = self._replaced(), {}
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
        self.parts["word/document.xml"] = self._replaced() if self.replacements else self.document
        if self.merged:
            self.parts["word/styles.xml"] = self.styles
            self.parts["word/numbering.xml"] = self.numbering
        rels = str(self.parts[RELS])
        for name in self.own_margins if self.drop_own_margins else ():
            target = re.escape(name.split("/", 1)[1])
            rels = re.sub(f'<Relationship Id="[^"]+" Type="[^"]+" Target="{target}"/>', "", rels)
        if self.rels:
            rels = rels.replace("</Relationships>", "".join(self.rels) + "</Relationships>")
        self.parts[RELS] = rels
        return self.parts


def _num_ids(trees: list[etree._Element]) -> set[str]:
    return {el.get(W + "val") for t in trees for el in t.iter(W + "numId")} - {"0", None}


def _add_lists(host: etree._Element, source: etree._Element | None, used: list[str]) -> dict[str, str]:
    """The part's lists that ``used`` names, added to our numbering under new ids: old numId
    -> new numId (abstractNumIds follow)."""
    if not used or source is None:
        return {}
    nums = {n.get(W + "numId"): n for n in source.findall(W + "num")}
    abstracts = {a.get(W + "abstractNumId"): a for a in source.findall(W + "abstractNum")}
    next_num = max((int(n.get(W + "numId")) for n in host.findall(W + "num")), default=0) + 1
    next_abstract = max((int(a.get(W + "abstractNumId")) for a in host.findall(W + "abstractNum")), default=-1) + 1
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
            _place_abstract(host, _renamed(abstracts[aid], "abstractNumId", abstract_map[aid]))
        new_num = _renamed(num, "numId", str(next_num))
        new_num.find(W + "abstractNumId").set(W + "val", abstract_map.get(aid, aid))
        num_map[old] = str(next_num)
        next_num += 1
        existing = host.findall(W + "num")
        if existing:
            existing[-1].addnext(new_num)
        else:
            host.append(new_num)
    return num_map


def _renamed(el: etree._Element, attr: str, value: str) -> etree._Element:
    """A copy under a new id, without nsid and tmpl (they identify a list in its own file)."""
    new = copy.deepcopy(el)
    new.set(W + attr, value)
    for drop in ("nsid", "tmpl"):
        for kid in new.findall(W + drop):
            new.remove(kid)
    return new


def _place_abstract(host: etree._Element, abstract: etree._Element) -> None:
    """An abstractNum after the last one (they all come before the nums)."""
    last = host.findall(W + "abstractNum")
    if last:
        last[-1].addnext(abstract)
    else:
        host.insert(len(host.findall(W + "numPicBullet")), abstract)


@dataclass(frozen=True)
class Delta:
    """What merging one rendered part did to our package (see :meth:`Host.delta`)."""

    styles: bytes
    numbering: bytes
    rels: tuple[str, ...]
    rel_count: int
    headers: int
    parts: dict
    ids: tuple | None  # (next id, bookmark names) when the part had ids to renumber


def break_first(tree: etree._Element) -> None:
    """The body's first paragraph starts a page (an empty one before a table that comes first)."""
    first = next((el for el in tree if el.tag in (W + "p", W + "tbl")), None)
    if first is None or first.tag != W + "p":
        first = etree.Element(W + "p")
        tree.insert(0, first)
    ppr = first.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        first.insert(0, ppr)
    child(ppr, "pageBreakBefore", PPR_ORDER)


def _break_first(content: str) -> str:
    tree = etree.fromstring(f'<w:body xmlns:w="{W_NS}" xmlns:r="{R[1:-1]}">{content}</w:body>')
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
    """An element for our document.xml, without the w and r declarations the document makes."""
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
