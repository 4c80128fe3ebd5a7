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
import jinja2.lexer
from jinja2.sandbox import SandboxedEnvironment

from .diagnostics import ERROR, Finding, did_you_mean
from .library import Fragment
from .model import SourcePos
from .numbering import words
from . import rx


class FragmentError(Exception):
    """A fragment failed to compile or render; carries the finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.format())
        self.finding = finding


VALUE_OPEN, VALUE_CLOSE = "\ue000", "\ue001"
VALUE_TOKEN = rx.compile("\ue000([0-9]+)\ue001")


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
    # Jinja's own comment syntax "{# … #}": compile_fragment hides a line-final "{#label}"
    # (pandoc's label syntax) from Jinja first (protect_labels), and a comment keeps the
    # lines it takes countable (_CommentLinesLexer).
    env = _FragmentSandbox(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
        finalize=_finalize_when_rendering,
        loader=jinja2.FunctionLoader(lambda _name: None),
    )
    env.filters.update(words.filters(lang))  # a lang ("zh", "en") or a locale ("en-GB")
    env.globals["range"] = _budget_range
    return env


def compile_fragment(env: SandboxedEnvironment, fragment: Fragment) -> jinja2.Template:
    source = protect_labels(fragment.body)
    try:
        tree = env.parse(source, name=fragment.id, filename=str(fragment.path))
        code = env.compile(tree, name=fragment.id, filename=str(fragment.path))
    except jinja2.TemplateSyntaxError as exc:
        pos = fragment.pos(exc.lineno or 1)
        hint = _hint(exc.message or "", r"No filter named '([^']+)'", env.filters) or _comment_hint(exc.message)
        raise FragmentError(Finding("template-syntax", ERROR, f"template syntax error: {exc.message}", pos,
                                    suggestion=hint)) from None
    leftover = leftover_syntax(env, source, fragment)
    if leftover is not None:
        raise FragmentError(leftover)
    template = env.template_class.from_code(env, code, env.make_globals(None))
    template.contractgen_tree = tree  # the parsed source, for the names it reads (passes/fill.py)
    return template


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
    except words.FilterError as exc:
        raise FragmentError(_filter_finding(exc, template, fragment, data)) from None
    except jinja2.TemplateError as exc:
        raise FragmentError(Finding("template-error", ERROR, f"template error: {exc}", _error_pos(exc, fragment))) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise FragmentError(Finding("template-error", ERROR, f"template error: {exc}", _error_pos(exc, fragment))) from None
    finally:
        _COLLECTOR.values = None


_PRINTED_NAME = rx.compile(r"\{\{-?\s*([A-Za-z_][\w.]*)")


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
    return fragment.pos(_error_line(exc, fragment))


def _error_line(exc: BaseException, fragment: Fragment) -> int:
    """The line of the fragment's body (1-based) where rendering failed."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(fragment.path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _filter_finding(exc: words.FilterError, template: jinja2.Template, fragment: Fragment, data: dict) -> Finding:
    """A filter that refused its value, as one line: the filter, the field that fed it, what
    is wrong and what to do ("amount: 'fee' is 10.005, which has fractions of a cent …").
    A value the data cannot have is bad-data; a wrong kind of value or argument that the
    template passes is a template-error."""
    line = _error_line(exc, fragment)
    name = exc.filter or "filter"
    if exc.kind == "argument":
        return Finding("template-error", ERROR, f"{name}: {exc.reason}", fragment.pos(line))
    field_name = _filtered_field(fragment, line, name, exc.value, data)
    subject = f"'{field_name}'" if field_name else "the value"
    message, pos = f"{name}: {subject} {exc.reason}", fragment.pos(line)
    if exc.kind == "value":
        return Finding("bad-data", ERROR, message, pos)
    return Finding("template-error", ERROR, message, pos)


def _filtered_field(fragment: Fragment, line: int, name: str, value, data: dict) -> str:
    """The variable piped into filter ``name`` on the body's ``line`` ("fee" in
    "{{ fee | amount('GBP') }}"), or "" when the line does not say which one it was."""
    from .spec import lookup

    lines = fragment.body.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    found = list(dict.fromkeys(re.findall(_FILTERED_NAME.format(name=re.escape(name)), text)))
    if len(found) > 1:  # the same filter twice on the line: the one whose data is the value
        found = [f for f in found if lookup(data, f) == value] or found
    return found[0] if len(found) == 1 else ""


# a dotted name, then any filters, then "| <name>": the variable a filter's value came from
_FILTERED_NAME = r"(?<![\w.'\"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]|]*\])*)\s*" \
                 r"(?:\|\s*\w+\s*(?:\([^()]*\))?\s*)*\|\s*{name}\b"



