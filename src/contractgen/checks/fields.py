"""Word field integrity in DOCX files: cross-reference fields, TOCs and typed references.

Word, WPS and LibreOffice show a field's cached result until someone updates fields, so a
contract edited after its cross-references were inserted can print "见第七条" for an
article that is now 第六条. These rules compare each cached result with what Word would
compute now, from the reader's view of each Word file (``doc.docx``: one
:class:`~contractgen.views.DocxView` per DOCX file, several for a contract set).

The split with ``toc-mismatch``: a TOC that is a field or a TOC content control (its
entries point at heading bookmarks) is checked here, entry by entry, as ``stale-toc``;
``toc-mismatch`` checks typed tables of contents only, so one stale entry is reported once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Iterator

from ..diagnostics import ERROR, WARNING
from ..grammar import parse_toc_entry
from ..model import Clause, Document, SourcePos
from .base import CheckContext, rule, shorten
from .citations import citations
from .references import foreign_clause, target_part, titles_match
from .. import rx

if TYPE_CHECKING:  # annotations only: views are imported by the readers that fill them
    from ..views import DocxView, FieldUse, Target

_NUMBER_SWITCHES = frozenset({"\\r", "\\w", "\\n"})
_PAGE_NUMBER = rx.compile(r"(?:\t|\s{2,}|[.…·_]{2,})[\s.…·_]*[0-9ivxlcIVXLC]*\s*$")
_TRAILING = ".．、 "
_NON_NUMERAL_ENDS = rx.compile(r"^[^0-9A-Za-z一二三四五六七八九十百千零〇]+|[^0-9A-Za-z一二三四五六七八九十百千零〇]+$")
_LEADING_WORDS = rx.compile(r"^(?:[A-Za-z]+\.?\s+)+(?=[0-9(])")
_UPDATE = "update fields in Word (select all, F9) and check the result"


def docx_views(doc: Document) -> list[DocxView]:
    """The DOCX field views of a document: none, one, or one per DOCX file of a set."""
    return list(doc.docx)


def docx_toc_lines(doc: Document) -> set[tuple[str, int]]:
    """(path, line) of every line inside a TOC field or TOC content control."""
    return {(view.path, line) for view in docx_views(doc) for toc in view.tocs for line in toc.lines}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _number_key(text: str) -> str:
    """A field result as compared: no spaces, no trailing period, any case (``\\* Upper``)."""
    return _squeeze(text).rstrip(_TRAILING).casefold()


def _shown(cached: str) -> str:
    return f"'{cached}'" if cached.strip() else "nothing"


def _line_texts(ctx: CheckContext) -> dict[tuple[str, int], str]:
    def build() -> dict[tuple[str, int], str]:
        return {(u.pos.path, u.pos.line): u.text for u in ctx.units if u.pos is not None}
    return ctx.memo("fields:line-texts", build)


def _lookup(view: DocxView, folded: dict[str, Target], name: str) -> Target | None:
    """A bookmark's target; Word matches bookmark names without regard to case."""
    return view.targets.get(name) or folded.get(name.casefold())


def _folded(view: DocxView) -> dict[str, Target]:
    return {name.casefold(): target for name, target in view.targets.items()}


@rule("broken-field-reference", ERROR, "fields",
      help="a DOCX cross-reference field (REF/PAGEREF) points at a bookmark that does not exist",
      bad="第三条 违约责任：甲方逾期付款的，按{REF _Ref9 \\r \\h → 第二条}的约定支付违约金。（文档中没有书签 _Ref9）",
      good="第三条 违约责任：甲方逾期付款的，按{REF _Ref2 \\r \\h → 第二条}的约定支付违约金。（书签 _Ref2 在第二条标题上）",
      example="docx")
