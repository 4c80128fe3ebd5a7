"""A reader that leaves early (`contractgen clauses | head -1`, `| true`) stops the command as
SIGPIPE stops other tools: status 141, no traceback, no "internal error" line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

COMMANDS = {
    "clauses": ["clauses"],
    "check": ["check", str(ROOT / "tests" / "data" / "preview" / "huzhou-contract-zh.txt")],
    "rules": ["check", "--list-rules"],
}


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_closed_pipe_ends_the_command_quietly(args):
    proc = subprocess.Popen([sys.executable, "-c", "from contractgen.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()  # before the command writes: its first write meets a closed pipe
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == 141, err
    assert "Traceback" not in err and "internal error" not in err and "BrokenPipe" not in err
