"""`contractgen check`: read contracts (single files or contract sets), run the selected
check rules, print findings grouped per file, pick an exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import click

from ..checks import RULES, run_checks
from ..checks.base import Rule
from ..checks.selection import Selection, check_suppressions, selection_for, split_names, unsuppressed
from ..diagnostics import ERROR, WARNING, Finding, UserError
from ..model import Document
from ..readers import read_path
from ..readers.contract_set import ContractSet, is_set_file, read_set, set_from_paths, set_from_yaml

Results = list[tuple[Path, list[Finding]]]


def check_document(doc: Document, lang: str = "auto", rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Run the rules on a document, minus the findings its suppression comments switch off."""
    suppress = doc.meta.get("suppress", {})
    check_suppressions(suppress, RULES)
    findings = run_checks(doc, None if lang == "auto" else lang, rules)
    return unsuppressed(findings, suppress, RULES)


def check_file(path: Path, lang: str = "auto", rules: Sequence[Rule] | None = None) -> list[Finding]:
    return check_document(read_path(path, lang), lang, rules)


def check_set(cset: ContractSet, lang: str = "auto", rules: Sequence[Rule] | None = None,
              docs: dict[Path, Document] | None = None) -> Results:
    """Check a contract set as one contract; findings come back per file, in set order."""
    files = [str(p) for p in cset.files]
    if len(set(files)) != len(files):
        raise UserError(f"a file appears twice in the contract set: {', '.join(files)}")
    findings = check_document(read_set(cset, lang, docs), lang, rules)
    groups: dict[str, list[Finding]] = {name: [] for name in files}
    for f in findings:
        key = f.source.path if f.source and f.source.path in groups else files[0]
        groups[key].append(f)
    return [(Path(name), found) for name, found in groups.items()]


def collect(paths: Sequence[Path], lang: str = "auto", as_set: bool = False,
            cli: Selection = Selection(), unreadable: list[tuple[Path, str]] | None = None) -> Results:
    """Findings per file. A .yaml path is a contract set; with ``as_set`` all paths are one
    set. A file that cannot be read raises, or with ``unreadable`` is listed there and the
    other files are still checked (one bad file among fifty must not hide the rest)."""
    paths = [Path(p) for p in paths]
    cache: dict = {}
    if as_set:
        yamls = [p for p in paths if is_set_file(p)]
        if yamls:
            raise UserError(f"{yamls[0]}: a contract-set YAML names its own files; pass it without --set")
        cset, docs = set_from_paths(paths, lang)
        return check_set(cset, lang, selection_for(paths[0], cli, RULES, cache), docs)
    results: Results = []
    for path in paths:
        rules = selection_for(path, cli, RULES, cache)
        if is_set_file(path):
            results += check_set(set_from_yaml(path), lang, rules)
            continue
        try:
            results.append((path, check_file(path, lang, rules)))
        except UserError as exc:
            if unreadable is None:
                raise
            unreadable.append((path, exc.message))
    return results


def _counts(results: Results) -> tuple[int, int]:
    findings = [f for _, fs in results for f in fs]
    return sum(f.severity == ERROR for f in findings), sum(f.severity == WARNING for f in findings)


def as_json(results: Results, unreadable: Sequence[tuple[Path, str]] = ()) -> str:
    errors, warnings = _counts(results)
    payload = {
        "files": [{"path": str(path), "findings": [f.as_dict() for f in fs]} for path, fs in results]
        + [{"path": str(path), "findings": [], "error": message} for path, message in unreadable],
        "errors": errors,
        "warnings": warnings,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def as_text(results: Results) -> str:
    lines = []
    for path, findings in results:
        for f in findings:
            where = f"{path}:{f.line}" if f.line else str(path)
            lines.append(f"{where}: {f.severity} {f.code}: {f.message}")
            if f.excerpt:
                lines.append(f"    {f.excerpt}")
    errors, warnings = _counts(results)
    lines.append(f"{len(results)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def rules_listing(fmt: str = "text") -> str:
    """Every rule: code, severity, family, one line of help (``md``: the docs/rules.md page)."""
    if fmt == "md":
        from ..checks.docs import render_rules_md

        return render_rules_md().rstrip("\n")
    if fmt == "json":
        return json.dumps([{"code": r.code, "severity": r.severity, "family": r.family, "help": r.help}
                           for r in RULES], ensure_ascii=False, indent=2)
    width = max(len(r.code) for r in RULES)
    family = max(len(r.family) for r in RULES)
    return "\n".join(f"{r.code:<{width}}  {r.severity:<7}  {r.family:<{family}}  {r.help}" for r in RULES)


def run_check(paths: Sequence[Path], fmt: str = "text", strict: bool = False, lang: str = "auto", *,
              as_set: bool = False, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> int:
    """Check every path; print the findings; return 0 (pass) or 1 (findings fail the run)."""
    if not paths:
        raise UserError("no files to check")
    if fmt == "md":
        raise UserError("--format md is only for --list-rules")
    cli = Selection(split_names(select) or None, split_names(ignore))
    unreadable: list[tuple[Path, str]] = []
    results = collect(paths, lang, as_set, cli, unreadable)
    click.echo(as_json(results, unreadable) if fmt == "json" else as_text(results))
    for _path, message in unreadable:
        click.echo(f"Error: {message}", err=True)
    if unreadable:
        return 2
    failing = any(f.severity == ERROR or (strict and f.severity == WARNING) for _, fs in results for f in fs)
    return 1 if failing else 0
