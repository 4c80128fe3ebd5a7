"""A batch imports what it uses: libraries a Chinese batch never calls are not imported at
start-up (each costs tens of milliseconds, and a 200-row batch lasts about a second).

The check runs a real ``contractgen batch`` in a fresh interpreter and reads which modules
it ended with; wall-clock time is never asserted (benchmarks/batch.py measures it)."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from batchdata import PARTIES, SAMPLE

PROBE = """
import json, sys
from contractgen.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    status = exit.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def batch_modules(tmp_path, *args: str, template=SAMPLE) -> tuple[int, set[str]]:
    command = [sys.executable, "-c", PROBE, "batch", str(template), "--data", str(PARTIES),
               "--out", str(tmp_path / "out"), "--format", "docx", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["status"], set(report["modules"])


def test_a_quiet_chinese_batch_imports_no_progress_bar_and_no_english_number_words(tmp_path):
    status, modules = batch_modules(tmp_path, "--jobs", "1", "--quiet")
    assert status == 1  # parties.csv has one invalid row on purpose: the batch ran
    for unused in ("rich", "num2words", "babel"):
        assert unused not in modules, f"a quiet zh batch imported {unused}"


def test_a_batch_on_no_terminal_imports_no_progress_bar(tmp_path):
    status, modules = batch_modules(tmp_path, "--jobs", "1")  # stderr is a pipe here
    assert status == 1
    assert "rich" not in modules


def test_a_batch_without_word_parts_reads_no_word_file(tmp_path):
    """lxml, the Word-part loader and merger, python's XML and URL libraries are for
    templates with Word parts, reference documents and DOCX input only."""
    spec = yaml.safe_load((SAMPLE / "contract.yaml").read_text(encoding="utf-8"))
    spec["parts"] = [p for p in spec["parts"] if p.get("kind") != "word"]
    spec.pop("skeleton", None)
    spec["library"] = str((SAMPLE.parent.parent / "clauses").resolve())
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "contract.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    status, modules = batch_modules(tmp_path, "--jobs", "1", "--quiet", template=folder)
    assert status == 1
    for unused in ("lxml", "contractgen.wordparts.assembly", "contractgen.wordparts.merge",
                   "contractgen.wordparts.template", "xml.sax", "urllib.request"):
        assert unused not in modules, f"a batch without Word parts imported {unused}"
    assert "contractgen.writers.docx" in modules  # it did write DOCX files
