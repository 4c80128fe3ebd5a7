"""A Word part rendered with docxtpl against a contract's data.

docxtpl's own preprocessing (``DocxTemplate.patch_xml``: tags split across runs joined,
``{%tr %}`` / ``{%p %}`` / ``{{p }}`` turned into row and paragraph blocks) runs once per
file, and the result is compiled once in a sandboxed environment with StrictUndefined and
the clause fragments' filters; each render then only runs the compiled template and
docxtpl's post-processing (``resolve_listing``, ``fix_tables``). That is what
``DocxTemplate.render(context, jinja_env=…)`` does, without re-reading and re-compiling
the file for every contract of a batch (a test holds the two to the same XML).
"""

from __future__ import annotations

import copy
import io
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from lxml import etree

from ..diagnostics import ERROR, Finding, InputErrors
from ..render import _budget_range, _finalize, _Sandbox
from ..numbering import words
from .ooxml import DOCUMENT, W_NS, Package, strip_extensions
from .where import WordPos
from .. import rx

HEADER_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_NEWLINE_P = rx.compile(r"<w:p([ >])")
MAX_OUTPUT = 8_000_000  # characters of XML one part may render


def word_environment(lang: str) -> jinja2.Environment:
    """The clause fragments' rules for Word XML: sandboxed, StrictUndefined, the same
    filters and budgeted ``range``, an absent optional field printed is an error — and
    every printed value escaped as XML text."""
    env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize_printed)
    env.filters.update(words.filters(lang))
    env.filters.pop("safe", None)  # data is text: no value is let through as XML
    env.globals["range"] = _budget_range
    return env


class _Printed(threading.local):
    values: list[str] | None = None  # collecting: each printed value, its token in the XML


_PRINTED = _Printed()
TOKEN = rx.compile("\ue000([0-9]+)\ue001")
SPECIAL = ("\n", "\t", "\a", "\f")  # what docxtpl's resolve_listing turns into breaks and tabs


def _finalize_printed(value):
    """The fragments' rule (an absent optional field printed is an error); while collecting,
    each printed value becomes a token, so contracts whose parts differ only in their values
    render to the same XML (assembly.py merges that once)."""
    value = _finalize(value)
    values = _PRINTED.values
    if values is None or hasattr(value, "__html__"):
        return value
    values.append(str(value))
    return f"\ue000{len(values) - 1}\ue001"


@dataclass
class RenderedPart:
    """One render: the body (``w:body`` element) and rendered headers/footers by member name."""

    body: etree._Element
    margins: dict[str, bytes] = field(default_factory=dict)


