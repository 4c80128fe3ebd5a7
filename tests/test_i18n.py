"""Messages in the user's language (contractgen.i18n): the zh_CN catalog, the choice of
language, every finding message of the rule examples and check fixtures translated, one
reviewed translation per message kind (data/i18n/messages.yaml), whole CLI runs in both
languages (data/i18n/cli.yaml, golden output in data/i18n/cli/) and the preview's labels.

Every CLI run here sets the language variables explicitly, so the tester's own LANG never
decides. ``CONTRACTGEN_UPDATE_GOLDEN=1`` rewrites the goldens and the compiled .mo.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from contractgen import i18n
from contractgen.checking import as_json, as_text, collect
from contractgen.checks import RULES
from contractgen.cli import main
from contractgen.commands.preview import PreviewSource, render_preview
from contractgen.writers.html_labels import LABELS, label

from conftest import ROOT, TESTS, UPDATE_GOLDEN, compare_golden
from docx_factory import build_case
from test_rule_examples import examples, findings

DATA = TESTS / "data" / "i18n"
LANG_VARS = ("LANG", "LC_ALL", "LC_MESSAGES", "CONTRACTGEN_LANG")
MESSAGES = yaml.safe_load((DATA / "messages.yaml").read_text(encoding="utf-8"))
CLI_CASES = yaml.safe_load((DATA / "cli.yaml").read_text(encoding="utf-8"))
CONTEXTS = {r.code for r in RULES} | {"cause", "cli", "value", "preview"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts (and leaves) the run's language English, as the CLI default."""
    i18n.set_lang(i18n.EN)
    yield
    i18n.set_lang(i18n.EN)


# --- the catalog --------------------------------------------------------------------------

def test_committed_mo_is_the_compiled_po() -> None:
    mo = i18n.po_path().with_suffix(".mo")
    compiled = i18n.compile_catalog()
    if UPDATE_GOLDEN:
        mo.write_bytes(compiled)
        i18n._entries.cache_clear()
        i18n._templates.cache_clear()
    assert compiled == i18n.compile_catalog(), "compiling is not deterministic"
    assert mo.read_bytes() == compiled, "the .mo is stale: run with CONTRACTGEN_UPDATE_GOLDEN=1"


def test_catalog_entries_are_well_formed() -> None:
    from babel.messages.pofile import read_po

    with i18n.po_path().open("rb") as handle:
        catalog = read_po(handle)
    entries = [m for m in catalog if m.id]
    assert len(entries) > 150
    for m in entries:
        where = f"{m.context}: {m.id!r}"
        assert m.context in CONTEXTS, where
        assert m.string and not m.fuzzy, where
        assert set(i18n.FIELD.findall(m.string)) <= set(i18n.FIELD.findall(m.id)), where
        if m.context != "value" and LATIN_WORD.search(i18n.FIELD.sub("", m.id)):
            assert re.search(r"[\u4e00-\u9fff]", m.string), where
    assert {label for label in LABELS.values()} <= {m.id for m in entries if m.context == "preview"}


# --- which language -----------------------------------------------------------------------

