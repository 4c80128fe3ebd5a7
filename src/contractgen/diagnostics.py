"""Findings (what checks and passes report) and the error types users see."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from .model import SourcePos

ERROR = "error"
WARNING = "warning"


@dataclass(slots=True)
class Finding:
    """One diagnostic: a stable ``code``, a severity, a one-line message and a place."""

    code: str
    severity: str
    message: str
    source: SourcePos | None = None
    excerpt: str = ""
    suggestion: str = ""
    # the :class:`~contractgen.checks.causes.Cause` this finding follows from, if one is certain
    cause: object | None = field(default=None, compare=False, repr=False)

    @property
    def line(self) -> int | None:
        return self.source.line if self.source else None

    def format(self) -> str:
        where = f"{self.source}: " if self.source else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return f"{where}{self.severity} {self.code}: {self.message}{hint}"

    def as_dict(self) -> dict:
        """The finding as JSON-ready data; ``suggestion`` only when the finding has one."""
        data = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "excerpt": self.excerpt,
        }
        if self.suggestion:
            data["suggestion"] = self.suggestion
        return data


@dataclass
class Report:
    """Findings collected by a run; the CLI turns them into an exit status."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def fails(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def did_you_mean(word: str, choices) -> str:
    """A "did you mean" hint, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


INTERNAL_ERROR = 3  # the exit status of a bug in contractgen: not findings (1), not bad input (2)


def debug_enabled() -> bool:
    """``--debug`` (or CONTRACTGEN_DEBUG=1): show tracebacks of internal errors."""
    return os.environ.get("CONTRACTGEN_DEBUG", "") not in ("", "0")


def internal_error_message(exc: BaseException) -> str:
    return (f"internal error: {type(exc).__name__}: {exc} — this is a bug in contractgen, not in your "
            "input; please report it with the output of the same command run with --debug")


class ContractgenError(Exception):
    """An error meant for the user, with the exit status the CLI gives it.

    Plain exceptions, so the library, the batch workers and the web app use them without
    Click; only ``cli.py`` turns them into "Error: …" and an exit status."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UserError(ContractgenError):
    """Bad input from the user (file, data, fragment): exit status 2, no traceback."""

    exit_code = 2


class ChecksFailed(ContractgenError):
    """The built-in checks found errors in a contract (or warnings under --strict): exit 1."""

    exit_code = 1


class RunFailed(ContractgenError):
    """A run that could not finish for a reason outside the input (a worker process died): exit 1."""

    exit_code = 1


class InputErrors(UserError):
    """Several input findings at once (e.g. every bad data field, every unknown label)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(f.format() for f in findings))
