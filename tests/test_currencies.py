"""Amounts in English words name the currency of their figures, and `check` catches words
that name another currency or another sum. (An amount printed as "GBP 185,000.00 (… US
dollars)" was a contract that said two things.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.checking import check_file
from contractgen.checks.amounts import _en_pairs
from contractgen.cli import main
from contractgen.numbering.words import en_amount

from conftest import copy_root


@pytest.mark.parametrize("value, currency, expected", [
    ("185000", "GBP", "GBP 185,000.00 (one hundred eighty-five thousand pounds sterling)"),
    ("1", "GBP", "GBP 1.00 (one pound sterling)"),
    ("8250.5", "GBP", "GBP 8,250.50 (eight thousand two hundred fifty pounds sterling and fifty pence)"),
    ("0.01", "GBP", "GBP 0.01 (one penny)"),
    ("1000.5", "EUR", "EUR 1,000.50 (one thousand euros and fifty cents)"),
    ("21", "HKD", "HKD 21.00 (twenty-one Hong Kong dollars)"),
    ("1000000", "JPY", "JPY 1,000,000 (one million yen)"),
    ("100", "usd", "USD 100.00 (one hundred US dollars)"),
])
def test_english_words_follow_the_currency(value: str, currency: str, expected: str) -> None:
    assert en_amount(value, currency) == expected


@pytest.mark.parametrize("value, currency, message", [
    ("10", "XYZ", "no English words for the currency 'XYZ'"),
    ("10.5", "JPY", "JPY has no minor unit"),
])
def test_a_currency_without_words_is_refused(value: str, currency: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        en_amount(value, currency)


def test_an_unknown_currency_is_a_template_error_at_its_line(runner, tmp_path: Path) -> None:
    root = copy_root("mini-zh", tmp_path / "p")
    (root / "templates" / "mini" / "contract.yaml").write_text(
        (root / "templates" / "mini" / "contract.yaml").read_text(encoding="utf-8").replace("lang: zh", "lang: en"),
        encoding="utf-8")
    services = root / "clauses" / "mini" / "services.md"
    services.write_text(services.read_text(encoding="utf-8").replace("{{ fee | amount }}", "{{ fee | amount('XYZ') }}"),
                        encoding="utf-8")
    result = runner.invoke(main, ["build", str(root / "templates" / "mini"), "--data",
                                  str(root / "templates" / "mini" / "data.yaml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "clauses/mini/services.md:11: error template-error" in result.output.replace(str(root) + "/", "")
    assert "no English words for the currency 'XYZ'" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, found", [
    ("The fee is GBP 185,000.00 (one hundred eighty-five thousand US dollars).", True),
    ("The fee is GBP 185,000.00 (one hundred eighty-five thousand pounds sterling).", False),
    ("The fee is GBP 8,250.50 (eight thousand two hundred fifty pounds sterling and sixty pence).", True),
    ("The fee is EUR 20.00 (twenty euros) and $5.00 (five dollars).", False),
    ("The fee is USD 20.00 (twenty euros).", True),
    ("The fee is JPY 1,000 (two thousand yen).", True),
])
def test_amount_mismatch_knows_the_currency(tmp_path: Path, text: str, found: bool) -> None:
    path = tmp_path / "c.txt"
    path.write_text(f"Section 1.1 Fees.\n{text}\n", encoding="utf-8")
    assert any(f.code == "amount-mismatch" for f in check_file(path)) is found


def _legacy_amounts() -> list[tuple[str, bool]]:
    path = Path(__file__).parent / "data" / "money" / "legacy-amounts.txt"
    rows = [line.split(": ", 1) for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert {verdict for verdict, _ in rows} == {"ok", "mismatch"}
    return [(text, verdict == "mismatch") for verdict, text in rows]


@pytest.mark.parametrize("text, found", _legacy_amounts())
def test_amount_mismatch_reads_every_currency_as_contracts_write_it(tmp_path: Path, text: str, found: bool) -> None:
    """British words ("and", pence), symbols (£ € ¥ JP¥ CN¥ HK$ US$), "only", 50/100: an
    error only when the sum or the currency certainly differs ("HKD 100 (one hundred
    dollars)" may be Hong Kong dollars, so it passes)."""
    path = tmp_path / "c.txt"
    path.write_text(f"Clause 1 Fees.\nThe fee is {text}.\n", encoding="utf-8")
    findings = [f for f in check_file(path) if f.code in ("amount-mismatch", "number-words-mismatch")]
    assert [f.code for f in findings] == (["amount-mismatch"] if found else [])


def test_the_words_a_finding_quotes_start_at_the_number() -> None:
    assert [p[0] for p in _en_pairs("the sum of two hundred pounds (£100)")] == ["two hundred pounds"]

