"""What one batch row costs, stage by stage, in CPU time (process time: other work on a
shared machine does not count), against a full `build` of the same rows.

    .venv/bin/python benchmarks/row_cost.py [--rounds 5] [--rows 200]

The rows are parties.csv's valid rows, each with its own contract number, built in this
process the way a batch worker builds them (benchmarks/batch.py measures whole processes).
Each figure is the best of ``--rounds`` rounds over ``--rows`` rows, in ms per row.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
_sample_spec = importlib.util.spec_from_file_location("bench_sample", ROOT / "benchmarks" / "sample.py")
_sample = importlib.util.module_from_spec(_sample_spec)  # not on the path: benchmarks/docx.py would shadow python-docx
_sample_spec.loader.exec_module(_sample)
SAMPLE, without_word_parts = _sample.SAMPLE, _sample.without_word_parts


def rows(n: int) -> list[dict]:
    from contractgen.batch.rows import RowSource
    from contractgen.spec import nest

    with RowSource(SAMPLE / "parties.csv") as source:
        base = [nest(row.cells) for row in source.rows()]
    valid = [r for r in base if str(r.get("staff", "")).isdigit()]
    return [dict(valid[i % len(valid)], contract_no=f"T-{i:05d}") for i in range(n)]


def best(fn, items: list, rounds: int) -> float:
    fn(items[0])
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for item in items:
            fn(item)
        times.append((time.process_time() - started) / len(items) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--word-parts", action="store_true", help="the sample as shipped, with its Word parts")
    args = parser.parse_args()
    template_dir = SAMPLE if args.word_parts else without_word_parts(Path(tempfile.mkdtemp(prefix="row-cost-")) / "t")

    from contractgen.batch.worker import BatchJob, RowTask, build_row, load_job
    from contractgen.checks import RULES, rule_findings
    from contractgen.fsutil import write_all_atomic
    from contractgen.incremental import build_cached
    from contractgen.passes.fill import render_key
    from contractgen.pipeline import build, load_template
    from contractgen.spec import validate_data

    raw = rows(args.rows)
    loaded = load_job(BatchJob(str(template_dir), ("docx",), None, "parties.csv"))
    template, fresh = loaded.template, load_template(template_dir)
    data = [validate_data(template.spec, r, "parties.csv") for r in raw]
    docx = loaded.writers[0]
    built = [build(fresh, d).doc for d in data[:20]]
    text_rules = [r for r in RULES if r.reads != "structure"]
    out = Path(tempfile.mkdtemp(prefix="row-cost-"))
    payload = docx.render(built[0])
    counter = iter(range(10 ** 9))

    def write(_):
        write_all_atomic([(out / f"{next(counter) % 50}.docx", payload)])

    stages = [
        ("validate the row", lambda r: validate_data(template.spec, r, "parties.csv"), raw),
        ("render fragments (key)", lambda d: render_key(template, d), data),
        ("build_cached (all but writing)", lambda d: build_cached(template, d, loaded.structures, loaded.policy), data),
        ("  of which text check rules", lambda doc: rule_findings(doc, None, text_rules), built),
        ("DOCX writer (XML and zip)", docx.render, built),
        ("write the file (atomic, fsync)", write, list(range(50))),
        ("a batch row, in all (no file)", lambda r: build_row(loaded, RowTask(0, "k", r, "")), raw),
        ("full build() + DOCX, for comparison", lambda d: docx.render(build(fresh, d).doc), data),
    ]
    print(f"{args.rows} rows of {SAMPLE.name}{' (Word parts)' if args.word_parts else ''}, best of {args.rounds} rounds, CPU ms per row "
          f"(load average {os.getloadavg()[0]:.2f})")
    for name, fn, items in stages:
        print(f"  {name:38} {best(fn, items, args.rounds):7.2f}")


if __name__ == "__main__":
    main()
