"""The manifest: round trips, damaged lines, and the resume index."""

from __future__ import annotations

import pytest

from contractgen.batch.manifest import (Entry, ManifestWriter, OutputFile, ResumeIndex, file_sha256,
                                        manifest_path, partial_path, read_manifest)

ENTRIES = [
    Entry(2, "HZ-1-甲", "ok", [OutputFile("HZ-1-甲.docx", "a" * 64, 120), OutputFile("HZ-1-甲.md", "b" * 64, 80)], "d1"),
    Entry(3, "HZ-2-乙", "failed", [], "d2", "field 'staff': expected a number, got '十二'"),
    Entry(5, "HZ-3-丙", "skipped", [OutputFile("HZ-3-丙.docx", "c" * 64, 7)], "d3"),
]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_manifest_round_trip(tmp_path, fmt):
    writer = ManifestWriter(tmp_path, fmt)
    for entry in ENTRIES:
        writer.write(entry)
    assert partial_path(tmp_path, fmt).exists() and not manifest_path(tmp_path, fmt).exists()
    path = writer.finish()
    assert path == manifest_path(tmp_path, fmt) and not partial_path(tmp_path, fmt).exists()
    assert list(read_manifest(path)) == ENTRIES


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_line_cut_by_a_crash_is_ignored(tmp_path, fmt):
    writer = ManifestWriter(tmp_path, fmt)
    for entry in ENTRIES:
        writer.write(entry)
    writer.close()
    partial = partial_path(tmp_path, fmt)
    partial.write_bytes(partial.read_bytes()[:-40])
    assert list(read_manifest(partial)) == ENTRIES[:2]


def test_resume_index_prefers_the_interrupted_run_and_checks_files(tmp_path):
    (tmp_path / "a.md").write_text("A", encoding="utf-8")
    good = OutputFile("a.md", file_sha256(tmp_path / "a.md"), 1)
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    for path, entries in ((old, [Entry(2, "a", "ok", [good], "x"), Entry(4, "a", "ok", [good], "d")]),
                          (new, [Entry(2, "a", "ok", [good], "d"), Entry(3, "a", "failed", [], "d")])):
        writer = ManifestWriter(tmp_path, "csv")
        for entry in entries:
            writer.write(entry)
        writer.finish().rename(path)
    index = ResumeIndex([new, old])
    assert index.intact(tmp_path, 2, "d") is not None  # from new; old has another digest
    assert index.intact(tmp_path, 3, "d") is None  # failed rows are redone
    (tmp_path / "a.md").write_text("B", encoding="utf-8")  # same size, other bytes
    assert index.intact(tmp_path, 4, "d") is None
    assert index.intact(tmp_path, 9, "d") is None