@pytest.mark.parametrize("option, env, expected", [
    (None, {}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
    (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"CONTRACTGEN_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    (None, {"CONTRACTGEN_LANG": "zh"}, "zh"),
    (None, {"CONTRACTGEN_LANG": "auto", "LANG": "zh_CN.UTF-8"}, "zh"),
    ("auto", {"LANG": "zh_CN.UTF-8"}, "zh"),
    ("en", {"CONTRACTGEN_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
    ("zh", {"LANG": "en_US.UTF-8"}, "zh"),
])
def test_message_language(option, env, expected) -> None:
    assert i18n.resolve_lang(option, env) == expected


# --- translations -------------------------------------------------------------------------

@pytest.mark.parametrize("case", MESSAGES, ids=lambda c: f"{c['context']}:{c['en'][:40]}")
def test_reviewed_translation(case) -> None:
    assert i18n.translate(case["en"], case["context"], "zh") == case["zh"]
    assert i18n.translate(case["en"], case["context"], "en") == case["en"]


def test_every_message_kind_has_a_reviewed_case() -> None:
    """A template of a rule, of ``cause`` or an error of ``cli`` that no case in
    messages.yaml exercises is an untested translation."""
    used = set()
    for case in MESSAGES:
        for pattern, _ in i18n._templates("zh", case["context"]):
            if pattern.fullmatch(case["en"]):
                used.add((case["context"], pattern.pattern))
                break
    fixed = {"Error: {message}", "{n} file(s) checked: {errors} error(s), {warnings} warning(s)", "error",
             "warning", "cause: {summary} ({count} findings below)", "no findings", "built {path}: {summary}",
             "{errors} error(s), {warnings} warning(s)", "note: {config} switches off {count} check rule(s): {rules}"}
    missing = [(context, msgid) for context, table in i18n._entries("zh").items()
               if context not in ("value", "preview") for msgid in table
               if (context, i18n._pattern(msgid).pattern) not in used and not (context == "cli" and msgid in fixed)]
    assert missing == []


def test_a_message_no_template_matches_stays_english() -> None:
    assert i18n.translate("reference to 第七条, which was never there", "dangling-reference", "zh") \
        == "reference to 第七条, which was never there"
    # a template of another rule is not tried
    assert i18n.translate("unfilled placeholder 'XX'", "drafting-leftover", "zh") == "unfilled placeholder 'XX'"


def _all_findings(tmp_path: Path) -> list:
    found = []
    for n, rule in enumerate(RULES):
        for kind in ("bad", "good"):
            folder = tmp_path / f"{n}-{kind}"
            folder.mkdir()
            for path in examples(rule, kind, folder):
                found += findings(path, folder)
    check = TESTS / "data" / "check"
    files = [p for p in sorted(check.rglob("*")) if p.suffix in (".txt", ".md", ".docx")
             and p.name != "README.md" and "docx" not in p.relative_to(check).parts[0]]
    files += sorted(check.rglob("contract-set.yaml"))
    for case in sorted((check / "docx").iterdir()):
        dest = tmp_path / f"docx-{case.name}"
        dest.mkdir()
        files.append(build_case(case, dest))
    for _path, fs in collect(files):
        found += fs
    return found


def test_every_finding_of_the_examples_and_fixtures_is_translated(tmp_path: Path) -> None:
    """Coverage: every message, suggestion and cause line the rule examples and the check
    fixtures give has a Chinese translation (a text with no English words needs none)."""
    texts = set()
    for f in _all_findings(tmp_path):
        texts.add((f.code, f.message))
        if f.suggestion:
            texts.add((f.code, f.suggestion))
        if f.cause is not None:
            texts.add(("cause", f.cause.summary))
    english = {(code, text) for code, text in texts if LATIN_WORD.search(text)}
    untranslated = sorted((code, text) for code, text in english if i18n.match(text, code, "zh") is None)
    assert len(english) > 300 and {code for code, _ in english} >= {r.code for r in RULES}
    assert untranslated == []


# --- the commands -------------------------------------------------------------------------

def _run(runner, monkeypatch, args, env):
    monkeypatch.chdir(ROOT)
    full_env = {name: None for name in LANG_VARS} | env
    return runner.invoke(main, [str(a) for a in args], env=full_env)


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c["name"])
def test_cli_output(runner, monkeypatch, case) -> None:
    result = _run(runner, monkeypatch, case["args"], case["env"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    shown = f"exit: {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    compare_golden(shown, DATA / "cli" / f"{case['name']}.txt")


def test_json_keeps_codes_and_gives_both_texts(runner, monkeypatch) -> None:
    args = ["check", "--format", "json", "tests/data/causes/zh-delete-article/input.docx"]
    zh = json.loads(_run(runner, monkeypatch, args, {"LANG": "zh_CN.UTF-8"}).stdout)
    en = json.loads(_run(runner, monkeypatch, args, {"LANG": "en_US.UTF-8"}).stdout)
    assert (zh["message_lang"], en["message_lang"]) == ("zh", "en")
    zh_findings, en_findings = zh["files"][0]["findings"], en["files"][0]["findings"]
    assert [f["code"] for f in zh_findings] == [f["code"] for f in en_findings]
    for z, e in zip(zh_findings, en_findings):
        assert z["message_en"] == e["message"] and "message_en" not in e
        assert re.search(r"[\u4e00-\u9fff]", z["message"]) and z["message"] != e["message"]
    assert zh["files"][0]["causes"][0]["summary_en"] == en["files"][0]["causes"][0]["summary"]


def test_library_output_is_english_unless_asked(tmp_path: Path) -> None:
    results = collect([TESTS / "data" / "check" / "cases" / "typo-huge-article-number.txt"])
    assert "numbering jumps" in as_text(results) and '"message_lang": "en"' in as_json(results)
    assert "编号从" in as_text(results, lang="zh") and "已检查1个文件" in as_text(results, lang="zh")


# --- the preview ----------------------------------------------------------------------------

def _panel(lang: str) -> tuple[str, list[str]]:
    i18n.set_lang(lang)
    source = PreviewSource(TESTS / "data" / "check" / "cases" / "typo-huge-article-number.txt", None)
    root = lxml_html.fromstring(render_preview(source)[0])
    panel = root.get_element_by_id("findings")
    title = panel.find_class("panel-title")[0].text_content()
    return title, [li.text_content() for li in panel.find_class("sev-error")][:1]


def test_preview_labels_in_both_languages() -> None:
    assert _panel("en") == ("Findings: 2 errors", ["line 5 numbering-gap numbering jumps from 第二条 to "
                                                   "第3000000条 (3–2999999 missing)"])
    assert _panel("zh") == ("检查结果：2个错误", ["第5行 numbering-gap 编号从第二条跳至第3000000条（缺少编号3–2999999）"])
    assert label("cited-by", "zh") == "被引用于" and label("cited-by", "en") == "Cited by"
    assert label("findings-title", "zh", summary="1个警告") == "检查结果：1个警告"


def test_a_finding_formatted_for_an_error_message() -> None:
    from contractgen.diagnostics import Finding
    from contractgen.model import SourcePos

    found = Finding("dangling-reference", "error", "reference to 第七条, which does not exist",
                    SourcePos("clauses/a.md", 3), suggestion="did you mean 第六条?")
    assert i18n.format_finding(found, "en") == found.format()
    assert i18n.format_finding(found, "zh") == "clauses/a.md:3: 错误 dangling-reference: 所引用的第七条不存在；建议：是否应为第六条？"
