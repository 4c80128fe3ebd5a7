"""Value slots: build a contract's structure once, then fill each row's data into it.

Data values are literal text (:mod:`contractgen.render`): a fragment renders to text with
a token per printed value, the fragment reader parses the structure around the tokens,
and the values go in afterwards. So two rows whose fragments render to the same
*tokenized* text get the same structure. :func:`assemble_tokenized` is the ``assemble``
pass with the tokens left in, numbered through the whole document (a title cited by a
reference in another clause carries its own clause's values); the other passes then run
on that document as they would on a filled one, because none of them decides anything
from a value's text — with two exceptions, which :func:`value_slots` refuses
(:class:`NotCacheable`): the order of English definitions (sorted by their terms) and the
emptiness of a value (an empty title is no heading), which the caller keys on.

:func:`value_slots` then lists every string of the built document that holds a token —
titles, inline text, table cells, signature fields, TOC and register entries, the parts
of references that show titles — and :meth:`Slots.fill` writes one row's values into
them, in place: the same strings ``assemble`` would have made, without running a pass.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import fields, is_dataclass, replace

from ..model import Clause, Document, Paragraph, Part, Ref, RefPart, SourcePos, Table, SignatureBlock, Signatory
from ..readers.fragment import fill_values
from ..render import FragmentError, render_fragment
from ..spec import lookup
from .context import Context
from .. import rx

VALUE_OPEN, GLUE = "\ue000", "\ue002"  # render.VALUE_OPEN; readers.fragment's deferred glue
_TOKEN = rx.compile("\ue000([0-9]+)\ue001")


class NotCacheable(Exception):
    """This document's structure depends on a value's text: build it in full."""


def render_key(template, data: dict) -> tuple[tuple, list[tuple], list[str]] | None:
    """Render every fragment the data selects: (key, renders, values), or None when a
    fragment fails to render (the full build reports it). The key is what the structure
    depends on: the parts included, every fragment's tokenized text and which values are
    empty; ``values`` are the row's values in document order."""
    key: list = []
    renders: list[tuple] = []
    values: list[str] = []
    for index, part_spec in enumerate(template.spec.parts):
        if part_spec.when and not lookup(data, part_spec.when):
            continue
        for clause_id in part_spec.clauses:
            fragment, compiled = template.fragments[clause_id]
            try:
                rendered = _render(compiled, fragment, data)
            except FragmentError:
                return None
            key.append((index, clause_id, rendered.text))
            renders.append((index, clause_id, rendered.text, len(values)))
            values.extend(rendered.values)
    key.append(tuple(not v for v in values))
    return tuple(key), renders, values


# fragment (compiled) -> (the data names it reads, sorted, or None; its renders by their values)
_RENDERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_RENDERS_KEPT = 64  # renders kept per fragment: a value that differs in every row is not kept for long


def _render(compiled, fragment, data: dict):
    """render_fragment(compiled, fragment, data), kept by the values of the data names the
    fragment reads: a fragment's text is a function of them alone (its filters are pure,
    its one global ``range``), and rows repeat most of them (the same supplier, the same
    fees; a fragment that reads nothing renders once)."""
    entry = _RENDERS.get(compiled)
    if entry is None:
        entry = _RENDERS[compiled] = (_read_names(compiled, fragment), {})
    names, kept = entry
    if names is None:
        return render_fragment(compiled, fragment, data)
    try:
        key = tuple(_frozen(data.get(name, _ABSENT)) for name in names)
        rendered = kept.get(key)
    except TypeError:  # a value that cannot be a key
        return render_fragment(compiled, fragment, data)
    if rendered is None:
        rendered = render_fragment(compiled, fragment, data)
        if len(kept) >= _RENDERS_KEPT:
            kept.clear()
        kept[key] = rendered
    return rendered


_ABSENT = object()


