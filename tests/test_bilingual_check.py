"""The bilingual parity check (issue 21): pairing of legacy 中英文对照 contracts and the
``bilingual-…`` rules.

Each folder under tests/data/bilingual/ is one case, written by make_cases.py from one
contract in five layouts (interleaved paragraphs, article blocks, the whole Chinese text
then the whole English one, a Markdown table, a Word table): ``case.yaml`` names the rule
its planted mismatch must fire (null: the clean contract), ``expected.json`` is the
reviewed golden of every finding. `make golden` (CONTRACTGEN_UPDATE_GOLDEN=1) rewrites the
goldens for review.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, compare_golden
from contractgen.checks import RULES, run_checks
from contractgen.checks.base import CheckContext
from contractgen.checks.bilingual import pairing
from contractgen.checks.bilingual_units import text_lang
from contractgen.checks.bilingual_values import text_values
from contractgen.readers import read_path
from docx_factory import build_case

CASES = TESTS / "data" / "bilingual"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "case.yaml").is_file())
BILINGUAL = {r.code for r in RULES if r.family == "bilingual"}
CORPUS = TESTS / "data" / "corpus"
MONOLINGUAL = sorted([p for p in CORPUS.iterdir() if p.suffix in (".md", ".txt", ".docx") and p.name != "README.md"]
                     + [p for p in (TESTS / "data" / "check" / "cases").iterdir() if p.suffix in (".md", ".txt")])
REAL_BILINGUAL = ("zh-kwdb-ccla.md", "zh-kwdb-ccla.docx", "zh-kwdb-icla.md", "zh-kwdb-icla.docx", "zh-tongsuo-icla.md")

sys.path.insert(0, str(CASES))
import make_cases  # noqa: E402


def _input(name: str, tmp_path: Path) -> Path:
    folder = CASES / name
    if (folder / "body.xml").is_file():
        return build_case(folder, tmp_path)
    return next(p for p in sorted(folder.iterdir()) if p.stem == "contract")


def _findings(name: str, tmp_path: Path) -> list:
    return run_checks(read_path(_input(name, tmp_path)))


def test_committed_cases_are_what_make_cases_writes() -> None:
    written = make_cases.cases()
    assert sorted(written) == CASE_NAMES
    for folder, files in written.items():
        for file_name, text in files.items():
            assert (CASES / folder / file_name).read_text(encoding="utf-8") == text, f"{folder}/{file_name}"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_matches_golden(name: str, tmp_path: Path) -> None:
    found = [f.as_dict() for f in _findings(name, tmp_path)]
    compare_golden(json.dumps(found, ensure_ascii=False, indent=2) + "\n", CASES / name / "expected.json")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_planted_mismatch_is_found_once_naming_both_places(name: str, tmp_path: Path) -> None:
    planted = yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8"))["planted"]
    found = _findings(name, tmp_path)
    if planted is None:
        assert found == [], "a clean bilingual contract has no finding of any rule"
        return
    assert [f.code for f in found] == [planted]
    [finding] = found
    lines = {int(n) for n in re.findall(r"\bline (\d+)", finding.message)}
    layout_is_table = name.startswith("table-md")  # a Markdown table row is one line for both cells
    assert lines and (layout_is_table or lines - {finding.line}), finding.message


def test_planted_values_are_errors_and_the_rest_warnings(tmp_path: Path) -> None:
    severities = {f.code: f.severity for name in CASE_NAMES if name.startswith("interleaved-")
                  for f in _findings(name, tmp_path)}
    assert severities == {"bilingual-amount-mismatch": "error", "bilingual-period-mismatch": "error",
                          "bilingual-date-mismatch": "error", "bilingual-reference-mismatch": "error",
                          "bilingual-missing-translation": "warning", "bilingual-name-mismatch": "warning"}


def test_a_mismatch_in_units_paired_by_alignment_only_is_a_warning(tmp_path: Path) -> None:
    """Three Chinese paragraphs against two English ones: the pairs are a guess, so the
    amount that differs is a warning, as is the paragraph left without a counterpart."""
    path = tmp_path / "c.txt"
    path.write_text("第一条 服务费用\n服务费为人民币壹拾贰万伍仟元整（¥125,000.00）。\n乙方应于每月五日前提交上月的服务报告及发票。\n"
                    "甲方应按照本合同约定的方式向乙方支付服务费用。\n"
                    "Article 1 Fees\nThe service fee is RMB 152,000.00.\nParty A shall pay the fees to Party B "
                    "as this Agreement provides.\n", encoding="utf-8")
    found = {(f.code, f.severity) for f in run_checks(read_path(path)) if f.code in BILINGUAL}
    assert found == {("bilingual-amount-mismatch", "warning"), ("bilingual-missing-translation", "warning")}


@pytest.mark.parametrize("path", MONOLINGUAL, ids=lambda p: p.name)
def test_no_bilingual_finding_on_the_corpus_and_samples(path: Path) -> None:
    assert [f.format() for f in run_checks(read_path(path)) if f.code in BILINGUAL] == []


@pytest.mark.parametrize("name", REAL_BILINGUAL)
def test_real_bilingual_contracts_are_paired(name: str) -> None:
    """The OpenAtom CLAs of the corpus are English-then-Chinese paragraphs: recognised,
    paired paragraph by paragraph (their numbered items by number), nothing reported."""
    ctx = CheckContext.for_document(read_path(CORPUS / name))
    found = pairing(ctx)
    assert found is not None and len(found.pairs) >= 20 and found.orphans == []
    assert all(text_lang(p.zh.text) == "zh" and text_lang(p.en.text) == "en" for p in found.pairs)


def test_a_monolingual_document_is_not_analysed(monkeypatch) -> None:
    """No second language in proportion: the check stops at a character count."""
    def fail(doc):
        raise AssertionError("document_units ran on a monolingual document")
    monkeypatch.setattr("contractgen.checks.bilingual_units.document_units", fail)
    for path in (CORPUS / "zh-hardware-sale-1.txt", CORPUS / "en-commonpaper-mnda.md"):
        assert pairing(CheckContext.for_document(read_path(path))) is None


def test_a_monolingual_check_loads_no_pairing() -> None:
    """Checking a contract in one language never imports the pairing, glossary or value
    readers (start-up time of every batch and check)."""
    script = (
        "import sys\n"
        "from contractgen.checks import run_checks\n"
        "from contractgen.readers import read_path\n"
        f"run_checks(read_path({str(CORPUS / 'zh-hardware-sale-1.txt')!r}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('contractgen.checks.bilingual_')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['contractgen.checks.bilingual_kinds']"


@pytest.mark.parametrize("text, lang", [
    ("甲方应在三十日内付款。", "zh"), ("Party A shall pay within thirty days.", "en"),
    ("服务费为USD 12,500（壹万贰仟伍佰美元）。", "zh"), ("Party A: 杭州某某科技有限公司 Hangzhou Moumou Technology Co., Ltd.", "en"),
    ("2025-03-01", ""), ("https://github.com/KWDB", ""), ("签字：", "zh"),
])
def test_language_of_a_unit(text: str, lang: str) -> None:
    assert text_lang(text) == lang


@pytest.mark.parametrize("zh, en, kind, key", [
    ("人民币壹拾贰万伍仟元整", "RMB 125,000", "amount", Decimal(125000)),
    ("12.5万元", "USD 125,000.00", "amount", Decimal(125000)),
    ("三十（30）日内", "within thirty (30) days", "period", (Decimal(30), "day")),
    ("十五个工作日", "fifteen business days", "period", (Decimal(15), "business day")),
    ("两年", "a 2-year term", "period", (Decimal(2), "year")),
    ("千分之五", "0.5%", "percentage", Decimal("0.5")),
    ("百分之二十（20%）", "twenty percent", "percentage", Decimal(20)),
    ("2025年3月1日", "1 March 2025", "date", (2025, 3, 1)),
    ("依照本合同第七条", "under Article 7", "reference", ("article", (7,))),
    ("见附件二", "see Schedule 2", "reference", ("attachment", (2,))),
])
def test_both_languages_read_the_same_value(zh: str, en: str, kind: str, key) -> None:
    assert [v.key for v in text_values(zh, "zh") if v.kind == kind] == [key]
    assert [v.key for v in text_values(en, "en") if v.kind == kind] == [key]


@pytest.mark.parametrize("text, lang", [
    ("服务期限自2025年3月1日起", "zh"), ("每月15日前支付", "zh"), ("第30日", "zh"), ("the 30th day", "en"),
    ("2025年度预算", "zh"), ("for each day of delay", "en"),
])
def test_what_is_no_period(text: str, lang: str) -> None:
    assert [v.shown for v in text_values(text, lang) if v.kind == "period"] == []
