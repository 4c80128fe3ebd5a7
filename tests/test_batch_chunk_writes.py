"""A worker's chunk of rows: files staged as each row is built, synced on the writer
thread, named at the end. A row whose file cannot be staged or synced fails alone, with
the reason, and leaves neither its file nor a temporary file; the other rows are written."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest

from batchdata import SAMPLE, many_rows
from contractgen.batch import shutdown, worker
from contractgen.batch.manifest import FAILED, OK
from contractgen.batch.worker import BatchJob, RowTask, build_rows, load_job
from contractgen.fsutil import temp_files
from contractgen.spec import nest


def _tasks(n: int) -> list[RowTask]:
    return [RowTask(i + 2, f"row-{i + 2}", nest(cells), "") for i, cells in enumerate(many_rows(n))]


def _chunk(tmp_path: Path, n: int = 4):
    loaded = load_job(BatchJob(str(SAMPLE), ("docx", "md"), str(tmp_path), "rows.csv"))
    return loaded, _tasks(n)


def test_a_chunk_writes_every_row_and_no_temporary_file(tmp_path):
    loaded, tasks = _chunk(tmp_path)
    results = build_rows(loaded, tasks)
    assert [r.status for r in results] == [OK] * 4
    for result in results:
        names = sorted(o.path for o in result.outputs)
        assert names == [f"{result.key}.docx", f"{result.key}.md"]
        for output in result.outputs:
            data = (tmp_path / output.path).read_bytes()
            assert len(data) == output.size > 0
            assert hashlib.sha256(data).hexdigest() == output.sha256
    assert list(temp_files(tmp_path)) == []
    assert shutdown.STAGED == set()


@pytest.mark.parametrize("stage_where", ["stage", "sync"])
def test_a_row_that_cannot_be_written_fails_alone(tmp_path, monkeypatch, stage_where):
    loaded, tasks = _chunk(tmp_path)
    real = getattr(worker, "stage" if stage_where == "stage" else "sync_staged")
    calls = {"n": 0}

    def failing(*args):
        calls["n"] += 1
        # the second row: its md file (staging) or its files' sync
        if (stage_where == "stage" and calls["n"] == 4) or (stage_where == "sync" and calls["n"] == 2):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args)

    monkeypatch.setattr(worker, "stage" if stage_where == "stage" else "sync_staged", failing)
    results = build_rows(loaded, tasks)
    assert [r.status for r in results] == [OK, FAILED, OK, OK]
    failed = results[1]
    assert failed.message == "cannot write: [Errno 28] No space left on device"
    assert not failed.detail  # the user's disk, not a bug
    assert not list(tmp_path.glob(f"{failed.key}.*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{r.key}.{s}" for r in results if r.status == OK for s in ("docx", "md"))
    assert shutdown.STAGED == set()


def test_a_stopping_worker_removes_what_it_staged(tmp_path, monkeypatch):
    """The lifeline's exit removes the temporary files of rows not yet named."""
    loaded, tasks = _chunk(tmp_path, 2)
    staged = worker.stage(tmp_path / "x.docx", b"data")
    shutdown.STAGED.add(staged.tmp)
    exited = []
    monkeypatch.setattr(shutdown.os, "_exit", exited.append)
    try:
        shutdown._exit_worker()
    finally:
        shutdown.STAGED.discard(staged.tmp)
        worker.discard_staged([staged])
    assert exited == [shutdown.WORKER_EXIT_STATUS]
    assert list(temp_files(tmp_path)) == []
