"""Template specs (``contract.yaml``) and contract data: loading, validation, coercion."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .diagnostics import ERROR, Finding, InputErrors, UserError, did_you_mean
from .model import SourcePos
from .numbering import LANGUAGES, SCHEMES
from .yamlmessages import YamlProblems, load_yaml

TYPES = ("string", "number", "integer", "date", "boolean")
PART_KINDS = ("cover", "main", "addendum", "attachment")
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(slots=True)
class FieldSpec:
    name: str  # dotted: "party_a.name"
    type: str = "string"
    required: bool = True
    min: Decimal | None = None
    max: Decimal | None = None
    choices: tuple | None = None


@dataclass(slots=True)
class PartSpec:
    id: str
    kind: str
    clauses: list[str]
    title: str = ""
    cite_as: str = ""
    when: str | None = None
    line: int = 0


@dataclass(slots=True)
class TemplateSpec:
    path: Path  # the contract.yaml file
    name: str
    version: str
    title: str
    lang: str
    output_name: str
    parts: list[PartSpec]
    data: dict[str, FieldSpec]
    toc_levels: int = 2
    fonts: dict = field(default_factory=dict)
    library: Path | None = None
    scheme: str = ""  # the numbering scheme (numbering.SCHEMES); "" means the language's own

    def __post_init__(self) -> None:
        self.scheme = self.scheme or self.lang

    @property
    def dir(self) -> Path:
        return self.path.parent


# ---------------------------------------------------------------- loading YAML


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: the data schema parses them, with a clear
    message for 2024-02-30 instead of a crash inside the YAML library."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> tuple[object, dict[str, int]]:
    """Parse a YAML file; return the data and the line of every dotted mapping key."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = _decode(raw, path)
    try:
        node, data = load_yaml(text, _Loader)
    except YamlProblems as exc:  # explained in plain words, one line each
        raise UserError("\n".join(f"{path}:{p.line}: invalid YAML: {p.text()}" for p in exc.problems)) from None
    lines: dict[str, int] = {}
    _key_lines(node, "", lines)
    return data, lines


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese Windows editors save."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{path}: not UTF-8 or GB18030 text; save it as UTF-8")


