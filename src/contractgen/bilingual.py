"""Bilingual contracts (中英文对照): one template, one structure, a text in each language.

A template with ``languages: [zh, en]`` has a translation beside each clause
(``fees.en.md`` beside ``fees.md``, the same id and labels). Building it builds each
language's text as the same template would in that language alone — the same passes and
check rules, through :func:`language_view` — from the same data (a field declared
``translate: true`` shows its ``<name>_en`` value in the English text). Both texts are
made of the same clauses in the same order, so they are numbered and resolved alike: a
reference to ``[[ref:delivery]]`` is 第三条 in one and Article 3 in the other, and moving
a clause in ``contract.yaml`` moves it in both. :func:`structure_problems` holds them to
that: a translation with a section more or a label fewer stops the build, naming both
files.

:func:`combine` then sets the two texts out in one :class:`~contractgen.model.Document`
for the writers, in the template's layout: ``side-by-side`` and ``interleaved`` pair each
part (``Part.columns``) and each unit — a clause and the paragraphs after it
(:class:`~contractgen.model.Parallel`); ``sequential`` lists the whole of one text, then
the whole of the other. Each language's own document stays in ``Document.texts``, and the
parity rules (``bilingual-…``, :mod:`contractgen.checks.bilingual`) compare the paired
units of the combined one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from .diagnostics import ERROR, WARNING, Finding, InputErrors
from .model import Clause, Column, Document, Parallel, Part, SourcePos, clause_units
from . import rx

# a line that is only [[precedence]], maybe as a numbered item ("## [[precedence]]")
PRECEDENCE_LINE = rx.compile(r"^([ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+)?)\[\[precedence\]\][ \t]*$", re.M)

_LANGUAGE = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "Chinese", "en": "English"}}
_PRECEDENCE = {
    "zh": "{cite}以{langs}两种文字书就，两种文本具有同等法律效力；两种文本如有任何不一致，以{governing}文本为准。",
    "en": "{cite} is made in {langs}, and both texts are equally authentic. In case of any discrepancy "
          "between the two texts, the {governing} text shall prevail.",
}
_DEFAULT_CITE = {"zh": "本合同", "en": "This Agreement"}


def precedence_sentence(spec, lang: str) -> str:
    """The precedence clause in ``lang``: which texts the contract is made in, and that the
    governing language's text prevails."""
    names = _LANGUAGE[lang]
    main = next((p for p in spec.parts if p.kind == "main"), None)
    cite = (main.cite_as_in(lang, spec.lang) if main else "") or _DEFAULT_CITE[lang]
    if lang == "en":
        cite = cite[:1].upper() + cite[1:]
        langs = " and ".join(names[x] for x in spec.languages)
    else:
        langs = "和".join(names[x] for x in spec.languages)
    return _PRECEDENCE[lang].format(cite=cite, langs=langs, governing=names[spec.governing])


def with_precedence(fragment, sentence: str | None):
    """The fragment with a ``[[precedence]]`` line replaced by ``sentence`` (lines kept, so
    positions stay); unchanged when it has none."""
    if "[[precedence]]" not in fragment.body:
        return fragment
    return replace(fragment, body=PRECEDENCE_LINE.sub(lambda m: m[1] + sentence, fragment.body))


def precedence_misplaced(fragment) -> Finding | None:
    """``[[precedence]]`` in a template with one language: there is nothing to prevail over."""
    if "[[precedence]]" not in fragment.body:
        return None
    return Finding("bad-fragment", ERROR, "[[precedence]] is the precedence clause of a bilingual contract; "
                   "this template has one language", fragment.pos(_body_line(fragment.body, "[[precedence]]")),
                   suggestion="add languages: [zh, en] to contract.yaml, or remove the line")


def _body_line(body: str, needle: str) -> int:
    return next((i for i, line in enumerate(body.splitlines(), start=1) if needle in line), 1)


# --------------------------------------------------------------------- the language views


def language_view(template, lang: str):
    """The template as a template in ``lang`` alone: that language's fragments, scheme,
    titles and ``cite_as``; built from :func:`data_in` data, it gives that language's text."""
    return template.views[lang]


