"""The web UI's own words: English msgids, their Chinese from ``web/locale/zh/*.po``.

Every ``.po`` file of that folder is read (each engineer's pages keep their own file) and
merged; the catalog is read again when a file of the folder changes. A label missing from
the catalog shows in English. ``{name}`` fields are filled after translation.
"""

from __future__ import annotations

import threading
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("en", "zh")

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, dict[str, str]]] = {}


def _stamp(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.po")))


def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for ``lang`` (empty for English)."""
    folder = LOCALE_DIR / lang
    if lang == "en" or not folder.is_dir():
        return {}
    stamp = _stamp(folder)
    with _lock:
        cached = _cache.get(lang)
        if cached and cached[0] == stamp:
            return cached[1]
        entries: dict[str, str] = {}
        for path in sorted(folder.glob("*.po")):
            with path.open("rb") as f:
                for message in read_po(f):
                    if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                        entries[message.id] = message.string
        _cache[lang] = (stamp, entries)
        return entries


def label(msgid: str, lang: str, **values) -> str:
    """``msgid`` in ``lang`` with its ``{name}`` fields filled."""
    text = catalog(lang).get(msgid, msgid) if lang in LANGS else msgid
    return text.format(**values) if values else text
