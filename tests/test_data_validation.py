"""Data values are coerced per the schema, or rejected with a message naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contractgen.diagnostics import InputErrors
from contractgen.spec import FieldSpec, coerce, data_problems, load_spec, validate_data

from conftest import ROOTS

GOOD = [
    ("number", 12000, Decimal("12000")),
    ("number", "12,000.50", Decimal("12000.50")),
    ("number", " 38000 ", Decimal("38000")),
    ("integer", "12", 12),
    ("integer", 12.0, 12),
    ("date", "2024-03-01", dt.date(2024, 3, 1)),
    ("date", dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
    ("date", "2024/3/1", dt.date(2024, 3, 1)),
    ("date", "2024年3月1日", dt.date(2024, 3, 1)),
    ("date", "2024.03.01", dt.date(2024, 3, 1)),
    ("boolean", "是", True),
    ("boolean", "no", False),
    ("string", 2024001, "2024001"),
]

BAD = [
    ("number", "一万二", "expected a number"),
    ("number", True, "expected a number"),
    ("number", "nan", "expected a number"),
    ("integer", "3.5", "expected a whole number"),
    ("date", "2024-02-30", "'2024-02-30' is not a date in the calendar"),
    ("date", "3/1/2024", "expected a date like 2024-03-01"),
    ("date", "2024年2月30日", "is not a date in the calendar"),
    ("boolean", "maybe", "expected yes or no"),
    ("string", {"a": 1}, "expected text"),
]


@pytest.mark.parametrize("ftype,value,expected", GOOD)
def test_values_are_coerced(ftype, value, expected) -> None:
    assert coerce(FieldSpec("f", ftype), value) == expected


@pytest.mark.parametrize("ftype,value,message", BAD)
def test_bad_values_are_rejected(ftype, value, message) -> None:
    with pytest.raises(ValueError, match=message):
        coerce(FieldSpec("f", ftype), value)


def test_bounds_and_choices() -> None:
    with pytest.raises(ValueError, match="below the minimum 1"):
        coerce(FieldSpec("staff", "integer", min=Decimal(1)), "0")
    with pytest.raises(ValueError, match="not one of"):
        coerce(FieldSpec("lang", "string", choices=("zh", "en")), "fr")


@pytest.fixture
def spec():
    return load_spec(ROOTS / "mini-zh" / "templates" / "mini")


def test_optional_group_absent_is_none(spec) -> None:
    raw = {"contract_no": "1", "party_a": {"name": "甲"}, "party_b": {"name": "乙"}, "fee": "1",
           "staff": "1", "sign_date": "2024-03-01", "third_party": {"name": ""}}
    data = validate_data(spec, raw, "row 2")
    assert data["third_party"] is None
    assert data["party_a"] == {"name": "甲"}


def test_every_problem_is_reported_at_once(spec) -> None:
    problems = data_problems(spec, {"fee": "x", "party_a": {"nam": "甲"}}, "rows.csv")
    messages = [p.message for p in problems]
    assert "unknown field 'party_a.nam'" in messages
    assert "field 'fee': expected a number, got 'x'" in messages
    assert "missing required field 'contract_no' (string)" in messages
    assert next(p for p in problems if "nam'" in p.message).suggestion == "did you mean 'party_a.name'?"
    with pytest.raises(InputErrors):
        validate_data(spec, {"fee": "x"}, "rows.csv")


def test_gbk_yaml_data_is_read(tmp_path) -> None:
    from contractgen.spec import load_data_file

    path = tmp_path / "data.yaml"
    path.write_bytes("party_a:\n  name: 湖州织里优选电子商务有限公司\nsign_date: 2024年3月1日\n".encode("gbk"))
    data, lines = load_data_file(path)
    assert data["party_a"]["name"] == "湖州织里优选电子商务有限公司"
    assert lines["sign_date"] == 3
