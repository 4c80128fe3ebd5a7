"""The library API: load a template, build a contract, check it, name and render its outputs.

Everything the commands, the batch workers and a library user need to turn a template
folder and data into contract files, without Click. The steps are the compiler's:

1. :func:`load_template` parses ``contract.yaml``, reads the clause library and compiles
   every fragment once (a batch reuses the result for every row);
2. :func:`build_document` runs the ordered, named passes (:data:`contractgen.passes.PASSES`)
   on validated data and, unless told not to, the check rules a :class:`CheckPolicy`
   chooses — the same choice ``check``, ``preview`` and ``batch`` make;
3. :func:`output_name` names the files, :func:`render_outputs` renders every format to bytes
   and :func:`write_outputs` writes them all or none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .checks.selection import CheckPolicy
from .diagnostics import ERROR, WARNING, Finding, InputErrors, UserError
from .fsutil import write_all_atomic
from .library import Fragment, find_library, load_library, unknown_clause
from .model import Document, SourcePos
from .naming import check_pattern, fill_pattern, sanitize
from .passes import PASSES, Context, PassList, run_passes
from .numbering import get_scheme
from .render import FragmentError, compile_fragment, make_environment
from .spec import TemplateSpec, flatten, load_data_file, load_spec, validate_data
from .wordparts import note_without_word_parts
from .wordparts.checking import word_part_findings
from .writers import get_writer


@dataclass
class Template:
    """A template ready to build many contracts: spec plus compiled fragments.

    Loading parses contract.yaml, reads the clause library and compiles every fragment
    the template uses, once; :func:`build_document` then only renders.
    """

    spec: TemplateSpec
    fragments: dict[str, tuple[Fragment, jinja2.Template]]
    # clause id -> (rendered text, what the fragment reader made of it): most fragments
    # render the same text for every contract, so a batch reads each once and copies after
    parsed: dict = field(default_factory=dict)
    # A bilingual template: the template in each of its languages (contractgen.bilingual),
    # and the warnings its loading found (a translation of an older version of its clause).
    views: dict = field(default_factory=dict)
    load_findings: list = field(default_factory=list)


def load_template(template_dir: Path) -> Template:
    spec = load_spec(Path(template_dir))
    library = load_library(spec.library or find_library(spec.dir))
    problems: list[Finding] = []
    fragments = _compile(spec, spec.scheme, spec.lang, library.get, problems, library)
    views, warnings = {}, []
    for lang in spec.languages[1:]:
        translated = _compile(spec, spec.schemes.get(lang, lang), lang,
                              lambda clause_id, lang=lang: library.translation(clause_id, lang), problems, library)
        views[lang] = translated
        warnings += [_stale(library[c], f) for c, (f, _) in translated.items() if f.version != library[c].version]
    if spec.word_parts or spec.skeleton:  # lxml and the Word-part loader only for a template that has them
        from .wordparts.loader import load_word_parts

        try:  # every tag of the template's Word parts checked against the data schema, before any render
            load_word_parts(spec)
        except InputErrors as exc:
            problems.extend(exc.findings)
    else:  # what the writers ask of every contract built from it (wordparts/__init__.py)
        note_without_word_parts(spec.path)
    if problems:
        raise InputErrors(problems)
    template = Template(spec, fragments, load_findings=warnings)
    if spec.bilingual:
        from .bilingual import make_view

        template.views = {spec.lang: make_view(template, spec.lang, fragments)}
        template.views.update((lang, make_view(template, lang, compiled)) for lang, compiled in views.items())
    return template


def _compile(spec: TemplateSpec, scheme: str, lang: str, find, problems: list[Finding], library) -> dict:
    """Every clause the template lists, in one language: ``find(clause_id)`` gives its
    fragment (the clause, or its translation), compiled once with that language's filters;
    a bilingual template's ``[[precedence]]`` line becomes that language's precedence clause."""
    from .bilingual import precedence_misplaced, precedence_sentence, with_precedence

    env = make_environment(get_scheme(scheme).language_tag)
    sentence = precedence_sentence(spec, lang) if spec.bilingual else None
    fragments: dict[str, tuple[Fragment, jinja2.Template]] = {}
    for part in spec.parts:
        for clause_id in part.clauses:
            if clause_id in fragments:
                continue
            if clause_id not in library:
                if lang == spec.lang:
                    problems.append(unknown_clause(clause_id, part.id, library, _listed_at(spec, clause_id, part)))
                continue
            fragment = find(clause_id)
            if fragment is None:
                path, pos = library.translation_path(clause_id, lang), _listed_at(spec, clause_id, part)
                problems.append(Finding("missing-translation", ERROR, f"clause '{clause_id}' has no {lang} "
                                        f"translation: {path} does not exist", pos,
                                        suggestion=f"write {path.name} beside {path.name[:-len(f'.{lang}.md')]}.md, "
                                                   f"with id: {clause_id} and lang: {lang}"))
                continue
            if sentence is None and (misplaced := precedence_misplaced(fragment)) is not None:
                problems.append(misplaced)
                continue
            try:
                fragments[clause_id] = (fragment, compile_fragment(env, with_precedence(fragment, sentence)))
            except FragmentError as exc:
                problems.append(exc.finding)
    return fragments


def _listed_at(spec: TemplateSpec, clause_id: str, part) -> SourcePos:
    """Where contract.yaml lists a clause (read only when a message needs it)."""
    return SourcePos(str(spec.path), _line_of(spec.path, clause_id, part.line))


def _stale(original: Fragment, translation: Fragment) -> Finding:
    return Finding("stale-translation", WARNING, f"this translation is of version {translation.version} of "
                   f"'{original.id}', which is now version {original.version} ({original.path})",
                   SourcePos(str(translation.path), translation.id_line),
                   suggestion="bring the translation up to date, then set its version to the clause's")


def _line_of(path: Path, needle: str, default: int) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if i >= default and needle in line:
            return i
    return default


@dataclass
class Built:
    """A built contract and what the build found: the findings the policy gives it."""

    doc: Document
    findings: list[Finding]
    policy: CheckPolicy
    timings: dict[str, float] = field(default_factory=dict)
    suppressed: int = 0  # findings switched off by suppression comments in the clauses

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def build(template: Template, data: dict, policy: CheckPolicy | None = None,
          passes: PassList | None = None) -> Built:
    """Run the passes on validated data, then the checks ``policy`` chooses (all by default).

    Pass errors (an unknown label, a bad fragment) raise :class:`InputErrors`; check
    findings are returned, for the caller to decide what fails (``--strict``, a batch row).
    """
    policy = policy or CheckPolicy.default()
    if template.spec.bilingual:  # each language's text built as here, then set out together
        from .bilingual import build_bilingual

        return build_bilingual(template, data, policy, lambda view, d, own: build(view, d, own, passes))
    started = time.perf_counter()
    ctx = run_passes(Context(template, data), passes)
    checks_started = time.perf_counter()
    findings, suppressed = policy.findings_and_suppressed(ctx.doc)
    findings += word_part_findings(ctx.doc, policy, template.spec)  # the Word parts' text, as check of the DOCX sees it
    timings = dict(ctx.timings, checks=time.perf_counter() - checks_started,
                   passes=checks_started - started)
    return Built(ctx.doc, findings, policy, timings, suppressed)


def build_document(template: Template, data: dict, check: bool = True,
                   policy: CheckPolicy | None = None) -> Document:
    """The contract for validated data; with ``check``, an error finding raises InputErrors,
    so a template that would produce a broken contract fails here, not in the reader's hands."""
    if not check and not template.spec.bilingual:
        return run_passes(Context(template, data)).doc
    built = build(template, data, policy)
    if not check:
        return built.doc
    if built.errors:
        raise InputErrors(built.errors)
    return built.doc


