"""State shared by the passes of one build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import ERROR, Finding
from ..model import Clause, Document, Part

if TYPE_CHECKING:
    from ..pipeline import Template


@dataclass
class Context:
    template: Template
    data: dict
    doc: Document | None = None
    labels: dict[str, tuple[Part, Clause | Part]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per pass name

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]
