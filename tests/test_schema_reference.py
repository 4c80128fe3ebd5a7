"""docs/authoring.md lists every key the schemas declare (schemas.py), in a table generated
from them: regenerate it with ``CONTRACTGEN_UPDATE_GOLDEN=1 pytest tests/test_schema_reference.py``.
Its template example holds only declared keys."""

from __future__ import annotations

import yaml

from contractgen.schemas import FIELD, PART, SCHEMAS, TEMPLATE, check_keys, reference_markdown

from conftest import ROOT, UPDATE_GOLDEN

DOC = ROOT / "docs" / "authoring.md"
START, END = "<!-- schema-reference: start (generated from src/contractgen/schemas.py) -->", "<!-- schema-reference: end -->"


def test_the_authoring_guide_lists_every_key() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = f"{START}\n\n{reference_markdown()}\n{END}"
    if UPDATE_GOLDEN and block not in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        DOC.write_text(head + block + tail, encoding="utf-8")
        text = DOC.read_text(encoding="utf-8")
    assert block in text, "regenerate with CONTRACTGEN_UPDATE_GOLDEN=1 pytest tests/test_schema_reference.py"
    templates = text[text.index("## Templates"):]
    for schema in SCHEMAS:
        for key in schema.keys:
            assert f"| `{key.name}` |" in templates, key.name


def test_the_guides_template_example_holds_only_declared_keys() -> None:
    text = DOC.read_text(encoding="utf-8")
    templates = text[text.index("## Templates"):]
    example = yaml.safe_load(templates.split("```yaml\n", 1)[1].split("\n```", 1)[0])
    assert not check_keys(example, TEMPLATE)
    assert not [p for part in example["parts"] for p in check_keys(part, PART)]
    fields = [f for f in example["data"].values() if isinstance(f, dict)]
    assert not [p for f in fields for p in check_keys(f, FIELD)]
    assert {"label", "aliases", "required_when"} <= {k for f in fields for k in f}
