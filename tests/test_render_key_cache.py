"""A batch renders a fragment once per set of the values it reads (passes/fill.py:_render):
rows that share a fragment's values share its render, rows that differ in any of them —
however deep in a party's fields, however alike the values look — get their own."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from contractgen.passes import fill
from contractgen.pipeline import load_template
from contractgen.spec import validate_data

SAMPLE = Path(__file__).resolve().parent.parent / "templates" / "huzhou-cs-outsourcing"


def _data(**party_a) -> dict:
    raw = yaml.safe_load((SAMPLE / "sample-data.yaml").read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    raw["party_a"].update(party_a)
    return raw


def _texts(template, raw: dict) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each fragment's tokenized text and the values it printed."""
    _, renders, values = fill.render_key(template, validate_data(template.spec, raw, "test"))
    ends = [first for *_, first in renders[1:]] + [len(values)]
    return {clause_id: (text, tuple(values[first:end])) for (_, clause_id, text, first), end in zip(renders, ends)}


def test_a_changed_value_changes_only_the_fragments_that_read_it() -> None:
    template = load_template(SAMPLE)
    first = _texts(template, _data())
    moved = _texts(template, _data(address="浙江省湖州市吴兴区新址路1号"))
    changed = {cid for cid in first if first[cid] != moved[cid]}
    assert changed and changed < set(first)  # some fragments print the address, not all
    assert all(any("新址路1号" in v for v in moved[cid][1]) for cid in changed)
    assert _texts(template, _data()) == first  # and the first values render as before


def test_values_that_print_differently_are_different_keys() -> None:
    assert fill._frozen(Decimal("1.0")) != fill._frozen(Decimal("1.00"))
    assert fill._frozen(True) != fill._frozen(1)
    assert fill._frozen(date(2025, 3, 1)) != fill._frozen("2025-03-01")
    assert fill._frozen({"a": [1, 2]}) == fill._frozen({"a": [1, 2]})
    assert fill._frozen({"a": [1, 2]}) != fill._frozen({"a": (1, 2)})


def _fresh_names(compiled, fragment) -> tuple[str, ...] | None:
    """What _read_names finds from a new parse of the source (no kept tree)."""
    class Bare:  # the compiled template without the tree render.compile_fragment keeps
        environment = compiled.environment

    return fill._read_names(Bare(), fragment)


def test_the_names_read_from_the_compiled_tree_are_those_of_a_fresh_parse() -> None:
    """compile_fragment parses once and keeps the tree; Jinja's compiler folds constants in
    it, which must not hide a name the fragment reads (or the render cache would mix rows)."""
    templates = sorted(p.parent for p in (SAMPLE.parent).glob("*/contract.yaml"))
    assert len(templates) >= 3
    compared = 0
    for folder in templates:
        template = load_template(folder)
        for fragment, compiled in template.fragments.values():
            assert compiled.contractgen_tree is not None
            assert fill._read_names(compiled, fragment) == _fresh_names(compiled, fragment), fragment.id
            compared += 1
    assert compared > 50


def test_names_under_folded_constants_and_untaken_branches_are_read() -> None:
    from contractgen.library import Fragment
    from contractgen.render import compile_fragment, make_environment

    body = ("{{ 1 + 2 }} {{ fee | default(3 * 4) }}{% if false %}{{ hidden.name }}{% endif %}"
            "{% for p in [1, 2] %}{{ p }}{{ each }}{% endfor %}{{ ('a' ~ 'b') if flag else other }}\n")
    fragment = Fragment("t/x", "x", "1.0.0", "zh", body, Path("x.md"), 5)
    compiled = compile_fragment(make_environment("zh"), fragment)
    assert fill._read_names(compiled, fragment) == ("each", "fee", "flag", "hidden", "other")
    assert _fresh_names(compiled, fragment) == fill._read_names(compiled, fragment)