# Labels and comments. A fragment marks a label the way pandoc does, "{#label}" at the end of
# a heading or list-item line, and writes notes to itself the way Jinja does, "{# … #}". The
# two cannot be confused: a label has no space after "{#" and no "#" before its "}", so it is
# never a whole comment. Before Jinja sees the fragment, the "{" of each line-final label
# becomes LABEL_MARK (one character for one: lines and columns stay where they were), and the
# fragment reader reads "\ue003#label}" as the label. Comments may follow a label on its line.
LABEL_MARK = "\ue003"
_LINE_FINAL_LABEL = rx.compile(r"\{(#[^\s{}#]+\})(?=(?:[ \t]*\{#.*?#\})*(?:[ \t]*\{#.*)?[ \t]*\r?$)",
                               re.MULTILINE)  # then comments, the last one may go on below


def protect_labels(body: str) -> str:
    """``body`` with every line-final ``{#label}`` hidden from Jinja's comment syntax."""
    return _LINE_FINAL_LABEL.sub(LABEL_MARK + r"\1", body)


_LEFTOVER = rx.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_NEWLINE = rx.compile(r"\r\n|\r|\n")  # Jinja's line breaks


def leftover_syntax(env: SandboxedEnvironment, source: str, fragment: Fragment) -> Finding | None:
    """The first piece of template syntax in the fragment's own text that Jinja would print
    as it is (a stray "}}", "%}" or "#}"): a mistake, never wording of a contract. Text
    inside {% raw %} … {% endraw %} is the author's explicit choice and may hold anything;
    data values are never looked at (they are text, see the module docstring). Every branch
    is looked at, taken or not, so the error does not depend on the data."""
    in_raw = False
    for lineno, kind, value in env.lex(source, fragment.id, str(fragment.path)):
        in_raw = kind == "raw_begin" or (in_raw and kind != "raw_end")
        m = _LEFTOVER.search(value) if kind == "data" and not in_raw else None
        if m is None:
            continue
        lineno += value[:m.start()].count("\n")
        text = _NEWLINE.split(fragment.body)[lineno - 1].strip()
        excerpt = text if len(text) <= 40 else text[:37] + "…"
        return Finding("template-syntax", ERROR,
                       f"'{m[0]}' looks like template syntax that was not rendered: '{excerpt}'",
                       fragment.pos(lineno),
                       suggestion="complete the {{ … }}, {% … %} or {# … #} it belongs to, or put text meant "
                                  "to be printed as it is inside {% raw %} … {% endraw %}")
    return None


def _comment_hint(message: str | None) -> str:
    """What an unclosed "{#" probably is: a comment without "#}", or a label written where
    labels cannot go."""
    if "end of comment" not in (message or ""):
        return ""
    return ("a comment is {# … #}; a label is {#label} at the very end of a heading or list-item line, "
            "in lower-case words joined by hyphens")


@jinja2.pass_eval_context
def _finalize_when_rendering(_eval_ctx, value):
    """:func:`_finalize`, at render time only. With a plain finalize, Jinja folds a printed
    constant such as ``{{ '{#x}' }}`` into the template's own text at compile time, where it
    would be read as markup; a printed constant is a value like any other."""
    if isinstance(value, str) and LINE_MARK in value:  # a macro's or {% set %} block's comments
        value = value.replace(LINE_MARK, "")
    return _finalize(value)


# A comment takes its line breaks out of the rendered text, and the fragment reader numbers
# rendered lines: without a trace, every message below a multi-line comment would name the
# wrong line. So a comment leaves one LINE_MARK per line break it took (its own, and those
# "{#-" and "-#}" trim), which the reader counts and drops. A comment alone on its line
# leaves that line blank, as Jinja does: it ends the paragraph or list item above it.
LINE_MARK = "\ue004"


class _CommentLinesLexer(jinja2.lexer.Lexer):
    """Jinja's lexer, with a data token of LINE_MARKs after each comment that took lines."""

    def tokeniter(self, source, name, filename=None, state=None):
        before = None  # the last token outside a comment: where the text's line count stood
        taken = 0
        for token in super().tokeniter(source, name, filename, state):
            lineno, kind, value = token
            if kind == "comment_begin" and before is not None:
                taken = lineno - before[0] - before[2].count("\n")  # line breaks "{#-" trimmed
            if kind.startswith("comment"):
                taken += value.count("\n")
            if kind not in ("comment_begin", "comment"):
                before = token
            yield token
            if kind == "comment_end":
                if taken:
                    yield lineno, "data", LINE_MARK * taken
                taken = 0


class _FragmentSandbox(_Sandbox):
    @property
    def lexer(self) -> jinja2.lexer.Lexer:
        lexer = self.__dict__.get("_comment_lines_lexer")
        if lexer is None:
            lexer = self.__dict__["_comment_lines_lexer"] = _CommentLinesLexer(self)
        return lexer
