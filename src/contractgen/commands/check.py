"""`contractgen check`: read contracts, run the check rules, print findings, pick an exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import click

from ..checks import run_checks
from ..diagnostics import ERROR, WARNING, Finding, UserError
from ..readers import read_path


def check_file(path: Path, lang: str = "auto") -> list[Finding]:
    doc = read_path(path, lang)
    return run_checks(doc, None if lang == "auto" else lang)


def collect(paths: Sequence[Path], lang: str = "auto") -> list[tuple[Path, list[Finding]]]:
    """Findings per file; every file is read before any output, so a bad path fails early."""
    return [(Path(p), check_file(Path(p), lang)) for p in paths]


def as_json(results: list[tuple[Path, list[Finding]]]) -> str:
    findings = [f for _, fs in results for f in fs]
    payload = {
        "files": [{"path": str(path), "findings": [f.as_dict() for f in fs]} for path, fs in results],
        "errors": sum(f.severity == ERROR for f in findings),
        "warnings": sum(f.severity == WARNING for f in findings),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def as_text(results: list[tuple[Path, list[Finding]]]) -> str:
    lines = []
    for path, findings in results:
        for f in findings:
            where = f"{path}:{f.line}" if f.line else str(path)
            lines.append(f"{where}: {f.severity} {f.code}: {f.message}")
            if f.excerpt:
                lines.append(f"    {f.excerpt}")
    findings = [f for _, fs in results for f in fs]
    errors = sum(f.severity == ERROR for f in findings)
    warnings = sum(f.severity == WARNING for f in findings)
    lines.append(f"{len(results)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def run_check(paths: Sequence[Path], fmt: str = "text", strict: bool = False, lang: str = "auto") -> int:
    """Check every path; print the findings; return 0 (pass) or 1 (findings fail the run)."""
    if not paths:
        raise UserError("no files to check")
    results = collect(paths, lang)
    click.echo(as_json(results) if fmt == "json" else as_text(results))
    findings = [f for _, fs in results for f in fs]
    failing = any(f.severity == ERROR or (strict and f.severity == WARNING) for f in findings)
    return 1 if failing else 0
