"""Which rules a `check` run uses, the way linters do it: ``--select`` / ``--ignore`` with
rule codes or families, ``[tool.contractgen.check]`` in a ``pyproject.toml`` or
``contractgen.toml`` next to the checked files, and inline suppressions
(``<!-- contractgen: ignore[code] -->`` in Markdown and clause fragments, recorded by the
readers as :class:`~contractgen.model.Suppression`). :class:`CheckPolicy` is the one place
that combines them, for every command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..diagnostics import Finding, UserError, did_you_mean
from ..model import Document, Suppression
from .base import Rule

CONFIG_FILES = ("contractgen.toml", "pyproject.toml")
_KEYS = ("select", "ignore")
_VCS_MARKERS = (".git", ".hg", ".svn")


@dataclass(frozen=True)
class Selection:
    """Rule names (codes or families) to run and to leave out; ``select=None`` means all."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()

    def override(self, cli: "Selection") -> "Selection":
        """Command-line names replace the config file's, key by key."""
        return Selection(cli.select if cli.select is not None else self.select,
                         cli.ignore if cli.ignore else self.ignore)


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """``("a,b", "c")`` → ``("a", "b", "c")``: options are comma-separated and repeatable."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def expand(names: Iterable[str], rules: Sequence[Rule], where: str = "") -> set[str]:
    """The rule codes that codes and family names stand for; an unknown name is a UserError."""
    families: dict[str, set[str]] = {}
    for rule in rules:
        families.setdefault(rule.family, set()).add(rule.code)
    codes = {rule.code for rule in rules}
    out: set[str] = set()
    for name in names:
        if name in codes:
            out.add(name)
        elif name in families:
            out |= families[name]
        else:
            hint = did_you_mean(name, sorted(codes | set(families)))
            prefix = f"{where}: " if where else ""
            raise UserError(f"{prefix}unknown rule or family '{name}'" + (f"; {hint}" if hint else "")
                            + " (contractgen check --list-rules lists them)")
    return out


def selected_rules(selection: Selection, rules: Sequence[Rule], where: str = "") -> list[Rule]:
    """The rules to run, in list order."""
    chosen = {r.code for r in rules} if selection.select is None else expand(selection.select, rules, where)
    dropped = expand(selection.ignore, rules, where)
    return [r for r in rules if r.code in chosen and r.code not in dropped]


# --- configuration files -------------------------------------------------------------------

def find_config(start: Path) -> Path | None:
    """The nearest contractgen.toml, or pyproject.toml with [tool.contractgen.check], from
    ``start`` up to the repository root (a folder with .git) or the filesystem root."""
    folder = Path(start).resolve()
    folder = folder if folder.is_dir() else folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _table(path) is not None):
                return path
        if any((candidate / marker).exists() for marker in _VCS_MARKERS):
            return None
    return None


def _load_toml(path: Path) -> dict:
    import tomllib  # here: a run without a configuration file does not import it (start-up)

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _table(path: Path) -> dict | None:
    data = _load_toml(path)
    table = data.get("tool", {}).get("contractgen", {}).get("check")
    if table is None and path.name == "contractgen.toml":
        table = data.get("check", {})  # contractgen.toml may drop the [tool.contractgen] prefix
    return table


def load_config(path: Path) -> Selection:
    """The selection a config file sets; unknown keys and badly typed values are UserErrors."""
    table = _table(path) or {}
    if not isinstance(table, dict):
        raise UserError(f"{path}: [tool.contractgen.check] must be a table")
    for key in table:
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS)
            raise UserError(f"{path}: unknown key '{key}' in [tool.contractgen.check]" + (f"; {hint}" if hint else ""))
    return Selection(_names(path, table, "select"), _names(path, table, "ignore") or ())


def _names(path: Path, table: dict, key: str) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{path}: '{key}' must be a list of rule codes or families")
    return split_names(value)


def selection_for(start: Path, cli: Selection, rules: Sequence[Rule], cache: dict | None = None,
                  with_config: bool = False):
    """The rules to run for files in ``start``'s folder: the config file, overridden by the CLI.
    Names are checked where they were written, so an error names the config file or the CLI.
    With ``with_config``, returns (rules, the config file or None)."""
    cache = {} if cache is None else cache
    config = find_config(start)
    if config not in cache:
        base = load_config(config) if config else Selection()
        expand((*(base.select or ()), *base.ignore), rules, str(config))
        cache[config] = base
    expand((*(cli.select or ()), *cli.ignore), rules, "")
    chosen = selected_rules(cache[config].override(cli), rules)
    return (chosen, config) if with_config else chosen


# --- inline suppressions ------------------------------------------------------------------

def check_suppressions(suppressions: Iterable[Suppression], rules: Sequence[Rule]) -> None:
    """Every name in a suppression comment must be a rule code or family."""
    for s in suppressions:
        expand(s.names, rules, f"{s.path}:{s.comment_line}")


def unsuppressed(findings: Iterable[Finding], suppressions: Sequence[Suppression],
                 rules: Sequence[Rule]) -> list[Finding]:
    """Findings not switched off by a suppression comment on the line before them."""
    if not suppressions:
        return list(findings)
    off: dict[tuple[str, int], set[str]] = {}
    for s in suppressions:
        off.setdefault((s.path, s.line), set()).update(expand(s.names, rules))
    return [f for f in findings
            if not (f.source and f.code in off.get((f.source.path, f.source.line), ()))]


# --- the one decision ---------------------------------------------------------------------

@dataclass(frozen=True)
class CheckPolicy:
    """Which findings a document gets — the one decision ``check``, ``build``, ``batch`` and
    ``preview`` share: the rules chosen by a config file (``contractgen.toml`` /
    ``pyproject.toml``) and the command line, run in the document's language (or ``lang``),
    minus what the document's inline suppression comments switch off."""

    codes: tuple[str, ...] | None = None  # the rules that run, by code; None: every rule
    lang: str | None = None               # None: the document's own language
    config: str | None = None             # the config file that chose the rules
    by_cli: bool = False                  # --select / --ignore took part

    @classmethod
    def default(cls) -> "CheckPolicy":
        return cls()

    @classmethod
    def resolve(cls, start: Path | None, cli: Selection = Selection(), lang: str = "auto",
                cache: dict | None = None) -> "CheckPolicy":
        """The policy for files in ``start``'s folder (None: no config file is read)."""
        from . import RULES

        lang_ = None if lang in (None, "auto") else lang
        if start is None:
            expand((*(cli.select or ()), *cli.ignore), RULES, "")
            rules, config = selected_rules(cli, RULES), None
        else:
            rules, config = selection_for(start, cli, RULES, cache, with_config=True)
        codes = None if len(rules) == len(RULES) else tuple(r.code for r in rules)
        return cls(codes, lang_, str(config) if config else None, bool(cli.select or cli.ignore))

    @property
    def rules(self) -> list[Rule]:
        from . import RULES

        return list(RULES) if self.codes is None else [r for r in RULES if r.code in set(self.codes)]

    def switched_off(self) -> list[str]:
        from . import RULES

        return [] if self.codes is None else [r.code for r in RULES if r.code not in set(self.codes)]

    def note(self) -> str:
        """One line naming the config file that switched rules off, or "" (rules left out
        with --select/--ignore are the user's own request and need no note)."""
        off = self.switched_off()
        if not off or not self.config:
            return ""
        shown = ", ".join(off[:8]) + (f" and {len(off) - 8} more" if len(off) > 8 else "")
        return f"note: {self.config} switches off {len(off)} check rule(s): {shown}"

    def findings(self, doc: Document) -> list[Finding]:
        """Run the chosen rules on ``doc``; drop what its suppression comments switch off."""
        return self.findings_and_suppressed(doc)[0]

    def findings_and_suppressed(self, doc: Document) -> tuple[list[Finding], int]:
        """The findings, and how many the suppression comments switched off (a bilingual
        contract is checked as its two texts, then for parity: :func:`run_checks`)."""
        from . import RULES, run_checks

        check_suppressions(doc.suppressions, RULES)
        found = run_checks(doc, self.lang, self.rules if self.codes is not None else None)
        kept = unsuppressed(found, doc.suppressions, RULES)
        return kept, len(found) - len(kept)
