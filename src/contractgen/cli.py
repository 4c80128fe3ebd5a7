"""Command-line interface: options and help text only; each command calls one function."""

from __future__ import annotations

import atexit
import gc
import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .diagnostics import INTERNAL_ERROR, ContractgenError, debug_enabled, internal_error_message

@contextmanager
def _loading():
    """While a command imports its modules: no garbage collection. Importing allocates
    only what lives on (modules, classes, functions, compiled patterns), and Python's
    collector would scan it dozens of times (about 10 ms of `batch`'s start-up). Run as
    the contractgen command (:mod:`contractgen.__main__`), what was imported is then
    frozen, or the first collection after this would scan all of it (5 ms)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if FREEZE_IMPORTS:
            gc.freeze()
        if enabled:
            gc.enable()


#: Set by :mod:`contractgen.__main__`: this process is the command, not a library user.
FREEZE_IMPORTS = False


FORMAT_HELP = "Comma-separated output formats: md, docx, html, pdf (the DOCX exported by LibreOffice)."


def _formats(_ctx, _param, value: str) -> list[str]:
    from .writers import FORMATS

    names = list(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise click.BadParameter(f"{', '.join(bad) or value!r}: choose from {', '.join(FORMATS)}")
    return names


def rule_options(func):
    """--select / --ignore, the same on every command that checks a contract."""
    func = click.option("--ignore", multiple=True, metavar="RULES",
                        help="Leave out these rule codes or families (comma-separated, repeatable).")(func)
    return click.option("--select", multiple=True, metavar="RULES",
                        help="Run only these rule codes or families (comma-separated, repeatable).")(func)


def _selection(select, ignore):
    from .checks.selection import Selection, split_names

    return Selection(split_names(select) or None, split_names(ignore))


class _UserFacingError(click.ClickException):
    """A library error as Click prints it: "Error: <message>" on stderr, its exit status,
    in the message language (:mod:`contractgen.i18n`)."""

    def __init__(self, error: ContractgenError):
        super().__init__(error.message)
        self.exit_code = error.exit_code
        self.findings = getattr(error, "findings", None)  # InputErrors: one finding a line

    def show(self, file=None) -> None:
        from . import i18n

        message = ("\n".join(i18n.format_finding(f) for f in self.findings) if self.findings
                   else i18n.error_message(self.message))
        shown = i18n.text("Error: {message}", message=message)
        click.echo(shown, err=file is None, file=file)


class ContractgenGroup(click.Group):
    """Maps the library's user errors (plain exceptions) to Click's "Error: …" and their
    exit status, and a bug of ours to one line and exit 3 (the traceback under --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ContractgenError as exc:
            raise _UserFacingError(exc) from None
        except BrokenPipeError:  # the reader left (`contractgen clauses | head -1`): stop quietly
            _leave_closed_pipe()
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug_enabled():
                raise
            from . import i18n

            click.echo(i18n.text("Error: {message}", message=internal_error_message(exc)), err=True)
            ctx.exit(INTERNAL_ERROR)


def _leave_closed_pipe() -> None:
    """Exit as a program killed by SIGPIPE does (status 141), with nothing more written:
    stdout points at /dev/null, so the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(128 + 13)


def _set_lang(_ctx, _param, value: str | None) -> None:
    from . import i18n

    i18n.set_lang(i18n.resolve_lang(value))


LANG_HELP = ("Language of messages, errors and notes: zh or en (default: CONTRACTGEN_LANG, else the "
             "locale: LC_ALL, LC_MESSAGES, LANG; Chinese when it starts with zh, else English). Not the "
             "contract's language, which `check --lang` sets.")


def _set_debug(_ctx, _param, value: bool) -> None:
    if value:  # an environment variable, so batch workers in other processes see it too
        os.environ["CONTRACTGEN_DEBUG"] = "1"


@click.group(cls=ContractgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="contractgen")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
              help="Show the traceback of an internal error (exit status 3) instead of one line.")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default=None, expose_value=False,
              is_eager=True, callback=_set_lang, metavar="[zh|en]", help=LANG_HELP)
def main() -> None:
    """Generate contracts from a clause library, and check contracts for broken
    numbering, references and placeholders.

    Exit status: 0 done, no failing findings; 1 findings fail the run (or a batch row
    failed); 2 bad input or usage; 3 an internal error (a bug in contractgen)."""
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show Chinese (PYTHONIOENCODING=latin-1, a legacy Windows
        # code page) gets \u escapes in file names and messages instead of a crash.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    _quick_exit()


_EXIT_HOOKED = False


def _quick_exit() -> None:
    """When the command ends, Python's finalisation collects garbage over every object the
    process still holds (the modules, the template, a batch's caches): about 20 ms of a
    200-row batch (benchmarks/batch.py), for memory the process is about to give back.
    Frozen objects are not scanned; everything the commands write is closed by them
    (atomic writes, the manifest), never left to a collector."""
    global _EXIT_HOOKED
    if not _EXIT_HOOKED:
        _EXIT_HOOKED = True
        atexit.register(gc.freeze)


@main.command()
@click.argument("template_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Contract data: .yaml or .json.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--format", "formats", default="md", show_default=True, callback=_formats, help=FORMAT_HELP)
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--strict", is_flag=True, help="Let warnings from the built-in checks fail the build.")
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Take DOCX styles, page setup, header and footer from this file.")
@click.option("--toc-pages", is_flag=True, help="Fill the DOCX table of contents' page numbers from a LibreOffice layout (needs soffice and pdftotext).")
@click.option("--timing", is_flag=True, help="Print the build time.")
@rule_options
def build(template_dir, data_path, out_dir, formats, force, strict, reference_docx, toc_pages, timing,
          select, ignore) -> None:
    """Build one contract from TEMPLATE_DIR and a data file.

    The built contract is checked with the rules `check` would use for TEMPLATE_DIR
    (a contractgen.toml or pyproject.toml there, --select/--ignore, suppression comments
    in the clauses); errors (and with --strict, warnings) stop the build."""
    from .checks.selection import CheckPolicy
    with _loading():
        from .commands.build import run_build

    if (toc_pages or reference_docx) and "docx" not in formats:
        flag = "--toc-pages" if toc_pages else "--reference-docx"
        raise click.UsageError(f"{flag} applies to DOCX output: add docx to --format")
    policy = CheckPolicy.resolve(template_dir, _selection(select, ignore))
    run_build(template_dir, data_path, out_dir, formats, force=force, strict=strict,
              reference_docx=reference_docx, timing=timing, toc_pages=toc_pages, policy=policy)


@main.command()
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."), show_default=True, help="Project folder holding clauses/ and templates/.")
def clauses(root) -> None:
    """List the clause library: id, title, version and the templates that use each."""
    with _loading():
        from .commands.clauses import run_clauses

    run_clauses(root)


@main.command()
@click.argument("template_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Rows of contract data: .csv or .xlsx; row 1 holds field names (party_a.name).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder; it also receives manifest.csv.")
@click.option("--format", "formats", default="docx", show_default=True, callback=_formats, help=FORMAT_HELP)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--name", "name", metavar="PATTERN", help="Output name pattern, e.g. '{contract_no}-{party_a.name}' (default: the template's).")
@click.option("--resume", is_flag=True, help="Skip rows whose manifest entry and files are intact; build the rest.")
@click.option("--dry-run", is_flag=True, help="Build and check every row in memory and print why rows would fail; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite existing output files and manifest.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--encoding", help="CSV encoding (default: detected; e.g. utf-8, gb18030).")
@click.option("--sheet", help="XLSX sheet name (default: the first sheet).")
@click.option("--manifest", "manifest_format", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True, help="Manifest format.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Where rows are built: local processes or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address for --executor dask (e.g. tcp://host:8786).")
@rule_options
def batch(template_dir, data_path, out_dir, formats, jobs, name, resume, dry_run, force, quiet, encoding, sheet,
          manifest_format, executor, scheduler, select, ignore) -> None:
    """Build one contract per row of a CSV or XLSX file, with a manifest of every row.

    Exit status: 0 all rows built, 1 some rows failed (see the manifest), 2 bad input
    (unknown or missing columns, name collisions)."""
    with _loading():
        from .commands.batch import BatchOptions, run_batch

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    options = BatchOptions(formats=tuple(formats), jobs=jobs, name=name, resume=resume, dry_run=dry_run,
                           force=force, quiet=quiet, encoding=encoding, sheet=sheet, manifest=manifest_format,
                           executor=executor, scheduler=scheduler, selection=_selection(select, ignore))
    raise SystemExit(run_batch(template_dir, data_path, out_dir, options))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True, help="Output format (md: only with --list-rules).")
@click.option("--strict", is_flag=True, help="Let warnings fail the run too.")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True, help="Contract language: how the text is read (not the language of messages: see contractgen --lang).")
@click.option("--set", "as_set", is_flag=True, help="Check the files as one contract: the first is the main contract, a file titled 附件N / Schedule N / Annex N / Exhibit N is that attachment, any other an addendum.")
@rule_options
@click.option("--list-rules", is_flag=True, help="List every rule (code, severity, family, help) and exit.")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="With a template folder as PATH: check the contract it builds from this data file, as build would.")
def check(paths, fmt, strict, lang, as_set, select, ignore, list_rules, data_path) -> None:
    """Check contracts (.md, .txt, .docx, .html) for broken numbering, references, attachments,
    placeholders, amounts, party terms, dates, defined terms and Word fields.

    A .yaml PATH names a contract set (main:, addenda:, attachments:); a template folder
    with --data checks the contract it builds. Rules can also be chosen in
    [tool.contractgen.check] of a pyproject.toml or contractgen.toml (see docs/rules.md),
    and `build`, `batch` and `preview` honour the same choice. Exit 0: no errors;
    1: findings fail; 2: bad input."""
    with _loading():
        from .commands.check import rules_listing, run_check

    if list_rules:
        click.echo(rules_listing(fmt))
        raise SystemExit(0)
    raise SystemExit(run_check(paths, fmt, strict, lang, as_set=as_set, select=select, ignore=ignore,
                               data=data_path))


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Contract data (.yaml or .json) when SOURCE is a template folder.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write (required without --serve).")
@click.option("--serve", is_flag=True, help="Serve the page on 127.0.0.1 and rebuild it when a clause, template or data file changes.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port for --serve; 0 picks a free one.")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True, help="Contract language of a contract file.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@rule_options
def preview(source, data_path, out_path, serve, port, lang, force, select, ignore) -> None:
    """Render SOURCE as one HTML page with the findings of `check` shown in place.

    SOURCE is a template folder (with --data) or a contract file (.md, .txt, .docx, .html)."""
    with _loading():
        from .commands.preview import run_preview

    run_preview(source, data_path, out_path, lang=lang, serve=serve, port=port, force=force,
                selection=_selection(select, ignore))


@main.command()
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path), default=Path("templates"), show_default=True, help="Folder of template folders.")
@click.option("--clauses", "clauses_dir", type=click.Path(path_type=Path), help="Clause library folder (default: ./clauses when present).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; any but loopback needs an access token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port; 0 picks a free one.")
@click.option("--token", help="Access token a non-loopback bind requires (default: a generated one, printed at start).")
def serve(templates_dir, clauses_dir, host, port, token) -> None:
    """Serve the web app: template forms with a live preview, batch, check and the clause
    library in a browser (on 127.0.0.1 unless --host says otherwise)."""
    with _loading():
        from .commands.serve import run_serve

    run_serve(templates_dir, clauses_dir, host, port, token)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "docx"]), default="text", show_default=True, help="text or json summary; html redline page; docx of NEW with tracked changes.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (required for html and docx; default for text and json: stdout).")
@click.option("--template", "template_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Compare what this template builds (with --data) against the one file given.")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Contract data for --template.")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True, help="Contract language.")
@click.option("--author", default="contractgen", show_default=True, help="Author of the DOCX's tracked changes.")
@click.option("--date", default="2000-01-01T00:00:00Z", show_default=True, help="Date of the DOCX's tracked changes (ISO 8601).")
@click.option("--track-renumbering", is_flag=True, help="DOCX: track renumbering too (rejecting every change then gives OLD exactly).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
def compare(paths, fmt, out_path, template_dir, data_path, lang, author, date, track_renumbering, force) -> None:
    """Show what changed from OLD to NEW (.md, .txt, .docx, .html): units matched by label, title
    and text, so renumbering is not an edit. `compare --template T --data D RETURNED.docx`
    compares what the template builds today with the file that came back.

    Exit status: 0 identical, 1 they differ, 2 bad input."""
    with _loading():
        from .commands.compare import run_compare

    raise SystemExit(run_compare(paths, fmt, out_path, lang=lang, template=template_dir, data=data_path,
                                 author=author, date=date, track_renumbering=track_renumbering, force=force))
