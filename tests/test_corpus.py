"""The real-contract corpus targets of issue 22 (tests/data/corpus/README.md).

(a) PRECISION-ERRORS: every error `check` reports on a corpus file is judged true.
(b) PRECISION-WARNINGS: false warnings are under 5 % of all findings.
(c) RECALL: defects planted into the corpus files are found, >= 95 % per kind and language.

(a)-(c) hold (issue 22); a change that breaks one fails here, with the findings or plants
to look at in the message. The judgment files' format always holds.
Full figures: .venv/bin/python benchmarks/corpus.py
"""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from corpus_judgments import FIELDS, JUDGMENTS, corpus_files, load_judgments, run_corpus, source_line
from corpus_plant import KINDS, measure_recall

RECALL_PER_FILE = 1     # mutations per kind and file here; the benchmark plants more
RECALL_SEED = 22


@lru_cache(maxsize=1)
def corpus_run():
    return run_corpus()


@lru_cache(maxsize=1)
def recall():
    return measure_recall(RECALL_PER_FILE, RECALL_SEED)


def test_judgment_files_are_well_formed_and_sorted():
    table = load_judgments()   # raises on a wrong field order, verdict or code
    assert table, "no judgments found"
    for path in sorted(JUDGMENTS.glob("*.jsonl")):
        rows = [json.loads(t) for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
        keys = [(r["file"], r["line"] or 0, r["message"]) for r in rows]
        assert keys == sorted(keys), f"{path.name}: keep rows sorted by file, line, message"
        assert all(tuple(r) == FIELDS and r["reason"].strip() for r in rows), f"{path.name}: every row needs a reason"


@pytest.mark.parametrize("name", [p.name for p in corpus_files()])
def test_precision_errors_every_error_is_judged_true(name):
    run = corpus_run()
    crashed = [error for file, error in run.crashed if file == name]
    assert not crashed, f"{name}: check raised {crashed[0]}"
    wrong = [j for j in run.judged if j.file == name and j.finding.severity == "error" and j.verdict != "true"]
    report = [
        f"{name}:{j.finding.line}: {j.finding.code}: {j.finding.message} [{j.verdict or 'UNJUDGED'}]\n"
        f"    | {source_line(name, j.finding.line)[:160]}"
        for j in wrong
    ]
    assert not wrong, (
        f"{len(wrong)} error finding(s) not judged true; an unjudged one must be judged in "
        f"tests/data/corpus/judgments/<code>.jsonl, a false one fixed in check:\n" + "\n".join(report[:40]))


def test_precision_warnings_false_warnings_under_5_percent():
    run = corpus_run()
    assert run.judged, "check found nothing on the whole corpus"
    false = [j for j in run.judged if j.finding.severity == "warning" and j.verdict == "false"]
    share = len(false) / len(run.judged)
    assert share < 0.05, f"false warnings are {100 * share:.1f} % of {len(run.judged)} findings (target < 5 %)"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", KINDS)
def test_recall_planted_defects_found(kind, lang):
    r = recall()["kinds"].get(f"{kind}/{lang}", {"planted": 0, "found": 0})
    assert r["planted"], f"{kind}/{lang}: no file where this defect could be planted"
    misses = [f"{m['file']}:{m['line']}: {m['what']}" for m in recall()["misses"]
              if m["kind"] == kind and m["file"].startswith(lang + "-")]
    assert r["found"] / r["planted"] >= 0.95, (
        f"{kind}/{lang}: recall {r['found']}/{r['planted']} (target 95 %); missed:\n" + "\n".join(misses[:30]))
