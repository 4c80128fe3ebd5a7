"""Readers: legacy contracts (.md, .txt, .docx, .html) → the document model."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import UserError
from ..model import Document

SUFFIXES = (".md", ".markdown", ".txt", ".docx", ".html", ".htm")


def read_path(path, lang: str = "auto") -> Document:
    """Read one contract file; any problem with the file itself is a :class:`UserError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise UserError(f"{path}: is a folder; name the contract files in it (e.g. {path}/*.docx)")
    if suffix == ".doc":
        raise UserError(f"{path}: a .doc file must be saved as .docx first")
    if suffix not in SUFFIXES:
        raise UserError(f"{path}: unsupported file type '{suffix or path.name}' (use {', '.join(SUFFIXES)})")
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if not path.is_file():
        raise UserError(f"{path}: not a file")
    try:
        return _read(path, suffix, lang)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc


def _read(path: Path, suffix: str, lang: str) -> Document:
    if suffix == ".txt":
        from .text import read_text

        return read_text(path, lang)
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path, lang)
    if suffix in (".html", ".htm"):
        from .html import read_html

        return read_html(path, lang)
    from .markdown import read_markdown

    return read_markdown(path, lang)
