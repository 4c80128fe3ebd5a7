"""The Check page's library side: check uploaded contract files as ``contractgen check``
does (one file, or several as one contract set, as ``check --set``), and give the preview
page and the JSON of the findings.

Uploaded files live in the session folder, each in a numbered folder of its own under its
display name; what the user sees (and what the JSON's ``path`` says) is that name, never
the session folder's path.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable, Iterator

from .. import i18n
from ..checking import Results, as_json, check_document, check_set
from ..checks.selection import CheckPolicy
from ..diagnostics import Finding
from ..model import Document
from ..readers import SUFFIXES, read_path
from ..readers.contract_set import read_set, set_from_paths
from ..writers.html import HtmlWriter

CONTRACT_SUFFIXES = SUFFIXES

_LANG_LOCK = threading.RLock()


@contextlib.contextmanager
def message_lang(lang: str) -> Iterator[None]:
    """Make ``lang`` the message language while a writer that reads it runs (the preview
    page's labels and finding messages follow :func:`i18n.get_lang`); one at a time."""
    with _LANG_LOCK:
        before = i18n.get_lang()
        i18n.set_lang(lang)
        try:
            yield
        finally:
            i18n.set_lang(before)


@dataclass
class Checked:
    """The contract (one file, or a set merged into one document) and its findings."""

    doc: Document
    results: Results  # findings per file, the files named by their display names
    shown: dict[str, str]  # each saved file's path -> its display name

    @property
    def findings(self) -> list[Finding]:
        return [f for _, found in self.results for f in found]

    def tidy(self, text: str, quote: Callable[[str], str] = str) -> str:
        """``text`` with each saved file's path replaced by the file's display name
        (written with ``quote``: escaped for the page, or for a JSON string)."""
        for path in sorted(self.shown, key=len, reverse=True):
            text = text.replace(path, quote(self.shown[path]))
        return text

    def as_json(self, lang: str) -> str:
        """The JSON ``check --format json`` prints for these files."""
        return self.tidy(as_json(self.results, lang=lang), lambda name: json.dumps(name, ensure_ascii=False)[1:-1])

    def page(self, lang: str) -> bytes:
        """The preview page with the findings marked, as ``contractgen preview FILE``."""
        with message_lang(lang):
            page = HtmlWriter(findings=self.findings).render(self.doc)
        return self.tidy(page.decode("utf-8"), escape).encode("utf-8")


def check_files(paths: list[Path], names: list[str]) -> Checked:
    """Check one file, or several files as one contract set (the first is the main
    contract); raises :class:`~contractgen.diagnostics.UserError` for a file that cannot
    be read."""
    shown = {str(path): name for path, name in zip(paths, names)}
    policy = CheckPolicy.resolve(paths[0])
    if len(paths) == 1:
        doc = read_path(paths[0])
        results = [(paths[0], check_document(doc, policy))]
    else:
        cset, docs = set_from_paths(paths)
        results = check_set(cset, "auto", policy, docs)
        doc = read_set(cset, "auto", docs)
    return Checked(doc, [(Path(shown.get(str(p), p.name)), found) for p, found in results], shown)
