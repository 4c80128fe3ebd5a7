"""`contractgen batch` end to end: every row accounted for, bad input refused up front."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path


from batchdata import DATA, INVALID_ROW, PARTIES, SAMPLE, many_rows, sample_rows, write_csv, write_xlsx
from contractgen.batch.manifest import read_manifest
from contractgen.cli import main
from contractgen.batch.run import BatchOptions, run_batch


def batch(runner, data: Path, out: Path, *args: str):
    return runner.invoke(main, ["batch", str(SAMPLE), "--data", str(data), "--out", str(out), *args])


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if not p.name.startswith(("manifest", "."))}


def test_sample_batch_builds_every_valid_row_and_reports_the_invalid_one(runner, tmp_path):
    out = tmp_path / "out"
    result = batch(runner, PARTIES, out, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert "19 built, 1 failed" in result.output
    entries = list(read_manifest(out / "manifest.csv"))
    assert [e.row for e in entries] == list(range(2, 22))
    [bad] = [e for e in entries if e.status == "failed"]
    assert bad.row == INVALID_ROW and "staff" in bad.message and "十二" in bad.message
    assert not list(out.glob(f"{bad.key}*")) and not list(out.glob(".*"))
    files = digests(out)
    assert len(files) == 19 and all(name.endswith(".docx") for name in files)
    for entry in entries:
        for output in entry.outputs:
            assert files[output.path] == output.sha256
            assert (out / output.path).stat().st_size == output.size


def test_bom_gbk_and_xlsx_inputs_build_the_same_files(runner, tmp_path):
    _, rows = sample_rows()
    inputs = [DATA / "parties-utf8.csv", DATA / "parties-bom.csv", DATA / "parties-gbk.csv",
              write_xlsx(tmp_path / "parties.xlsx", rows[:4])]
    results = []
    for i, data in enumerate(inputs):
        out = tmp_path / f"out{i}"
        result = batch(runner, data, out, "--jobs", "1", "--format", "docx,md")
        assert result.exit_code == 0, result.output
        results.append(digests(out))
    assert len(results[0]) == 8
    assert all(r == results[0] for r in results[1:])


def test_a_missing_column_stops_the_batch_before_any_work(runner, tmp_path):
    header, rows = sample_rows()
    data = write_csv(tmp_path / "rows.csv", rows, [h for h in header if h != "party_b.rep"])
    result = batch(runner, data, tmp_path / "out")
    assert result.exit_code == 2
    assert "missing column 'party_b.rep'" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_column_gets_a_suggestion(runner, tmp_path):
    header, rows = sample_rows()
    renamed = [dict(r, **{"party_a.nmae": r["party_a.name"]}) for r in rows]
    data = write_csv(tmp_path / "rows.csv", renamed, [h if h != "party_a.name" else "party_a.nmae" for h in header])
    result = batch(runner, data, tmp_path / "out")
    assert result.exit_code == 2
    assert "unknown column 'party_a.nmae' (did you mean 'party_a.name'?)" in result.output


def test_two_rows_with_one_name_are_refused_before_any_work(runner, tmp_path):
    _, rows = sample_rows()
    rows[3] = dict(rows[3], contract_no=rows[0]["contract_no"], **{"party_a.name": rows[0]["party_a.name"]})
    data = write_csv(tmp_path / "rows.csv", rows)
    result = batch(runner, data, tmp_path / "out")
    assert result.exit_code == 2
    assert "rows.csv:5" in result.output and "also the name of row 2" in result.output
    assert not (tmp_path / "out").exists()


def test_a_path_in_the_name_field_cannot_leave_the_output_folder(runner, tmp_path):
    _, rows = sample_rows()
    rows = [dict(rows[0], **{"party_a.name": "../../escaped/../../evil"})]
    out = tmp_path / "deep" / "out"
    result = batch(runner, write_csv(tmp_path / "rows.csv", rows), out, "--format", "md")
    assert result.exit_code == 0, result.output
    assert list(digests(out)) == [f"{rows[0]['contract_no']}-._._escaped_._._evil.md"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        ["rows.csv", "manifest.csv", f"{rows[0]['contract_no']}-._._escaped_._._evil.md"])


def test_name_pattern_option_and_jsonl_manifest(runner, tmp_path):
    out = tmp_path / "out"
    result = batch(runner, DATA / "parties-utf8.csv", out, "--name", "{party_b.rep}/{contract_no}",
                   "--format", "md", "--manifest", "jsonl", "-j", "1")
    assert result.exit_code == 0, result.output
    entries = list(read_manifest(out / "manifest.jsonl"))
    assert entries[0].key == "周晓岚_HZCS-2024-001"
    assert [o.path for o in entries[0].outputs] == ["周晓岚_HZCS-2024-001.md"]


def test_dry_run_prints_a_row_table_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "out"
    result = batch(runner, PARTIES, out, "--dry-run")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip().startswith(str(INVALID_ROW))]
    assert len(lines) == 1 and "HZCS-2024-007" in lines[0] and "十二" in lines[0]
    assert "20 rows, 19 valid, 1 with problems; nothing written" in result.output
    assert not out.exists()


def test_existing_outputs_need_resume_or_force(runner, tmp_path):
    out = tmp_path / "out"
    assert batch(runner, DATA / "parties-utf8.csv", out, "--format", "md").exit_code == 0
    again = batch(runner, DATA / "parties-utf8.csv", out, "--format", "md")
    assert again.exit_code == 2 and "already exist" in again.output
    (out / "manifest.csv").unlink()
    assert batch(runner, DATA / "parties-utf8.csv", out, "--format", "md").exit_code == 2
    forced = batch(runner, DATA / "parties-utf8.csv", out, "--format", "md", "--force")
    assert forced.exit_code == 0 and "4 built" in forced.output


def test_resume_redoes_tampered_files_and_changed_rows_only(tmp_path):
    rows = many_rows(12)
    data = write_csv(tmp_path / "rows.csv", rows)
    opts = BatchOptions(formats=("docx",), jobs=1, quiet=True)
    out = tmp_path / "out"
    assert run_batch(SAMPLE, data, out, opts) == 0
    first = digests(out)
    tampered = sorted(first)[3]
    (out / tampered).write_bytes(b"not a docx")
    rows[7] = dict(rows[7], fee="99999")
    write_csv(data, rows)
    opts.resume = True
    assert run_batch(SAMPLE, data, out, opts) == 0
    statuses = [e.status for e in read_manifest(out / "manifest.csv")]
    assert statuses.count("ok") == 2 and statuses.count("skipped") == 10
    after = digests(out)
    assert after[tampered] == first[tampered]
    changed = [name for name in first if after[name] != first[name]]
    assert changed == [f"T-00008-{rows[7]['party_a.name']}.docx"]


def test_a_row_that_becomes_invalid_loses_its_old_file_on_resume(tmp_path):
    rows = many_rows(3)
    data = write_csv(tmp_path / "rows.csv", rows)
    out = tmp_path / "out"
    assert run_batch(SAMPLE, data, out, BatchOptions(formats=("md",), jobs=1, quiet=True)) == 0
    rows[1] = dict(rows[1], staff="lots")
    write_csv(data, rows)
    assert run_batch(SAMPLE, data, out, BatchOptions(formats=("md",), jobs=1, quiet=True, resume=True)) == 1
    assert len(digests(out)) == 2
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as fh:
        failed = [r for r in csv.DictReader(fh) if r["status"] == "failed"]
    assert failed[0]["row"] == "3" and "lots" in failed[0]["message"]
