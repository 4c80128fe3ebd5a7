"""Helpers for building documents in tests without the CLI."""

from __future__ import annotations

from pathlib import Path

from contractgen.pipeline import build_document, load_template
from contractgen.model import Document
from contractgen.spec import load_data_file, validate_data


def build(template_dir: Path, data_path: Path | None = None, check: bool = True) -> Document:
    template = load_template(template_dir)
    data_path = data_path or next(p for p in (template_dir / "sample-data.yaml", template_dir / "data.yaml") if p.exists())
    raw, lines = load_data_file(data_path)
    return build_document(template, validate_data(template.spec, raw, str(data_path), lines), check=check)
