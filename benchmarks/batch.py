"""How fast is `contractgen batch`, against a naive docxtpl loop and against the floor?

    .venv/bin/python benchmarks/batch.py [--rows 200 --rows 2000] [--jobs 2] [--naive-rows N] [--runs 3] [--word-parts]

Three programs make the same number of DOCX contracts of the sample template, in the same
run, each as a whole process (start-up counted), and the table gives for each: documents
per second, wall time (to the exit of its last process), time to the first document on
disk (sampled every 20 ms), CPU milliseconds per document (all processes of the program, as
the kernel counts them) and peak RSS (summed over them, sampled with psutil):

- **contractgen**: ``contractgen batch --format docx --jobs N`` as a user runs it: start-up,
  the scan, the process pool, validation, every built-in check, atomic writes (fsync), the
  manifest.
- **docxtpl loop** (the yardstick): a Word template of the same contract with the data as
  ``{{ tags }}`` (made here by benchmarks/docx.py's recipe); one process does, per row,
  ``DocxTemplate(path).render(row)`` and ``save`` — the loop people write first.
- **zip floor**: our own output, re-written: N processes (as many as --jobs) each read
  their share of the DOCX files contractgen just wrote into memory, then write each again
  as a zip of the same, already serialised members (deflate level 1, with ISA-L as ours) with an
  fsync. Reading is not counted (its time and CPU are subtracted), so this is what
  writing the files alone costs: no batch can be faster on this machine.

The contract is the sample's without its Word cover and signature page (issue 17's
``kind: word`` parts, which the docxtpl template has no counterpart of); ``--word-parts``
batches the sample as shipped.

Our modules are compiled to bytecode first, and their regular expressions (contractgen.rx),
as ``make`` does when it installs them (a machine that never writes bytecode would
otherwise compile them in every run).

Ratios: ours / docxtpl (the issue's target: >= 10x at 200 rows on 2 cores) and
floor / ours (target: within 3x), and peak RSS of the largest --rows over the smallest.
Runs in a few minutes on 2 cores with the defaults; ``--naive-rows`` caps the docxtpl loop
(its rate does not depend on the number of rows).
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# benchmarks/docx.py would shadow python-docx for `import docx`: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT / "src"))

_sample_spec = importlib.util.spec_from_file_location("bench_sample", HERE / "sample.py")  # not on the path
_sample = importlib.util.module_from_spec(_sample_spec)
_sample_spec.loader.exec_module(_sample)
SAMPLE, without_word_parts = _sample.SAMPLE, _sample.without_word_parts
# what the console script runs (pyproject.toml: contractgen = "contractgen.__main__:main")
CONTRACTGEN = [sys.executable, "-c", "import sys; from contractgen.__main__ import main; sys.exit(main())"]
SAMPLE_EVERY = 0.02  # seconds between samples of the process tree


@dataclass
class Measure:
    """One program's run: what the table prints."""

    docs: int
    wall: float
    first: float  # seconds from start to the first document on disk
    cpu: float  # CPU seconds of every process of the program
    peak_rss: int  # bytes, summed over the processes alive at the same time

    @property
    def rate(self) -> float:
        return self.docs / self.wall


# --- the programs, run as child processes of this script ---------------------------------

def naive_child(template: str, rows_csv: str, out: str, n: int) -> None:
    """The docxtpl loop, in a process of its own; imports only what such a script would."""
    from docxtpl import DocxTemplate

    with open(rows_csv, encoding="utf-8", newline="") as fh:
        rows = [nest(row) for _, row in zip(range(n), csv.DictReader(fh))]
    for row in rows:
        tpl = DocxTemplate(template)
        tpl.render(row, autoescape=True)
        tpl.save(Path(out) / f"{row['contract_no']}-{row['party_a']['name']}.docx")


def nest(cells: dict[str, str]) -> dict:
    data: dict = {}
    for key, value in cells.items():
        *parents, leaf = key.split(".")
        node = data
        for name in parents:
            node = node.setdefault(name, {})
        node[leaf] = value
    return data


def _same_deflate_as_ours() -> None:
    """zipfile deflates with what our writer uses (writers/docx/package.py: ISA-L's, or
    zlib's without python-isal); imported as such, not through contractgen (start-up)."""
    import types
    import zlib

    try:
        from isal import isal_zlib as deflate
    except ImportError:
        deflate = zlib
    shim = types.SimpleNamespace(**{k: getattr(zlib, k) for k in dir(zlib) if not k.startswith("__")})
    shim.compressobj = deflate.compressobj
    zipfile.zlib = shim


