"""How fast is `contractgen batch`? Documents per second against a naive docxtpl loop.

    .venv/bin/python benchmarks/batch.py [--rows 1000] [--jobs 2] [--naive-rows 200] [--memory]

Both sides make the same contracts from the same rows, in the same run:

- contractgen: ``contractgen batch --format docx --jobs N`` as a user runs it (a fresh
  process, so start-up, the process pool, validation, the built-in checks, atomic writes
  and the manifest are all counted);
- naive docxtpl loop (the yardstick): a Word template of the same contract with the data
  as ``{{ tags }}`` (made once here, as benchmarks/docx.py makes it), and for each row
  ``DocxTemplate(path).render(row)`` + ``save`` in one process — the loop people write
  first. Its rate is measured on ``--naive-rows`` rows (it does not change with N).

``--memory`` also runs the batch on 1,000 and on 10,000 rows and prints the peak resident
memory of the whole process tree (the CLI and its workers), sampled with psutil, and the
ratio; the target is at most 1.5x (constant memory in the number of rows).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# benchmarks/docx.py would shadow python-docx for `import docx`: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT / "src"))

from contractgen.batch.rows import RowSource  # noqa: E402
from contractgen.pipeline import build_document, load_template  # noqa: E402
from contractgen.spec import data_problems, load_data_file, nest, validate_data  # noqa: E402

SAMPLE = ROOT / "templates" / "huzhou-cs-outsourcing"
CONTRACTGEN = [sys.executable, "-c", "from contractgen.cli import main; main()"]


def sample_rows(template) -> list[dict[str, str]]:
    """The valid rows of the sample parties.csv (one is invalid on purpose)."""
    with RowSource(SAMPLE / "parties.csv") as source:
        return [row.cells for row in source.rows()
                if not data_problems(template.spec, nest(row.cells), "parties.csv")]


def write_rows(path: Path, base: list[dict[str, str]], n: int) -> Path:
    """``n`` rows with distinct contract numbers, cycling through the sample parties."""
    header = list(dict.fromkeys(k for row in base for k in row))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        for i in range(n):
            writer.writerow(dict(base[i % len(base)], contract_no=f"B-{i + 1:06d}"))
    return path


def make_naive_template(template, path: Path) -> None:
    """The docxtpl template of the same contract, built by benchmarks/docx.py's recipe."""
    spec = importlib.util.spec_from_file_location("docx_benchmark", HERE / "docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    raw, lines = load_data_file(SAMPLE / "sample-data.yaml")
    doc = build_document(template, validate_data(template.spec, raw, "sample-data.yaml", lines), check=False)
    module.make_docxtpl_template(doc, raw, path)


def naive_rate(template, tpl_path: Path, rows_csv: Path, n: int, out: Path) -> tuple[float, float]:
    """Documents per second and CPU seconds per document of the docxtpl loop."""
    from docxtpl import DocxTemplate

    out.mkdir()
    with RowSource(rows_csv) as source:  # every field present, "" when the row leaves it empty
        rows = [nest({name: row.cells.get(name, "") for name in template.spec.data})
                for _, row in zip(range(n), source.rows())]
    started, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        tpl = DocxTemplate(tpl_path)
        tpl.render(row, autoescape=True)
        tpl.save(out / f"{row['contract_no']}-{row['party_a']['name']}.docx")
    return len(rows) / (time.perf_counter() - started), (time.process_time() - cpu) / len(rows)


def worker_cpu_per_doc(rows_csv: Path, n: int, out: Path) -> float:
    """CPU seconds per document of what a batch worker does for a row (validate, build,
    check, render DOCX, hash, write) — a figure other processes on the machine cannot skew."""
    from contractgen.batch.worker import BatchJob, RowTask, build_row, load_job

    loaded = load_job(BatchJob(str(SAMPLE), ("docx",), str(out), str(rows_csv)))
    with RowSource(rows_csv) as source:
        tasks = [RowTask(row.number, f"row{row.number}", nest(row.cells), "")
                 for _, row in zip(range(n + 1), source.rows())]
    build_row(loaded, tasks[0])  # warm-up
    cpu = time.process_time()
    for task in tasks[1:]:
        build_row(loaded, task)
    return (time.process_time() - cpu) / (len(tasks) - 1)


def run_batch(rows_csv: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Wall-clock seconds and peak RSS (bytes, whole process tree) of one batch run."""
    command = [*CONTRACTGEN, "batch", str(SAMPLE), "--data", str(rows_csv), "--out", str(out),
               "--format", "docx", "--jobs", str(jobs), "--quiet"]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = watch_memory(proc)
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"batch failed ({proc.returncode}):\n{err.decode()}")
    return seconds, peak


def watch_memory(proc: subprocess.Popen) -> int:
    """Peak of the summed RSS of a process and its descendants, sampled every 50 ms."""
    try:
        import psutil
    except ImportError:  # without psutil: the largest single process, from the kernel
        proc.wait()
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    parent, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000, help="rows in the batch (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="batch worker processes (default 2)")
    parser.add_argument("--naive-rows", type=int, default=200, help="rows for the docxtpl loop (default 200)")
    parser.add_argument("--memory", action="store_true", help="also compare peak RSS for 1,000 and 10,000 rows")
    args = parser.parse_args()

    template = load_template(SAMPLE)
    base = sample_rows(template)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows_csv = write_rows(tmp / "rows.csv", base, args.rows)
        tpl_path = tmp / "naive.docx"
        make_naive_template(template, tpl_path)
        seconds, peak = run_batch(rows_csv, tmp / "batch", args.jobs)
        ours = args.rows / seconds
        n_naive = min(args.naive_rows, args.rows)
        naive, naive_cpu = naive_rate(template, tpl_path, rows_csv, n_naive, tmp / "naive")
        ours_cpu = worker_cpu_per_doc(rows_csv, n_naive, tmp / "cpu")
        print(f"cores available: {os.cpu_count()}, batch --jobs {args.jobs}, rows: {args.rows}, "
              f"load average: {os.getloadavg()[0]:.2f}")
        print(f"contractgen batch (docx)       : {ours:8.1f} docs/s  ({seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB)")
        print(f"naive docxtpl loop (yardstick) : {naive:8.1f} docs/s  ({n_naive} rows)")
        print(f"ratio (batch / naive)          : {ours / naive:8.1f}x  (target >= 5x on 2 cores)")
        print(f"CPU per document               : {ours_cpu * 1000:8.1f} ms batch worker, {naive_cpu * 1000:.1f} ms docxtpl")
        print(f"ratio on {args.jobs} idle cores (from CPU) : {args.jobs * naive_cpu / ours_cpu:8.1f}x  "
              "(start-up excluded; other load on the machine cannot skew it)")
        if args.memory:
            compare_memory(tmp, base, args.jobs)


def compare_memory(tmp: Path, base: list[dict[str, str]], jobs: int) -> None:
    peaks = {}
    for n in (1000, 10_000):
        _, peaks[n] = run_batch(write_rows(tmp / f"mem{n}.csv", base, n), tmp / f"mem{n}", jobs)
        print(f"peak RSS, {n:>6} rows           : {peaks[n] / 2**20:8.0f} MiB")
    print(f"ratio (10,000 / 1,000 rows)    : {peaks[10_000] / peaks[1000]:8.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
