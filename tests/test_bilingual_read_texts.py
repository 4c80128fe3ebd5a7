"""A bilingual contract read from a file and set out in turn — interleaved (each Chinese
article, then its English one) or sequential (the Chinese text, then the English) — is
checked as its two texts: each language's numbering, TOC and references on their own, and
the parity rules across. Hand-written here, as a lawyer's Word-to-Markdown file would be;
nothing in these files was made by contractgen."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.checking import check_file
from contractgen.readers import read_path
from contractgen.bilingual_texts import language_texts

INTERLEAVED = """\
# 技术服务合同 Technical Services Agreement

## 第一条 服务内容
## Article 1 Services

1.1 乙方应向甲方提供设备维护服务，具体见第二条。

1.1 Party B shall provide equipment maintenance services to Party A, as set out in Article 2.

## 第二条 服务费用
## Article 2 Fees

2.1 服务费用为每月人民币伍万元整（¥50,000.00），甲方应于每月十日前支付。

2.1 The service fee is RMB 50,000.00 per month, payable by Party A before the tenth day of each month.

## 第三条 争议解决
## Article 3 Disputes

3.1 因本合同引起的争议，提交上海国际仲裁中心仲裁。

3.1 Any dispute arising from this Agreement shall be submitted to the Shanghai International Arbitration Centre.
"""

SEQUENTIAL = """\
# 技术服务合同

## 第一条 服务内容

乙方应向甲方提供设备维护服务。

## 第二条 服务费用

服务费用为每月人民币伍万元整（¥50,000.00）。

## 第三条 争议解决

因本合同引起的争议，提交上海国际仲裁中心仲裁。

# Technical Services Agreement

## Article 1 Services

Party B shall provide equipment maintenance services to Party A.

## Article 2 Fees

The service fee is RMB 50,000.00 per month.

## Article 3 Disputes

Any dispute arising from this Agreement shall be submitted to the Shanghai International Arbitration Centre.
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [INTERLEAVED, SEQUENTIAL], ids=["interleaved", "sequential"])
def test_a_clean_bilingual_contract_set_out_in_turn_checks_clean(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    texts = language_texts(read_path(path))
    assert texts is not None
    assert [c.number_text for _, c in texts["zh"].clauses() if c.level == 1] == ["第一条", "第二条", "第三条"]
    assert [c.number_text for _, c in texts["en"].clauses() if c.level == 1] == ["Article 1", "Article 2", "Article 3"]
    assert check_file(path) == []


@pytest.mark.parametrize("text", [INTERLEAVED, SEQUENTIAL], ids=["interleaved", "sequential"])
def test_a_gap_in_the_english_numbering_is_found_in_the_english_text(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text.replace("Article 3 Disputes", "Article 4 Disputes"))
    found = check_file(path)
    gaps = [f for f in found if f.code == "numbering-gap"]
    assert len(gaps) == 1 and gaps[0].severity == "error", found
    line = path.read_text(encoding="utf-8").splitlines()[gaps[0].source.line - 1]
    assert "Article 4" in line
    assert [f.code for f in found if f.code == "bilingual-heading-mismatch"] == ["bilingual-heading-mismatch"]


def test_an_english_reference_to_a_missing_article_is_dangling(tmp_path: Path) -> None:
    path = _write(tmp_path, INTERLEAVED.replace("as set out in Article 2.", "as set out in Article 7."))
    found = check_file(path)
    assert ("dangling-reference", "error") in [(f.code, f.severity) for f in found], found
    assert "bilingual-reference-mismatch" in [f.code for f in found]


def test_a_contract_in_one_language_is_not_taken_apart(tmp_path: Path) -> None:
    chinese_only = "\n".join(line for line in SEQUENTIAL.split("# Technical Services Agreement")[0].splitlines())
    assert language_texts(read_path(_write(tmp_path, chinese_only))) is None


def test_a_chinese_contract_quoting_two_english_articles_is_not_taken_apart(tmp_path: Path) -> None:
    """Two English article headings against three Chinese ones are not "about as many"
    unless balanced; one quoted English article is no second text at all."""
    text = SEQUENTIAL.split("# Technical Services Agreement")[0] + "\n## Article 1 Definitions\n\nQuoted.\n"
    assert language_texts(read_path(_write(tmp_path, text))) is None


SIDE_BY_SIDE = """\
# 技术服务合同 Technical Services Agreement

| 中文 | English |
|---|---|
| **第一条 服务内容** | **Article 1 Services** |
| 乙方应向甲方提供设备维护服务，具体见第二条。 | Party B shall provide equipment maintenance services to Party A, as set out in Article 2. |
| **第二条 服务费用** | **Article 2 Fees** |
| 服务费用为每月人民币伍万元整（¥50,000.00）。 | The service fee is RMB 50,000.00 per month. |
| **第三条 争议解决** | **Article 3 Disputes** |
| 因本合同引起的争议，提交上海国际仲裁中心仲裁。 | Any dispute arising from this Agreement shall be submitted to the Shanghai International Arbitration Centre. |
"""


def test_a_side_by_side_table_is_read_as_its_two_texts(tmp_path: Path) -> None:
    path = _write(tmp_path, SIDE_BY_SIDE)
    texts = language_texts(read_path(path))
    assert texts is not None
    assert [c.number_text for _, c in texts["en"].clauses()] == ["Article 1", "Article 2", "Article 3"]
    assert check_file(path) == []


def test_a_gap_in_a_side_by_side_english_column_is_found_at_its_row(tmp_path: Path) -> None:
    path = _write(tmp_path, SIDE_BY_SIDE.replace("Article 3 Disputes", "Article 4 Disputes"))
    gaps = [f for f in check_file(path) if f.code == "numbering-gap"]
    assert [(f.severity, f.source.line) for f in gaps] == [("error", 9)]


def test_a_two_column_table_of_terms_is_left_a_table(tmp_path: Path) -> None:
    """A glossary in two languages is a table, not two texts: no articles in it."""
    text = "| 中文 | English |\n|---|---|\n| 甲方 | Party A |\n| 乙方 | Party B |\n"
    doc = read_path(_write(tmp_path, text))
    assert language_texts(doc) is None
    assert [type(b).__name__ for _, b in doc.blocks()] == ["Table"]
