"""`contractgen check`: CLI glue over :mod:`contractgen.checking` — print the findings
grouped per file and pick an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import click

from .. import i18n
from ..checking import CheckRun, as_json, as_text, collect, rules_listing
from ..checks.selection import Selection, split_names
from ..diagnostics import ERROR, INTERNAL_ERROR, WARNING, UserError

__all__ = ["rules_listing", "run_check"]


def run_check(paths: Sequence[Path], fmt: str = "text", strict: bool = False, lang: str = "auto", *,
              as_set: bool = False, select: Sequence[str] = (), ignore: Sequence[str] = (),
              data: Path | None = None) -> int:
    """Check every path; print the findings; return 0 (pass), 1 (findings fail the run) or
    2 (a file could not be read; the others' findings are still printed)."""
    if not paths:
        raise UserError("no files to check")
    if fmt == "md":
        raise UserError("--format md is only for --list-rules")
    cli = Selection(split_names(select) or None, split_names(ignore))
    run = CheckRun()
    results = collect(paths, lang, as_set, cli, run.unreadable, data=data, run=run)
    for note in run.notes if fmt == "text" else ():
        click.echo(i18n.error_message(note), err=True)
    click.echo(as_json(results, run.unreadable, run.internal) if fmt == "json" else as_text(results))
    for _path, message in run.unreadable:
        click.echo(i18n.text("Error: {message}", message=i18n.error_message(message)), err=True)
    for path, message in run.internal:
        click.echo(i18n.text("Error: {message}", message=f"{path}: {message}"), err=True)
    if run.internal:
        return INTERNAL_ERROR
    if run.unreadable:
        return 2
    failing = any(f.severity == ERROR or (strict and f.severity == WARNING) for _, fs in results for f in fs)
    return 1 if failing else 0
