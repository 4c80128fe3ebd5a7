"""``kind: word`` parts and the ``skeleton:`` of contract.yaml, as the spec reads them."""

from __future__ import annotations

from dataclasses import dataclass

# A Word part's keys besides id, kind and when: it takes its text from its file.
_NOT_FOR_WORD = ("clauses", "title", "cite_as")


@dataclass(slots=True, frozen=True)
class WordPartSpec:
    """A part rendered from a Word file. ``position`` is how many generated parts precede it
    in contract.yaml: it is placed after them (and before the next), whichever are built."""

    id: str
    file: str
    position: int
    when: str | None = None
    line: int = 0


def word_part_spec(pid: str, file, item: dict, key: str, position: int, line: int, bad) -> WordPartSpec | None:
    """The Word part an item of ``parts:`` declares (``file``: its ``file:``), or None after
    reporting what is wrong."""
    ok = True
    for name in _NOT_FOR_WORD:
        if name in item:
            bad(f"{key}.{name}", f"part '{pid}': a Word part takes its text from its file, not '{name}'")
            ok = False
    if not isinstance(file, str) or not file.strip():
        bad(key, f"part '{pid}': kind 'word' needs 'file', the .docx to render, e.g. file: word/cover.docx")
        return None
    if not file.lower().endswith(".docx"):
        bad(f"{key}.file", f"part '{pid}': 'file' must be a .docx Word file, not {file!r}")
        return None
    return WordPartSpec(pid, file, position, item.get("when"), line) if ok else None


def file_problem(kind: str, item: dict, pid: str) -> str:
    """The message for ``file:`` on a part that is not ``kind: word`` ("" when fine)."""
    if "file" in item and kind != "word":
        return f"part '{pid}': only a part of kind 'word' takes 'file' (this one is '{kind}')"
    return ""


def unknown_kind(pid: str, kind: str, item: dict, kinds) -> tuple[str, str]:
    """The message and hint for a part's unknown ``kind:``: the nearest kind, or — for a part
    with a .docx ``file:``, meant to be a Word part (``kind: docx``) — 'word' and the kinds."""
    from ..diagnostics import did_you_mean

    hint = did_you_mean(kind, kinds)
    if not hint:
        guess = "did you mean 'word'? " if str(item.get("file", "")).lower().endswith(".docx") else ""
        hint = f"{guess}the kinds are {', '.join(repr(k) for k in kinds)}"
    return f"part '{pid}': unknown kind '{kind}'", hint


__all__ = ["WordPartSpec", "file_problem", "unknown_kind", "word_part_spec"]
