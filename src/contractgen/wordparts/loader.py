"""A template's Word parts, loaded, validated and compiled once per process.

:func:`load_word_parts` is what ``load_template`` calls (a tag naming an unknown field
stops the build with exit 2, before anything is rendered). The writers find a built
document's Word parts again through :func:`word_set_for` — the document names its
contract.yaml — from a per-process cache keyed by each file's path, mtime and size, so a
batch worker reads and compiles every Word file once, whatever route built the document.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from ..diagnostics import ERROR, Finding, InputErrors
from ..model import SourcePos
from . import known_without_word_parts
from .config import WordPartSpec
from .where import WordPos

if TYPE_CHECKING:
    from .template import WordTemplate

# lxml and the Word template modules are imported by the functions that read Word files:
# a template without Word parts (most batches) asks word_set_for and never loads them.


@dataclass
class LoadedPart:
    spec: WordPartSpec
    template: WordTemplate


@dataclass
class WordSet:
    """A template's Word parts in contract.yaml's order, and its skeleton (or None)."""

    spec: object  # the TemplateSpec
    parts: list[LoadedPart]
    skeleton: WordTemplate | None


_LOCK = threading.Lock()
_CACHE: dict[str, tuple[tuple, WordSet | None]] = {}
_CHECKED: dict[str, float] = {}  # when each contract.yaml's files were last found unchanged
_RECHECK = 0.5  # seconds: a writer trusts a check this recent (an edit shows in the next build)


def _signature(paths: list[Path]) -> tuple:
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            out.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def _files(spec) -> list[Path]:
    names = [w.file for w in spec.word_parts] + ([spec.skeleton] if spec.skeleton else [])
    return [spec.path, *(spec.dir / n for n in names)]


def load_word_parts(spec) -> WordSet | None:
    """Validate and compile the template's Word parts (None when it has none); every
    problem of every file is raised at once as :class:`InputErrors`."""
    if not spec.word_parts and not spec.skeleton:
        return None
    signature = _signature(_files(spec))
    with _LOCK:
        cached = _CACHE.get(str(spec.path))
    if cached is not None and cached[0] == signature and cached[1] is not None:
        return cached[1]
    from .template import word_environment

    env = word_environment(spec.lang if spec.scheme == spec.lang else spec.scheme)
    problems: list[Finding] = []
    parts = []
    for word in spec.word_parts:
        template = _load(spec.dir / word.file, env, spec, problems, SourcePos(str(spec.path), word.line))
        if template is not None:
            parts.append(LoadedPart(word, template))
    skeleton = None
    if spec.skeleton:
        skeleton = _load(spec.dir / spec.skeleton, env, spec, problems, SourcePos(str(spec.path), 1), skeleton=True)
    if problems:
        raise InputErrors(problems)
    loaded = WordSet(spec, parts, skeleton)
    with _LOCK:
        _CACHE[str(spec.path)] = (signature, loaded)
    return loaded


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how a Word 97-2003 .doc begins
_FILES: dict[tuple, tuple[list[Finding], WordTemplate | None]] = {}  # one Word file, validated and compiled
_FILES_KEPT = 64


def _load(path: Path, env, spec, problems: list[Finding], at: SourcePos, skeleton: bool = False):
    """The file's compiled template (None after adding its problems), from ``_FILES`` while
    the file, the data schema's names and the language are the same."""
    if not path.is_file():
        problems.append(Finding("bad-template", ERROR, f"Word file {path} does not exist", at))
        return None
    key = (_signature([path]), tuple(sorted(spec.data)), spec.lang, spec.scheme, skeleton)
    with _LOCK:
        cached = _FILES.get(key)
    if cached is None:
        cached = _read(path, env, spec, at, skeleton)
        with _LOCK:
            if len(_FILES) >= _FILES_KEPT:  # a long-lived process (the web app) whose files were edited
                _FILES.clear()
            _FILES[key] = cached
    problems.extend(dataclasses.replace(f) for f in cached[0])
    return cached[1]


def _read(path: Path, env, spec, at: SourcePos, skeleton: bool) -> tuple[list[Finding], WordTemplate | None]:
    from lxml import etree

    from .ooxml import Package
    from .review import review_marks
    from .template import WordTemplate
    from .validate import validate

    try:
        data = path.read_bytes()
        if data.startswith(OLE2):
            return [Finding("bad-template", ERROR, f"{path} is a Word 97-2003 file (.doc), not a .docx: open it in "
                            "Word and save it as a Word Document (.docx)", at)], None
        package = Package.read(data)
        etree.fromstring(package.members["word/document.xml"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        return [Finding("bad-template", ERROR, f"{path} is not a readable Word file: {exc}", at)], None
    found = (review_marks(package, str(path)) + _carried(package, str(path))
             + validate(package, str(path), env, spec.data, skeleton=skeleton))
    if found:
        return found, None
    try:
        return [], WordTemplate(path, env, data, package)
    except InputErrors as exc:
        return list(exc.findings), None


def _carried(package, path: str) -> list[Finding]:
    """What the part's body relates to that a merge cannot bring along (charts, embedded
    files, comments): reported, instead of a document that silently loses it."""
    from lxml import etree

    from .merge import CARRIED
    from .ooxml import DOCUMENT, R

    body = etree.fromstring(package.members[DOCUMENT])
    kinds = sorted({package.rels[el.get(a)].type for el in body.iter() for a in el.attrib
                    if a.startswith(R) and el.get(a) in package.rels
                    and package.rels[el.get(a)].type not in CARRIED})
    if not kinds:
        return []
    return [Finding("bad-template", ERROR, f"the part holds {', '.join(kinds)} content, which a Word part "
                    "cannot bring into the contract (it may hold text, tables, images and hyperlinks)",
                    WordPos(path, 1, ""))]


def word_set_for(doc) -> WordSet | None:
    """The Word parts of the template a built document came from (None for none)."""
    source = getattr(doc, "source", "") or ""
    if not source.endswith("contract.yaml") or known_without_word_parts(source):
        return None
    with _LOCK:
        cached = _CACHE.get(source)
        checked = _CHECKED.get(source, -_RECHECK)
    now = time.monotonic()
    if cached is not None and now - checked < _RECHECK:
        return cached[1]  # the same files a moment ago: the Markdown, HTML and DOCX of one contract
    if cached is not None and cached[1] is None and cached[0] == _signature([Path(source)]):
        _CHECKED[source] = now
        return None
    if cached is not None and cached[1] is not None and cached[0] == _signature(_files(cached[1].spec)):
        _CHECKED[source] = now
        return cached[1]
    from ..spec import load_spec

    spec = load_spec(Path(source).parent)
    loaded = load_word_parts(spec)
    if loaded is None:
        with _LOCK:
            _CACHE[source] = (_signature([Path(source)]), None)
    return loaded


__all__ = ["LoadedPart", "WordSet", "load_word_parts", "word_set_for"]
