"""`check` stays linear on hostile input: a 1 MB paragraph full of amounts, a 1 MB line of
"<". Measured as CPU time against a 10 KB input of the same kind in the same run: 100 times
the text may cost at most 400 times the time (a quadratic step would cost ~10,000 times).
No absolute time is asserted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from contractgen.checking import check_file

SMALL, BIG = 10_000, 1_000_000
MAX_RATIO = 400

UNITS = {
    "zh-amounts.txt": ("第一条 费用\n", "服务费为人民币100,000元（大写：人民币壹拾万元整），"),
    "en-amounts.txt": ("Section 1.1 Fees.\n", "The fee is USD 1,000.00 (one thousand US dollars) and "),
    "angles.md": ("<div>", "<"),
    "angles-inline.md": ("Text ", "<"),
    "brackets.txt": ("第一条 服务\n", "["),
    "brackets-words.txt": ("Section 1.1 Fees.\n", "[Company "),
}


def _cpu(path: Path) -> float:
    started = time.process_time()
    check_file(path)
    return time.process_time() - started


@pytest.mark.parametrize("name", sorted(UNITS))
def test_checking_costs_grow_linearly(name: str, tmp_path: Path) -> None:
    head, unit = UNITS[name]
    big = tmp_path / f"big-{name}"
    big.write_text(head + unit * (BIG // len(unit)), encoding="utf-8")
    smalls = []
    for run in range(3):  # each text new to the checks' per-line memos, as the big one is
        smalls.append(tmp_path / f"small-{run}-{name}")
        smalls[-1].write_text(head + unit * (SMALL // len(unit)) + f" {run}", encoding="utf-8")
    baseline = min(_cpu(small) for small in smalls)
    assert _cpu(big) <= MAX_RATIO * max(baseline, 1e-3), f"{name}: more than linear"
