"""``batch --dry-run`` builds every row in memory: the rows it calls valid are the rows the
run builds, whether it builds them inline or in a process pool."""

from __future__ import annotations

from pathlib import Path

from batchdata import SAMPLE, many_rows, write_csv
from contractgen.batch.dryrun import MIN_ROWS_FOR_POOL
from contractgen.batch.manifest import read_manifest
from contractgen.batch.run import BatchOptions, run_batch

ROWS = MIN_ROWS_FOR_POOL + 6  # enough for the pool
BAD = {5: ("fee", "38000.005"), 40: ("staff", "十二"), ROWS - 1: ("fee", "0.001")}  # index -> (column, value)


def _rows(tmp_path: Path) -> Path:
    rows = many_rows(ROWS)
    for index, (column, value) in BAD.items():
        rows[index][column] = value
    return write_csv(tmp_path / "rows.csv", rows)


def _dry_run(data: Path, out: Path, jobs: int) -> tuple[int, list[str], list[str]]:
    lines, notes = [], []
    opts = BatchOptions(formats=("md", "docx"), jobs=jobs, dry_run=True, quiet=True,
                        echo=lambda message, err=False: (notes if err else lines).append(message))
    return run_batch(SAMPLE, data, out, opts), lines, notes


def test_pool_and_inline_dry_runs_agree_row_for_row(tmp_path: Path) -> None:
    data = _rows(tmp_path)
    inline = _dry_run(data, tmp_path / "out", jobs=1)
    pooled = _dry_run(data, tmp_path / "out", jobs=2)
    assert inline == pooled
    code, lines, notes = inline
    assert code == 1
    rows = [int(line.split()[0]) for line in lines[1:]]
    assert rows == sorted(rows) and set(rows) == {index + 2 for index in BAD}  # spreadsheet rows: header is 1
    assert notes == [f"dry run: {ROWS} rows, {ROWS - len(BAD)} valid, {len(BAD)} with problems; nothing written"]
    assert not (tmp_path / "out").exists()


def test_the_rows_the_dry_run_calls_valid_are_the_rows_the_run_builds(tmp_path: Path) -> None:
    data = _rows(tmp_path)
    _, lines, _ = _dry_run(data, tmp_path / "out", jobs=1)
    flagged = {int(line.split()[0]) for line in lines[1:]}
    code = run_batch(SAMPLE, data, tmp_path / "out", BatchOptions(formats=("md", "docx"), jobs=1, quiet=True,
                                                                  echo=lambda *a, **k: None))
    assert code == 1
    failed = {e.row for e in read_manifest(tmp_path / "out" / "manifest.csv") if e.status == "failed"}
    assert failed == flagged == {index + 2 for index in BAD}


def test_a_fraction_of_a_cent_names_the_clause_file_and_line(tmp_path: Path) -> None:
    _, lines, _ = _dry_run(_rows(tmp_path), tmp_path / "out", jobs=1)
    row = [line for line in lines if line.split()[0] == "7"]  # index 5
    assert row and all("clauses/huzhou/" in line and "38000.005" in line for line in row)


def test_a_bug_met_while_rendering_a_row_is_an_internal_error(tmp_path: Path, monkeypatch) -> None:
    from contractgen.writers import get_writer

    def broken(self, doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(type(get_writer("md")), "render", broken)
    monkeypatch.setenv("CONTRACTGEN_DEBUG", "0")
    code, lines, notes = _dry_run(write_csv(tmp_path / "rows.csv", many_rows(2)), tmp_path / "out", jobs=1)
    assert code == 3  # a bug in contractgen, as in a real run
    assert [line.split("  ")[-1] for line in lines[1:]] == ["internal error: RuntimeError: boom"] * 2
    assert notes[0] == ("row 2: internal error: RuntimeError: boom — this is a bug in contractgen; please report "
                        "it with the output of the same command run with --debug")
    assert len(notes) == 2  # one note for the first bug, then the summary
