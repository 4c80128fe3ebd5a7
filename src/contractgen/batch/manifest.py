"""The batch manifest: one line per data row, so that every row is accounted for.

Columns: row (spreadsheet row number), key (the output name), status (ok, failed,
skipped — skipped means --resume found the row's files intact), outputs, sha256 and size
of each output file, input (a digest of the row's data, the template and the formats, so
that --resume redoes a row whose data changed), and message (why a row failed).

The manifest is streamed in row order to ``.manifest.<ext>.partial`` with a flush per
line, and renamed to ``manifest.<ext>`` when the run ends. A run killed halfway leaves the
partial file, which --resume reads together with the last complete manifest.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..diagnostics import UserError
from ..fsutil import TEMP_PREFIX, TEMP_SUFFIX, make_dir

COLUMNS = ("row", "key", "status", "outputs", "sha256", "size", "input", "message")
FORMATS = ("csv", "jsonl")
OK, FAILED, SKIPPED = "ok", "failed", "skipped"
# A character sanitised file names never contain, so it can join several outputs in a cell.
SEP = "|"


@dataclass(slots=True, frozen=True)
class OutputFile:
    """One written file: its name relative to the output folder, SHA-256 and size."""

    path: str
    sha256: str
    size: int


@dataclass(slots=True)
class Entry:
    row: int
    key: str
    status: str
    outputs: list[OutputFile] = field(default_factory=list)
    input: str = ""
    message: str = ""


def manifest_path(out_dir: Path, fmt: str) -> Path:
    return out_dir / f"manifest.{fmt}"


def partial_path(out_dir: Path, fmt: str) -> Path:
    return out_dir / f".manifest.{fmt}.partial"


def previous_path(out_dir: Path, fmt: str) -> Path:
    return out_dir / f".manifest.{fmt}.previous"


# A cell that starts with one of these is a formula to Excel, LibreOffice and Sheets: a key
# "=1+2-丁公司" or a message "-x" must stay text when someone opens the manifest.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _csv_record(entry: Entry) -> list[str]:
    return [str(entry.row), _cell(entry.key), entry.status,
            SEP.join(o.path for o in entry.outputs), SEP.join(o.sha256 for o in entry.outputs),
            SEP.join(str(o.size) for o in entry.outputs), entry.input, _cell(entry.message)]


def _json_record(entry: Entry) -> str:
    record = {"row": entry.row, "key": entry.key, "status": entry.status,
              "outputs": [{"path": o.path, "sha256": o.sha256, "size": o.size} for o in entry.outputs],
              "input": entry.input, "message": entry.message}
    return json.dumps(record, ensure_ascii=False)


class ManifestWriter:
    """Streams entries to the partial manifest; :meth:`finish` publishes it atomically."""

    def __init__(self, out_dir: Path, fmt: str = "csv", partial: Path | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown manifest format {fmt!r}")
        self.fmt = fmt
        self.path = manifest_path(out_dir, fmt)
        self.partial = partial or partial_path(out_dir, fmt)
        # utf-8-sig so that Excel shows the Chinese names in a CSV manifest correctly.
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        make_dir(out_dir)
        try:
            self._fh = open(_fresh_file(self.partial), "w", encoding=encoding, newline="")
        except OSError as exc:
            raise UserError(f"{out_dir}: cannot write the manifest here ({exc.strerror or exc})") from None
        self._csv = csv.writer(self._fh) if fmt == "csv" else None
        if self._csv:
            self._csv.writerow(COLUMNS)

    def write(self, entry: Entry) -> None:
        try:
            if self._csv:
                self._csv.writerow(_csv_record(entry))
            else:
                self._fh.write(_json_record(entry) + "\n")
            self._fh.flush()
        except OSError as exc:  # a full disk: the run stops; --resume continues from here
            raise UserError(f"{self.partial}: cannot write the manifest ({exc.strerror or exc}); "
                            "free some space and run again with --resume") from None

    def finish(self) -> Path:
        try:
            self._fh.close()
            os.replace(self.partial, self.path)
        except OSError as exc:
            raise UserError(f"{self.path}: cannot write the manifest ({exc.strerror or exc}); "
                            "free some space and run again with --resume") from None
        return self.path

    def close(self) -> None:
        """Close without publishing (the run was interrupted); the partial file stays. Runs
        while another error propagates, so a flush that fails too (a full disk) must not
        replace that error: the lines already flushed are what --resume reads."""
        if not self._fh.closed:
            try:
                self._fh.close()  # the file is closed even when this last flush fails
            except OSError:
                return


def carry_over(out_dir: Path, fmt: str) -> None:
    """Before a resumed run: the interrupted run's partial manifest becomes the previous
    one. When a previous one is there already — the interrupted run was itself a resume,
    stopped before it had re-recorded every row the one before had finished — the two are
    merged, row by row, the newer entry first, so no finished row either recorded is lost."""
    partial, previous = partial_path(out_dir, fmt), previous_path(out_dir, fmt)
    if not partial.is_file() or partial.is_symlink():
        return
    if not previous.is_file() or previous.is_symlink():
        os.replace(partial, previous)
        return
    merging = out_dir / f"{TEMP_PREFIX}{previous.name}{TEMP_SUFFIX}"  # a stopped merge is cleaned up
    writer = ManifestWriter(out_dir, fmt, partial=merging)
    try:
        for entry in _newer_first(read_manifest(partial), read_manifest(previous)):
            writer.write(entry)
    finally:
        writer.close()
    os.replace(merging, previous)
    partial.unlink()


def _newer_first(newer: Iterator[Entry], older: Iterator[Entry]) -> Iterator[Entry]:
    """Two manifests in row order merged into one: a row in both is the newer's."""
    new, old = next(newer, None), next(older, None)
    while new is not None or old is not None:
        if old is None or (new is not None and new.row <= old.row):
            if old is not None and old.row == new.row:
                old = next(older, None)
            yield new
            new = next(newer, None)
        else:
            yield old
            old = next(older, None)


