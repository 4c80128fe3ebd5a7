"""Contract sets: every folder in tests/data/check/sets holds a main contract, its addenda
and attachment files, a contract-set.yaml naming them, and expected.json (the findings per
file, paths relative to the folder). Both ways of naming a set must give the golden:
the YAML, and the files on the command line with --set. `make golden` rewrites them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contractgen.cli import main
from contractgen.checking import as_json, check_file, collect
from contractgen.readers.contract_set import read_set, set_from_paths, set_from_yaml

from conftest import TESTS, compare_golden
from docx_factory import build_docx, para

SETS = TESTS / "data" / "check" / "sets"
CASES = sorted(d for d in SETS.iterdir() if (d / "contract-set.yaml").is_file())


def _relative_json(results, folder: Path) -> str:
    data = json.loads(as_json(results))
    for entry in data["files"]:
        entry["path"] = Path(entry["path"]).relative_to(folder).as_posix()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_yaml_set_matches_golden(case: Path) -> None:
    compare_golden(_relative_json(collect([case / "contract-set.yaml"]), case), case / "expected.json")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_file_list_with_set_gives_the_same_findings(case: Path) -> None:
    main_file, *others = set_from_yaml(case / "contract-set.yaml").files
    results = collect([main_file, *reversed(others)], as_set=True)  # attachments are found by title
    assert _relative_json(results, case) == (case / "expected.json").read_text(encoding="utf-8")


def _codes(results) -> dict[str, list[tuple[str, int]]]:
    return {path.name: [(f.code, f.line) for f in found] for path, found in results}


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def test_clean_sets_have_no_errors() -> None:
    for name in ("zh-clean", "en-clean"):
        results = collect([SETS / name / "contract-set.yaml"])
        assert [f for _, fs in results for f in fs if f.severity == "error"] == [], name


def test_deleted_article_is_reported_in_the_addendum_at_its_line() -> None:
    case = SETS / "zh-deleted-article"
    found = _codes(collect([case / "contract-set.yaml"]))
    assert ("dangling-reference", _line_of(case / "addendum.md", "主合同第六条")) in found["addendum.md"]
    assert [code for code, _ in found["main.md"]] == ["numbering-gap"]


def test_deleted_section_is_reported_in_the_amendment() -> None:
    case = SETS / "en-deleted-section"
    results = collect([case / "contract-set.yaml"])
    messages = [f.message for path, fs in results if path.name == "amendment.md" for f in fs]
    assert "reference to Section 4 in the Agreement (main.md), which does not exist" in messages


def test_attachment_files_count_as_present() -> None:
    alone = [f.code for f in check_file(SETS / "zh-clean" / "main.md")]
    assert alone.count("missing-attachment") == 2  # without the set, 附件1 and 附件2 have no content
    found = _codes(collect([SETS / "zh-clean" / "contract-set.yaml"]))
    assert not any(code == "missing-attachment" for codes in found.values() for code, _ in codes)


def test_attachment_title_mismatch_is_reported_in_the_attachment_file() -> None:
    results = collect([SETS / "zh-attachment-title-mismatch" / "contract-set.yaml"])
    found = [(path.name, f.code, f.line, f.message) for path, fs in results for f in fs]
    assert found == [("annex-2.md", "attachment-title-mismatch", 1,
                      "附件2 is titled '付款计划' but the register in main.md (line 53) lists 附件2 as '报价单'")]


def test_files_are_classified_by_title() -> None:
    case = SETS / "zh-clean"
    cset, _ = set_from_paths([case / "main.md", case / "annex-2.md", case / "addendum.md", case / "annex-1.md"])
    assert cset.addenda == [case / "addendum.md"]
    assert cset.attachments == {1: case / "annex-1.md", 2: case / "annex-2.md"}


def test_merged_document_keeps_each_file_and_marks_the_parts() -> None:
    doc = read_set(set_from_yaml(SETS / "zh-clean" / "contract-set.yaml"))
    kinds = [(p.kind, Path(p.pos.path).name if p.pos else None, p.number_text) for p in doc.parts]
    assert kinds[-3:] == [("addendum", "addendum.md", ""), ("attachment", "annex-1.md", "附件1"),
                          ("attachment", "annex-2.md", "附件2")]
    assert {Path(b.pos.path).name for p in doc.parts if p.kind == "addendum" for b in p.blocks} == {"addendum.md"}
    assert len({p.id for p in doc.parts}) == len(doc.parts)


@pytest.mark.parametrize("first_line, codes", [
    ("# 服务标准", []),                                  # no 附件 head: the YAML gives the number
    ("# 保密协议", ["attachment-title-mismatch"]),
    ("# 附件1\n\n## 服务标准", []),                     # the title on the line after the head
])
def test_yaml_attachment_without_a_head(tmp_path: Path, first_line: str, codes: list[str]) -> None:
    for name in ("main.md", "addendum.md", "annex-2.md"):
        shutil.copy(SETS / "zh-clean" / name, tmp_path / name)
    (tmp_path / "standards.md").write_text(f"{first_line}\n\n工作日9时至18时提供现场服务。\n", encoding="utf-8")
    (tmp_path / "set.yaml").write_text("main: main.md\naddenda: addendum.md\n"
                                       "attachments:\n  1: standards.md\n  '2': annex-2.md\n", encoding="utf-8")
    found = _codes(collect([tmp_path / "set.yaml"]))
    assert [code for codes_ in found.values() for code, _ in codes_] == codes
    assert [line for code, line in found["standards.md"]] == [1] * len(codes)


# --- the same sets as Word files --------------------------------------------------------------

_STYLES = ('<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="SimSun"/>'
           '</w:rPr></w:rPrDefault></w:docDefaults>')


def _md_to_docx(source: Path, target: Path) -> Path:
    """One Word paragraph per non-blank Markdown line (headings lose their '#')."""
    lines = [ln.lstrip("#").strip() for ln in source.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return build_docx(target, "".join(para(text) for text in lines), styles=_STYLES)


def _docx_case(name: str, tmp_path: Path) -> list[Path]:
    case = SETS / name
    for annex in ("annex-1.md", "annex-2.md"):
        shutil.copy(case / annex, tmp_path / annex)
    main_docx = _md_to_docx(case / "main.md", tmp_path / "main.docx")
    addendum_docx = _md_to_docx(case / "addendum.md", tmp_path / "addendum.docx")
    (tmp_path / "set.yaml").write_text(
        "main: main.docx\naddenda: [addendum.docx]\nattachments: {1: annex-1.md, 2: annex-2.md}\n", encoding="utf-8")
    return [main_docx, addendum_docx, tmp_path / "annex-1.md", tmp_path / "annex-2.md"]


def test_docx_set_clean_has_no_errors(tmp_path: Path) -> None:
    files = _docx_case("zh-clean", tmp_path)
    for results in (collect(files, as_set=True), collect([tmp_path / "set.yaml"])):
        assert [p.name for p, _ in results] == ["main.docx", "addendum.docx", "annex-1.md", "annex-2.md"]
        assert [f for _, fs in results for f in fs if f.severity == "error"] == []


def test_docx_set_deleted_article_names_the_addendum_paragraph(tmp_path: Path) -> None:
    files = _docx_case("zh-deleted-article", tmp_path)
    paragraphs = [ln.lstrip("#").strip() for ln in (SETS / "zh-deleted-article" / "addendum.md")
                  .read_text(encoding="utf-8").splitlines() if ln.strip()]
    line = next(i for i, text in enumerate(paragraphs, 1) if "主合同第六条" in text)
    for results in (collect(files, as_set=True), collect([tmp_path / "set.yaml"])):
        found = _codes(results)
        assert ("dangling-reference", line) in found["addendum.docx"]
        assert [code for code, _ in found["main.docx"]] == ["numbering-gap"]


def test_docx_rules_see_every_word_file_of_a_set(tmp_path: Path) -> None:
    files = _docx_case("zh-clean", tmp_path)
    build_docx(files[1], "".join(para(ln.lstrip("#").strip()) for ln in (SETS / "zh-clean" / "addendum.md")
                                 .read_text(encoding="utf-8").splitlines() if ln.strip()))  # no East Asian font
    found = _codes(collect(files, as_set=True))
    assert {code for code, _ in found["addendum.docx"]} == {"missing-east-asian-font"}
    assert found["main.docx"] == []


# --- naming a set badly: exit 2 with the file named -----------------------------------------

@pytest.mark.parametrize("text, needle", [
    ("main: [unclosed\n", "not valid YAML"),
    ("- main.md\n", "a contract set is a mapping"),
    ("addenda: [addendum.md]\n", "'main' must name the main contract's file"),
    ("main: main.md\naddendum: [addendum.md]\n", "unknown key 'addendum' in the contract set; did you mean 'addenda'?"),
    ("main: nowhere.md\n", "main: "),
    ("main: main.md\naddenda: [gone.md]\n", "gone.md: no such file"),
    ("main: main.md\nattachments: [annex-1.md]\n", "'attachments' must map numbers to files"),
    ("main: main.md\nattachments: {first: annex-1.md}\n", "must be a number and a file name"),
])
def test_bad_set_files_exit_two(runner, tmp_path: Path, text: str, needle: str) -> None:
    for name in ("main.md", "addendum.md", "annex-1.md"):
        shutil.copy(SETS / "zh-clean" / name, tmp_path / name)
    path = tmp_path / "contract-set.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and needle in result.output
    assert "Traceback" not in result.output


def test_set_misuse_exits_two(runner) -> None:
    case = SETS / "zh-clean"
    for args, needle in (
        (["--set", str(case / "contract-set.yaml")], "names its own files"),
        (["--set", str(case / "main.md"), str(case / "annex-1.md"), str(case / "annex-1.md")], "附件1 is already given"),
        (["--set", str(case / "main.md"), str(case / "missing.md")], "no such file"),
    ):
        result = runner.invoke(main, ["check", *args])
        assert result.exit_code == 2, args
        assert needle in result.output


def test_cli_set_output_groups_findings_per_file(runner) -> None:
    case = SETS / "zh-deleted-article"
    files = [str(case / n) for n in ("main.md", "addendum.md", "annex-1.md", "annex-2.md")]
    result = runner.invoke(main, ["check", "--set", *files])
    assert result.exit_code == 1
    line = _line_of(case / "addendum.md", "主合同第六条")
    assert f"{case / 'addendum.md'}:{line}: error dangling-reference: reference to 第六条 in 本合同 (main.md)" in result.output
    assert result.output.rstrip().endswith("4 file(s) checked: 2 error(s), 0 warning(s)")
    data = json.loads(runner.invoke(main, ["check", "--format", "json", str(case / "contract-set.yaml")]).output)
    assert [Path(f["path"]).name for f in data["files"]] == ["main.md", "addendum.md", "annex-1.md", "annex-2.md"]
    assert (data["errors"], data["warnings"]) == (2, 0)
