"""dispatch(): results in row order, a bounded number of chunks in flight."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from contractgen.batch.executors import RowExecutor, chunk_size_for, dispatch
from contractgen.batch.manifest import Entry
from contractgen.batch.worker import RowResult, RowTask


class ReversingExecutor(RowExecutor):
    """Finishes later chunks first, and records how many chunks were ever in flight."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(4)
        self._lock = threading.Lock()
        self.in_flight = self.peak = 0

    @property
    def parallelism(self) -> int:
        return 2

    def submit(self, tasks):
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        delay = 0.02 / (tasks[0].row % 5 + 1)
        return self._pool.submit(self._build, tasks, delay)

    def _build(self, tasks, delay):
        threading.Event().wait(delay)
        with self._lock:
            self.in_flight -= 1
        return [RowResult(t.row, t.key, "ok") for t in tasks]

    def close(self):
        self._pool.shutdown()


def test_results_come_back_in_row_order_with_entries_in_place():
    items = [Entry(n, "", "skipped") if n % 7 == 0 else RowTask(n, f"k{n}", {}, "") for n in range(2, 200)]
    with ReversingExecutor() as executor:
        out = list(dispatch(executor, items, chunk_size=3, window=4))
        assert executor.peak <= 4
    assert [o.row for o in out] == list(range(2, 200))
    assert all(isinstance(o, Entry) == (o.row % 7 == 0) for o in out)


def test_chunk_size_balances_small_batches():
    assert chunk_size_for(20, 2) == 1
    assert chunk_size_for(10_000, 2) == 16
