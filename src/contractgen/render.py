"""Sandboxed Jinja2 rendering of clause fragments over contract data.

Fragments are compiled once per template (``compile_fragments``) and rendered per
contract. Unknown names are errors (StrictUndefined); every error names the fragment's
own file and line.

**Data is text, always.** Every ``{{ … }}`` output goes into the rendered fragment as an
opaque token (:data:`VALUE_OPEN` index :data:`VALUE_CLOSE`, private-use characters) and
its text into :attr:`Rendered.values`; the fragment reader parses the structure around
the tokens and puts the values back as literal text afterwards. So a party name holding
"# 免责条款", "[[toc]]", "{#label}" or "| a | b |" prints exactly that and can never add an
article, a reference, a label or a table cell.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .diagnostics import ERROR, Finding, did_you_mean
from .library import Fragment
from .model import SourcePos
from .numbering import words

_LOCALE_FILTERS = {
    "zh": {"amount": words.zh_amount, "date": words.zh_date, "count": words.zh_count},
    "en": {"amount": words.en_amount, "date": words.en_date, "count": words.en_count},
}


class FragmentError(Exception):
    """A fragment failed to compile or render; carries the finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.format())
        self.finding = finding


VALUE_OPEN, VALUE_CLOSE = "\ue000", "\ue001"
VALUE_TOKEN = re.compile("\ue000([0-9]+)\ue001")


@dataclass(slots=True)
class Rendered:
    """A rendered fragment: text with a token for every printed value, and the values."""

    text: str
    values: list[str] = field(default_factory=list)


class _Collector(threading.local):
    values: list[str] | None = None
    steps: int = 0  # loop iterations and repeated items of the fragment being rendered


_COLLECTOR = _Collector()

# Budgets for one fragment render: a clause is a page of text, not a program. Nested loops,
# huge repetitions and runaway output are template errors with the clause file, not a hang.
MAX_STEPS = 1_000_000        # items of range() and of * repetition, summed over one render
MAX_OUTPUT = 2_000_000       # characters one fragment may render
MAX_POWER_BITS = 4096        # size of a ** result


class BudgetExceeded(jinja2.TemplateRuntimeError):
    """A fragment render went past one of the budgets above."""


def _spend(count: int) -> None:
    _COLLECTOR.steps += count
    if _COLLECTOR.steps > MAX_STEPS:
        raise BudgetExceeded(f"the fragment loops or repeats more than {MAX_STEPS:,} times")


def _budget_range(*args) -> range:
    """range() that counts its items against the render's budget (the sandbox caps one
    range at 100,000 items, but not ranges nested inside each other)."""
    items = range(*args)
    _spend(len(items))
    return items


class _Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    _spend(len(seq) * max(times, 0))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * max(abs(left), 2).bit_length() > MAX_POWER_BITS:
                raise BudgetExceeded(f"{left} ** {right} is too large a number for a contract")
        return super().call_binop(context, operator, left, right)


def _finalize(value):
    """Every printed value becomes a token; printing an absent optional field is a
    mistake, not an empty string in a contract."""
    if value is None:
        raise jinja2.UndefinedError("prints an optional field that the data leaves out; "
                                    "guard it with {% if … %}")
    values = _COLLECTOR.values
    if values is None:
        return value
    text = str(value)
    if VALUE_OPEN in text:  # a macro's output: template text whose values are tokens already
        return text
    values.append(text)
    return f"{VALUE_OPEN}{len(values) - 1}{VALUE_CLOSE}"


def make_environment(lang: str) -> SandboxedEnvironment:
    # "{#label}" marks a label in fragments (as in pandoc), so Jinja comments are "{## ##}".
    env = _Sandbox(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
        comment_start_string="{##", comment_end_string="##}", finalize=_finalize,
        loader=jinja2.FunctionLoader(lambda _name: None),
    )
    env.filters.update(_LOCALE_FILTERS[lang])
    env.globals["range"] = _budget_range
    return env


