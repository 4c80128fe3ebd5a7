"""`contractgen batch`: CLI glue over :func:`contractgen.batch.run.run_batch`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from ..batch.run import BatchOptions, run_batch as _run_batch

__all__ = ["BatchOptions", "run_batch"]


def run_batch(template_dir: Path, data_path: Path, out_dir: Path, options: BatchOptions | None = None) -> int:
    """Run the batch, printing through Click; return the exit status."""
    return _run_batch(template_dir, data_path, out_dir, replace(options or BatchOptions(), echo=click.echo))
