"""The library API of ``check``: read contracts (files, contract sets, or the contract a
template builds from data), give each the findings its :class:`CheckPolicy` chooses, and
format the results as text or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from . import i18n
from .checks import RULES
from .checks.causes import Cause, find_causes
from .checks.selection import CheckPolicy, Selection
from .diagnostics import ERROR, WARNING, Finding, UserError, debug_enabled, internal_error_message
from .model import Document
from .readers import read_path
from .readers.contract_set import ContractSet, is_set_file, read_set, set_from_paths, set_from_yaml

Results = list[tuple[Path, list[Finding]]]


@dataclass
class CheckRun:
    """Findings per file, the files that could not be read, and the notes to print."""

    results: Results = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    internal: list[tuple[Path, str]] = field(default_factory=list)  # a bug of ours on that file
    notes: list[str] = field(default_factory=list)

    def note(self, policy: CheckPolicy) -> None:
        if policy.note() and policy.note() not in self.notes:
            self.notes.append(policy.note())


def check_document(doc: Document, policy: CheckPolicy | None = None) -> list[Finding]:
    """The findings ``policy`` (every rule by default) gives the document; those that follow
    from one certain cause (an article deleted in Word without updating fields) have their
    ``cause`` set (:mod:`contractgen.checks.causes`)."""
    policy = policy or CheckPolicy.default()
    findings = policy.findings(doc)  # a bilingual contract is checked text by text (run_checks)
    find_causes(doc, findings, policy.lang)
    return findings


def check_file(path: Path, lang: str = "auto", policy: CheckPolicy | None = None) -> list[Finding]:
    """Read one contract file and check it; ``policy`` defaults to the one for its folder
    without command-line options."""
    policy = policy or CheckPolicy.resolve(Path(path), lang=lang)
    return check_document(read_path(path, lang), policy)


def check_set(cset: ContractSet, lang: str = "auto", policy: CheckPolicy | None = None,
              docs: dict[Path, Document] | None = None) -> Results:
    """Check a contract set as one contract; findings come back per file, in set order."""
    files = [str(p) for p in cset.files]
    if len(set(files)) != len(files):
        raise UserError(f"a file appears twice in the contract set: {', '.join(files)}")
    findings = check_document(read_set(cset, lang, docs), policy)
    groups: dict[str, list[Finding]] = {name: [] for name in files}
    for f in findings:
        key = f.source.path if f.source and f.source.path in groups else files[0]
        groups[key].append(f)
    return [(Path(name), found) for name, found in groups.items()]


def check_template(template_dir: Path, data_path: Path, policy: CheckPolicy) -> Results:
    """The findings of the contract ``template_dir`` builds from ``data_path``, as ``build``
    reports them, grouped by the clause or template file they point at."""
    from .pipeline import build_from_files

    built = build_from_files(template_dir, data_path, policy)[2]
    groups: dict[str, list[Finding]] = {}
    for f in built.findings:
        groups.setdefault(f.source.path if f.source else str(template_dir), []).append(f)
    return [(Path(name), found) for name, found in groups.items()] or [(Path(template_dir), [])]


def collect(paths: Sequence[Path], lang: str = "auto", as_set: bool = False,
            cli: Selection = Selection(), unreadable: list[tuple[Path, str]] | None = None,
            data: Path | None = None, run: CheckRun | None = None) -> Results:
    """Findings per file. A .yaml path is a contract set; with ``as_set`` all paths are one
    set; with ``data`` the one path is a template folder. A file that cannot be read raises,
    or with ``unreadable`` is listed there and the other files are still checked (one bad
    file among fifty must not hide the rest)."""
    paths = [Path(p) for p in paths]
    run = run or CheckRun()
    cache: dict = {}

    def policy_for(path: Path) -> CheckPolicy:
        policy = CheckPolicy.resolve(path, cli, lang, cache)
        run.note(policy)
        return policy

    if data is not None:
        if len(paths) != 1 or not paths[0].is_dir():
            raise UserError("--data goes with one template folder (check TEMPLATE --data FILE)")
        return check_template(paths[0], data, policy_for(paths[0]))
    if as_set:
        yamls = [p for p in paths if is_set_file(p)]
        if yamls:
            raise UserError(f"{yamls[0]}: a contract-set YAML names its own files; pass it without --set")
        cset, docs = set_from_paths(paths, lang)
        return check_set(cset, lang, policy_for(paths[0]), docs)
    results: Results = []
    for path in paths:
        policy = policy_for(path)
        if is_set_file(path):
            results += check_set(set_from_yaml(path), lang, policy)
            continue
        try:
            results.append((path, check_file(path, lang, policy)))
        except UserError as exc:
            if unreadable is None:
                raise
            unreadable.append((path, exc.message))
        except Exception as exc:  # a bug of ours on one file must not hide the others' findings
            if unreadable is None or debug_enabled():
                raise
            run.internal.append((path, internal_error_message(exc)))
    return results


def counts(results: Results) -> tuple[int, int]:
    findings = [f for _, fs in results for f in fs]
    return sum(f.severity == ERROR for f in findings), sum(f.severity == WARNING for f in findings)


def _cause_ids(results: Results) -> dict[int, str]:
    """"c1", "c2", … for the causes in the results, in the order they are first met."""
    ids: dict[int, str] = {}
    for _, findings in results:
        for f in findings:
            if f.cause is not None and id(f.cause) not in ids:
                ids[id(f.cause)] = f"c{len(ids) + 1}"
    return ids


def _localized(data: dict, key: str, english: str, shown: str) -> None:
    """``data[key]`` in the message language; the English beside it when they differ."""
    if english:
        data[key] = shown
        if shown != english:
            data[f"{key}_en"] = english


def _file_json(path: Path, findings: list[Finding], ids: dict[int, str], lang: str) -> dict:
    causes: list[Cause] = list({id(f.cause): f.cause for f in findings if f.cause is not None}.values())
    entries = []
    for f in findings:
        entry = f.as_dict()
        _localized(entry, "message", f.message, i18n.finding_message(f, lang))
        _localized(entry, "suggestion", f.suggestion, i18n.finding_suggestion(f, lang))
        if f.cause is not None:
            entry["cause"] = ids[id(f.cause)]
        entries.append(entry)
    data: dict = {"path": str(path), "findings": entries}
    if causes:
        data["causes"] = []
        for c in causes:
            found = c.as_dict(ids[id(c)])
            _localized(found, "summary", c.summary, i18n.cause_summary(c.summary, lang))
            data["causes"].append(found)
    return data


def as_json(results: Results, unreadable: Sequence[tuple[Path, str]] = (),
            internal: Sequence[tuple[Path, str]] = (), lang: str | None = None) -> str:
    """Findings per file; a file with causes lists them (``causes``: id, summary, count,
    codes) and each finding a cause groups names it (``"cause": "c1"``). ``message_lang``
    says the language of ``message``, ``suggestion`` and ``summary`` (default: this run's,
    :func:`contractgen.i18n.get_lang`); each also has an ``…_en`` twin where it differs."""
    lang = lang or i18n.get_lang()
    errors, warnings = counts(results)
    ids = _cause_ids(results)

    def failed(path: Path, message: str) -> dict:
        entry: dict = {"path": str(path), "findings": []}
        _localized(entry, "error", message, i18n.error_message(message, lang))
        return entry

    payload = {
        "message_lang": lang,
        "files": [_file_json(path, fs, ids, lang) for path, fs in results]
        + [failed(path, message) for path, message in unreadable]
        + [failed(path, message) | {"internal": True} for path, message in internal],
        "errors": errors,
        "warnings": warnings,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _finding_lines(path: Path, f: Finding, lang: str, indent: str = "") -> list[str]:
    where = f"{path}:{f.line}" if f.line else str(path)
    suggestion = i18n.finding_suggestion(f, lang)
    hint = (f"；建议：{suggestion}" if lang == i18n.ZH else f" ({suggestion})") if suggestion else ""
    severity = i18n.text(f.severity, lang)
    lines = [f"{indent}{where}: {severity} {f.code}: {i18n.finding_message(f, lang)}{hint}"]
    if f.excerpt:
        lines.append(f"{indent}    {f.excerpt}")
    return lines


def as_text(results: Results, lang: str | None = None) -> str:
    """One line per finding; the findings a cause groups are printed once, indented, under
    the line naming the cause, where the first of them would have been. Messages are in
    ``lang`` (default: this run's); rule codes, paths and quoted text stay as they are."""
    lang = lang or i18n.get_lang()
    lines = []
    for path, findings in results:
        shown: set[int] = set()
        for f in findings:
            if f.cause is None:
                lines += _finding_lines(path, f, lang)
            elif id(f.cause) not in shown:
                shown.add(id(f.cause))
                members = [g for g in findings if g.cause is f.cause]
                cause = i18n.text("cause: {summary} ({count} findings below)", lang,
                                  summary=i18n.cause_summary(f.cause.summary, lang), count=len(members))
                lines.append(f"{path}: {cause}")
                for member in members:
                    lines += _finding_lines(path, member, lang, "  ")
    errors, warnings = counts(results)
    lines.append(i18n.text("{n} file(s) checked: {errors} error(s), {warnings} warning(s)", lang,
                           n=len(results), errors=errors, warnings=warnings))
    return "\n".join(lines)


def rules_listing(fmt: str = "text") -> str:
    """Every rule: code, severity, family, one line of help (``md``: the docs/rules.md page)."""
    if fmt == "md":
        from .checks.docs import render_rules_md

        return render_rules_md().rstrip("\n")
    if fmt == "json":
        return json.dumps([{"code": r.code, "severity": r.severity, "family": r.family, "help": r.help}
                           for r in RULES], ensure_ascii=False, indent=2)
    width = max(len(r.code) for r in RULES)
    family = max(len(r.family) for r in RULES)
    return "\n".join(f"{r.code:<{width}}  {r.severity:<7}  {r.family:<{family}}  {r.help}" for r in RULES)
