"""YAML mistakes explained in plain words: where, and what probably went wrong.

PyYAML reports what its parser expected ("expected <block end>, but found '<block mapping
start>'"), which says nothing to someone who typed a contract's data. :func:`load_yaml`
parses a text and turns a failure into a :class:`YamlProblem` naming the line (and column)
and the likely mistake: inconsistent indentation, a missing colon, ``key:value`` without
a space, a tab, an unclosed quote or bracket, a value starting with a character YAML
reserves (``*``, ``&``, ``!``, ``@``, `````, ``%``, ``|``, ``>``). It also refuses what
PyYAML silently accepts: a key given twice (PyYAML keeps the last value) and a value
that is really ``key:value`` written without its space.

PyYAML's own words are kept on the problem (``detail``), for ``--debug``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .diagnostics import debug_enabled
from . import rx

# The characters YAML gives a meaning at the start of a plain value, and what it reads them as.
SPECIAL = {"*": "YAML reads as a reference to an anchor (an alias)", "&": "YAML reads as an anchor name",
           "!": "YAML reads as a tag", "@": "YAML reserves", "`": "YAML reserves", "%": "YAML reads as a directive",
           "|": "YAML reads as the start of a literal block", ">": "YAML reads as the start of a folded block"}
_NO_SPACE = rx.compile(r"^(?P<key>[^\W\d][\w.\-]*):(?P<value>[^\s/:][^\s]*.*)$")
_KEY_BEFORE_BRACE = rx.compile(r"^(?P<key>[^\s{\[]+)\s+[{\[]")  # "contract_no {type": the colon left out
_KEY_LINE = rx.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[^\s:#][^:#]*?):(?:\s|$)")


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """One mistake: its 1-based line and column in the file, the explanation, PyYAML's text."""

    line: int
    column: int
    message: str
    detail: str = ""

    def text(self) -> str:
        """The explanation, with PyYAML's own words under ``--debug``."""
        return f"{self.message} [PyYAML: {self.detail}]" if self.detail and debug_enabled() else self.message


