"""`build` and `batch` errors in the message language: every error fixture (tests/roots/errors,
data/messages, data/schemas, data/fragment_refusals, data/money/filter-errors) is run again
with ``contractgen --lang zh`` and every line it prints must be translated; the YAML problem
texts of data/yaml-messages must be too. A few whole zh outputs are golden
(data/i18n/build-zh/<case>.txt; ``CONTRACTGEN_UPDATE_GOLDEN=1`` rewrites them).

A line counts as translated when it differs from the English run's line, or when the
English line has no English words outside quotes, paths and rule codes (nothing to
translate). The English runs are the fixtures' own tests; they stay byte-identical.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from contractgen import i18n
from contractgen.cli import main

from conftest import ROOTS, TESTS, UPDATE_GOLDEN, compare_golden, copy_root

GOLDEN = TESTS / "data" / "i18n" / "build-zh"
ARGS_DIRS = ("messages", "schemas")
QUOTED = re.compile(r"'(?:[^'\n]|'s(?![A-Za-z]))*'|\"[^\"\n]*\"|“[^”\n]*”|\[\[[^\]]*\]\]|\{[^{}\n]*\}|<[^>\n]*>"
                    r"|`[^`\n]*`|\[PyYAML(?:: |原文：).*\]")
CODE_OR_PATH = re.compile(r"[\w./-]+\.(?:md|yaml|csv|xlsx|json|docx|html)(?![A-Za-z])(?::\d+)*"
                          r"|(?<![A-Za-z])[a-z]+(?:[-_][a-z0-9.]+)+(?![A-Za-z])|--[a-z-]+")
# two English words in a row: an English text left, not a name or a keyword the user types
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_lang(i18n.EN)


def _run(args: list[str], lang: str, root: Path, runner, monkeypatch) -> str:
    monkeypatch.chdir(root)
    monkeypatch.setenv("CONTRACTGEN_DEBUG", "0")
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "CONTRACTGEN_LANG"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(main, ["--lang", lang, *args])
    assert "Traceback" not in result.output
    return result.output.replace(str(root) + "/", "")


def _mini_build(root: Path) -> list[str]:
    template = root / "templates" / "mini"
    return ["build", str(template), "--data", str(template / "data.yaml"), "--out", str(root.parent / "out")]


# Word template parts refused at load (tests/wordparts_docs.py writes the Word files)
WORDPART_CASES = {
    "misspelt-field": {"cover_tag": "{{ party_a.nmae }}"},
    "unclosed-if": {"extra": "{% if third_party %}第三方"},
    "unknown-kind": {"kind": "docx"},
    "text-beside-body": {"body": "正文如下：{{p body }}"},
}


def _word_project(case: Path, dest: Path) -> tuple[Path, list[str]]:
    import wordparts_docs

    options = dict(WORDPART_CASES[case.name])
    kind, body = options.pop("kind", None), options.pop("body", None)
    folder = wordparts_docs.template(dest, skeleton_file=body is not None, **options)
    if body is not None:
        wordparts_docs.skeleton(folder / "skeleton.docx", body)
    if kind is not None:
        spec = folder / "contract.yaml"
        spec.write_text(spec.read_text(encoding="utf-8").replace("kind: word", f"kind: {kind}", 1), encoding="utf-8")
    return dest, ["build", str(folder), "--data", str(wordparts_docs.DATA / "data.yaml"), "--out", str(dest / "out")]


def _prepare(kind: str, case: Path, dest: Path) -> tuple[Path, list[str]]:
    """The copied project of a fixture and the command line its own test runs."""
    if kind == "wordparts":
        return _word_project(case, dest)
    if kind == "errors":
        root = copy_root("mini-zh", dest, overlay=case)
        return root, _mini_build(root)
    if kind == "fragment_refusals":
        from test_fragment_refusals import _project

        root = _project(case, dest)
        return root, _mini_build(root)
    if kind == "filter-errors":
        from test_filter_errors import _project

        root = copy_root("mini-zh", dest)
        _project(yaml.safe_load(case.read_text(encoding="utf-8")), root)
        return root, _mini_build(root)
    from test_schemas import META, make_xlsx

    shutil.copytree(ROOTS / "mini-zh", dest)
    shutil.copytree(case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*META, "removed"))
    for removed in (case / "removed").read_text().split() if (case / "removed").exists() else []:
        (dest / removed).unlink()
    if (case / "rows.xlsx.json").exists():
        make_xlsx(case / "rows.xlsx.json", dest / "rows.xlsx")
    return dest, (case / "args").read_text(encoding="utf-8").splitlines()


def _cases() -> list[tuple[str, Path]]:
    found = [("errors", p) for p in sorted((ROOTS / "errors").iterdir()) if p.is_dir()]
    found += [("fragment_refusals", p) for p in sorted((TESTS / "data" / "fragment_refusals").iterdir()) if p.is_dir()]
    found += [("filter-errors", p) for p in sorted((TESTS / "data" / "money" / "filter-errors").glob("*.yaml"))]
    for kind in ARGS_DIRS:
        found += [(kind, p) for p in sorted((TESTS / "data" / kind).iterdir()) if p.is_dir()]
    found += [("wordparts", Path(name)) for name in WORDPART_CASES]
    return found


def needs_translation(line: str) -> bool:
    """An English line with English words outside quoted text, paths and rule codes."""
    return bool(ENGLISH.search(CODE_OR_PATH.sub("", QUOTED.sub("", line))))


def _outputs(kind: str, case: Path, tmp_path: Path, runner, monkeypatch) -> tuple[str, str]:
    out = []
    for lang in ("en", "zh"):
        root, args = _prepare(kind, case, tmp_path / lang / "proj")
        out.append(_run(args, lang, root, runner, monkeypatch))
    return out[0], out[1]


def test_every_build_and_batch_error_line_is_translated(tmp_path: Path, runner, monkeypatch) -> None:
    """Coverage over every fixture: the count of lines needing translation and those left."""
    needed, left = 0, []
    for n, (kind, case) in enumerate(_cases()):
        en, zh = _outputs(kind, case, tmp_path / str(n), runner, monkeypatch)
        en_lines, zh_lines = en.splitlines(), zh.splitlines()
        assert len(en_lines) == len(zh_lines), (case, en, zh)
        for en_line, zh_line in zip(en_lines, zh_lines):
            if needs_translation(en_line):
                needed += 1
                if zh_line == en_line or needs_translation(zh_line):
                    left.append(f"{kind}/{case.name}: {zh_line}")
    print(f"\nbuild/batch zh coverage: {needed - len(left)}/{needed} lines translated")
    assert needed > 100
    assert left == []


def test_every_yaml_problem_text_is_translated() -> None:
    """data/yaml-messages: each ``line:column: message`` problem, as ``invalid YAML:`` shows it."""
    left, count = [], 0
    for path in sorted((TESTS / "data" / "yaml-messages").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            message = line.split(": ", 1)[1] if re.match(r"\d+:\d+: ", line) else line
            shown = f"data.yaml:3: invalid YAML: {message}"
            count += 1
            if i18n.error_message(shown, "zh") == shown or needs_translation(i18n.error_message(shown, "zh")):
                left.append(line)
    assert count > 10
    assert left == []


GOLDEN_CASES = [
    ("unknown-field", "errors", ROOTS / "errors" / "unknown-field"),
    ("typed-chinese-number", "fragment_refusals", TESTS / "data" / "fragment_refusals" / "typed-chinese-number"),
    ("fractions-of-a-cent", "filter-errors", TESTS / "data" / "money" / "filter-errors" / "fractions-of-a-cent.yaml"),
    ("dry-run-fraction-of-a-cent", "messages", TESTS / "data" / "messages" / "dry-run-fraction-of-a-cent"),
    ("batch-heading-typo", "schemas", TESTS / "data" / "schemas" / "batch-heading-typo-suggests-label"),
]


@pytest.mark.parametrize("name, kind, case", GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_golden_zh_output(name: str, kind: str, case: Path, tmp_path: Path, runner, monkeypatch) -> None:
    root, args = _prepare(kind, case, tmp_path / "proj")
    compare_golden(_run(args, "zh", root, runner, monkeypatch), GOLDEN / f"{name}.txt")
