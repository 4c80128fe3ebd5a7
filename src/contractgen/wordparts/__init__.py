"""The firm's own Word files as template parts, rendered with docxtpl.

A part of ``kind: word`` in contract.yaml (a cover page, a signature page, a fee table) is
a .docx rendered against the contract's data and placed between the generated parts; a
template's ``skeleton:`` is a .docx whose ``{{p body }}`` paragraph receives the whole
generated contract. Modules:

- :mod:`.config` — what contract.yaml says (``WordPartSpec``); :mod:`.where` — ``WordPos``,
  a place in a Word file ("table 1 row 2 cell 2");
- :mod:`.ooxml` — a .docx read into memory, WordprocessingML helpers;
- :mod:`.validate` — every tag checked against the data schema, at its paragraph or cell
  (a loop variable's fields against the data groups it loops over);
- :mod:`.review` — tracked changes and comments, refused at their paragraph;
- :mod:`.template` — docxtpl's preprocessing compiled once, rendered per contract, sandboxed;
- :mod:`.loader` — load, validate and compile once per process (``load_word_parts``);
- :mod:`.text` — a rendered part as model blocks (the Markdown and HTML outputs);
- :mod:`.checking` — the text checks on the rendered parts, at build and batch;
- :mod:`.styles`, :mod:`.merge` — a rendered part merged into our DOCX package;
- :mod:`.assembly` — the document with its parts in place (``placed``, ``docx_parts``).

Names are imported from the modules themselves; this package imports nothing at load,
so that ``spec`` can use :mod:`.config` without importing docxtpl. It only keeps which
contract.yaml files ``load_template`` found without Word parts, so that writing or
checking their contracts needs neither the loader nor a second reading of the file.
"""

import os

#: contract.yaml path -> (mtime_ns, size) when load_template found it without Word parts
_WITHOUT: dict[str, tuple[int, int]] = {}


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def note_without_word_parts(path) -> None:
    """load_template read this contract.yaml and it names no Word part and no skeleton."""
    stamp = _stamp(str(path))
    if stamp is not None:
        _WITHOUT[str(path)] = stamp


def known_without_word_parts(source: str) -> bool:
    """Whether the contract.yaml a document names is, unchanged, one found without Word
    parts (False: unknown, ask :func:`.loader.word_set_for`)."""
    stamp = _WITHOUT.get(source)
    return stamp is not None and stamp == _stamp(source)
