"""HTML contracts: a page as a browser shows it, to lines.

What a reader of the page sees is what counts, as for Markdown (:mod:`.markdown`): each
block element (a paragraph, a heading, a list item, a table cell) is a line at the line of
the file it starts on; inline markup (``<span>``, ``<b>``, links, Word's ``<o:p>``) is
dropped and whitespace collapses as a browser collapses it; ``<br>`` starts a new line; an
ordered list's item shows the number the browser draws (from ``start``, ``value`` and the
list's ``type`` or ``list-style-type``: 1., a., i., 一、) and carries its depth and list,
as a Markdown list item does — a heading inside it (Word's and LibreOffice's HTML put a
numbered heading in a list item) takes the list's depth for its level; each paragraph of
a table cell is a line at its row's line (a cell of one paragraph is one line, so a
two-column 中文 | English table reads like a Markdown one); two headings side by side or
in an ``<hgroup>`` (a title and its translation) are one heading line.
What the page does not show is not read: ``<head>``, scripts, styles, templates,
``hidden`` or ``display: none`` elements, and ``<aside>`` (side notes and navigation
around a contract, such as the "Cited by" boxes of our own preview).

The encoding is the page's own (``<meta charset>``), else what a text file would be read
as (UTF-8, GB18030, detected). The limits of a text contract hold for the file's size and
for the lines the page shows (not for the file's own lines: a minified page is one).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import UserError
from ..grammar import parse_outline_number
from ..limits import LIMITS
from ..model import Document
from ..numbering.base import roman
from ..numbering.cn_numerals import integer_words
from .lines import Line, build_document
from .markdown import suppression_comments
from .text import _check_size, decode
from .. import rx

SUFFIXES = (".html", ".htm")

_SKIPPED = {"head", "script", "style", "noscript", "template", "aside", "iframe", "object", "svg", "canvas",
            "button", "select", "input", "textarea"}
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "nav", "address", "blockquote",
           "h1", "h2", "h3", "h4", "h5", "h6", "li", "dl", "dt", "dd", "ol", "ul", "table", "thead",
           "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "hr", "form", "fieldset",
           "legend", "details", "summary", "center", "pre", "body", "html", "hgroup"}
_SPACES = rx.compile(r"[ \t\n\r\f]+")
_HEADING = rx.compile(r"h[1-6]")
_WRAPPERS = {"div", "section", "header", "hgroup", "center"}  # what may hold one heading of a group
_CHARSET = rx.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = rx.compile(r"^\s*<\?xml[^>]*\?>")
_HIDDEN_STYLE = rx.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)
_LIST_STYLE = rx.compile(r"list-style(?:-type)?\s*:\s*([a-z-]+)", re.I)
_LEGACY = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def read_html(path: Path, lang: str = "auto") -> Document:
    _check_size(path.stat().st_size, path)
    source = decode_html(path.read_bytes(), path)
    lines = html_lines(source, path)
    _check_lines(lines, path)
    doc = build_document(lines, str(path), lang)
    doc.suppressions = suppression_comments(source, str(path))
    return doc


def decode_html(data: bytes, path: Path) -> str:
    """The page's text: in the charset its ``<meta>`` names, else as a text file is read."""
    _check_size(len(data), path)
    m = _CHARSET.search(data[:4096])
    if m is not None:
        name = m[1].decode("ascii").lower()
        try:
            return data.decode(_LEGACY.get(name, name)).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: read it as any text file
    return decode(data, path, lines_checked=False)  # a minified page is one line of the file


def _check_lines(lines: list[Line], path: Path) -> None:
    """What the page shows, held to the limits of a text contract's lines."""
    if len(lines) >= LIMITS.paragraphs:
        raise UserError(f"{path}: more than {LIMITS.paragraphs:,} lines (the limit); is it a real contract?")
    longest = max((len(ln.text) for ln in lines), default=0)
    if longest > LIMITS.paragraph_chars:
        raise UserError(f"{path}: a paragraph of {longest:,} characters (the limit is {LIMITS.paragraph_chars:,}); "
                        "is it a real contract?")