def check_broken_field_reference(doc: Document, ctx: CheckContext) -> Iterable:
    """A REF/PAGEREF/NOTEREF field whose bookmark is not in the document."""
    texts = _line_texts(ctx)
    for view in docx_views(doc):
        folded = _folded(view)
        in_toc = {line for toc in view.tocs for line in toc.lines}  # stale-toc reports TOC entries
        for use in view.refs:
            if use.line in in_toc or not use.bookmark or _lookup(view, folded, use.bookmark):
                continue
            message = (f"{use.kind} field points at bookmark '{use.bookmark}', which does not exist "
                       f"(it shows {_shown(use.cached)}; Word will print 'Error! Reference source not found')")
            excerpt = texts.get((view.path, use.line), use.cached)
            yield ctx.finding(message, SourcePos(view.path, use.line), excerpt,
                              suggestion="re-insert the cross-reference to the clause it meant")


def expected_results(use: FieldUse, target: Target) -> tuple[set[str], str] | None:
    """What Word would show for a REF field now: (comparison keys, the text); None when we cannot tell.

    With a number switch the bookmarked paragraph's list number: ``\\r``/``\\n`` its own
    label, ``\\w`` the full context — both accepted for every switch, since Word's relative
    context depends on where the field sits. Without one, the bookmarked text.
    """
    switches = {s.split()[0] for s in use.switches}
    if "\\p" in switches:
        return None  # "above"/"below" depends on the page layout
    if switches & _NUMBER_SWITCHES:
        if not target.number:
            return None  # not a numbered paragraph: Word's result is not a number we know
        numbers = {target.number, target.context}
        if "\\t" in switches:  # \t drops the text around the number ("第六条" -> "六", "Clause 4" -> "4")
            numbers |= {_NON_NUMERAL_ENDS.sub("", _LEADING_WORDS.sub("", n)) for n in numbers}
        return {_number_key(n) for n in numbers if n}, target.number
    if not target.text:
        return None
    return {_squeeze(target.text).casefold()}, target.text


@rule("stale-field-result", ERROR, "fields",
      help="a DOCX cross-reference field shows a cached number or text its target no longer has",
      bad="按{REF _Ref2 \\r \\h → 第三条}的约定支付违约金。（删除一条后未更新域：_Ref2 所在的标题现为 第二条 服务费用）",
      good="按{REF _Ref2 \\r \\h → 第二条}的约定支付违约金。（按 F9 更新域后）", example="docx")
def check_stale_field_result(doc: Document, ctx: CheckContext) -> Iterable:
    """A REF field whose cached text is not what Word would show for its bookmark now."""
    texts = _line_texts(ctx)
    for view in docx_views(doc):
        folded = _folded(view)
        for use in view.refs:
            target = _lookup(view, folded, use.bookmark) if use.kind == "REF" and use.bookmark else None
            expected = expected_results(use, target) if target is not None else None
            if expected is None or _number_key(use.cached) in expected[0] or _squeeze(use.cached).casefold() in expected[0]:
                continue
            now = expected[1]
            message = (f"cross-reference shows {_shown(use.cached)} but its target now reads '{now}' "
                       f"(REF {use.bookmark}, pointing at '{target.shown}' on line {target.line})")
            yield ctx.finding(message, SourcePos(view.path, use.line), texts.get((view.path, use.line), use.cached),
                              suggestion=_UPDATE)


def split_number(text: str) -> tuple[str, str]:
    """(number, title) of a TOC entry or a heading as shown; ("", text) when it has no number."""
    entry = parse_toc_entry(text)
    if entry is not None and entry.number_text:
        return entry.number_text, entry.title
    return "", text.strip()


def _heading_parts(target: Target) -> tuple[str, str]:
    if target.number and target.shown.startswith(target.number):
        return target.number, target.shown[len(target.number):].strip()
    return split_number(target.shown)


def toc_entry_problem(text: str, target: Target) -> bool:
    """Whether a cached TOC entry disagrees with the heading it points at (number or title)."""
    if _squeeze(text) == _squeeze(target.shown):
        return False
    number, title = _heading_parts(target)
    entry_number, entry_title = split_number(text)
    if number and not entry_number and _squeeze(text).startswith(_squeeze(number)):
        entry_number, entry_title = number, text.strip()[len(number):].strip()
    if _number_key(entry_number) != _number_key(number):
        return True
    from .toc import same_title  # a TOC line is a copy of its heading: one letter off is stale

    return not same_title(entry_title, title)


