"""Stream contract data rows from a CSV or XLSX file.

Rows are read lazily, one at a time, so a batch of any size runs in constant memory.
Every row carries its spreadsheet row number (the header is row 1) so that problems can
be reported the way a user finds them in Excel. Given the template's fields, a column may
be headed by a field's name, label or one of its aliases, and the row's cells are keyed by
field name. Cell values arrive as stripped strings whatever the source — XLSX numbers and
dates are turned into the text a user would type, read for the field's type (cells.py) —
so one validation path (the template's data schema) coerces CSV and XLSX alike.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..diagnostics import ERROR, Finding, UserError, did_you_mean
from ..model import SourcePos
from .cells import LossyCell, cell_text

PREFIX_BYTES = 64 * 1024
# charset-normalizer often names a Chinese legacy encoding by a sibling (big5hkscs for a
# short GBK file); GB18030 is a superset of GB2312 and GBK, so it is the safe choice.
_CHINESE_FAMILY = ("gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950", "cp936")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(slots=True)
class Row:
    """One data row: its 1-based spreadsheet row number, its non-empty cells by header, and
    what could not be read from it exactly (a row with problems is not built)."""

    number: int
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)


def _decodes(prefix: bytes, encoding: str) -> bool:
    # An incremental decoder tolerates a multi-byte character cut at the prefix's end.
    try:
        codecs.getincrementaldecoder(encoding)().decode(prefix, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """The encoding of a CSV file: a BOM wins, then UTF-8, then charset-normalizer's guess."""
    with open(path, "rb") as fh:
        prefix = fh.read(PREFIX_BYTES)
    for bom, name in _BOMS:
        if prefix.startswith(bom):
            return name
    if _decodes(prefix, "utf-8"):
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(prefix).best()
    guess = best.encoding if best else ""
    if (not guess or guess.lower() in _CHINESE_FAMILY) and _decodes(prefix, "gb18030"):
        return "gb18030"
    if not guess:
        raise UserError(f"{path}: cannot tell the file's encoding; pass --encoding (e.g. gb18030)")
    return guess


class RowSource:
    """A CSV or XLSX file opened for streaming: ``header`` then ``rows()``; close when done.

    Given the template's ``fields`` (the data schema), a row's cells are keyed by the field
    each column's heading names (its name, label or an alias) and read for its type."""

    def __init__(self, path: Path, encoding: str | None = None, sheet: str | None = None, fields=None):
        self.path = Path(path)
        self.epoch = None
        suffix = self.path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            self._records, self._close, self.epoch = _open_xlsx(self.path, sheet)
            self.encoding = None
        elif suffix in (".csv", ".txt", ".tsv"):
            if sheet:
                raise UserError(f"{self.path}: --sheet applies to .xlsx files only")
            self.encoding = encoding or detect_encoding(self.path)
            self._records, self._close = _open_csv(self.path, self.encoding, suffix == ".tsv")
        else:
            raise UserError(f"{self.path}: unsupported data file; use .csv or .xlsx")
        try:
            first = next(self._records, None)
        except UnicodeDecodeError as exc:
            self.close()
            raise self._decode_error(exc) from None
        except BaseException:
            self.close()
            raise
        if first is None:
            self.close()
            raise UserError(f"{self.path}: the file is empty; row 1 must hold the column names")
        try:
            self.header = [cell_text(v) for v in first]
        except LossyCell:
            self.close()
            raise UserError(f"{self.path}: row 1 must hold the column names, not numbers") from None
        fields = fields or {}
        known = headings(fields)
        self.keys = [known.get(column, column) for column in self.header]  # each column's field
        self._types = [getattr(fields.get(key), "type", None) for key in self.keys]
        self._consumed = False

    def rows(self) -> Iterator[Row]:
        """Data rows in file order; wholly empty rows are skipped (row numbers still count)."""
        if self._consumed:
            raise RuntimeError("rows() can be iterated once; open the file again")
        self._consumed = True
        number = 1
        try:
            for record in self._records:
                number += 1
                row = Row(number, {})
                for name, key, ftype, value in zip(self.header, self.keys, self._types, record):
                    try:
                        text = cell_text(value, ftype, self.epoch)
                    except LossyCell as exc:
                        row.problems.append(f"column '{name}': {exc}")
                        continue
                    if text and name:
                        row.cells[key] = text
                if row.cells or row.problems:
                    yield row
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None
        except UserError:
            raise
        except Exception as exc:  # a damaged sheet (truncated XML, bad zip member) read as a stream
            if self.encoding is not None:
                raise
            raise UserError(f"{self.path}: the sheet is damaged after row {number} and cannot be read "
                            f"({type(exc).__name__}: {exc}); save it again from Excel") from None

    def _decode_error(self, exc: UnicodeDecodeError) -> UserError:
        # Text is decoded in blocks, so the row being read is not where the bad byte is.
        return UserError(f"{self.path}: not valid {self.encoding} text ({exc.reason}); "
                         "pass --encoding, e.g. --encoding gb18030")

    def close(self) -> None:
        self._close()

    def __enter__(self) -> RowSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open_csv(path: Path, encoding: str, tab: bool):
    try:
        fh = open(path, encoding=encoding, newline="")
    except LookupError:
        raise UserError(f"unknown encoding {encoding!r}") from None
    reader = csv.reader(fh, dialect="excel-tab" if tab else "excel")

    def records():
        try:
            yield from reader
        except csv.Error as exc:
            raise UserError(f"{path}:{reader.line_num}: {exc}") from None

    return records(), fh.close


