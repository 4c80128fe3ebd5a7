"""Findings that explain a cause (issue 18): one deleted, inserted or moved article in Word
is said once, with the findings that follow from it grouped under it — or, when the
evidence does not fit one event, nothing changes.

Each case in tests/data/causes/ is a sample contract (zh or en) built to DOCX and edited as
Word edits it (the helpers of test_docx_edits.py), with the exact ``check`` output in text
(expected.txt) and JSON (expected.json) and the exit code. ``CONTRACTGEN_UPDATE_GOLDEN=1``
rebuilds input.docx from the samples and rewrites the expected files for review.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from contractgen.checking import check_file
from contractgen.checks.causes import Event
from contractgen.checks import run_checks
from contractgen.cli import main
from contractgen.readers import read_path
from contractgen.writers.docx import DocxWriter

from conftest import TESTS, UPDATE_GOLDEN, compare_golden
from docx_inspect import W
from helpers import build
from test_docx_edits import SAMPLES, Body, delete_article, duplicate_article, edit, move_article, word_numbers

DATA = TESTS / "data" / "causes"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def stale_cache(bookmark: str, shown: str) -> Callable[[Body], None]:
    """Give every REF field to ``bookmark`` the cached result ``shown`` (fields not updated
    after someone typed over them, or after edits we cannot retrace)."""
    def change(b: Body) -> None:
        found = 0
        for instr in b.body.iter(f"{W}instrText"):
            if instr.text and instr.text.split()[:2] == ["REF", bookmark]:
                run = instr.getparent()
                while run.find(f"{W}fldChar[@{W}fldCharType='separate']") is None:
                    run = run.getnext()
                run.getnext().find(f"{W}t").text = shown
                found += 1
        assert found, f"no REF {bookmark}"
    return change


def type_subclause_numbers(lang: str) -> Callable[[Body], None]:
    """Sections and sub-clauses typed ("4.1 保密信息范围"), articles numbered by Word: a
    legacy contract, where a deleted article leaves typed numbers under the wrong article."""
    def change(b: Body) -> None:
        for paragraph, (label, _) in zip(b.numbered(), word_numbers(b, lang)):
            if b.level(paragraph) == 1:
                continue
            props = paragraph.find(f"{W}pPr")
            for old in props.findall(f"{W}numPr"):
                props.remove(old)
            numbering = etree.Element(f"{W}numPr")  # numId 0: no list, whatever the style says
            etree.SubElement(numbering, f"{W}ilvl").set(f"{W}val", "0")
            etree.SubElement(numbering, f"{W}numId").set(f"{W}val", "0")
            style = props.find(f"{W}pStyle")
            props.insert(0 if style is None else props.index(style) + 1, numbering)
            run = etree.Element(f"{W}r")
            text = etree.SubElement(run, f"{W}t")
            text.text, text.attrib[XML_SPACE] = f"{label} ", "preserve"
            props.addnext(run)
    return change


def both(*changes: Callable[[Body], None]) -> Callable[[Body], None]:
    def change(b: Body) -> None:
        for c in changes:
            c(b)
    return change


# name: (sample, edit, the cause's kind or None for none)
CASES: dict[str, tuple[str, Callable[[Body], None], str | None]] = {
    "zh-delete-article": ("zh", delete_article, "deleted"),
    "en-delete-article": ("en", delete_article, "deleted"),
    # the legacy file: TOC entries and typed section numbers all one article off
    "zh-delete-article-typed-sections": ("zh", both(type_subclause_numbers("zh"), delete_article), "deleted"),
    "zh-move-article": ("zh", move_article, "moved"),
    "en-insert-article": ("en", duplicate_article, "inserted"),
    # 第六条 shown as 第八条 and 5.4 as 3.4: stale, but off by two in opposite directions
    "zh-unrelated-stale-fields": ("zh", both(stale_cache("_Ref100000006", "第八条"),
                                             stale_cache("_Ref100000005", "3.4")), None),
    # an article deleted, and one cross-reference off by three: not one event any more
    "zh-delete-and-unrelated-stale": ("zh", both(delete_article, stale_cache("_Ref100000007", "第九条")), None),
}


@pytest.fixture(scope="module")
def inputs() -> dict[str, Path]:
    """Each case's input.docx, rebuilt from the samples under CONTRACTGEN_UPDATE_GOLDEN=1."""
    if UPDATE_GOLDEN:
        built = {lang: DocxWriter().render(build(folder, check=False)) for lang, folder in SAMPLES.items()}
        for name, (lang, change, _) in CASES.items():
            (DATA / name).mkdir(parents=True, exist_ok=True)
            (DATA / name / "input.docx").write_bytes(edit(built[lang], change, lang).docx)
    return {name: DATA / name / "input.docx" for name in CASES}


