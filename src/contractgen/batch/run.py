"""Batches, the library side of `contractgen batch`: one contract per row of a CSV or XLSX file.

The data file is read twice, as a stream, never held whole:

1. a scan in this process checks the header against the data schema, fills and sanitises
   every row's output name and finds collisions — all before any work starts;
2. the run (or, for --dry-run, :mod:`.dryrun`, which builds every row in memory and
   writes nothing) sends rows in chunks to an executor (inline, process pool or Dask), keeps a
   bounded number of chunks in flight, and writes the manifest in row order as results
   come back. Local workers write their files atomically themselves and return hashes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import executors, manifest as mf, shutdown
from ..naming import NameRegistry, check_pattern, fill_pattern, sanitize
from .progress import make_progress
from .rows import RowSource, header_problems
from .worker import (BatchJob, RowResult, RowTask, load_job, remove_outputs,
                     write_outputs)
from ..checks.selection import CheckPolicy, Selection
from ..diagnostics import INTERNAL_ERROR, InputErrors, RunFailed, UserError, debug_enabled
from ..fsutil import folder_lock, make_dir, temp_files
from ..pipeline import load_template
from ..spec import nest

MAX_LISTED_FAILURES = 20
STOPPED = 130  # what run_batch returns when ``cancel`` stopped it (a Ctrl-C's status)
BUG_NOTE = "this is a bug in contractgen; please report it with the output of the same command run with --debug"


def print_message(message: str, err: bool = False) -> None:
    """Where a batch says what it did when no caller chose: stdout, or stderr for notes."""
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


@dataclass
class BatchOptions:
    formats: tuple[str, ...] = ("docx",)
    jobs: int | None = None
    name: str | None = None
    resume: bool = False
    dry_run: bool = False
    force: bool = False
    quiet: bool = False
    encoding: str | None = None
    sheet: str | None = None
    manifest: str = "csv"
    executor: str = "local"
    scheduler: str | None = None
    client: object = None  # a distributed.Client to use instead of --scheduler (tests, notebooks)
    # set from another thread (the web app's Stop button): the run stops as a signal stops it,
    # with what it recorded kept for --resume, and returns STOPPED
    cancel: "threading.Event | None" = None
    selection: Selection = field(default_factory=Selection)  # --select / --ignore
    echo: Callable[..., None] = print_message  # echo(message, err=False): the CLI passes click.echo


@dataclass
class Scan:
    """What the first pass over the data learnt: row count, per-row problems, collisions."""

    rows: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, key, message)
    collisions: list = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    internal_errors: int = 0  # rows of a dry run whose build met a bug in contractgen


class Stopped(BaseException):
    """``BatchOptions.cancel`` was set: not an Exception, so that no row's handler takes it."""


def run_batch(template_dir: Path, data_path: Path, out_dir: Path, options: BatchOptions | None = None) -> int:
    """Build every row; return the exit status (0 all built, 1 a row failed, :data:`STOPPED`
    when ``options.cancel`` was set before the last row was recorded)."""
    opts = options or BatchOptions()
    template = load_template(Path(template_dir))
    policy = CheckPolicy.resolve(Path(template_dir), opts.selection)
    if policy.note():
        opts.echo(policy.note(), err=True)
    pattern = opts.name or template.spec.output_name
    check_pattern(pattern, template.spec.data)
    template_print = fingerprint(template, pattern, opts.formats, policy)
    job = BatchJob(str(Path(template_dir).resolve()), tuple(opts.formats), str(Path(out_dir).resolve()),
                   str(data_path), template_print, policy.codes)
    loaded = load_job(job, template)
    suffixes = [w.suffix for w in loaded.writers]
    check_existing = not (opts.force or opts.resume or opts.dry_run) and Path(out_dir).is_dir()
    scan = scan_rows(template.spec, data_path, pattern, opts, Path(out_dir) if check_existing else None, suffixes)
    if scan.rows == 0:
        raise UserError(f"{data_path}: no rows below the header: nothing to build")
    if opts.dry_run:
        dry_run_rows(loaded, data_path, pattern, opts, scan)
        return report_dry_run(scan, opts.echo)
    if scan.collisions:
        raise InputErrors(scan.collisions)
    if scan.existing:
        shown = ", ".join(scan.existing[:5]) + (" …" if len(scan.existing) > 5 else "")
        raise UserError(f"{len(scan.existing)} output file(s) already exist: {shown} "
                        "(use --resume to keep intact ones or --force to overwrite)")
    runner = BatchRun(Path(out_dir), pattern, opts, loaded, template_print, suffixes)
    return runner.run(data_path, scan.rows)


