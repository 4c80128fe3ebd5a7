"""The Dask backend, against a distributed.LocalCluster."""

from __future__ import annotations

import hashlib
from pathlib import Path

from distributed import Client, LocalCluster

from batchdata import INVALID_ROW, PARTIES, SAMPLE
from contractgen.batch.manifest import read_manifest
from contractgen.cli import main
from contractgen.batch.run import BatchOptions, run_batch


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if not p.name.startswith(("manifest", "."))}


def test_dask_workers_build_the_same_files_as_the_local_pool(tmp_path):
    local = tmp_path / "local"
    assert run_batch(SAMPLE, PARTIES, local, BatchOptions(formats=("docx", "md"), jobs=2, quiet=True)) == 1
    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        options = BatchOptions(formats=("docx", "md"), quiet=True, executor="dask", scheduler=cluster.scheduler_address)
        assert run_batch(SAMPLE, PARTIES, out, options) == 1
    assert digests(out) == digests(local) and len(digests(out)) == 38
    failed = [e for e in read_manifest(out / "manifest.csv") if e.status == "failed"]
    assert [e.row for e in failed] == [INVALID_ROW]


def test_dask_worker_threads_share_a_client(tmp_path):
    with LocalCluster(n_workers=1, threads_per_worker=3, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        options = BatchOptions(formats=("md",), quiet=True, executor="dask", client=client)
        assert run_batch(SAMPLE, PARTIES, tmp_path / "out", options) == 1
        assert not client.status == "closed"  # a caller's client is left open
    assert len(digests(tmp_path / "out")) == 19


def test_dask_without_a_scheduler_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(PARTIES), "--out", str(tmp_path / "out"),
                                  "--executor", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.output
