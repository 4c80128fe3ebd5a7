"""A batch killed halfway and resumed gives the same files as one uninterrupted run."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from batchdata import SAMPLE, many_rows, write_csv
from contractgen.batch.manifest import read_manifest
from contractgen.batch.run import BatchOptions, run_batch

ROWS = 150
KILL_AFTER_FILES = 60


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if not p.name.startswith(("manifest", "."))}


def start_batch(data: Path, out: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from contractgen.cli import main; main()", "batch", str(SAMPLE),
               "--data", str(data), "--out", str(out), "--format", "docx", "--jobs", "2", "--quiet"]
    # A session of its own, so that the kill reaches the pool's workers too.
    return subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when_files_appear(proc: subprocess.Popen, out: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if out.is_dir() and sum(1 for _ in out.glob("*.docx")) >= count:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait(timeout=30)


def test_resume_after_a_crash_gives_byte_identical_files(tmp_path):
    data = write_csv(tmp_path / "rows.csv", many_rows(ROWS))
    reference = tmp_path / "reference"
    assert run_batch(SAMPLE, data, reference, BatchOptions(formats=("docx",), jobs=2, quiet=True)) == 0

    out = tmp_path / "out"
    proc = start_batch(data, out)
    kill_when_files_appear(proc, out, KILL_AFTER_FILES)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    assert not (out / "manifest.csv").exists() and (out / ".manifest.csv.partial").exists()
    assert len(list(out.glob("*.docx"))) < ROWS

    assert run_batch(SAMPLE, data, out, BatchOptions(formats=("docx",), jobs=2, quiet=True, resume=True)) == 0
    assert digests(out) == digests(reference)
    assert not list(out.glob(".*"))  # no temporary files, no partial manifest
    statuses = [e.status for e in read_manifest(out / "manifest.csv")]
    assert len(statuses) == ROWS and statuses.count("skipped") > 0
    assert set(statuses) == {"ok", "skipped"}
