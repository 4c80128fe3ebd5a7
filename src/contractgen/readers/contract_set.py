"""Contract sets: a main contract, its addenda and its attachments delivered as separate
files, read into ONE :class:`Document` so that every check rule works across files.

Each file is read with the ordinary reader; its parts keep their own file's
:class:`SourcePos`, so a finding names the file it is in. The main file's parts stay as
they are; an addendum file becomes one part of kind "addendum" (so "本协议第二条" in it
cites itself and "主合同第六条" the main contract); an attachment file becomes an attachment
part numbered as the set says, which counts as that attachment's content.

Two ways to name a set: a list of files (the first is the main contract; a file whose
title starts with 附件N / Schedule N / Annex N / Exhibit N is that attachment; any other
is an addendum), or a YAML file::

    main: main.docx
    addenda: [addendum.docx]
    attachments: {1: annex-1.docx, 2: annex-2.docx}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml

from ..diagnostics import UserError, did_you_mean
from ..grammar import digits_value, parse_attachment_head
from ..limits import LIMITS, size
from ..model import AttachmentRegister, Clause, Document, Paragraph, Part, SourcePos, plain_text
from ..views import SetMembership
from . import read_path

SET_SUFFIXES = (".yaml", ".yml")
_KEYS = ("main", "addenda", "attachments")
_CITE_AS = {"zh": "本协议", "en": "this Addendum"}
_DEFAULT_WORD = {"zh": "附件", "en": "Schedule"}


@dataclass
class ContractSet:
    """Which files make one contract; ``attachments`` maps an attachment number to its file."""

    main: Path
    addenda: list[Path] = field(default_factory=list)
    attachments: dict[int, Path] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        return [self.main, *self.addenda, *(self.attachments[n] for n in sorted(self.attachments))]

    def membership(self) -> SetMembership:
        """The set as the merged document records it."""
        return SetMembership(str(self.main), tuple(str(p) for p in self.addenda),
                             {n: str(p) for n, p in sorted(self.attachments.items())})


def is_set_file(path: Path) -> bool:
    return Path(path).suffix.lower() in SET_SUFFIXES


# --- naming a set -----------------------------------------------------------------------

def set_from_paths(paths: Sequence[Path], lang: str = "auto") -> tuple[ContractSet, dict[Path, Document]]:
    """Classify files by their titles: the first is the main contract; 附件N / Schedule N
    files are attachments; the rest are addenda. Returns the set and the documents read."""
    if not paths:
        raise UserError("--set needs at least one file (the main contract)")
    docs = {Path(p): read_path(p, lang) for p in paths}
    main, *others = (Path(p) for p in paths)
    cset = ContractSet(main)
    for path in others:
        head = parse_attachment_head(file_title(docs[path]))
        if head is None:
            cset.addenda.append(path)
        elif head.number in cset.attachments:
            raise UserError(f"{path}: {head.number_text} is already given by {cset.attachments[head.number]}")
        else:
            cset.attachments[head.number] = path
    return cset, docs


def set_from_yaml(path: Path) -> ContractSet:
    """Read a contract-set YAML; paths in it are relative to the YAML file."""
    path = Path(path)
    try:
        data = _load_yaml(path)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the contract set ({exc})") from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an int YAML reads past int()'s 4,300 digits
        raise UserError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: a contract set is a mapping with 'main', 'addenda' and 'attachments'")
    for key in data:
        if key not in _KEYS:
            hint = did_you_mean(str(key), _KEYS)
            raise UserError(f"{path}: unknown key '{key}' in the contract set" + (f"; {hint}" if hint else ""))
    if not isinstance(data.get("main"), str) or not data["main"].strip():
        raise UserError(f"{path}: 'main' must name the main contract's file")
    base = path.parent
    return ContractSet(
        main=_member(path, base, "main", data["main"]),
        addenda=[_member(path, base, "addenda", item) for item in _addenda(path, data.get("addenda"))],
        attachments=_attachments(path, base, data.get("attachments")),
    )


def _load_yaml(path: Path):
    """The set file's data, within ``Limits.set_bytes`` and ``Limits.set_nesting`` (measured on
    the event stream, which PyYAML reads without recursion, before it builds anything)."""
    if path.stat().st_size > LIMITS.set_bytes:
        raise UserError(f"{path}: a contract set of {path.stat().st_size:,} bytes "
                        f"(the limit is {size(LIMITS.set_bytes)}); is it a contract set?")
    text = path.read_text(encoding="utf-8")
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > LIMITS.set_nesting:
                raise UserError(f"{path}: the contract set nests more than {LIMITS.set_nesting} deep (the limit)")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return yaml.safe_load(text)


def _attachment_number(key) -> int | None:
    """An attachment's number from its key: an int, or a string of digits (not "²")."""
    number = key if isinstance(key, int) else digits_value(str(key))
    return number if number is not None and 1 <= number <= LIMITS.list_value else None


