"""The bilingual dev fixture (tests/data/bilingual-template: template mini/ and its clauses)
built in each layout, for the Markdown and HTML writer tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import TESTS
from contractgen.pipeline import build_from_files, render_outputs

FIXTURE = TESTS / "data" / "bilingual-template"
GOLDEN = FIXTURE / "golden"
LAYOUTS = ("side-by-side", "interleaved", "sequential")


def template_copy(dest: Path, layout: str) -> Path:
    """The fixture copied under ``dest`` with ``layout:`` set; returns the template folder."""
    shutil.copytree(FIXTURE / "clauses", dest / "clauses")
    shutil.copytree(FIXTURE / "mini", dest / "mini")
    spec = dest / "mini" / "contract.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(re.sub(r"(?m)^layout: .*$", f"layout: {layout}", text), encoding="utf-8")
    return dest / "mini"


def built(dest: Path, layout: str, formats=("md", "html")) -> dict[str, bytes]:
    template = template_copy(dest, layout)
    _, _, result = build_from_files(template, template / "data.yaml")
    assert result.doc.layout == layout
    return dict(render_outputs(result.doc, list(formats)))
