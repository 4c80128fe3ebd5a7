"""YAML mistakes in plain words, table-driven: ``tests/data/yaml-messages/<case>.yaml`` is the
input and ``<case>.txt`` the expected problems, one ``line:column: message`` a line (empty:
the text is valid). Adding a case means adding the two files; the CLI cases, with exit
codes and nothing written, are in tests/data/messages/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractgen.yamlmessages import YamlProblem, YamlProblems, load_yaml

from conftest import TESTS, UPDATE_GOLDEN

CASES = sorted((TESTS / "data" / "yaml-messages").glob("*.yaml"))


def problems_of(text: str, first_line: int = 1) -> list[YamlProblem]:
    try:
        load_yaml(text, yaml.SafeLoader, first_line)
    except YamlProblems as exc:
        return exc.problems
    return []


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_yaml_message(case: Path) -> None:
    found = "".join(f"{p.line}:{p.column}: {p.message}\n" for p in problems_of(case.read_text(encoding="utf-8")))
    expected = case.with_suffix(".txt")
    if UPDATE_GOLDEN:
        expected.write_text(found, encoding="utf-8")
    assert found == expected.read_text(encoding="utf-8")
    assert "PyYAML" not in found and "<block" not in found


def test_lines_count_from_where_the_text_starts_in_its_file() -> None:
    # front matter starts on a file's line 2: every line a message names is a file line
    [problem] = problems_of("id: x\ntitle: [a\nversion: 1\n", first_line=2)
    assert (problem.line, problem.message.split(" is never")[0]) == (4, "the '[' opened at line 3, column 8 "
                                                                        "(the value of 'title')")
    [twice] = problems_of("id: x\nid: y\n", first_line=2)
    assert (twice.line, twice.message.split(";")[0]) == (3, "'id' is given twice, on line 2 and line 3")


def test_pyyaml_words_only_under_debug(monkeypatch) -> None:
    [problem] = problems_of("a:\n    b: 1\n  c: 2\n")
    monkeypatch.setenv("CONTRACTGEN_DEBUG", "0")
    assert problem.text() == problem.message
    monkeypatch.setenv("CONTRACTGEN_DEBUG", "1")
    assert problem.text() == f"{problem.message} [PyYAML: expected <block end>, but found '<block mapping start>']"
