"""The ordered, named list of passes that turns a template and data into a contract.

Each pass is ``fn(ctx) -> None``; passes share state only through ``ctx`` (the document,
the label table, findings). Like markdown-it-py's ``Ruler``, the list can be inspected
(:meth:`PassList.names`), and a caller may disable, replace or insert a pass by name on a
copy (:meth:`PassList.copy`) without touching the default list.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ..diagnostics import InputErrors
from .assemble import assemble
from .attachments import build_register
from .context import Context
from .definitions import sort_definitions
from .ids import assign_ids
from .labels import collect_labels
from .numbering import number_clauses
from .references import resolve_references
from .toc import build_toc

Pass = Callable[[Context], None]


@dataclass(slots=True)
class _Entry:
    name: str
    fn: Pass
    enabled: bool = True


class PassList:
    """Passes in the order they run, each under a unique name."""

    def __init__(self, passes: Iterable[tuple[str, Pass]] = ()):
        self._entries: list[_Entry] = []
        for name, fn in passes:
            self.push(name, fn)

    def copy(self) -> "PassList":
        out = PassList()
        out._entries = [_Entry(e.name, e.fn, e.enabled) for e in self._entries]
        return out

    def names(self, active_only: bool = False) -> list[str]:
        return [e.name for e in self._entries if e.enabled or not active_only]

    def active(self) -> list[tuple[str, Pass]]:
        return [(e.name, e.fn) for e in self._entries if e.enabled]

    def __iter__(self) -> Iterator[tuple[str, Pass]]:
        return iter(self.active())

    def push(self, name: str, fn: Pass) -> None:
        if name in self.names():
            raise ValueError(f"a pass named {name!r} is already in the list")
        self._entries.append(_Entry(name, fn))

    def before(self, anchor: str, name: str, fn: Pass) -> None:
        self._insert(self._index(anchor), name, fn)

    def after(self, anchor: str, name: str, fn: Pass) -> None:
        self._insert(self._index(anchor) + 1, name, fn)

    def at(self, name: str, fn: Pass) -> None:
        """Replace the pass called ``name``."""
        self._entries[self._index(name)].fn = fn

    def disable(self, *names: str) -> None:
        for name in names:
            self._entries[self._index(name)].enabled = False

    def enable(self, *names: str) -> None:
        for name in names:
            self._entries[self._index(name)].enabled = True

    def _insert(self, index: int, name: str, fn: Pass) -> None:
        if name in self.names():
            raise ValueError(f"a pass named {name!r} is already in the list")
        self._entries.insert(index, _Entry(name, fn))

    def _index(self, name: str) -> int:
        for i, entry in enumerate(self._entries):
            if entry.name == name:
                return i
        raise KeyError(f"no pass named {name!r} (passes: {', '.join(self.names())})")


PASSES = PassList([
    ("assemble", assemble),
    ("definitions", sort_definitions),
    ("number", number_clauses),
    ("labels", collect_labels),
    ("references", resolve_references),
    ("toc", build_toc),
    ("attachments", build_register),
    ("ids", assign_ids),
])


def run_passes(ctx: Context, passes: PassList | Iterable[tuple[str, Pass]] | None = None) -> Context:
    """Run the active passes in order, timing each under its name (``ctx.timings``); stop
    with :class:`InputErrors` after a pass that found errors."""
    for name, fn in PASSES if passes is None else passes:
        started = time.perf_counter()
        fn(ctx)
        ctx.timings[name] = time.perf_counter() - started
        if ctx.errors:
            raise InputErrors(ctx.errors)
    return ctx


__all__ = ["PASSES", "Context", "Pass", "PassList", "run_passes"]
