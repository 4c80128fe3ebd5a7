"""Where does a batch's CPU go? Sample a whole `contractgen batch` with py-spy and sort
the samples into the stages of a row.

    .venv/bin/pip install py-spy          # once; a sampling profiler, not a dependency
    .venv/bin/python benchmarks/profile_batch.py [--rows 2000] [--jobs 2] [--raw stacks.txt]

py-spy samples every process of the batch (the CLI, its workers, multiprocessing's
helpers) 100 times a second, counting only samples where a thread was running
(``--idle`` off: a worker waiting for its next chunk costs nothing). Each sample is put
in the first stage that a frame of its stack belongs to, read from the innermost frame
out: zlib inside the DOCX writer is "zip", a regular expression inside a check is
"checks", Jinja called by the assemble pass is "render".
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (stage, pattern a frame's file matches); the innermost matching frame decides.
STAGES = [
    ("zip (zipfile, zlib)", r"^zipfile\.py$"),
    ("file writes (atomic, fsync)", r"contractgen/fsutil\.py"),
    ("IPC (pickle, pipes, pool)", r"multiprocessing/(connection|queues|reduction)\.py|concurrent/futures/"),
    ("start-up (imports)", r"<frozen importlib|importlib/__init__"),
    ("DOCX writer", r"contractgen/writers/docx/"),
    ("other writers", r"contractgen/writers/"),
    ("checks", r"contractgen/(checks/|checking\.py|views\.py)"),
    ("render (Jinja)", r"contractgen/render\.py|^jinja2/"),
    ("fragment reader", r"contractgen/readers/"),
    ("passes", r"contractgen/(passes|numbering)/|contractgen/outline\.py"),
    ("data validation", r"contractgen/spec\.py"),
    ("template load", r"contractgen/(library|pipeline)\.py"),
    ("batch (rows, manifest, run)", r"contractgen/batch/"),
]
# A sample whose innermost frame is one of these is a thread waiting (for a chunk, a result,
# the lifeline), which py-spy cannot always tell from running: it is not CPU.
WAITING = re.compile(r"^(Condition\.wait|Event\.wait|_PollLikeSelector\.select|Connection\._recv|"
                     r"Queue\.get|SimpleQueue\.get|Thread\.join|wait) \((threading|selectors|queue|"
                     r"multiprocessing/(connection|queues|synchronize))\.py")
FRAME = re.compile(r"\(([^():]+)(?::\d+)?\)$")


def stage_of(frames: list[str]) -> str:
    for frame in reversed(frames):  # innermost first
        match = FRAME.search(frame)
        where = match.group(1) if match else frame
        for stage, pattern in STAGES:
            if re.search(pattern, where):
                return stage
    return "other (interpreter, stdlib)"


# Within these stages, which module (the outermost of the stack in that folder) costs most.
MODULES = {"checks": r"contractgen/checks/(?!base|selection|__init__)", "passes": r"contractgen/passes/(?!__init__)"}


def module_of(frames: list[str], stage: str) -> str | None:
    if stage not in MODULES:
        return None
    for frame in frames:  # outermost first
        match = FRAME.search(frame)
        if match and re.search(MODULES[stage], match.group(1)):
            return match.group(1).removeprefix("contractgen/")
    return "(shared code)"


def summarise(raw: Path, rows: int, hz: int) -> None:
    stages, processes, waiting = Counter(), Counter(), 0
    modules = {stage: Counter() for stage in MODULES}
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        # The stack starts with one "process PID:\"command line\"" frame per level of the
        # process tree (batch CLI, forkserver, worker); command lines hold ";" themselves.
        frames = [f for f in stack.split(";") if f.endswith(")")]
        kind = ("worker" if "multiprocessing.forkserver import main" in stack
                else "helper" if "resource_tracker" in stack else "batch CLI (parent)")
        if frames and WAITING.match(frames[-1]):
            waiting += int(count)
            continue
        stage = stage_of(frames)
        stages[stage] += int(count)
        if module_of(frames, stage):
            modules[stage][module_of(frames, stage)] += int(count)
        processes[kind] += int(count)
    total = sum(stages.values())
    print(f"{total} samples at {hz} Hz = {total / hz:.1f} CPU s, {1000 * total / hz / rows:.1f} CPU ms per document "
          f"({waiting} samples of threads waiting left out)")
    for kind, n in processes.most_common():
        print(f"  {kind:<30} {100 * n / total:5.1f} %  {1000 * n / hz / rows:5.1f} ms/doc")
    print("by stage:")
    for stage, n in stages.most_common():
        print(f"  {stage:<30} {100 * n / total:5.1f} %  {1000 * n / hz / rows:5.1f} ms/doc")
        for module, m in modules.get(stage, Counter()).most_common(5):
            print(f"      {module:<26} {100 * m / total:5.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rate", type=int, default=100, help="samples per second (default 100)")
    parser.add_argument("--raw", type=Path, help="keep py-spy's collapsed stacks here")
    parser.add_argument("--summarise", type=Path, metavar="RAW", help="only summarise stacks kept with --raw")
    args = parser.parse_args()
    if args.summarise:
        summarise(args.summarise, args.rows, args.rate)
        return
    spec = importlib.util.spec_from_file_location("batch_benchmark", HERE / "batch.py")
    bench = sys.modules["batch_benchmark"] = importlib.util.module_from_spec(spec)  # dataclasses look it up
    spec.loader.exec_module(bench)
    py_spy = Path(sys.executable).with_name("py-spy")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        fields = bench.make_naive_template(tmp / "unused.docx")
        rows_csv = bench.write_rows(tmp / "rows.csv", bench.sample_rows(), args.rows, fields)
        raw = args.raw or tmp / "stacks.txt"
        command = [str(py_spy), "record", "--subprocesses", "--nonblocking", "--format", "raw",
                   "--rate", str(args.rate),
                   "--output", str(raw), "--", *bench.CONTRACTGEN, "batch", str(bench.SAMPLE),
                   "--data", str(rows_csv), "--out", str(tmp / "out"), "--format", "docx",
                   "--jobs", str(args.jobs), "--quiet"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"contractgen batch, {args.rows} rows, --jobs {args.jobs}, py-spy --rate {args.rate}")
        summarise(raw, args.rows, args.rate)


if __name__ == "__main__":
    main()