def _frozen(value):
    """A key equal for two values only when they render alike: type and text of each scalar
    (Decimal("1.0") and Decimal("1.00") are equal, but print otherwise)."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_frozen(v) for v in value))
    return type(value), value, str(value)


def read_names(template) -> None:
    """Find the data names every fragment of ``template`` reads now, as its first rows
    would: a batch does it before its workers start, so that each does not do it again."""
    for fragment, compiled in template.fragments.values():
        if compiled not in _RENDERS:
            _RENDERS[compiled] = (_read_names(compiled, fragment), {})


def _read_names(compiled, fragment) -> tuple[str, ...] | None:
    """The data names the fragment's template reads, sorted (the environment's globals,
    ``range``, aside), or None when its source cannot be analysed."""
    from jinja2 import meta
    from jinja2.exceptions import TemplateSyntaxError

    from .. import render

    env = compiled.environment
    tree = getattr(compiled, "contractgen_tree", None)  # as render.compile_fragment parsed it
    try:
        if tree is None:
            tree = env.parse(getattr(render, "protect_labels", lambda text: text)(fragment.body))
        names = meta.find_undeclared_variables(tree)
    except TemplateSyntaxError:
        return None
    return tuple(sorted(names - set(env.globals)))


def assemble_tokenized(ctx: Context, renders: list[tuple], values: list[str]) -> None:
    """The ``assemble`` pass over ``renders`` (from :func:`render_key`), values left as
    tokens numbered through the document, the reader's deferred line glue kept. An empty
    value is no token but nothing, as in a filled document (an empty title is no title;
    the key holds which values are empty)."""
    from .assemble import _meta, _read

    tpl, spec = ctx.template, ctx.template.spec
    doc = Document(title=spec.title, lang=spec.lang, meta=_meta(tpl, ctx.data), source=str(spec.path))
    by_part: dict[int, list[tuple]] = {}
    for render in renders:
        by_part.setdefault(render[0], []).append(render)
    for index, part_spec in enumerate(spec.parts):
        if index not in by_part:
            continue
        part = Part(kind=part_spec.kind, id=part_spec.id, title=part_spec.title, scheme=spec.scheme,
                    cite_as=part_spec.cite_as, pos=SourcePos(str(spec.path), part_spec.line))
        if part.kind == "attachment":
            part.label = part.id
        for _, clause_id, text, offset in by_part[index]:
            fragment = tpl.fragments[clause_id][0]
            part.title = part.title or (fragment.title if part.kind == "attachment" else "")
            read = _read(tpl, clause_id, text, fragment)
            part.blocks.extend(_renumbered(read.blocks, _Renumber(offset, values)))
            ctx.findings.extend(read.findings)
            doc.suppressions.extend(read.suppressions)
        doc.parts.append(part)
    ctx.doc = doc


class _Renumber:
    """A fragment's tokens as the document's: index + offset, or "" for an empty value."""

    def __init__(self, offset: int, values: list[str]) -> None:
        self.offset, self.values = offset, values

    def __call__(self, m: re.Match) -> str:
        index = int(m[1]) + self.offset
        return f"\ue000{index}\ue001" if self.values[index] else ""


def _renumber(text: str, renumber: _Renumber) -> str:
    if VALUE_OPEN not in text:
        return text
    return _TOKEN.sub(renumber, text)


def _inlines(inlines: list, offset: _Renumber) -> list:
    return [_renumber(n, offset) if isinstance(n, str) else Ref(n.label, n.pos, with_title=n.with_title)
            for n in inlines]


def _renumbered(blocks: list, offset: _Renumber) -> list:
    """readers.fragment.copy_blocks, with tokens renumbered instead of filled."""
    out = []
    for b in blocks:
        if isinstance(b, Clause):
            new = Clause(b.level, title=_renumber(b.title, offset), text=_inlines(b.text, offset), label=b.label)
        elif isinstance(b, Paragraph):
            new = Paragraph(_inlines(b.text, offset), style=b.style)
        elif isinstance(b, Table):
            new = Table([[_inlines(c, offset) for c in row] for row in b.rows], header=b.header)
        elif isinstance(b, SignatureBlock):
            new = SignatureBlock([Signatory(*(_renumber(v, offset) for v in (p.role, p.name, p.signatory, p.date)))
                                  for p in b.parties])
        else:
            new = type(b)()
        new.pos, new.origin = b.pos, b.origin
        out.append(new)
    return out


def _marked(text: str) -> bool:
    return VALUE_OPEN in text or GLUE in text


# attributes that point elsewhere in the document (walked from there) or hold no text
_SKIP = frozenset({"parent", "target", "targets", "pos", "origin", "meta", "suppressions"})


class Slots:
    """Every value-bearing string of a built document, to fill one row at a time."""

    def __init__(self, doc: Document) -> None:  # or any part of one
        self.doc = doc
        self.attrs: list[tuple[object, str, str]] = []   # (object, attribute, tokenized text)
        self.items: list[tuple[list, int, str]] = []     # (list, index, tokenized text)
        self.refs: list[tuple[Ref, tuple[RefPart, ...]]] = []  # references whose parts hold values
        self._marks: dict[int, bool] = {}  # id of each object walked -> whether a value is in it
        self._walk(doc)

    @property
    def empty(self) -> bool:
        return not (self.attrs or self.items or self.refs)

    def fixed_blocks(self) -> frozenset[int]:
        """The ids of the document's parts and blocks that :meth:`fill` leaves as they are
        (read off the one walk of the document: what holds a value, nested or shared)."""
        marks = self._marks
        blocks = {id(b) for part in self.doc.parts for b in part.blocks if not marks.get(id(b))}
        parts = {id(p) for p in self.doc.parts if not marks.get(id(p))}
        return frozenset(blocks | parts)

    def fill(self, values: list[str]) -> Document:
        for obj, name, text in self.attrs:
            setattr(obj, name, fill_values(text, values))
        for items, index, text in self.items:
            items[index] = fill_values(text, values)
        for ref, parts in self.refs:
            ref.parts = tuple(replace(p, text=fill_values(p.text, values)) if _marked(p.text) else p for p in parts)
        return self.doc

    def _walk(self, obj) -> bool:
        """Collect the slots under ``obj``; whether any value is in it (an object met again,
        through another path, answers as it did the first time)."""
        key = id(obj)
        if key in self._marks:
            return self._marks[key]
        self._marks[key] = False  # while walking it: a cycle back to it adds nothing
        found = False
        if isinstance(obj, list):
            for index, item in enumerate(obj):
                if isinstance(item, str):
                    if _marked(item):
                        self.items.append((obj, index, item))
                        found = True
                elif self._walk(item):
                    found = True
        elif isinstance(obj, Ref):
            if any(_marked(p.text) for p in obj.parts):
                self.refs.append((obj, obj.parts))
                found = True
        elif not is_dataclass(obj) or isinstance(obj, type):
            if _holds_marks(obj):
                raise NotCacheable(f"a value inside {type(obj).__name__}")
        else:
            for name in _walked_fields(type(obj)):
                value = getattr(obj, name)
                if isinstance(value, str):
                    if _marked(value):
                        self.attrs.append((obj, name, value))
                        found = True
                elif isinstance(value, (list, tuple, dict)) or is_dataclass(value):
                    if isinstance(value, list) or is_dataclass(value):
                        if self._walk(value):
                            found = True
                    elif _holds_marks(value):
                        raise NotCacheable(f"a value inside {type(obj).__name__}.{name}")
        self._marks[key] = found
        return found


_FIELDS: dict[type, tuple[str, ...]] = {}


def _walked_fields(cls: type) -> tuple[str, ...]:
    """The names of a dataclass's fields that :class:`Slots` walks (not those in _SKIP)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in _SKIP)
    return names


