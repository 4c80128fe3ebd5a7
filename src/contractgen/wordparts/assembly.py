"""A built document with its Word parts in place: as text for Markdown and HTML
(:func:`placed`), merged into the DOCX package (:func:`docx_parts`).

A Word part is rendered when the document is written, from the document's own data
(``doc.meta["data"]``), so every route that builds a document — ``build``, a batch row
filled from its clause set's cached structure, ``preview`` — writes the same parts. The
last few renders are kept, so the Markdown, HTML and DOCX of one contract render each
part once.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict

from lxml import etree
from markupsafe import Markup

from ..model import Document, Paragraph, Part, SourcePos
from ..spec import lookup
from .loader import LoadedPart, WordSet, word_set_for
from .merge import Guest, Host, body_xml, break_first, content_xml, drop_sections
from .ooxml import W
from .template import TOKEN, RenderedPart, WordTemplate
from .text import blocks, filled, paragraph_text

_MARK = "\ue100{}\ue101"  # a marker paragraph's text: private-use characters around an index
BODY_MARK = _MARK.format("body")
_RENDERS: OrderedDict = OrderedDict()
_RENDERS_KEPT = 8
_TOKENS: OrderedDict = OrderedDict()  # (template, data) -> tokenized XML and values
_READ: OrderedDict = OrderedDict()  # (template, tokenized XML) -> its blocks
_MERGED: OrderedDict = OrderedDict()  # (template, tokenized XML, our package so far) -> content, Delta
_KEPT = 128
_LOCK = threading.Lock()


def _context(data: dict, skeleton: bool) -> dict:
    if not skeleton:
        return data
    marker = Markup(f"<w:p><w:r><w:t>{BODY_MARK}</w:t></w:r></w:p>")
    return {**data, "body": marker}


def render(template: WordTemplate, data: dict, skeleton: bool = False) -> RenderedPart:
    """The part rendered for ``data``, from the last few renders when it was just rendered."""
    key = (id(template), repr(data))
    with _LOCK:
        hit = _RENDERS.get(key)
    if hit is not None:
        return hit
    rendered = template.render(_context(data, skeleton))
    with _LOCK:
        _RENDERS[key] = rendered
        while len(_RENDERS) > _RENDERS_KEPT:
            _RENDERS.popitem(last=False)
    return rendered


def _included(doc: Document, word_set: WordSet) -> list[LoadedPart]:
    data = doc.meta.get("data") or {}
    return [p for p in word_set.parts if not p.spec.when or lookup(data, p.spec.when)]


def _arranged(doc: Document, word_set: WordSet, make) -> list[Part]:
    """The document's parts with each Word part after the generated parts that precede it
    in contract.yaml (``make`` turns a Word part into a model part)."""
    index = {p.id: i for i, p in enumerate(word_set.spec.parts)}
    pending = _included(doc, word_set)
    out: list[Part] = []
    for part in doc.parts:
        at = index.get(part.id)
        while pending and at is not None and pending[0].spec.position <= at:
            out.append(make(pending.pop(0)))
        out.append(part)
    return out + [make(p) for p in pending]


def _part(doc: Document, part_id: str, path: str, content: list) -> Part:
    scheme = doc.parts[0].scheme if doc.parts else doc.lang
    return Part(kind="cover", id=part_id, scheme=scheme, blocks=content, pos=SourcePos(path, 1), anchor=part_id)


def placed(doc: Document) -> Document:
    """The document with its Word parts' text as parts of its own, where contract.yaml puts
    them (the document itself when its template has none)."""
    word_set = word_set_for(doc)
    if word_set is None:
        return doc
    data = doc.meta.get("data") or {}

    def make(loaded: LoadedPart) -> Part:
        return _part(doc, loaded.spec.id, str(loaded.template.path), _text(loaded.template, data))

    parts = _arranged(doc, word_set, make)
    if word_set.skeleton is not None:
        before, after, _ = _split(render(word_set.skeleton, data, skeleton=True).body)
        path = str(word_set.skeleton.path)
        parts = [_part(doc, "skeleton-before", path, _blocks_of(before))] * bool(before) + parts
        parts += [_part(doc, "skeleton-after", path, _blocks_of(after))] * bool(after)
    return dataclasses.replace(doc, parts=parts)


def _text(template: WordTemplate, data: dict) -> list:
    """A part's blocks for ``data``: read once for every contract whose part renders to the
    same XML but for its values."""
    rendered = _tokens(template, data)
    if rendered is None:
        return filled(blocks(render(template, data).body), None)
    xml, values = rendered
    read = _cached(_READ, (id(template), xml), lambda: blocks(template.tree(xml)))
    return filled(read, values)


def _tokens(template: WordTemplate, data: dict) -> tuple[str, list[str]] | None:
    """``template.render_tokens(data)``, once for the Markdown, HTML and DOCX of a contract."""
    return _cached(_TOKENS, (id(template), repr(data)), lambda: template.render_tokens(data) or False) or None


def _cached(cache: OrderedDict, key, make):
    with _LOCK:
        hit = cache.get(key)
    if hit is None:
        hit = make()
        with _LOCK:
            cache[key] = hit
            while len(cache) > _KEPT:
                cache.popitem(last=False)
    return hit


def _blocks_of(elements: list) -> list:
    body = etree.Element(W + "body")
    body.extend(copy.deepcopy(e) for e in elements)
    return filled(blocks(body), None)


def _split(body) -> tuple[list, list, object]:
    """A rendered skeleton's content before and after its body marker, and its section."""
    before, after, section, seen = [], [], None, False
    for el in body:
        if el.tag == W + "sectPr":
            section = el
        elif el.tag == W + "p" and paragraph_text(el) == BODY_MARK:
            seen = True
        else:
            (after if seen else before).append(el)
    return before, after, section