def zip_child(list_file: str, out: str) -> None:
    """Read the listed DOCX files' members, then time only writing each again as a zip."""
    _same_deflate_as_ours()
    started, cpu = time.perf_counter(), time.process_time()
    docs = []
    for name in Path(list_file).read_text(encoding="utf-8").splitlines():
        with zipfile.ZipFile(name) as archive:
            docs.append((Path(name).name, [(info, archive.read(info)) for info in archive.infolist()]))
    load = {"load_wall": time.perf_counter() - started, "load_cpu": time.process_time() - cpu}
    for name, members in docs:
        with open(Path(out) / name, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as archive:
                for info, data in members:
                    archive.writestr(info, data, compresslevel=1)
            fh.flush()
            os.fsync(fh.fileno())
    print(json.dumps(load))


# --- measuring ----------------------------------------------------------------------------

def measure(commands: list[list[str]], out: Path, docs: int) -> tuple[Measure, list[str]]:
    """Run ``commands`` at once until all have ended. Wall time ends when the last one
    exits (a thread waits for each: exact, not the sampling's 20 ms steps); CPU time is
    what the kernel counted for them and every process they started and reaped
    (getrusage of this script's children, before and after); peak RSS and the first
    document come from sampling their process trees every 20 ms."""
    import resource
    import threading

    import psutil

    out.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
    roots = [psutil.Process(p.pid) for p in procs]
    ended: list[float | None] = [None] * len(procs)
    all_ended = threading.Event()

    def wait(index: int, proc: subprocess.Popen) -> None:
        proc.wait()
        ended[index] = time.perf_counter()
        if all(e is not None for e in ended):
            all_ended.set()

    for index, proc in enumerate(procs):
        threading.Thread(target=wait, args=(index, proc), daemon=True).start()
    peak, first = 0, None
    while not all_ended.is_set():
        rss = 0
        for process in _trees(roots):
            try:
                rss += process.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, rss)
        if first is None and next(out.glob("*.docx"), None) is not None:
            first = time.perf_counter() - started
        all_ended.wait(SAMPLE_EVERY)
    wall = max(ended) - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    outputs = []
    for proc, command in zip(procs, commands):
        stdout, stderr = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"{command[2:4]} failed ({proc.returncode}):\n{stderr.decode()}")
        outputs.append(stdout.decode())
    return Measure(docs, wall, first if first is not None else wall, cpu, peak), outputs


def _trees(roots):
    import psutil

    for root in roots:
        try:
            yield root
            yield from root.children(recursive=True)
        except psutil.Error:
            continue


def run_ours(rows_csv: Path, out: Path, n: int, jobs: int, template_dir: Path = SAMPLE) -> Measure:
    command = [*CONTRACTGEN, "batch", str(template_dir), "--data", str(rows_csv), "--out", str(out),
               "--format", "docx", "--jobs", str(jobs), "--quiet"]
    result, _ = measure([command], out, n)
    return result


def run_naive(template: Path, rows_csv: Path, out: Path, n: int) -> Measure:
    command = [sys.executable, __file__, "--child", "naive", str(template), str(rows_csv), str(out), str(n)]
    result, _ = measure([command], out, n)
    return result


def run_floor(ours_dir: Path, work: Path, jobs: int) -> Measure:
    files = sorted(str(p) for p in ours_dir.glob("*.docx"))
    work.mkdir()
    commands = []
    for k in range(jobs):
        share = work / f"share{k}.txt"
        share.write_text("\n".join(files[k::jobs]), encoding="utf-8")
        commands.append([sys.executable, __file__, "--child", "zip", str(share), str(work / "out")])
    result, outputs = measure(commands, work / "out", len(files))
    loads = [json.loads(o) for o in outputs]
    load_wall = max(x["load_wall"] for x in loads)  # the children read at the same time
    result.wall -= load_wall
    result.first = max(0.0, result.first - load_wall)
    result.cpu -= sum(x["load_cpu"] for x in loads)
    return result


# --- data and report ----------------------------------------------------------------------

def sample_rows() -> list[dict[str, str]]:
    """The valid rows of the sample parties.csv (one is invalid on purpose)."""
    from contractgen.batch.rows import RowSource
    from contractgen.pipeline import load_template
    from contractgen.spec import data_problems
    from contractgen.spec import nest as nest_cells

    template = load_template(SAMPLE)
    with RowSource(SAMPLE / "parties.csv") as source:
        return [row.cells for row in source.rows()
                if not data_problems(template.spec, nest_cells(row.cells), "parties.csv")]


