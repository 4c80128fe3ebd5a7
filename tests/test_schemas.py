"""Every file an author writes is checked against a declared schema (schemas.py): unknown
keys with "did you mean", wrong types, each at its line; data fields may be required_when a
condition holds and carry a label and aliases a CSV/XLSX heading may use.

Each case is a folder under tests/data/schemas/: files copied over the mini-zh root,
``args`` (one argument a line, run in the copied root), ``expected.txt`` (the whole output,
exactly) and ``exit-code``. A ``rows.xlsx.json`` ({"rows": [...], "formats": {"G2": "0.00"}})
becomes ``rows.xlsx``, made with openpyxl. No contract may be written to ``out/`` (a batch
that ran keeps only its manifest there). Adding a case means adding a folder.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from contractgen.cli import main
from contractgen.diagnostics import InputErrors
from contractgen.library import load_library
from contractgen.schemas import FIELD, FRONT_MATTER, PART, TEMPLATE, check_keys
from contractgen.spec import load_spec

from conftest import ROOT, ROOTS, TESTS, UPDATE_GOLDEN

CASES_DIR = TESTS / "data" / "schemas"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
META = ("args", "expected.txt", "exit-code", "rows.xlsx.json")
CONTRACT_SUFFIXES = (".md", ".docx", ".html", ".pdf")


def make_xlsx(spec_path: Path, target: Path) -> None:
    import openpyxl

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    book = openpyxl.Workbook()
    sheet = book.active
    for row in spec["rows"]:
        sheet.append(row)
    for cell, number_format in spec.get("formats", {}).items():
        sheet[cell].number_format = number_format
    book.save(target)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_schema_case(case: Path, tmp_path: Path, runner, monkeypatch) -> None:
    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "mini-zh", root)
    shutil.copytree(case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*META))
    if (case / "rows.xlsx.json").exists():
        make_xlsx(case / "rows.xlsx.json", root / "rows.xlsx")
    monkeypatch.chdir(root)
    monkeypatch.setenv("CONTRACTGEN_DEBUG", "0")
    result = runner.invoke(main, (case / "args").read_text(encoding="utf-8").splitlines())
    expected = case / "expected.txt"
    if UPDATE_GOLDEN:
        expected.write_text(result.output, encoding="utf-8")
        (case / "exit-code").write_text(f"{result.exit_code}\n")
    assert result.output == expected.read_text(encoding="utf-8")
    assert result.exit_code == int((case / "exit-code").read_text())
    assert result.exit_code in (1, 2)  # every case is a mistake
    written = [p.name for p in (root / "out").rglob("*")] if (root / "out").exists() else []
    assert not [name for name in written if name.endswith(CONTRACT_SUFFIXES)], written


# ---------------------------------------------------------------- the schemas themselves

def test_unknown_keys_get_a_suggestion_and_wrong_types_a_message() -> None:
    problems = check_keys({"titel": "x", "fonts": ["SimSun"], "toc_levels": 2, "name": None}, TEMPLATE)
    assert [(p.key, p.message, p.suggestion) for p in problems] == [
        ("titel", "unknown key 'titel' in contract.yaml", "did you mean 'title'?"),
        ("fonts", "'fonts' must be a mapping of roles to font names, e.g. {body: SimSun, heading: SimHei}, "
                  "not a list", ""),
    ]
    assert [p.message for p in check_keys({"cite-as": "本合同", "clauses": ["a", 3]}, PART)] == [
        "unknown key 'cite-as' in a part", "'clauses' must be a list of text, e.g. [a, b], not a list"]
    assert check_keys({"requred": False}, FIELD)[0].suggestion == "did you mean 'required'?"
    assert check_keys({"xyz": 1}, FRONT_MATTER)[0].suggestion == "the keys are id, title, version, lang"
    assert check_keys({"title": 2024}, FRONT_MATTER)[0].suggestion == "put the value in quotes"
    assert not check_keys({"min": "ten"}, FIELD, elsewhere=("min",))


def test_every_key_the_code_reads_is_declared() -> None:
    """The keys spec.py and library.py read (raw.get("…"), item.get("…"), opts.get("…"),
    meta.get("…")) are exactly the keys the schemas declare: a key read but not declared
    would be refused as unknown, a key declared but not read would be accepted and ignored."""
    source = {name: (ROOT / "src" / "contractgen" / name).read_text(encoding="utf-8")
              for name in ("spec.py", "library.py")}

    def read(var: str, text: str) -> set[str]:
        return set(re.findall(rf'\b{var}(?:\.get\(|\[)"(\w+)"', text))

    # a bilingual contract's "<key>_<lang>" keys are read for each language: title_{other}
    per_language = {n for n in TEMPLATE.names + PART.names if re.fullmatch(r"(title|cite_as)_(zh|en)", n)}
    assert 'raw.get(f"title_{other}")' in source["spec.py"]
    assert 'item.get(f"{base}_{other}")' in source["spec.py"]
    assert read("raw", source["spec.py"]) == set(TEMPLATE.names) - per_language
    assert read("item", source["spec.py"]) == set(PART.names) - per_language
    assert read("opts", source["spec.py"]) == set(FIELD.names) - {"min", "max"}  # bounds: opts.get(k)
    assert read("meta", source["library.py"]) == set(FRONT_MATTER.names)


def test_bundled_templates_and_clauses_validate_clean() -> None:
    for template in sorted((ROOT / "templates").iterdir()):
        load_spec(template)  # raises InputErrors on any unknown key or wrong type
    assert len(load_library(ROOT / "clauses")) > 50


def test_every_fixture_template_validates_clean_or_is_an_error_case() -> None:
    """Test roots whose contract.yaml is meant to load hold no undeclared key."""
    for path in sorted(TESTS.rglob("contract.yaml")):
        if "errors" in path.parts or "messages" in path.parts or "schemas" in path.parts:
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not check_keys(raw, TEMPLATE), path
        for part in raw.get("parts") or []:
            assert not check_keys(part, PART), (path, part)


def test_a_label_may_not_head_two_fields(tmp_path: Path) -> None:
    template = tmp_path / "t"
    shutil.copytree(ROOTS / "mini-zh" / "templates" / "mini", template)
    spec = template / "contract.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "fee: {type: number, min: 0}", "fee: {type: number, min: 0, aliases: staff}"), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_spec(template)
    assert [f.message for f in exc.value.findings] == [
        "field 'fee': the heading 'staff' also names field 'staff'; a column headed so would be ambiguous"]
