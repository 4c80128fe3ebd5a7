"""Template specs (``contract.yaml``) and contract data: loading, validation, coercion."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .datafiles import load_data_file, read_yaml  # load_data_file: part of this module's API
from .diagnostics import ERROR, Finding, InputErrors, UserError, did_you_mean
from .model import SourcePos
from .numbering import LANGUAGES, SCHEMES
from .schemas import FIELD, PART, TEMPLATE, check_keys, describe
from .values import coerce
from .wordparts.config import WordPartSpec, file_problem, unknown_kind, word_part_spec
from . import rx

__all__ = ["FieldSpec", "PartSpec", "TemplateSpec", "coerce", "data_problems", "flatten", "load_data_file",
           "load_spec", "lookup", "nest", "read_yaml", "validate_data"]

TYPES = ("string", "number", "integer", "date", "boolean")
PART_KINDS = ("cover", "main", "addendum", "attachment", "word")
_LABEL = rx.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(slots=True)
class FieldSpec:
    name: str  # dotted: "party_a.name"
    type: str = "string"
    required: bool = True
    min: Decimal | None = None
    max: Decimal | None = None
    choices: tuple | None = None
    required_when: str | None = None  # a data field or group: required only when the data has it
    label: str = ""  # a human name (甲方名称): messages show it, a CSV/XLSX heading may be it
    aliases: tuple[str, ...] = ()  # other CSV/XLSX headings for this field
    help: str = ""  # a hint the web form shows under the field
    translate: bool = False  # bilingual: the data has a value per language (name, name_en)
    translation_of: str = ""  # the field whose other-language value this is ("party_a.name" of "party_a.name_en")

    @property
    def headings(self) -> tuple[str, ...]:
        """Every CSV/XLSX column heading that means this field."""
        return tuple(dict.fromkeys(h for h in (self.name, self.label, *self.aliases) if h))

    def named(self) -> str:
        """The field in a message: 'party_a.name' (甲方名称)."""
        return f"'{self.name}' ({self.label})" if self.label else f"'{self.name}'"


@dataclass(slots=True)
class PartSpec:
    id: str
    kind: str
    clauses: list[str]
    title: str = ""
    cite_as: str = ""
    when: str | None = None
    line: int = 0
    titles: dict[str, str] = field(default_factory=dict)  # bilingual: title and cite_as per other language
    cite_as_by: dict[str, str] = field(default_factory=dict)

    def title_in(self, lang: str, primary: str) -> str:
        return self.title if lang == primary else self.titles.get(lang, "")

    def cite_as_in(self, lang: str, primary: str) -> str:
        return self.cite_as if lang == primary else self.cite_as_by.get(lang, "")


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
    word_parts: list[WordPartSpec] = field(default_factory=list)  # kind: word parts, outside ``parts``
    skeleton: str = ""  # a Word file wrapping the contract (relative to the template), or ""
    description: str = ""  # what the contract is for, in a sentence (the web app's catalog)
    # A bilingual contract (languages: [zh, en]): its languages, lang first; the language
    # that prevails; the layout; the numbering scheme and the title of each language.
    languages: tuple[str, ...] = ()
    governing: str = ""
    layout: str = ""
    schemes: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scheme = self.scheme or self.lang

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    def scheme_for(self, lang: str) -> str:
        return self.scheme if lang == self.lang else self.schemes.get(lang, lang)

    def title_in(self, lang: str) -> str:
        return self.title if lang == self.lang else self.titles.get(lang, self.title)

    @property
    def dir(self) -> Path:
        return self.path.parent


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
    for key in (k.name for k in TEMPLATE.keys if k.required):
        if not raw.get(key):
            bad(key, f"missing required setting '{key}'")
    raw, _ = _known(raw, TEMPLATE, "", bad)
    lang, scheme = _lang_and_scheme(raw, bad)
    bilingual = _languages(raw, lang, bad)
    data = _field_specs(raw.get("data") or {}, bad, bilingual["languages"])
    word_parts: list[WordPartSpec] = []
    parts = _part_specs(raw.get("parts") or [], lines, bad, data, word_parts, bilingual["languages"])
    skeleton = str(raw.get("skeleton") or "")
    if skeleton and not skeleton.lower().endswith(".docx"):
        bad("skeleton", f"'skeleton' must be a .docx Word file, not {skeleton!r}")
    if problems:
        raise InputErrors(problems)
    library = raw.get("library")
    return TemplateSpec(
        path=path, name=str(raw["name"]), version=str(raw.get("version", "0")),
        title=str(raw["title"]), lang=lang, output_name=str(raw.get("output_name", "{contract_no}")),
        parts=parts, data=data, toc_levels=raw.get("toc_levels") or 2, fonts=dict(raw.get("fonts") or {}),
        scheme=scheme, library=(path.parent / library).resolve() if library else None,
        word_parts=word_parts, skeleton=skeleton, description=str(raw.get("description") or "").strip(),
        **bilingual,
    )


LAYOUTS = ("side-by-side", "interleaved", "sequential")
_BILINGUAL_KEYS = ("governing", "layout", "schemes", *(f"title_{lang}" for lang in LANGUAGES))


def _languages(raw: dict, lang: str, bad) -> dict:
    """The bilingual settings: ``languages`` (``lang`` first), ``governing``, ``layout``,
    ``schemes`` and ``title_<lang>``; all empty for a contract in one language, where
    any of them is a mistake worth naming."""
    languages = [str(x) for x in raw.get("languages") or []]
    if len(languages) <= 1:
        if languages and languages != [lang]:
            bad("languages", f"'languages' lists {languages[0]}, but lang is {lang}")
        for key in (k for k in _BILINGUAL_KEYS if k in raw):
            bad(key, f"'{key}' is for a bilingual contract: add languages: [{lang}, "
                f"{'en' if lang == 'zh' else 'zh'}] or remove it")
        return {"languages": (), "governing": "", "layout": "", "schemes": {}, "titles": {}}
    unknown = [x for x in languages if x not in LANGUAGES]
    if unknown:
        bad("languages", f"unknown language '{unknown[0]}' in 'languages': choose from {', '.join(LANGUAGES)}",
            did_you_mean(unknown[0], LANGUAGES))
    elif languages[0] != lang or len(set(languages)) != len(languages) or len(languages) > 2:
        bad("languages", f"'languages' must be lang ({lang}) and one other language, e.g. "
            f"[{lang}, {'en' if lang == 'zh' else 'zh'}], not [{', '.join(languages)}]")
    governing = str(raw.get("governing") or lang)
    if governing not in languages:
        bad("governing", f"'governing' must be one of the contract's languages ({', '.join(languages)}), "
            f"not {governing!r}", did_you_mean(governing, languages))
    layout = str(raw.get("layout") or LAYOUTS[0])
    if layout not in LAYOUTS:
        bad("layout", f"unknown layout '{layout}': choose from {', '.join(LAYOUTS)}", did_you_mean(layout, LAYOUTS))
    schemes = {str(k): str(v) for k, v in (raw.get("schemes") or {}).items()}
    for other, name in schemes.items():
        choices = [n for n, s in SCHEMES.items() if s.lang == other]
        if other not in languages[1:]:
            bad("schemes", f"'schemes' names {other!r}, which is not a translation language of this contract "
                f"({', '.join(languages[1:])}); the scheme of {lang} is 'scheme'")
        elif name not in choices:
            bad("schemes", f"unknown numbering scheme '{name}' for {other}: choose from {', '.join(choices)}",
                did_you_mean(name, choices))
    titles = {}
    for other in languages[1:]:
        title = str(raw.get(f"title_{other}") or "").strip()
        if not title:
            bad("title", f"a bilingual contract needs its title in each language: add title_{other}")
        titles[other] = title
    return {"languages": tuple(languages), "governing": governing, "layout": layout, "schemes": schemes,
            "titles": titles}


def _known(raw: dict, schema, prefix: str, bad, what: str = "", elsewhere=()) -> tuple[dict, set[str]]:
    """``raw`` without the keys its schema does not declare or whose values have the wrong
    type (schemas.py), and those keys; each is reported at its line, the message starting
    with ``what`` ("part 'main': ")."""
    dropped = set()
    for problem in check_keys(raw, schema, elsewhere):
        bad(f"{prefix}{problem.key}", what + problem.message, problem.suggestion)
        dropped.add(problem.key)
    return {k: v for k, v in raw.items() if str(k) not in dropped}, dropped


def _lang_and_scheme(raw: dict, bad) -> tuple[str, str]:
    """``lang`` (zh | en) and ``scheme`` (a numbering scheme of that language; the language's
    own by default). ``lang: en-GB`` names the scheme and its language at once."""
    lang, scheme = str(raw.get("lang", "zh")), str(raw.get("scheme", "") or "")
    if lang not in LANGUAGES and lang in SCHEMES and scheme in ("", lang):
        lang, scheme = SCHEMES[lang].lang, lang  # lang: en-GB names the scheme and its language
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


def _field_specs(raw: dict, bad, languages: tuple[str, ...] = ()) -> dict[str, FieldSpec]:
    specs = {}
    for name, opts in raw.items():
        name, key = str(name), f"data.{name}"
        opts = {"type": opts} if isinstance(opts, str) else (opts or {})
        if not isinstance(opts, dict):
            bad(key, f"field '{name}': write a type (string, number, …) or a mapping like {{type: number, min: 0}}")
            continue
        opts, _ = _known(opts, FIELD, key + ".", bad, f"field '{name}': ", elsewhere=("min", "max", "choices"))
        spec = _field_spec(name, opts, key, bad)
        if spec is not None:
            specs[name] = spec
            if spec.translate:
                _translated_field(spec, key, languages, specs, bad)
    for fs in specs.values():
        if fs.required_when is not None and (hint := _condition_problem(fs.required_when, specs)) is not None:
            bad(f"data.{fs.name}.required_when", f"field '{fs.name}': 'required_when' must name a data field "
                f"or group, not {fs.required_when!r}", hint)
    _heading_problems(specs, bad)
    return specs


def _field_spec(name: str, opts: dict, key: str, bad) -> FieldSpec | None:
    ftype = opts.get("type", "string")
    if ftype not in TYPES:
        bad(key, f"field '{name}': unknown type '{ftype}'", did_you_mean(str(ftype), TYPES))
        return None
    bounds = {k: _bound(opts.get(k)) for k in ("min", "max")}
    choices = opts.get("choices")
    if any(v is False for v in bounds.values()) or not isinstance(choices, (list, type(None))):
        bad(key, f"field '{name}': 'min' and 'max' must be numbers and 'choices' a list")
        return None
    condition = opts.get("required_when")
    if condition is not None and opts.get("required") is True:
        bad(f"{key}.required", f"field '{name}': 'required: true' and 'required_when' contradict each other; keep one")
    aliases = opts.get("aliases") or ()
    return FieldSpec(
        name=name, type=ftype, required=bool(opts.get("required", True)) and condition is None,
        min=bounds["min"], max=bounds["max"], choices=tuple(choices) if choices else None,
        required_when=condition, label=str(opts.get("label") or "").strip(),
        aliases=tuple(a.strip() for a in ([aliases] if isinstance(aliases, str) else aliases)),
        help=str(opts.get("help") or "").strip(), translate=bool(opts.get("translate")),
    )


_LANGUAGE_NAMES = {"en": ("English", "英文"), "zh": ("Chinese", "中文")}


def _translated_field(spec: FieldSpec, key: str, languages: tuple[str, ...], specs: dict, bad) -> None:
    """``translate: true``: the field's value in each other language is the field
    ``<name>_<lang>``, declared here with the same type and requirement."""
    if len(languages) < 2:
        bad(f"{key}.translate", f"field '{spec.name}': 'translate' is for a bilingual contract "
            "(languages: [zh, en])")
        return
    if spec.type != "string":
        bad(f"{key}.translate", f"field '{spec.name}': only text fields have a translation, not a {spec.type}")
        return
    for other in languages[1:]:
        name = f"{spec.name}_{other}"
        english, chinese = _LANGUAGE_NAMES[other]
        label = f"{spec.label}（{chinese}）" if spec.label and not spec.label.isascii() else (
            f"{spec.label} ({english})" if spec.label else "")
        specs[name] = FieldSpec(name=name, type="string", required=spec.required, required_when=spec.required_when,
                                label=label, help=spec.help, translation_of=spec.name)


def _heading_problems(specs: dict[str, FieldSpec], bad) -> None:
    """A CSV/XLSX heading (a field's name, label or alias) must name one field only."""
    owner: dict[str, str] = {name: name for name in specs}
    for fs in specs.values():
        for heading in fs.headings[1:]:
            other = owner.setdefault(heading, fs.name)
            if other != fs.name:
                bad(f"data.{fs.name}", f"field '{fs.name}': the heading '{heading}' also names field '{other}'; "
                    "a column headed so would be ambiguous")


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


def _part_specs(raw: list, lines: dict[str, int], bad, data: dict[str, FieldSpec],
                word_parts: list[WordPartSpec], languages: tuple[str, ...] = ()) -> list[PartSpec]:
    parts: list[PartSpec] = []
    seen: set[str] = set()
    listed: dict[str, str] = {}  # clause id -> the part that lists it first
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        key = f"parts.{i}"
        if not isinstance(item, dict) or not item.get("id"):
            bad(key, "each part needs an 'id'")
            continue
        item, dropped = _known(item, PART, key + ".", bad, f"part '{item['id']}': ")
        if "id" in dropped:
            continue
        pid, kind = str(item["id"]), str(item.get("kind", "main"))
        if pid in seen or not _LABEL.match(pid):
            bad(f"{key}.id", f"part id '{pid}' must be unique, lower-case words joined by hyphens")
        seen.add(pid)
        if kind not in PART_KINDS:  # one error: what the part's other keys should be depends on its kind
            bad(f"{key}.kind", *unknown_kind(pid, kind, item, PART_KINDS))
            continue
        if problem := file_problem(kind, item, pid):
            bad(f"{key}.file", problem)
        when = item.get("when")
        if when is not None and (hint := _condition_problem(when, data)) is not None:
            bad(f"{key}.when", f"part '{pid}': 'when' must name a data field or group, not {when!r}", hint)
        if kind == "word":
            word = word_part_spec(pid, item.get("file"), item, key, len(parts), lines.get(key, 1), bad)
            word_parts.extend([word] if word else [])
            continue
        clauses = item.get("clauses") or []
        if not clauses and "clauses" not in dropped:
            bad(f"{key}.clauses", f"part '{pid}' lists no clauses")
        for j, clause in enumerate(clauses):
            if clause in listed:  # its labels would be defined twice
                bad(f"{key}.clauses.{j}", f"clause '{clause}' is listed twice (first in part '{listed[clause]}')")
            listed.setdefault(clause, pid)
        titles, cite_as = _part_translations(item, pid, key, languages, bad)
        parts.append(PartSpec(
            id=pid, kind=kind, clauses=list(clauses), title=str(item.get("title", "")),
            cite_as=str(item.get("cite_as", "")), when=when, line=lines.get(key, 1),
            titles=titles, cite_as_by=cite_as,
        ))
    return parts


def _part_translations(item: dict, pid: str, key: str, languages: tuple[str, ...], bad):
    """A part's ``title_<lang>`` and ``cite_as_<lang>``: each needed in a bilingual
    contract where the part has a title or cite_as, and a mistake in any other."""
    titles, cite_as = {}, {}
    for name in (k for k in item if str(k).startswith(("title_", "cite_as_"))):
        lang = str(name).rsplit("_", 1)[1]
        if lang not in languages[1:]:
            bad(f"{key}.{name}", f"part '{pid}': '{name}' is for a bilingual contract with {lang} as its "
                f"second language (languages: [{languages[0] if languages else 'zh'}, {lang}])")
    for other in languages[1:]:
        for base, out in (("title", titles), ("cite_as", cite_as)):
            value = str(item.get(f"{base}_{other}") or "").strip()
            if item.get(base) and not value:
                bad(f"{key}.{base}", f"part '{pid}' has a {base} but no {base}_{other}, which a bilingual "
                    f"contract needs in each language")
            out[other] = value
    return titles, cite_as


def _condition_problem(condition, data: dict[str, FieldSpec]) -> str | None:
    """None when ``condition`` (a part's ``when``, a field's ``required_when``) is a declared
    field or the group of one ("third_party"); else the "did you mean" hint (maybe "")."""
    if isinstance(condition, str) and any(n == condition or n.startswith(condition + ".") for n in data):
        return None
    return did_you_mean(str(condition), {n.rsplit(".", 1)[0] for n in data} | set(data))


# ---------------------------------------------------------------- data


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

    misshapen = _shape_problems(spec, flat, bad)
    for name in flat:
        if name not in spec.data and not _under(name, misshapen):
            bad(name, f"unknown field '{name}'", did_you_mean(name, spec.data))
    values: dict[str, object] = {}
    for name, fs in spec.data.items():
        if name not in flat:
            if fs.required and not _under(name, misshapen):
                bad(name, f"missing required field '{name}' ({fs.label + ', ' if fs.label else ''}{fs.type})")
            values[name] = None
            continue
        try:
            values[name] = coerce(fs, flat[name])
        except ValueError as exc:
            bad(name, f"field {fs.named()}: {exc}")
    data = _drop_empty_groups(nest(values))
    for name, fs in spec.data.items():
        if fs.required_when and name not in flat and lookup(data, fs.required_when):
            bad(fs.required_when, f"field {fs.named()} is required when {_holds(spec, fs.required_when)}")
    return data, problems


def _shape_problems(spec: TemplateSpec, flat: dict, bad) -> set[str]:
    """A group of fields given one value (``party_a: [甲公司]``) and a field given a mapping
    (``fee: {amount: 1}``): each reported once, at its line; their names are returned."""
    misshapen: set[str] = set()
    for name, value in flat.items():
        if name in spec.data:
            continue
        members = [n for n in spec.data if n.startswith(name + ".")]
        owner = next((p for p in _prefixes(name) if p in spec.data), None)
        if members:
            bad(name, f"'{name}' is a group of fields ({', '.join(members)}): write them indented under it, "
                f"not {describe(value)}")
            misshapen.add(name)
        elif owner is not None and owner not in misshapen:
            bad(owner, f"field {spec.data[owner].named()}: expected one value ({spec.data[owner].type}), got a mapping")
            misshapen.add(owner)
    return misshapen


def _prefixes(name: str) -> list[str]:
    """"a.b.c" -> ["a", "a.b"]."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _under(name: str, groups: set[str]) -> bool:
    return name in groups or any(p in groups for p in _prefixes(name))


def _holds(spec: TemplateSpec, condition: str) -> str:
    """How a condition reads in a message: "arbitration is true", "third_party is set"."""
    fs = spec.data.get(condition)
    return f"{condition} is true" if fs is not None and fs.type == "boolean" else f"{condition} is set"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
