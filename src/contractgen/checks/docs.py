"""docs/rules.md, generated from :data:`contractgen.checks.RULES`: one section per rule with
its code, severity, family, help and a bad and a good example; then the build-time codes of
:data:`contractgen.codes.BUILD_CODES`.

Regenerate it with ``python -m contractgen.checks.docs docs/rules.md`` (or ``make golden``);
a test keeps the committed page equal to what this module renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..codes import BUILD_CODES, BuildCode
from ..fsutil import write_text_atomic
from . import RULES
from .base import Rule

_INTRO = """\
# Check rules

`contractgen check` runs every rule below; `contractgen check --list-rules` prints the same
list. This page is generated from the rules themselves (each rule's code, severity, help and
examples stand in the `@rule(...)` line above its function in `src/contractgen/checks/`) by
`python -m contractgen.checks.docs docs/rules.md` — edit the rules, not this page. The codes a
build stops with before any rule runs are listed at the end, under
[Build-time codes](#build-time-codes).

Errors fail the run (exit status 1); warnings fail it only with `--strict`.

## Choosing rules

- `--select CODES` runs only those rules; `--ignore CODES` leaves them out. Both take rule
  codes or family names, comma-separated and repeatable: `--ignore usage --ignore numbering-gap,toc`.
- The same lists can live in a `pyproject.toml` or `contractgen.toml` next to the contracts
  (or in a parent folder, up to the repository root); command-line options replace them:

  ```toml
  [tool.contractgen.check]
  select = ["numbering", "references"]
  ignore = ["duplicate-heading"]
  ```

- In Markdown, a comment alone on the line before switches rules off for that line:

  ```markdown
  <!-- contractgen: ignore[unfilled-placeholder] -->
  签订日期：____年____月____日
  ```
"""


_SEVERITY = """\
## Severity policy

An **error** means certain: the text alone proves the defect, whoever wrote the contract.
Where the text can be read more than one way, the finding is a **warning**. The numbering
rules work on the outline every reader builds (each clause's numbering style, its level as
the document itself uses that style, and its parent), so siblings are clauses with one
parent and one style, and every sequence restarts under its parent.

- `numbering-gap` is an error only in a style whose words state its level — 第X章, 第X条,
  Article N, Section N, a dotted 3.2 — and only with no other explanation: articles may run
  on across chapters (第一章 第1–4条, 第二章 第5条), and a later sequence that repeats numbers
  of an earlier one (协议条款 keyed to the 合同条件) picks numbers rather than skipping them.
  In inferred styles (一、, （一）, 1., a)) a skipped number is a warning, and a sequence that
  starts above 1 is not reported, as its first item may stand inside a line.
- `duplicate-number` and `numbering-order` are errors in those explicit styles and warnings
  in inferred ones. Articles numbered through the part are one sequence across chapters,
  so 第二十七条 under two chapters is a duplicate. A sibling numbered 1 after two or more
  others, or in an inferred style after a lead-in (a heading without a number, "乙方的义务："),
  starts a new list and is never a duplicate; 第一条 typed twice is one.
  A dotted number under a parent whose number it does not carry (3.2 under 第五条) is a
  certain `numbering-order` error.
- Numbers a program renders — items of a Markdown ordered list after its first (CommonMark
  numbers them from the list's start), Word's automatic numbering — have no typed-number
  defects; a Markdown list's start number is typed, and is checked.
- `duplicate-heading` is always a warning: two sub-clauses may share a title on purpose.
  Only siblings in one sequence are compared.
- `toc-mismatch` is an error: a typed table of contents is a copy of the headings, so a
  listed number the body lacks, or a listed title that differs from its heading once case,
  spacing and punctuation are set aside, is certain. A DOCX TOC field is `stale-toc`'s.
- `unfilled-placeholder` is an error, as a blank is one by its shape, except where the
  blank may not be the contract's own: inside a quoted example of how to fill the form in
  (例如“……合同价款的　％……”) or a docs-site include (`{% data … %}`), it is a warning.
- `hard-typed-reference` warns only about a typed number that points at an article Word
  numbers: a typed target moves with it, and a "Clause N" of the Standard Contractual
  Clauses a DPA incorporates is not one of its clauses.
"""


def _fence(text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}text\n{text.rstrip()}\n{fence}"


_DESCRIBED = {"docx": "a DOCX", "set": "a contract set"}


def _example_label(rule: Rule, kind: str) -> str:
    """"Bad:", or for a DOCX or set example, which is described here, where its files are."""
    if rule.example_is_text:
        return f"{kind.capitalize()}:"
    return (f"{kind.capitalize()} ({_DESCRIBED[rule.example]}, described; its files are "
            f"`tests/data/rules/{rule.code}/{kind}/`):")


def _section(rule: Rule) -> str:
    lines = [f"### `{rule.code}`", "", f"**{rule.severity}** · family `{rule.family}`", "",
             f"{rule.help[:1].upper()}{rule.help[1:]}."]
    if rule.bad:
        lines += ["", _example_label(rule, "bad"), "", _fence(rule.bad)]
    if rule.good:
        lines += ["", _example_label(rule, "good"), "", _fence(rule.good)]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _index(rules: list[Rule]) -> str:
    rows = ["| Code | Severity | Family | What it finds |", "| --- | --- | --- | --- |"]
    rows += [f"| [`{r.code}`](#{r.code}) | {r.severity} | {r.family} | {_cell(r.help)} |" for r in rules]
    return "\n".join(rows)


_BUILD_INTRO = """\
## Build-time codes

`contractgen build`, `batch`, `preview` and `check TEMPLATE --data FILE` report these about
their input — the template, the data, the clause fragments — before any rule above runs.
They are not check rules: they are always errors, and `--select` / `--ignore` do not take
them. A build that meets one writes nothing and exits with status 2; in a batch, a row whose
data is bad fails alone and is listed in the manifest (exit status 1), while a bad header or
name pattern stops the batch before any work starts (exit status 2). The list is
`contractgen.codes.BUILD_CODES`."""


def _build_codes(codes: tuple[BuildCode, ...]) -> str:
    rows = ["| Code | Reported by | What it means |", "| --- | --- | --- |"]
    rows += [f"| `{c.code}` | {c.stage} | {_cell(c.help)} |" for c in codes]
    examples = [f"{c.example}" for c in codes]
    return "\n".join([_BUILD_INTRO, "", *rows, "", "What they look like:", "", _fence("\n".join(examples))])


def render_rules_md(rules: list[Rule] | None = None, codes: tuple[BuildCode, ...] = BUILD_CODES) -> str:
    """The whole docs/rules.md page."""
    rules = list(RULES if rules is None else rules)
    families: dict[str, list[Rule]] = {}
    for rule in rules:
        families.setdefault(rule.family, []).append(rule)
    out = [_INTRO, _SEVERITY, "## All rules", "", _index(rules)]
    for family, members in families.items():
        out += ["", f"## Family `{family}`"]
        out += ["", *[s for r in members for s in (_section(r), "")]][:-1]
    out += ["", _build_codes(codes)]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str]) -> int:
    """``python -m contractgen.checks.docs [PATH]``: write the page to PATH, or print it."""
    text = render_rules_md()
    if not argv:
        sys.stdout.write(text)
        return 0
    path = Path(argv[0])
    write_text_atomic(path, text)
    print(f"wrote {path} ({len(RULES)} rules)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
