"""Jinja comments as Jinja users know them, labels as pandoc writes them, and no template
syntax left over in a contract.

Each case is a pair under tests/data/jinja/: ``<case>.md``, a clause file (id ``mini/case``)
built as one more clause of the mini-zh contract's main part, and ``<case>.yaml`` with what
the build must do: ``exit`` (default 0), ``contains`` / ``absent`` (text of the built
Markdown), or ``error`` (a whole line of the output, path relative to the project). A build
that fails writes nothing. Adding a case means adding two files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from contractgen.cli import main
from contractgen.library import Fragment
from contractgen.model import Origin
from contractgen.readers import fragment as fragment_reader
from contractgen import render

from conftest import ROOT, TESTS, copy_root

DATA = TESTS / "data" / "jinja"
CASES = sorted(DATA.glob("*.md"))
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _build_with_case(case: Path | str, tmp_path: Path, runner):
    """Build mini-zh with the clause file ``case`` (a path, or its text) after mini/dispute."""
    root = copy_root("mini-zh", tmp_path / "proj")
    text = case if isinstance(case, str) else case.read_text(encoding="utf-8")
    (root / "clauses" / "mini" / "case.md").write_text(text, encoding="utf-8")
    spec = root / "templates" / "mini" / "contract.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "mini/dispute, mini/attachments" in text
    spec.write_text(text.replace("mini/dispute, mini/attachments", "mini/dispute, mini/case, mini/attachments"),
                    encoding="utf-8")
    out = tmp_path / "out"
    template = root / "templates" / "mini"
    result = runner.invoke(main, ["build", str(template), "--data", str(template / "data.yaml"),
                                  "--out", str(out), "--format", "md"])
    return root, out, result


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_comments_labels_and_leftover_syntax(case: Path, tmp_path: Path, runner) -> None:
    expected = yaml.safe_load(case.with_suffix(".yaml").read_text(encoding="utf-8")) or {}
    root, out, result = _build_with_case(case, tmp_path, runner)
    assert result.exit_code == expected.get("exit", 0), result.output
    assert "Traceback" not in result.output
    if "error" in expected:
        lines = [line.removeprefix("Error: ") for line in result.output.replace(str(root) + "/", "").splitlines()]
        assert expected["error"] in lines, result.output
        assert not out.exists() or not any(out.iterdir())
        return
    built = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert not _PRIVATE_USE.search(built), "a value token or label mark reached the contract"
    for text in expected.get("contains", []):
        assert text in built
    for text in expected.get("absent", []):
        assert text not in built


def test_every_case_has_its_expectations() -> None:
    assert len(CASES) >= 15
    assert sorted(c.stem for c in CASES) == sorted(p.stem for p in DATA.glob("*.yaml"))


def test_the_reader_reads_the_marks_render_leaves() -> None:
    assert render.LABEL_MARK == fragment_reader.LABEL_MARK
    assert render.LINE_MARK == fragment_reader.LINE_MARK
    assert len({render.VALUE_OPEN, render.VALUE_CLOSE, render.LABEL_MARK, render.LINE_MARK}) == 4


@pytest.mark.parametrize(("line", "hidden"), [
    ("# 费用 {#fees}", True),
    ("# 费用 {#fees} {# check #}", True),
    ("- 按月 {#monthly}\t{#- a -#}  {#b#}", True),
    ("# 费用 {#Fees}", True),           # hidden too, so the reader can say what is wrong with it
    ("{#note#}", False),                # a comment
    ("{# see {#x} #}", False),          # inside a comment
    ("# 费用 {#fees} 以后", False),      # not at the end of the line
    ("# 费用 {# fees}", False),          # a space after "{#": a comment
])
def test_which_labels_are_hidden_from_jinja(line: str, hidden: bool) -> None:
    protected = render.protect_labels(line)
    assert len(protected) == len(line)
    assert (render.LABEL_MARK in protected) is hidden


def test_the_example_in_the_authoring_guide_builds_as_it_says(tmp_path: Path, runner) -> None:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    labels = guide[guide.index("**Labels.**"):]
    example = re.search(r"```markdown\n(.*?)```", labels, re.S)[1]
    assert "{# confirm the amount" in example and "{#monthly}" in example
    clause = "---\nid: mini/case\ntitle: 服务费用\nversion: 1.0.0\n---\n" + example
    _root, out, result = _build_with_case(clause, tmp_path, runner)
    assert result.exit_code == 0, result.output
    built = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "### 第四条 服务费用 {#fees}\n" in built
    assert '<a id="monthly"></a>4.1 按月支付\n\n服务费用按[第4.1条](#monthly)支付。\n' in built
    for note in ("confirm the amount", "Not agreed", "按季支付", "quarterly"):
        assert note not in built


@pytest.mark.parametrize("body", [
    "x\n{# a\nb #}{# c #}\n\nlast\n",            # two comments in a row
    "x\n\n{# a\nb #}{#- c\n -#}\n\n\nlast\n",     # "-#}" trims the blank lines after it
    "x\n\n\n{#- c #}\n\nlast\n",                   # "{#-" trims the blank lines before it
    "{# the whole\nbeginning #}\n\nlast\n",
    "{% if fee %}{# a\nb #}{% endif %}\n\nlast\n",     # in a branch the data takes
])
def test_the_reader_names_the_file_line_below_comments(body: str) -> None:
    fragment = Fragment("t/x", "x", "1", "zh", body, Path("x.md"), body_line=1)
    template = render.compile_fragment(render.make_environment("zh"), fragment)
    rendered = render.render_fragment(template, fragment, {"fee": 1})
    read = fragment_reader.read_fragment(rendered.text, fragment.pos, Origin("t/x", "1"))
    last = read.blocks[-1]
    assert fragment_reader.fill_values(last.text[0], rendered.values) == "last"
    assert last.pos.line == body.splitlines().index("last") + 1
