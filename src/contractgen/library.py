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


class Library(dict):
    """The fragments of a clause folder by id, and their translations: ``fees.en.md``
    beside ``fees.md`` is the English text of the same clause, under the same id
    (:attr:`translations`, by (id, language))."""

    def __init__(self, fragments=(), translations=None):
        super().__init__(fragments)
        self.translations: dict[tuple[str, str], Fragment] = dict(translations or {})

    def translation(self, clause_id: str, lang: str) -> Fragment | None:
        return self.translations.get((clause_id, lang))

    def translation_path(self, clause_id: str, lang: str) -> Path | None:
        """Where the translation of a clause belongs: ``fees.en.md`` beside ``fees.md``."""
        original = self.get(clause_id)
        return None if original is None else original.path.with_name(f"{original.path.stem}.{lang}.md")


def translation_lang(path: Path) -> str | None:
    """The language a file's name marks it a translation into (``fees.en.md`` → "en"), or None."""
    from .numbering import LANGUAGES

    stem = Path(path).stem
    lang = stem.rsplit(".", 1)[-1] if "." in stem else ""
    return lang if lang in LANGUAGES else None


def load_library(root: Path) -> Library:
    """Every fragment under ``root``, by id, and every translation (``<slug>.<lang>.md``,
    the same id as ``<slug>.md``). Duplicate ids are an error, and so is a translation
    whose id or language disagrees with its file name."""
    fragments: dict[str, Fragment] = {}
    translations: dict[tuple[str, str], Fragment] = {}
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
        lang = translation_lang(path)
        if lang is not None:
            problem = _translation_problem(fragment, lang)
            if problem is not None:
                problems.append(problem)
            else:
                translations[(fragment.id, lang)] = fragment
            continue
        if fragment.id in fragments:
            other = fragments[fragment.id]
            problems.append(Finding("duplicate-clause-id", ERROR,
                                    f"clause id '{fragment.id}' is also used by {other.path} (line {other.id_line})",
                                    SourcePos(str(path), fragment.id_line),
                                    suggestion="give one of the two files another id"))
            continue
        fragments[fragment.id] = fragment
    for (clause_id, lang), fragment in sorted(translations.items()):
        original = fragments.get(clause_id)
        expected = fragment.path.with_name(fragment.path.name[:-len(f".{lang}.md")] + ".md")
        if original is None or original.path != expected:
            beside = next((f for f in fragments.values() if f.path == expected), None)
            if beside is not None:  # the clause is there, under another id: the translation's id is wrong
                problems.append(Finding("bad-fragment", ERROR,
                                        f"this translation's id '{clause_id}' is not the id of {expected.name} "
                                        f"beside it ('{beside.id}')", SourcePos(str(fragment.path), fragment.id_line),
                                        suggestion=f"write id: {beside.id}, the id of the clause it translates"))
                continue
            where = f"there is no {expected.name}" if original is None else f"it is the id of {original.path}"
            problems.append(Finding("bad-fragment", ERROR,
                                    f"translation of '{clause_id}' has no original beside it ({where})",
                                    SourcePos(str(fragment.path), fragment.id_line),
                                    suggestion=f"a translation sits beside the clause it translates, with its id: "
                                               f"{expected.name} with id '{clause_id}'"))
    if problems:
        raise InputErrors(problems)
    return Library(fragments, translations)


def _translation_problem(fragment: Fragment, lang: str) -> Finding | None:
    """A translation's front matter must say its language: ``lang: en`` in ``fees.en.md``."""
    if fragment.lang in (None, lang):
        fragment.lang = lang
        return None
    return Finding("bad-fragment", ERROR, f"the file name makes this the '{lang}' translation, "
                   f"but its front matter says lang: {fragment.lang}", SourcePos(str(fragment.path), 2),
                   suggestion=f"write lang: {lang}, or rename the file")


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
