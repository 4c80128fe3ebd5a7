"""DOCX-specific check rules on legacy files built the way Word writes them.

Each folder under tests/data/check/docx/ is one case: the inner XML of ``w:body``
(body.xml) and, when needed, styles.xml, numbering.xml and comments.xml, built into a DOCX
with tests/docx_factory.py; expected.json holds the reviewed findings of every rule. Add a
case by adding a folder; `make golden` rewrites the expected files for review.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TESTS, compare_golden
from contractgen.checks import run_checks
from contractgen.checks.fields import expected_results, toc_entry_problem
from contractgen.readers.docx import read_docx
from contractgen.views import FieldUse, Target
from docx_factory import build_case as build_folder_case, build_docx, numbering_xml, level, para

CASES = TESTS / "data" / "check" / "docx"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "body.xml").exists())


def build_case(name: str, dest: Path) -> Path:
    return build_folder_case(CASES / name, dest)


def findings(name: str, tmp_path: Path) -> list:
    return run_checks(read_docx(build_case(name, tmp_path)))


def codes(name: str, tmp_path: Path) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in findings(name, tmp_path)]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_matches_golden(name: str, tmp_path: Path) -> None:
    found = [f.as_dict() for f in findings(name, tmp_path)]
    compare_golden(json.dumps(found, ensure_ascii=False, indent=2) + "\n", CASES / name / "expected.json")


def test_word_legacy_contract_checks_clean(tmp_path: Path) -> None:
    """Auto-numbered 第X条, REF fields with cached results, a TOC with hyperlinks and PAGEREF."""
    doc = read_docx(build_case("word-clean", tmp_path))
    [view] = doc.docx
    assert len(view.refs) == 10 + 6  # 10 PAGEREF in the TOC, 6 REF in the text
    assert [t.kind for t in view.tocs] == ["sdt+field"]
    assert run_checks(doc) == []


def test_deleted_article_makes_fields_and_toc_stale(tmp_path: Path) -> None:
    """第二条 deleted in Word without updating fields: every later number moved up by one."""
    found = codes("word-article-deleted", tmp_path)
    assert [line for code, line in found if code == "stale-toc"] == list(range(6, 15))
    assert [line for code, line in found if code == "stale-field-result"] == [20, 27, 29, 31, 31]
    # the TOC entry's PAGEREF to the deleted heading is the stale entry, reported once
    assert not [c for c in found if c[0] in ("broken-field-reference", "toc-mismatch")]
    assert {code for code, _ in found} == {"stale-toc", "stale-field-result"}


def test_stale_messages_name_cached_and_current_numbers(tmp_path: Path) -> None:
    by_line = {(f.code, f.line): f.message for f in findings("word-article-deleted", tmp_path)}
    assert "shows '第三条' but its target now reads '第二条'" in by_line[("stale-field-result", 20)]
    assert "'第三条 服务费用' is stale" in by_line[("stale-toc", 7)] and "'第二条 服务费用'" in by_line[("stale-toc", 7)]
    assert "no longer exists (bookmark '_Toc2')" in by_line[("stale-toc", 6)]


def test_removed_bookmark_breaks_the_field(tmp_path: Path) -> None:
    found = findings("word-bookmark-removed", tmp_path)
    assert [(f.code, f.line) for f in found] == [("broken-field-reference", 33)]
    assert "'_Ref7'" in found[0].message and "'第七条'" in found[0].message


def test_bookmark_names_match_without_case(tmp_path: Path) -> None:
    body = (para("x") + '<w:p><w:bookmarkStart w:id="1" w:name="_Ref9"/><w:r><w:t>定义</w:t></w:r>'
            '<w:bookmarkEnd w:id="1"/></w:p>' + _ref_para("_REF9", "", "定义"))
    assert _field_codes(tmp_path, body) == []


def _ref_para(bookmark: str, switches: str, cached: str) -> str:
    return ('<w:p><w:r><w:t>见</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> REF {bookmark} {switches} \\h </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{cached}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def _field_codes(tmp_path: Path, body: str, numbering: str | None = None) -> list[tuple[str, int]]:
    doc = read_docx(build_docx(tmp_path / "f.docx", body, numbering=numbering))
    return [(f.code, f.line) for f in run_checks(doc) if f.code in ("broken-field-reference", "stale-field-result")]


HEADING = '<w:p><w:bookmarkStart w:id="1" w:name="_Ref3"/><w:r><w:t>{}</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p>'


@pytest.mark.parametrize("heading, cached, expected", [
    ("服务费用", "服务费用", []),                          # the bookmarked text, as cached
    ("服务费及支付", "服务费用", [("stale-field-result", 2)]),  # heading retitled after the field was made
    ("服务费用", "", [("stale-field-result", 2)]),           # a REF that shows nothing
    ("Fees and Payment", "FEES AND PAYMENT", []),           # a \\* Upper result differs only in case
])
def test_ref_without_number_switch_compares_the_bookmarked_text(tmp_path: Path, heading, cached, expected) -> None:
    assert _field_codes(tmp_path, HEADING.format(heading) + _ref_para("_Ref3", "", cached)) == expected


ARTICLES = numbering_xml({0: [level(0, "chineseCountingThousand", "第%1条", extra='<w:suff w:val="space"/>'),
                             level(1, "chineseCounting", "（%2）")]}, {1: 0})


def _numbered(text: str, ilvl: int, bookmark: str = "") -> str:
    mark = f'<w:bookmarkStart w:id="5" w:name="{bookmark}"/>' if bookmark else ""
    end = '<w:bookmarkEnd w:id="5"/>' if bookmark else ""
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>{mark}'
            f'<w:r><w:t>{text}</w:t></w:r>{end}</w:p>')


@pytest.mark.parametrize("switches, cached, stale", [
    ("\\r", "（二）", False),          # own label
    ("\\w", "第二条（二）", False),     # full context
    ("\\n", "（二）", False),
    ("\\r \\t", "二", False),          # \t drops the text around the number
    ("\\r", "（一）", True),
    ("\\w", "第一条（二）", True),
    ("\\r \\p", "（一）", False),      # "above"/"below" depends on the page: not judged
])
def test_number_switches(tmp_path: Path, switches: str, cached: str, stale: bool) -> None:
    body = (_numbered("定义", 0) + _numbered("费用", 0) + _numbered("费率", 1) + _numbered("发票", 1, "_Ref22")
            + _ref_para("_Ref22", switches, cached))
    assert _field_codes(tmp_path, body, ARTICLES) == ([("stale-field-result", 5)] if stale else [])


def test_number_switch_on_an_unnumbered_paragraph_is_not_judged() -> None:
    use = FieldUse("REF", "REF _Ref1 \\r \\h", "第四条", 3, "_Ref1", ["\\r", "\\h"])
    assert expected_results(use, Target(1, "", "", "第四条 数据质量标准", "第四条 数据质量标准")) is None


@pytest.mark.parametrize("entry, shown, number, problem", [
    ("第一条 定义", "第一条 定义", "第一条", False),
    ("第一条\t定义", "第一条 定义", "第一条", False),
    ("第二条 定义", "第一条 定义", "第一条", True),
    ("第一条 术语", "第一条 定义", "第一条", True),
    ("主合同", "主合同", "", False),
    ("Section 1.1 Definitions", "Section 1.1 Definitions", "Section 1.1", False),
    ("1.2 Definitions", "1.1 Definitions", "1.1", True),
    # A TOC field's line is Word's copy of its heading: a title that differs at all (here a heading
    # shortened after the TOC was last updated) is stale, however close it is.
    ("第一条 定义与解释说明", "第一条 定义与解释", "第一条", True),
    ("第一条  定义与解释。", "第一条 定义与解释", "第一条", False),  # spacing and punctuation aside
])
def test_toc_entry_problem(entry: str, shown: str, number: str, problem: bool) -> None:
    title = shown[len(number):].strip()
    assert toc_entry_problem(entry, Target(9, number, number, title, shown)) is problem


def test_leftovers_fire_once_each_but_not_in_the_cover_control(tmp_path: Path) -> None:
    found = [f for f in findings("leftovers", tmp_path) if f.code == "drafting-leftover"]
    messages = [(f.line, f.message) for f in found]
    assert [line for line, _ in messages] == [3, 5, 5, 7, 7]
    assert not any("甲方公司名称" in m for _, m in messages)  # the cover page's placeholder control
    assert any("comment by 法务" in m and "请核对金额" in m for _, m in messages)
    assert any("deletion by 张三: '一年'" in m for _, m in messages)
    assert any("insertion by 李四: '两年'" in m for _, m in messages)
    assert any("'100,000' (yellow)" in m for _, m in messages)


def test_font_warnings_per_paragraph_or_once_per_file(tmp_path: Path) -> None:
    assert codes("fonts-some-missing", tmp_path) == [("missing-east-asian-font", 3), ("missing-east-asian-font", 7)]
    found = findings("fonts-all-missing", tmp_path)
    assert [(f.code, f.line) for f in found if f.code == "missing-east-asian-font"] == [("missing-east-asian-font", 1)]
    assert "none of the 5 Chinese paragraphs" in found[0].message


def test_typed_references_warn_only_where_word_numbers_the_articles(tmp_path: Path) -> None:
    found = [f for f in findings("typed-refs-auto-numbered", tmp_path) if f.code == "hard-typed-reference"]
    assert [(f.line, f.severity) for f in found] == [(3, "warning"), (9, "warning")]
    assert "'第三条（服务费用）'" in found[0].message  # not the law citation, not the REF-made 第1.1条
    assert [c for c in codes("typed-refs-typed-numbers", tmp_path) if c[0] == "hard-typed-reference"] == []


def _contractgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("contractgen")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("template", ["huzhou-cs-outsourcing", "services-agreement-en", "consultancy-agreement-gb"])
def test_generated_docx_reads_back_with_no_findings(template: str, tmp_path: Path) -> None:
    """Our own DOCX output, read back as a legacy file, must satisfy every rule."""
    folder = ROOT / "templates" / template
    built = _contractgen("build", str(folder), "--data", str(folder / "sample-data.yaml"), "--out", str(tmp_path),
                         "--format", "docx")
    assert built.returncode == 0, built.stderr
    docx = next(tmp_path.glob("*.docx"))
    checked = _contractgen("check", str(docx))
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.strip().endswith("1 file(s) checked: 0 error(s), 0 warning(s)"), checked.stdout
    [view] = read_docx(docx).docx
    assert view.refs and view.tocs and view.targets  # the rules had fields to look at


def test_heading_added_after_the_toc_was_made_is_missing_from_it(tmp_path: Path) -> None:
    folder = CASES / "word-clean"
    body = (folder / "body.xml").read_text(encoding="utf-8")
    added = '<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>通知</w:t></w:r></w:p>\n'
    anchor = '<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:bookmarkStart w:id="10" w:name="_Toc8"/>'
    assert anchor in body
    path = build_docx(tmp_path / "added.docx", body.replace(anchor, added + anchor),
                      styles=(folder / "styles.xml").read_text(encoding="utf-8"),
                      numbering=(folder / "numbering.xml").read_text(encoding="utf-8"))
    found = [f for f in run_checks(read_docx(path)) if f.code == "stale-toc"]
    assert [(f.line, f.message.split(":")[0]) for f in found] == [
        (14, "TOC entry '第八条 其他' is stale"), (32, "heading '第八条 通知' is missing from the TOC")]


def test_field_rules_cover_every_docx_of_a_contract_set(tmp_path: Path) -> None:
    """A contract set carries one field view per DOCX file (``doc.docx``)."""
    main = read_docx(build_case("word-bookmark-removed", tmp_path))
    other = read_docx(build_case("word-article-deleted", tmp_path)).docx
    main.docx = [*main.docx, *other]
    found = {(Path(f.source.path).name, f.code) for f in run_checks(main) if f.code in ("broken-field-reference", "stale-toc")}
    assert found == {("word-bookmark-removed.docx", "broken-field-reference"), ("word-article-deleted.docx", "stale-toc")}
