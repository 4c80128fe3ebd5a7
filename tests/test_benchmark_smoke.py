"""benchmarks/batch.py runs and prints its table (no timing is asserted: figures are the
benchmark's to print, not a test's to judge)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\s+[\d.]+"
ROW = re.compile(rf"^\s+20  (contractgen batch|docxtpl loop|zip floor){NUMBER * 5}$")


def test_the_batch_benchmark_prints_every_program_and_the_ratios():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "batch.py"), "--rows", "20", "--runs", "2"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "docs/s" in line)
    for column in ("docs/s", "wall s", "first doc s", "CPU ms/doc", "peak RSS MiB"):
        assert column in header
    programs = [ROW.match(line).group(1) for line in lines if ROW.match(line)]
    assert programs == ["contractgen batch", "docxtpl loop", "zip floor"]
    assert any(re.search(r"ours/docxtpl [\d.]+x .*floor/ours [\d.]+x", line) for line in lines)
    # --runs 2: both runs of ours and of the floor, and the ratio of each pair
    assert any(re.search(r"2 runs, wall s: ours [\d.]+ [\d.]+; floor [\d.]+ [\d.]+; floor/ours of each pair "
                         r"[\d.]+ [\d.]+ \(median [\d.]+x\)", line) for line in lines), result.stdout
