"""The clause library: fragments in ``clauses/<topic>/<slug>.md`` with YAML front matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .diagnostics import ERROR, Finding, InputErrors, UserError, did_you_mean
from .model import SourcePos
from .schemas import FRONT_MATTER, check_keys
from .yamlmessages import YamlProblems, key_lines, load_yaml

REQUIRED_KEYS = tuple(k.name for k in FRONT_MATTER.keys if k.required)  # id, title, version


@dataclass(slots=True)
class Fragment:
    id: str
    title: str
    version: str
    lang: str | None
    body: str
    path: Path
    body_line: int  # 1-based line of the body's first line in the file
    id_line: int = 2  # the front matter's "id:" line

    def pos(self, body_line: int) -> SourcePos:
        """The file position of a 1-based line of the body."""
        return SourcePos(str(self.path), self.body_line + body_line - 1)

    def line_of(self, needle: str) -> int:
        """The file line where ``needle`` first occurs in the body (for error messages)."""
        for i, line in enumerate(self.body.splitlines(), start=1):
            if needle in line:
                return self.body_line + i - 1
        return self.body_line


def find_library(template_dir: Path) -> Path:
    """The nearest ``clauses/`` folder at or above the template folder (relative to the
    working folder when it is inside it, so messages show short paths)."""
    for folder in [template_dir.resolve(), *template_dir.resolve().parents]:
        if (folder / "clauses").is_dir():
            return _short(folder / "clauses")
    raise UserError(f"{template_dir}: no clauses/ folder found here or in any parent folder "
                    "(set 'library:' in contract.yaml)")


def _short(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def parse_fragment(path: Path, text: str) -> Fragment:
    """Split front matter from body; raise InputErrors naming the file and line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise _bad(path, 1, "a clause fragment starts with a '---' line and YAML front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise _bad(path, 1, "front matter is not closed by a '---' line") from None
    try:
        node, meta = load_yaml("".join(lines[1:end]), yaml.SafeLoader, first_line=2)
    except YamlProblems as exc:  # explained in plain words, at the file's lines
        raise InputErrors([Finding("bad-fragment", ERROR, f"invalid front matter: {p.text()}", SourcePos(str(path), p.line))
                           for p in exc.problems]) from None
    meta = meta or {}
    if not isinstance(meta, dict):
        raise _bad(path, 2, "front matter must be a mapping (id:, title:, version:)")
    key_line = key_lines(node, first_line=2)
    problems = [Finding("bad-fragment", ERROR, p.message if p.unknown else f"front matter: {p.message}",
                        SourcePos(str(path), key_line.get(p.key, 2)), suggestion=p.suggestion)
                for p in check_keys(meta, FRONT_MATTER)]
    missing = [k for k in REQUIRED_KEYS if not meta.get(k)]
    if missing:
        problems.insert(0, _bad(path, 1, f"front matter lacks {', '.join(missing)}").findings[0])
    if problems:
        raise InputErrors(problems)
    id_line = key_line.get("id", 2)
    return Fragment(
        id=str(meta["id"]), title=str(meta["title"]), version=str(meta["version"]),
        lang=meta.get("lang"), body="".join(lines[end + 1:]), path=path, body_line=end + 2, id_line=id_line,
    )


def _bad(path: Path, line: int, message: str) -> InputErrors:
    return InputErrors([Finding("bad-fragment", ERROR, message, SourcePos(str(path), line))])


def load_library(root: Path) -> dict[str, Fragment]:
    """Every fragment under ``root``, by id. Duplicate ids are an error."""
    fragments: dict[str, Fragment] = {}
    problems: list[Finding] = []
    for path in sorted(root.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
            fragment = parse_fragment(path, text)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Finding("bad-fragment", ERROR, f"cannot read: {exc}", SourcePos(str(path), 1)))
            continue
        except InputErrors as exc:
            problems.extend(exc.findings)
            continue
        if fragment.id in fragments:
            other = fragments[fragment.id]
            problems.append(Finding("duplicate-clause-id", ERROR,
                                    f"clause id '{fragment.id}' is also used by {other.path} (line {other.id_line})",
                                    SourcePos(str(path), fragment.id_line),
                                    suggestion="give one of the two files another id"))
            continue
        fragments[fragment.id] = fragment
    if problems:
        raise InputErrors(problems)
    return fragments


def unknown_clause(clause_id: str, part_id: str, library: dict[str, Fragment], pos: SourcePos) -> Finding:
    """A clause id ``contract.yaml`` lists and no fragment declares. When the file that
    id names exists (``clauses/msa/warranties.md`` for ``msa/warranties``) but declares
    another id in its front matter, the message names the file and both ids."""
    declared = next((f for f in library.values() if _names(f.path, clause_id)), None)
    if declared is None:
        return Finding("unknown-clause", ERROR, f"part '{part_id}' lists unknown clause '{clause_id}'", pos,
                       suggestion=did_you_mean(clause_id, library))
    return Finding("unknown-clause", ERROR,
                   f"part '{part_id}' lists clause '{clause_id}', but the front matter of {declared.path} "
                   f"declares the id '{declared.id}' (line {declared.id_line})", pos,
                   suggestion=f"change the id in {declared.path} to '{clause_id}', "
                              f"or list '{declared.id}' in {Path(pos.path).name}")


def _names(path: Path, clause_id: str) -> bool:
    """Whether a fragment's file is where ``clause_id`` points: ``<topic>/<slug>.md``."""
    want = tuple(clause_id.split("/"))
    return Path(path).suffix == ".md" and Path(path).with_suffix("").parts[-len(want):] == want
