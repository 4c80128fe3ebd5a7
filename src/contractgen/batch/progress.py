"""The batch progress bar: count, rate and ETA on a terminal, silence anywhere else.

Rich is imported only when a bar may be shown: with ``--quiet``, or when stderr is no
terminal (a pipe, a file, CI), a batch does not pay for importing it (~50 ms of start-up).
"""

from __future__ import annotations

import os
import sys

#: Environment variables with which Rich draws on what is not a terminal (its Console reads them).
_RICH_FORCING = ("FORCE_TERMINAL", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Documents per second, from rich's running speed estimate."""

        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} docs/s" if speed else "– docs/s", style="progress.data.speed")

    return RateColumn()


def _may_be_terminal() -> bool:
    """False when Rich would certainly find no terminal on stderr (then it need not be imported)."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):  # a replaced or closed stderr: let Rich decide
        return True
    return any(name in os.environ for name in _RICH_FORCING)


class BatchProgress:
    """``advance()`` once per row; a no-op unless stderr is a terminal and not --quiet."""

    def __init__(self, total: int, quiet: bool = False, console=None):
        self._progress = None
        if quiet or (console is None and not _may_be_terminal()):
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = console or Console(stderr=True)
        if console.is_terminal:
            self._progress = Progress(
                TextColumn("building"), BarColumn(), MofNCompleteColumn(), _rate_column(),
                TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False,
            )
            self._task = self._progress.add_task("batch", total=total)

    @property
    def active(self) -> bool:
        return self._progress is not None

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def __enter__(self) -> BatchProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


def make_progress(total: int, quiet: bool = False) -> BatchProgress:
    return BatchProgress(total, quiet)
