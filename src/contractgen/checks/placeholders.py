"""Blanks and template tags left in a contract: XXX, 20XX, ____, [CUSTOMER NAME], [Company Name],
[name], {{ var }}, {purpose}, 【 】, and blanks typed as spaces: 　　年　　月　　日, 第    条, 　％,
人民币　　元; the blanks Chinese drafters type: XX / ×× in names, amounts and dates
(XX有限公司, 人民币XX万元, 2024年XX月XX日, 合同编号：XX), 某某市 / 某某路 / 甲方：某某,
a bracket left empty where a number or date goes ([ ]日, 第（ ）条, 乙方：[ ]) and
〔待定〕 / （待填） (【待定】 is a bracketed instruction: ``drafting-leftover``'s).

Not blanks: a citation [1], legal brackets ([sic], [emphasis added], [Reserved], [Signature
page follows], [Remainder of page intentionally left blank]), Markdown
link text, {#id} / {.class} attributes, a checkbox [ ] or [x] (before a word, or before a
percentage in English forms, where it is a tick box), 某某公司 (an anonymised name, as
court documents write them). [●] and bracketed instructions are ``drafting-leftover``'s.

Severity: an error, and certain: each form is a blank by its shape. A run of underlined
spaces in a DOCX is one: the DOCX reader shows it as underscores. Headers, footers, text
boxes and comments of a DOCX are read too (``DocxView.margins``, ``DocxView.comments``),
each finding saying where ("in the header") at the line the text belongs to.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Iterator

from ..diagnostics import ERROR, WARNING
from ..model import Clause, Document, SourcePos
from .base import CheckContext, line_memo, rule
from .leftovers import drafting_leftover_spans
from .. import rx

_SPACE = r"[ \t\u3000\u00a0\u2002\u2003]"
PLACEHOLDER = rx.compile(
    r"(?<![A-Za-z0-9])(?:19|20)[Xx×]{2}(?![A-Za-z0-9])"             # 20XX
    r"|(?<![A-Za-z0-9])(?<!Article )(?<!Part )X{3,}(?![A-Za-z0-9])"  # XXX (not Roman XXX after Article)
    r"|(?<![A-Za-z0-9])x{3,}(?![A-Za-z0-9])"                          # xxx
    r"|[_＿]{3,}"                                                      # ____
    r"|\[(?:[A-Z][A-Z0-9 _'&/.\-]{0,80}[A-Z0-9]|(?:Insert|INSERT|Enter)[^\]]{0,60})\]"  # [CUSTOMER NAME]
    r"|\[(?!(?i:sic|emphasis added)\])(?![^\[\]\n]{0,120}(?i:follows?|intentionally|left blank|reserved|omitted|"
    r"continued|redacted|deleted|emphasis)\b)"                               # [Company Name], not [Signature page follows]
    r"(?:[A-Z][a-z]+|[a-z]{2,})(?:[ ’'-][A-Za-z]+){0,6}\](?![(\[:])"
    r"|\{\{.{0,80}?\}\}|\{%.{0,80}?%\}"                               # {{ var }}, {% if %}
    r"|(?<!\{)\{\$?[A-Za-z_][^{}\n]{0,80}\}(?!\})"                       # {purpose}, {$contract.no}
    r"|\[\[[^\[\]\n]{1,60}\]{0,2}"                                     # [[ref:label]] left in
    r"|【\s*】"                                                         # 【 】
    rf"|(?:^|(?<=[\u4e00-\u9fff：:，,（(]))(?<![条章节款项、])(?:{_SPACE}+)"  # 　　年　　月　　日, 出发前 日, 人民币　元
    rf"(?:[年月日](?=$|{_SPACE}|[^\u4e00-\u9fff]|[至前内起止以后])|[％%]|万?元)"
    rf"|第{_SPACE}+[条款项章]"                                          # 第    条
    r"|(?<![A-Za-z0-9])[XxＸ×]{2,}(?=[万千百元%％倍个份日天月年号])"        # 人民币XX万元, XX%, XX日内
    r"|(?<=[年月])[XxＸ×]{1,2}(?=[月日])|(?<=\d)[XxＸ×](?=年)"           # 2026年X月X日
    r"|(?<![A-Za-z0-9])[XＸ×]{2,}(?=[\u4e00-\u9fff])"                  # XX有限公司, ××科技
    r"|(?:(?<=[：:])|(?<=[：:][ \u3000]))[XxＸ×]{2,}(?![A-Za-z0-9])"      # 合同编号：XX
    r"|某某(?=某|[市省县区镇乡村街路号])"                                   # 某某市, 某某路, 某某某
    r"|(?:(?<=[：:])|(?<=[：:][ \u3000]))某{2,}(?![\u4e00-\u9fff])"  # 甲方：某某
    rf"|(?<=[第：:币])[\[〔（(]{_SPACE}*[\]〕）)](?![\u4e00-\u9fff])"    # 乙方：[ ], 第（ ）条 is below
    rf"|[\[〔（(]{_SPACE}*[\]〕）)](?=[年月日元万千百％条款项个份天号倍])"  # [ ]日, （　）日内, 第[ ]条
    r"|[〔（(【]\s*待(?:定|填|补|补充|确认|议)\s*[〕）)】]"                  # 〔待定〕 （待填）
)
_HINTS = ("xx", "××", "ｘｘ", "__", "＿＿", "[", "{", "【", "年", "月", "日", "％", "%", "第", "某某", "元", "〔", "（",
          "(")  # every match contains one
_TEXT_HINT = rx.compile(r"[xX×Ｘ_＿\[{【年月日％%第元〔（(]|某某")


def _texts(doc: Document, ctx: CheckContext) -> Iterator[tuple[str, SourcePos | None, str]]:
    """(text, place, where) of every text that may hold a blank: the body's ("" where), then
    a DOCX's headers, footers and text boxes, and its comments, line by line. The body's
    come as one item, ``(None, None, "")``: see check_unfilled_placeholder."""
    # a batch row reads its clause set's titles and fixed units once: no need of the quick test
    if ctx.shared is not None or ctx.may_contain(_HINTS):
        yield None, None, ""
    for view in doc.docx:
        for margin in view.margins:
            yield margin.text, SourcePos(view.path, margin.line), margin.where
        for comment in view.comments:
            for text in comment.text.splitlines():
                yield text, SourcePos(view.path, comment.line), "comment"


def _in(where: str) -> str:
    """" in the header", " in a text box", " in a comment"; "" in the body."""
    if not where:
        return ""
    return f" in {'a' if where.startswith(('text box', 'comment')) else 'the'} {where}"


@rule("unfilled-placeholder", ERROR, "placeholders",
      help="a blank or template tag is left in (XXX, 20XX, ____, [NAME], {{ x }}, 【 】)", bad="签订日期：20XX年____月____日",
      good="签订日期：2025年3月4日")
def check_unfilled_placeholder(doc: Document, ctx: CheckContext) -> Iterable:
    """One finding per placeholder form per line, with how often it occurs there. An error,
    and certain: each form is a blank by its shape; a warning where the blank may not be the
    contract's own (a quoted example in the usage notes, a docs-site include)."""
    in_example = False
    for text, pos, where in _texts(doc, ctx):
        if text is None:  # the body: its titles, then its units, read as one (see _unit_blanks)
            titles, in_example = ctx.outline_memo("title-blanks", lambda: _title_blanks(doc))
            for title, title_pos, blanks in titles:
                yield from _findings(ctx, blanks, title, title_pos, "")
            state: list[bool] = []
            for unit, blanks in _unit_blanks(ctx, in_example, state):
                yield from _findings(ctx, blanks, unit.text, unit.pos, "")
            in_example = state[0]
            continue
        blanks, in_example = placeholders_in(text, in_example and not where)
        yield from _findings(ctx, blanks, text, pos, where)