def write_rows(path: Path, base: list[dict[str, str]], n: int, fields: list[str]) -> Path:
    """``n`` rows with distinct contract numbers, cycling through the sample parties; every
    field a column ("" when the row leaves it empty), so the docxtpl loop sees each tag."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        for i in range(n):
            row = {name: base[i % len(base)].get(name, "") for name in fields}
            writer.writerow(dict(row, contract_no=f"B-{i + 1:06d}"))
    return path


def make_naive_template(path: Path) -> list[str]:
    """The docxtpl template of the same contract; returns the data's field names."""
    from contractgen.pipeline import build_document, load_template
    from contractgen.spec import load_data_file, validate_data

    spec = importlib.util.spec_from_file_location("docx_benchmark", HERE / "docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    template = load_template(SAMPLE)
    raw, lines = load_data_file(SAMPLE / "sample-data.yaml")
    doc = build_document(template, validate_data(template.spec, raw, "sample-data.yaml", lines), check=False)
    module.make_docxtpl_template(doc, raw, path)
    return list(template.spec.data)


HEADER = f"{'rows':>6}  {'program':<18} {'docs/s':>8} {'wall s':>8} {'first doc s':>11} {'CPU ms/doc':>10} {'peak RSS MiB':>12}"


def row_line(n: int, name: str, m: Measure) -> str:
    return (f"{n:>6}  {name:<18} {m.rate:8.1f} {m.wall:8.2f} {m.first:11.2f} "
            f"{1000 * m.cpu / m.docs:10.1f} {m.peak_rss / 2**20:12.0f}")


def bench(n: int, args, tmp: Path, base, template: Path, fields) -> dict[str, Measure]:
    """One size: the docxtpl loop once (its rate hardly varies), ours and the floor
    ``--runs`` times, alternating, each program's median run by wall time reported."""
    import shutil
    import statistics

    rows_csv = write_rows(tmp / f"rows{n}.csv", base, n, fields)
    naive_n = min(n, args.naive_rows or n)
    naive = run_naive(template, rows_csv, tmp / f"naive{n}", naive_n)
    ours_runs, floor_runs = [], []
    for _ in range(args.runs):
        shutil.rmtree(tmp / f"ours{n}", ignore_errors=True)
        shutil.rmtree(tmp / f"floor{n}", ignore_errors=True)
        ours_runs.append(run_ours(rows_csv, tmp / f"ours{n}", n, args.jobs, args.template_dir))
        floor_runs.append(run_floor(tmp / f"ours{n}", tmp / f"floor{n}", args.jobs))
    ours, floor = (_median_run(runs) for runs in (ours_runs, floor_runs))
    for name, m in (("contractgen batch", ours), ("docxtpl loop", naive), ("zip floor", floor)):
        print(row_line(n if name != "docxtpl loop" else naive_n, name, m), flush=True)
    if args.runs > 1:
        ratios = sorted(f.rate / o.rate for o, f in zip(ours_runs, floor_runs))
        print(f"{n:>6}  {args.runs} runs, wall s: ours {' '.join(f'{m.wall:.2f}' for m in ours_runs)}; "
              f"floor {' '.join(f'{m.wall:.2f}' for m in floor_runs)}; floor/ours of each pair "
              f"{' '.join(f'{r:.1f}' for r in ratios)} (median {statistics.median(ratios):.1f}x)", flush=True)
    print(f"{n:>6}  ratios: ours/docxtpl {ours.rate / naive.rate:.1f}x (target >= 10x), "
          f"floor/ours {floor.rate / ours.rate:.1f}x (target <= 3x)", flush=True)
    return {"ours": ours, "naive": naive, "floor": floor}


def _median_run(runs: list[Measure]) -> Measure:
    """The run of median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda m: m.wall)[(len(runs) - 1) // 2]


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # one of the measured programs (see run_naive, run_floor)
        kind, *rest = sys.argv[2:]
        if kind == "naive":
            naive_child(rest[0], rest[1], rest[2], int(rest[3]))
        else:
            zip_child(rest[0], rest[1])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="rows in a batch (repeatable; default 200 and 2000)")
    parser.add_argument("--jobs", type=int, default=2, help="batch worker processes (default 2)")
    parser.add_argument("--naive-rows", type=int, help="at most this many rows for the docxtpl loop (default: all)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of ours and of the floor per size, alternating; medians reported (default 3): "
                             "a shared machine's speed drifts from one second to the next")
    parser.add_argument("--word-parts", action="store_true",
                        help="batch the sample as shipped, with its Word cover and signature page (issue 17); "
                             "by default they are left out, as the docxtpl loop's template has no such pages")
    args = parser.parse_args()
    sizes = sorted(set(args.rows or [200, 2000]))

    # As installed (make compiles our modules, pip the rest): a machine that never writes
    # bytecode (PYTHONDONTWRITEBYTECODE) would otherwise compile every module in every run.
    compileall.compile_dir(ROOT / "src", quiet=1)
    subprocess.run([sys.executable, "-m", "contractgen.rx"], check=True, capture_output=True,
                   env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = tmp / "naive.docx"
        fields = make_naive_template(template)
        args.template_dir = SAMPLE if args.word_parts else without_word_parts(tmp / "sample")
        base = sample_rows()
        print(f"cores available: {len(os.sched_getaffinity(0))}, batch --jobs {args.jobs}, "
              f"load average: {os.getloadavg()[0]:.2f}, Word parts: {'yes' if args.word_parts else 'no'}", flush=True)
        print(HEADER, flush=True)
        results = {n: bench(n, args, tmp, base, template, fields) for n in sizes}
    if len(sizes) > 1:
        small, large = results[sizes[0]]["ours"], results[sizes[-1]]["ours"]
        print(f"peak RSS of contractgen, {sizes[-1]} / {sizes[0]} rows: "
              f"{large.peak_rss / small.peak_rss:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
