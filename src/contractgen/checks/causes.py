"""Findings that share one cause: an article deleted, inserted or moved in Word without
updating fields.

A post-pass over a document's findings, run after the rules. Word keeps a field's cached
result until fields are updated, so one deleted article leaves every TOC entry and
cross-reference after it one number too high (``stale-toc``, ``stale-field-result``), the
cross-references into it pointing at a bookmark that is gone
(``broken-field-reference``), the titles typed next to stale numbers naming another
article (``reference-title-mismatch``), and typed section numbers ("4.1") left under the
article Word now numbers 第三条 (``numbering-order``). :func:`find_causes` says so once.

Certain or silent. Every TOC entry, numbered REF field and typed section number under a
Word-numbered article is an *observation*: the number it shows (its cached result) and the number its target has now
(or "gone"). An event is one of: article k deleted, an article inserted at k, article a
moved to b, in one part. A cause is reported only when exactly one event explains every
observation — the stale ones and the ones still right — and at least two findings follow
from it; a finding is grouped under it only when every observation that could have given
it is explained. Anything else prints as before.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, NamedTuple

from ..diagnostics import Finding
from ..grammar import parse_clause_number
from ..model import Document
from ..views import DocxView, FieldUse, Target
from .base import CheckContext
from .citations import Citation, citations
from .fields import _PAGE_NUMBER, expected_results, split_number, toc_entry_problem
from .references import target_part, titles_match
from .toc import same_title

FIELD_CODES = ("stale-toc", "stale-field-result", "broken-field-reference")
TYPED_CODE = "numbering-order"  # a typed "4.1" under the article Word now numbers 第三条
REFERENCE_CODES = ("reference-title-mismatch", "dangling-reference")
MIN_FINDINGS = 2  # one stale field is its own finding, not a pattern


# --- messages: user-facing text, kept together so the message catalogs can wrap it -------

def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _stale_phrase(toc: int, refs: int) -> str:
    items = [s for s in (_plural(toc, "TOC entry", "TOC entries") if toc else "",
                         _plural(refs, "cross-reference", "cross-references") if refs else "") if s]
    verb = "is" if toc + refs == 1 else "are"
    return f"{' and '.join(items)} {verb} stale" if items else ""


def summary_text(kind: str, article: str, now: str, counts: dict[str, int], missing: int) -> str:
    """The one line that names the cause ("第三条 (服务费用) appears to have been deleted: …")."""
    toc, refs, broken = counts.get("stale-toc", 0) - missing, counts.get("stale-field-result", 0), \
        counts.get("broken-field-reference", 0)
    typed = counts.get(TYPED_CODE, 0)
    facts = [_stale_phrase(toc, refs)]
    if typed:
        facts.append(f"{_plural(typed, 'typed clause number still carries', 'typed clause numbers still carry')} "
                     "the old article number")
    if kind == "deleted":
        head = f"{article} appears to have been deleted"
        if broken:
            facts.append(f"{_plural(broken, 'cross-reference points', 'cross-references point')} into it")
    elif kind == "inserted":
        head = f"{now} appears to have been inserted"
        if missing:
            facts.append("the TOC does not list it")
    else:
        head = f"{article} appears to have been moved (it is now {now})"
    fixes = ["update fields (select all, F9)"] if toc + refs + broken + missing else []
    if broken:
        fixes.append("re-insert the cross-references that pointed into it")
    if typed:
        fixes.append("renumber the typed clause numbers by hand")
    fix = ", then ".join(fixes)
    return f"{head}: {', '.join(f for f in facts if f)} — {fix}"


def named(number: str, title: str) -> str:
    number = " ".join(number.split())
    return f"{number} ({title})" if title else number


# --- the model -------------------------------------------------------------------------------

@dataclass
class Cause:
    """One event many findings follow from; ``findings`` are the ones grouped under it."""

    kind: str      # "deleted", "inserted" or "moved"
    article: str   # the article as it was numbered ("第三条 (服务费用)")
    summary: str
    path: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def codes(self) -> dict[str, int]:
        """How many grouped findings each code has, in the order they are first met."""
        return dict(Counter(f.code for f in self.findings))

    def as_dict(self, cause_id: str) -> dict:
        return {"id": cause_id, "kind": self.kind, "article": self.article, "summary": self.summary,
                "count": len(self.findings), "codes": self.codes}


@dataclass(frozen=True)
class Event:
    kind: str   # "deleted" (article a), "inserted" (at a), "moved" (a to b)
    part: str
    a: int
    b: int = 0

    def maps(self, n: int) -> int | None:
        """The number old article ``n`` has after the event; None if it is gone."""
        a, b = self.a, self.b
        if self.kind == "deleted":
            return None if n == a else (n - 1 if n > a else n)
        if self.kind == "inserted":
            return n + 1 if n >= a else n
        if n == a:
            return b
        if a < n <= b:
            return n - 1
        return n + 1 if b <= n < a else n


@dataclass
class Observation:
    """A TOC entry or numbered REF field: what it shows and what its target is now."""

    code: str                          # the finding it gives when stale
    line: int
    part: str | None                   # the part its target is in; None: unknown (bookmark gone)
    old: tuple[int, ...] | None        # the number it shows; None: not a clause number
    new: tuple[int, ...] | None        # its target's number now; None: the bookmark is gone
    stale: bool
    label: str = ""                    # the number as shown ("第三条", "Article 3")
    title: str = ""                    # the title it shows (TOC entries)
    title_now: str = ""                # its target's title now
    title_ok: bool = True              # a TOC entry's title is its heading's
    use: FieldUse | None = None

    def fits(self, event: Event) -> bool:
        if self.old is None or self.part is None:
            return True  # says nothing about the event
        first = event.maps(self.old[0]) if self.part == event.part else self.old[0]
        if first is None:
            return self.new is None
        return self.new == (first, *self.old[1:])

    def explained(self, event: Event) -> bool:
        if not self.stale or self.old is None or not self.title_ok:
            return False
        if self.part is None:  # a field into a deleted article
            return event.kind == "deleted" and self.new is None and self.old[0] == event.a
        return self.fits(event) and self.new != self.old


# --- reading the observations ------------------------------------------------------------------

class _Clause(NamedTuple):
    part: str
    number: tuple[int, ...]
    title: str
    label: str  # its number as shown now ("第五条", "Article 5")


@dataclass
class _Layout:
    """Where each clause and part of one Word file is, by line."""

    clauses: dict[int, _Clause]  # heading line -> the clause
    parts: dict[int, str]        # heading line -> part id
    articles: dict[str, int]     # part id -> articles now

    def clause(self, part: str, number: tuple[int, ...]) -> tuple[int, _Clause] | None:
        return next(((line, c) for line, c in self.clauses.items() if c.part == part and c.number == number), None)

    def part_at(self, line: int) -> str | None:
        """The part of the clause or part heading on ``line``."""
        clause = self.clauses.get(line)
        return clause.part if clause else self.parts.get(line)

    @classmethod
    def of(cls, doc: Document, view: DocxView) -> "_Layout":
        clauses, parts, articles = {}, {}, {}
        for part in doc.parts:
            if part.pos is not None and part.pos.path == view.path:
                parts[part.pos.line] = part.id
            for clause in part.clauses():
                if clause.pos is not None and clause.pos.path == view.path and clause.number:
                    clauses[clause.pos.line] = _Clause(part.id, clause.number, clause.title or "",
                                                       " ".join(clause.number_text.split()))
                    articles[part.id] = articles.get(part.id, 0) + (len(clause.number) == 1)
        return cls(clauses, parts, articles)


def _number(text: str) -> tuple[int, ...] | None:
    parsed = parse_clause_number(" ".join(text.split()))
    return parsed.number if parsed is not None and not parsed.rest else None


def _targets(view: DocxView) -> Callable[[str], Target | None]:
    """A bookmark's target; Word matches bookmark names without regard to case."""
    folded = {name.casefold(): target for name, target in view.targets.items()}
    return lambda name: view.targets.get(name) or folded.get(name.casefold())


