"""Reference rules: citations of clauses and attachments that do not exist, or that name
the wrong title. Rules work from the text, so generated and hand-typed contracts are
checked alike; a citation is only judged when the structure it points into is known.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable, Iterator

from ..diagnostics import ERROR, WARNING
from ..grammar import parse_attachment_head
from ..model import Clause, Document, Part
from .base import CheckContext, TextUnit, rule
from .citations import Citation, text_citations, all_citations
from .index import attachment_info, clauses_by_part, main_part
from .instruments import is_attachment_head, names_other_instrument, sentence_around
from .numbering import normalize_title
from .. import rx


def target_part(doc: Document, unit: TextUnit, cit: Citation) -> Part | None:
    if cit.scope == "main":
        return main_part(doc)
    if cit.scope == "self" and unit.part.kind == "addendum" and any(True for _ in unit.part.clauses()):
        return unit.part  # "本协议第二条" in an addendum cites the addendum itself
    if cit.scope == "self":
        return main_part(doc)
    if cit.scope.startswith("part:"):
        number = int(cit.scope[5:])
        return next((p for p in doc.parts if p.kind != "attachment" and p.number == number), None)
    if any(True for _ in unit.part.clauses()):
        return unit.part
    return main_part(doc)


def _known(index: dict[tuple[int, ...], Clause], number: tuple[int, ...]) -> bool | None:
    """True if the clause exists, False if it certainly does not, None if we cannot tell."""
    if number in index:
        return True
    if len(number) > 1 and number[:-1] in index:
        depth = len(number)
        has_children = any(len(n) == depth and n[:-1] == number[:-1] for n in index)
        return False if has_children else None
    return False


def _resolved_clauses(ctx: CheckContext) -> list[tuple[TextUnit, Citation, Part, Clause | None]]:
    """(unit, citation, the part it points into, the clause cited or None) of every
    citation of a clause in a part with a known outline."""
    def resolved(index: int, found: tuple[Citation, ...]) -> list:
        indexes, unit, out = clauses_by_part(ctx), ctx.units[index], []
        for cit in found:
            if cit.kind != "clause":
                continue
            part = target_part(ctx.doc, unit, cit)
            clauses = indexes.get(part.id) if part else None
            if clauses and _known(clauses, cit.number) is not None:
                out.append((unit, cit, part, clauses.get(cit.number)))
        return out
    return ctx.memo("resolved-clauses", lambda: ctx.unit_items("citations", text_citations, resolved, reads_outline=True))


@rule("dangling-reference", ERROR, "references", help="a reference to a clause or attachment that does not exist",
      bad="第一条 服务\n乙方按第三条的约定收取费用。\n第二条 费用\n甲方按月付款。", good="第一条 服务\n乙方按第二条的约定收取费用。\n第二条 费用\n甲方按月付款。")
def check_dangling_reference(doc: Document, ctx: CheckContext) -> Iterable:
    """A citation of a clause or attachment that the document does not have.

    An error, and certain: the citation is of this contract (no law, statute, incorporated
    instrument or other document named with it) and the part it points into has a known
    outline in which the number is absent."""
    from .fields import is_field_result  # fields builds on this module

    for unit, cit, part, clause in _resolved_clauses(ctx):
        if clause is None and not is_field_result(ctx, unit, cit) and not foreign_clause(ctx, unit, cit) \
           and not _unnumbered_sibling(ctx, part, cit):
            where = f" in {part.cite_as or part.heading_text}" if cit.scope else ""
            if ctx.doc.set_files is not None and part.pos and unit.pos and part.pos.path != unit.pos.path:
                where += f" ({Path(part.pos.path).name})"  # a contract set: the cited part's file
            found = ctx.finding(f"reference to {cit.text}{where}, which does not exist", unit.pos, unit.text,
                                around=cit.start)
            yield as_warning(found) if _word_numbered(ctx, part) else found
    info = attachment_info(ctx)
    for unit, cit in all_citations(ctx):
        if cit.kind == "attachment" and cit.key not in info.listed and cit.key not in info.content and \
           not is_attachment_head(unit.text, cit.start):
            yield ctx.finding(f"reference to {cit.text}, which is neither listed nor included", unit.pos, unit.text,
                              around=cit.start)


_EN_WORDS = ("Article", "Section", "Clause")
_OF_THIS = rx.compile(r"(?:\([a-z0-9]{1,4}\))*\s+(?:of|in|under)\s+(?:this|these)\b")


def as_warning(found):
    """The finding, downgraded: the text leaves doubt."""
    found.severity = WARNING
    return found


def _word_numbered(ctx: CheckContext, part: Part) -> bool:
    """Whether the cited part's clause numbers are Word's automatic numbering: they are our
    rendering of numbering.xml, not typed text, so a finding against them is a warning."""
    def compute() -> set[str]:
        from .fields import docx_views  # fields builds on this module
        auto = {(v.path, line) for v in docx_views(ctx.doc) for line in v.auto_lines}
        return {p.id for p, c in ctx.doc.clauses() if c.pos and (c.pos.path, c.pos.line) in auto}
    return part.id in ctx.memo("word-numbered-parts", compute) if ctx.doc.docx else False


def _unnumbered_sibling(ctx: CheckContext, part: Part, cit: Citation) -> bool:
    """"第六条" in a contract whose articles are 一、二、…六、: a top-level clause of a style
    not cited by number has the cited ordinal, so the article may well exist."""
    if len(cit.number) != 1:
        return False
    ordinals = ctx.memo("unnumbered-ordinals", lambda: {
        (p.id, c.ordinal) for p in ctx.doc.parts for c in p.clauses() if c.number is None and c.parent is None})
    return (part.id, cit.number[0]) in ordinals


def foreign_clause(ctx: CheckContext, unit: TextUnit, cit: Citation) -> bool:
    """"In Clause 17 (Option 1), the EEA SCCs will be governed …", or "(iv) All square
    brackets in Clause 13 are removed;" in a list whose lead-in (or the text just before it)
    names the EEA SCCs: a clause of an instrument the contract incorporates, unless this
    contract has a heading "Clause …". Not certainly dangling, so not reported."""
    word = cit.text.split()[0]
    if word not in _EN_WORDS:
        return False
    headed = ctx.memo("clause-head-words", lambda: {w for _, c in ctx.doc.clauses() for w in _EN_WORDS
                                                    if c.number_text.startswith(w) or c.title.startswith(w)})
    if word in headed or _OF_THIS.match(unit.text, cit.start + len(cit.text)):
        return False  # "Section 3.2 of this DPA contains the information required in … the UK Addendum"
    if names_other_instrument(sentence_around(unit.text, cit.start)):
        return True
    parent = getattr(unit.block, "parent", None)  # the list's lead-in: its parent clause, ending with a colon
    blocks = ctx.memo("unit-of-block", lambda: {id(u.block): i for i, u in reversed(list(enumerate(ctx.units)))})
    at = blocks.get(id(parent)) if parent is not None else None
    if at is None or not ctx.units[at].text.rstrip().endswith((":", "：")):
        return False
    return any(names_other_instrument(u.text) for u in ctx.units[max(0, at - 1):at + 1])


def titles_match(given: str, actual: str) -> bool:
    a, b = normalize_title(given), normalize_title(actual)
    if not a or not b or a == b or a in b or b in a:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


@rule("reference-title-mismatch", ERROR, "references", help="a reference names a title its target does not have",
      bad="See Section 5.5 (Confidentiality).\n5.5 Security. Provider shall maintain security.",
      good="See Section 5.5 (Security).\n5.5 Security. Provider shall maintain security.")
def check_reference_title_mismatch(doc: Document, ctx: CheckContext) -> Iterable:
    """"Article 5 (Confidentiality)" when Article 5 is Fees.

    An error, and certain: the cited clause exists in this contract and its title is not
    the one the citation gives (a title naming a sub-clause, "6.3(g) (Attorney-in-Fact)",
    is not compared)."""
    for unit, cit, part, clause in _resolved_clauses(ctx):
        if clause is None or not cit.title or not clause.title or titles_match(cit.title, clause.title):
            continue
        better = [c.number_text for c in part.clauses() if c.title and titles_match(cit.title, c.title)]
        hint = f"did you mean {better[0]}?" if better else ""
        found = ctx.finding(f"{cit.text} ({cit.title}) names the wrong title: {cit.text} is '{clause.title}'",
                            unit.pos, unit.text, suggestion=hint, around=cit.start)
        yield as_warning(found) if _word_numbered(ctx, part) else found
    yield from _attachment_title_mismatches(ctx)


def _attachment_titles(ctx: CheckContext) -> dict[tuple[str, int], str]:
    titles = {}
    listed = attachment_info(ctx).listed
    for part in ctx.doc.parts:
        head = parse_attachment_head(part.number_text) if part.kind == "attachment" else None
        key = head.key if head else None
        if head and part.title and not _own_file(part, listed.get(key)):
            titles[key] = part.title
    for key, (_, title, _) in listed.items():
        titles.setdefault(key, title)
    return titles


def _own_file(part: Part, entry) -> bool:
    """An attachment delivered as its own file (a contract set): the register's title stands,
    and a different title in the file is attachment-title-mismatch's to report."""
    pos = entry[2] if entry else None
    return bool(pos and part.pos and pos.path != part.pos.path)


def _attachment_title_mismatches(ctx: CheckContext) -> Iterator:
    titles = _attachment_titles(ctx)
    for unit, cit in all_citations(ctx):
        actual = titles.get(cit.key) if cit.kind == "attachment" else None
        if actual and cit.title and not titles_match(cit.title, actual):
            yield ctx.finding(f"{cit.text} ({cit.title}) names the wrong title: {cit.text} is '{actual}'",
                              unit.pos, unit.text, around=cit.start)