def scan_rows(spec, data_path: Path, pattern: str, opts: BatchOptions, out_dir: Path | None,
              suffixes: list[str]) -> Scan:
    """The first pass: header, names, collisions, existing files, cells read inexactly."""
    scan = Scan()
    registry = NameRegistry(str(data_path))
    with RowSource(data_path, opts.encoding, opts.sheet, spec.data) as source:
        findings = header_problems(source.header, spec.data, data_path)
        if findings:
            raise InputErrors(findings)
        for row in source.rows():
            scan.rows += 1
            stem = sanitize(fill_pattern(pattern, row.cells))
            if not stem:
                scan.problems.append((row.number, "", empty_name_message(pattern)))
            else:
                registry.add(row.number, stem)
            if out_dir is not None and stem:
                scan.existing.extend(f"{stem}.{s}" for s in suffixes if (out_dir / f"{stem}.{s}").exists())
            if opts.dry_run:
                scan.problems.extend((row.number, stem, problem) for problem in row.problems)
    scan.collisions = registry.collisions
    return scan


def dry_run_rows(loaded, data_path: Path, pattern: str, opts: BatchOptions, scan: Scan) -> None:
    """The dry run's second pass: build every row in memory as the run would (nothing is
    written) and add each reason a row would fail to ``scan.problems``. A row whose cells
    could not be read exactly is not built, as the run does not build it."""
    from .dryrun import DryRow, try_rows  # here: a run that builds does not import it

    def rows():
        with RowSource(data_path, opts.encoding, opts.sheet, loaded.template.spec.data) as source:
            for row in source.rows():
                if not row.problems:
                    yield DryRow(row.number, sanitize(fill_pattern(pattern, row.cells)), nest(row.cells))

    jobs = opts.jobs or executors.default_jobs()
    with make_progress(scan.rows, quiet=opts.quiet) as progress:  # on a terminal only
        for result in try_rows(loaded, rows(), jobs, scan.rows):
            progress.advance()
            scan.problems.extend((result.number, result.key, problem) for problem in result.problems)
            if result.detail:
                scan.internal_errors += 1
                if scan.internal_errors == 1:
                    detail = result.detail if debug_enabled() else f"{result.problems[0]} — {BUG_NOTE}"
                    opts.echo(f"row {result.number}: {detail}", err=True)


def empty_name_message(pattern: str) -> str:
    return f"the output name {pattern!r} is empty for this row"


def report_dry_run(scan: Scan, echo: Callable[..., None] = print_message) -> int:
    """Print the per-row table of problems; 2 for name collisions, 1 for bad rows, else 0
    (3 when building a row met a bug in contractgen)."""
    problems = sorted(scan.problems + [(f.line or 0, "", f.message) for f in scan.collisions])
    if problems:
        from rich.cells import cell_len  # a CJK character takes two columns on a terminal

        from .. import i18n

        heads = [i18n.text(word) for word in ("row", "key", "problem")]
        width = max(cell_len(k) for _, k, _ in problems) or 1
        pad = " " * max(0, 5 - cell_len(heads[0]))
        echo(f"{pad}{heads[0]}  {heads[1]}{' ' * max(0, width - cell_len(heads[1]))}  {heads[2]}")
        for row, key, message in problems:
            echo(f"{row:>5}  {key}{' ' * (width - cell_len(key))}  {i18n.error_message(message)}")
    bad_rows = len({row for row, _, _ in problems})
    from .. import i18n

    echo(i18n.text("dry run: {rows} rows, {valid} valid, {bad} with problems; nothing written",
                   rows=scan.rows, valid=scan.rows - bad_rows, bad=bad_rows), err=True)
    if scan.internal_errors:
        return INTERNAL_ERROR
    if scan.collisions:
        return 2
    return 1 if problems else 0


