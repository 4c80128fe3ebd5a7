"""Output file names for built contracts and batch rows: pattern filling, sanitising, collisions.

A name must be safe on every OS a user might copy the folder to: no path separators or
``..`` (so a cell like ``../../etc/passwd`` cannot escape the output folder), none of
Windows' reserved device names or forbidden characters, no trailing dot or space, and a
length that leaves room for the suffix and the temporary name of an atomic write. CJK text
is kept as it is. Two rows are compared the way a case-insensitive file system compares
them, so ``HZ-1`` and ``hz-1`` collide on Windows and macOS and are reported everywhere.
"""

from __future__ import annotations

import unicodedata

from .diagnostics import ERROR, Finding, UserError, did_you_mean
from .model import SourcePos
from . import rx

FIELD_RE = rx.compile(r"\{([^{}]*)\}")
# Bytes of UTF-8 for the stem: 255 per path component, minus ".docx" and the temporary
# ".contractgen-<name>.<random>.tmp" wrapper that an atomic write adds around the final name.
MAX_STEM_BYTES = 200
_FORBIDDEN = rx.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DOTS = rx.compile(r"\.{2,}")
_SPACES = rx.compile(r"\s+")
# Windows reserves COM1–9 and LPT1–9, and also with the superscript digits ¹ ² ³.
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")
}
# Characters that change how a name is displayed without being visible: bidirectional
# controls (U+202E shows "exe.txt" as "txt.exe"), zero-width characters, BOM.
_INVISIBLE = rx.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def pattern_fields(pattern: str) -> list[str]:
    """The dotted field names a pattern uses: ``{contract_no}-{party_a.name}``."""
    return [m.group(1).strip() for m in FIELD_RE.finditer(pattern)]


def check_pattern(pattern: str, fields, what: str = "--name") -> None:
    """Refuse a pattern that names no field or an unknown one, before any row is read.
    ``what`` names where the pattern came from (the option, or contract.yaml's output_name)."""
    used = pattern_fields(pattern)
    if not used:
        raise UserError(f"{what} {pattern!r} uses no field; two rows would get one name")
    findings = [
        Finding("bad-name-pattern", ERROR, f"{what} uses unknown field '{name}'",
                suggestion=did_you_mean(name, fields))
        for name in used if name not in fields
    ]
    if findings:
        from .diagnostics import InputErrors

        raise InputErrors(findings)


def fill_pattern(pattern: str, cells: dict[str, str]) -> str:
    """The pattern with each ``{field}`` replaced by the row's cell (empty when absent)."""
    return FIELD_RE.sub(lambda m: cells.get(m.group(1).strip(), ""), pattern)


def sanitize(name: str) -> str:
    """A file stem safe on Windows, macOS and Linux; "" when nothing usable is left."""
    name = unicodedata.normalize("NFC", name)
    name = _INVISIBLE.sub("", name)
    name = _SPACES.sub(" ", name)
    name = _FORBIDDEN.sub("_", name)
    name = _DOTS.sub(".", name)
    name = name.strip(" .")
    if name.split(".")[0].upper().rstrip(" ") in _RESERVED:
        name = f"_{name}"
    return _truncate(name, MAX_STEM_BYTES).rstrip(" .")


def _truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def fold(stem: str) -> str:
    """The form under which two names are the same file on a case-insensitive system."""
    return unicodedata.normalize("NFC", stem).casefold()


class NameRegistry:
    """Remembers every stem handed out so that a second row with the same name is caught."""

    def __init__(self, source: str):
        self.source = source
        self._owner: dict[str, tuple[int, str]] = {}
        self.collisions: list[Finding] = []

    def add(self, row: int, stem: str) -> None:
        key = fold(stem)
        first = self._owner.setdefault(key, (row, stem))
        if first[0] != row:
            self.collisions.append(Finding(
                "batch-name-collision", ERROR,
                f"output name '{stem}' is also the name of row {first[0]} ('{first[1]}')",
                SourcePos(self.source, row),
                suggestion="make --name include a field that differs, e.g. the contract number",
            ))
