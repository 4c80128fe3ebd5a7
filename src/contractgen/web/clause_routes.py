"""The Clause library pages: every clause fragment by topic, with its id, version, title
and the templates that use it; a clause's own page shows its text, read-only.

Routes: ``GET /clauses`` and ``GET /clauses/{id}`` (an id is ``<topic>/<slug>``). The
library is read with :func:`contractgen.library.load_library`, the loader of ``build``
and ``contractgen clauses``; where a clause is used comes from the templates' parts, as
``contractgen clauses`` works it out. Nothing here writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from .. import i18n
from ..diagnostics import ContractgenError, InputErrors
from ..library import Fragment, load_library
from ..spec import load_spec
from .site import Site, TemplateInfo, WebError


# A fragment's language as its readers name it (each in its own language, as a language
# switch does), not as a code.
LANG_NAMES = {"zh": "中文", "en": "English"}


@dataclass
class ClauseEntry:
    id: str
    topic: str
    title: str
    version: str
    lang: str
    file: str  # the fragment's path inside the library
    used_by: list[TemplateInfo] = field(default_factory=list)


@dataclass
class Library:
    clauses: dict[str, ClauseEntry]
    problems: list[str] = field(default_factory=list)


def topic_of(clause_id: str) -> str:
    """A clause's topic: the folder its id names (``huzhou/breach`` -> ``huzhou``)."""
    return clause_id.split("/", 1)[0] if "/" in clause_id else ""


def read_library(clauses_dir: Path | None, templates: list[TemplateInfo]) -> tuple[Library, dict[str, Fragment]]:
    """The library's clauses with the templates that list each one."""
    if clauses_dir is None or not Path(clauses_dir).is_dir():
        return Library({}), {}
    try:
        fragments = load_library(Path(clauses_dir))
    except InputErrors as exc:
        return Library({}, [i18n.error_line(f.format()) for f in exc.findings]), {}
    root = Path(clauses_dir)
    clauses = {cid: ClauseEntry(cid, topic_of(cid), f.title, f.version, f.lang or "", _inside(f.path, root))
               for cid, f in sorted(fragments.items())}
    for info in templates:
        try:
            spec = load_spec(info.path)
        except ContractgenError:
            continue  # the catalog already noted it
        for clause_id in sorted({c for part in spec.parts for c in part.clauses}):
            if clause_id in clauses:
                clauses[clause_id].used_by.append(info)
    return Library(clauses), fragments


def _inside(path: Path, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).name


def routes(site: Site) -> list[Route]:
    async def library(request: Request):
        found, _ = await run_in_threadpool(read_library, site.config.clauses_dir, site.templates())
        topics = [(topic, list(entries)) for topic, entries in
                  groupby(sorted(found.clauses.values(), key=lambda c: (c.topic, c.id)), key=lambda c: c.topic)]
        return site.render(request, "clauses.html", topics=topics, count=len(found.clauses),
                           problems=found.problems, configured=site.config.clauses_dir is not None,
                           status=500 if found.problems else 200)

    async def clause(request: Request):
        clause_id = request.path_params["clause_id"]
        found, fragments = await run_in_threadpool(read_library, site.config.clauses_dir, site.templates())
        entry = found.clauses.get(clause_id)
        if entry is None:
            raise WebError(404, "No such clause.")
        return site.render(request, "clause.html", clause=entry, body=fragments[clause_id].body,
                           language=LANG_NAMES.get(entry.lang, entry.lang))

    return [Route("/clauses", library, methods=["GET"], name="clauses"),
            Route("/clauses/{clause_id:path}", clause, methods=["GET"], name="clause")]
