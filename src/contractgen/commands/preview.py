"""`contractgen preview`: one HTML page of a contract with the findings of `check` in place.

The source is either a template folder with a data file (built like `build`, checked like
`check`) or a legacy contract (.md, .txt, .docx, .html) read by the same readers as `check`.
With ``--serve`` the page is served on 127.0.0.1 and rebuilt when a watched file changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from .. import i18n
from ..checks.selection import CheckPolicy, Selection
from ..diagnostics import ContractgenError, Finding, UserError
from ..fsutil import write_atomic
from ..model import Document
from ..writers.html import HtmlWriter


@dataclass(frozen=True)
class PreviewSource:
    """What to preview: a template folder and its data file, or one legacy contract file."""

    path: Path
    data: Path | None = None
    lang: str = "auto"
    selection: Selection = field(default_factory=Selection)  # --select / --ignore

    @property
    def is_template(self) -> bool:
        return self.path.is_dir()

    def validate(self) -> None:
        if self.is_template and self.data is None:
            raise UserError(f"{self.path} is a template folder: give its data file with --data FILE")
        if not self.is_template and self.data is not None:
            raise UserError("--data goes with a template folder, not with a contract file")


def preview_document(source: PreviewSource) -> tuple[Document, list[Finding]]:
    """Build or read the document, then give it the findings `check` would: the same
    policy (config file, --select/--ignore, suppression comments) for the same source."""
    source.validate()
    policy = CheckPolicy.resolve(source.path, source.selection, source.lang)
    if source.is_template:
        from ..pipeline import build_from_files

        # Check errors are shown on the page, not raised: that is what a preview is for.
        built = build_from_files(source.path, source.data, policy)[2]
        return built.doc, built.findings
    from ..readers import read_path

    doc = read_path(source.path, source.lang)
    return doc, policy.findings(doc)


def render_preview(source: PreviewSource, script: str | None = None) -> tuple[bytes, list[Finding]]:
    doc, findings = preview_document(source)
    return HtmlWriter(findings=findings, script=script).render(doc), findings


def watched_paths(source: PreviewSource) -> list[Path]:
    """The files and folders whose changes call for a rebuild."""
    if not source.is_template:
        return [source.path]
    paths = [source.path]
    if source.data is not None:
        paths.append(source.data)
    library = _library_dir(source.path)
    if library is not None:
        paths.append(library)
    return paths


def _library_dir(template_dir: Path) -> Path | None:
    """The clause library the template uses, or None while contract.yaml cannot be read."""
    from ..library import find_library
    from ..spec import load_spec

    try:
        spec = load_spec(template_dir)
        return spec.library or find_library(spec.dir)
    except ContractgenError:
        try:
            return find_library(template_dir)
        except ContractgenError:
            return None


def summary(findings: list[Finding]) -> str:
    if not findings:
        return i18n.text("no findings")
    errors = sum(f.severity == "error" for f in findings)
    return i18n.text("{errors} error(s), {warnings} warning(s)", errors=errors, warnings=len(findings) - errors)


def _check_out(out: Path, inputs: list[Path], force: bool) -> None:
    """Never write the page over an input, nor over an existing file without --force."""
    if any(out.resolve() == p.resolve() for p in inputs):
        raise UserError(f"{out}: --out would overwrite the file being previewed; choose another name")
    if out.exists() and not force:
        raise UserError(f"{out} already exists (use --force to overwrite)")


def run_preview(path: Path, data: Path | None, out: Path | None, *, lang: str = "auto", serve: bool = False,
                port: int = 8000, force: bool = False, selection: Selection = Selection()) -> None:
    source = PreviewSource(Path(path), Path(data) if data else None, lang, selection)
    source.validate()
    if out is not None:
        _check_out(out, [Path(path), *([Path(data)] if data else [])], force)
    if not serve:
        if out is None:
            raise UserError("give the page to write with --out FILE.html (or use --serve)")
        page, findings = render_preview(source)
        write_atomic(out, page)
        click.echo(str(out))
        click.echo(f"{source.path}: {summary(findings)}", err=True)
        return
    from ..serve import PreviewServer, serve_until_interrupted

    def build(script: str) -> bytes:
        doc, findings = preview_document(source)
        if out is not None:
            write_atomic(out, HtmlWriter(findings=findings).render(doc))
        click.echo(i18n.text("built {path}: {summary}", path=source.path, summary=summary(findings)), err=True)
        return HtmlWriter(findings=findings, script=script).render(doc)

    serve_until_interrupted(PreviewServer(build, lambda: watched_paths(source), port=port))
