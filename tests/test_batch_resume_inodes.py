"""--resume leaves alone every file the killed run's manifest records as finished: same
inode, same mtime (not rebuilt to the same bytes), and rebuilds only the rest."""

from __future__ import annotations

import os
import signal
import time

from batchdata import SAMPLE, many_rows, write_csv
from batchprocs import kill_all, process_tree, start_batch, wait_for_files, wait_gone
from contractgen.batch.manifest import read_manifest
from contractgen.batch.run import BatchOptions, run_batch

ROWS = 400
KILL_AFTER_FILES = 120


def stats(out, names):
    return {name: (os.stat(out / name).st_ino, os.stat(out / name).st_mtime_ns) for name in names}


def kill_midway(data, out, temp_dir):
    proc = start_batch(data, out, temp_dir)
    tree = []
    try:
        wait_for_files(proc, out, KILL_AFTER_FILES)
        tree = process_tree(proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert not wait_gone(tree, time.monotonic(), 3.0)
    finally:
        kill_all(tree)
        if proc.poll() is None:
            proc.kill()


def test_resume_keeps_every_recorded_file_and_rebuilds_the_rest(tmp_path):
    data = write_csv(tmp_path / "rows.csv", many_rows(ROWS))
    out = tmp_path / "out"
    kill_midway(data, out, tmp_path / "systemp")
    recorded = [e for e in read_manifest(out / ".manifest.csv.partial") if e.status == "ok"]
    names = [o.path for e in recorded for o in e.outputs]
    assert names and len(recorded) < ROWS
    before = stats(out, names)

    assert run_batch(SAMPLE, data, out, BatchOptions(formats=("docx",), jobs=2, quiet=True, resume=True)) == 0
    assert stats(out, names) == before
    entries = {e.row: e for e in read_manifest(out / "manifest.csv")}
    assert len(entries) == ROWS
    assert {entries[e.row].status for e in recorded} == {"skipped"}
    assert sum(1 for e in entries.values() if e.status == "ok") == ROWS - len(recorded)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_resume_stopped_early_forgets_no_row_the_run_before_recorded(tmp_path):
    """Run 1 recorded every row, but was stopped before publishing its manifest; the resume
    after it (run 2) moved that record aside and was stopped after re-recording 10 rows.
    Run 3 must still skip all of them."""
    data = write_csv(tmp_path / "rows.csv", many_rows(40))
    out = tmp_path / "out"
    assert run_batch(SAMPLE, data, out, BatchOptions(formats=("docx",), jobs=1, quiet=True)) == 0
    lines = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    (out / "manifest.csv").rename(out / ".manifest.csv.previous")  # run 2 moved run 1's record aside
    (out / ".manifest.csv.partial").write_text("".join(lines[:11]), encoding="utf-8")  # header + 10 rows
    names = sorted(p.name for p in out.glob("*.docx"))
    before = stats(out, names)

    assert run_batch(SAMPLE, data, out, BatchOptions(formats=("docx",), jobs=1, quiet=True, resume=True)) == 0
    assert stats(out, names) == before
    assert {e.status for e in read_manifest(out / "manifest.csv")} == {"skipped"}
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