def toc_observations(view: DocxView, layout: _Layout) -> Iterator[Observation]:
    """One per numbered TOC entry; an entry whose heading is gone is taken to be in the part
    of the entry before it (a TOC lists the parts in order)."""
    lookup = _targets(view)
    for toc in view.tocs:
        part = None
        for entry in toc.entries:
            text = " ".join(_PAGE_NUMBER.sub("", entry.text).split())
            if not entry.anchor or not text:
                continue
            target = lookup(entry.anchor)
            number, title = split_number(text)
            if target is not None:
                part = layout.part_at(target.line) or part
            old = _number(number) if number else None
            if old is None:
                continue
            if target is None:
                yield Observation("stale-toc", entry.line, part, old, None, True, number, title)
                continue
            now = layout.clauses.get(target.line)
            yield Observation("stale-toc", entry.line, now.part if now else None, old, now.number if now else None,
                              toc_entry_problem(text, target), number, title, now.title if now else "",
                              same_title(title, now.title) if now and now.title else True)


def _stale(use: FieldUse, target: Target) -> bool | None:
    """Whether stale-field-result reports the field (None: it cannot tell)."""
    expected = expected_results(use, target)
    if expected is None:
        return None
    squeezed = re.sub(r"\s+", "", use.cached)
    return not ({squeezed.rstrip(".．、 ").casefold(), squeezed.casefold()} & expected[0])