def _holds_marks(value) -> bool:
    if isinstance(value, str):
        return _marked(value)
    if isinstance(value, Ref):
        return any(_marked(p.text) for p in value.parts)
    if isinstance(value, (list, tuple)):
        return any(_holds_marks(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_marks(k) or _holds_marks(v) for k, v in value.items())
    return False


def holds_value(*texts: str) -> bool:
    """Whether any of the texts holds a data value's token (or glue waiting for one)."""
    return any(_marked(t) for t in texts)


def outline_is_data_free(doc: Document) -> bool:
    """Whether what a ``reads="structure"`` rule may look at (checks/base.py: titles, TOC and
    register entries, the end of each paragraph) holds no data value in a tokenized
    document: then those rules decide the same for every row of its clause set."""
    from ..model import AttachmentRegister, Toc, plain_text

    for part in doc.parts:
        if _marked(part.title):
            return False
        for block in part.blocks:
            if isinstance(block, Clause) and _marked(block.title):
                return False
            if isinstance(block, Paragraph) and _marked(plain_text(block.text).rstrip()[-1:]):
                return False
            if isinstance(block, (Toc, AttachmentRegister)) and (
                    _marked(block.title) or any(_marked(e.title) for e in block.entries)):
                return False
    return True


def value_slots(doc: Document) -> Slots:
    """The slots of a document built by :func:`assemble_tokenized` and the passes after it;
    :class:`NotCacheable` where a pass would have decided something from a value's text."""
    from ..numbering import get_scheme

    for part in doc.parts:
        if get_scheme(part.scheme).lang == "en" and any(
                isinstance(b, Paragraph) and b.style == "definition" and _holds_marks(b.text) for b in part.blocks):
            raise NotCacheable("definitions sorted by a term that holds a value")
    return Slots(doc)


__all__ = ["NotCacheable", "Slots", "assemble_tokenized", "holds_value", "outline_is_data_free", "render_key",
           "value_slots"]
