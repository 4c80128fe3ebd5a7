"""Where something is in a Word file: "table 1 row 2 cell 3", "paragraph 4"."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import SourcePos


@dataclass(slots=True, frozen=True)
class WordPos(SourcePos):
    """A place in a Word part: the file, and its paragraph or table cell in words.
    ``line`` is the paragraph's number in the file's order, for sorting."""

    where: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.where}" if self.where else self.path
