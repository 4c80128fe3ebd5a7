"""Moving, adding or dropping clauses in the spec updates every reference and the TOC."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from contractgen.model import Part, Toc

from conftest import ROOT, SAMPLE
from helpers import build


def _copy_sample(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "clauses", tmp_path / "clauses")
    shutil.copytree(SAMPLE, tmp_path / "templates" / SAMPLE.name)
    return tmp_path / "templates" / SAMPLE.name


def _move_clause(template_dir: Path, clause_id: str, new_index: int) -> None:
    path = template_dir / "contract.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    main = next(p for p in spec["parts"] if p["kind"] == "main")
    main["clauses"].remove(clause_id)
    main["clauses"].insert(new_index, clause_id)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _dispute(doc):
    main = next(p for p in doc.parts if p.kind == "main")
    return next(c for c in main.clauses() if c.label == "dispute-resolution")


def _refs_to(doc, target):
    return [r for r in doc.refs() if r.target is target]


def test_moving_dispute_resolution_updates_every_reference(tmp_path: Path) -> None:
    template = _copy_sample(tmp_path)
    before = build(template, check=False)
    old = _dispute(before).number_text
    _move_clause(template, "huzhou/dispute-resolution", 1)
    after = build(template, check=False)
    dispute = _dispute(after)
    assert dispute.number_text == "第二条" != old
    refs = _refs_to(after, dispute)
    assert len(refs) == len(_refs_to(before, _dispute(before))) > 0
    for ref in refs:
        assert ref.cite == "第二条"
        assert "第二条" in ref.text and old not in ref.text
    toc = next(b for _, b in after.blocks() if isinstance(b, Toc))
    assert any(e.target is dispute and e.number_text == "第二条" for e in toc.entries)
    # the moved article's sections follow it: 7.1 became 2.1
    main = next(p for p in after.parts if p.kind == "main")
    moved = [c for c in main.clauses() if c.origin.clause_id == "huzhou/dispute-resolution"]
    assert len(moved) > 1 and all(c.number[0] == 2 for c in moved)
    assert [c.number_text for c in moved if c.level == 2][:2] == ["2.1", "2.2"]


def test_dropping_an_article_renumbers_those_after_it(tmp_path: Path) -> None:
    template = _copy_sample(tmp_path)
    before = build(template, check=False)
    cited = {r.target.origin.clause_id for r in before.refs() if not isinstance(r.target, Part)}
    main_spec = next(p for p in before.parts if p.kind == "main")
    dispute = _dispute(before)
    earlier = [c for c in main_spec.clauses() if c.level == 1 and c.number < dispute.number]
    dropped = next(c.origin.clause_id for c in earlier if c.origin.clause_id not in cited)
    path = template / "contract.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"      - {dropped}\n", ""), encoding="utf-8")
    after = build(template, check=False)
    assert _dispute(after).number == (dispute.number[0] - 1,)
    refs = _refs_to(after, _dispute(after))
    assert refs and all(r.cite == _dispute(after).number_text for r in refs)