def load_data(template: Template, data_path: Path) -> tuple[dict, dict]:
    """(raw data as typed, data validated against the template's schema)."""
    raw, lines = load_data_file(Path(data_path))
    return raw, validate_data(template.spec, raw, str(data_path), lines)


def build_from_files(template_dir: Path, data_path: Path,
                     policy: CheckPolicy | None = None) -> tuple[Template, dict, Built]:
    """Template folder + data file -> (template, raw data, built contract with its findings):
    what ``build``, ``preview`` and ``check TEMPLATE --data`` all start from."""
    template = load_template(template_dir)
    raw, data = load_data(template, data_path)
    return template, raw, build(template, data, policy)


def output_name(spec: TemplateSpec, raw: dict) -> str:
    """The file name (without suffix): the template's ``output_name`` filled from the data
    as typed and made safe for every OS — the same rule the batch command applies to rows."""
    check_pattern(spec.output_name, spec.data, what=f"{spec.path}: output_name")
    cells = {name: "" if value is None else str(value) for name, value in flatten(raw).items()}
    name = sanitize(fill_pattern(spec.output_name, cells))
    if not name:
        raise UserError(f"output_name {spec.output_name!r} gives an empty file name for this data")
    return name


def render_outputs(doc: Document, formats: list[str], reference_docx: Path | None = None,
                   toc_pages: bool = False) -> list[tuple[str, bytes]]:
    """Every format rendered to bytes, before anything is written: (format, bytes)."""
    return [(fmt, _render(fmt, doc, reference_docx, toc_pages)) for fmt in formats]


def _render(fmt: str, doc: Document, reference_docx: Path | None, toc_pages: bool) -> bytes:
    if fmt == "pdf":  # the DOCX this build writes, as LibreOffice exports it
        return get_writer("pdf").convert(_render("docx", doc, reference_docx, toc_pages))
    if fmt != "docx":
        return get_writer(fmt).render(doc)
    writer = get_writer(fmt, reference_docx=reference_docx)
    data = writer.render(doc)
    if toc_pages:
        from .writers.docx.pages import toc_page_numbers

        data = writer.render(doc, pages=toc_page_numbers(doc, data))
    return data


def write_outputs(targets: list[tuple[Path, bytes]]) -> None:
    """Write every file atomically, all of them or none (a full disk replaces nothing)."""
    try:
        write_all_atomic(targets)
    except OSError as exc:
        raise UserError(f"cannot write {targets[0][0].parent}: {exc.strerror or exc}; nothing was written") from None


__all__ = ["PASSES", "Built", "CheckPolicy", "Template", "build", "build_document", "build_from_files",
           "load_data", "load_template", "output_name", "render_outputs", "write_outputs"]
