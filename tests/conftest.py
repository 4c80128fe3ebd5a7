"""Shared fixtures: project paths, a CLI runner, copying fixture roots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
ROOTS = TESTS / "roots"
SAMPLE = ROOT / "templates" / "huzhou-cs-outsourcing"
UPDATE_GOLDEN = os.environ.get("CONTRACTGEN_UPDATE_GOLDEN") == "1"
REQUIRE_E2E = os.environ.get("CONTRACTGEN_REQUIRE_E2E") == "1"


def require_tool(*names: str) -> None:
    """Skip when a system tool is missing — but fail in CI (CONTRACTGEN_REQUIRE_E2E=1)."""
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        message = f"missing system tool(s): {', '.join(missing)}"
        if REQUIRE_E2E:
            pytest.fail(message + " (CONTRACTGEN_REQUIRE_E2E=1: CI must run this test)")
        pytest.skip(message)


def compare_golden(actual: str, golden: Path) -> None:
    """Compare with a reviewed golden file; `make golden` rewrites it for review."""
    if UPDATE_GOLDEN or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"{golden} did not exist; wrote it — review it and commit")
    assert actual == golden.read_text(encoding="utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def copy_root(name: str, dest: Path, overlay: Path | None = None) -> Path:
    """Copy a fixture root into dest, then an overlay folder's files on top of it."""
    shutil.copytree(ROOTS / name, dest, dirs_exist_ok=True)
    if overlay is not None:
        shutil.copytree(overlay, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "exit-code"))
    return dest
