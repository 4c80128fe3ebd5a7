"""A template's data schema as a web form, and a posted form back as contract data.

:func:`form_for` lays the schema out as the form shows it: fields in schema order, the
fields of one group (``party_a.name``, ``party_a.address``) together in a fieldset whose
legend is what their labels share (甲方), each field's input chosen by its type, an
amount's currency read from the fragments that print it (``{{ fee | amount('GBP') }}``).
Two kinds of question apply only sometimes: a field with ``required_when`` is asked when
its condition holds, and a group of optional fields that a part's ``when:`` names (the
third party of the Huzhou addendum) is asked when its checkbox — "Include 补充协议" —
is ticked. The browser shows and hides them as the form changes (``static/form.js``);
:func:`posted_data` decides on the server, dropping the answers that do not apply.

:func:`check_answers` validates the answers with the function ``build`` uses for a data
file (:func:`contractgen.spec.validate_data`), so the messages are build's, and tells
which field each problem belongs to: next to its field a problem is said without the
field's name (:func:`field_message`: "expected a number, got “三万元” (e.g. 30000)",
"required"). An amount may be typed with the currency the form shows (£1,200,
人民币38000元): :func:`bare_amount` reads it as the number, in the form only.
"""

from __future__ import annotations

import json
import os.path
from dataclasses import dataclass, field
from typing import Mapping

import yaml

from babel.numbers import get_currency_symbol

from .. import i18n
from ..diagnostics import InputErrors
from ..numbering import get_scheme
from ..numbering.words import _DEFAULT_CURRENCY, resolve_locale  # the `amount` filter's default
from ..spec import FieldSpec, TemplateSpec, coerce, flatten, nest, validate_data
from . import labels
from .. import rx

INCLUDE = "include:"  # the posted checkbox of an optional group: "include:third_party"
SOURCE = "form"  # the data's name in findings
_TRUE = ("true", "yes", "1", "是", "y", "on")  # what values.py reads as true, and a checkbox's "on"
_QUOTED = rx.compile(r"'([^'\n]*)'")  # a value as a message quotes it: '三万元'
_NUMBER_TEXT = rx.compile(r"[+-]?[\d.,]*\d[\d.,]*")
_EXAMPLES = {"number": "30000", "integer": "12"}  # shown after "expected a number"
# How an amount may be typed besides its figures: the currency's code, symbols and words.
_CURRENCY_MARKS = {"CNY": ("人民币", "RMB", "CNY", "CN¥", "¥", "￥", "元"), "GBP": ("GBP", "£"),
                   "USD": ("USD", "US$", "$"), "EUR": ("EUR", "€"), "HKD": ("HKD", "HK$"),
                   "SGD": ("SGD", "S$"), "JPY": ("JPY", "JP¥", "¥", "￥", "円")}
