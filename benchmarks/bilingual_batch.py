"""A bilingual batch against the same contract in one language, whole process, same run.

    .venv/bin/python benchmarks/bilingual_batch.py [--rows 200] [--runs 3] [--format docx]
        [--template templates/supply-agreement-bilingual]

The one-language baseline is the bilingual template with its translations taken away: a
copy of its folder and clause library whose contract.yaml has no ``languages:`` (nor the
other bilingual keys) and whose clauses have no ``[[precedence]]`` line — the Chinese text
alone, as a firm would build it before it had an English one. Both batches get the same
rows (the sample data, each row with its own contract number and parties' names), run as
``contractgen batch`` processes, alternately, ``--runs`` times; the medians of wall and CPU
time (the process and its workers) and their ratio are printed. The issue's target: the
bilingual batch within 2x of the monolingual one.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BILINGUAL_KEYS = ("languages", "governing", "layout", "schemes", "title_en", "title_zh")


def flatten(raw: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def library_of(template: Path) -> Path:
    """The template's clause folder: its ``library:``, else the repository's ``clauses/``."""
    spec = yaml.safe_load((template / "contract.yaml").read_text(encoding="utf-8"))
    return (template / spec["library"]).resolve() if spec.get("library") else ROOT / "clauses"


def copy_template(template: Path, work: Path, ignore=None) -> Path:
    """The template and its clause library under ``work`` (clauses/, templates/<name>/)."""
    shutil.copytree(library_of(template), work / "clauses", ignore=ignore)
    target = work / "templates" / template.name
    shutil.copytree(template, target)
    spec = yaml.safe_load((target / "contract.yaml").read_text(encoding="utf-8"))
    if spec.pop("library", None):
        (target / "contract.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    return target


def monolingual_copy(template: Path, work: Path) -> Path:
    """The template and its clause library, copied with the translations taken away."""
    target = copy_template(template, work, shutil.ignore_patterns("*.en.md", "*.zh.md"))
    for path in (work / "clauses").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "[[precedence]]" in text:
            path.write_text(re.sub(r"(?m)^.*\[\[precedence\]\].*\n", "", text), encoding="utf-8")
    spec = yaml.safe_load((target / "contract.yaml").read_text(encoding="utf-8"))
    for key in BILINGUAL_KEYS:
        spec.pop(key, None)
    for part in spec.get("parts", []):
        for key in [k for k in part if k.startswith(("title_", "cite_as_"))]:
            part.pop(key)
    for name, field in list(spec.get("data", {}).items()):
        if isinstance(field, dict) and field.pop("translate", None):
            spec["data"][f"{name}_en"] = {"type": "string", "required": False}  # the rows keep the column
    (target / "contract.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def write_rows(template: Path, count: int, path: Path) -> None:
    sample = flatten(yaml.safe_load((template / "sample-data.yaml").read_text(encoding="utf-8")))
    names = [k for k in sample if k.endswith(".name")]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=list(sample))
        out.writeheader()
        for i in range(count):
            row = dict(sample)
            for key in [k for k in sample if k.endswith("_no")]:
                row[key] = f"{sample[key]}-{i:04d}"
            for key in names:
                row[key] = f"{sample[key]}{i}"
                if f"{key}_en" in row:
                    row[f"{key}_en"] = f"{sample[f'{key}_en']} No. {i}"
            out.writerow(row)


def run_batch(template: Path, rows: Path, out: Path, fmt: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one batch."""
    exe = Path(sys.executable).with_name("contractgen")
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run([str(exe), "batch", str(template), "--data", str(rows), "--out", str(out),
                           "--format", fmt, "--force"], capture_output=True, text=True, cwd=template.parents[1])
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"batch of {template} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="docx")
    parser.add_argument("--template", type=Path, default=ROOT / "templates" / "supply-agreement-bilingual")
    args = parser.parse_args()
    template = args.template.resolve()
    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as tmp:
        work = Path(tmp)
        bilingual_template = copy_template(template, work / "bi")
        mono = monolingual_copy(template, work / "mono")
        rows = work / "rows.csv"
        write_rows(template, args.rows, rows)
        times: dict[str, list[tuple[float, float]]] = {"monolingual": [], "bilingual": []}
        for run in range(args.runs):
            times["monolingual"].append(run_batch(mono, rows, work / f"out-mono-{run}", args.format))
            times["bilingual"].append(run_batch(bilingual_template, rows, work / f"out-bi-{run}", args.format))
    medians = {name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t))
               for name, t in times.items()}
    print(f"{args.rows} rows, --format {args.format}, median of {args.runs} runs, {template.name}")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:12s} wall {wall:6.2f} s  ({args.rows / wall:6.1f} docs/s)   CPU {cpu:6.2f} s "
              f"({1000 * cpu / args.rows:5.1f} ms/doc)")
    wall_ratio = medians["bilingual"][0] / medians["monolingual"][0]
    cpu_ratio = medians["bilingual"][1] / medians["monolingual"][1]
    print(f"  bilingual / monolingual: wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x (target: within 2x)")


if __name__ == "__main__":
    main()
