"""Measure `contractgen check` on the real-contract corpus: precision from the reviewed
judgments, recall from defects planted into every file.

Run: .venv/bin/python benchmarks/corpus.py [--unjudged] [--stale] [--misses] [--json]
     [--per-file N] [--seed S] [--no-recall]

Precision: every finding `check` reports on tests/data/corpus/* is looked up in
tests/data/corpus/judgments/<code>.jsonl by (file, code, line). The table shows per
language and rule the errors and warnings judged true / false / debatable / unjudged, and
precision = true / judged (unjudged are counted apart, never as true). Targets (issue 22):
0 false errors; false warnings < 5 % of all findings.

Recall: defects are planted programmatically (tests/corpus_plant.py says how and what
"near" means) and the file re-checked; a planted defect is found when a new finding of the
expected code appears near the planted place. Target: >= 95 % per kind and language.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus_judgments import VERDICTS, CorpusRun, corpus_files, load_judgments, run_corpus, source_line  # noqa: E402
from corpus_plant import KINDS, measure_recall  # noqa: E402

COLUMNS = (*VERDICTS, "unjudged")


def tally(run: CorpusRun) -> dict:
    """Counts per (lang, code) and severity: {verdict or 'unjudged': n}."""
    rows: dict = defaultdict(lambda: {"error": Counter(), "warning": Counter()})
    for j in run.judged:
        rows[(j.lang, j.finding.code)][j.finding.severity][j.verdict or "unjudged"] += 1
    return rows


def precision(counts: Counter) -> float | None:
    judged = sum(counts[v] for v in VERDICTS)
    return counts["true"] / judged if judged else None


def totals(run: CorpusRun) -> dict:
    all_findings = len(run.judged)
    count = Counter((j.finding.severity, j.verdict or "unjudged") for j in run.judged)
    false_warnings = count[("warning", "false")]
    return {
        "files": len({j.file for j in run.judged}),
        "findings": all_findings,
        "false_errors": count[("error", "false")],
        "unjudged_errors": count[("error", "unjudged")],
        "false_warnings": false_warnings,
        "unjudged_warnings": count[("warning", "unjudged")],
        "false_warning_share": false_warnings / all_findings if all_findings else 0.0,
        "seconds": round(run.seconds, 2),
    }


def fmt_share(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def print_precision(run: CorpusRun, files: int) -> None:
    rows = tally(run)
    head = "  ".join(c[:5].rjust(5) for c in COLUMNS)
    print(f"{'lang':4} {'rule':28} | errors {head} | warnings {head} | precision")
    for (lang, code), sev in sorted(rows.items()):
        both = sev["error"] + sev["warning"]
        errs = "  ".join(f"{sev['error'][c]:5}" for c in COLUMNS)
        warns = "  ".join(f"{sev['warning'][c]:5}" for c in COLUMNS)
        print(f"{lang:4} {code:28} |        {errs} |          {warns} | {fmt_share(precision(both))}")
    for lang in sorted({lang for lang, _ in rows}):
        both = sum((s["error"] + s["warning"] for (lg, _), s in rows.items() if lg == lang), Counter())
        print(f"{lang:4} {'ALL':28}   precision {fmt_share(precision(both))}"
              f"  ({sum(both[v] for v in VERDICTS)} judged, {both['unjudged']} unjudged)")
    t = totals(run)
    print(f"\nfalse errors: {t['false_errors']} (target 0); unjudged errors: {t['unjudged_errors']}")
    print(f"false warnings: {t['false_warnings']} of {t['findings']} findings = "
          f"{100 * t['false_warning_share']:.1f} % (target < 5 %); unjudged warnings: {t['unjudged_warnings']}")
    print(f"checked {files} files in {run.seconds:.2f} s")
    for name, error in run.crashed:
        print(f"CHECK RAISED on {name}: {error}")


def print_unjudged(run: CorpusRun) -> None:
    print("\nunjudged findings (judge them in tests/data/corpus/judgments/<code>.jsonl):")
    for j in run.judged:
        if j.verdict is None:
            f = j.finding
            print(f"{j.file}:{f.line}: {f.severity} {f.code}: {f.message}")
            print(f"    | {source_line(j.file, f.line)[:200]}")


def print_stale(run: CorpusRun, table: dict) -> None:
    print("\nstale judgments (no finding matches them any more):")
    for r in run.stale(table):
        print(f"{r['file']}:{r['line']}: {r['code']} [{r['verdict']}] {r['message']}")


def print_recall(recall: dict, misses: bool) -> None:
    print(f"\n{'kind':18} {'lang':4} {'planted':>7} {'found':>6} {'recall':>7}  not plantable in")
    for kind in KINDS:
        for lang in ("en", "zh"):
            r = recall["kinds"].get(f"{kind}/{lang}")
            if r is None:
                continue
            share = f"{r['found'] / r['planted']:7.2f}" if r["planted"] else "      -"
            print(f"{kind:18} {lang:4} {r['planted']:7} {r['found']:6} {share}  {len(r['skipped'])} file(s)")
    print(f"recall: {recall['checks']} mutated files checked in {recall['seconds']:.1f} s (seed {recall['seed']})")
    if misses:
        print("\nmisses (file:line of the planted defect, what was planted, what was expected):")
        for m in recall["misses"]:
            print(f"{m['file']}:{m['line']}: {m['kind']}: {m['what']} -> expected {'/'.join(m['expect'])}")
            if m["got"]:
                print(f"    new findings nearby: {'; '.join(m['got'])[:300]}")
        print("\nnot plantable (file: why):")
        for key, r in sorted(recall["kinds"].items()):
            for name, why in r["skipped"]:
                print(f"{key}: {name}: {why}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unjudged", action="store_true", help="print every unjudged finding with its line")
    parser.add_argument("--stale", action="store_true", help="print judgments no finding matches any more")
    parser.add_argument("--misses", action="store_true", help="print every planted defect not found")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--per-file", type=int, default=3, help="mutations per kind and file (default 3)")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--no-recall", action="store_true", help="precision only")
    args = parser.parse_args()
    table = load_judgments()
    run = run_corpus(table=table)
    files = len(corpus_files())
    recall = None if args.no_recall else measure_recall(args.per_file, args.seed)
    if args.json:
        payload = {
            "totals": totals(run),
            "crashed": [{"file": name, "error": error} for name, error in run.crashed],
            "rules": [{"lang": lang, "code": code, **{sev: dict(c) for sev, c in s.items()},
                       "precision": precision(s["error"] + s["warning"])}
                      for (lang, code), s in sorted(tally(run).items())],
            "unjudged": [{"file": j.file, "line": j.finding.line, "code": j.finding.code,
                          "severity": j.finding.severity, "message": j.finding.message}
                         for j in run.judged if j.verdict is None],
            "recall": recall,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    print_precision(run, files)
    if args.unjudged:
        print_unjudged(run)
    if args.stale:
        print_stale(run, table)
    if recall is not None:
        print_recall(recall, args.misses)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
