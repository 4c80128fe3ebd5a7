"""What the fragment reader refuses: Markdown and typing it does not understand.

A fragment is a small Markdown subset (docs/authoring.md, "Clause fragments"). Whatever
lies outside it would reach the contract as typed — ``**bold**`` with its asterisks, a
``####`` heading merged into the paragraph below, a typed "1." in front of a computed
number, a single-bracket ``[ref:x]`` printed as text — so each is an error at its line,
with what to write instead. Each function here looks at one line of a fragment (data
values are tokens by then: what a value prints is never judged as markup).
"""

from __future__ import annotations

import re

from ..diagnostics import ERROR, Finding
from ..model import SourcePos
from .. import rx

_LABEL_MARK = "\ue003"  # render.LABEL_MARK: the "{" of a line-final "{#label}"
_DEEP_HEADING = rx.compile(r"^(#{4,})\s")
_TIGHT_HEADING = rx.compile(r"^(#{1,3})(?=[^\s#{])")
_BLOCK_MARKUP = rx.compile(r"^(?:>(?=\s|$)|```|~~~|-{3,}$|\*{3,}$)")  # quote, code fence, rule
_HAN_NUMERAL = "一二三四五六七八九十百零〇"
# a number typed at the start of a paragraph or item: "1. ", "1) ", "1、", "一、", "（一）", "(1)", "第一条 "
# ("1.5 times" is a quantity; "3.4 The Supplier …" and "3.4 本协议……" are a typed clause number, as
# `check` reads the built contract — a dotted number before a capital letter or Chinese text)
_TYPED_NUMBER = rx.compile(
    rf"^(?:\d{{1,3}}[.)](?=\s)|\d{{1,3}}(?:\.\d{{1,3}})+\.?(?=\s+[A-Z\u4e00-\u9fff])|\d{{1,3}}、|[{_HAN_NUMERAL}]{{1,3}}、"
    rf"|[（(][{_HAN_NUMERAL}\d]{{1,3}}[）)]|第[{_HAN_NUMERAL}\d]{{1,5}}[条章节](?=\s|$))")
# a number typed at the start of a heading's title ("# 第一条 服务", "# 1.2 Fees", "# Article 3 Fees")
_TYPED_HEADING_NUMBER = rx.compile(
    rf"^(?:第[{_HAN_NUMERAL}\d]{{1,5}}[条章节](?=\s|$|[\u4e00-\u9fff])|[{_HAN_NUMERAL}]{{1,3}}、|[（(][{_HAN_NUMERAL}\d]{{1,3}}[）)]"
    rf"|(?:\d{{1,3}}(?:\.\d{{1,3}})+\.?|\d{{1,3}}\.|(?:Article|Section|Clause|ARTICLE|SECTION|CLAUSE)\s+\d{{1,3}}"
    rf"(?:\.\d{{1,3}})*\.?)(?=\s|$))")
_REF_TAG = rx.compile(r"\[\[ref:([^\]|]*)(\|title)?\]\]")
# "[ref:x]" and "[ref:x]]"; "[[ref:x]" is the reader's malformed reference. "[Ref: 2024/7]" is text.
_SINGLE_BRACKET_REF = rx.compile(r"(?<!\[)\[(?:ref|REF)[:：]\S[^\[\]]*\]\]?")
_FULL_WIDTH_REF = rx.compile(r"【+\s*ref\s*[:：][^】]*】*", re.IGNORECASE)
_HTML_COMMENT = rx.compile(r"<!--.*?(?:-->|$)")
_HTML_TAG = rx.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_IMAGE = rx.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = rx.compile(r"(?<![!\[])\[[^\[\]\n]+\]\([^)\s]*\)")
_BOLD = rx.compile(r"\*\*(?=\S)[^*\n]+?(?<=\S)\*\*")
_ITALIC = rx.compile(r"(?<![*\w])\*(?=[^\s*])[^*\n]+?(?<=[^\s*])\*(?![*\w])")

_NO_EMPHASIS = ("write the text without the asterisks: the writers print no bold or italics, and "
                "headings, {.title} and the styles set how text looks")


def line_refusals(line: str, pos: SourcePos) -> list[Finding]:
    """Errors for one line of a fragment (stripped) that the subset does not have."""
    line = line.replace(_LABEL_MARK, "{")
    found = _heading_refusals(line, pos)
    found += _reference_refusals(line, pos)
    found += _markup_refusals(line, pos)
    return found


