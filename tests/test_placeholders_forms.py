"""The blanks drafters type beyond XX and ____: empty brackets where a number or date goes,
〔待定〕 / （待填）, 某某 before a place word or after a colon, XX after "：", spaces before 元 —
each an ``unfilled-placeholder`` naming the form; tick boxes and anonymised names are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.checking import check_file


def _placeholders(tmp_path: Path, line: str) -> list[tuple[int, str]]:
    path = tmp_path / "c.txt"
    path.write_text(f"第一条 合同\n{line}\n", encoding="utf-8")
    return [(f.line, f.message) for f in check_file(path) if f.code == "unfilled-placeholder"]


@pytest.mark.parametrize("line, message", [
    ("乙方应在[ ]日内付款。", "unfilled placeholder '[ ]'"),
    ("签订于[ ]年[ ]月[ ]日。", "unfilled placeholder '[ ]' (3 times)"),
    ("乙方：[ ]", "unfilled placeholder '[ ]'"),
    ("依照第（　）条处理。", "unfilled placeholder '（ ）'"),
    ("交付地点：〔待定〕", "unfilled placeholder '〔待定〕'"),
    ("服务期限（待填）个月。", "unfilled placeholder '（待填）'"),
    ("付款方式(待定)。", "unfilled placeholder '(待定)'"),
    ("住所：某某路88号", "unfilled placeholder '某某'"),
    ("联系人：某某", "unfilled placeholder '某某'"),
    ("联系人：某某某", "unfilled placeholder '某某'"),
    ("甲方： XX", "unfilled placeholder 'XX'"),
    ("合同金额为人民币　　　元。", "unfilled placeholder '␣元'"),
    ("合同金额为人民币    万元。", "unfilled placeholder '␣万元'"),
])
def test_a_drafters_blank_is_found(tmp_path: Path, line: str, message: str) -> None:
    assert _placeholders(tmp_path, line) == [(2, message)]


@pytest.mark.parametrize("line", [
    "[ ] 同意　[x] 不同意",                 # tick boxes
    "是否开具发票：[ ]是 [ ]否",
    "[    ] Fees may increase up to [    ]% per renewal.",  # an English order form's tick box and percentage
    "甲方：某某公司",                        # an anonymised name (inconsistent-party-term's test case)
    "乙方应当（一）按时付款。",
    "交付日期待定的，另行协商。",            # 待定 in a sentence: wording, not a blank
    "本合同第十条约定的期限。",
])
def test_look_alikes_are_no_blanks(tmp_path: Path, line: str) -> None:
    assert _placeholders(tmp_path, line) == []
