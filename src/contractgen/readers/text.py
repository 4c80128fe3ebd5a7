"""Plain-text contracts: decode (UTF-8, UTF-8 with BOM, GB18030) and split into lines."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import UserError
from ..limits import LIMITS, size
from ..model import Document
from .lines import Line, build_document


def decode(data: bytes, path: Path) -> str:
    """Decode a legacy text file; Chinese files saved on Windows are often GB18030.

    A file larger than ``Limits.text_bytes`` is refused before decoding."""
    _check_size(len(data), path)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path}: not a text file (it contains binary data)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UserError(f"{path}: cannot decode the text (tried UTF-8 and GB18030)")
    return str(best)


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
