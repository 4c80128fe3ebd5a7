"""Shared by the preview tests: the cases, an HTML audit, a project copy, a running server."""

from __future__ import annotations

import re
import shutil
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

from contractgen.commands.preview import PreviewSource, preview_document, render_preview, watched_paths
from contractgen.serve import PreviewServer

from conftest import ROOT, SAMPLE, TESTS

LEGACY = TESTS / "data" / "preview" / "huzhou-contract-zh.txt"
SAMPLE_DATA = SAMPLE / "sample-data.yaml"
ENGLISH = ROOT / "templates" / "services-agreement-en"
ARTIFACTS = TESTS / "artifacts"

SAMPLE_SOURCE = PreviewSource(SAMPLE, SAMPLE_DATA)
LEGACY_SOURCE = PreviewSource(LEGACY)

_EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.I)
_IMPORT = re.compile(r"@import", re.I)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.fragment_links: list[str] = []
        self.urls: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id") is not None:
            self.ids.append(values["id"])
        for name in ("href", "src", "action", "poster", "data"):
            value = values.get(name)
            if value is None:
                continue
            if name == "href" and value.startswith("#"):
                self.fragment_links.append(value[1:])
            else:
                self.urls.append(value)
        if values.get("style"):
            self.style += values["style"]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def audit_html(page: bytes) -> list[str]:
    """Problems that make a page break in a browser or reach the network; [] when clean."""
    collector = _Collector()
    collector.feed(page.decode("utf-8"))
    problems = []
    seen: set[str] = set()
    for element_id in collector.ids:
        if element_id in seen:
            problems.append(f"duplicate id {element_id!r}")
        seen.add(element_id)
    problems += [f"dangling link #{t}" for t in collector.fragment_links if t not in seen]
    problems += [f"external URL {u!r}" for u in collector.urls if _EXTERNAL.match(u)]
    problems += [f"CSS url({u})" for u in _CSS_URL.findall(collector.style) if not u.startswith("data:")]
    if _IMPORT.search(collector.style):
        problems.append("CSS @import")
    return problems


def parse_errors(page: bytes) -> list[str]:
    """HTML parse errors by the WHATWG algorithm (html5lib), as "line:col code"."""
    import html5lib

    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parse(page)
    return [f"{line}:{col} {code}" for (line, col), code, _ in parser.errors]


def copy_project(dest: Path) -> Path:
    """A copy of the sample template and its clause library; returns the template folder."""
    shutil.copytree(SAMPLE, dest / "templates" / SAMPLE.name)
    shutil.copytree(ROOT / "clauses" / "huzhou", dest / "clauses" / "huzhou")
    return dest / "templates" / SAMPLE.name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextmanager
def serving(source: PreviewSource, interval: float = 0.1) -> Iterator[PreviewServer]:
    """A preview server on a free port for ``source``, stopped at the end."""

    def build(script: str) -> bytes:
        return render_preview(source, script)[0]

    server = PreviewServer(build, lambda: watched_paths(source), port=0, interval=interval)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_for(condition: Callable[[], bool], timeout: float = 10.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


__all__ = ["ARTIFACTS", "ENGLISH", "LEGACY", "LEGACY_SOURCE", "SAMPLE_DATA", "SAMPLE_SOURCE", "audit_html",
           "copy_project", "edit", "parse_errors", "preview_document", "serving", "wait_for"]
