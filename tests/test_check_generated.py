"""Every template the project ships must check clean: on the model the build produces and
on the Markdown written from it, read back by the Markdown reader."""

from __future__ import annotations


import pytest

from contractgen.checks import run_checks
from contractgen.readers.markdown import markdown_lines
from contractgen.bilingual_texts import language_texts
from contractgen.readers.lines import build_document
from contractgen.writers.markdown import MarkdownWriter

from conftest import ROOT
from helpers import build

TEMPLATES = sorted(p for p in (ROOT / "templates").iterdir() if (p / "contract.yaml").exists())


@pytest.fixture(scope="module", params=TEMPLATES, ids=lambda p: p.name)
def generated(request):
    return build(request.param, check=False)


def _brief(findings) -> list[str]:
    return [f.format() for f in findings]


def test_there_are_templates_to_check() -> None:
    assert TEMPLATES


def test_model_has_no_findings(generated) -> None:
    assert _brief(run_checks(generated)) == []


def test_markdown_read_back_has_no_findings(generated) -> None:
    text = MarkdownWriter().render(generated).decode("utf-8")
    doc = build_document(markdown_lines(text), "generated.md")
    assert _brief(run_checks(doc)) == []


def test_markdown_read_back_keeps_structure(generated) -> None:
    text = MarkdownWriter().render(generated).decode("utf-8")
    doc = build_document(markdown_lines(text), "generated.md")
    # A bilingual contract is compared text by text: each language's text as built, and as
    # check takes the Markdown apart (bilingual_texts.py; side by side, unfolded by readers/languages.py).
    pairs = [(generated, doc)]
    if generated.texts:
        read = language_texts(doc)
        assert read is not None and set(read) == set(generated.texts)
        pairs = [(generated.texts[lang], read[lang]) for lang in generated.languages]
    for built_doc, read_doc in pairs:
        # Inside attachments the generator numbers with 一、/（一）, which the reader keeps as text.
        built = [c.number for p, c in built_doc.clauses() if c.title and p.kind != "attachment"]
        read = [c.number for p, c in read_doc.clauses() if c.title and p.kind != "attachment"]
        assert read == built and built
        assert [p.kind for p in read_doc.parts if p.kind != "cover"] == [
            p.kind for p in built_doc.parts if p.kind != "cover"]


def test_a_broken_reference_in_generated_markdown_is_found(generated) -> None:
    text = MarkdownWriter().render(generated).decode("utf-8")
    cite = "第九十九条" if generated.lang == "zh" else "Section 99.9"
    broken = text.replace("\n\n", f"\n\nSee {cite} here.\n\n", 1)
    doc = build_document(markdown_lines(broken), "generated.md")
    assert "dangling-reference" in {f.code for f in run_checks(doc)}
