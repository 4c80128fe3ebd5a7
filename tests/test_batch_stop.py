"""A batch stopped from another thread (``BatchOptions.cancel``, the web app's Stop button)
ends as a signal ends it: STOPPED, its workers gone, no temporary file, a partial manifest
of the rows it finished, which --resume keeps."""

from __future__ import annotations

import threading
import time

import pytest

from batchdata import SAMPLE, many_rows, write_csv
from contractgen.batch.manifest import read_manifest
from contractgen.batch.run import STOPPED, BatchOptions, run_batch

ROWS = 400


def _stop_after(out, files: int, cancel: threading.Event) -> threading.Thread:
    def watch() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < files:
            time.sleep(0.005)
        cancel.set()
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stopped_batch_keeps_what_it_recorded_for_resume(tmp_path, jobs: int) -> None:
    psutil = pytest.importorskip("psutil")
    data = write_csv(tmp_path / "rows.csv", many_rows(ROWS))
    out = tmp_path / "out"
    cancel = threading.Event()
    said: list[str] = []
    watcher = _stop_after(out, 20, cancel)
    status = run_batch(SAMPLE, data, out, BatchOptions(jobs=jobs, quiet=True, cancel=cancel,
                                                       echo=lambda message, err=False: said.append(message)))
    watcher.join(5)
    assert status == STOPPED
    assert any(m.startswith("stopped: ") and "--resume" in m for m in said), said
    assert not (out / "manifest.csv").exists()
    recorded = list(read_manifest(out / ".manifest.csv.partial"))
    assert 1 <= len(recorded) < ROWS  # rows whose files were written but not yet recorded are built again
    assert [e.row for e in recorded] == list(range(2, 2 + len(recorded)))
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".manifest.csv.partial"]
    # the workers have gone; multiprocessing's forkserver and resource tracker (started for a
    # batch run beside another thread, as here and in the web app) serve this process's next one
    helpers = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")
    workers = [p for p in psutil.Process().children(recursive=True)
               if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
               and not any(h in " ".join(p.cmdline()) for h in helpers)]
    assert [(p.pid, p.cmdline()) for p in workers] == []
    kept = {e.outputs[0].path: (out / e.outputs[0].path).stat().st_ino for e in recorded}

    status = run_batch(SAMPLE, data, out, BatchOptions(jobs=jobs, quiet=True, resume=True,
                                                       echo=lambda message, err=False: None))
    assert status == 0
    done = list(read_manifest(out / "manifest.csv"))
    assert len(done) == ROWS and all(e.status in ("ok", "skipped") for e in done)
    assert {name: (out / name).stat().st_ino for name in kept} == kept  # recorded files not rebuilt


def test_a_stop_that_comes_after_the_last_row_changes_nothing(tmp_path) -> None:
    data = write_csv(tmp_path / "rows.csv", many_rows(3))
    cancel = threading.Event()
    status = run_batch(SAMPLE, data, tmp_path / "out", BatchOptions(jobs=1, quiet=True, cancel=cancel,
                                                                    echo=lambda message, err=False: None))
    cancel.set()
    assert status == 0 and len(list(read_manifest(tmp_path / "out" / "manifest.csv"))) == 3