def _title_blanks(doc: Document) -> tuple[list[tuple[str, SourcePos | None, tuple]], bool]:
    """(title, place, blanks) of every clause title then part title with blanks, and
    whether a quoted example runs on past the last."""
    titles = [(b.title, b.pos) for _, b in doc.blocks() if isinstance(b, Clause) and b.title]
    titles += [(part.title, part.pos) for part in doc.parts if part.title]
    found, in_example = [], False
    for title, pos in titles:
        blanks, in_example = placeholders_in(title, in_example)
        if blanks:
            found.append((title, pos, blanks))
    return found, in_example


def _findings(ctx: CheckContext, blanks, text: str, pos, where: str) -> Iterator:
    for token, count, first, doubtful in blanks:
        times = f" ({count} times)" if count > 1 else ""
        found = ctx.finding(f"unfilled placeholder '{token}'{_in(where)}{times}", pos, text, around=first)
        if doubtful:
            found.severity = WARNING  # the blank may not be the contract's own
        yield found


def _unit_blanks(ctx: CheckContext, in_example: bool, state: list) -> Iterator:
    """(unit, blanks) of every unit with blanks, in order, as placeholders_in read one unit
    after the other (a quoted example may run on into the next unit); ``state`` receives
    whether one runs on past the last unit. Only the units where a blank or an example
    starts are read (ctx.scan), and those an example runs on into."""
    units, hits = ctx.units, ctx.scan("placeholders", _blanks_or_example)
    index, next_hit = 0, 0
    while True:
        if in_example:
            if index >= len(units):
                break
            blanks, in_example = placeholders_in(units[index].text, True)
        else:
            while next_hit < len(hits) and hits[next_hit][0] < index:
                next_hit += 1
            if next_hit == len(hits):
                break
            index, (blanks, in_example) = hits[next_hit]
        if blanks:
            yield units[index], blanks
        index += 1
    state.append(in_example)


