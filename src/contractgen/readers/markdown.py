"""Markdown contracts: markdown-it-py tokens, with their line maps, to lines.

What a reader of the rendered page sees is what counts: emphasis markers, link targets,
HTML tags and ``{#id}`` attributes are dropped; an ordered list item shows its number as
CommonMark renders it (from the list's start number, whatever digits are typed after the
first) and carries its nesting depth and list (``Line.list_level``, ``Line.list_id``);
each table cell is a line of its own; a soft line break starts a new line, because
hand-typed contracts often put one clause per line without blank lines; the text of a code
block (often a list item indented too deep) is read as the text it shows.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from ..model import Document, Suppression
from .lines import Line, build_document
from .text import decode
from .. import rx

_ATTRS = rx.compile(r"\s*\{[#.][^{}]*\}")
_TAG = rx.compile(r"<[^<>]+>")  # no "<" inside: a run of "<" without ">" costs linear time
_SKIP = {"strong_open", "strong_close", "em_open", "em_close", "link_open", "link_close",
         "s_open", "s_close", "image"}


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)


_BR = rx.compile(r"^<br\s*/?>$", re.I)


def _inline_lines(children, first_line: int, in_table: bool = False) -> list[tuple[int, str]]:
    """Split an inline token's children at line breaks: [(line, text), ...]. A table
    cell's ``<br>`` keeps its place as a newline in the cell's text (a cell is one line of
    the file; :mod:`.languages` reads a bilingual table's cells line by line)."""
    out, buf, line = [], [], first_line
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            out.append((line, "".join(buf)))
            buf, line = [], line + 1
        elif in_table and child.type == "html_inline" and _BR.match(child.content.strip()):
            buf.append("\n")
        elif child.type == "html_inline" or child.type in _SKIP:
            continue
        else:
            buf.append(child.content)
    out.append((line, "".join(buf)))
    return out


def _clean(text: str) -> str:
    return _ATTRS.sub("", text).strip()


class _Lists:
    """The open Markdown lists. CommonMark numbers an ordered list's items from its start
    number, whatever digits are typed after the first, so the rendered number is kept."""

    def __init__(self) -> None:
        self.open: list[list] = []  # [ordered, next number, first line] per open list, outermost first

    def enter(self, tok) -> None:
        start = tok.attrGet("start") if tok.type == "ordered_list_open" else None
        self.open.append([tok.type == "ordered_list_open", int(start or 1), (tok.map or [0])[0] + 1])

    def item(self, tok) -> tuple[str, int | None, str | None]:
        """(prefix, depth, list id) of an item: "3. " as rendered, for an ordered list."""
        if not self.open or not self.open[-1][0]:
            return "", None, None
        current = self.open[-1]
        number, current[1] = current[1], current[1] + 1
        return f"{number}{tok.markup} ", len(self.open) - 1, str(current[2])


def _code_lines(tok) -> list[Line]:
    """An indented code block's or fence's lines as the page shows them: text. A contract's
    list item indented once too often ("            i. The optional docking clause …" under a
    nested item) renders as a code block, and a reader still reads it."""
    first = tok.map[0] + 1 + (1 if tok.type == "fence" else 0)
    return [Line(_clean(_TAG.sub("", t)), first + i) for i, t in enumerate(tok.content.splitlines()) if t.strip()]


def markdown_lines(source: str) -> list[Line]:
    lines: list[Line] = []
    heading: int | None = None
    prefix, list_level, list_id = "", None, None
    lists = _Lists()
    in_table = False
    table = None  # the line the current table starts on
    last_map = 0
    for tok in _parser().parse(source):
        if tok.map:
            last_map = tok.map[0]
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = None
        elif tok.type in ("ordered_list_open", "bullet_list_open"):
            lists.enter(tok)
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            lists.open.pop()
        elif tok.type == "list_item_open":
            prefix, list_level, list_id = lists.item(tok)
        elif tok.type in ("table_open", "table_close"):
            in_table = tok.type == "table_open"
            table = str(last_map + 1) if in_table else None
        elif tok.type == "html_block":
            text = _TAG.sub("", tok.content).strip()
            lines.extend(Line(_clean(t), tok.map[0] + 1 + i) for i, t in enumerate(text.splitlines()) if t.strip())
        elif tok.type in ("code_block", "fence"):
            lines.extend(_code_lines(tok))
        elif tok.type == "inline":
            for i, (line, text) in enumerate(_inline_lines(tok.children or [], last_map + 1, in_table)):
                first = i == 0 and bool(prefix)
                lines.append(Line(text=(prefix if first else "") + _clean(text), line=line, heading_level=heading,
                                  in_table=in_table, list_level=list_level if first else None,
                                  list_id=table if in_table else (list_id if first else None)))
            prefix, list_level, list_id = "", None, None
    return lines


def suppression_comments(source: str, path: str) -> list[Suppression]:
    """``<!-- contractgen: ignore[code, family] -->`` alone on a line switches those rules
    off for the next line: one :class:`Suppression` per comment, in line order."""
    out: list[Suppression] = []
    for i, text in enumerate(source.splitlines(), start=1):
        names = Suppression.names_in(text)
        if names is not None:
            out.append(Suppression(path, i + 1, names))
    return out


def suppressions(source: str) -> dict[int, set[str]]:
    """The suppression comments of a source as {governed line: names}."""
    out: dict[int, set[str]] = {}
    for s in suppression_comments(source, ""):
        out.setdefault(s.line, set()).update(s.names)
    return out


def read_markdown(path: Path, lang: str = "auto") -> Document:
    source = decode(path.read_bytes(), path)
    doc = build_document(markdown_lines(source), str(path), lang)
    doc.suppressions = suppression_comments(source, str(path))
    return doc