def docx_parts(doc: Document, make_parts) -> dict:
    """Our DOCX's parts (``make_parts(doc)``, the writer's) with the Word parts merged in."""
    word_set = word_set_for(doc)
    if word_set is None:
        return make_parts(doc)
    data = doc.meta.get("data") or {}
    markers: list[tuple[str, LoadedPart]] = []

    def make(loaded: LoadedPart) -> Part:
        markers.append((_MARK.format(len(markers)), loaded))
        return _part(doc, loaded.spec.id, str(loaded.template.path), [Paragraph([markers[-1][0]])])

    host = Host(make_parts(dataclasses.replace(doc, parts=_arranged(doc, word_set, make))))
    for marker, loaded in markers:
        host.replace_marker(marker, _merged(host, loaded, marker, data))
    if word_set.skeleton is not None:
        _wrap(host, word_set.skeleton, data)
    return host.finish()


def _merged(host: Host, loaded: LoadedPart, marker: str, data: dict) -> str:
    """The part's content for our document.xml, its styles, lists and media merged into
    ``host``. Contracts whose part renders to the same XML but for its values, into the
    same package so far, merge it once: the next ones repeat what it did and put their
    values in."""
    template, brk = loaded.template, host.breaks_before(marker)
    rendered = _tokens(template, data)
    if rendered is None:
        return _merge(host, loaded, copy.deepcopy(render(template, data).body), brk)
    xml, values = rendered
    key = (id(template), xml, brk, host.state(xml))
    with _LOCK:
        hit = _MERGED.get(key)
    if hit is None:
        mark = host.mark()
        content = _merge(host, loaded, template.tree(xml), brk)
        hit = (content, host.delta(mark, key[-1][-1] is not None))
        with _LOCK:
            _MERGED[key] = hit
            while len(_MERGED) > _KEPT:
                _MERGED.popitem(last=False)
    else:
        host.replay(hit[1])
    return TOKEN.sub(lambda m: _escape(values[int(m[1])]), hit[0])


def _merge(host: Host, loaded: LoadedPart, body, brk: bool) -> str:
    drop_sections(body)
    host.bring(Guest(loaded.template.package, loaded.spec.id, [body]))
    if brk:
        break_first(body)
    return content_xml(body)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _wrap(host: Host, skeleton: WordTemplate, data: dict) -> None:
    rendered = render(skeleton, data, skeleton=True)
    body = copy.deepcopy(rendered.body)
    margins = {name: etree.fromstring(xml) for name, xml in rendered.margins.items()}
    host.bring(Guest(skeleton.package, "skeleton", [body], margins))
    before, after, section = _split(body)
    host.wrap("".join(body_xml(e) for e in before), "".join(body_xml(e) for e in after),
              section)


__all__ = ["BODY_MARK", "docx_parts", "placed", "render"]
