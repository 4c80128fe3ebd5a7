"""web/forms.py: a template's data schema as a form, and posted answers back as data,
validated with build's own function (so the messages are build's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE
from contractgen.diagnostics import InputErrors
from contractgen.pipeline import load_data, load_template
from contractgen.spec import load_data_file
from contractgen.web import forms

TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def huzhou():
    return load_template(SAMPLE)


@pytest.fixture(scope="module")
def sample_values(huzhou) -> dict[str, str]:
    raw, _ = load_data_file(SAMPLE / "sample-data.yaml")
    return forms.values_from_data(huzhou.spec, raw)


def test_every_schema_field_is_asked_once_in_schema_order(huzhou) -> None:
    form = forms.form_for(huzhou)
    assert [f.name for f in form.fields()] == list(huzhou.spec.data)
    assert {f.label for f in form.fields()} >= {"合同编号", "甲方名称", "月服务费", "签订日期"}


def test_groups_are_fieldsets_named_by_what_their_labels_share(huzhou) -> None:
    groups = {item.name: item for item in forms.form_for(huzhou).items if isinstance(item, forms.FormGroup)}
    assert {name: g.legend for name, g in groups.items()} == {
        "party_a": "甲方", "party_b": "乙方", "third_party": "第三方"}
    assert [f.name for f in groups["party_a"].fields()] == ["party_a.name", "party_a.address", "party_a.rep"]


@pytest.mark.parametrize(("labels", "lang", "legend"), [
    (["甲方名称", "甲方住所", "甲方法定代表人或授权代表"], "zh", "甲方"),
    (["Customer name", "Customer address"], "en", "Customer"),
    (["Client name", "Client company number", "Client registered office"], "en", "Client"),
    (["Customers' name", "Customer address"], "en", ""),  # never half a word
    (["Name", "Address"], "en", ""),
    (["名称"], "zh", ""),  # one field: nothing shared
])
def test_shared_label(labels: list[str], lang: str, legend: str) -> None:
    assert forms.shared_label(labels, lang) == legend


@pytest.mark.parametrize(("template", "currencies"), [
    ("huzhou-cs-outsourcing", {"fee": "CNY"}),                 # {{ fee | amount }} in a zh contract
    ("services-agreement-en", {"fee": "USD"}),                 # the en-US default
    ("consultancy-agreement-gb", {"day_rate": "GBP", "charges_cap": "GBP"}),  # amount('GBP')
])
def test_an_amount_shows_the_currency_the_contract_prints(template: str, currencies: dict) -> None:
    tpl = load_template(TEMPLATES / template)
    assert forms.amount_currencies(tpl) == currencies
    shown = {f.name: f.currency for f in forms.form_for(tpl).fields() if f.currency}
    assert shown == currencies


@pytest.mark.parametrize(("name", "widget"), [
    ("contract_no", "text"), ("fee", "text"), ("staff", "text"), ("sign_date", "date")])
def test_widgets_follow_the_type(huzhou, name: str, widget: str) -> None:
    field = next(f for f in forms.form_for(huzhou).fields() if f.name == name)
    assert field.widget == widget


def test_the_addendum_s_group_has_a_checkbox(huzhou, sample_values) -> None:
    group = next(i for i in forms.form_for(huzhou).items if getattr(i, "name", "") == "third_party")
    assert group.toggle == forms.Toggle("include:third_party", "补充协议（第三方介入）")
    assert sample_values["include:third_party"] == "on"  # the sample has a third party
    unticked = {k: v for k, v in sample_values.items() if k != "include:third_party"}
    assert "third_party" in forms.posted_data(huzhou.spec, sample_values)
    assert "third_party" not in forms.posted_data(huzhou.spec, unticked)


def test_posted_sample_is_the_sample_data_file(huzhou, sample_values) -> None:
    """The form's answers build the same data as ``build --data sample-data.yaml``."""
    _raw, from_file = load_data(huzhou, SAMPLE / "sample-data.yaml")
    checked = forms.check_answers(huzhou.spec, forms.posted_data(huzhou.spec, sample_values), "en")
    assert checked.ok and checked.data == from_file


