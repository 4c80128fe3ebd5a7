"""A batch row gets exactly what `build` gives the same data: findings and bytes.

The batch builds each clause set's structure once and fills every row's values into it
(pipeline.build_cached, passes/fill.py), and runs the ``reads="structure"`` check rules
once per set. This test builds every row of a CSV both ways — through a batch worker's
loaded job (the structure cache, its check policy, its writers) and through a fresh
`build` — and compares the findings (code, severity, message, position, excerpt,
suggestion), the error a failing row reports, and the md and docx bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractgen.batch.rows import RowSource
from contractgen.batch.worker import BatchJob, RowTask, build_row, load_job
from contractgen.diagnostics import InputErrors, UserError
from contractgen.incremental import build_cached
from contractgen.pipeline import build, load_template, render_outputs
from contractgen.spec import nest, validate_data

ROOT = Path(__file__).resolve().parent.parent
COND = ROOT / "tests" / "roots" / "batch-conditions" / "templates" / "cond"
PLAIN = COND.parent / "plain"
HUZHOU = ROOT / "templates" / "huzhou-cs-outsourcing"


def _csv_rows(path: Path) -> list[dict]:
    with RowSource(path) as source:
        return [nest(row.cells) for row in source.rows()]


def _sample(template: Path) -> dict:
    return yaml.safe_load((template / "sample-data.yaml").read_text(encoding="utf-8"))


def _vary(raw: dict, **changes) -> dict:
    """``raw`` with dotted keys replaced ("party_a.name": "XX")."""
    out = yaml.safe_load(yaml.safe_dump(raw, allow_unicode=True))
    for dotted, value in changes.items():
        node = out
        *path, last = dotted.split(".")
        for key in path:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return out


def _zh_rows() -> list[dict]:
    rows = _csv_rows(HUZHOU / "parties.csv")  # row 8 is deliberately invalid (staff 十二)
    base = _sample(HUZHOU)
    return rows + [_vary(base, **{"party_b.name": "第九条科技有限公司"}), _vary(base, **{"party_a.name": "XX"}),
                   _vary(base, fee=1234567.89), _vary(base, **{"party_a.name": "ACME Ltd", "third_party": None}),
                   *_hostile_rows(base)]


def _hostile_rows(base: dict) -> list[dict]:
    """Values that each rule reading a row's own units may find something in, after rows
    whose clause set the batch has already kept: citations and attachments, a definition
    and quoted terms, leftovers and blanks, 定金 and 订金, half-width punctuation, book titles,
    甲乙双方 and an English party role, an amount whose words disagree."""
    return [
        _vary(base, **{"party_a.name": "第九条及附件三所述公司（以下简称“供应商”）", "party_a.rep": "张三,李四"}),
        _vary(base, **{"party_a.address": "TBD [●] 地址：____ 20XX年", "party_b.name": "定金订金有限公司"}),
        _vary(base, **{"party_b.address": "《服务规范》所述地址，“客服专员”与“客服专员”", "party_a.rep": "甲乙双方"}),
        _vary(base, **{"party_b.name": "按第九十九条及附件九约定的公司"}),
        _vary(base, **{"party_a.name": "Party A shall pay 人民币100元（大写：壹佰伍拾元整）",
                       "party_b.rep": "见附件一、第一条"}),
        _sample(HUZHOU),  # and back to plain values in the same clause set
    ]


def _en_rows(template: Path) -> list[dict]:
    base = _sample(template)
    names = [k for k, v in template_fields(template).items() if v == "string"]
    rows = [base]
    for text in ("XX", "Section 99 of the Agreement", "第九条", ""):
        rows.append(_vary(base, **{names[-1]: text}) if names else base)
    return rows


def template_fields(template: Path) -> dict[str, str]:
    spec = yaml.safe_load((template / "contract.yaml").read_text(encoding="utf-8"))
    return {k: (v or {}).get("type", "string") for k, v in spec.get("data", {}).items()}


CASES = [
    ("cond", COND, lambda: _csv_rows(COND / "rows.csv")),
    ("plain", PLAIN, lambda: _csv_rows(COND / "rows.csv")),
    ("huzhou", HUZHOU, _zh_rows),
    *[(t.name, t, (lambda t=t: _en_rows(t)))
      for t in sorted((ROOT / "templates").iterdir()) if t.name.endswith(("-en", "-gb"))],
]


def _outcome(fn):
    """(findings as tuples, md and docx bytes) or the error findings of a failing build."""
    try:
        built = fn()
    except InputErrors as exc:
        return ("errors", [f.format() for f in exc.findings]), None
    except UserError as exc:
        return ("user", exc.message), None
    found = [(f.code, f.severity, f.message, str(f.source), f.excerpt, f.suggestion) for f in built.findings]
    return found, dict(render_outputs(built.doc, ["md", "docx"])) if not built.errors else None


@pytest.mark.parametrize("name,template,rows", CASES, ids=[c[0] for c in CASES])
def test_every_row_of_a_batch_equals_its_build(name, template, rows):
    job = BatchJob(str(template), ("md", "docx"), None, "rows.csv")
    loaded = load_job(job)
    fresh = load_template(template)
    outcomes, cached = [], 0
    for number, raw in enumerate(rows(), start=2):
        try:
            data = validate_data(fresh.spec, raw, f"rows.csv:{number}")
        except (InputErrors, UserError):
            data = None
        if data is not None:
            want = _outcome(lambda: build(fresh, data))
            got = _outcome(lambda: build_cached(loaded.template, data, loaded.structures, loaded.policy))
            assert got[0] == want[0], f"{name} row {number}: findings differ"
            assert got[1] == want[1], f"{name} row {number}: bytes differ"
            outcomes.append(want[0])
        result = build_row(loaded, RowTask(number, f"row{number}", raw, ""))
        if data is None or want[1] is None:
            assert result.status == "failed" and result.message, f"{name} row {number} should fail"
        else:
            assert result.status == "ok", result.message
            assert dict(result.payloads) == want[1], f"{name} row {number}: batch bytes differ"
            cached += 1
    assert cached >= 2, "the case must build rows, not only fail them"
    assert len(loaded.structures.entries) >= 1


def test_the_conditions_template_meets_several_clause_sets_and_fails_a_bad_row():
    """The rows of rows.csv really take different paths: several clause sets (when:, {% if %},
    loop lengths, an empty optional value), and a row whose value a text rule rejects."""
    job = BatchJob(str(COND), ("md",), None, "rows.csv")
    loaded = load_job(job)
    statuses = [build_row(loaded, RowTask(n, f"r{n}", raw, "")).status
                for n, raw in enumerate(_csv_rows(COND / "rows.csv"), start=2)]
    assert len(loaded.structures.entries) >= 5
    assert "failed" in statuses and statuses.count("ok") >= 4


def test_values_in_headings_are_filled_in_the_toc_and_in_titled_references():
    loaded = load_job(BatchJob(str(COND), ("md",), None, "rows.csv"))
    rows = _csv_rows(COND / "rows.csv")
    texts = []
    for raw in rows[:3]:
        data = validate_data(loaded.template.spec, raw, "rows.csv")
        built = build_cached(loaded.template, data, loaded.structures, loaded.policy)
        texts.append(render_outputs(built.doc, ["md"])[0][1].decode("utf-8"))
    assert "[1.1 乙公司的义务](#b-duties)" in texts[0] and "（乙公司的义务）" in texts[0]
    assert "（第九条科技有限公司的义务）" in texts[2]
    assert "甲方ACME Ltd提供" not in texts[1] and "甲方 ACME Ltd 提供" in texts[1]  # glue decided by the value


def test_one_cache_serves_policies_that_choose_different_rules():
    """A structure rule's findings, cached for one policy, are not given to a policy that
    switched the rule off, and a policy that keeps it gets them (the plain template repeats
    the heading 人员 on purpose: a duplicate-heading warning that holds no value, so cached)."""
    from contractgen.checks.selection import CheckPolicy
    from contractgen.incremental import StructureCache

    template = load_template(PLAIN)
    data = validate_data(template.spec, _csv_rows(COND / "rows.csv")[0], "rows.csv")
    cache = StructureCache()
    everything = build_cached(template, data, cache)
    (entry,) = cache.entries.values()
    assert [f.code for f in entry[1]] == ["duplicate-heading"]  # the structure rules' findings, cached
    assert "duplicate-heading" in {f.code for f in everything.findings}
    without = CheckPolicy(codes=tuple(r.code for r in CheckPolicy().rules if r.code != "duplicate-heading"))
    assert "duplicate-heading" not in {f.code for f in build_cached(template, data, cache, without).findings}
    assert [f.format() for f in build_cached(template, data, cache).findings] == \
           [f.format() for f in build(template, data).findings]
