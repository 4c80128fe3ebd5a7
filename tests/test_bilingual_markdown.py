"""The Markdown of a bilingual contract (issue 21) in each layout, from the dev fixture
tests/data/bilingual-template: the reviewed goldens (golden/<layout>.md; `make golden`
rewrites them for review), links that land on anchors of the file, and the file read back
by `check` — no error, and the parity rules still pairing the two languages, so a period
changed in the English text only is one finding naming both places.

An interleaved or sequential contract is checked as its two texts
(contractgen.bilingual_texts), so no layout gets an error or a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual_layouts import GOLDEN, LAYOUTS, built
from conftest import compare_golden
from contractgen.checks import RULES
from contractgen.checking import check_file
from contractgen.cli import main

BILINGUAL = {r.code for r in RULES if r.family == "bilingual"}
@pytest.fixture(scope="module")
def markdown(tmp_path_factory) -> dict[str, str]:
    out = {}
    for layout in LAYOUTS:
        out[layout] = built(tmp_path_factory.mktemp(layout), layout, ("md",))["md"].decode("utf-8")
    return out


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("layout", LAYOUTS)
def test_markdown_matches_golden(markdown, layout: str) -> None:
    compare_golden(markdown[layout], GOLDEN / f"{layout}.md")


def test_side_by_side_pairs_each_unit_in_a_row(markdown) -> None:
    lines = markdown["side-by-side"].splitlines()
    heading = next(line for line in lines if line.startswith('| <a id="payment">'))
    assert heading == '| <a id="payment"></a>**第二条 价格与付款** | <a id="en-payment"></a>**Article 2 Price and Payment** |'
    row = next(line for line in lines if line.startswith("| 2.2 "))
    zh, en = row.strip("| ").split(" | ")
    assert zh == "2.2 买方应在收到货物后30日内付款。货物见[第一条](#goods)。"
    assert en.startswith("Section 2.2 The Buyer shall pay within 30 days") and en.endswith("[Article 1](#en-goods).")
    # both languages' part headings, each with its own anchor
    assert '| <a id="goods-list"></a>附件一 货物清单 | <a id="en-goods-list"></a>Schedule 1 List of Goods |' in lines


def test_interleaved_sets_each_block_before_its_translation(markdown) -> None:
    text = markdown["interleaved"]
    order = ["### 第一条 货物 {#goods}", "### Article 1 Goods {#en-goods}", "1.1 卖方应按照", "Section 1.1 The Seller",
             "1.2 货物的质量", "Section 1.2 The quality"]
    places = [text.index(s) for s in order]
    assert places == sorted(places)


def test_sequential_sets_the_whole_chinese_text_then_the_english_each_with_its_toc(markdown) -> None:
    text = markdown["sequential"]
    zh_toc, en_toc = text.index("**目录**"), text.index("**Contents**")
    last_zh, first_en = text.index("| 数控车床 | 2台 |"), text.index("# Supply Agreement\n")
    assert zh_toc < last_zh < first_en < en_toc
    assert text.index("### Article 1 Goods {#en-goods}") > en_toc


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_link_lands_on_an_anchor_of_the_file(markdown, layout: str) -> None:
    text = markdown[layout]
    anchors = re.findall(r"\{#([^}\s]+)\}", text) + re.findall(r'<a id="([^"]+)"></a>', text)
    assert len(anchors) == len(set(anchors)), "anchors are unique"
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and set(links) <= set(anchors)
    # each language links within its own text: the English references to en- anchors
    assert "[Article 1](#en-goods)" in text and "[第一条](#goods)" in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_check_reads_our_markdown_without_error(markdown, tmp_path: Path, layout: str) -> None:
    path = _written(tmp_path, markdown[layout])
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


@pytest.mark.parametrize("layout", LAYOUTS)
def test_check_of_our_markdown_has_no_warning_either(markdown, tmp_path: Path, layout: str) -> None:
    assert check_file(_written(tmp_path, markdown[layout])) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_period_changed_in_the_english_text_only_is_one_parity_finding(markdown, tmp_path: Path, layout: str) -> None:
    clean = markdown[layout]
    assert clean.count("within 30 days") == 1
    before = check_file(_written(tmp_path, clean))
    planted = check_file(_written(tmp_path, clean.replace("within 30 days", "within 15 days")))
    new = [f for f in planted if f.as_dict() not in [b.as_dict() for b in before]]
    assert [f.code for f in new] == ["bilingual-period-mismatch"], [f.as_dict() for f in planted]
    [finding] = new
    assert "'30日' in the Chinese text" in finding.message and "'15 days' in the English text" in finding.message
    lines = clean.splitlines()
    zh_line = next(i for i, line in enumerate(lines, 1) if "30日内付款" in line)
    en_line = next(i for i, line in enumerate(lines, 1) if "within 30 days" in line)
    assert f"(line {zh_line})" in finding.message and f"(line {en_line})" in finding.message
    assert not [f for f in before if f.code in BILINGUAL and f.severity == "error"]


def test_the_same_contract_gives_the_same_bytes(markdown, tmp_path: Path) -> None:
    again = built(tmp_path, "side-by-side", ("md", "html"))
    assert again["md"].decode("utf-8") == markdown["side-by-side"]
    assert again["html"] == built(tmp_path / "2", "side-by-side", ("html",))["html"]
