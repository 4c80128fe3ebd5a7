"""`contractgen build`: one contract from a template and a data file."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import jinja2

from ..diagnostics import ERROR, ChecksFailed, Finding, InputErrors, Report, UserError, did_you_mean
from ..fsutil import write_atomic
from ..library import Fragment, find_library, load_library
from ..model import Document, SourcePos
from ..passes import Context, run_passes
from ..render import FragmentError, compile_fragment, make_environment
from ..batch.names import check_pattern, fill_pattern, sanitize
from ..spec import TemplateSpec, flatten, load_data_file, load_spec, validate_data
from ..writers import get_writer


@dataclass
class Template:
    """A template ready to build many contracts: spec plus compiled fragments.

    Loading parses contract.yaml, reads the clause library and compiles every fragment
    the template uses, once; :func:`build_document` then only renders.
    """

    spec: TemplateSpec
    fragments: dict[str, tuple[Fragment, jinja2.Template]]
    # clause id -> (rendered text, its blocks, findings): most fragments render the same
    # text for every contract, so a batch reads each once and copies the blocks after that
    parsed: dict = field(default_factory=dict)


def load_template(template_dir: Path) -> Template:
    spec = load_spec(Path(template_dir))
    library = load_library(spec.library or find_library(spec.dir))
    env = make_environment(spec.lang)
    fragments: dict[str, tuple[Fragment, jinja2.Template]] = {}
    problems: list[Finding] = []
    for part in spec.parts:
        for clause_id in part.clauses:
            if clause_id in fragments:
                continue
            if clause_id not in library:
                problems.append(Finding("unknown-clause", ERROR, f"part '{part.id}' lists unknown clause '{clause_id}'",
                                        SourcePos(str(spec.path), _line_of(spec.path, clause_id, part.line)),
                                        suggestion=did_you_mean(clause_id, library)))
                continue
            try:
                fragments[clause_id] = (library[clause_id], compile_fragment(env, library[clause_id]))
            except FragmentError as exc:
                problems.append(exc.finding)
    if problems:
        raise InputErrors(problems)
    return Template(spec, fragments)


def _line_of(path: Path, needle: str, default: int) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if i >= default and needle in line:
            return i
    return default


def build_document(template: Template, data: dict, check: bool = True) -> Document:
    """Run every pass on validated data; raise InputErrors on any error.

    With ``check`` the built-in contract checks run on the result too, so a template
    that would produce a broken contract fails here, not in the reader's hands.
    """
    ctx = run_passes(Context(template, data))
    if check:
        from ..checks import run_checks

        errors = [f for f in run_checks(ctx.doc) if f.severity == ERROR]
        if errors:
            raise InputErrors(errors)
    return ctx.doc


def build_from_files(template_dir: Path, data_path: Path) -> tuple[Template, dict, Document]:
    """Template folder + data file -> (template, raw data, unchecked document): what
    `build` and `preview` both start from."""
    template = load_template(template_dir)
    raw, lines = load_data_file(data_path)
    data = validate_data(template.spec, raw, str(data_path), lines)
    return template, raw, build_document(template, data, check=False)


def output_name(spec: TemplateSpec, raw: dict) -> str:
    """The file name (without suffix): the template's ``output_name`` filled from the data
    as typed and made safe for every OS — the same rule the batch command applies to rows."""
    check_pattern(spec.output_name, spec.data, what=f"{spec.path}: output_name")
    cells = {name: "" if value is None else str(value) for name, value in flatten(raw).items()}
    name = sanitize(fill_pattern(spec.output_name, cells))
    if not name:
        raise UserError(f"output_name {spec.output_name!r} gives an empty file name for this data")
    return name


def run_build(template_dir: Path, data_path: Path, out_dir: Path, formats: list[str], *, force: bool = False,
              strict: bool = False, reference_docx: Path | None = None, timing: bool = False,
              toc_pages: bool = False) -> list[Path]:
    started = time.perf_counter()
    template, raw, doc = build_from_files(template_dir, data_path)
    report = Report(_run_checks(doc))
    for finding in report.findings:
        click.echo(finding.format(), err=True)
    if report.fails(strict):
        raise ChecksFailed(f"the checks found {len(report.errors)} error(s) and {len(report.warnings)} "
                           "warning(s) in the built contract (listed above); nothing was written")
    name = output_name(template.spec, raw)
    targets = [out_dir / f"{name}.{fmt}" for fmt in formats]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        verb = "already exists" if len(existing) == 1 else "already exist"
        raise UserError(f"{', '.join(existing)} {verb} (use --force to overwrite)")
    rendered = [(t, _render(fmt, doc, reference_docx, toc_pages)) for t, fmt in zip(targets, formats)]
    for target, data_bytes in rendered:
        write_atomic(target, data_bytes)
        click.echo(str(target))
    if timing:
        click.echo(f"built in {time.perf_counter() - started:.3f} s", err=True)
    return targets


def _run_checks(doc: Document) -> list[Finding]:
    from ..checks import run_checks

    return run_checks(doc)


def _render(fmt: str, doc: Document, reference_docx: Path | None, toc_pages: bool) -> bytes:
    if fmt != "docx":
        return get_writer(fmt).render(doc)
    writer = get_writer(fmt, reference_docx=reference_docx)
    data = writer.render(doc)
    if toc_pages:
        from ..writers.docx.pages import toc_page_numbers

        data = writer.render(doc, pages=toc_page_numbers(doc, data))
    return data

