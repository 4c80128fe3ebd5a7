"""The bundled Huzhou sample: the defects of the source contract cannot happen here."""

from __future__ import annotations

import re

import pytest

from contractgen.model import AttachmentRegister, Clause, Part, Toc, plain_text
from contractgen.numbering import ZH
from contractgen.writers.markdown import MarkdownWriter

from conftest import SAMPLE
from helpers import build


@pytest.fixture(scope="module")
def doc():
    return build(SAMPLE, check=False)


@pytest.fixture(scope="module")
def markdown(doc) -> str:
    return MarkdownWriter().render(doc).decode("utf-8")


def _part(doc, kind: str) -> Part:
    return next(p for p in doc.parts if p.kind == kind)


@pytest.mark.parametrize("kind", ["main", "addendum"])
def test_articles_are_numbered_without_gap_or_duplicate(doc, kind: str) -> None:
    articles = [c for c in _part(doc, kind).clauses() if c.level == 1]
    assert len(articles) >= 10
    assert [c.number_text for c in articles] == [f"第{ZH.count(i)}条" for i in range(1, len(articles) + 1)]


def test_markdown_headings_run_first_to_last_article(markdown: str) -> None:
    main_body = markdown.split("## 主合同", 1)[1].split("## 补充协议", 1)[0]
    numbers = re.findall(r"^### (第\S+条) ", main_body, flags=re.M)
    assert numbers == [f"第{ZH.count(i)}条" for i in range(1, len(numbers) + 1)]


def test_toc_matches_headings_exactly(doc) -> None:
    toc = next(b for _, b in doc.blocks() if isinstance(b, Toc))
    headings = []
    for part in doc.parts:
        if part.kind == "cover":
            continue
        headings.append((1, part.number_text, part.title))
        if part.kind != "attachment":
            depth = doc.meta["toc_levels"]  # the sample lists articles only since issue 13
            headings += [(c.level + 1, c.number_text, c.title) for c in part.clauses() if c.title and c.level <= depth]
    assert [(e.level, e.number_text, e.title) for e in toc.entries] == headings


def test_addendum_cites_dispute_resolution_with_scope(doc) -> None:
    main, addendum = _part(doc, "main"), _part(doc, "addendum")
    dispute = next(c for c in main.clauses() if c.label == "dispute-resolution")
    in_addendum = [r for b in addendum.blocks for r in _refs(b) if r.label == "dispute-resolution"]
    assert len(in_addendum) >= 2  # the source cites it twice (its 5.2 and 10.1)
    for ref in in_addendum:
        assert ref.target is dispute
        assert ref.text.startswith("本合同" + dispute.number_text)


def _refs(block):
    from contractgen.model import Ref, inline_lists

    return [n for inlines in inline_lists(block) for n in inlines if isinstance(n, Ref)]


def test_every_attachment_is_in_register_and_body(doc, markdown: str) -> None:
    attachments = [p for p in doc.parts if p.kind == "attachment"]
    assert [p.number_text for p in attachments] == [f"附件{ZH.count(i)}" for i in range(1, 11)]
    register = next(b for _, b in doc.blocks() if isinstance(b, AttachmentRegister))
    assert [(e.number_text, e.title) for e in register.entries] == [(p.number_text, p.title) for p in attachments]
    for part in attachments:
        assert f"## {part.number_text} {part.title}" in markdown
        assert part.blocks, f"{part.number_text} has no content"
    cited = {r.target.number_text for _, b in doc.blocks() for r in _refs(b) if isinstance(r.target, Part)}
    assert cited <= {p.number_text for p in attachments}


@pytest.mark.parametrize("leftover", ["XXX", "20XX", "____", "{{", "}}", "{%", "[[", "【", "】"])
def test_no_placeholder_is_left(markdown: str, leftover: str) -> None:
    assert leftover not in markdown


def test_every_reference_resolved(doc) -> None:
    refs = list(doc.refs())
    assert len(refs) > 15
    assert all(r.target is not None and r.text for r in refs)


def test_party_terms_are_defined_once(doc) -> None:
    text = "\n".join(plain_text(b.text) for _, b in doc.blocks() if isinstance(b, Clause))
    assert "（以下简称“甲方”）" in text and "（以下简称“乙方”）" in text
    assert "服务提供商" not in text
