"""The library API of ``compare``: read two versions as ``check`` reads them (or build the
old one from a template), compare them, and render the result in one format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checking import check_document
from ..checks.selection import CheckPolicy, Selection
from ..diagnostics import UserError
from ..model import Document
from ..readers import read_path
from .core import Comparison, compare_documents

FORMATS = ("text", "json", "html", "docx")


@dataclass(frozen=True)
class RedlineOptions:
    """How a redline is written: the tracked changes' author and date (ISO 8601, e.g.
    2024-05-01T00:00:00Z; a fixed date keeps the output deterministic), the files' names,
    and whether the DOCX tracks renumbering (by default renumbering is no change, so
    rejecting every change gives OLD's text as NEW numbers it)."""

    author: str = "contractgen"
    date: str = "2000-01-01T00:00:00Z"
    old_name: str = ""
    new_name: str = ""
    track_renumbering: bool = False  # DOCX: show renumbering as tracked changes too


def reference_findings(doc: Document, lang: str = "auto"):
    """``check``'s reference rules on one document."""
    policy = CheckPolicy.resolve(None, Selection(select=("references",)), lang)
    return check_document(doc, policy)


def compare_versions(old: Document, new: Document, lang: str = "auto") -> Comparison:
    """Compare two documents, with the reference findings NEW has and OLD had not."""
    return compare_documents(old, new, (reference_findings(old, lang), reference_findings(new, lang)))


def compare_files(old_path: Path, new_path: Path, lang: str = "auto") -> Comparison:
    return compare_versions(read_path(old_path, lang), read_path(new_path, lang), lang)


def compare_with_template(template_dir: Path, data_path: Path, returned: Path, lang: str = "auto") -> Comparison:
    """What the template builds from the data today, against the file that came back."""
    from ..pipeline import build_from_files

    built = build_from_files(Path(template_dir), Path(data_path))[2]
    old = built.doc
    if old.texts:  # a bilingual contract is compared as the file sets it out: written, then read back
        old = _as_read(old, Path(returned), lang)
    return compare_versions(old, read_path(returned, lang), lang)


def _as_read(doc: Document, returned: Path, lang: str) -> Document:
    """``doc`` written in the returned file's format and read back as ``check`` reads it."""
    import tempfile

    from ..pipeline import render_outputs

    fmt = "docx" if returned.suffix.lower() == ".docx" else "md"
    with tempfile.TemporaryDirectory(prefix="contractgen-compare-") as folder:
        path = Path(folder) / f"{returned.stem}.{fmt}"
        path.write_bytes(dict(render_outputs(doc, [fmt]))[fmt])
        return read_path(path, lang)


def render(comparison: Comparison, fmt: str, options: RedlineOptions = RedlineOptions()) -> bytes:
    """The comparison in ``fmt`` (text, json, html or docx) as bytes."""
    if fmt == "text":
        from .report import as_text

        return (as_text(comparison, options.old_name, options.new_name) + "\n").encode("utf-8")
    if fmt == "json":
        from .report import as_json

        return (as_json(comparison, options.old_name, options.new_name) + "\n").encode("utf-8")
    if fmt == "html":
        from .html import render_html

        return render_html(comparison, options)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(comparison, options)
    raise UserError(f"unknown compare format '{fmt}' (use {', '.join(FORMATS)})")
