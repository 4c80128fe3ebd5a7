"""Dask: the template is loaded once per worker process, shared by its threads, not once
per task or per thread."""

from __future__ import annotations

from distributed import Client, LocalCluster

from batchdata import PARTIES, SAMPLE
from contractgen.batch import worker
from contractgen.batch.run import BatchOptions, run_batch


def loads_here() -> int:
    return worker.TEMPLATE_LOADS


def test_worker_threads_share_one_loaded_template(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "_DASK_JOB", None)  # an earlier test in this process may have loaded it
    with LocalCluster(n_workers=1, threads_per_worker=3, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        before = worker.TEMPLATE_LOADS  # the worker runs in this process: its counter is ours
        options = BatchOptions(formats=("md",), quiet=True, executor="dask", client=client)
        assert run_batch(SAMPLE, PARTIES, tmp_path / "out", options) == 1  # one row is invalid on purpose
        assert worker.TEMPLATE_LOADS - before == 1  # 20 one-row tasks on 3 threads
    assert len(list((tmp_path / "out").glob("*.md"))) == 19


def test_each_worker_process_loads_the_template_once(tmp_path):
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        options = BatchOptions(formats=("md",), quiet=True, executor="dask", client=client)
        assert run_batch(SAMPLE, PARTIES, tmp_path / "out", options) == 1
        per_worker = client.run(loads_here)
    assert len(per_worker) == 2 and sum(per_worker.values()) >= 1  # 20 one-row tasks went somewhere
    assert set(per_worker.values()) <= {0, 1}
