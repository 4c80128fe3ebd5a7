"""`contractgen compare`: CLI glue over :mod:`contractgen.compare.api` — read or build the
two versions, write the comparison to stdout or a file, pick the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import click

from ..compare.api import RedlineOptions, compare_files, compare_with_template, render
from ..diagnostics import UserError
from ..fsutil import write_atomic
from .. import rx

_ISO_DATE = rx.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")


def run_compare(paths: Sequence[Path], fmt: str = "text", out: Path | None = None, *, lang: str = "auto",
                template: Path | None = None, data: Path | None = None, author: str = "contractgen",
                date: str = "2000-01-01T00:00:00Z", track_renumbering: bool = False, force: bool = False) -> int:
    """Compare; return 0 when the versions are identical, 1 when they differ (2 is raised
    as a UserError for bad input)."""
    if template is not None or data is not None:
        if template is None or data is None or len(paths) != 1:
            raise UserError("--template and --data go together, with one returned file: "
                            "compare --template T --data D RETURNED.docx")
        comparison = compare_with_template(template, data, paths[0], lang)
        names = (f"{template} + {data}", str(paths[0]))
    else:
        if len(paths) != 2:
            raise UserError("compare needs two files, OLD and NEW (or --template T --data D RETURNED)")
        comparison = compare_files(paths[0], paths[1], lang)
        names = (str(paths[0]), str(paths[1]))
    if not _ISO_DATE.fullmatch(date):
        raise UserError(f"--date {date!r}: use an ISO 8601 date and time, e.g. 2024-05-01T09:30:00Z")
    if fmt in ("html", "docx") and out is None:
        raise UserError(f"--format {fmt} needs --out FILE")
    options = RedlineOptions(author=author, date=date, old_name=names[0], new_name=names[1],
                             track_renumbering=track_renumbering)
    data_out = render(comparison, fmt, options)
    if out is None:
        sys.stdout.flush()
        click.echo(data_out.decode("utf-8"), nl=False)
    else:
        if out.exists() and not force:
            raise UserError(f"{out} already exists (use --force to overwrite)")
        write_atomic(out, data_out)
        click.echo(str(out), err=True)
    return 0 if comparison.identical else 1