def ref_observations(view: DocxView, layout: _Layout, toc_lines: set[int]) -> Iterator[Observation]:
    """One per cross-reference field the field rules judge, outside the TOCs."""
    lookup = _targets(view)
    for use in view.refs:
        if not use.bookmark or use.line in toc_lines:
            continue
        target = lookup(use.bookmark)
        old = _number(use.cached)
        if target is None:
            yield Observation("broken-field-reference", use.line, None, old, None, True, use.cached, use=use)
            continue
        stale = _stale(use, target) if use.kind == "REF" else None
        if stale is None:
            continue
        now = layout.clauses.get(target.line)
        yield Observation("stale-field-result", use.line, now.part if now else None, old if now else None,
                          now.number if now else None, stale, use.cached, "", now.title if now else "", use=use)


def typed_observations(doc: Document, view: DocxView) -> Iterator[Observation]:
    """Typed clause numbers ("4.1") under articles Word numbers: each still shows the number
    its article had when it was typed, so it is evidence of the old numbering."""
    for part in doc.parts:
        article = None
        for clause in part.clauses():
            pos = clause.pos
            if pos is None or pos.path != view.path or not clause.number:
                continue
            if len(clause.number) == 1:
                article = clause.number if pos.line in view.auto_lines else None
            elif article is not None and pos.line not in view.auto_lines:
                old = (clause.number[0],)
                yield Observation(TYPED_CODE, pos.line, part.id, old, article, old != article, clause.number_text)


# --- choosing the event ---------------------------------------------------------------------------

def _candidates(part: str, now: int, before: int | None) -> Iterator[Event]:
    """The events that turn ``before`` articles (None: unknown) into the ``now`` the part has."""
    if before in (None, now + 1):
        yield from (Event("deleted", part, a) for a in range(1, now + 2))
    if before in (None, now - 1):
        yield from (Event("inserted", part, a) for a in range(1, now + 1))
    if before in (None, now):
        yield from (Event("moved", part, a, b) for a in range(1, now + 1) for b in range(1, now + 1) if a != b)


def _listed(observations: list[Observation], part: str) -> int | None:
    """How many articles the part had when its TOC was made: a TOC lists them all, 1 … m."""
    numbers = [o.old[0] for o in observations if o.code == "stale-toc" and o.part == part and len(o.old) == 1]
    return len(numbers) if numbers and sorted(numbers) == list(range(1, len(numbers) + 1)) else None


def the_event(observations: list[Observation], layout: _Layout) -> Event | None:
    """The one event every observation fits, or None when there is none or more than one."""
    known = [o for o in observations if o.old is not None and o.part is not None]
    changed = {o.part for o in known if o.new != o.old}
    if len(changed) != 1:
        return None  # nothing changed, or articles changed in two parts: not one event
    part = changed.pop()
    ordered = sorted(known, key=lambda o: o.new == o.old)  # the changed ones rule most events out first
    events = _candidates(part, layout.articles.get(part, 0), _listed(known, part))
    fitting = [e for e in events if all(o.fits(e) for o in ordered)]
    return fitting[0] if len(fitting) == 1 else None


# --- grouping ------------------------------------------------------------------------------------------

def _field_keys(observations: list[Observation], event: Event) -> set[tuple[str, int]]:
    """(code, line) of the field findings the event explains: every observation there is."""
    verdict: dict[tuple[str, int], bool] = {}
    for o in observations:
        if o.stale:
            key = (o.code, o.line)
            verdict[key] = verdict.get(key, True) and o.explained(event)
    return {key for key, ok in verdict.items() if ok}


def _shows(key: str, label: str) -> bool:
    """Whether a citation ("第5.4条", "本合同第七条") is made of a field's result ("5.4", "第七条")."""
    at = key.find(label) if label else -1
    if at < 0:
        return False
    before, after = key[at - 1:at], key[at + len(label):at + len(label) + 1]
    return not (before.isdigit() or after.isdigit() or (after == "." and label[-1].isdigit()))


def _citation_ok(cit: Citation, uses: list[Observation], event: Event, deleted_title: str, exists: bool) -> bool | None:
    """Whether a citation is an explained field (True), one no reference rule can report
    (None: a field still right, or a bare number that exists) or neither (False)."""
    key = re.sub(r"\s+", "", cit.text)
    match = next((o for o in uses if _shows(key, re.sub(r"\s+", "", o.label))), None)
    if match is None:
        return None if cit.kind == "clause" and not cit.title and exists else False
    if not match.stale:
        return None if not cit.title or titles_match(cit.title, match.title_now) else False
    wanted = deleted_title if match.part is None else match.title_now
    ok = match.explained(event) and (not cit.title or (bool(wanted) and titles_match(cit.title, wanted)))
    return True if ok else False