def _addenda(path: Path, value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise UserError(f"{path}: 'addenda' must be a list of files")


def _attachments(path: Path, base: Path, value) -> dict[int, Path]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UserError(f"{path}: 'attachments' must map numbers to files, e.g. {{1: annex-1.docx}}")
    out: dict[int, Path] = {}
    for key, file in value.items():
        number = _attachment_number(key)
        if number is None or not isinstance(file, str):
            raise UserError(f"{path}: attachments: '{key}: {file}' must be a number and a file name "
                            f"(numbers run from 1 to {LIMITS.list_value:,})")
        out[number] = _member(path, base, f"attachments {number}", file)
    return out


def _member(path: Path, base: Path, key: str, name) -> Path:
    if not isinstance(name, str) or not name.strip():
        raise UserError(f"{path}: {key}: expected a file name, got {name!r}")
    member = base / name
    if not member.is_file():
        raise UserError(f"{path}: {key}: {member}: no such file")
    return member


# --- merging ------------------------------------------------------------------------------

def read_set(cset: ContractSet, lang: str = "auto", docs: dict[Path, Document] | None = None) -> Document:
    """Read every file of the set and merge them into one document."""
    docs = dict(docs or {})
    for path in cset.files:
        if path not in docs:
            docs[path] = read_path(path, lang)
    main = docs[cset.main]
    word = _register_word(main)
    parts = list(main.parts)
    for i, path in enumerate(cset.addenda, start=1):
        parts += _as_addendum(docs[path], f"a{i}")
    for number, path in sorted(cset.attachments.items()):
        parts += _as_attachment(docs[path], number, word, f"s{number}")
    files = [docs[p] for p in cset.files]
    return Document(title=main.title, lang=main.lang, parts=parts, meta=dict(main.meta), source=str(cset.main),
                    suppressions=[s for doc in files for s in doc.suppressions],
                    docx=[view for doc in files for view in doc.docx],
                    set_files=cset.membership())


def file_title(doc: Document) -> str:
    """The first line of a file as read: a part heading or the first block's text."""
    first = doc.parts[0] if doc.parts else None
    if first is None:
        return ""
    if first.pos is not None:
        return first.heading_text
    block = first.blocks[0] if first.blocks else None
    if isinstance(block, Paragraph):
        return plain_text(block.text)
    return block.heading_text if isinstance(block, Clause) else ""


def _first_pos(doc: Document) -> SourcePos:
    for part in doc.parts:
        if part.pos is not None:
            return part.pos
        for block in part.blocks:
            if block.pos is not None:
                return block.pos
    return SourcePos(doc.source, 1)


def _renamed(part: Part, tag: str) -> Part:
    part.id = f"{tag}:{part.id}"
    return part


def _as_addendum(doc: Document, tag: str) -> list[Part]:
    """An addendum file: its non-attachment parts become one addendum part."""
    own = [p for p in doc.parts if p.kind != "attachment"]
    blocks = [b for p in own for b in p.blocks]
    title = next((p.title for p in own if p.kind == "addendum" and p.title), "") or file_title(doc)
    addendum = Part(kind="addendum", id=f"{tag}:addendum", title=title, scheme=doc.lang,
                    cite_as=_CITE_AS.get(doc.lang, ""), blocks=blocks, pos=_first_pos(doc))
    return [addendum, *(_renamed(p, tag) for p in doc.parts if p.kind == "attachment")]


def _as_attachment(doc: Document, number: int, word: str, tag: str) -> list[Part]:
    """An attachment file: one attachment part carrying the set's number."""
    parts = doc.parts
    if parts and parts[0].kind == "attachment":
        first, rest = parts[0], parts[1:]
    else:
        blocks = [b for p in parts if p.kind != "attachment" for b in p.blocks]
        first = Part(kind="attachment", id="attachment", scheme=doc.lang, blocks=blocks, pos=_first_pos(doc))
        rest = [p for p in parts if p.kind == "attachment"]
        first.title = _leading_title(first, file_title(doc))
    head = parse_attachment_head(first.number_text) if first.number_text else None
    if head is None or head.number != number:
        series = head.word if head else word
        first.number_text = f"{series}{' ' if series.isascii() else ''}{number}"
    first.number = number
    if not first.title:
        first.title = _leading_title(first, "")
    return [_renamed(first, tag), *(_renamed(p, tag) for p in rest)]


def _leading_title(part: Part, fallback: str) -> str:
    """An attachment's title when its head line has none: the heading just after it."""
    block = part.blocks[0] if part.blocks else None
    if isinstance(block, Paragraph) and block.style in ("heading", "title"):
        text = plain_text(block.text)
        head = parse_attachment_head(text)
        return head.rest if head else text
    head = parse_attachment_head(fallback)
    return head.rest if head else fallback


def _register_word(doc: Document) -> str:
    """The series word the main contract's register uses (附件, Schedule, Annex …)."""
    for _, block in doc.blocks():
        if isinstance(block, AttachmentRegister):
            for entry in block.entries:
                head = parse_attachment_head(entry.number_text)
                if head:
                    return head.word
    return _DEFAULT_WORD.get(doc.lang, "附件")
