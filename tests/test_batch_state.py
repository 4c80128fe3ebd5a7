"""Batch state you can trust: one run per output folder, a damaged manifest rebuilt from
the files, a full disk reported, no symlink followed, spreadsheet-safe manifest cells,
and output that survives any console encoding."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from batchdata import SAMPLE, many_rows, write_csv
from contractgen.batch.manifest import read_manifest
from contractgen.cli import main
from contractgen.fsutil import folder_lock


def _batch(runner, data: Path, out: Path, *extra: str):
    return runner.invoke(main, ["batch", str(SAMPLE), "--data", str(data), "--out", str(out), "--quiet",
                                "--jobs", "1", "--format", "md", *extra])


@pytest.fixture
def rows(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "rows.csv", many_rows(4))


def test_a_second_run_into_the_same_folder_is_refused(runner, rows: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with folder_lock(out):  # as if another batch were writing there now
        result = _batch(runner, rows, out)
    assert result.exit_code == 2
    assert "is in use by another contractgen run" in result.output
    assert not list(out.glob("*.md")) and not (out / "manifest.csv").exists()
    assert _batch(runner, rows, out).exit_code == 0  # the lock went with its holder
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_the_lock_is_held_across_processes(rows: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with folder_lock(out):
        proc = subprocess.run([sys.executable, "-c", "from contractgen.cli import main; main()", "batch", str(SAMPLE),
                               "--data", str(rows), "--out", str(out), "--quiet", "--format", "md"],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "in use by another contractgen run" in proc.stderr


def test_a_damaged_manifest_is_rebuilt_on_resume(runner, rows: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _batch(runner, rows, out).exit_code == 0
    manifest = out / "manifest.csv"
    lines = manifest.read_bytes().split(b"\n")
    lines[2] = lines[2][:10] + b"\xff\xfe garbage \xc3" + lines[2][10:]  # row 3: not UTF-8 any more
    manifest.write_bytes(b"\n".join(lines))
    kept = {p.name: p.stat().st_mtime_ns for p in out.glob("*.md")}
    result = _batch(runner, rows, out, "--resume")
    assert result.exit_code == 0, result.output
    assert "1 damaged line(s) of the earlier manifest were skipped" in result.output
    assert "Traceback" not in result.output
    assert "1 built, 0 failed, 3 already built" in result.output
    entries = list(read_manifest(manifest))
    assert [e.row for e in entries] == [2, 3, 4, 5] and all(e.status in ("ok", "skipped") for e in entries)
    rebuilt = [name for name, mtime in kept.items() if (out / name).stat().st_mtime_ns != mtime]
    assert len(rebuilt) == 1


def test_a_planted_symlink_is_not_written_through(runner, rows: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    out.mkdir()
    outside.write_text("keep me", encoding="utf-8")
    (out / ".manifest.csv.partial").symlink_to(outside)
    result = _batch(runner, rows, out, "--force")
    assert result.exit_code == 0, result.output
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (out / "manifest.csv").is_symlink()


def test_manifest_cells_are_never_spreadsheet_formulas(runner, tmp_path: Path) -> None:
    data = many_rows(2)
    data[0]["contract_no"] = "=1+2"
    data[1]["contract_no"] = "@SUM(A1)"
    rows = write_csv(tmp_path / "rows.csv", data)
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(rows), "--out", str(out), "--quiet",
                                  "--jobs", "1", "--format", "md", "--name", "{contract_no}-{party_a.name}"])
    assert result.exit_code == 0, result.output
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as fh:
        keys = [r["key"] for r in csv.DictReader(fh)]
    assert keys and all(not k.startswith(("=", "+", "-", "@")) for k in keys)
    assert keys[0].startswith("'=1+2-") and keys[1].startswith("'@SUM(A1)-")
    # … and read back as the names they stand for, so --resume keeps the files
    assert [e.key for e in read_manifest(out / "manifest.csv")] == [k[1:] for k in keys]
    assert "2 already built" in _batch(runner, rows, out, "--resume", "--name", "{contract_no}-{party_a.name}").output


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")  # CI runs as root
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_a_clear_error(runner, small_disk: Path, tmp_path: Path) -> None:
    rows = write_csv(tmp_path / "rows.csv", many_rows(40))
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(rows), "--out", str(small_disk / "out"),
                                  "--quiet", "--jobs", "1", "--format", "docx"])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "No space left on device" in result.output


def test_build_on_a_full_disk_writes_no_format(runner, small_disk: Path) -> None:
    (small_disk / "filler").write_bytes(b"\0" * 120_000)
    out = small_disk / "out"
    result = runner.invoke(main, ["build", str(SAMPLE), "--data", str(SAMPLE / "sample-data.yaml"), "--out", str(out),
                                  "--format", "md,docx"])
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "nothing was written" in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_output_survives_a_console_that_cannot_print_chinese(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    proc = subprocess.run([sys.executable, "-c", "from contractgen.cli import main; main()", "build", str(SAMPLE),
                           "--data", str(SAMPLE / "sample-data.yaml"), "--out", str(tmp_path / "out"),
                           "--format", "md,docx"], capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("latin-1")
    assert len(list((tmp_path / "out").iterdir())) == 2
    assert b"\\u6e56" in proc.stdout or b"\\xe6" in proc.stdout  # the name, escaped, not a crash


def _xlsx(path: Path, rows: list[dict], numeric: dict[int, dict[str, object]]) -> Path:
    """Rows as XLSX; ``numeric`` puts raw (non-text) values into some cells, as Excel would."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    header = list(rows[0])
    sheet.append(header)
    for i, row in enumerate(rows):
        sheet.append([numeric.get(i, {}).get(name, row[name]) for name in header])
    book.save(path)
    return path


