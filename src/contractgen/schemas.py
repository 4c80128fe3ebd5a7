"""The keys an author may write, declared once as data.

Each file kind an author writes — ``contract.yaml``, one of its ``parts:``, one field of its
``data:`` schema, a clause fragment's front matter — is a :class:`Schema`: a table of keys,
each with its type and a one-line description. :func:`check_keys` reports what a mapping
holds that its schema does not declare (with a "did you mean") and every value of the wrong
type, each at its line; :func:`reference_markdown` prints the tables that
``docs/authoring.md`` shows (a test keeps the two in sync).

What a value *means* (a known ``kind``, a ``toc_levels`` of 1 to 3, a ``when`` that names a
data field) is checked where it is used, in ``spec.py`` and ``library.py``; here only its
shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable

from .diagnostics import did_you_mean


def _is_text(value) -> bool:
    return isinstance(value, str)


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        return isinstance(value, str) and Decimal(value.strip()).is_finite()
    except InvalidOperation:
        return False


def _is_text_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_scalar_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value)


def _is_text_or_text_list(value) -> bool:
    return isinstance(value, str) or _is_text_list(value)


@dataclass(frozen=True, slots=True)
class ValueType:
    """What a key's value must be: its name in the reference, the words a message uses."""

    name: str
    noun: str  # "text", "a mapping", …: "'fonts' must be a mapping"
    accepts: Callable[[object], bool]


TEXT = ValueType("text", "text", _is_text)
INTEGER = ValueType("integer", "a whole number", _is_integer)
BOOLEAN = ValueType("boolean", "true or false", lambda v: isinstance(v, bool))
NUMBER = ValueType("number", "a number", _is_number)
LEVELS = ValueType("integer", "1, 2 or 3", lambda v: _is_integer(v) and 1 <= v <= 3)
FONTS = ValueType("mapping", "a mapping of roles to font names, e.g. {body: SimSun, heading: SimHei}",
                  lambda v: isinstance(v, dict) and all(isinstance(f, str) for f in v.values()))
SCHEME_MAP = ValueType("mapping", "a mapping of languages to scheme names, e.g. {en: en-GB}",
                       lambda v: isinstance(v, dict) and all(isinstance(f, str) for f in v.values()))
MAPPING = ValueType("mapping", "a mapping (key: value lines)", lambda v: isinstance(v, dict))
LIST = ValueType("list", "a list", lambda v: isinstance(v, list))
TEXT_LIST = ValueType("list of text", "a list of text, e.g. [a, b]", _is_text_list)
CHOICES = ValueType("list", "a list of values, e.g. [zh, en]", _is_scalar_list)
ALIASES = ValueType("text or list of text", "text or a list of text, e.g. [甲方名称, 甲方]", _is_text_or_text_list)


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: ValueType
    description: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Schema:
    """The keys of one kind of mapping an author writes."""

    name: str  # the reference table's heading
    where: str  # "in contract.yaml", "in a part": the end of an unknown-key message
    keys: tuple[Key, ...]

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)

    @property
    def names(self) -> list[str]:
        return [k.name for k in self.keys]


TEMPLATE = Schema("`contract.yaml`", "in contract.yaml", (
    Key("name", TEXT, "The template's name (kept in the document's metadata).", required=True),
    Key("version", TEXT, "The template's version, e.g. `1.0.0` (kept in the document's metadata)."),
    Key("title", TEXT, "The contract's title (the document's title).", required=True),
    Key("title_en", TEXT, "A bilingual contract's title in English (`title_zh`: in Chinese, when `lang` is `en`)."),
    Key("title_zh", TEXT, "A bilingual contract's title in Chinese, when `lang` is `en`."),
    Key("description", TEXT, "One sentence saying what the contract is for (the web app's list of templates); "
                             "not printed in the contract."),
    Key("lang", TEXT, "`zh` or `en`, or a numbering scheme's name (`en-GB`); `zh` when left out."),
    Key("scheme", TEXT, "The numbering scheme (`zh`, `zh-hanzi`, `en`, `en-GB`); the language's own when left out."),
    Key("languages", TEXT_LIST, "A bilingual contract's languages, `lang` first: `[zh, en]`; each clause then has "
        "its translation beside it (`fees.en.md`)."),
    Key("governing", TEXT, "The language whose text prevails (the generated `[[precedence]]` clause says so); "
        "`lang` when left out."),
    Key("layout", TEXT, "How a bilingual contract sets out its texts: `side-by-side` (default), `interleaved` "
        "or `sequential`."),
    Key("schemes", SCHEME_MAP, "A bilingual contract's numbering scheme per language, e.g. `{en: en-GB}`; each "
        "language's own when left out."),
    Key("output_name", TEXT, "Output file name pattern, e.g. `\"{contract_no}-{party_a.name}\"`."),
    Key("toc_levels", LEVELS, "How many heading levels the TOC lists: 1, 2 (default) or 3."),
    Key("fonts", FONTS, "Font names by role, e.g. `{body: SimSun, heading: SimHei}`."),
    Key("library", TEXT, "The clause folder, relative to the template; the nearest `clauses/` when left out."),
    Key("data", MAPPING, "The data schema: dotted field name → a type, or a mapping of field keys (below)."),
    Key("parts", LIST, "The contract's parts in order, each a mapping of part keys (below).", required=True),
    Key("skeleton", TEXT, "A Word file (`.docx`, relative to the template) that wraps the contract: its "
                          "`{{p body }}` paragraph receives it (docxtpl tags fill the rest)."),
))

