"""Messages in the user's language: the English texts contractgen prints, translated at
output time from a gettext catalog (``locale/zh_CN/LC_MESSAGES/contractgen.po``, compiled
to the ``.mo`` next to it with Babel).

The rules and the library keep writing English. A catalog entry's msgid is an English
*template* — ``reference to {target}, which does not exist`` — and its ``msgctxt`` says
where it applies: a rule code (that rule's messages and suggestions), ``cause`` (the line
naming a cause), ``cli`` (errors and notes the CLI prints), ``value`` (English phrases that
appear inside other messages: "the part", month names) and ``preview`` (the HTML
preview's own labels, looked up by key, not matched). A template is compiled to a regex
with one named group per ``{name}``; a message no template of its context matches stays
English, so a changed rule message is never translated wrongly, only not translated.

Captured values are put back unchanged (contract text, numbers, file names and rule codes
stay as they are), except values whose name starts with ``p_`` (a phrase: looked up in
``value``, exactly or as a template), ``l_`` (a comma list of phrases, joined with "，")
``s_`` (steps joined by ", then ", joined with "，然后") and ``c_`` (the rest of an error
line: translated as :func:`error_line` translates a line). Names in :data:`_NUMERIC`
match digits only, which keeps "(3 times)" from being read as part of a quoted token.

The language of messages (:func:`resolve_lang`): ``contractgen --lang``, else
``CONTRACTGEN_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one
set); Chinese when that starts with ``zh``, English otherwise. It is not ``check --lang``,
which says how a contract is read.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Mapping
from . import rx

EN, ZH = "en", "zh"
LANGS = (EN, ZH)
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "contractgen"
_LOCALES = {ZH: "zh_CN"}  # the catalog folder of each language that has one
_NUMERIC = {"n", "m", "count", "line", "year", "days", "month_no", "total"}
FIELD = rx.compile(r"\{(\w+)\}")

_current = EN


# --- which language ---------------------------------------------------------------------

def lang_of(value: str | None) -> str | None:
    """``zh`` / ``en`` for a language option or locale name (``zh_CN.UTF-8``, ``en_US``,
    ``C``); None for an empty value."""
    value = (value or "").strip()
    if not value:
        return None
    return ZH if value.lower().startswith("zh") else EN


def resolve_lang(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The message language: the option (``auto`` or None: not given), CONTRACTGEN_LANG,
    then LC_ALL, LC_MESSAGES, LANG — the first that is set decides; English by default."""
    env = os.environ if environ is None else environ
    if option and option != "auto":
        return lang_of(option) or EN
    for name in ("CONTRACTGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        found = env.get(name, "")
        if found and not (name == "CONTRACTGEN_LANG" and found == "auto"):
            return lang_of(found) or EN
    return EN


def set_lang(lang: str) -> None:
    """Make ``lang`` the language :func:`get_lang` returns (the CLI sets it once per run)."""
    global _current
    _current = lang if lang in LANGS else EN


def get_lang() -> str:
    """The message language of this run: English unless :func:`set_lang` chose another."""
    return _current


# --- the catalog ------------------------------------------------------------------------

def po_path(lang: str = ZH) -> Path:
    return LOCALE_DIR / _LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(lang: str = ZH) -> bytes:
    """The ``.mo`` bytes of the language's ``.po`` (Babel; deterministic for one .po)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@lru_cache(maxsize=None)
def _entries(lang: str) -> dict[str | None, dict[str, str]]:
    """{context: {msgid: msgstr}} of the language's compiled catalog (empty for English)."""
    if lang not in _LOCALES:
        return {}
    from babel.messages.mofile import read_mo

    with po_path(lang).with_suffix(".mo").open("rb") as handle:
        catalog = read_mo(handle)
    table: dict[str | None, dict[str, str]] = {}
    for message in catalog:
        if message.id and message.string:
            table.setdefault(message.context, {})[message.id] = message.string
    return table


def _pattern(template: str) -> re.Pattern:
    out, seen, at = [], set(), 0
    for m in FIELD.finditer(template):
        out.append(re.escape(template[at:m.start()]))
        name = m.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            body = r"[\d,]+" if name in _NUMERIC else r".+?"
            out.append(f"(?P<{name}>{body})")
        at = m.end()
    out.append(re.escape(template[at:]))
    return re.compile("".join(out), re.DOTALL)


@lru_cache(maxsize=None)
def _templates(lang: str, context: str) -> list[tuple[re.Pattern, str]]:
    """(regex, msgstr) of a context: the templates that wrap another line (a ``c_`` field)
    first, then the most literal text first (the most specific)."""
    found = _entries(lang).get(context, {})
    ordered = sorted(found.items(), key=lambda item: ("{c_" not in item[0], -len(FIELD.sub("", item[0])), item[0]))
    return [(_pattern(msgid), msgstr) for msgid, msgstr in ordered]


def _fill(msgstr: str, values: dict[str, str], lang: str) -> str:
    def value(m: re.Match) -> str:
        name = m.group(1)
        text = values.get(name, m.group(0))
        if name.startswith("p_"):
            return phrase(text, lang)
        if name.startswith("l_"):
            return "，".join(phrase(part, lang) for part in text.split(", "))
        if name.startswith("s_"):
            return "，然后".join(phrase(part, lang) for part in text.split(", then "))
        if name.startswith("c_"):
            return error_line(text, lang)
        return text

    return FIELD.sub(value, msgstr)


def match(text: str, context: str, lang: str | None = None) -> str | None:
    """The translation of ``text`` by the first template of ``context`` it matches, or None."""
    lang = lang or get_lang()
    if lang == EN or not text:
        return None
    exact = _entries(lang).get(context, {}).get(text)
    if exact is not None and not FIELD.search(text):
        return exact
    for pattern, msgstr in _templates(lang, context):
        m = pattern.fullmatch(text)
        if m:
            return _fill(msgstr, m.groupdict(), lang)
    return None


def translate(text: str, context: str, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: this run's language), or unchanged when no template fits."""
    found = match(text, context, lang)
    return text if found is None else found


def phrase(text: str, lang: str | None = None) -> str:
    """An English phrase inside another message ("the part", "February"), translated."""
    return translate(text, "value", lang)


# --- what the commands print ------------------------------------------------------------

def _of_code(text: str, code: str, lang: str | None) -> str:
    """``text`` by the templates of its rule code, else by those of ``cli`` (the build's
    errors: bad-data, bad-template, undefined-data, … have no rule of their own)."""
    found = match(text, code, lang)
    return translate(text, "cli", lang) if found is None else found


def finding_message(finding, lang: str | None = None) -> str:
    return _of_code(finding.message, finding.code, lang)


def finding_suggestion(finding, lang: str | None = None) -> str:
    return _of_code(finding.suggestion, finding.code, lang) if finding.suggestion else ""


def cause_summary(summary: str, lang: str | None = None) -> str:
    return translate(summary, "cause", lang)


def format_finding(finding, lang: str | None = None) -> str:
    """:meth:`Finding.format` in ``lang``: place, severity, code, message and suggestion."""
    lang = lang or get_lang()
    if lang == EN:
        return finding.format()
    where = f"{_place(finding.source, lang)}: " if finding.source else ""
    hint = finding_suggestion(finding, lang)
    hint = f"；建议：{hint}" if hint else ""
    return f"{where}{text(finding.severity, lang)} {finding.code}: {finding_message(finding, lang)}{hint}"


def _place(source, lang: str | None) -> str:
    """Where a finding is: "file:line", or a file and a place in words (a Word part's
    "cover.docx: table 1 row 2 cell 2"), the words translated."""
    words = getattr(source, "where", "")
    return f"{source.path}: {phrase(words, lang)}" if words else str(source)


# "place: severity code: message" — a finding as Finding.format wrote it into an error
_FINDING_LINE = rx.compile(r"(?P<where>(?:\S[^:\n]*:\d+: |\S[^:\n]*\.\w+: )?)(?P<severity>error|warning) "
                           r"(?P<code>[a-z][a-z0-9]*(?:-[a-z0-9]+)+): (?P<message>.+)", re.DOTALL)
_PLACE = rx.compile(r"(?P<where>\S[^:\n]*:\d+: )(?P<rest>.+)", re.DOTALL)  # "file:line: message"


def error_line(line: str, lang: str | None = None) -> str:
    """One line of an error, a note or a batch problem in ``lang``: a finding as
    :meth:`Finding.format` wrote it (its message by its code's templates, then ``cli``'s),
    else "file:line: " and a ``cli`` text, else the whole line as a ``cli`` text."""
    if (lang or get_lang()) == EN:
        return line
    m = _FINDING_LINE.fullmatch(line)
    if m is not None:
        message = _of_code(m["message"], m["code"], lang)
        return f"{m['where']}{text(m['severity'], lang)} {m['code']}: {message}"
    m = _PLACE.fullmatch(line)
    rest = match(m["rest"], "cli", lang) if m is not None else None
    if rest is not None:
        return m["where"] + rest
    return translate(line, "cli", lang)


def error_message(message: str, lang: str | None = None) -> str:
    """An error or note for the CLI to print, line by line (several input findings at once
    come one to a line)."""
    return "\n".join(error_line(line, lang) for line in message.split("\n"))


def lookup(msgid: str, context: str, lang: str | None = None, **values) -> str:
    """The catalog's text for ``msgid`` (a fixed text, ``{name}`` fields filled in with
    ``values``) in ``lang``; the English msgid where the catalog has none."""
    template = _entries(lang or get_lang()).get(context, {}).get(msgid, msgid)
    return FIELD.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def text(msgid: str, lang: str | None = None, **values) -> str:
    """A fixed CLI text (``msgid`` a template with ``{name}`` fields) in ``lang``, filled in."""
    return lookup(msgid, "cli", lang, **values)