@rule("stale-toc", ERROR, "fields",
      help="a DOCX table of contents (field or content control) disagrees with the headings it points at",
      bad="目录（TOC 域）\n第一条 服务内容 ……… 1\n第三条 服务费用 ……… 1  → 链接到的标题现为 第二条 服务费用\n第三条 违约责任 ……… 2",
      good="目录（TOC 域）\n第一条 服务内容 ……… 1\n第二条 服务费用 ……… 1\n第三条 违约责任 ……… 2", example="docx")
def check_stale_toc(doc: Document, ctx: CheckContext) -> Iterable:
    """TOC entries (field or content control) that disagree with the headings they point at."""
    for view in docx_views(doc):
        folded = _folded(view)
        for toc in view.tocs:
            targeted: set[str] = set()
            dangling: list[str] = []  # entries whose bookmark is gone
            for entry in toc.entries:
                text = " ".join(_PAGE_NUMBER.sub("", entry.text).split())
                if not entry.anchor or not text:
                    continue
                targeted.add(entry.anchor.casefold())
                target = _lookup(view, folded, entry.anchor)
                pos = SourcePos(view.path, entry.line)
                if target is None:
                    dangling.append(text)
                    yield ctx.finding(f"TOC entry '{text}' points at a heading that no longer exists "
                                      f"(bookmark '{entry.anchor}')", pos, text, suggestion=_UPDATE)
                elif toc_entry_problem(text, target):
                    yield ctx.finding(f"TOC entry '{text}' is stale: the heading it points at now reads "
                                      f"'{target.shown}' (line {target.line})", pos, text, suggestion=_UPDATE)
            yield from _missing_headings(ctx, view, toc.lines, targeted, dangling)


def _missing_headings(ctx: CheckContext, view: DocxView, toc_lines: list[int], targeted: set[str],
                      dangling: list[str]) -> Iterator:
    """Headings after the TOC, at a level it lists, that no entry points at.

    A heading whose bookmark was lost while its entry stayed is reported once, at the entry.
    """
    if not toc_lines or not targeted:
        return
    orphans = [title for text in dangling if (title := split_number(text)[1])]
    listed = {h.level for h in view.headings if any(b.casefold() in targeted for b in h.bookmarks)}
    last = toc_lines[-1]
    start, end = _scope(view, toc_lines)
    for heading in view.headings:
        if heading.line <= last or heading.level not in listed or not start <= heading.line <= end:
            continue
        if any(b.casefold() in targeted for b in heading.bookmarks):
            continue
        title = split_number(heading.shown)[1]
        if not any(titles_match(orphan, title) for orphan in orphans):
            yield ctx.finding(f"heading '{heading.shown}' is missing from the TOC", SourcePos(view.path, heading.line),
                              heading.shown, suggestion=_UPDATE)


_SCOPE = rx.compile(r'\\b\s+"?([^"\s\\]+)"?')


def _scope(view: DocxView, toc_lines: list[int]) -> tuple[float, float]:
    """The lines a TOC field collects headings from: the range of the bookmark its ``\\b``
    switch names (a bilingual contract's Chinese text), else the whole document."""
    toc = next((t for t in view.tocs if t.lines == toc_lines), None)
    m = _SCOPE.search(toc.instruction) if toc is not None else None
    if m is None or m[1] not in view.bookmarks:
        return float("-inf"), float("inf")
    return view.bookmarks[m[1]], view.bookmark_ends.get(m[1], float("inf"))


def _field_texts(view: DocxView) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for use in view.refs:
        if use.cached.strip():
            out.setdefault(use.line, []).append(_squeeze(use.cached))
    return out


