"""Batch test data: rows of the sample template, written as CSV or XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "templates" / "huzhou-cs-outsourcing"
PARTIES = SAMPLE / "parties.csv"
DATA = ROOT / "tests" / "data" / "batch"
INVALID_ROW = 8  # parties.csv row 8 has staff = 十二, deliberately


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    """Header and the valid rows of the shipped parties.csv."""
    with open(PARTIES, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for i, r in enumerate(reader, start=2) if i != INVALID_ROW]
    return list(rows[0].keys()), rows


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None,
              encoding: str = "utf-8") -> Path:
    header = header or list(rows[0].keys())
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def many_rows(n: int) -> list[dict[str, str]]:
    """``n`` valid rows with distinct contract numbers, cycling through the sample parties."""
    _, base = sample_rows()
    return [dict(base[i % len(base)], contract_no=f"T-{i + 1:05d}") for i in range(n)]


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    """Like a user's workbook: numbers as numbers, text as text."""
    book = openpyxl.Workbook()
    ws = book.active
    header = list(rows[0].keys())
    ws.append(header)
    for row in rows:
        ws.append([_typed(row[h]) for h in header])
    book.save(path)
    return path


def _typed(text: str):
    if text.isdigit():
        return int(text)
    return text or None