def _fresh_file(path: Path) -> int:
    """A new, empty file at ``path`` opened for writing, never through a link: whatever is
    there (a symlink planted to make us write outside the output folder) is replaced."""
    if path.is_symlink() or path.exists():
        path.unlink()
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)


@dataclass
class ReadStats:
    """How many lines of the manifests read so far could not be used (damaged)."""

    damaged: int = 0


def read_manifest(path: Path, stats: ReadStats | None = None) -> Iterator[Entry]:
    """Entries of a manifest (CSV or JSONL by suffix). A damaged line — the last line of a
    killed run, bytes a full disk garbled, text that is not UTF-8 — is skipped and counted,
    so the rows it described are rebuilt; the file is never followed through a symlink."""
    stats = stats if stats is not None else ReadStats()
    if path.is_symlink() or not path.is_file():
        return
    if path.name.endswith((".jsonl", ".jsonl.partial", ".jsonl.previous")):
        yield from _read_jsonl(path, stats)
    else:
        yield from _read_csv(path, stats)


def _text_lines(path: Path, stats: ReadStats) -> Iterator[str]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                stats.damaged += 1
                continue
            yield text.lstrip("\ufeff") if number == 0 else text


def _read_csv(path: Path, stats: ReadStats) -> Iterator[Entry]:
    for record in csv.reader(_text_lines(path, stats)):
        if record == list(COLUMNS):
            continue
        if len(record) != len(COLUMNS) or not record[0].isdigit():
            stats.damaged += 1
            continue
        row, key, status, paths, hashes, sizes, digest, message = record
        outputs = _outputs(paths.split(SEP), hashes.split(SEP), sizes.split(SEP)) if paths else []
        if outputs is None:
            stats.damaged += 1
            continue
        yield Entry(int(row), _uncell(key), status, outputs, digest, _uncell(message))


def _read_jsonl(path: Path, stats: ReadStats) -> Iterator[Entry]:
    for line in _text_lines(path, stats):
        try:
            rec = json.loads(line)
            outputs = [OutputFile(o["path"], o["sha256"], int(o["size"])) for o in rec["outputs"]]
            yield Entry(int(rec["row"]), rec["key"], rec["status"], outputs, rec["input"], rec["message"])
        except (ValueError, KeyError, TypeError):
            stats.damaged += 1
            continue


def _outputs(paths, hashes, sizes) -> list[OutputFile] | None:
    if not (len(paths) == len(hashes) == len(sizes)) or not all(s.isdigit() for s in sizes):
        return None
    return [OutputFile(p, h, int(s)) for p, h, s in zip(paths, hashes, sizes)]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


class ResumeIndex:
    """Looks up a row's previous entry while the rows are visited in increasing order.

    Both sources are read as streams (constant memory): the interrupted run's partial
    manifest, which is newest, and the last complete manifest behind it.
    """

    def __init__(self, sources: list[Path]):
        self.stats = ReadStats()
        self._cursors = [_Cursor(read_manifest(p, self.stats)) for p in sources]

    def lookup(self, row: int) -> Entry | None:
        for cursor in self._cursors:
            entry = cursor.seek(row)
            if entry is not None:
                return entry
        return None

    def intact(self, out_dir: Path, row: int, digest: str) -> Entry | None:
        """The previous entry when it succeeded for the same input and its files are unchanged."""
        entry = self.lookup(row)
        if entry is None or entry.status not in (OK, SKIPPED) or entry.input != digest or not entry.outputs:
            return None
        for out in entry.outputs:
            path = out_dir / out.path
            if (Path(out.path).name != out.path or path.is_symlink() or not path.is_file()
                    or path.stat().st_size != out.size or file_sha256(path) != out.sha256):
                return None
        return entry


class _Cursor:
    def __init__(self, entries: Iterator[Entry]):
        self._entries = entries
        self._head: Entry | None = next(entries, None)

    def seek(self, row: int) -> Entry | None:
        while self._head is not None and self._head.row < row:
            self._head = next(self._entries, None)
        return self._head if self._head is not None and self._head.row == row else None