def make_view(template, lang: str, fragments: dict):
    """A :class:`~contractgen.pipeline.Template` for one language of a bilingual one."""
    from .pipeline import Template

    spec = template.spec
    parts = [replace(p, title=p.title_in(lang, spec.lang), cite_as=p.cite_as_in(lang, spec.lang))
             for p in spec.parts]
    view_spec = replace(spec, lang=lang, scheme=spec.scheme_for(lang), title=spec.title_in(lang), parts=parts,
                        languages=(), governing="", layout="", schemes={}, titles={})
    return Template(view_spec, fragments)


def translated_fields(spec) -> dict[str, dict[str, str]]:
    """lang -> {field: its field in that language} ("party_a.name" -> "party_a.name_en")."""
    out: dict[str, dict[str, str]] = {}
    for name, fs in spec.data.items():
        if fs.translation_of:
            lang = name.rsplit("_", 1)[1]
            out.setdefault(lang, {})[fs.translation_of] = name
    return out


def data_in(spec, data: dict, lang: str) -> dict:
    """The data as the ``lang`` text prints it: each ``translate: true`` field holds its
    value in that language (``party_a.name`` shows ``party_a.name_en``)."""
    fields = translated_fields(spec).get(lang)
    if lang == spec.lang or not fields:
        return data
    from .spec import lookup

    out = _copy(data)
    for name, other in fields.items():
        *groups, leaf = name.split(".")
        node = out
        for g in groups:
            node = node.get(g) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node[leaf] = lookup(data, other)
    return out


def _copy(node):
    return {k: _copy(v) for k, v in node.items()} if isinstance(node, dict) else node


# --------------------------------------------------------------------- building


def build_bilingual(template, data: dict, policy, build_one: Callable):
    """Each language's text built by ``build_one(view, data, policy)`` (``pipeline.build`` or the
    batch's cached build), held to one structure, combined in the template's layout and
    checked for parity. Returns a :class:`~contractgen.pipeline.Built` whose document is
    the combined one; its findings are both texts' and the parity rules'."""
    from .pipeline import Built

    spec = template.spec
    # each text in its own language, without the parity rules (they compare the two texts, below)
    own = replace(policy, lang=None, codes=tuple(r.code for r in policy.rules if r.family != "bilingual"))
    builds = {lang: build_one(language_view(template, lang), data_in(spec, data, lang), own)
              for lang in spec.languages}
    texts = {lang: built.doc for lang, built in builds.items()}
    problems = structure_problems(spec, texts)
    if problems:
        raise InputErrors(problems)
    doc = combine(spec, texts)
    findings = [f for built in builds.values() for f in built.findings]
    findings += template.load_findings
    findings += parity_findings(doc, policy)
    timings: dict[str, float] = {}
    for built in builds.values():
        for name, seconds in built.timings.items():
            timings[name] = timings.get(name, 0.0) + seconds
    return Built(doc, _sorted(findings), policy, timings, sum(b.suppressed for b in builds.values()))


def _sorted(findings: list[Finding]) -> list[Finding]:
    from .checks import finish_findings

    return finish_findings(findings)


def parity_findings(doc: Document, policy) -> list[Finding]:
    from .checks import rule_findings

    return rule_findings(doc, policy.lang, [r for r in policy.rules if r.family == "bilingual"])


def structure_problems(spec, texts: dict[str, Document]) -> list[Finding]:
    """The texts must have the same parts and, in each, the same clauses at the same levels
    with the same labels: the first difference of each part, at the translation's line,
    naming the original's."""
    first, *others = spec.languages
    problems: list[Finding] = []
    for lang in others:
        parts = {p.id: p for p in texts[lang].parts}
        for part in texts[first].parts:
            other = parts.get(part.id)
            if other is None:
                problems.append(Finding("bilingual-structure", ERROR, f"part '{part.id}' is in the {_NAMES[first]} text "
                                        f"but not in the {_NAMES[lang]} text", part.pos,
                                        suggestion="a part's 'when' must not depend on a translated field"))
                continue
            problem = _first_difference(part, other, first, lang)
            if problem is not None:
                problems.append(problem)
    return problems