def compile_fragment(env: SandboxedEnvironment, fragment: Fragment) -> jinja2.Template:
    try:
        code = env.compile(fragment.body, name=fragment.id, filename=str(fragment.path))
    except jinja2.TemplateSyntaxError as exc:
        pos = fragment.pos(exc.lineno or 1)
        hint = _hint(exc.message or "", r"No filter named '([^']+)'", env.filters)
        raise FragmentError(Finding("template-syntax", ERROR, f"template syntax error: {exc.message}", pos,
                                    suggestion=hint)) from None
    return env.template_class.from_code(env, code, env.make_globals(None))


def render_fragment(template: jinja2.Template, fragment: Fragment, data: dict) -> Rendered:
    values: list[str] = []
    _COLLECTOR.values, _COLLECTOR.steps = values, 0
    try:
        return Rendered(_render_within_budget(template, data), values)
    except BudgetExceeded as exc:
        raise FragmentError(Finding("template-budget", ERROR, f"template stopped: {exc.message}",
                                    _error_pos(exc, fragment))) from None
    except RecursionError as exc:
        raise FragmentError(Finding("template-budget", ERROR, "template stopped: a macro calls itself "
                                    "without end", _error_pos(exc, fragment))) from None
    except jinja2.UndefinedError as exc:
        pos = _error_pos(exc, fragment)
        message = _name_the_empty_field(exc.message or "", fragment, pos, data)
        hint = "" if message != (exc.message or "") else \
            _hint(exc.message or "", r"'([^']+)' is undefined|has no attribute '([^']+)'", _names(data))
        raise FragmentError(Finding("undefined-data", ERROR, f"template uses undefined data: {message}",
                                    pos, suggestion=hint)) from None
    except jinja2.TemplateError as exc:
        raise FragmentError(Finding("template-error", ERROR, f"template error: {exc}", _error_pos(exc, fragment))) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise FragmentError(Finding("template-error", ERROR, f"template error: {exc}", _error_pos(exc, fragment))) from None
    finally:
        _COLLECTOR.values = None


_PRINTED_NAME = re.compile(r"\{\{-?\s*([A-Za-z_][\w.]*)")


def _name_the_empty_field(message: str, fragment: Fragment, pos: SourcePos, data: dict) -> str:
    """"prints an optional field that the data leaves out" names the field where the line
    prints exactly one dotted name that the data leaves empty."""
    absent_group = message.startswith("'None' has no attribute")  # every field of a group left out
    if not message.startswith("prints an optional field") and not absent_group:
        return message
    from .spec import lookup

    lines = fragment.body.splitlines()
    index = pos.line - fragment.body_line
    text = lines[index] if 0 <= index < len(lines) else ""
    empty = sorted({name for name in _PRINTED_NAME.findall(text) if lookup(data, name) is None and "." in name
                    or (name in data and data[name] is None)})
    if len(empty) != 1:
        return message
    return (f"prints the optional field '{empty[0]}' that the data leaves out; guard it with "
            "{% if … %}")


def _render_within_budget(template: jinja2.Template, data: dict) -> str:
    chunks, size = [], 0
    for chunk in template.generate(data):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise BudgetExceeded(f"the fragment renders more than {MAX_OUTPUT:,} characters")
        chunks.append(chunk)
    return "".join(chunks)


def _hint(message: str, pattern: str, choices) -> str:
    """"did you mean" for the name a Jinja message complains about."""
    m = re.search(pattern, message)
    name = next((g for g in m.groups() if g), "") if m else ""
    return did_you_mean(name, choices) if name else ""


def _names(data: dict) -> set[str]:
    """Every key at every depth of the data: the names a fragment can mean."""
    names: set[str] = set()
    for key, value in data.items():
        names.add(key)
        if isinstance(value, dict):
            names |= _names(value)
    return names


def _error_pos(exc: BaseException, fragment: Fragment) -> SourcePos:
    """The fragment line where rendering failed, from Jinja's rewritten traceback."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(fragment.path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return fragment.pos(line)