class WordTemplate:
    """A .docx template, read, preprocessed and compiled once."""

    def __init__(self, path: Path, env: jinja2.Environment, data: bytes | None = None,
                 package: Package | None = None):
        from docxtpl import DocxTemplate

        self.path = Path(path)
        data = self.path.read_bytes() if data is None else data
        self.package = package or Package.read(data)
        self.docxtpl = DocxTemplate(io.BytesIO(data))
        self.docxtpl.render_init()
        self.env = env
        self.sources: dict[str, str] = {DOCUMENT: self._patched(_core(self.docxtpl.docx._element.body))}
        for uri in (HEADER_URI, FOOTER_URI):
            for _key, part in self.docxtpl.get_headers_footers(uri):
                name = str(part.partname).lstrip("/")
                self.sources[name] = self._patched(_core(etree.fromstring(part.blob)))
        self.compiled = {name: self._compile(name, source) for name, source in self.sources.items()}

    def _patched(self, xml: str) -> str:
        return _NEWLINE_P.sub(r"\n<w:p\1", self.docxtpl.patch_xml(xml))

    def _compile(self, name: str, source: str) -> jinja2.Template:
        try:
            return self.env.from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            raise InputErrors([Finding("template-syntax", ERROR, f"template syntax error: {exc.message}",
                                       self.near(name, exc.lineno))]) from None

    def near(self, name: str, lineno: int | None) -> WordPos:
        """Where a Jinja error's line of the patched XML is: the text of that paragraph."""
        lines = self.sources[name].splitlines()
        line = lines[lineno - 1] if lineno and 0 < lineno <= len(lines) else ""
        text = re.sub(r"<[^>]+>", "", line).strip()
        where = f"near '{text[:60]}'" if text else ""
        return WordPos(str(self.path), lineno or 1, where if name == DOCUMENT else f"{name} {where}".strip())

    def render(self, context: dict) -> RenderedPart:
        body = self.tree(self._render_xml(DOCUMENT, context))
        margins = {}
        for name in self.sources:
            if name != DOCUMENT:
                tree = etree.fromstring(self._render_xml(name, context).encode("utf-8"))
                margins[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        return RenderedPart(body, margins)

    def render_tokens(self, context: dict) -> tuple[str, list[str]] | None:
        """The body's XML with a token for each printed value, and the values (None when a
        value holds a break or tab, which docxtpl turns into XML: render it in full)."""
        values: list[str] = []
        _PRINTED.values = values
        try:
            xml = self._render_xml(DOCUMENT, context)
        finally:
            _PRINTED.values = None
        if any(c in v for v in values for c in SPECIAL):
            return None
        return xml, values

    def tree(self, xml: str) -> etree._Element:
        """A rendered body parsed (a body it is, or the part's file is not a Word body)."""
        body = self._tree(xml)
        if body is None or body.tag != f"{{{W_NS}}}body":
            raise InputErrors([Finding("template-error", ERROR, "the rendered part is not a document body",
                                       WordPos(str(self.path), 1, ""))])
        return body

    def _tree(self, xml: str) -> etree._Element:
        """The rendered body parsed; docxtpl's ``fix_tables`` (a table's grid widened or
        narrowed to the cells a ``{%tc %}`` loop made) where a table's grid needs it."""
        tree = etree.fromstring(xml, _parser())
        if any(_grid_differs(t) for t in tree.iter(f"{{{W_NS}}}tbl")):
            return self.docxtpl.fix_tables(xml)
        return tree

    def _render_xml(self, name: str, context: dict) -> str:
        try:
            chunks, size = [], 0
            for chunk in self.compiled[name].generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise jinja2.TemplateRuntimeError(f"the part renders more than {MAX_OUTPUT:,} characters")
                chunks.append(chunk)
        except jinja2.UndefinedError as exc:
            raise InputErrors([Finding("undefined-data", ERROR, f"template uses undefined data: {exc.message}",
                                       self.near(name, _template_line(exc)))]) from None
        except (jinja2.TemplateError, words.FilterError, TypeError, ValueError, ArithmeticError) as exc:
            raise InputErrors([Finding("template-error", ERROR, f"template error: {exc}",
                                       self.near(name, _template_line(exc)))]) from None
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", "".join(chunks))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # docxtpl's Listing markers (\n, \t, \a, \f in a text): only where there are any
        return self.docxtpl.resolve_listing(xml) if any(c in xml for c in "\n\t\a\f") else xml


_PARSERS = threading.local()  # a parser is made once per thread (lxml's may not be shared), not per render


def _parser() -> etree.XMLParser:
    """The parser docxtpl's fix_tables uses (recover=True)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(recover=True)
    return parser

_W = f"{{{W_NS}}}"


def _grid_differs(table: etree._Element) -> bool:
    """Whether the table's rows have more or fewer cells (spans counted) than its grid."""
    grid = table.find(_W + "tblGrid")
    columns = len(grid.findall(_W + "gridCol")) if grid is not None else 0
    widest = 0
    for row in table.iter(_W + "tr"):
        cells = 0
        for cell in row.findall(_W + "tc"):
            span = cell.find(f"{_W}tcPr/{_W}gridSpan")
            cells += int(span.get(_W + "val")) if span is not None else 1
        widest = max(widest, cells)
    return widest != columns


def _core(el: etree._Element) -> str:
    """An element as the template's source: Word's extensions left out (ooxml.strip_extensions),
    and no namespace declaration it does not use."""
    el = copy.deepcopy(el)
    strip_extensions(el)
    etree.cleanup_namespaces(el)
    return etree.tostring(el, encoding="unicode")


def _template_line(exc: BaseException) -> int | None:
    """The line of the compiled template where rendering failed (Jinja's rewritten traceback)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return getattr(exc, "lineno", None) or line


__all__ = ["RenderedPart", "WordTemplate", "word_environment"]
