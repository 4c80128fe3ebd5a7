"""A real `contractgen batch` process for the signal and resume tests: start it, wait for
its first files, see its process tree, and wait for that tree to be gone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from batchdata import SAMPLE

START_TIMEOUT = 120  # a loaded 2-core machine may take long to start; the bound is after the signal


def start_batch(data: Path, out: Path, temp_dir: Path, *extra: str, session: bool = False) -> subprocess.Popen:
    """The command as a user runs it, with a system temp dir of its own (TMPDIR) so that a
    test can see every temp entry the batch created there."""
    command = [sys.executable, "-c", "from contractgen.cli import main; main()", "batch", str(SAMPLE),
               "--data", str(data), "--out", str(out), "--format", "docx", "--jobs", "2", "--quiet", *extra]
    temp_dir.mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(temp_dir))
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=session)


def wait_for_files(proc: subprocess.Popen, out: Path, count: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the batch ended early ({proc.returncode}): {proc.stderr.read().decode()}"
        if out.is_dir() and sum(1 for _ in out.glob("*.docx")) >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"no {count} files in {out} after {START_TIMEOUT} s")


def wait_for_recorded_row(proc: subprocess.Popen, out: Path) -> None:
    """Until the partial manifest records a row: files appear as workers write them, the
    manifest only when a chunk's results reach the batch process, which a loaded machine
    may hold back for a moment."""
    partial = out / ".manifest.csv.partial"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the batch ended early ({proc.returncode}): {proc.stderr.read().decode()}"
        if partial.exists() and partial.read_bytes().count(b"\n") >= 2:  # the header and a row
            return
        time.sleep(0.01)
    raise AssertionError(f"no row recorded in {partial} after {START_TIMEOUT} s")


def process_tree(proc: subprocess.Popen) -> list[psutil.Process]:
    """The batch and every process it started (workers, forkserver, resource tracker)."""
    parent = psutil.Process(proc.pid)
    return [parent, *parent.children(recursive=True)]


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those still running; a zombie (dead, waiting to be reaped) counts as gone."""
    running = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                running.append(p)
        except psutil.NoSuchProcess:
            pass
    return running


def wait_gone(processes: list[psutil.Process], since: float, bound: float) -> list[psutil.Process]:
    """Poll until every process is gone or ``bound`` seconds after ``since``; the survivors."""
    while alive(processes) and time.monotonic() < since + bound:
        time.sleep(0.05)
    return alive(processes)


def kill_all(processes: list[psutil.Process]) -> None:
    """Leave no process behind even when a test fails."""
    for p in alive(processes):
        try:
            p.kill()
        except psutil.Error:
            pass
