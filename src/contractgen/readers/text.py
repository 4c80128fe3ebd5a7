"""Plain-text contracts: decode (UTF-8, UTF-8 with BOM, GB18030) and split into lines."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import UserError
from ..limits import LIMITS, size
from ..model import Document
from .lines import Line, build_document


def decode(data: bytes, path: Path, lines_checked: bool = True) -> str:
    """Decode a legacy text file; Chinese files saved on Windows are often GB18030.

    A file larger than ``Limits.text_bytes`` is refused before decoding; its lines are held
    to the limits of paragraphs unless ``lines_checked`` is False (an HTML page, whose
    lines are not what it shows: the reader checks what it shows)."""
    _check_size(len(data), path)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path}: not a text file (it contains binary data)")
    checked = _checked if lines_checked else (lambda text, _path: text)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return checked(data.decode(encoding), path)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UserError(f"{path}: cannot decode the text (tried UTF-8 and GB18030)")
    return checked(str(best), path)


_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits at


def _checked(text: str, path: Path) -> str:
    """The text, if its lines are within the limits a DOCX's paragraphs are held to."""
    breaks = sum(text.count(c) for c in _LINE_BREAKS)  # counted before anything is split
    if breaks >= LIMITS.paragraphs:
        raise UserError(f"{path}: more than {LIMITS.paragraphs:,} lines (the limit); is it a real contract?")
    longest = max(map(len, text.splitlines()), default=0)
    if longest > LIMITS.paragraph_chars:
        raise UserError(f"{path}: a line of {longest:,} characters (the limit is {LIMITS.paragraph_chars:,}); "
                        "is it a real contract?")
    return text


def _check_size(count: int, path: Path) -> None:
    if count > LIMITS.text_bytes:
        raise UserError(f"{path}: the file is {count:,} bytes (the limit for a text contract is "
                        f"{size(LIMITS.text_bytes)}); is it a real contract?")


def text_lines(text: str) -> list[Line]:
    return [Line(text=t, line=i) for i, t in enumerate(text.splitlines(), start=1)]


def read_text(path: Path, lang: str = "auto") -> Document:
    _check_size(path.stat().st_size, path)
    data = path.read_bytes()
    return build_document(text_lines(decode(data, path)), str(path), lang)
