"""`contractgen clauses`: list the clause library and where each fragment is used."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..diagnostics import UserError
from ..library import load_library
from ..spec import load_spec

HEADER = ("id", "title", "version", "used by")


def library_usage(root: Path) -> list[tuple[str, str, str, list[str]]]:
    """(id, title, version, [template names]) for every fragment under root/clauses."""
    clauses_dir = root / "clauses"
    if not clauses_dir.is_dir():
        raise UserError(f"{root}: no clauses/ folder here (use --root)")
    library = load_library(clauses_dir)
    used: dict[str, list[str]] = {cid: [] for cid in library}
    for contract in sorted((root / "templates").glob("*/contract.yaml")):
        spec = load_spec(contract.parent)
        for clause_id in sorted({c for p in spec.parts for c in p.clauses}):
            used.setdefault(clause_id, []).append(spec.name)
    return [(cid, f.title, f.version, used[cid]) for cid, f in sorted(library.items())]


def run_clauses(root: Path) -> None:
    rows = [(cid, title, version, ", ".join(users) or "-") for cid, title, version, users in library_usage(root)]
    if not sys.stdout.isatty():  # piped: one tab-separated line per clause, nothing truncated
        for row in (HEADER, *rows):
            click.echo("\t".join(row))
        return
    table = Table(*HEADER, box=None, pad_edge=False)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