def html_lines(source: str, path: Path | str = "") -> list[Line]:
    """The lines a browser shows, each at the line of the file its block starts on."""
    import lxml.html
    from lxml import etree

    source = _XML_DECLARATION.sub("", source, count=1)
    if not source.strip():
        return []
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UserError(f"{path}: cannot read the page as HTML ({exc})") from None
    # libxml2 stops at elements nested 256 deep and drops a text of over 10 MB, and says so
    # only in its log: what it dropped would be missing from the check
    limit = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit is not None:
        what = "elements nested more than 255 deep" if "depth" in limit.message else "a text of more than 10 MB"
        raise UserError(f"{path}: the page holds {what}, more than the HTML parser reads; is it a real contract?")
    walker = _Walker()
    try:
        walker.block(root)
    except _TooDeep:
        raise UserError(f"{path}: elements nested more than {LIMITS.xml_depth} deep (the limit); "
                        "is it a real contract?") from None
    return walker.lines


class _TooDeep(Exception):
    pass


class _Walker:
    """Walks the element tree in document order, one buffer of inline text at a time."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.line = 1
        self.heading: int | None = None
        self.lists: list[list] = []  # per open list: [ordered, next number, style, id, reversed]
        self.prefix, self.list_level, self.list_id = "", None, None
        self.cell: list[str] | None = None  # the paragraphs of the table cell being read
        self.table: str | None = None
        self.pre = 0
        self.items = 0  # list items open around the element being read
        self.depth = 0

    # -- lines ---------------------------------------------------------------------------

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        pieces = text.split("\n") if self.pre else [text]
        for piece in pieces:
            piece = piece.replace("\xa0", " ") if self.pre else _SPACES.sub(" ", piece).replace("\xa0", " ")
            piece = piece.strip()
            if not piece:
                continue
            if self.cell is not None:
                self.cell.append(piece)
                continue
            self.lines.append(Line(text=self.prefix + piece, line=self.line, heading_level=self.heading,
                                   list_level=self.list_level if self.prefix else None,
                                   list_id=self.list_id if self.prefix else None))
            self.prefix, self.list_level, self.list_id = "", None, None

    def at(self, element) -> None:
        """Lines from here on start at the element's line of the file."""
        if element.sourceline:
            self.line = element.sourceline

    # -- elements ------------------------------------------------------------------------

    def block(self, element) -> None:
        tag = _tag(element)
        if tag in _SKIPPED or _hidden(element):
            return
        self.depth += 1
        try:
            if self.depth > LIMITS.xml_depth:  # the walk recurses: bounded as the DOCX walkers are
                raise _TooDeep
            self._block(element, tag)
        finally:
            self.depth -= 1

    def _block(self, element, tag: str) -> None:
        if tag == "br":
            self.flush()
            self.at(element)
            return
        if tag not in _BLOCKS:
            self.inline(element)
            return
        self.flush()
        self.at(element)
        if tag in ("td", "th"):
            return self.table_cell(element)
        if tag == "table":
            outer, self.table = self.table, str(element.sourceline or self.line)
            self.children(element)
            self.table = outer
            return
        group = _heading_group(element)
        if group:  # <hgroup>, or headings side by side: 设备供货合同 | Equipment Supply Agreement
            self.heading = int(_tag(group[0])[1])
            self.buffer.append(" ".join(_SPACES.sub(" ", h.text_content()).strip() for h in group))
            self.flush()
            self.heading = None
            return
        heading = int(tag[1]) if _HEADING.fullmatch(tag) else None
        outer_heading = self.heading
        if heading is not None and not self.items:  # in a list item, the list's depth is its level
            self.heading = heading
        if tag in ("ol", "ul"):
            reversed_ = tag == "ol" and element.get("reversed") is not None
            start = _start(element) if element.get("start") is not None or not reversed_ else \
                sum(1 for c in element if _tag(c) == "li")
            self.lists.append([tag == "ol", start, _list_style(element), str(element.sourceline or self.line),
                               reversed_])
        if tag == "li":
            self.prefix, self.list_level, self.list_id = self.item(element)
            self.items += 1
        if tag == "pre":
            self.pre += 1
        if element.text:
            self.buffer.append(element.text)
        self.children(element)
        self.flush()
        if tag == "pre":
            self.pre -= 1
        if tag in ("ol", "ul"):
            self.lists.pop()
        if tag == "li":
            self.items -= 1
        self.heading = outer_heading
        self.prefix, self.list_level, self.list_id = "", None, None

    def children(self, element) -> None:
        for child in element:
            if isinstance(child.tag, str):
                self.block(child)
            if child.tail:
                if self.buffer == [] and not child.tail.strip():
                    continue
                self.buffer.append(child.tail)

    def inline(self, element) -> None:
        if _tag(element) == "sup" and self.buffer:  # "Section 2.1³": a mark, not a digit of the number
            self.buffer.append(" ")
        if element.text:
            self.buffer.append(element.text)
        self.children(element)

    def table_cell(self, element) -> None:
        """One line per cell, its paragraphs joined by line breaks, at its row's line."""
        row = element.getparent()
        line = row.sourceline if row is not None and row.sourceline else self.line
        outer, self.cell = self.cell, []
        if element.text:
            self.buffer.append(element.text)
        self.children(element)
        self.flush()
        pieces, self.cell = self.cell, outer
        if pieces and outer is not None:  # a table inside a cell: its text joins the cell's
            outer.extend(pieces)
        elif len(pieces) == 1:
            self.lines.append(Line(text=pieces[0], line=line, in_table=True, list_id=self.table))
        else:  # a cell of several paragraphs: one line each, as Word shows them
            self.lines.extend(Line(text=piece, line=line, in_table=True, list_id=self.table) for piece in pieces)

    def item(self, element) -> tuple[str, int | None, str | None]:
        """(prefix, depth, list id) of a list item: the number the browser draws, if any."""
        if not self.lists or not self.lists[-1][0]:
            return "", None, None
        current = self.lists[-1]
        value = element.get("value")
        number = int(value) if value and value.strip().lstrip("-").isdigit() else current[1]
        current[1] = number - 1 if current[4] else number + 1
        marker = _marker(number, _list_style(element) or current[2])
        return (marker, len(self.lists) - 1, current[3]) if marker else ("", None, None)


