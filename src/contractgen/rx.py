"""Module-level regular expressions, compiled once per installation instead of once per run.

Compiling the check rules' patterns is a large part of every command's start-up (about
100 ms of a ``contractgen batch`` on 2 cores: benchmarks/batch.py). Most of it is spent on
character classes over a CJK range (``[\\u4e00-\\u9fff]``), which Python's pattern compiler
fills in one code point at a time. :func:`compile` keeps what the compiler produces — the
matcher's code, the flags and the groups — in a file beside our bytecode
(``__pycache__/patterns.<cache tag>-<sre magic>.marshal``), and later runs hand it straight
to the matcher (``_sre.compile``, what :func:`re.compile` ends with).

It is bytecode, kept as Python keeps ``.pyc`` files:

- keyed by the pattern's text and flags and by the interpreter (its cache tag and the
  regular-expression engine's version), so an edited pattern or another Python compiles
  afresh and nothing stale is read;
- written when a run met a pattern the file lacks, unless bytecode is not to be written
  (``sys.dont_write_bytecode``, ``PYTHONDONTWRITEBYTECODE``) — ``make`` writes it when it
  installs, with ``python -m contractgen.rx``, as it compiles our modules;
- never trusted blindly: the engine checks the code it is given, and a cache that cannot
  be read or whose entry is refused is ignored — the pattern is compiled as
  :func:`re.compile` would.

A pattern from the cache is the pattern :func:`re.compile` returns: the same code, flags
and groups (``tests/test_rx.py``). Only module-level patterns go through here; patterns
built at run time (a document's defined terms) use :mod:`re` and its own cache.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array
from pathlib import Path

try:  # the engine and compiler behind re.compile (CPython 3.11+)
    import _sre
    from re import _compiler, _parser
except ImportError:  # another implementation: compile as usual
    _sre = None

#: (pattern, flags) -> (flags, code, groups, groupindex, indexgroup), as _sre.compile takes them
#: but for the code, kept as the bytes of an array of code words: a file of bytes objects
#: loads in a fraction of the time lists of numbers take.
_entries: dict | None = None
_WORD = next((t for t in "IL" if array(t).itemsize == getattr(_sre, "CODESIZE", 4)), "I")
_added = False  # a pattern this run compiled that the file lacks
_owner = os.getpid()  # the process that saves (a forked batch worker does not)


def cache_file() -> Path | None:
    """Where the compiled patterns are kept for this interpreter (None: not kept)."""
    if _sre is None:
        return None
    folder = os.environ.get("CONTRACTGEN_RX_CACHE")  # tests point it elsewhere; "" turns it off
    if folder == "":
        return None
    tag = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    base = Path(folder) if folder else Path(__file__).resolve().parent / "__pycache__"
    return base / f"patterns.{tag}.marshal"


def compile(pattern: str | bytes, flags: int | re.RegexFlag = 0) -> re.Pattern:  # noqa: A001 (re's name)
    """:func:`re.compile`, with the compiled pattern kept between runs."""
    global _added
    flags = int(flags)
    if _sre is None or not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    entries = _load()
    entry = entries.get((pattern, flags))
    if entry is not None:
        try:
            return _matcher(pattern, entry)
        except Exception:  # refused (a damaged file): compile it anew below
            pass
    try:
        entry = _compiled(pattern, flags)
        compiled = _matcher(pattern, entry)
    except re.error:
        raise
    except Exception:  # the compiler's internals are not what this module expects
        return re.compile(pattern, flags)
    entries[(pattern, flags)] = entry
    _added = True
    return compiled


def _matcher(pattern: str | bytes, entry: tuple) -> re.Pattern:
    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, array(_WORD, code).tolist(), groups, groupindex, indexgroup)


def _compiled(pattern: str | bytes, flags: int) -> tuple:
    """What re._compiler.compile hands to _sre.compile, as plain data (marshal writes it)."""
    parsed = _parser.parse(pattern, flags)
    code = array(_WORD, _compiler._code(parsed, flags)).tobytes()
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _load() -> dict:
    global _entries
    if _entries is None:
        _entries = _read(cache_file())
    return _entries


def _read(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            entries = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


#: Entries a file keeps at most: patterns of old versions go once it would hold more.
MAX_ENTRIES = 4000


def save(force: bool = False) -> Path | None:
    """Write the patterns this run compiled into the cache file (with those it held), if it
    met any the file lacked; ``force`` writes even where bytecode is not written. Returns
    the file written, or None."""
    global _added
    path = cache_file()
    if path is None or not _added or _entries is None or os.getpid() != _owner:
        return None
    if sys.dont_write_bytecode and not force:
        return None
    merged = {**_read(path), **_entries}
    if len(merged) > MAX_ENTRIES:
        merged = dict(_entries)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump(merged, fh)
        os.replace(tmp, path)
    except OSError:  # a read-only installation: compile each run, as before
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return None
    _added = False
    return path


atexit.register(save)


def _build() -> None:
    """``python -m contractgen.rx``: import every module of ours and save their patterns."""
    import importlib
    import pkgutil

    import contractgen

    for module in pkgutil.walk_packages(contractgen.__path__, "contractgen."):
        if module.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional extra not installed (the web app, Dask)
            continue
    path = save(force=True)
    print(f"{len(_load())} patterns in {path}" if path else "regular-expression cache: up to date or not writable")


if __name__ == "__main__":  # run as a script, this is another copy of the module: use the imported one
    from contractgen import rx as _imported

    _imported._build()
