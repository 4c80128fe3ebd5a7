"""A bilingual batch row gets exactly what `build` gives it — findings and bytes, in each
layout — and a CSV row lacking a translated field's English value fails on its own,
naming the column. Every row builds each language's text from the cached structure of
its clause set (incremental.build_cached through bilingual.build_bilingual)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from contractgen.batch.worker import BatchJob, RowTask, build_row, load_job
from contractgen.diagnostics import InputErrors
from contractgen.incremental import build_cached
from contractgen.pipeline import build, load_template, render_outputs
from contractgen.spec import validate_data

FIXTURE = Path(__file__).parent / "data" / "bilingual-template"
FORMATS = ["md", "html", "docx"]


def _rows() -> list[dict]:
    rows = []
    for i, (days, price) in enumerate([(30, 1250000), (15, 99.5), (45, 1250000), (30, 0), (7, 8800000)]):
        rows.append({"contract_no": f"SA-{i:03d}", "signing_date": f"2026-0{i + 1}-1{i}",
                     "buyer": {"name": f"上海华东精密机械有限公司{i}", "name_en": f"Shanghai Huadong No. {i} Co., Ltd."},
                     "seller": {"name": "德国蓝河工业有限公司", "name_en": "Blue River Industries GmbH"},
                     "price": price, "payment_days": days})
    rows.append({**rows[0], "contract_no": "SA-odd", "buyer": {"name": "本合同第九条公司", "name_en": "Article 9 Ltd"}})
    return rows


def _outcome(fn):
    try:
        built = fn()
    except InputErrors as exc:
        return ("errors", [f.format() for f in exc.findings]), None
    found = [(f.code, f.severity, f.message, str(f.source), f.excerpt, f.suggestion) for f in built.findings]
    return found, None if built.errors else dict(render_outputs(built.doc, FORMATS))


@pytest.fixture(params=["side-by-side", "interleaved", "sequential"])
def template(request, tmp_path: Path) -> Path:
    root = tmp_path / "tpl"
    shutil.copytree(FIXTURE, root)
    path = root / "mini" / "contract.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("layout: side-by-side", f"layout: {request.param}"),
                    encoding="utf-8")
    return root / "mini"


def test_every_bilingual_row_equals_its_build(template: Path) -> None:
    loaded = load_job(BatchJob(str(template), tuple(FORMATS), None, "rows.csv"))
    fresh = load_template(template)
    for number, raw in enumerate(_rows(), start=2):
        data = validate_data(fresh.spec, raw, f"rows.csv:{number}")
        want = _outcome(lambda: build(fresh, data))
        got = _outcome(lambda: build_cached(loaded.template, data, loaded.structures, loaded.policy))
        assert got[0] == want[0], f"row {number}: findings differ"
        assert got[1] == want[1], f"row {number}: bytes differ"
        result = build_row(loaded, RowTask(number, f"row{number}", raw, ""))
        if want[1] is None:  # the odd row: a name that reads as 本合同第九条 / Article 9, in both texts
            assert result.status == "failed" and "Article 9" in result.message and "第九条" in result.message
            continue
        assert result.status == "ok", result.message
        assert dict(result.payloads) == want[1], f"row {number}: batch bytes differ"
    assert 1 <= len(loaded.structures.entries) <= 4  # both texts' clause sets, cached


def test_a_row_without_the_english_value_fails_alone(tmp_path: Path) -> None:
    rows = _rows()[:3]
    header = ["contract_no", "signing_date", "buyer.name", "buyer.name_en", "seller.name", "seller.name_en",
              "price", "payment_days"]
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for i, r in enumerate(rows):
            out.writerow([r["contract_no"], r["signing_date"], r["buyer"]["name"],
                          "" if i == 1 else r["buyer"]["name_en"], r["seller"]["name"], r["seller"]["name_en"],
                          r["price"], r["payment_days"]])
    from click.testing import CliRunner

    from contractgen.cli import main

    result = CliRunner().invoke(main, ["batch", str(FIXTURE / "mini"), "--data", str(path), "--out",
                                       str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 1, result.output
    assert "row 3 (SA-001): missing required field 'buyer.name_en'" in result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["SA-000.md", "SA-002.md"]
