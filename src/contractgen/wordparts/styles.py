"""A Word part's styles brought into our styles.xml without clashes.

Every style the part's content uses (with the styles it is based on or linked to) is
carried over: under its own id when ours has none of that id, not at all when ours is the
same style, and under a new id ("cover-Normal", named "Normal (cover)") when ours differs —
so neither document's paragraphs change their look. Paragraphs that use the part's default
paragraph style without naming it are given its (new) id, and a copied default style takes
the part's document defaults (fonts, size), which ours would otherwise replace.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .ooxml import PPR_ORDER, RPR_ORDER, STYLE_ORDER, W, child, insert_ordered

_REFS = ("basedOn", "link", "next")
_USES = (W + "pStyle", W + "rStyle", W + "tblStyle")


def _ids(root: etree._Element) -> dict[str, etree._Element]:
    return {s.get(W + "styleId"): s for s in root.findall(W + "style")}


def _default(root: etree._Element, kind: str = "paragraph") -> str | None:
    for s in root.findall(W + "style"):
        if s.get(W + "type") == kind and s.get(W + "default") in ("1", "true", "on"):
            return s.get(W + "styleId")
    return None


def _same(a: etree._Element, b: etree._Element) -> bool:
    return etree.tostring(a, method="c14n") == etree.tostring(b, method="c14n")


def _without_themes(prop: etree._Element) -> etree._Element:
    """A property without theme font references: they would name our theme's fonts, and
    beside an explicit font they would win over it."""
    for attr in [a for a in prop.attrib if a.endswith("Theme") or a.endswith("theme")]:
        del prop.attrib[attr]
    return prop


def used_styles(trees: list[etree._Element]) -> set[str]:
    return {el.get(W + "val") for tree in trees for el in tree.iter(*_USES) if el.get(W + "val")}


class StyleMerge:
    """The id each of the part's styles has in ours, and our styles with the copies added."""

    def __init__(self, host: etree._Element, guest: etree._Element | None, prefix: str):
        self.host, self.guest, self.prefix = host, guest, prefix
        self.mapping: dict[str, str] = {}
        self.copied: list[etree._Element] = []
        self.guest_default = _default(guest) if guest is not None else None
        self.host_default = _default(host)

    def merge(self, used: set[str]) -> None:
        if self.guest is None:
            return
        guest, host = _ids(self.guest), _ids(self.host)
        needed: set[str] = set()
        todo = sorted(used | ({self.guest_default} if self.guest_default else set()))
        while todo:
            sid = todo.pop()
            if sid in needed or sid not in guest:
                continue
            needed.add(sid)
            todo += [el.get(W + "val") for el in (guest[sid].find(W + r) for r in _REFS) if el is not None]
        taken = set(host) | {n.get(W + "val") for s in host.values() for n in s.findall(W + "name")}
        for sid in sorted(needed):
            mine = host.get(sid)
            if mine is not None and _same(mine, guest[sid]):
                self.mapping[sid] = sid
            elif mine is None and sid not in taken:
                self.mapping[sid] = sid
                taken.add(sid)
            else:
                self.mapping[sid] = self._fresh(sid, taken)
        for sid in sorted(needed):
            if self.mapping[sid] != sid or sid not in host:
                self.copied.append(self._copy(guest[sid], needed))

    def _fresh(self, sid: str, taken: set[str]) -> str:
        base = re.sub(r"[^A-Za-z0-9-]", "", f"{self.prefix}-{sid}") or self.prefix
        new, n = base, 1
        while new in taken:
            n += 1
            new = f"{base}{n}"
        taken.add(new)
        return new

    def _copy(self, style: etree._Element, needed: set[str]) -> etree._Element:
        sid = style.get(W + "styleId")
        new = copy.deepcopy(style)
        new.set(W + "styleId", self.mapping[sid])
        new.attrib.pop(W + "default", None)
        name = new.find(W + "name")
        if name is not None and self.mapping[sid] != sid:
            name.set(W + "val", f"{name.get(W + 'val')} ({self.prefix})")
        for ref in _REFS:
            el = new.find(W + ref)
            if el is not None and el.get(W + "val") in self.mapping:
                el.set(W + "val", self.mapping[el.get(W + "val")])
            elif el is not None:
                new.remove(el)
        if sid == self.guest_default:
            self._take_defaults(new)
        return new

    def _take_defaults(self, style: etree._Element) -> None:
        """The part's docDefaults, under what its default style sets itself."""
        for kind, order in (("rPr", RPR_ORDER), ("pPr", PPR_ORDER)):
            defaults = self.guest.find(f"{W}docDefaults/{W}{kind}Default/{W}{kind}")
            if defaults is None or not len(defaults):
                continue
            target = child(style, kind, STYLE_ORDER)
            for prop in defaults:
                if prop.tag == W + "lang":  # the contract's language is ours
                    continue
                mine = target.find(prop.tag)
                if mine is None:
                    insert_ordered(target, _without_themes(copy.deepcopy(prop)), order)
                else:
                    for attr, value in _without_themes(copy.deepcopy(prop)).attrib.items():
                        if mine.get(attr) is None:
                            mine.set(attr, value)

    @property
    def paragraph_default(self) -> str | None:
        """The style id to give the part's paragraphs that name none (None: ours is the same)."""
        if self.guest_default is None:
            return None
        target = self.mapping.get(self.guest_default, self.guest_default)
        return None if target == self.host_default else target

    def add_to_host(self) -> None:
        for style in self.copied:
            self.host.append(style)


def apply_styles(trees: list[etree._Element], mapping: dict[str, str], default: str | None) -> None:
    """Point a part's content at its styles' ids in ours; ``default`` goes to the paragraphs
    that name no style (None: our default style is the part's)."""
    for tree in trees:
        for el in tree.iter(*_USES):
            el.set(W + "val", mapping.get(el.get(W + "val"), el.get(W + "val")))
        if default is None:
            continue
        for p in tree.iter(W + "p"):
            ppr = p.find(W + "pPr")
            if ppr is None:
                ppr = etree.Element(W + "pPr")
                p.insert(0, ppr)
            if ppr.find(W + "pStyle") is None:
                el = etree.Element(W + "pStyle")
                el.set(W + "val", default)
                ppr.insert(0, el)


__all__ = ["StyleMerge", "apply_styles", "used_styles"]