def _key_lines(node, prefix: str, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            out.setdefault(name, key.start_mark.line + 1)
            _key_lines(value, name + ".", out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.setdefault(f"{prefix}{i}", item.start_mark.line + 1)
            _key_lines(item, f"{prefix}{i}.", out)


def load_spec(template_dir: Path) -> TemplateSpec:
    """Load ``TEMPLATE_DIR/contract.yaml``; every problem is reported at once with its line."""
    path = Path(template_dir) / "contract.yaml"
    if not path.is_file():
        raise UserError(f"{template_dir}: no contract.yaml in this folder")
    raw, lines = read_yaml(path)
    problems: list[Finding] = []

    def bad(key: str, message: str, suggestion: str = "") -> None:
        pos = SourcePos(str(path), lines.get(key, 1))
        problems.append(Finding("bad-template", ERROR, message, pos, suggestion=suggestion))

    if not isinstance(raw, dict):
        raise UserError(f"{path}:1: expected a mapping of template settings")
    for key in ("name", "title", "parts"):
        if not raw.get(key):
            bad(key, f"missing required setting '{key}'")
    lang, scheme = _lang_and_scheme(raw, bad)
    toc_levels, fonts = raw.get("toc_levels", 2), raw.get("fonts") or {}
    if not isinstance(toc_levels, int) or isinstance(toc_levels, bool) or not 1 <= toc_levels <= 3:
        bad("toc_levels", f"'toc_levels' must be 1, 2 or 3, not {toc_levels!r}")
    if not isinstance(fonts, dict):
        bad("fonts", "'fonts' must map roles to font names, e.g. {body: SimSun, heading: SimHei}")
    data = _field_specs(raw.get("data") or {}, bad)
    parts = _part_specs(raw.get("parts") or [], lines, bad, data)
    if problems:
        raise InputErrors(problems)
    library = raw.get("library")
    return TemplateSpec(
        path=path, name=str(raw["name"]), version=str(raw.get("version", "0")),
        title=str(raw["title"]), lang=lang, output_name=str(raw.get("output_name", "{contract_no}")),
        parts=parts, data=data, toc_levels=toc_levels, fonts=dict(fonts), scheme=scheme,
        library=(path.parent / library).resolve() if library else None,
    )


def _lang_and_scheme(raw: dict, bad) -> tuple[str, str]:
    """``lang`` (zh | en) and ``scheme`` (a numbering scheme of that language; the language's
    own by default). ``lang: en-GB`` names the scheme and its language at once."""
    lang, scheme = str(raw.get("lang", "zh")), str(raw.get("scheme", "") or "")
    if lang not in LANGUAGES and lang in SCHEMES and not scheme:
        lang, scheme = SCHEMES[lang].lang, lang
    if lang not in LANGUAGES:
        bad("lang", f"unknown lang '{lang}': choose from {', '.join(LANGUAGES)}",
            did_you_mean(lang, [*LANGUAGES, *SCHEMES]))
        return "zh", "zh"
    scheme = scheme or lang
    choices = [name for name, s in SCHEMES.items() if s.lang == lang]
    if scheme not in choices:
        listed = "; ".join(f"{name} ({SCHEMES[name].description})" for name in choices)
        bad("scheme", f"unknown numbering scheme '{scheme}' for lang {lang}: choose from {listed}",
            did_you_mean(scheme, choices))
        return lang, lang
    return lang, scheme


def _field_specs(raw: dict, bad) -> dict[str, FieldSpec]:
    if not isinstance(raw, dict):
        bad("data", "'data' must map field names to their type")
        return {}
    specs = {}
    for name, opts in raw.items():
        opts = {"type": opts} if isinstance(opts, str) else (opts or {})
        key = f"data.{name}"
        if not isinstance(opts, dict):
            bad(key, f"field '{name}': write a type (string, number, …) or a mapping like {{type: number, min: 0}}")
            continue
        ftype = opts.get("type", "string")
        if ftype not in TYPES:
            bad(key, f"field '{name}': unknown type '{ftype}'", did_you_mean(str(ftype), TYPES))
            continue
        bounds = {k: _bound(opts.get(k)) for k in ("min", "max")}
        choices = opts.get("choices")
        if any(v is False for v in bounds.values()) or not isinstance(choices, (list, type(None))):
            bad(key, f"field '{name}': 'min' and 'max' must be numbers and 'choices' a list")
            continue
        specs[name] = FieldSpec(name=name, type=ftype, required=bool(opts.get("required", True)),
                                min=bounds["min"], max=bounds["max"], choices=tuple(choices) if choices else None)
    return specs


def _bound(value) -> Decimal | None | bool:
    """A numeric bound, None when absent, False when it is not a number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return False


def _part_specs(raw: list, lines: dict[str, int], bad, data: dict[str, FieldSpec]) -> list[PartSpec]:
    parts: list[PartSpec] = []
    seen: set[str] = set()
    listed: dict[str, str] = {}  # clause id -> the part that lists it first
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        key = f"parts.{i}"
        if not isinstance(item, dict) or not item.get("id"):
            bad(key, "each part needs an 'id'")
            continue
        pid, kind = str(item["id"]), str(item.get("kind", "main"))
        if kind not in PART_KINDS:
            bad(f"{key}.kind", f"part '{pid}': unknown kind '{kind}'", did_you_mean(kind, PART_KINDS))
        if pid in seen or not _LABEL.match(pid):
            bad(f"{key}.id", f"part id '{pid}' must be unique, lower-case words joined by hyphens")
        seen.add(pid)
        clauses = item.get("clauses") or []
        if not isinstance(clauses, list) or not clauses:
            bad(f"{key}.clauses", f"part '{pid}' lists no clauses")
            clauses = []
        for j, clause in enumerate(map(str, clauses)):
            if clause in listed:  # its labels would be defined twice
                bad(f"{key}.clauses.{j}", f"clause '{clause}' is listed twice (first in part '{listed[clause]}')")
            listed.setdefault(clause, pid)
        when = item.get("when")
        if when is not None and not _names_data(when, data):
            groups = {n.rsplit(".", 1)[0] for n in data} | set(data)
            bad(f"{key}.when", f"part '{pid}': 'when' must name a data field or group, not {when!r}",
                did_you_mean(str(when), groups))
        parts.append(PartSpec(
            id=pid, kind=kind, clauses=[str(c) for c in clauses], title=str(item.get("title", "")),
            cite_as=str(item.get("cite_as", "")), when=when, line=lines.get(key, 1),
        ))
    return parts


def _names_data(when, data: dict[str, FieldSpec]) -> bool:
    """Whether ``when`` is a declared field or the group of one ("third_party")."""
    return isinstance(when, str) and any(n == when or n.startswith(when + ".") for n in data)


# ---------------------------------------------------------------- data


def load_data_file(path: Path) -> tuple[dict, dict[str, int]]:
    """Read contract data from .yaml/.yml/.json; return it with key lines (YAML only)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data, lines = read_yaml(path)
    elif suffix == ".json":
        try:
            data, lines = json.loads(path.read_text(encoding="utf-8-sig")), {}
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read: {exc}") from None
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    else:
        raise UserError(f"{path}: data must be a .yaml, .yml or .json file")
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: expected a mapping of field names to values")
    return data, lines


def flatten(raw: dict, prefix: str = "") -> dict[str, object]:
    """{"party_a": {"name": "x"}} -> {"party_a.name": "x"}."""
    flat: dict[str, object] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def data_problems(spec: TemplateSpec, raw: dict, source: str, lines: dict | None = None) -> list[Finding]:
    """Every problem with ``raw`` against the template's data schema."""
    return _check_data(spec, raw, source, lines or {})[1]


def validate_data(spec: TemplateSpec, raw: dict, source: str, lines: dict | None = None) -> dict:
    """Coerce ``raw`` to the schema's types; raise :class:`InputErrors` listing every problem.

    The result is nested (``data["party_a"]["name"]``). Declared optional fields that are
    absent are None, and a group whose fields are all absent is None, so templates can
    write ``{% if third_party %}``.
    """
    data, problems = _check_data(spec, raw, source, lines or {})
    if problems:
        raise InputErrors(problems)
    return data


def _check_data(spec: TemplateSpec, raw: dict, source: str, lines: dict) -> tuple[dict, list[Finding]]:
    flat = {k: v for k, v in flatten(raw).items() if not _blank(v)}
    problems: list[Finding] = []

    def bad(name: str, message: str, suggestion: str = "") -> None:
        pos = SourcePos(source, lines.get(name, 1))
        problems.append(Finding("bad-data", ERROR, message, pos, suggestion=suggestion))

    for name in flat:
        if name not in spec.data:
            bad(name, f"unknown field '{name}'", did_you_mean(name, spec.data))
    values: dict[str, object] = {}
    for name, fs in spec.data.items():
        if name not in flat:
            if fs.required:
                bad(name, f"missing required field '{name}' ({fs.type})")
            values[name] = None
            continue
        try:
            values[name] = coerce(fs, flat[name])
        except ValueError as exc:
            bad(name, f"field '{name}': {exc}")
    return _drop_empty_groups(nest(values)), problems


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce(fs: FieldSpec, value):
    """Convert one value to the field's type; ValueError says what was expected."""
    result = _COERCE[fs.type](value)
    if fs.type in ("number", "integer"):
        if fs.min is not None and result < fs.min:
            raise ValueError(f"{result} is below the minimum {fs.min}")
        if fs.max is not None and result > fs.max:
            raise ValueError(f"{result} is above the maximum {fs.max}")
    if fs.choices and result not in fs.choices:
        raise ValueError(f"{result!r} is not one of {', '.join(map(str, fs.choices))}")
    return result


_LINE_BREAKS = re.compile(r"[\n\r\v\f\x85\u2028\u2029]")
_PRIVATE_MARKS = re.compile("[\ue000-\ue002]")  # render.py's value tokens


def _to_string(value) -> str:
    """One line of text. A line break is refused rather than printed: in a clause it would
    start a new paragraph, heading or list item made of data (see render.py)."""
    if isinstance(value, (dict, list)):
        raise ValueError("expected text, got a nested value")
    text = str(value).strip()
    if _LINE_BREAKS.search(text):
        raise ValueError("a line break in a one-line text field; write the value on one line")
    if _PRIVATE_MARKS.search(text):
        raise ValueError("contains a private-use character (U+E000–U+E002) that contracts cannot hold")
    return text


def _to_number(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a number, got {value!r}")
    return number


def _to_integer(value) -> int:
    try:
        number = _to_number(value)
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None
    if number != number.to_integral_value():
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(number)


_DATE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?$")


def _to_date(value) -> dt.date:
    """2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"expected a date like 2024-03-01, got {value!r}")
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the calendar") from None


def _to_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "是", "y"):
        return True
    if text in ("false", "no", "0", "否", "n"):
        return False
    raise ValueError(f"expected yes or no, got {value!r}")


_COERCE = {"string": _to_string, "number": _to_number, "integer": _to_integer,
           "date": _to_date, "boolean": _to_boolean}


def nest(values: dict[str, object]) -> dict:
    """Dotted names to nested dicts: ``{"party_a.name": "x"}`` → ``{"party_a": {"name": "x"}}``."""
    nested: dict = {}
    for name, value in values.items():
        *groups, leaf = name.split(".")
        node = nested
        for g in groups:
            node = node.setdefault(g, {})
        node[leaf] = value
    return nested


def _drop_empty_groups(node: dict) -> dict:
    for key, value in node.items():
        if isinstance(value, dict):
            value = _drop_empty_groups(value)
            node[key] = value if any(v is not None for v in value.values()) else None
    return node


def lookup(data: dict, dotted: str):
    """The value at a dotted path, or None."""
    node = data
    for key in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node