class YamlProblems(ValueError):
    """The text is not valid YAML, or holds a duplicate key or a ``key:value`` typo."""

    def __init__(self, problems: list[YamlProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def load_yaml(text: str, loader=yaml.SafeLoader, first_line: int = 1) -> tuple[object, object]:
    """(composed node, data) of ``text``; raise :class:`YamlProblems` explaining what is wrong.

    ``first_line`` is the file line of the text's first line (front matter starts on line 2).
    """
    fast = _compose_fast(text, loader)
    if fast is not None:  # a valid text: what the pure-Python loader gives, in a fraction of its time
        node, data = fast
        problems = duplicate_keys(node, first_line) + missing_spaces(node, first_line)
        if problems:
            raise YamlProblems(sorted(problems, key=lambda p: (p.line, p.column)))
        return node, data
    try:
        node, data = _compose(text, loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblems([explain(exc, text, first_line)]) from None
    except yaml.reader.ReaderError as exc:  # a control character: the reader refuses it before parsing
        line = text[:exc.position].count("\n")
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        raise YamlProblems([YamlProblem(line + first_line, column + 1,
                                        f"line {line + first_line} holds the control character U+{exc.character:04X}, "
                                        "which YAML does not allow: delete it", str(exc))]) from None
    except ValueError as exc:  # an integer past Python's 4,300-digit limit for int()
        long = re.search(r"\d{4301,}", text)
        line = text[:long.start()].count("\n") if long else 0
        raise YamlProblems([YamlProblem(line + first_line, 1, f"line {line + first_line} holds a number too long to "
                                        "read (more than 4,300 digits): put it in quotes", str(exc))]) from None
    problems = duplicate_keys(node, first_line) + missing_spaces(node, first_line)
    if problems:
        raise YamlProblems(sorted(problems, key=lambda p: (p.line, p.column)))
    return node, data


def _compose(text: str, loader) -> tuple[object, object]:
    """(node, data) of one document, parsed once."""
    parser = loader(text)
    try:
        node = parser.get_single_node()
        return node, (parser.construct_document(node) if node is not None else None)
    finally:
        parser.dispose()


@lru_cache(maxsize=16)
def _libyaml_twin(loader):
    """``loader`` with libyaml's C parser (its resolvers and constructors kept), or None."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None

    class Twin(yaml.cyaml.CParser, loader):
        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    return Twin


def _compose_fast(text: str, loader) -> tuple[object, object] | None:
    """(node, data) through libyaml, or None when it is missing or the text is not valid:
    then the pure-Python parser reads it again, for the messages :func:`explain` knows."""
    twin = _libyaml_twin(loader)
    if twin is None or "\t" in text:  # libyaml accepts tabs that PyYAML refuses (and explains)
        return None
    try:
        return _compose(text, twin)
    except (yaml.YAMLError, ValueError):
        return None


def explain(exc: yaml.MarkedYAMLError, text: str, first_line: int = 1) -> YamlProblem:
    """PyYAML's error as a plain-words problem, placed at the line the user must look at."""
    lines = text.splitlines() or [""]
    mark, context = exc.problem_mark, exc.context_mark
    line = mark.line if mark else 0
    column = mark.column if mark else 0
    detail = " ".join(str(exc.problem or exc).split())
    explained = _explain(exc, lines, line, column)
    where, col, message = explained if explained else (line, column, _fallback(context, line))
    return YamlProblem(where + first_line, col + 1, _renumber(message, first_line), detail)


def _renumber(message: str, first_line: int) -> str:
    """Messages are written with 0-based "{L<n>}" line slots; fill in file lines."""
    return re.sub(r"\{L(\d+)\}", lambda m: str(int(m.group(1)) + first_line), message)


def _explain(exc, lines: list[str], line: int, column: int):
    problem, context = str(exc.problem or ""), str(exc.context or "")
    ctx = exc.context_mark
    if "'\\t'" in problem:
        return line, column, _tab(lines, line, column)
    if "quoted scalar" in context and ctx is not None:
        quote = _at(lines, ctx.line, ctx.column)  # reported where it opens: PyYAML stops at the file's end
        return ctx.line, ctx.column, (f"the quote ({quote}) opened at line {{L{ctx.line}}}, column {ctx.column + 1} is never "
                              f"closed: end the value with another {quote}")
    if "flow sequence" in context or "flow mapping" in context:
        return _unclosed(lines, line, column, ctx, "]" if "sequence" in context else "}")
    special = _special(problem, context, lines, line, column, ctx)
    if special:
        return special
    if "could not find expected ':'" in problem and ctx is not None:
        return ctx.line, ctx.column, _missing_colon(lines[ctx.line] if ctx.line < len(lines) else "")
    if "mapping values are not allowed" in problem:
        return _colon_not_allowed(lines, line, column)
    if "expected <block end>" in problem or "did not find expected" in problem:
        return line, column, _indentation(lines, line)
    return None


def _at(lines: list[str], line: int, column: int) -> str:
    return lines[line][column:column + 1] if line < len(lines) else ""


def _tab(lines: list[str], line: int, column: int) -> str:
    text = lines[line] if line < len(lines) else ""
    if not text[:column].strip():
        return f"line {{L{line}}} is indented with a tab; YAML indents with spaces only: replace the tab with spaces"
    return f"a tab at column {column + 1} of line {{L{line}}}; YAML allows only spaces here: replace it with a space"


def _unclosed(lines, line, column, ctx, closer: str):
    opener = "[" if closer == "]" else "{"
    what = "list" if closer == "]" else "mapping"
    if ctx is None:
        return None
    key = _key_of(lines[ctx.line] if ctx.line < len(lines) else "")
    of = f" (the value of '{key}')" if key else ""
    return line, column, (f"the '{opener}' opened at line {{L{ctx.line}}}, column {ctx.column + 1}{of} is never closed: "
                          f"end the {what} with '{closer}', or put the value in quotes if the '{opener}' is part of the text")


def _special(problem: str, context: str, lines, line: int, column: int, ctx):
    """A value starting with a character YAML reserves: it needs quotes."""
    if "undefined alias" in problem or "cannot start any token" in problem or "constructor for the tag" in problem:
        at_line, at_col = line, column
    elif ctx is not None and any(w in context for w in ("an anchor", "an alias", "a directive", "a block scalar", "a tag")):
        at_line, at_col = ctx.line, ctx.column
    else:
        return None
    text = lines[at_line] if at_line < len(lines) else ""
    char = text[at_col:at_col + 1]
    if char not in SPECIAL:
        return None
    value = text[at_col:].split(" #")[0].rstrip()
    key = _key_of(text)
    what = "value"
    if key and text.find(key) == at_col:  # the key itself starts with the character
        what, value = "key", key
        fixed = f"\"{key}\":{text[at_col + len(key) + 1:]}"
    else:
        fixed = f"{key}: \"{value}\"" if key else f"\"{value}\""
    return at_line, at_col, (f"the {what} {value!r} on line {{L{at_line}}} starts with '{char}', which "
                             f"{SPECIAL[char]}: put the {what} in quotes, e.g. {fixed}")


def _key_of(line: str) -> str:
    m = _KEY_LINE.match(line)
    return m.group("key").strip() if m else ""


def _missing_colon(text: str) -> str:
    stripped = text.strip()
    m = _NO_SPACE.match(stripped)
    if m:
        return (f"'{stripped}' needs a space after the colon: write '{m.group('key')}: {m.group('value')}' "
                f"(YAML reads '{stripped}' as one word, not a key and its value)")
    word, _, rest = stripped.partition(" ")
    return (f"'{word}' is not followed by a colon: write '{word}: {rest.strip() or 'value'}' "
            "(a key needs ':' and a space before its value)")


def _colon_not_allowed(lines: list[str], line: int, column: int):
    """': ' where YAML does not expect a key: a value holding ': ', an earlier key:value
    without its space, or a line indented under a key that already has a value."""
    text = lines[line] if line < len(lines) else ""
    first = text.find(": ")
    if 0 <= first < column:
        key = _key_of(text)
        value = text[first + 2:].strip()
        return line, column, (f"the value of '{key}' on line {{L{line}}} contains ': ', which YAML reads as another key: "
                              f"put the value in quotes, e.g. {key}: \"{value}\"")
    previous = _previous_content(lines, line)
    if previous is not None:
        before = lines[previous].strip()
        m = _NO_SPACE.match(before.lstrip("- "))
        if m:
            return previous, len(lines[previous]) - len(before.lstrip("- ")), _missing_colon(before.lstrip("- "))
        if _indent(text) > _indent(lines[previous]) and ": " in before:
            key, owner = _key_of(text) or text.strip(), _key_of(lines[previous])
            width = _indent(lines[previous])
            fix = f"indent '{key}' by {width} spaces" if width else f"start '{key}' at the beginning of the line"
            return line, column, (f"line {{L{line}}} is indented further than line {{L{previous}}}, whose '{owner}' already "
                                  f"has a value: {fix}, like '{owner}'")
    return line, column, ("a ':' YAML does not expect here: check the indentation of this line, "
                          "and put a value that contains ': ' in quotes")


def _indentation(lines: list[str], line: int) -> str:
    """The indentations a line could line up with (its enclosing groups), and its own."""
    text = lines[line] if line < len(lines) else ""
    own = _indent(text)
    levels: list[tuple[int, int]] = []  # (line, indent) of the enclosing lines, innermost first
    for i in range(line - 1, -1, -1):
        if _blank(lines[i]):
            continue
        width = _indent(lines[i].replace("- ", "  ", 1)) if lines[i].lstrip().startswith("- ") else _indent(lines[i])
        if not levels or width < levels[-1][1]:
            levels.append((i, width))
        if width == 0:
            break
    shown = ", ".join(f"line {{L{i}}} by {width}" for i, width in levels[:3])
    spaces = "1 space" if own == 1 else f"{own} spaces"
    return (f"inconsistent indentation: line {{L{line}}} is indented by {spaces}, which lines up with no line "
            f"above it ({shown}): the keys of one group must start in the same column")


def _previous_content(lines: list[str], line: int) -> int | None:
    for i in range(line - 1, -1, -1):
        if not _blank(lines[i]):
            return i
    return None


def _blank(text: str) -> bool:
    return not text.strip() or text.lstrip().startswith("#")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _fallback(context, line: int) -> str:
    return (f"YAML cannot read line {{L{line}}}: check its indentation, the colon and space after each key, "
            "and that every quote and bracket is closed")


# ---------------------------------------------------------------- what PyYAML accepts silently


def duplicate_keys(node, first_line: int = 1, prefix: str = "") -> list[YamlProblem]:
    """Every key given twice in one mapping (PyYAML would keep the last value silently)."""
    problems: list[YamlProblem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            line = key.start_mark.line + first_line
            if name and name in seen:
                problems.append(YamlProblem(
                    line, key.start_mark.column + 1,
                    f"'{prefix}{name}' is given twice, on line {seen[name]} and line {line}; "
                    f"YAML would keep only the second: delete one of them"))
            seen.setdefault(name, line)
            problems += duplicate_keys(value, first_line, f"{prefix}{name}.")
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):  # "parts[2].id": the second item of parts
            problems += duplicate_keys(item, first_line, f"{prefix[:-1]}[{i + 1}].")
    return problems


def missing_spaces(node, first_line: int = 1) -> list[YamlProblem]:
    """``name:甲公司`` on its own line: YAML reads one word where a key and value were meant.

    Only a plain value written on the line below its key (or the whole document) is
    taken for this typo; ``time: 10:30`` and ``url: http://…`` are values as written.
    """
    problems: list[YamlProblem] = []
    if isinstance(node, yaml.ScalarNode):
        candidates = [node]
    elif isinstance(node, yaml.MappingNode):
        candidates = [v for k, v in node.value if isinstance(v, yaml.ScalarNode)
                      and v.start_mark.line > k.start_mark.line]
        problems += [_colon_missing_in_key(k, first_line) for k, _ in node.value if _KEY_BEFORE_BRACE.match(str(k.value))
                     and isinstance(k, yaml.ScalarNode) and not k.style]  # plain: None, or '' from libyaml
        for _, value in node.value:
            if not isinstance(value, yaml.ScalarNode):
                problems += missing_spaces(value, first_line)
    elif isinstance(node, yaml.SequenceNode):
        candidates = []
        for item in node.value:
            problems += missing_spaces(item, first_line)
    else:
        candidates = []
    for scalar in candidates:
        text = str(scalar.value)
        if not scalar.style and _NO_SPACE.match(text) and "\n" not in text:  # a plain scalar
            problems.append(YamlProblem(scalar.start_mark.line + first_line, scalar.start_mark.column + 1,
                                        _missing_colon(text)))
    return problems


def _colon_missing_in_key(key, first_line: int) -> YamlProblem:
    word = _KEY_BEFORE_BRACE.match(str(key.value)).group("key")
    return YamlProblem(key.start_mark.line + first_line, key.start_mark.column + 1,
                       f"'{word}' is not followed by a colon: write '{word}:' and a space before its value")


def key_lines(node, first_line: int = 1, prefix: str = "", out: dict[str, int] | None = None) -> dict[str, int]:
    """The file line of every mapping key and list item, by dotted path (``parts.0.kind``)."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            out.setdefault(name, key.start_mark.line + first_line)
            key_lines(value, first_line, name + ".", out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.setdefault(f"{prefix}{i}", item.start_mark.line + first_line)
            key_lines(item, first_line, f"{prefix}{i}.", out)
    return out