def fingerprint(template, pattern: str, formats, policy: CheckPolicy | None = None) -> str:
    """A digest of everything besides the row that decides the output bytes (for --resume)."""
    digest = hashlib.sha256()
    paths = [template.spec.path] + sorted({frag.path for frag, _ in template.fragments.values()})
    for path in paths:
        digest.update(Path(path).read_bytes())
    from .. import __version__

    codes = None if policy is None or policy.codes is None else list(policy.codes)
    extra = [] if codes is None else [codes]  # the rules decide which rows fail
    digest.update(json.dumps([pattern, list(formats), __version__, *extra]).encode())
    return digest.hexdigest()


def row_digest(fingerprint_hex: str, cells: dict[str, str]) -> str:
    payload = json.dumps(cells, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{fingerprint_hex}\n{payload}".encode()).hexdigest()


class BatchRun:
    """The second pass: stream rows to the executor, write files and the manifest."""

    def __init__(self, out_dir: Path, pattern: str, opts: BatchOptions, loaded, fingerprint_hex: str,
                 suffixes: list[str]):
        self.out_dir, self.pattern, self.opts, self.loaded = out_dir, pattern, opts, loaded
        self.fingerprint, self.suffixes = fingerprint_hex, suffixes
        self.counts = {mf.OK: 0, mf.FAILED: 0, mf.SKIPPED: 0}
        self.failures: list[str] = []
        self.traceback_shown = False
        self.internal_errors = 0

    def run(self, data_path: Path, total: int) -> int:
        make_dir(self.out_dir)
        with folder_lock(self.out_dir), shutdown.interruptible():
            try:
                return self._run_locked(data_path, total)
            except shutdown.Interrupted as stop:  # workers gone, manifest closed (see shutdown.py)
                self.opts.echo(stop.message(sum(self.counts.values())), err=True)
                return stop.exit_status
            except Stopped:
                self.opts.echo(f"stopped: {sum(self.counts.values())} row(s) recorded in the partial manifest; "
                               "run the same command with --resume to build the rest", err=True)
                return STOPPED

    def _run_locked(self, data_path: Path, total: int) -> int:
        remove_temp_files(self.out_dir)
        index = self._resume_index()
        writer = mf.ManifestWriter(self.out_dir, self.opts.manifest)
        jobs = self.opts.jobs or executors.default_jobs()
        try:
            with executors.make_executor(self.opts.executor, self.loaded.job, jobs, self.loaded,
                                         self.opts.scheduler, self.opts.client) as executor, \
                    make_progress(total, quiet=self.opts.quiet) as progress:
                chunk = executors.chunk_size_for(total, executor.parallelism)
                cancel = self.opts.cancel
                for item in executors.dispatch(executor, self._items(data_path, index), chunk):
                    entry = self._entry(item)
                    writer.write(entry)
                    self._count(entry)
                    progress.advance()
                    if cancel is not None and cancel.is_set():
                        raise Stopped  # as a signal: the workers go, the partial manifest stays
        except BrokenProcessPool:
            writer.close()
            raise RunFailed(
                f"a worker process died after {sum(self.counts.values())} rows; run again with --resume") from None
        except BaseException:
            writer.close()
            raise
        path = writer.finish()
        mf.previous_path(self.out_dir, self.opts.manifest).unlink(missing_ok=True)
        if index is not None and index.stats.damaged:
            self.opts.echo(f"note: {index.stats.damaged} damaged line(s) of the earlier manifest were skipped; "
                           "the rows they described were built again", err=True)
        return self._summary(path)

    def _resume_index(self) -> mf.ResumeIndex | None:
        fmt = self.opts.manifest
        partial, previous = mf.partial_path(self.out_dir, fmt), mf.previous_path(self.out_dir, fmt)
        if not self.opts.resume:
            if not self.opts.force and (mf.manifest_path(self.out_dir, fmt).exists() or partial.exists()):
                raise UserError(f"{self.out_dir} holds an earlier batch; use --resume to continue it "
                                "or --force to rebuild everything")
            previous.unlink(missing_ok=True)
            return None
        mf.carry_over(self.out_dir, fmt)  # a resumed resume keeps what both runs recorded
        return mf.ResumeIndex([previous, mf.manifest_path(self.out_dir, fmt)])

    def _items(self, data_path: Path, index: mf.ResumeIndex | None):
        """Every row as a task, or as a manifest entry when it needs no building."""
        with RowSource(data_path, self.opts.encoding, self.opts.sheet, self.loaded.template.spec.data) as source:
            for row in source.rows():
                stem = sanitize(fill_pattern(self.pattern, row.cells))
                digest = row_digest(self.fingerprint, row.cells)
                if not stem:
                    yield mf.Entry(row.number, "", mf.FAILED, input=digest, message=empty_name_message(self.pattern))
                    continue
                if row.problems:  # a value the spreadsheet could not hold exactly: never guessed
                    yield mf.Entry(row.number, stem, mf.FAILED, input=digest, message="; ".join(row.problems))
                    continue
                previous = index.intact(self.out_dir, row.number, digest) if index else None
                if previous is not None and previous.key == stem:
                    yield mf.Entry(row.number, stem, mf.SKIPPED, previous.outputs, digest)
                else:
                    yield RowTask(row.number, stem, nest(row.cells), digest)

    def _entry(self, item) -> mf.Entry:
        if isinstance(item, mf.Entry):
            return item
        result: RowResult = item
        if result.payloads:
            try:
                result.outputs = write_outputs(self.out_dir, result.key, result.payloads)
            except (OSError, UserError) as exc:
                result.status, result.message = mf.FAILED, f"cannot write: {exc}"
            result.payloads = []
        if result.status == mf.FAILED:
            remove_outputs(self.out_dir, result.key, self.suffixes)
        if result.detail:
            self.internal_errors += 1
        if result.detail and not self.traceback_shown:
            # A bug in contractgen, not in the data: one traceback for the report (--debug),
            # else one line saying so.
            detail = result.detail if debug_enabled() else f"{result.message} — {BUG_NOTE}"
            self.opts.echo(f"row {result.row}: {detail}", err=True)
            self.traceback_shown = True
        return mf.Entry(result.row, result.key, result.status, result.outputs, result.digest, result.message)

    def _count(self, entry: mf.Entry) -> None:
        self.counts[entry.status] += 1
        if entry.status == mf.FAILED and len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append(f"row {entry.row} ({entry.key or 'no name'}): {entry.message}")

    def _summary(self, path: Path) -> int:
        from .. import i18n

        for line in self.failures:
            self.opts.echo(i18n.error_message(f"failed: {line}"), err=True)
        failed = self.counts[mf.FAILED]
        if failed > len(self.failures):
            self.opts.echo(i18n.error_message(f"… and {failed - len(self.failures)} more failed rows"), err=True)
        skipped = f", {self.counts[mf.SKIPPED]} already built" if self.counts[mf.SKIPPED] else ""
        self.opts.echo(i18n.error_message(f"{self.counts[mf.OK]} built, {failed} failed{skipped} — see {path}"),
                       err=True)
        if self.internal_errors:
            return INTERNAL_ERROR
        return 1 if failed else 0


def remove_temp_files(out_dir: Path) -> None:
    """Remove temporary files an interrupted run left behind (fsutil.write_atomic's names)."""
    for leftover in temp_files(out_dir):
        leftover.unlink(missing_ok=True)
