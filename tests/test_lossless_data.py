"""No lossy data: a value from a data file, a CSV or an XLSX cell reaches the contract exactly
as written for its field's type, or is refused naming its row and column — never rounded,
never reformatted. The refusals themselves are cases under tests/data/schemas/ (their exact
messages); here the values that must survive, and where the guarantee ends."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from contractgen.batch.cells import LossyCell, cell_text
from contractgen.batch.rows import RowSource, header_problems
from contractgen.cli import main
from contractgen.spec import FieldSpec, coerce, load_data_file, load_spec

from conftest import ROOTS

ACCOUNT = 1102020309000123456  # 19 digits; float() of it is 1102020309000123392


def _workbook(path: Path, rows: list[list], formats: dict[str, str] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for cell, number_format in (formats or {}).items():
        book.active[cell].number_format = number_format
    book.save(path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """mini-zh with an account, a postcode and a start date the contract prints, and labels."""
    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "mini-zh", root)
    spec = root / "templates" / "mini" / "contract.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("data:\n", (
        "data:\n"
        "  party_a.account: {type: string, label: 甲方账号}\n"
        "  party_a.postcode: {type: string, label: 邮政编码, aliases: [邮编]}\n"
        "  start: {type: date, label: 开始日期}\n")).replace(
        "party_a.name: {type: string}", "party_a.name: {type: string, label: 甲方名称}"), encoding="utf-8")
    definitions = root / "clauses" / "mini" / "definitions.md"
    definitions.write_text(definitions.read_text(encoding="utf-8") + (
        "\n账号：{{ party_a.account }}；邮编：{{ party_a.postcode }}；开始：{{ start }}。\n"), encoding="utf-8")
    return root


HEADER = ["contract_no", "甲方名称", "party_b.name", "fee", "staff", "sign_date", "甲方账号", "邮编", "开始日期"]


def _batch(runner, root: Path, data: Path) -> str:
    result = runner.invoke(main, ["batch", str(root / "templates" / "mini"), "--data", str(data),
                                  "--out", str(root / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output
    (built,) = (root / "out").glob("*.md")
    return built.read_text(encoding="utf-8")


def _store_exactly(path: Path, cell: str, digits: str) -> None:
    """Rewrite a number cell's stored text: openpyxl (like Excel) writes a number as a float
    (1.102020309000123e+18), other tools write an integer's digits."""
    with zipfile.ZipFile(path) as book:
        members = {name: book.read(name) for name in book.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    rewritten = re.sub(rf'(<c r="{cell}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{digits}\g<2>", sheet)
    assert rewritten != sheet
    members["xl/worksheets/sheet1.xml"] = rewritten.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in members.items():
            book.writestr(name, data)


def test_a_19_digit_account_in_a_text_cell_survives_exactly(project: Path, runner) -> None:
    data = _workbook(project / "rows.xlsx", [HEADER, ["T-1", "甲公司", "乙公司", 12000, 3, "2024-03-01",
                                                     str(ACCOUNT), 123, 45352]], {"H2": "000000"})
    text = _batch(runner, project, data)
    assert f"账号：{ACCOUNT}；" in text
    assert "邮编：000123；" in text  # the text the number cell shows: format 000000
    assert "开始：2024-03-01" in text  # a date field's number cell is the date serial


def test_a_19_digit_account_a_number_cell_stores_exactly_survives(project: Path, runner) -> None:
    data = _workbook(project / "rows.xlsx", [HEADER, ["T-1", "甲公司", "乙公司", 12000, 3, "2024-03-01",
                                                     ACCOUNT, 123, 45352]])
    _store_exactly(data, "G2", str(ACCOUNT))
    assert f"账号：{ACCOUNT}；" in _batch(runner, project, data)


def test_an_account_that_went_through_a_float_is_refused_never_altered(project: Path, runner) -> None:
    data = _workbook(project / "rows.xlsx", [HEADER, ["T-1", "甲公司", "乙公司", 12000, 3, "2024-03-01",
                                                     ACCOUNT, 123, 45352]])  # stored as 1.102020309000123e+18
    result = runner.invoke(main, ["batch", str(project / "templates" / "mini"), "--data", str(data),
                                  "--out", str(project / "out"), "--format", "md"])
    assert result.exit_code == 1
    assert ("failed: row 2 (T-1-甲公司): column '甲方账号': the number 1.10202030900012e+18 has more than 15 "
            "digits and a spreadsheet number cell keeps only 15") in result.output
    assert not list((project / "out").glob("*.md"))


def test_csv_text_keeps_leading_zeros_and_exact_digits(project: Path, runner) -> None:
    data = project / "rows.csv"
    data.write_text(",".join(HEADER) + "\nT-1,甲公司,乙公司,\"1,234.50\",3,2024/3/1,6222020200012345678901,00123,2024年3月1日\n",
                    encoding="utf-8")
    text = _batch(runner, project, data)
    assert "账号：6222020200012345678901；邮编：00123；开始：2024-03-01" in text


def test_headings_by_label_and_alias_key_the_cells_by_field(project: Path) -> None:
    spec = load_spec(project / "templates" / "mini")
    data = project / "rows.csv"
    data.write_text(",".join(HEADER) + "\nT-1,甲公司,乙公司,1,3,2024-03-01,007,00123,2024-03-01\n", encoding="utf-8")
    with RowSource(data, fields=spec.data) as source:
        assert not header_problems(source.header, spec.data, data)
        (row,) = source.rows()
    assert row.cells["party_a.name"] == "甲公司"
    assert row.cells["party_a.account"] == "007"
    assert row.cells["party_a.postcode"] == "00123"
    assert row.cells["start"] == "2024-03-01"


class _Cell:
    """An XLSX cell as openpyxl reads it: a value and a number format."""

    def __init__(self, value, number_format: str = "General"):
        self.value, self.number_format = value, number_format


CELLS = [  # (value, number format, field type, text)
    (123, "00000", "string", "00123"),
    (123, "00000", "integer", "123"),
    (1234.5, "#,##0.00", "string", "1,234.50"),
    (1234.5, "#,##0.00", "number", "1234.5"),
    (0.1 + 0.2, "General", "number", "0.3"),  # the binary noise past 15 digits, not a digit typed
    (45352, "General", "date", "2024-03-01"),
    (45352.5, "General", "date", "2024-03-01 12:00:00"),  # a time: the date field refuses it
    (ACCOUNT, "0", "string", str(ACCOUNT)),
    (999999999999999, "General", "string", "999999999999999"),  # 15 digits: exact in any cell
    (True, "General", "boolean", "true"),
    (dt.datetime(2024, 3, 1), "yyyy-mm-dd", "date", "2024-03-01"),
]


@pytest.mark.parametrize("value,number_format,ftype,text", CELLS)
def test_a_cell_reads_as_its_field_needs(value, number_format, ftype, text) -> None:
    assert cell_text(_Cell(value, number_format), ftype) == text


@pytest.mark.parametrize("value,number_format,ftype", [
    (float(ACCOUNT), "0", "string"),  # went through a float: digits already lost
    (1234567890123456, "0", "string"),  # 16 digits a float holds exactly: may have been rounded by Excel
    (12.345, "0.00", "string"),  # shows 12.35, holds 12.345
    (1e16, "General", "number"),
])
def test_a_cell_that_cannot_be_read_exactly_is_refused(value, number_format, ftype) -> None:
    with pytest.raises(LossyCell):
        cell_text(_Cell(value, number_format), ftype)


def test_csv_scientific_notation_is_refused_for_text_only() -> None:
    with pytest.raises(LossyCell, match="scientific notation"):
        cell_text("1.10202E+18", "string")
    assert cell_text("1.10202E+18", None) == "1.10202E+18"  # no field: the schema decides


def test_yaml_and_json_numbers_keep_the_text_they_were_written_as(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text("zip: 012345\ntime: 12:30\nfee: 1234567.123456789012\nok: yes\nvip: true\n", encoding="utf-8")
    data, _ = load_data_file(path)
    assert coerce(FieldSpec("zip"), data["zip"]) == "012345"  # not YAML 1.1's octal 5349
    assert coerce(FieldSpec("time"), data["time"]) == "12:30"  # not the sexagesimal 750
    assert coerce(FieldSpec("fee", "number"), data["fee"]) == Decimal("1234567.123456789012")
    assert coerce(FieldSpec("ok"), data["ok"]) == "yes"  # text, not True
    assert coerce(FieldSpec("ok", "boolean"), data["ok"]) is True
    assert coerce(FieldSpec("vip", "boolean"), data["vip"]) is True
    as_json = tmp_path / "data.json"
    as_json.write_text(json.dumps({"fee": 0}).replace("0", "1234567.123456789012"), encoding="utf-8")
    data, _ = load_data_file(as_json)
    assert coerce(FieldSpec("fee", "number"), data["fee"]) == Decimal("1234567.123456789012")
    assert coerce(FieldSpec("fee"), data["fee"]) == "1234567.123456789012"


BOOLEANS = [("true", True), ("false", False), ("yes", True), ("no", False), ("是", True), ("否", False),
            ("YES", True), ("No", False)]


@pytest.mark.parametrize("text,value", BOOLEANS)
def test_booleans_as_documented(text, value) -> None:
    assert coerce(FieldSpec("f", "boolean"), text) is value


@pytest.mark.parametrize("text,value", [("1,234.50", Decimal("1234.50")), ("-1,234", Decimal("-1234")),
                                         ("0.5", Decimal("0.5")), ("１２", Decimal("12"))])
def test_numbers_are_read_exactly(text, value) -> None:
    number = coerce(FieldSpec("f", "number"), text)
    assert number == value and str(number) == str(value)  # 1234.50 keeps its scale


@pytest.mark.parametrize("text", ["1.234,50", "12,34", "1,2345", "1.2E+4", "¥1234", "1_000", "", "+"])
def test_numbers_that_are_not_plain_are_refused(text) -> None:
    with pytest.raises(ValueError, match="expected a number"):
        coerce(FieldSpec("f", "number"), text)
