"""Golden Markdown: each template builds to its reviewed file in tests/data/golden/.

Regenerate with `make golden`, then review `git diff tests/data/golden`.
"""

from __future__ import annotations


import pytest

from contractgen.writers.markdown import MarkdownWriter

from conftest import ROOT, ROOTS, TESTS, compare_golden
from helpers import build

GOLDEN = TESTS / "data" / "golden"
CASES = {
    "mini-zh": ROOTS / "mini-zh" / "templates" / "mini",
    **{p.name: p for p in sorted((ROOT / "templates").iterdir()) if (p / "contract.yaml").exists()},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_markdown_matches_golden(name: str) -> None:
    doc = build(CASES[name], check=False)
    compare_golden(MarkdownWriter().render(doc).decode("utf-8"), GOLDEN / f"{name}.md")


def test_markdown_is_deterministic() -> None:
    first = MarkdownWriter().render(build(CASES["mini-zh"], check=False))
    assert first == MarkdownWriter().render(build(CASES["mini-zh"], check=False))