def _blanks_or_example(text: str):
    """placeholders_in(text, False) when it finds a blank or an example running on, else None."""
    blanks, runs_on = placeholders_in(text, False)
    return (blanks, runs_on) if blanks or runs_on else None


@line_memo
def placeholders_in(text: str, in_example: bool) -> tuple[tuple[tuple[str, int, int, bool], ...], bool]:
    """The blanks of one line — (token, times, where the first is, whether it is doubtful)
    in order of first occurrence — and whether a quoted example runs on into the next line.

    A pure function of the text, memoised: a batch's rows repeat most of their lines, and
    this pattern is the dearest part of checking a row."""
    examples, in_example = _example_spans(text, in_example)
    if not _TEXT_HINT.search(text):
        return (), in_example
    # a bracket with an instruction, a bullet or alternatives is drafting-leftover's
    owned = drafting_leftover_spans(text)
    matches = [m for m in PLACEHOLDER.finditer(text) if not any(s <= m.start() and m.end() <= e for s, e in owned)
               and not _about_brackets(text, m)]
    if not matches:
        return (), in_example
    counts = Counter(_token(m.group()) for m in matches)
    firsts: dict[str, int] = {}
    for m in matches:
        firsts.setdefault(_token(m.group()), m.start())
    doubtful = {_token(m.group()) for m in matches if _INCLUDE.fullmatch(m.group())
                or any(s <= m.start() < e for s, e in examples) or _quoted_xx(text, m)}
    return tuple((token, count, firsts[token], token in doubtful) for token, count in counts.items()), in_example


# "{% data reusables.x %}", "{% include x %}": the site fills these in when it publishes the page
_INCLUDE = rx.compile(r"\{%-?\s*(?:data|include|include_relative|render)\s.*%\}")
_EXAMPLE = rx.compile(r"例如[:：]?\s*“|”")


def _example_spans(text: str, open_: bool) -> tuple[list[tuple[int, int]], bool]:
    """Where ``text`` quotes an example of how to fill the form in (a model contract's usage
    notes: 例如“在合同签订后，甲方应将合同价款的　％……”), and whether the quote runs on
    into the next line: a blank in an example is not necessarily one of the contract."""
    spans, start = [], 0 if open_ else None
    for m in _EXAMPLE.finditer(text):
        if m.group() != "”" and start is None:
            start = m.end()
        elif m.group() == "”" and start is not None:
            spans.append((start, m.start()))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


def _quoted_xx(text: str, m: re.Match) -> bool:
    """An XX / ×× inside “…”: a model contract's notes quoting wording to avoid (“以××为准”)
    more often than a blank of the contract's own."""
    return set(m.group()) <= set("XxＸ×") and text.count("“", 0, m.start()) > text.count("”", 0, m.start())


def _token(text: str) -> str:
    """How a placeholder is named in a message: spaces collapsed, a blank typed as spaces
    shown as ␣ ("␣年", "第␣条")."""
    if text[:1].isspace() or (text[:1] == "第" and text[1:2].isspace()):
        return re.sub(r"\s+", "␣", text)
    return " ".join(text.split())


_META = rx.compile(r"\s+(?:indicates?|denotes?|marks?|means?)\b")


def _about_brackets(text: str, m: re.Match) -> bool:
    """A drafting guide talking about its own notation: "[Yellow highlighted text in
    brackets] indicates a field …", "Delete all [informational text]"."""
    return bool(_META.match(text, m.end())) or re.search(r"(?i)\b(?:delete|remove)\s+all\s+$", text[:m.start()]) is not None
