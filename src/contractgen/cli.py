"""Command-line interface: options and help text only; each command calls one function."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__

FORMAT_HELP = "Comma-separated output formats: md, docx, html."


def _formats(_ctx, _param, value: str) -> list[str]:
    from .writers import FORMATS

    names = [v.strip() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise click.BadParameter(f"{', '.join(bad) or value!r}: choose from {', '.join(FORMATS)}")
    return names


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="contractgen")
def main() -> None:
    """Generate contracts from a clause library, and check contracts for broken
    numbering, references and placeholders."""


@main.command()
@click.argument("template_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Contract data: .yaml or .json.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--format", "formats", default="md", show_default=True, callback=_formats, help=FORMAT_HELP)
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--strict", is_flag=True, help="Let warnings from the built-in checks fail the build.")
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Take DOCX styles, page setup, header and footer from this file.")
@click.option("--timing", is_flag=True, help="Print the build time.")
def build(template_dir, data_path, out_dir, formats, force, strict, reference_docx, timing) -> None:
    """Build one contract from TEMPLATE_DIR and a data file."""
    from .commands.build import run_build

    run_build(template_dir, data_path, out_dir, formats, force=force, strict=strict,
              reference_docx=reference_docx, timing=timing)


@main.command()
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."), show_default=True, help="Project folder holding clauses/ and templates/.")
def clauses(root) -> None:
    """List the clause library: id, title, version and the templates that use each."""
    from .commands.clauses import run_clauses

    run_clauses(root)
