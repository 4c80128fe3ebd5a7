"""`contractgen build`: one contract from a template and a data file (CLI glue over
:mod:`contractgen.pipeline`)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .. import i18n
from ..checks.selection import CheckPolicy
from ..converters.soffice import find_soffice
from ..diagnostics import ChecksFailed, Report, UserError
from ..pipeline import build_from_files, output_name, render_outputs, write_outputs


def run_build(template_dir: Path, data_path: Path, out_dir: Path, formats: list[str], *, force: bool = False,
              strict: bool = False, reference_docx: Path | None = None, timing: bool = False,
              toc_pages: bool = False, policy: CheckPolicy | None = None) -> list[Path]:
    """Build, check with the policy ``check`` would use for the template's folder, write."""
    started = time.perf_counter()
    if "pdf" in formats:
        find_soffice()  # before any work: without LibreOffice, say what to install
    policy = policy or CheckPolicy.resolve(Path(template_dir))
    template, raw, built = build_from_files(template_dir, data_path, policy)
    if policy.note():
        click.echo(i18n.error_message(policy.note()), err=True)
    if built.suppressed:
        note = (f"note: {built.suppressed} finding(s) switched off by <!-- contractgen: ignore[…] --> comments in the "
                "clauses; the comments are not written out, so check on a written file reports them")
        click.echo(i18n.error_message(note), err=True)
    report = Report(built.findings)
    for finding in report.findings:
        click.echo(i18n.format_finding(finding), err=True)
    if report.fails(strict):
        raise ChecksFailed(f"the checks found {len(report.errors)} error(s) and {len(report.warnings)} "
                           "warning(s) in the built contract (listed above); nothing was written")
    name = output_name(template.spec, raw)
    targets = [out_dir / f"{name}.{fmt}" for fmt in formats]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        verb = "already exists" if len(existing) == 1 else "already exist"
        raise UserError(f"{', '.join(existing)} {verb} (use --force to overwrite)")
    rendered = render_outputs(built.doc, formats, reference_docx, toc_pages)
    write_outputs([(target, data) for target, (_fmt, data) in zip(targets, rendered)])
    for target in targets:
        click.echo(str(target))
    if timing:
        click.echo(f"built in {time.perf_counter() - started:.3f} s ({_breakdown(built.timings)})", err=True)
    return targets


def _breakdown(timings: dict[str, float]) -> str:
    """ "passes 0.041 s: assemble 0.030, …; checks 0.012 s" from the named timings."""
    passes = ", ".join(f"{name} {seconds:.3f}" for name, seconds in timings.items()
                       if name not in ("passes", "checks"))
    return f"passes {timings.get('passes', 0):.3f} s: {passes}; checks {timings.get('checks', 0):.3f} s"
