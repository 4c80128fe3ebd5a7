"""libyaml reads what PyYAML reads, the same way: every YAML file and front matter of the
repository (templates, clause libraries, test data, valid or not) gives the same nodes —
tags, values, plain or quoted style, line and column of every node — and the same data
through both parsers and each of our loaders, or is left to PyYAML (whose errors
yamlmessages explains) when libyaml cannot read it."""

from __future__ import annotations

import yaml
import pytest

from contractgen import yamlmessages
from contractgen.datafiles import _DataLoader, _Loader

from conftest import ROOT

LOADERS = (yaml.SafeLoader, _Loader, _DataLoader)


def _texts() -> list[tuple[str, str]]:
    found = []
    for folder in ("templates", "clauses", "tests/data"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".yaml", ".yml"):
                found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8", errors="replace")))
            elif path.suffix == ".md":
                text = path.read_text(encoding="utf-8", errors="replace")
                if text.startswith("---\n") and "\n---" in text[4:]:
                    found.append((str(path.relative_to(ROOT)), text[4:].split("\n---", 1)[0] + "\n"))
    return found


def _shape(node):
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, bool(node.flow_style), marks, [_shape(n) for n in node.value])
    return ("mapping", node.tag, bool(node.flow_style), marks, [(_shape(k), _shape(v)) for k, v in node.value])


TEXTS = _texts()


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(TEXTS) > 150


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
def test_libyaml_and_pyyaml_agree(loader):
    compared = 0
    for name, text in TEXTS:
        fast = yamlmessages._compose_fast(text, loader)
        try:
            slow = yamlmessages._compose(text, loader)
        except (yaml.YAMLError, ValueError):
            assert fast is None, f"{name}: libyaml read what PyYAML refuses"
            continue
        if fast is None:
            continue  # libyaml refused it: PyYAML reads it, as before
        compared += 1
        assert (fast[0] is None) == (slow[0] is None), name
        if slow[0] is not None:
            assert _shape(fast[0]) == _shape(slow[0]), name
        assert repr(fast[1]) == repr(slow[1]) and type(fast[1]) is type(slow[1]), name
    assert compared > 150