@pytest.fixture
def run(runner, monkeypatch):
    """``contractgen check input.docx`` from the case folder, so paths print as input.docx."""
    def invoke(folder: Path, *args: str):
        monkeypatch.chdir(folder)
        return runner.invoke(main, ["check", "input.docx", *args])
    return invoke


@pytest.mark.parametrize("name", CASES)
def test_text_output(run, inputs, name: str) -> None:
    result = run(DATA / name)
    assert result.exit_code == 1, result.output
    compare_golden(result.output, DATA / name / "expected.txt")


@pytest.mark.parametrize("name", CASES)
def test_json_output(run, inputs, name: str) -> None:
    result = run(DATA / name, "--format", "json")
    assert result.exit_code == 1, result.output
    compare_golden(result.output, DATA / name / "expected.json")


@pytest.mark.parametrize("name", CASES)
def test_one_cause_or_none(run, inputs, name: str) -> None:
    """A caused case says it once, before its findings, each of which points to it; the
    others print every finding as before, at the start of its line, with no cause."""
    kind = CASES[name][2]
    text = run(DATA / name).output.splitlines()
    data = json.loads(run(DATA / name, "--format", "json").output)
    (entry,) = data["files"]
    causes = [line for line in text if line.startswith("input.docx: cause: ")]
    if kind is None:
        assert causes == [] and "causes" not in entry
        assert all("cause" not in f for f in entry["findings"])
        assert not any(line.startswith("  input.docx") for line in text)
        return
    (cause,) = entry["causes"]
    assert cause["kind"] == kind and causes == [f"input.docx: cause: {cause['summary']} ({cause['count']} findings below)"]
    grouped = [f for f in entry["findings"] if f.get("cause") == "c1"]
    assert len(grouped) == cause["count"] >= 10 and sum(cause["codes"].values()) == cause["count"]
    assert {f["code"] for f in grouped} >= {"stale-toc", "stale-field-result"}
    # the grouped findings follow the cause line, indented
    start = text.index(causes[0])
    assert all(line.startswith("  input.docx:") for line in text[start + 1:start + 1 + 2 * len(grouped):2])


def test_grouping_changes_no_finding_or_severity(inputs) -> None:
    """The same findings, in the same order, with the severities the rules give; only
    ``cause`` is added (the exit codes are asserted with the outputs above)."""
    for name in CASES:
        plain = [(f.code, f.severity, f.line, f.message) for f in run_checks(read_path(inputs[name]))]
        found = check_file(inputs[name])
        assert [(f.code, f.severity, f.line, f.message) for f in found] == plain
        assert any(f.cause for f in found) == (CASES[name][2] is not None)


def test_the_deleted_article_is_named() -> None:
    """The summaries name the article that went, as the TOC showed it."""
    zh = json.loads((DATA / "zh-delete-article" / "expected.json").read_text(encoding="utf-8"))
    en = json.loads((DATA / "en-delete-article" / "expected.json").read_text(encoding="utf-8"))
    assert zh["files"][0]["causes"][0]["summary"].startswith("第三条 (服务费用) appears to have been deleted: 9 TOC entries")
    assert en["files"][0]["causes"][0]["summary"].startswith("Article 3 (Fees and Payment) appears to have been deleted")
    assert "2 cross-references point into it" in en["files"][0]["causes"][0]["summary"]


@pytest.mark.parametrize(("event", "before", "after"), [
    (Event("deleted", "p", 3), [1, 2, 3, 4, 5], [1, 2, None, 3, 4]),
    (Event("inserted", "p", 2), [1, 2, 3], [1, 3, 4]),
    (Event("moved", "p", 5, 2), [1, 2, 3, 4, 5, 6], [1, 3, 4, 5, 2, 6]),
    (Event("moved", "p", 2, 4), [1, 2, 3, 4, 5], [1, 4, 2, 3, 5]),
])
def test_events_renumber_as_word_does(event: Event, before: list[int], after: list[int | None]) -> None:
    assert [event.maps(n) for n in before] == after


def test_a_stale_cache_edit_changes_the_field(inputs) -> None:
    """The helper of the negative cases does edit what it names (so they cannot pass idly)."""
    with zipfile.ZipFile(inputs["zh-unrelated-stale-fields"]) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    shown = [t.text for t in root.iter(f"{W}t")]
    assert "第八条" in shown and "3.4" in shown
