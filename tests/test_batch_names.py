"""Output names: sanitising for every OS, and collisions."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from contractgen.naming import (MAX_STEM_BYTES, NameRegistry, check_pattern, fill_pattern,
                                     pattern_fields, sanitize)
from contractgen.diagnostics import InputErrors, UserError

RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in (*"123456789", "¹", "²", "³")}
BIDI_AND_INVISIBLE = set("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


@pytest.mark.parametrize("raw, safe", [
    ("HZ-001-湖州织里优选电子商务有限公司", "HZ-001-湖州织里优选电子商务有限公司"),
    ("../../etc/passwd", "_._etc_passwd"),
    ("..\\..\\Windows\\win.ini", "_._Windows_win.ini"),
    ("a/b:c*d?e\"f<g>h|i", "a_b_c_d_e_f_g_h_i"),
    ("  trailing dots... ", "trailing dots"),
    ("CON", "_CON"),
    ("lpt1.backup", "_lpt1.backup"),
    ("CONTRACT", "CONTRACT"),
    ("tab\tand\nnewline", "tab and newline"),
    ("..", ""),
    ("COM¹", "_COM¹"),                                   # Windows reserves superscript-digit ports too
    ("lpt³.txt", "_lpt³.txt"),
    ("invoice\u202egpj.exe", "invoicegpj.exe"),          # a right-to-left override would show "exe.jpg"
    ("合同\u200b\u2066编号\u2069\ufeff", "合同编号"),          # zero-width and isolate controls
])
def test_sanitize(raw, safe):
    assert sanitize(raw) == safe


def test_long_cjk_names_are_cut_on_a_character_boundary():
    name = sanitize("HZ-1-" + "湖" * 200)
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES
    assert name.startswith("HZ-1-湖") and name.endswith("湖")


@given(st.text(max_size=300))
def test_sanitized_names_are_safe_everywhere(raw):
    name = sanitize(raw)
    assert "/" not in name and "\\" not in name and ".." not in name
    assert name == name.strip(" .")
    assert name.split(".")[0].upper() not in RESERVED
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES
    assert not BIDI_AND_INVISIBLE & set(name)
    assert sanitize(name) == name


def test_pattern_fields_and_filling():
    pattern = "{contract_no}-{party_a.name}"
    assert pattern_fields(pattern) == ["contract_no", "party_a.name"]
    assert fill_pattern(pattern, {"contract_no": "HZ-1", "party_a.name": "甲"}) == "HZ-1-甲"
    assert fill_pattern(pattern, {"contract_no": "HZ-1"}) == "HZ-1-"


def test_pattern_with_unknown_or_no_field_is_refused():
    with pytest.raises(InputErrors) as info:
        check_pattern("{contract_no}-{party_a.nam}", {"contract_no": 1, "party_a.name": 1})
    assert info.value.findings[0].suggestion == "did you mean 'party_a.name'?"
    with pytest.raises(UserError, match="uses no field"):
        check_pattern("contract", {"contract_no": 1})


def test_collisions_compare_like_a_case_insensitive_file_system():
    registry = NameRegistry("rows.csv")
    registry.add(2, "HZ-1-甲")
    registry.add(3, "HZ-2-乙")
    registry.add(4, "hz-1-甲")
    [finding] = registry.collisions
    assert finding.line == 4
    assert "row 2" in finding.message and "hz-1-甲" in finding.message