def _heading_group(element) -> list:
    """The headings of an ``<hgroup>``, or of an element that holds nothing but two or more
    unnumbered headings of one level, each alone or alone in a ``<div>`` (a title and its
    translation, side by side): one heading line, as a Markdown heading writes them (empty
    when the element is no such group)."""
    children = [c for c in element if isinstance(c.tag, str) and not _hidden(c)]
    if len(children) < 2 and _tag(element) != "hgroup":
        return []
    if (element.text or "").strip() or any((c.tail or "").strip() for c in children):
        return []
    headings = [_alone(c) for c in children]
    if any(h is None for h in headings) or len({_tag(h) for h in headings}) != 1:
        return []
    # numbered headings side by side (第一条 … | Article 1 …) are two clauses, one in each text
    if any(parse_outline_number(_SPACES.sub(" ", h.text_content()).strip()) for h in headings):
        return []
    return headings


def _alone(element):
    """The heading that ``element`` is, or holds and nothing else; else None."""
    if _HEADING.fullmatch(_tag(element)):
        return element
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 1 or (element.text or "").strip() or (children[0].tail or "").strip():
        return None
    return _alone(children[0]) if _tag(element) in _WRAPPERS else None


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _hidden(element) -> bool:
    """Not shown: ``hidden``, ``display: none``, a closed ``<dialog>``, or what a closed
    ``<details>`` holds besides its ``<summary>``."""
    if element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    tag = _tag(element)
    if tag == "dialog":
        return element.get("open") is None
    parent = element.getparent()
    return (tag != "summary" and parent is not None and _tag(parent) == "details"
            and parent.get("open") is None)


def _start(element) -> int:
    start = (element.get("start") or "").strip()
    return int(start) if start.lstrip("-").isdigit() else 1


_TYPES = {"1": "decimal", "a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}


def _list_style(element) -> str:
    m = _LIST_STYLE.search(element.get("style") or "")
    if m is not None:
        return m[1].lower()
    return _TYPES.get((element.get("type") or "").strip(), "")


def _marker(number: int, style: str) -> str:
    """What a browser draws before an ordered list's item of that number ("" for none)."""
    style = style or "decimal"
    if number < 1 and style != "decimal":
        return ""
    if style in ("decimal", "decimal-leading-zero"):
        return f"{number:02d}. " if style == "decimal-leading-zero" and 0 <= number < 10 else f"{number}. "
    if style in ("lower-alpha", "lower-latin", "upper-alpha", "upper-latin"):
        letters = _letters(number)
        return (letters.upper() if style.startswith("upper") else letters) + ". "
    if style in ("lower-roman", "upper-roman"):
        numeral = roman(number)
        return (numeral.upper() if style == "upper-roman" else numeral) + ". "
    if style in ("cjk-ideographic", "simp-chinese-informal", "cjk-decimal", "trad-chinese-informal"):
        return f"{integer_words(number)}、" if style != "cjk-decimal" else f"{number}、"
    return ""  # disc, circle, none, or a style no contract numbers with


def _letters(number: int) -> str:
    """a … z, aa, ab … as CSS counts ``lower-alpha`` (Word's letters repeat: aa, bb)."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
