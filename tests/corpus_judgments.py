"""The real-contract corpus and its reviewed judgments: which file is which language, what
`check` reports on each file, and how each finding was judged (tests/data/corpus/README.md).

Shared by ``tests/test_corpus.py`` and ``benchmarks/corpus.py``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contractgen.checking import check_file
from contractgen.diagnostics import Finding

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
JUDGMENTS = CORPUS / "judgments"
SUFFIXES = (".md", ".txt", ".docx")
VERDICTS = ("true", "false", "debatable")
FIELDS = ("file", "line", "code", "severity", "message", "verdict", "reason")


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in SUFFIXES and p.name[:3] in ("zh-", "en-"))


def lang_of(path: Path) -> str:
    """The language the file name gives (``zh-…`` or ``en-…``)."""
    return path.name.split("-", 1)[0]


def load_judgments(folder: Path = JUDGMENTS) -> dict[tuple, list[dict]]:
    """Every judgment, keyed by (file, code, line); a broken row raises with its place."""
    table: dict[tuple, list[dict]] = defaultdict(list)
    for path in sorted(folder.glob("*.jsonl")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not text.strip():
                continue
            row = json.loads(text)
            where = f"{path.name}:{number}"
            if tuple(row) != FIELDS:
                raise ValueError(f"{where}: fields must be {', '.join(FIELDS)} in this order")
            if row["verdict"] not in VERDICTS or row["code"] != path.stem:
                raise ValueError(f"{where}: verdict must be one of {VERDICTS} and code {path.stem!r}")
            table[(row["file"], row["code"], row["line"])].append(row)
    return table


def verdict_of(table: dict[tuple, list[dict]], file: str, f: Finding) -> str | None:
    """The verdict of a finding, or None when it is unjudged. (file, code, line) identifies
    it; where the judgments on that triple disagree, the one with the same message decides."""
    rows = table.get((file, f.code, f.line), [])
    verdicts = {r["verdict"] for r in rows}
    if len(verdicts) == 1:
        return verdicts.pop()
    exact = [r["verdict"] for r in rows if r["message"] == f.message]
    return exact[0] if exact else None


@dataclass
class Judged:
    """One finding of the corpus run with its verdict (None = unjudged)."""

    file: str
    lang: str
    finding: Finding
    verdict: str | None


@dataclass
class CorpusRun:
    judged: list[Judged] = field(default_factory=list)
    seconds: float = 0.0
    used: set = field(default_factory=set)   # judgment keys some finding matched
    crashed: list[tuple[str, str]] = field(default_factory=list)  # (file, exception) check raised

    def stale(self, table: dict[tuple, list[dict]]) -> list[dict]:
        """Judgments no finding of this run matches (their finding is gone or moved)."""
        return [r for key, rows in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0))
                if key not in self.used for r in rows]


def run_corpus(files: list[Path] | None = None, table: dict | None = None) -> CorpusRun:
    """Check every corpus file once and judge each finding."""
    import time

    table = load_judgments() if table is None else table
    run = CorpusRun()
    started = time.perf_counter()
    for path in files or corpus_files():
        try:
            found = check_file(path)
        except Exception as exc:  # another engineer's work in progress must not hide the rest
            run.crashed.append((path.name, f"{type(exc).__name__}: {exc}"))
            continue
        for f in found:
            run.judged.append(Judged(path.name, lang_of(path), f, verdict_of(table, path.name, f)))
            run.used.add((path.name, f.code, f.line))
    run.seconds = time.perf_counter() - started
    return run


def source_line(file: str, line: int | None) -> str:
    """The text of a finding's line as a reviewer reads it (the DOCX reader's lines for .docx)."""
    return _line_texts(file).get(line or 0, "")


@lru_cache(maxsize=64)
def _line_texts(file: str) -> dict[int, str]:
    path = CORPUS / file
    if path.suffix == ".docx":
        from contractgen.readers.docx import docx_lines

        return {ln.line: ln.text for ln in docx_lines(path)}
    return dict(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