@pytest.mark.parametrize(("field", "typed", "lang", "message"), [
    ("staff", "十二", "en", "field 'staff' (客服人员数量): expected a whole number, got '十二'"),
    ("staff", "十二", "zh", "字段'staff'（客服人员数量）：应为整数，实际为'十二'"),
    ("fee", "一万二", "en", "field 'fee' (月服务费): expected a number, got '一万二'"),
    ("sign_date", "2024-02-30", "en", "field 'sign_date' (签订日期): '2024-02-30' is not a date in the calendar"),
    ("contract_no", "", "en", "missing required field 'contract_no' (合同编号, string)"),
])
def test_a_wrong_answer_gets_build_s_message_at_its_field(huzhou, sample_values, tmp_path: Path, field: str,
                                                         typed: str, lang: str, message: str) -> None:
    values = dict(sample_values, **{field: typed})
    checked = forms.check_answers(huzhou.spec, forms.posted_data(huzhou.spec, values), lang)
    assert checked.by_field == {field: [message]} and not checked.general
    if lang == "en":  # build, given the same answers in a data file, says the same
        data = tmp_path / "data.yaml"
        data.write_bytes(forms.answers_file(forms.posted_data(huzhou.spec, values), "yaml"))
        with pytest.raises(InputErrors) as exc:
            load_data(huzhou, data)
        assert [f.message for f in exc.value.findings] == [message]


def test_problems_about_no_field_are_general(huzhou) -> None:
    checked = forms.check_answers(huzhou.spec, {"party_a": "甲公司", "colour": "red"}, "en")
    assert "unknown field 'colour'" in checked.general
    assert any(m.startswith("'party_a' is a group of fields") for m in checked.general)
    assert "party_a.name" not in checked.by_field  # the group's own message says it


