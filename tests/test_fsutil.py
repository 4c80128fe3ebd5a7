"""Atomic writes: whole files only, the usual permissions, nothing left behind on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from contractgen.fsutil import temp_files, write_atomic


def test_new_file_gets_the_mode_a_plain_open_would_give(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_bytes(b"x")
    target = tmp_path / "out" / "合同.md"
    write_atomic(target, "内容".encode())
    assert target.read_text(encoding="utf-8") == "内容"
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    assert list(temp_files(target.parent)) == []


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def broken_replace(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(temp_files(tmp_path)) == []


def test_only_our_temporary_names_count_as_leftovers(tmp_path: Path) -> None:
    (tmp_path / ".contractgen-a.docx.x1.tmp").write_bytes(b"")
    (tmp_path / ".other-tool.tmp").write_bytes(b"")
    assert [p.name for p in temp_files(tmp_path)] == [".contractgen-a.docx.x1.tmp"]