_NAMES = {"zh": "Chinese", "en": "English"}


def _first_difference(part: Part, other: Part, first: str, lang: str) -> Finding | None:
    """The first article whose clauses differ between the texts — in number, level or
    label — as one finding at the translation's article, naming the original's."""
    mine, theirs = _articles(list(part.clauses())), _articles(list(other.clauses()))
    for a, b in zip(mine, theirs):
        if _shape(a) == _shape(b):
            continue
        head_a, head_b = a[0], b[0]
        if _shape(a[:1]) != _shape(b[:1]):
            return Finding("bilingual-structure", ERROR,
                           f"the {_NAMES[lang]} text has {_describe(head_b)} where the {_NAMES[first]} text has "
                           f"{_describe(head_a)} ({_place(head_a.pos)})", head_b.pos or head_a.pos,
                           suggestion=_SAME_SHAPE)
        return Finding("bilingual-structure", ERROR,
                       f"{head_a.number_text or 'this clause'} has {_count(a[1:])} in the {_NAMES[first]} text "
                       f"({_place(head_a.pos)}) but {_count(b[1:])} in the {_NAMES[lang]} text", head_b.pos or head_a.pos,
                       suggestion=_SAME_SHAPE)
    if len(mine) != len(theirs):
        longer, shorter, missing_in = (mine, theirs, lang) if len(mine) > len(theirs) else (theirs, mine, first)
        extra = longer[len(shorter)][0]
        near = shorter[-1][0] if shorter else None
        where = f"; the last it has is {_describe(near)} ({_place(near.pos)})" if near else ""
        return Finding("bilingual-structure", ERROR,
                       f"{_describe(extra)} has no counterpart in the {_NAMES[missing_in]} text{where}",
                       extra.pos, suggestion="translate it, or remove it from both texts")
    return None


_SAME_SHAPE = ("a translation has the same headings and numbered items at the same levels, with the same "
               "{#labels}, as the clause it translates")


def _articles(clauses: list[Clause]) -> list[list[Clause]]:
    """Clauses grouped by their top-level clause (an article and everything under it)."""
    groups: list[list[Clause]] = []
    top = min((c.level for c in clauses), default=1)
    for clause in clauses:
        if clause.level == top or not groups:
            groups.append([clause])
        else:
            groups[-1].append(clause)
    return groups


def _shape(clauses: list[Clause]) -> list[tuple]:
    return [(c.level, c.label, c.origin and c.origin.clause_id, bool(c.title)) for c in clauses]


def _count(clauses: list[Clause]) -> str:
    """"3 numbered items under it", with the labels they carry when they carry any."""
    if not clauses:
        return "no numbered item under it"
    labels = sorted({c.label for c in clauses if c.label})
    count = f"{len(clauses)} numbered item{'s' if len(clauses) > 1 else ''} under it"
    return count + (f" (labels {', '.join(labels)})" if labels else "")


def _describe(clause: Clause | None) -> str:
    """A clause as a message names it: "3.2 ('本合同自双方签字…')", "Article 2 'Price' {#payment}"."""
    if clause is None:
        return "nothing"
    from .model import plain_text

    label = f" {{#{clause.label}}}" if clause.label else ""
    words = clause.title or plain_text(clause.text)
    words = f" '{words[:24]}…'" if len(words) > 24 else (f" '{words}'" if words else "")
    number = clause.number_text or f"a level-{clause.level} {'heading' if clause.title else 'item'}"
    return f"{number}{words}{label}"


def _place(pos: SourcePos | None) -> str:
    return str(pos) if pos else "generated"


# --------------------------------------------------------------------- the layouts