def _reference_lines(ctx: CheckContext, view: DocxView, observations: list[Observation], event: Event,
                     deleted_title: str) -> set[int]:
    """Lines whose every citation is a field the event explains, or one no rule can report."""
    by_line: dict[int, list[Observation]] = {}
    for o in observations:
        if o.use is not None:
            by_line.setdefault(o.line, []).append(o)
    lines = set()
    for unit in ctx.units:
        if unit.pos is None or unit.pos.path != view.path or unit.pos.line not in by_line:
            continue
        verdicts = []
        for cit in citations(unit.text):
            part = target_part(ctx.doc, unit, cit) if cit.kind == "clause" else None
            exists = part is not None and any(c.number == cit.number for c in part.clauses())
            verdicts.append(_citation_ok(cit, by_line[unit.pos.line], event, deleted_title, exists))
        if verdicts and False not in verdicts and True in verdicts:
            lines.add(unit.pos.line)
    return lines


def _inserted_line(layout: _Layout, event: Event) -> int | None:
    found = layout.clause(event.part, (event.a,)) if event.kind == "inserted" else None
    return found[0] if found else None


def _cause_for(doc: Document, ctx: CheckContext, view: DocxView, findings: list[Finding]) -> Cause | None:
    layout = _Layout.of(doc, view)
    tocs = list(toc_observations(view, layout))
    toc_lines = {line for toc in view.tocs for line in toc.lines}
    observations = tocs + list(ref_observations(view, layout, toc_lines)) + list(typed_observations(doc, view))
    event = the_event(observations, layout)
    if event is None:
        return None
    gone = next((o for o in tocs if o.part == event.part and o.old == (event.a,) and o.new is None), None)
    keys = _field_keys(observations, event)
    inserted = _inserted_line(layout, event)
    if inserted is not None:
        keys.add(("stale-toc", inserted))
    refs = _reference_lines(ctx, view, observations, event, gone.title if gone else "")
    grouped = [f for f in findings if f.source is not None and f.source.path == view.path
               and ((f.code, f.line) in keys or (f.code in REFERENCE_CODES and f.line in refs))]
    if len(grouped) < MIN_FINDINGS or not any(f.code in (*FIELD_CODES, TYPED_CODE) for f in grouped):
        return None
    article, now = _names(event, observations, layout, gone)
    missing = sum(f.code == "stale-toc" and f.line == inserted for f in grouped)
    counts = {code: sum(f.code == code for f in grouped) for code in (*FIELD_CODES, TYPED_CODE)}
    return Cause(event.kind, article, summary_text(event.kind, article, now, counts, missing), view.path, grouped)


def _names(event: Event, observations: list[Observation], layout: _Layout,
           gone: Observation | None) -> tuple[str, str]:
    """The article as it was numbered, and as it is numbered now (inserted, moved)."""
    if gone is not None:
        return named(gone.label, gone.title), ""
    old = next((o for o in observations if o.part == event.part and o.old == (event.a,) and o.title), None)
    article = named(old.label, old.title) if old else _label(event.part, event.a, observations, layout)
    if event.kind == "deleted":
        return article, ""
    found = layout.clause(event.part, (event.a if event.kind == "inserted" else event.b,))
    now = named(found[1].label, found[1].title if event.kind == "inserted" else "") if found else ""
    return article, now


def _label(part: str, number: int, observations: list[Observation], layout: _Layout) -> str:
    """How the part writes article ``number``: as a field or TOC entry showed it, or as the
    article that has that number now is labelled."""
    shown = next((o.label for o in observations if o.part == part and o.old == (number,) and o.label), "")
    found = layout.clause(part, (number,))
    return " ".join(shown.split()) or (found[1].label if found else f"article {number}")


def find_causes(doc: Document, findings: Iterable[Finding], lang: str | None = None) -> list[Cause]:
    """The causes in ``doc``'s Word files, each with the findings it groups; those
    findings' ``cause`` is set to it. Nothing changes when no cause is certain."""
    findings = list(findings)
    if not doc.docx or not any(f.code in (*FIELD_CODES, TYPED_CODE) for f in findings):
        return []
    ctx = CheckContext.for_document(doc, lang)
    causes = []
    for view in doc.docx:
        cause = _cause_for(doc, ctx, view, findings)
        if cause is not None:
            for f in cause.findings:
                f.cause = cause
            causes.append(cause)
    return causes