_AMOUNT = rx.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\s*\|\s*amount\b(?:\s*\(\s*['\"]([A-Za-z]{3})['\"])?")


@dataclass(frozen=True)
class FormField:
    """One question: a data field as the form asks it."""

    name: str  # the dotted data name, also the input's name: "party_a.name"
    type: str  # string, number, integer, date, boolean
    label: str
    help: str = ""
    required: bool = True
    choices: tuple = ()
    when: str = ""  # asked only when this data field or group holds (required_when)
    currency: str = ""  # an amount: the currency the contract prints it in (its code)
    currency_label: str = ""  # that currency as the form shows it: 人民币, £, USD

    @property
    def id(self) -> str:
        return "field-" + self.name.replace(".", "-")

    @property
    def widget(self) -> str:
        """select, checkbox, date or text (numbers are text: 1,234.50 is a number to build)."""
        if self.choices:
            return "select"
        return {"boolean": "checkbox", "date": "date"}.get(self.type, "text")

    @property
    def inputmode(self) -> str:
        return {"number": "decimal", "integer": "numeric"}.get(self.type, "")


@dataclass(frozen=True)
class Toggle:
    """The checkbox that includes an optional group (and the parts that need it)."""

    name: str  # "include:third_party"
    parts: str  # the titles of the parts it brings in: "补充协议（第三方介入）"

    @property
    def id(self) -> str:
        return "include-" + self.name[len(INCLUDE):].replace(".", "-")


@dataclass(frozen=True)
class FormGroup:
    """A fieldset: the fields under one dotted prefix ("" for the whole form)."""

    name: str
    legend: str
    items: tuple = ()  # FormFields and FormGroups in schema order
    toggle: Toggle | None = None

    @property
    def id(self) -> str:
        return "group-" + self.name.replace(".", "-") if self.name else "group-root"

    def fields(self) -> list[FormField]:
        """Every field, depth first, in schema order."""
        out: list[FormField] = []
        for item in self.items:
            out += item.fields() if isinstance(item, FormGroup) else [item]
        return out


# ---------------------------------------------------------------- schema -> form


def form_for(template, lang: str | None = None) -> FormGroup:
    """The form of a :class:`contractgen.pipeline.Template`, its currencies shown in
    ``lang`` (the template's language by default)."""
    spec = template.spec
    currencies = amount_currencies(template)
    locale = _locale(template)
    fields = [_form_field(fs, currencies.get(fs.name, ""), lang or spec.lang, locale) for fs in spec.data.values()]
    return _group("", fields, optional_groups(spec), spec.lang)


def _form_field(fs: FieldSpec, currency: str, lang: str, locale: str) -> FormField:
    return FormField(fs.name, fs.type, fs.label or fs.name, fs.help, fs.required,
                     tuple(str(c) for c in fs.choices or ()), fs.required_when or "", currency,
                     currency_label(currency, lang, locale) if currency else "")


def currency_label(code: str, lang: str, locale: str) -> str:
    """A currency as the form shows it next to an amount: 人民币 in a Chinese form, and as
    the contract prints it otherwise (£ in an en-GB contract, the code in an en-US one)."""
    if lang == i18n.ZH and code == "CNY":
        return "人民币"
    if locale == "en-GB":
        symbol = get_currency_symbol(code, locale="en_GB")
        return code if symbol.isalpha() else symbol
    return code


def _locale(template) -> str:
    return resolve_locale(get_scheme(template.spec.scheme).language_tag)


def _group(prefix: str, fields: list[FormField], toggles: dict[str, str], lang: str) -> FormGroup:
    """The fieldset of ``prefix``: its own fields, and one sub-group per next name part,
    each placed where its first field is."""
    depth = prefix.count(".") + 1 if prefix else 0
    items: list = []
    seen: set[str] = set()
    for f in fields:
        parts = f.name.split(".")
        if len(parts) == depth + 1:
            items.append(f)
            continue
        sub = ".".join(parts[:depth + 1])
        if sub not in seen:
            seen.add(sub)
            members = [g for g in fields if g.name.startswith(sub + ".")]
            items.append(_group(sub, members, toggles, lang))
    legend = (shared_label([f.label for f in fields], lang) or prefix.rsplit(".", 1)[-1]) if prefix else ""
    toggle = Toggle(INCLUDE + prefix, toggles[prefix]) if prefix in toggles else None
    return FormGroup(prefix, legend, tuple(items), toggle)


def shared_label(labels: list[str], lang: str) -> str:
    """What a group's labels share: 甲方 for 甲方名称 / 甲方住所, Customer for Customer name /
    Customer address (whole words in English); "" when they share nothing."""
    if len(labels) < 2:
        return ""
    common = os.path.commonprefix(labels)
    if lang != "zh" and not all(label[len(common):len(common) + 1] in ("", " ") for label in labels):
        common = common.rsplit(" ", 1)[0] if " " in common else ""
    return common.strip(" ：:（(")


def optional_groups(spec: TemplateSpec) -> dict[str, str]:
    """Groups some part includes only when the data has them (``when: third_party``) and
    whose fields are all optional: group -> the titles of those parts."""
    found: dict[str, list[str]] = {}
    for part in spec.parts:
        members = [fs for name, fs in spec.data.items() if part.when and name.startswith(part.when + ".")]
        if part.when and part.when not in spec.data and members and not any(fs.required for fs in members):
            found.setdefault(part.when, []).append(part.title or part.id)
    sep = "、" if spec.lang == "zh" else ", "
    return {group: sep.join(titles) for group, titles in found.items()}


def amount_currencies(template) -> dict[str, str]:
    """field -> the currency its ``amount`` filter prints (the filter's default when the
    fragment names none), from the fragments the template uses."""
    default = _DEFAULT_CURRENCY[_locale(template)]
    found: dict[str, str] = {}
    for fragment, _compiled in template.fragments.values():
        for name, code in _AMOUNT.findall(fragment.body):
            found.setdefault(name, code.upper() or default)
    return {name: code for name, code in found.items() if name in template.spec.data}


# ---------------------------------------------------------------- answers


def values_from_data(spec: TemplateSpec, raw: dict) -> dict[str, str]:
    """A data file's contents as the form's text values (and its groups' checkboxes)."""
    values = {name: _text(value) for name, value in flatten(raw).items() if value is not None}
    for group in optional_groups(spec):
        if any(name.startswith(group + ".") and values[name].strip() for name in values):
            values[INCLUDE + group] = "on"
    return values


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return getattr(value, "written", "") or str(value)


def posted_values(spec: TemplateSpec, form: Mapping) -> dict[str, str]:
    """The posted text of every field and group checkbox, as typed (for the page again)."""
    names = [*spec.data, *(INCLUDE + g for g in optional_groups(spec))]
    return {name: form[name] for name in names if isinstance(form.get(name), str)}


def posted_data(spec: TemplateSpec, values: Mapping[str, str], currencies: Mapping[str, str] | None = None) -> dict:
    """The answers that apply, as a data file would hold them: nested, text as typed (an
    amount without the currency of ``currencies`` it was typed with), a boolean as
    true/false; blank answers and those to questions that do not apply left out."""
    answers: dict[str, object] = {}
    for name, fs in spec.data.items():
        text = (values.get(name) or "").strip()
        if text and fs.type == "boolean":
            answers[name] = _boolean(text)
        elif text:
            answers[name] = bare_amount(values[name], currencies[name]) if name in (currencies or {}) else values[name]
    for group in optional_groups(spec):
        if not truthy(values.get(INCLUDE + group)):
            answers = {n: v for n, v in answers.items() if not n.startswith(group + ".")}
    while dropped := [n for n in answers if spec.data[n].required_when
                      and not holds(spec, spec.data[n].required_when, answers)]:
        answers = {n: v for n, v in answers.items() if n not in dropped}
    return nest(answers)


def bare_amount(text: str, code: str) -> str:
    """An amount typed with its currency, as the number: "£1,200" -> "1,200" (GBP),
    "人民币38000元" -> "38000" (CNY); anything else as typed ("三万元" stays for its message)."""
    rest = text.strip()
    marks = sorted(_CURRENCY_MARKS.get(code, (code,)), key=len, reverse=True)
    for mark in marks:
        if rest.upper().startswith(mark.upper()):
            rest = rest[len(mark):].strip()
            break
    for mark in marks:
        if rest.upper().endswith(mark.upper()):
            rest = rest[:len(rest) - len(mark)].strip()
            break
    return rest if rest != text.strip() and _NUMBER_TEXT.fullmatch(rest) else text


def truthy(text) -> bool:
    return isinstance(text, str) and text.strip().lower() in _TRUE


def _boolean(text: str):
    """A boolean answer as a data file holds it; anything else stays text (build says why)."""
    low = text.strip().lower()
    return True if low in _TRUE else False if low in ("false", "no", "0", "否", "n", "off") else text


def holds(spec: TemplateSpec, condition: str, answers: Mapping[str, object]) -> bool:
    """Whether ``condition`` (a field or group, as ``required_when`` names it) holds for
    the answers: a boolean field is true, another field or a field of the group is set."""
    if condition in spec.data:
        value = answers.get(condition)
        return value is True if spec.data[condition].type == "boolean" else value not in (None, "")
    return any(n.startswith(condition + ".") and v not in (None, "", False) for n, v in answers.items())


@dataclass
class Checked:
    """The answers validated: the data (None when there are problems), each problem's
    message by the field it is about (build's words, and as said next to the field), and
    those that are about no one field."""

    data: dict | None
    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    near_field: dict[str, list[str]] = field(default_factory=dict)  # field_message of each

    @property
    def ok(self) -> bool:
        return self.data is not None

    @property
    def count(self) -> int:
        return sum(map(len, self.by_field.values())) + len(self.general)


def check_answers(spec: TemplateSpec, raw: dict, lang: str) -> Checked:
    """Validate ``raw`` as ``build`` validates a data file; messages in ``lang``.

    Each name the data or the schema knows is given a line of its own, so the line of a
    finding says which field it is about; a ``required_when`` problem is reported at its
    condition's line and belongs to the field it names."""
    names = list(dict.fromkeys([*spec.data, *_groups(spec), *flatten(raw)]))
    lines = {name: i for i, name in enumerate(names, start=2)}  # line 1: no field
    try:
        return Checked(validate_data(spec, raw, SOURCE, lines))
    except InputErrors as exc:
        findings = exc.findings
    checked = Checked(None)
    for finding in findings:
        name = names[finding.line - 2] if finding.line and finding.line >= 2 else ""
        owner = _conditional_owner(spec, name, finding.message) or (name if name in spec.data else "")
        text = message_text(finding, lang)
        if owner:
            checked.by_field.setdefault(owner, []).append(text)
            checked.near_field.setdefault(owner, []).append(field_message(spec.data[owner], finding, lang))
        else:
            checked.general.append(text)
    return checked


def _groups(spec: TemplateSpec) -> list[str]:
    return list(dict.fromkeys(n.rsplit(".", 1)[0] for n in spec.data if "." in n))


def _conditional_owner(spec: TemplateSpec, condition: str, message: str) -> str:
    for fs in spec.data.values():
        if fs.required_when == condition and message.startswith(f"field {fs.named()} is required when"):
            return fs.name
    return ""


def message_text(finding, lang: str) -> str:
    """A finding's message and suggestion in ``lang``, as the CLI words them."""
    message, hint = i18n.finding_message(finding, lang), i18n.finding_suggestion(finding, lang)
    if not hint:
        return message
    return f"{message}；建议：{hint}" if lang == i18n.ZH else f"{message} ({hint})"


def field_message(fs: FieldSpec, finding, lang: str) -> str:
    """A problem as said next to its field, without the field's key and label: "required",
    "expected a number, got '12k' (e.g. 30000)"; in Chinese with Chinese quotation marks."""
    message = finding.message
    if message.startswith("missing required field ") or message.startswith(f"field {fs.named()} is required when"):
        return labels.label("required", lang)
    prefix = f"field {fs.named()}: "
    if not message.startswith(prefix):
        text = message_text(finding, lang)
    else:
        detail = message[len(prefix):]
        text = i18n.error_line(detail, lang)
        hint = i18n.finding_suggestion(finding, lang)
        if hint:
            text += f"；建议：{hint}" if lang == i18n.ZH else f" ({hint})"
        elif detail.startswith(("expected a number, got", "expected a whole number, got")) and fs.type in _EXAMPLES:
            text += labels.label(" (e.g. {example})", lang, example=_EXAMPLES[fs.type])
    return _QUOTED.sub(r"“\1”", text) if lang == i18n.ZH else text


def hidden_fields(spec: TemplateSpec, values: Mapping[str, str]) -> set[str]:
    """The fields whose question does not apply to these answers (``required_when`` does
    not hold): the page hides them, :func:`posted_data` leaves them out."""
    answers = flatten(posted_data(spec, values))
    return {name for name, fs in spec.data.items() if fs.required_when and not holds(spec, fs.required_when, answers)}


def date_input(text: str | None) -> str | None:
    """A date answer as ``<input type=date>`` holds it (2024-03-01), "" for none, or None
    when it is not a date (the page then shows the text as typed, next to its message)."""
    if not (text or "").strip():
        return ""
    try:
        return coerce(FieldSpec("date", type="date"), text).isoformat()
    except ValueError:
        return None


def answers_file(data: dict, fmt: str) -> bytes:
    """The answers as a data file ``build --data`` reads: YAML or JSON, keys in schema
    order, text as typed (so 012345 stays 012345 and 1,234.50 is read as build reads it)."""
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False).encode("utf-8")
