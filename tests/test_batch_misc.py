"""Batch details: a template error in one row, dry-run collisions, the progress bar."""

from __future__ import annotations

import io

from rich.console import Console

from batchdata import DATA, SAMPLE, sample_rows, write_csv
from conftest import copy_root
from contractgen.batch.manifest import read_manifest
from contractgen.batch.progress import BatchProgress
from contractgen.cli import main
from contractgen.batch.run import BatchOptions, run_batch

MINI_ROWS = [
    {"contract_no": "T-1", "party_a.name": "甲公司", "party_b.name": "乙公司", "fee": "12000", "staff": "3", "sign_date": "2024-03-01"},
    {"contract_no": "T-2", "party_a.name": "丁公司", "party_b.name": "乙公司", "fee": "8000", "staff": "60", "sign_date": "2024-03-02"},
    {"contract_no": "T-3", "party_a.name": "戊公司", "party_b.name": "乙公司", "fee": "9000", "staff": "4", "sign_date": "2024-03-03",
     "third_party.name": "丙公司"},
]


def test_a_template_error_in_one_row_fails_that_row_only(tmp_path):
    root = copy_root("mini-zh", tmp_path / "project")
    services = root / "clauses" / "mini" / "services.md"
    services.write_text(services.read_text(encoding="utf-8") + "\n{% if staff > 50 %}{{ supervisor.name }}{% endif %}\n",
                        encoding="utf-8")
    header = ["contract_no", "party_a.name", "party_b.name", "fee", "staff", "sign_date", "third_party.name"]
    data = write_csv(tmp_path / "rows.csv", MINI_ROWS, header)
    out = tmp_path / "out"
    code = run_batch(root / "templates" / "mini", data, out, BatchOptions(formats=("md", "docx"), jobs=2, quiet=True))
    assert code == 1
    entries = list(read_manifest(out / "manifest.csv"))
    assert [e.status for e in entries] == ["ok", "failed", "ok"]
    assert "supervisor" in entries[1].message and "internal error" not in entries[1].message
    assert sorted(p.name for p in out.glob("T-*")) == ["T-1-甲公司.docx", "T-1-甲公司.md", "T-3-戊公司.docx", "T-3-戊公司.md"]



def test_a_failed_row_names_the_template_file_and_line_not_its_own_row_again(tmp_path):
    """As build and --dry-run say it: the clause file and line of a template error; a bad
    cell's message names its field (the row is the manifest's own column)."""
    root = copy_root("mini-zh", tmp_path / "project")
    services = root / "clauses" / "mini" / "services.md"
    text = services.read_text(encoding="utf-8").rstrip("\n") + "\n\n{% if staff > 50 %}{{ supervisor.name }}{% endif %}\n"
    services.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    header = ["contract_no", "party_a.name", "party_b.name", "fee", "staff", "sign_date", "third_party.name"]
    bad_cell = dict(MINI_ROWS[0], contract_no="T-4", staff="十二")
    data = write_csv(tmp_path / "rows.csv", [*MINI_ROWS, bad_cell], header)
    out = tmp_path / "out"
    for jobs in (1, 2):
        code = run_batch(root / "templates" / "mini", data, out,
                         BatchOptions(formats=("docx",), jobs=jobs, quiet=True, force=True))
        assert code == 1
        entries = list(read_manifest(out / "manifest.csv"))
        assert [e.status for e in entries] == ["ok", "failed", "ok", "failed"]
        assert entries[1].message.startswith(f"{services}:{line}: "), entries[1].message
        assert "supervisor" in entries[1].message
        assert entries[3].message.startswith("field 'staff'"), entries[3].message
        assert "rows.csv" not in entries[3].message


def test_dry_run_lists_collisions_and_exits_2(runner, tmp_path):
    _, rows = sample_rows()
    rows = rows[:3] + [dict(rows[0])]
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(write_csv(tmp_path / "rows.csv", rows)),
                                  "--out", str(tmp_path / "out"), "--dry-run"])
    assert result.exit_code == 2
    assert any(line.strip().startswith("5 ") and "also the name of row 2" in line for line in result.output.splitlines())
    assert not (tmp_path / "out").exists()


def test_dry_run_of_good_rows_exits_0(runner, tmp_path):
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(DATA / "parties-gbk.csv"),
                                  "--out", str(tmp_path / "out"), "--dry-run"])
    assert result.exit_code == 0
    assert "4 rows, 4 valid, 0 with problems" in result.output


def test_progress_bar_only_on_a_terminal_and_not_when_quiet():
    def console(terminal: bool) -> Console:
        return Console(file=io.StringIO(), force_terminal=terminal, width=100)

    assert not BatchProgress(10, console=console(False)).active
    assert not BatchProgress(10, quiet=True, console=console(True)).active
    shown = console(True)
    with BatchProgress(3, console=shown) as progress:
        assert progress.active
        for _ in range(3):
            progress.advance()
    text = shown.file.getvalue()
    assert "3/3" in text and "docs/s" in text and "ETA" in text


def test_header_without_rows_is_bad_input(tmp_path) -> None:
    from click.testing import CliRunner

    from contractgen.cli import main
    from conftest import SAMPLE

    data = tmp_path / "rows.csv"
    data.write_text((SAMPLE / "parties.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(SAMPLE), "--data", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no rows below the header" in result.output
    assert not (tmp_path / "out").exists()
