"""Reading batch rows: encodings, XLSX, row numbers, dotted headers, header validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from contractgen.batch.rows import RowSource, detect_encoding, header_problems
from contractgen.spec import nest
from contractgen.diagnostics import UserError
from contractgen.spec import FieldSpec

DATA = Path(__file__).parent / "data" / "batch"
FIRST_PARTY = "湖州织里优选电子商务有限公司"


@pytest.mark.parametrize("name, encoding", [
    ("parties-utf8.csv", "utf-8"),
    ("parties-bom.csv", "utf-8-sig"),
    ("parties-gbk.csv", "gb18030"),
])
def test_encoding_is_detected(name, encoding):
    assert detect_encoding(DATA / name) == encoding


@pytest.mark.parametrize("name", ["parties-utf8.csv", "parties-bom.csv", "parties-gbk.csv"])
def test_every_encoding_reads_the_same_rows(name):
    with RowSource(DATA / name) as source:
        assert source.header[0] == "contract_no"  # no BOM glued to the first column
        rows = list(source.rows())
    assert [r.number for r in rows] == [2, 3, 4, 5]
    assert rows[0].cells["party_a.name"] == FIRST_PARTY
    assert "third_party.name" not in rows[1].cells  # empty cells are absent, not ""


def test_short_gbk_file_is_not_mistaken_for_big5(tmp_path):
    path = tmp_path / "short.csv"
    path.write_bytes("name,rep\n张三,李四\n".encode("gbk"))
    with RowSource(path) as source:
        assert next(source.rows()).cells == {"name": "张三", "rep": "李四"}


def test_explicit_encoding_wins_and_bad_bytes_are_a_user_error(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("a\n湖州\n".encode("gbk"))
    with RowSource(path, encoding="gbk") as source:
        assert next(source.rows()).cells == {"a": "湖州"}
    with pytest.raises(UserError, match=r"gbk.csv: not valid utf-8 text .*--encoding"):
        with RowSource(path, encoding="utf-8") as source:
            list(source.rows())


def test_row_numbers_count_blank_and_multiline_rows(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('a,b\n1,"two\nlines"\n,\n3,x\n', encoding="utf-8")
    with RowSource(path) as source:
        rows = list(source.rows())
    assert [(r.number, r.cells["a"]) for r in rows] == [(2, "1"), (4, "3")]
    assert rows[0].cells["b"] == "two\nlines"


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_xlsx_cells_become_the_text_a_user_types(tmp_path):
    path = _workbook(tmp_path / "rows.xlsx", {"Data": [
        ["contract_no", "fee", "staff", "sign_date", "vip"],
        ["HZ-1", 12000.0, 12, dt.datetime(2024, 3, 1), True],
        [None, None, None, None, None],
        ["HZ-2", 1234.5, 3, dt.date(2024, 4, 2), False],
    ]})
    with RowSource(path) as source:
        rows = list(source.rows())
    assert rows[0].number == 2 and rows[1].number == 4
    assert rows[0].cells == {"contract_no": "HZ-1", "fee": "12000", "staff": "12", "sign_date": "2024-03-01", "vip": "true"}
    assert rows[1].cells["fee"] == "1234.5"


def test_xlsx_sheet_is_chosen_by_name_with_a_hint(tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {"Notes": [["x"], ["y"]], "Parties": [["contract_no"], ["HZ-9"]]})
    with RowSource(path) as source:
        assert source.header == ["x"]  # the first sheet by default
    with RowSource(path, sheet="Parties") as source:
        assert next(source.rows()).cells == {"contract_no": "HZ-9"}
    with pytest.raises(UserError, match="did you mean 'Parties'"):
        RowSource(path, sheet="Partys")


def test_unsupported_and_empty_files_are_user_errors(tmp_path):
    (tmp_path / "rows.ods").write_bytes(b"x")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(UserError, match="unsupported"):
        RowSource(tmp_path / "rows.ods")
    with pytest.raises(UserError, match="empty"):
        RowSource(tmp_path / "empty.csv")


def test_dotted_headers_nest():
    assert nest({"contract_no": "1", "party_a.name": "A", "party_a.rep": "R"}) == {
        "contract_no": "1", "party_a": {"name": "A", "rep": "R"}}


def test_header_problems_name_unknown_missing_and_duplicate_columns():
    fields = {"contract_no": FieldSpec("contract_no"), "party_a.name": FieldSpec("party_a.name"),
              "third_party.name": FieldSpec("third_party.name", required=False)}
    findings = header_problems(["contract_no", "party_a.nmae", "contract_no"], fields, Path("rows.csv"))
    messages = {f.code: f for f in findings}
    assert messages["batch-unknown-column"].suggestion == "did you mean 'party_a.name'?"
    assert messages["batch-duplicate-column"].message == "column 'contract_no' appears twice"
    assert messages["batch-missing-column"].message == "missing column 'party_a.name'"
    assert messages["batch-missing-column"].suggestion == "did you mean 'party_a.nmae'?"
    assert all(f.line == 1 for f in findings)
    assert not header_problems(["contract_no", "party_a.name"], fields, Path("rows.csv"))
