"""The lifeline between a batch and its workers (batch/shutdown.py): closed by a parent that
asks them to go (a byte for each), or by the kernel when the parent dies (end of file
alone) — then, and only then, the workers remove what the dead parent left behind."""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
import time

import pytest

from contractgen.batch.shutdown import WORKER_EXIT_STATUS, Lifeline, watch_lifeline

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork start method")


def _worker(end) -> None:
    watch_lifeline(end)
    time.sleep(30)  # the lifeline's thread ends the process
    raise SystemExit(0)


def _start(tmp_path, workers: int):
    context = multiprocessing.get_context("fork")
    left = tmp_path / "parent-temp"
    left.mkdir()
    lifeline = Lifeline(context, None, workers)
    end = dataclasses.replace(lifeline.worker_end, parent_temp_dir=str(left))
    procs = [context.Process(target=_worker, args=(end,)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    return lifeline, procs, left


def _joined(procs) -> list[int | None]:
    for proc in procs:
        proc.join(10)
    return [proc.exitcode for proc in procs]


def test_workers_asked_to_go_leave_the_parent_s_folder_alone(tmp_path) -> None:
    lifeline, procs, left = _start(tmp_path, 3)
    lifeline.cut()
    assert _joined(procs) == [WORKER_EXIT_STATUS] * 3
    assert left.is_dir()  # the parent is alive: its folder is its own to remove
    lifeline.cut()  # a second cut does nothing


def test_workers_whose_parent_died_remove_its_folder(tmp_path) -> None:
    lifeline, procs, left = _start(tmp_path, 3)
    lifeline._writer.close()  # what the kernel does for a parent killed outright: no byte
    assert _joined(procs) == [WORKER_EXIT_STATUS] * 3
    assert not left.exists()


def test_a_cut_with_no_worker_left_is_quiet(tmp_path) -> None:
    lifeline, procs, left = _start(tmp_path, 1)
    lifeline.cut()
    assert _joined(procs) == [WORKER_EXIT_STATUS]
    lifeline2 = Lifeline(multiprocessing.get_context("fork"), None, 2)
    lifeline2.worker_end.reader.close()  # nobody reads: the bytes cannot be written
    lifeline2.cut()