def _heading_refusals(line: str, pos: SourcePos) -> list[Finding]:
    m = _DEEP_HEADING.match(line)
    if m:
        return [Finding("unsupported-markup", ERROR, f"'{m[1]}' is not a heading: a fragment's headings are "
                        "'#', '##' and '###'", pos, suggestion="below a '###' heading write '- ' items, indented "
                        "under one another for deeper levels")]
    m = _BLOCK_MARKUP.match(line)
    if m:
        return [Finding("unsupported-markup", ERROR, f"'{m.group()}' would be printed as typed: fragments have no "
                        "quotes, code blocks or rules", pos, suggestion="write plain paragraphs; a blank line "
                        "between them starts a new one")]
    m = _TIGHT_HEADING.match(line)
    if m:
        return [Finding("unsupported-markup", ERROR, f"'{_quote(line)}' is not a heading: '{m[1]}' needs a space "
                        "after it", pos, suggestion=f"write '{m[1]} {line[len(m[1]):][:20]}'")]
    return []


def _reference_refusals(line: str, pos: SourcePos) -> list[Finding]:
    out = []
    for m in _SINGLE_BRACKET_REF.finditer(line):
        out.append(Finding("bad-reference", ERROR, f"'{m.group()}' is not a reference: a reference has double "
                           "brackets", pos, suggestion=f"write [[ref:{_label_of(m.group())}]]"))
    for m in _FULL_WIDTH_REF.finditer(line):
        out.append(Finding("bad-reference", ERROR, f"'{m.group()}' is not a reference: its brackets are "
                           "full-width 【】", pos, suggestion=f"write [[ref:{_label_of(m.group())}]] with the input "
                           "method in English mode"))
    for m in _REF_TAG.finditer(line):
        labels = [label.strip() for label in m[1].split(",")]
        if not any(labels):
            out.append(Finding("bad-reference", ERROR, f"'{m.group()}' names no label", pos,
                               suggestion="write the label of the heading or item it cites: [[ref:label]]"))
        elif not all(labels):
            out.append(Finding("bad-reference", ERROR, f"'{m.group()}' has an empty label: a comma with no "
                               "label before or after it", pos, suggestion="separate the labels with one comma "
                               "each: [[ref:a, b]]"))
    return out


def _markup_refusals(line: str, pos: SourcePos) -> list[Finding]:
    out = []
    for m in _HTML_COMMENT.finditer(line):
        out.append(Finding("unsupported-markup", ERROR, f"the HTML comment '{_quote(m.group())}' would be printed "
                           "in the contract", pos, suggestion="a note to yourself is {# … #}; a note for check is "
                           "<!-- contractgen: ignore[code] --> alone on its line"))
    rest = _HTML_COMMENT.sub("", line)
    tag = _HTML_TAG.search(rest)
    if tag:
        out.append(Finding("unsupported-markup", ERROR, f"HTML '{tag.group()}' would be printed as typed: "
                           "fragments hold no HTML", pos, suggestion="write plain text; a blank line starts a "
                           "new paragraph, {.center} and {.right} align one"))
    image = _IMAGE.search(rest)
    if image:
        out.append(Finding("unsupported-markup", ERROR, f"the image '{_quote(image.group())}' would be printed "
                           "as typed: fragments hold text only", pos,
                           suggestion="put pictures in the DOCX template (--reference-docx) or an attachment"))
    link = _LINK.search(_IMAGE.sub("", rest))
    if link:
        out.append(Finding("unsupported-markup", ERROR, f"the link '{_quote(link.group())}' would be printed as "
                           "typed: fragments have no links", pos, suggestion="write the text, and the address in "
                           "full if the contract needs it; a clause is cited as [[ref:label]]"))
    for pattern, kind in ((_BOLD, "bold"), (_ITALIC, "italics")):
        m = pattern.search(rest)
        if m:
            out.append(Finding("unsupported-markup", ERROR, f"'{_quote(m.group())}' would be printed with its "
                               f"asterisks: fragments have no {kind}", pos, suggestion=_NO_EMPHASIS))
            break
    return out


def typed_number(text: str, heading: bool = False) -> str | None:
    """The number ``text`` starts with when its author typed one ("1.", "一、", "第三条"), else None."""
    m = (_TYPED_HEADING_NUMBER if heading else _TYPED_NUMBER).match(text)
    return m.group() if m else None


def typed_number_finding(number: str, pos: SourcePos, heading: bool = False) -> Finding:
    """The error for a number typed in front of a paragraph, an item or a heading's title."""
    where = "a heading" if heading else "a paragraph or item"
    hint = ("write the title alone ('# 服务内容', '# Services'): the build numbers headings"
            if heading else "write '- ' for a numbered item, indented under another item for a level below it")
    return Finding("typed-number", ERROR, f"'{number}' is a number typed in front of {where}: numbers are computed",
                   pos, suggestion=hint)


def _label_of(tag: str) -> str:
    """The label(s) a mistyped reference names: what follows its colon, brackets stripped."""
    return re.split(r"[:：]", tag, maxsplit=1)[-1].strip("[]【】 ")


def _quote(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["line_refusals", "typed_number", "typed_number_finding"]
