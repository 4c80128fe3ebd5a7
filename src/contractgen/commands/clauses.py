"""`contractgen clauses`: list the clause library and where each fragment is used."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..diagnostics import UserError
from ..library import load_library
from ..spec import load_spec


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
    rows = library_usage(root)
    table = Table(box=None, pad_edge=False)
    # ids are what users copy into contract.yaml: never truncate them
    table.add_column("id", no_wrap=True, min_width=max((len(r[0]) for r in rows), default=2))
    for name in ("title", "version", "used by"):
        table.add_column(name, overflow="fold")
    for cid, title, version, users in rows:
        table.add_row(cid, title, version, ", ".join(users) or "-")
    Console(soft_wrap=True).print(table)