@pytest.fixture
def arbitration(tmp_path: Path):
    """Huzhou with a boolean question and a question that depends on it."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "clauses", root / "clauses")
    shutil.copytree(SAMPLE, root / "templates" / SAMPLE.name)
    spec = root / "templates" / SAMPLE.name / "contract.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("parts:\n", (
        "  arbitration: {type: boolean, required: false, label: 约定仲裁}\n"
        "  arbitration_body: {type: string, required_when: arbitration, label: 仲裁机构}\n"
        "parts:\n"), 1), encoding="utf-8")
    return load_template(spec.parent)


@pytest.mark.parametrize(("ticked", "body", "hidden", "problems"), [
    ("false", "", {"arbitration_body"}, {}),
    ("false", "湖州仲裁委员会", {"arbitration_body"}, {}),  # not asked: the answer is dropped
    ("true", "湖州仲裁委员会", set(), {}),
    ("true", "", set(), {"arbitration_body": [
        "field 'arbitration_body' (仲裁机构) is required when arbitration is true"]}),
])
def test_a_when_question_is_asked_only_when_it_applies(arbitration, sample_values, ticked: str, body: str,
                                                        hidden: set, problems: dict) -> None:
    values = dict(sample_values, arbitration=ticked, arbitration_body=body)
    assert forms.hidden_fields(arbitration.spec, values) == hidden
    data = forms.posted_data(arbitration.spec, values)
    assert data.get("arbitration_body") == (body or None if not hidden else None)
    assert forms.check_answers(arbitration.spec, data, "en").by_field == problems


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_answers_file_round_trip(huzhou, sample_values, tmp_path: Path, fmt: str) -> None:
    values = dict(sample_values, contract_no="012345", fee="1,234.50")  # kept as typed
    path = tmp_path / f"answers.{fmt}"
    path.write_bytes(forms.answers_file(forms.posted_data(huzhou.spec, values), fmt))
    raw, _ = load_data_file(path)
    assert forms.values_from_data(huzhou.spec, raw) == values


@pytest.mark.parametrize(("typed", "shown"), [
    ("2024-03-01", "2024-03-01"), ("2024年3月1日", "2024-03-01"), ("2024/3/1", "2024-03-01"),
    ("", ""), ("下周一", None), ("2024-02-30", None)])
def test_date_input(typed: str, shown) -> None:
    assert forms.date_input(typed) == shown


# -- a problem next to its field, amounts typed with their currency ------------------------


@pytest.mark.parametrize(("field", "typed", "lang", "near", "built"), [
    ("fee", "三万元", "zh", "应为数字，实际为“三万元”（例如 30000）", "字段'fee'（月服务费）：应为数字，实际为'三万元'"),
    ("fee", "12k", "en", "expected a number, got '12k' (e.g. 30000)", "field 'fee' (月服务费): expected a number, got '12k'"),
    ("staff", "十二", "zh", "应为整数，实际为“十二”（例如 12）", "字段'staff'（客服人员数量）：应为整数，实际为'十二'"),
    ("sign_date", "2024-02-30", "zh", "“2024-02-30”不是日历上存在的日期", None),
    ("contract_no", "", "zh", "必填", "缺少必填字段'contract_no'（合同编号, string）"),
    ("contract_no", "", "en", "required", "missing required field 'contract_no' (合同编号, string)"),
])
def test_next_to_its_field_a_problem_is_said_without_the_field_s_key_and_label(
        huzhou, sample_values, field: str, typed: str, lang: str, near: str, built) -> None:
    values = dict(sample_values, **{field: typed})
    checked = forms.check_answers(huzhou.spec, forms.posted_data(huzhou.spec, values), lang)
    assert checked.near_field == {field: [near]}
    if built is not None:
        assert checked.by_field == {field: [built]}  # build's own words are kept beside it
    label = huzhou.spec.data[field].label
    assert f"'{field}'" not in near and label not in near and "string" not in near


@pytest.mark.parametrize(("typed", "code", "number"), [
    ("£1,200", "GBP", "1,200"), ("£ 1,200.50", "GBP", "1,200.50"), ("1200 GBP", "GBP", "1200"),
    ("¥38,000", "CNY", "38,000"), ("￥38000", "CNY", "38000"), ("人民币38000元", "CNY", "38000"),
    ("38,000元", "CNY", "38,000"), ("RMB 38000", "CNY", "38000"), ("USD 12,500.00", "USD", "12,500.00"),
    ("US$12,500", "USD", "12,500"),
    ("三万元", "CNY", "三万元"),   # not a number without its currency: as typed, for its message
    ("£1,200", "CNY", "£1,200"),   # another currency's symbol is not read away
    ("元", "CNY", "元"), ("1200", "GBP", "1200"),
])
def test_an_amount_typed_with_its_currency_is_read_as_the_number(typed: str, code: str, number: str) -> None:
    assert forms.bare_amount(typed, code) == number


def test_the_form_builds_an_amount_typed_with_its_currency_but_a_data_file_does_not(huzhou, sample_values) -> None:
    values = dict(sample_values, fee="人民币38,000元")
    data = forms.posted_data(huzhou.spec, values, forms.amount_currencies(huzhou))
    checked = forms.check_answers(huzhou.spec, data, "zh")
    assert checked.ok and str(checked.data["fee"]) == "38000"
    # The CLI's data file rules do not change: the same text in a data file is refused.
    as_file = forms.check_answers(huzhou.spec, forms.posted_data(huzhou.spec, values), "en")
    assert as_file.by_field == {"fee": ["field 'fee' (月服务费): expected a number, got '人民币38,000元'"]}


@pytest.mark.parametrize(("template", "lang", "shown"), [
    ("huzhou-cs-outsourcing", "zh", {"fee": "人民币"}),   # as the help says it: 人民币元
    ("huzhou-cs-outsourcing", "en", {"fee": "CNY"}),
    ("consultancy-agreement-gb", "en", {"day_rate": "£", "charges_cap": "£"}),  # as the contract prints it
    ("services-agreement-en", "en", {"fee": "USD"}),
])
def test_the_currency_is_shown_in_the_form_s_language(template: str, lang: str, shown: dict) -> None:
    tpl = load_template(TEMPLATES / template)
    fields = [f for f in forms.form_for(tpl, lang).fields() if f.currency]
    assert {f.name: f.currency_label for f in fields} == shown
