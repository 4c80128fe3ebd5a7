"""A loaded template builds many contracts; no contract shares a block with another."""

from __future__ import annotations

import copy

from contractgen.pipeline import build_document, load_template
from contractgen.model import Part
from contractgen.spec import load_data_file, validate_data
from contractgen.writers.markdown import MarkdownWriter

from conftest import SAMPLE


def _data(**changes):
    raw, _ = load_data_file(SAMPLE / "sample-data.yaml")
    raw = copy.deepcopy(raw)
    raw.update(changes)
    return raw


def test_second_build_shares_nothing_with_the_first() -> None:
    template = load_template(SAMPLE)
    first = build_document(template, validate_data(template.spec, _data(), "a"))
    second = build_document(template, validate_data(template.spec, _data(staff=30), "b"))
    first_blocks = {id(b) for _, b in first.blocks()}
    assert not first_blocks & {id(b) for _, b in second.blocks()}
    first_targets = {id(b) for _, b in first.blocks()} | {id(p) for p in first.parts}
    assert all(id(r.target) in first_targets for r in first.refs())
    assert all(id(r.target) not in first_targets for r in second.refs())


def test_reused_template_builds_what_a_fresh_one_builds() -> None:
    reused = load_template(SAMPLE)
    without_third_party = _data(third_party=None)
    for raw in (_data(), without_third_party, _data(staff=30), _data()):
        expected = MarkdownWriter().render(build_document(load_template(SAMPLE), validate_data(reused.spec, raw, "x")))
        assert MarkdownWriter().render(build_document(reused, validate_data(reused.spec, raw, "x"))) == expected
    doc = build_document(reused, validate_data(reused.spec, without_third_party, "x"))
    assert not any(p.kind == "addendum" for p in doc.parts)
    assert any(isinstance(r.target, Part) for r in doc.refs())