def _open_xlsx(path: Path, sheet: str | None):
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UserError(f"{path}: cannot read the workbook ({exc})") from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        names = book.sheetnames
        book.close()
        hint = did_you_mean(sheet, names) or f"sheets: {', '.join(names)}"
        raise UserError(f"{path}: no sheet named {sheet!r} ({hint})")
    # The stored dimension can claim A1:XFD1048576 for a sheet with one row: read what is there.
    ws.reset_dimensions()
    return ws.iter_rows(), book.close, book.epoch  # cells, not values: a cell's number format tells what it shows


def headings(fields) -> dict[str, str]:
    """Every column heading the data schema knows, to the field it names: each field's
    name, ``label`` and ``aliases`` (load_spec makes sure no heading names two fields)."""
    known = {name: name for name in fields}
    for name, spec in fields.items():
        for heading in getattr(spec, "headings", ()):
            known.setdefault(heading, name)
    return known


def header_problems(header: list[str], fields, source: Path) -> list[Finding]:
    """Unknown, duplicate and missing columns, checked against the data schema's fields.

    ``fields`` maps each dotted field name to an object with a ``required`` attribute (and
    optionally ``headings``: the name, label and aliases a column may be headed by).
    """
    pos = SourcePos(str(source), 1)
    known = headings(fields)
    findings = []
    taken: dict[str, int] = {}  # field -> the first column giving it
    for index, column in enumerate(header):
        if not column:
            continue
        field = known.get(column)
        if field is None:
            findings.append(Finding("batch-unknown-column", ERROR, f"unknown column '{column}'", pos,
                                    suggestion=did_you_mean(column, known)))
        elif field in taken and header[taken[field]] == column:
            findings.append(Finding("batch-duplicate-column", ERROR, f"column '{column}' appears twice", pos))
        elif field in taken:
            first = taken[field]
            findings.append(Finding("batch-duplicate-column", ERROR,
                                    f"columns {_letter(first)} '{header[first]}' and {_letter(index)} '{column}' "
                                    f"both give field '{field}': keep one", pos))
        if field is not None:
            taken.setdefault(field, index)
    for name, field in fields.items():
        if getattr(field, "required", True) and name not in taken:
            others = [f"'{h}'" for h in getattr(field, "headings", (name,))[1:]]
            findings.append(Finding("batch-missing-column", ERROR,
                                    f"missing column '{name}'" + (f" (or {' or '.join(others)})" if others else ""),
                                    pos, suggestion=did_you_mean(name, [c for c in header if c not in known])))
    return findings


def _letter(index: int) -> str:
    """A 0-based column index as the spreadsheet's column letters: 0 is A, 27 is AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
