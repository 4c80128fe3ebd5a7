"""The batch progress bar: count, rate and ETA on a terminal, silence anywhere else."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeRemainingColumn)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Documents per second, from rich's running speed estimate."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "– docs/s", style="progress.data.speed")


class BatchProgress:
    """``advance()`` once per row; a no-op unless stderr is a terminal and not --quiet."""

    def __init__(self, total: int, quiet: bool = False, console: Console | None = None):
        console = console or Console(stderr=True)
        self._progress = None
        if console.is_terminal and not quiet:
            self._progress = Progress(
                TextColumn("building"), BarColumn(), MofNCompleteColumn(), RateColumn(),
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
