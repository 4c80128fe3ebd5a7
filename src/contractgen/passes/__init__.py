"""The ordered, named list of passes that turns a template and data into a contract.

Each pass is ``fn(ctx) -> None``; passes share state only through ``ctx`` (the document,
the label table, findings). A caller may run a prefix, skip or insert a pass by name.
"""

from __future__ import annotations

from typing import Callable

from ..diagnostics import InputErrors
from .assemble import assemble
from .attachments import build_register
from .context import Context
from .labels import collect_labels
from .numbering import number_clauses
from .references import resolve_references
from .toc import build_toc

Pass = Callable[[Context], None]

PASSES: list[tuple[str, Pass]] = [
    ("assemble", assemble),
    ("number", number_clauses),
    ("labels", collect_labels),
    ("references", resolve_references),
    ("toc", build_toc),
    ("attachments", build_register),
]


def run_passes(ctx: Context, passes: list[tuple[str, Pass]] = PASSES) -> Context:
    """Run passes in order; stop with :class:`InputErrors` after a pass that found errors."""
    for _name, fn in passes:
        fn(ctx)
        if ctx.errors:
            raise InputErrors(ctx.errors)
    return ctx


__all__ = ["PASSES", "Context", "run_passes"]