PART = Schema("A part (an item of `parts:`)", "in a part", (
    Key("id", TEXT, "Unique, lower-case words joined by hyphens; an attachment is referable by it.", required=True),
    Key("kind", TEXT, "`cover` (unnumbered), `main` (default), `addendum` (numbering restarts), `attachment` "
                      "or `word` (a Word file rendered with docxtpl, see `file`)."),
    Key("title", TEXT, "The part's heading (附件 titles are listed in the register of attachments)."),
    Key("title_en", TEXT, "The part's heading in English, in a bilingual contract (`title_zh` when `lang` is `en`)."),
    Key("title_zh", TEXT, "The part's heading in Chinese, in a bilingual contract whose `lang` is `en`."),
    Key("cite_as", TEXT, "How references from other parts name this one, e.g. `本合同`."),
    Key("cite_as_en", TEXT, "`cite_as` in English, in a bilingual contract, e.g. `this Agreement`."),
    Key("cite_as_zh", TEXT, "`cite_as` in Chinese, in a bilingual contract whose `lang` is `en`."),
    Key("when", TEXT, "A data field or group: the part is included only when the data has it."),
    Key("clauses", TEXT_LIST, "Clause ids in order, e.g. `[huzhou/definitions, huzhou/services]` "
                              "(every kind but `word`).", required=True),
    Key("file", TEXT, "A `kind: word` part's Word file (`.docx`, relative to the template), e.g. `word/cover.docx`."),
))

FIELD = Schema("A data field (an entry of `data:`)", "in a data field", (
    Key("type", TEXT, "`string` (default), `number`, `integer`, `date` or `boolean`."),
    Key("required", BOOLEAN, "`false` makes the field optional; fields are required by default."),
    Key("required_when", TEXT, "A data field or group (as `when:`): required only when the data has it."),
    Key("min", NUMBER, "The smallest allowed value of a number or integer."),
    Key("max", NUMBER, "The largest allowed value of a number or integer."),
    Key("choices", CHOICES, "The allowed values."),
    Key("label", TEXT, "A human name, e.g. `甲方名称`: messages show it, and a CSV/XLSX column may be headed by it."),
    Key("aliases", ALIASES, "Other headings a CSV/XLSX column for this field may have, e.g. `[甲方, 甲方单位]`."),
    Key("help", TEXT, "A hint the web form shows under the field, e.g. `月服务费，单位：元`."),
    Key("translate", BOOLEAN, "In a bilingual contract, the field has a value per language: `party_a.name` and "
        "`party_a.name_en`; the English text prints the second for `{{ party_a.name }}`."),
))

FRONT_MATTER = Schema("Clause front matter", "in front matter", (
    Key("id", TEXT, "The clause's id, `<topic>/<slug>` as its path under `clauses/`.", required=True),
    Key("title", TEXT, "The clause's title (the `clauses` listing; an attachment part's title when the part "
                       "has none).", required=True),
    Key("version", TEXT, "The clause's version, e.g. `1.0.0` (the `clauses` listing and the HTML preview "
                         "show it).", required=True),
    Key("lang", TEXT, "`zh` or `en`: the language the clause is written in (for the library's readers)."),
))

SCHEMAS = (TEMPLATE, PART, FIELD, FRONT_MATTER)


@dataclass(frozen=True, slots=True)
class KeyProblem:
    """One key a mapping should not hold, or holds with a value of the wrong type."""

    key: str  # the key as written
    message: str
    suggestion: str = ""
    unknown: bool = False  # an unknown key (else a value of the wrong type)


def check_keys(value: dict, schema: Schema, elsewhere=()) -> list[KeyProblem]:
    """Unknown keys and values of the wrong type in ``value``, in the order written; the
    types of the keys in ``elsewhere`` are the caller's to check.

    A key whose value is empty (``title:``) counts as absent: whether it may be absent is
    the caller's business (it knows the defaults)."""
    problems = []
    for name, item in value.items():
        key = schema.key(str(name))
        if key is None:
            problems.append(KeyProblem(str(name), f"unknown key '{name}' {schema.where}",
                                       did_you_mean(str(name), schema.names) or _choose(schema), unknown=True))
        elif item is not None and key.name not in elsewhere and not key.type.accepts(item):
            quote = key.type is TEXT and isinstance(item, (bool, int, float))
            problems.append(KeyProblem(str(name), f"'{name}' must be {key.type.noun}, not {describe(item)}",
                                       "put the value in quotes" if quote else ""))
    return problems


def _choose(schema: Schema) -> str:
    return f"the keys are {', '.join(schema.names)}"


def describe(value) -> str:
    """A value in a message: 'two', 3, true, a list, a mapping."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def reference_markdown() -> str:
    """Every schema as a Markdown table, for docs/authoring.md."""
    out = []
    for schema in SCHEMAS:
        out += [f"**{schema.name}**", "", "| Key | Type | Required | Meaning |", "|---|---|---|---|"]
        out += [f"| `{k.name}` | {k.type.name} | {'yes' if k.required else ''} | {k.description} |"
                for k in schema.keys]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
