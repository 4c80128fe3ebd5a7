"""Messages a lawyer can act on: every case is a folder under tests/data/messages/.

A case holds files copied over the mini-zh root, ``args`` (the command line, one argument a
line; run in the copied root, so paths in messages are relative to it), ``expected.txt``
(the whole output, exactly) and ``exit-code``. Nothing may be written to ``out/``.
Adding a case means adding a folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contractgen.cli import main

from conftest import ROOTS, TESTS, UPDATE_GOLDEN

CASES_DIR = TESTS / "data" / "messages"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
META = ("args", "expected.txt", "exit-code")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_message(case: Path, tmp_path: Path, runner, monkeypatch) -> None:
    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "mini-zh", root)
    shutil.copytree(case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*META))
    for removed in (case / "removed").read_text().split() if (case / "removed").exists() else []:
        (root / removed).unlink()
    monkeypatch.chdir(root)
    monkeypatch.setenv("CONTRACTGEN_DEBUG", "0")  # --debug sets it for the process: undone after the case
    args = (case / "args").read_text(encoding="utf-8").splitlines()
    result = runner.invoke(main, args)
    expected = case / "expected.txt"
    if UPDATE_GOLDEN:
        expected.write_text(result.output, encoding="utf-8")
        (case / "exit-code").write_text(f"{result.exit_code}\n")
    assert result.output == expected.read_text(encoding="utf-8")
    assert result.exit_code == int((case / "exit-code").read_text())
    assert result.exit_code in (1, 2)  # every case is a mistake
    assert not (root / "out").exists() or not any((root / "out").iterdir())
