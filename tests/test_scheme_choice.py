"""How contract.yaml names a numbering scheme: `scheme:` (a scheme of the template's
language), `lang:` alone (its language's own scheme), or `lang: en-GB` naming both —
also when `scheme: en-GB` repeats it (found by a fresh-eyes trial)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.diagnostics import InputErrors
from contractgen.spec import load_spec

CASES = [
    ("lang: zh", ("zh", "zh")),
    ("lang: en", ("en", "en")),
    ("lang: zh\nscheme: zh-hanzi", ("zh", "zh-hanzi")),
    ("lang: en\nscheme: en-GB", ("en", "en-GB")),
    ("lang: en-GB", ("en", "en-GB")),
    ("lang: en-GB\nscheme: en-GB", ("en", "en-GB")),
]


def _spec(tmp_path: Path, head: str):
    (tmp_path / "contract.yaml").write_text(
        f"name: t\ntitle: T\n{head}\ndata: {{}}\nparts:\n  - {{id: main, kind: main, title: Main, clauses: [t/main]}}\n",
        encoding="utf-8")
    return load_spec(tmp_path)


@pytest.mark.parametrize("head, expected", CASES, ids=[c[0].replace("\n", " ") for c in CASES])
def test_the_scheme_a_template_names(head: str, expected, tmp_path: Path) -> None:
    spec = _spec(tmp_path, head)
    assert (spec.lang, spec.scheme) == expected


@pytest.mark.parametrize("head, message", [
    ("lang: zh\nscheme: en-GB", "unknown numbering scheme 'en-GB' for lang zh: choose from zh (第一条 / 1.1 / 1.1.1; 附件一); "
                                "zh-hanzi (第一条 / 一、/（一）/ 1. /（1）; 附件一)"),
    ("lang: fr", "unknown lang 'fr': choose from zh, en"),
])
def test_a_scheme_of_another_language_is_refused(head: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(InputErrors) as err:
        _spec(tmp_path, head)
    assert message in str(err.value)
