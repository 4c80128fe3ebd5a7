"""Every example in docs/authoring.md marked ``<!-- example … -->`` is built here: its
```markdown block is a clause of the main part (a ```markdown schedule block, one of an
attachment), and the lines of its ```text block must be lines of the built Markdown contract,
in that order (links, anchors and heading marks removed). So the documentation cannot promise
what the tool does not do."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from contractgen.checking import check_file
from contractgen.diagnostics import ERROR
from contractgen.pipeline import render_outputs

from helpers import build

DOC = Path(__file__).resolve().parents[1] / "docs" / "authoring.md"
_EXAMPLE = re.compile(r"<!-- example(?P<attrs>[^>]*)-->\s*\n(?P<blocks>(?:\s*```[^\n]*\n.*?\n```\s*\n)+)", re.S)
_BLOCK = re.compile(r"```(?P<info>[^\n]*)\n(?P<body>.*?)\n```", re.S)


def examples() -> list[tuple[str, dict, list[tuple[str, str]]]]:
    out = []
    text = DOC.read_text(encoding="utf-8")
    for m in _EXAMPLE.finditer(text):
        attrs = dict(a.split("=", 1) for a in shlex.split(m["attrs"]))
        blocks = [(b["info"].strip(), b["body"]) for b in _BLOCK.finditer(m["blocks"])]
        line = text[:m.start()].count("\n") + 1
        out.append((f"authoring.md:{line}", attrs, blocks))
    return out


EXAMPLES = examples()


def test_the_documentation_has_examples() -> None:
    assert len(EXAMPLES) >= 5


def _template(root: Path, attrs: dict, blocks: list[tuple[str, str]]) -> Path:
    scheme = attrs.get("scheme", "zh")
    lang = scheme.split("-")[0]
    clauses = root / "clauses" / "doc"
    clauses.mkdir(parents=True)
    main = [body for info, body in blocks if info == "markdown"]
    schedules = [body for info, body in blocks if info == "markdown schedule"]
    for name, body in [("main", "\n\n".join(main))] + [(f"schedule{i}", b) for i, b in enumerate(schedules, 1)]:
        body = re.sub(r"\A---\n.*?\n---\n", "", body, flags=re.S)  # the example's own front matter
        (clauses / f"{name}.md").write_text(f"---\nid: doc/{name}\ntitle: {name}\nversion: 1.0.0\n---\n{body}\n",
                                            encoding="utf-8")
    template = root / "templates" / "doc"
    template.mkdir(parents=True)
    cite_as = attrs.get("cite_as", "本合同" if lang == "zh" else "this Agreement")
    parts = [f"  - {{id: main, kind: main, title: Main, cite_as: '{cite_as}', clauses: [doc/main]}}"]
    parts += [f"  - {{id: schedule{i}, kind: attachment, title: Schedule {i}, clauses: [doc/schedule{i}]}}"
              for i in range(1, len(schedules) + 1)]
    data = json.loads(attrs.get("data", "{}"))  # the example's data, e.g. data='{"sign_place": "湖州"}'
    fields = "".join(f"  {name}: {{type: string}}\n" for name in _dotted(data))
    (template / "contract.yaml").write_text(
        f"name: doc\ntitle: Example\nlang: {lang}\nscheme: {scheme}\noutput_name: out\n"
        + (f"data:\n{fields}" if fields else "data: {}\n") + "parts:\n" + "\n".join(parts) + "\n", encoding="utf-8")
    (template / "data.yaml").write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return template


def _dotted(data: dict, prefix: str = "") -> list[str]:
    """The dotted field names of nested example data: {"party_a": {"name": …}} -> party_a.name."""
    out = []
    for key, value in data.items():
        out += _dotted(value, f"{prefix}{key}.") if isinstance(value, dict) else [prefix + key]
    return out


def _plain(markdown: str) -> list[str]:
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r'<a id="[^"]*"></a>', "", line)
        line = re.sub(r"\s*\{#[^}]*\}$", "", line)
        line = re.sub(r"^#+\s+", "", line)
        line = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", line)
        lines.append(line.replace("\\", "").strip())
    return lines


@pytest.mark.parametrize("where, attrs, blocks", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_documented_example_builds_as_shown(where: str, attrs: dict, blocks, tmp_path: Path) -> None:
    expected = [body for info, body in blocks if info == "text"]
    assert len(expected) == 1, f"{where}: an example needs one ```text block of expected lines"
    template = _template(tmp_path, attrs, blocks)
    doc = build(template, template / "data.yaml")
    (fmt, markdown), = render_outputs(doc, ["md"])
    lines = _plain(markdown.decode("utf-8"))
    at = 0  # the expected lines, in their order
    for want in (line.strip() for line in expected[0].splitlines() if line.strip()):
        assert want in lines[at:], f"{where}: '{want}' is not a later line of the built contract:\n" + "\n".join(lines)
        at = lines.index(want, at) + 1
    out = tmp_path / "contract.md"
    out.write_bytes(markdown)
    assert [f.format() for f in check_file(out) if f.severity == ERROR] == []
