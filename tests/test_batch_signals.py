"""A batch stopped by SIGTERM, SIGINT or a SIGKILL of its own process leaves no process,
no temporary file and no half-written file behind, and a manifest that records exactly
the rows that were finished."""

from __future__ import annotations

import hashlib
import os
import signal
import time
import zipfile

import pytest

from batchdata import many_rows, write_csv
from batchprocs import kill_all, process_tree, start_batch, wait_for_files, wait_for_recorded_row, wait_gone
from contractgen.batch.manifest import read_manifest

ROWS = 600  # several seconds of work on 2 cores: the signal lands mid-run
SIGNAL_AFTER_FILES = 40
CLEANUP_BOUND = 3.0  # seconds after the signal


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_folder_consistent(out):
    """Only finished files and the partial manifest; every recorded row's file intact."""
    leftovers = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert leftovers == [".manifest.csv.partial"]
    recorded = list(read_manifest(out / ".manifest.csv.partial"))
    assert recorded and all(e.status == "ok" for e in recorded)
    assert [e.row for e in recorded] == list(range(2, 2 + len(recorded)))  # in order, none missing
    for entry in recorded:
        for output in entry.outputs:
            assert sha256(out / output.path) == output.sha256
    for path in out.glob("*.docx"):  # recorded or not, no file is half written
        with zipfile.ZipFile(path) as docx:
            assert docx.testzip() is None
    return recorded


@pytest.mark.parametrize("signum, group, status", [
    (signal.SIGTERM, False, 143), (signal.SIGINT, False, 130), (signal.SIGKILL, False, -9),
    (signal.SIGINT, True, 130),  # Ctrl-C on a terminal: every process of the group gets it
], ids=["SIGTERM", "SIGINT", "SIGKILL", "SIGINT-to-the-group"])
def test_a_stopped_batch_leaves_nothing_behind(tmp_path, signum, group, status):
    data = write_csv(tmp_path / "rows.csv", many_rows(ROWS))
    out, temp_dir = tmp_path / "out", tmp_path / "systemp"
    proc = start_batch(data, out, temp_dir, session=group)
    tree = []
    try:
        wait_for_files(proc, out, SIGNAL_AFTER_FILES)
        wait_for_recorded_row(proc, out)  # so that the folder holds recorded rows to keep
        tree = process_tree(proc)
        assert len(tree) >= 3  # the batch, its workers and multiprocessing's helpers
        sent = time.monotonic()
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        proc.wait(timeout=CLEANUP_BOUND + 5)
        survivors = wait_gone(tree, sent, CLEANUP_BOUND)
        assert not survivors, [p.cmdline() for p in survivors]
    finally:
        kill_all(tree)
        if proc.poll() is None:
            proc.kill()
    stderr = proc.stderr.read().decode()
    assert proc.returncode == status, stderr
    if signum != signal.SIGKILL:
        name = signal.Signals(signum).name
        assert f"interrupted by {name}" in stderr and "--resume" in stderr
    recorded = assert_folder_consistent(out)
    assert len(recorded) < ROWS
    assert list(temp_dir.iterdir()) == []  # multiprocessing's folder in the system temp dir is gone