def test_a_long_number_in_a_number_cell_is_refused_never_rounded(runner, tmp_path: Path) -> None:
    rows = many_rows(3)
    # Excel has already stored the 19-digit account as 1.10202030900012E+18: its digits are gone
    data = _xlsx(tmp_path / "rows.xlsx", rows, {1: {"contract_no": 1102020309000123456}, 2: {"contract_no": 123456789012345}})
    out = tmp_path / "out"
    dry = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(data), "--out", str(out), "--dry-run"])
    assert dry.exit_code == 1
    assert "column 'contract_no': the number 1.10202030900012e+18 has more than 15 digits" in dry.output
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(data), "--out", str(out), "--quiet",
                                  "--jobs", "1", "--format", "md"])
    assert result.exit_code == 1 and "2 built, 1 failed" in result.output
    entries = {e.row: e for e in read_manifest(out / "manifest.csv")}
    assert entries[3].status == "failed" and "format the column as Text" in entries[3].message
    assert entries[4].key.startswith("123456789012345-")  # fifteen digits are exact: kept as typed
    assert not any("1102020309000123" in p.name for p in out.iterdir())


def _with_sheet(good: Path, dest: Path, edit) -> Path:
    """A copy of a workbook whose first sheet's XML is ``edit(xml)``."""
    import zipfile

    with zipfile.ZipFile(good) as src, zipfile.ZipFile(dest, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, edit(body) if name == "xl/worksheets/sheet1.xml" else body)
    return dest


def test_a_sheet_that_claims_a_million_rows_reads_what_is_there(runner, tmp_path: Path) -> None:
    import re

    good = _xlsx(tmp_path / "good.xlsx", many_rows(1), {})
    hostile = _with_sheet(good, tmp_path / "hostile.xlsx",
                          lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml))
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(hostile), "--out", str(tmp_path / "out"),
                                  "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: 1 rows, 1 valid" in result.output


def test_a_truncated_sheet_is_a_clear_error(runner, tmp_path: Path) -> None:
    good = _xlsx(tmp_path / "good.xlsx", many_rows(30), {})
    broken = _with_sheet(good, tmp_path / "broken.xlsx", lambda xml: xml[: len(xml) * 2 // 3])
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(broken), "--out", str(tmp_path / "out"),
                                  "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "the sheet is damaged after row" in result.output and "Traceback" not in result.output


def test_the_dry_run_table_lines_up_chinese_keys(runner, tmp_path: Path) -> None:
    from rich.cells import cell_len

    rows = many_rows(3)
    rows[0]["staff"] = "十二"
    rows[2]["staff"] = "三"
    rows[2]["party_a.name"] = "A"  # a short Latin key next to a long Chinese one
    data = write_csv(tmp_path / "rows.csv", rows)
    result = runner.invoke(main, ["batch", str(SAMPLE), "--data", str(data), "--out", str(tmp_path / "out"),
                                  "--dry-run", "--name", "{party_a.name}"])
    lines = [ln for ln in result.stdout.splitlines() if "field 'staff'" in ln]
    assert len(lines) == 2
    assert len({cell_len(ln[:ln.index("field 'staff'")]) for ln in lines}) == 1  # the problems start in one column