def combine(spec, texts: dict[str, Document]) -> Document:
    """The texts set out in one document in ``spec.layout``. A batch builds each row's
    texts into the same documents (filled in place), so the combination of two documents
    is made once and kept in the first one's memo."""
    langs = spec.languages
    first = texts[langs[0]]
    key = ("bilingual", spec.layout, tuple(id(texts[lang]) for lang in langs))
    if first.fixed_blocks is not None:
        cached = first.fixed_memo.get(key)
        if cached is not None:
            cached.meta = _meta(spec, texts)
            return cached
    for lang in langs[1:]:
        mark_ids(texts[lang], lang)
    doc = Document(title=first.title, lang=first.lang, meta=_meta(spec, texts), source=first.source,
                   languages=tuple(langs), layout=spec.layout, governing=spec.governing, texts=dict(texts))
    for text in texts.values():
        doc.suppressions.extend(text.suppressions)
    if spec.layout == "sequential":
        for lang in langs:
            doc.parts.extend(texts[lang].parts)
    else:
        doc.parts = _paired_parts([texts[lang] for lang in langs], langs)
    if all(text.fixed_blocks is not None for text in texts.values()):
        doc.fixed_blocks = _fixed(doc, texts)
        first.fixed_memo[key] = doc
    return doc


def _meta(spec, texts: dict[str, Document]) -> dict:
    first = texts[spec.languages[0]]
    meta = dict(first.meta)
    meta.update(languages=list(spec.languages), layout=spec.layout, governing=spec.governing,
                titles={lang: texts[lang].title for lang in spec.languages})
    return meta


def _paired_parts(docs: list[Document], langs) -> list[Part]:
    out = []
    for parts in zip(*(d.parts for d in docs)):
        frame = Part(kind=parts[0].kind, id=parts[0].id, title=parts[0].title, scheme=parts[0].scheme,
                     cite_as=parts[0].cite_as, label=parts[0].label, number=parts[0].number,
                     number_text=parts[0].number_text, pos=parts[0].pos, anchor=parts[0].anchor,
                     columns=list(parts))
        units = [clause_units(p) for p in parts]
        for index in range(max(map(len, units))):
            columns = [Column(lang, part, u[index] if index < len(u) else []) for lang, part, u in zip(langs, parts, units)]
            head = next((c.blocks[0] for c in columns if c.blocks), None)
            frame.blocks.append(Parallel(columns=columns, pos=head.pos if head else None,
                                         origin=head.origin if head else None))
        out.append(frame)
    return out


def aligned_rows(parallel: Parallel) -> list[list[list]]:
    """The rows a writer sets out for one unit: block by block when every column has as
    many blocks (a paragraph beside its translation), else the whole unit in one row."""
    counts = {len(c.blocks) for c in parallel.columns}
    if len(counts) == 1:
        return [[[c.blocks[i]] for c in parallel.columns] for i in range(counts.pop())]
    return [[list(c.blocks) for c in parallel.columns]]


def _fixed(doc: Document, texts: dict[str, Document]) -> frozenset[int]:
    fixed = set().union(*(t.fixed_blocks for t in texts.values()))
    for part in doc.parts:
        if part.columns:
            ok = True
            for block in part.blocks:
                if all(id(b) in fixed for c in block.columns for b in c.blocks):
                    fixed.add(id(block))
                else:
                    ok = False
            if ok and all(id(p) in fixed for p in part.columns):
                fixed.add(id(part))
    return frozenset(fixed)


# --------------------------------------------------------------------- ids

_BOOKMARK_NUMBER = rx.compile(r"^(_Ref|_Toc)(\d+)$")


def mark_ids(doc: Document, lang: str) -> None:
    """Give a translation's anchors and bookmarks names of their own ("en-delivery",
    ``_Ref5…``), so both texts' headings can be targets in one file. Idempotent: a batch
    renames a clause set's document once."""
    if doc.fixed_memo.get("ids_lang") == lang:  # a batch's clause set, renamed for an earlier row
        return
    from .passes.ids import targets

    for target, _part in targets(doc):
        target.anchor = f"{lang}-{target.anchor}" if target.anchor else target.anchor
        target.ref_bookmark = _moved(target.ref_bookmark)
        target.toc_bookmark = _moved(target.toc_bookmark)
    doc.fixed_memo["ids_lang"] = lang


def _moved(name: str) -> str:
    m = _BOOKMARK_NUMBER.match(name or "")
    return f"{m[1]}{int(m[2]) + 400000000}" if m else name


__all__ = ["aligned_rows", "build_bilingual", "combine", "data_in", "language_view", "precedence_sentence",
           "structure_problems"]