@rule("hard-typed-reference", WARNING, "fields",
      help="a typed clause reference in a DOCX whose articles Word numbers automatically",
      bad="（第X条由 numbering.xml 自动编号）甲方逾期付款的，按第二条的约定支付违约金。",
      good="（第X条由 numbering.xml 自动编号）甲方逾期付款的，按{REF _Ref2 \\r \\h → 第二条}的约定支付违约金。", example="docx")
def check_hard_typed_reference(doc: Document, ctx: CheckContext) -> Iterable:
    """A typed clause reference in a DOCX whose articles Word numbers: it will go stale."""
    for view in docx_views(doc):
        auto = {(p.id, c.number[0]) for p, c in doc.clauses() if c.number and _is_auto(view, c)}
        if not auto:
            continue
        fields = _field_texts(view)
        for unit in ctx.units:
            if unit.pos is None or unit.pos.path != view.path:
                continue
            cached = fields.get(unit.pos.line, [])
            for cit in citations(unit.text):
                if cit.kind != "clause" or _is_field(cit.text, cached) or foreign_clause(ctx, unit, cit):
                    continue
                part = target_part(doc, unit, cit)
                # only a reference into an article Word numbers goes stale; a typed target moves with it
                if part is None or (part.id, cit.number[0]) not in auto:
                    continue
                cited = cit.text if not cit.title else (
                    f"{cit.text}（{cit.title}）" if ctx.lang == "zh" else f"{cit.text} ({cit.title})")
                yield ctx.finding(f"typed reference '{cited}' will go stale: the clauses it points into "
                                  "are numbered automatically by Word", unit.pos, unit.text,
                                  suggestion="insert it as a cross-reference (REF field) instead", around=cit.start)


def _is_auto(view: DocxView, clause: Clause) -> bool:
    pos = clause.pos
    return clause.level == 1 and pos is not None and pos.path == view.path and pos.line in view.auto_lines


def is_field_result(ctx: CheckContext, unit, cit) -> bool:
    """Whether a citation in a DOCX is a REF field's cached result: the field rules judge
    those (stale-field-result), so the typed-reference rules leave them alone."""
    if unit.pos is None or not ctx.doc.docx:
        return False
    table = ctx.memo("field-texts", lambda: {v.path: _field_texts(v) for v in docx_views(ctx.doc)})
    cached = table.get(unit.pos.path, {}).get(unit.pos.line)
    return bool(cached) and _is_field(cit.text, cached)


def _is_field(cited: str, cached: list[str]) -> bool:
    """A citation made of a REF field's result ("第六条", or typed 第…条 around a "6.2" field)."""
    key = _squeeze(cited)
    return any(c in key or key in c for c in cached)


@rule("missing-east-asian-font", WARNING, "usage",
      help="Chinese text in a DOCX with no East Asian font on its runs, styles or defaults",
      bad="（没有 styles.xml，段落无 w:eastAsia 字体）技术服务合同 / 第一条 服务内容 / 乙方为甲方提供客服服务。",
      good='（styles.xml 的默认字体 w:eastAsiaTheme="minorEastAsia"）技术服务合同 / 第一条 服务内容 / 乙方为甲方提供客服服务。',
      example="docx")
def check_missing_east_asian_font(doc: Document, ctx: CheckContext) -> Iterable:
    """Chinese text with no East Asian font: once per paragraph, or once for a file lacking it throughout."""
    for view in docx_views(doc):
        lines = view.fontless
        if not lines:
            continue
        first, text = next(iter(lines.items()))
        if len(lines) == view.chinese_paragraphs and len(lines) > 1:
            yield ctx.finding(f"none of the {len(lines)} Chinese paragraphs has an East Asian font (no w:eastAsia "
                              "font on the runs, their styles or the document defaults)", SourcePos(view.path, first),
                              text, suggestion="set an East Asian font (e.g. 宋体/SimSun) in the Normal style")
            continue
        for line, text in lines.items():
            yield ctx.finding(f"Chinese text without an East Asian font: '{shorten(text, 30)}' will print in whatever "
                              "font Word, WPS or LibreOffice picks", SourcePos(view.path, line), text,
                              suggestion="give the paragraph's style or runs an East Asian font")
