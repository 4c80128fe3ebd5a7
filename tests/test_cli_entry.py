"""The contractgen command's entry (contractgen/__main__.py): the console script and
``python -m contractgen`` run it; it imports the command line with the collector off and
freezes what it imported, leaving the collector on. Importing contractgen.cli as a library
freezes nothing."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# in the command process, when the command line starts (after the entry's imports)
PROBE = ("import click, gc, sys\n"
         "owner = next(c for c in click.Group.__mro__ if 'main' in vars(c))\n"
         "run = owner.main\n"
         "def probe(self, *args, **kwargs):\n"
         "    print(gc.get_freeze_count() > 0, gc.isenabled(), flush=True)\n"
         "    return run(self, *args, **kwargs)\n"
         "owner.main = probe\n")


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE + code, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_the_console_script_runs_the_entry() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"contractgen": "contractgen.__main__:main"}
    done = subprocess.run([sys.executable, "-m", "contractgen", "--version"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "contractgen, version" in done.stdout


def test_the_command_freezes_what_it_imported_and_keeps_collecting(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "huzhou-cs-outsourcing"
    done = _run("from contractgen.__main__ import main\nsys.exit(main())",
                "build", str(sample), "--data", str(sample / "sample-data.yaml"), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "True True"
    assert list(tmp_path.glob("*.md"))


def test_a_library_caller_s_collector_is_left_alone() -> None:
    done = _run("from contractgen.cli import main\nsys.exit(main())", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "False True"


def test_a_command_s_imports_are_frozen_only_in_the_command_process(monkeypatch) -> None:
    import gc

    from contractgen import cli

    before = gc.get_freeze_count()
    with cli._loading():
        made = [object() for _ in range(3)]
    assert gc.get_freeze_count() == before and gc.isenabled()
    monkeypatch.setattr(cli, "FREEZE_IMPORTS", True)
    try:
        with cli._loading():
            made = [[] for _ in range(100)]
        assert gc.get_freeze_count() >= before + 100 and gc.isenabled()
    finally:
        gc.unfreeze()
    assert made
