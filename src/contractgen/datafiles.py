"""Reading the YAML and JSON files an author writes: ``contract.yaml`` and contract data.

Both are decoded as UTF-8 or GB18030 and parsed with explained mistakes (yamlmessages.py);
every key's line is kept for messages. Data keeps what was written (values.py): a number
carries its text, and only true/false are booleans.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .diagnostics import UserError
from .values import WrittenFloat, WrittenInt, json_float, written_number
from .yamlmessages import YamlProblems, key_lines, load_yaml
from . import rx


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: the data schema parses them, with a clear
    message for 2024-02-30 instead of a crash inside the YAML library."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _DataLoader(_Loader):
    """Contract data keeps what was written: a number also carries its text, so a text field
    given ``zip: 012345`` is '012345' (not YAML 1.1's octal 5349) and a number field given
    ``fee: 1234567.123456789012`` keeps every digit; only true/false are booleans (``yes``,
    ``no``, ``on``, ``off`` stay text: a boolean field reads them, a text field keeps them)."""


_DataLoader.yaml_implicit_resolvers = {
    ch: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for ch, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_BOOL = rx.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
for _ch in "tTfF":
    _DataLoader.yaml_implicit_resolvers.setdefault(_ch, []).insert(0, ("tag:yaml.org,2002:bool", _BOOL))
_DataLoader.add_constructor("tag:yaml.org,2002:int", written_number(WrittenInt, _Loader.construct_yaml_int))
_DataLoader.add_constructor("tag:yaml.org,2002:float", written_number(WrittenFloat, _Loader.construct_yaml_float))


def read_yaml(path: Path, loader=_Loader) -> tuple[object, dict[str, int]]:
    """Parse a YAML file; return the data and the line of every dotted mapping key."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = _decode(raw, path)
    try:
        node, data = load_yaml(text, loader)
    except YamlProblems as exc:  # explained in plain words, one line each
        raise UserError("\n".join(f"{path}:{p.line}: invalid YAML: {p.text()}" for p in exc.problems)) from None
    return data, key_lines(node)


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese Windows editors save."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{path}: not UTF-8 or GB18030 text; save it as UTF-8")


def load_data_file(path: Path) -> tuple[dict, dict[str, int]]:
    """Read contract data from .yaml/.yml/.json; return it with key lines (YAML only)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data, lines = read_yaml(path, _DataLoader)
    elif suffix == ".json":
        try:
            data, lines = json.loads(path.read_text(encoding="utf-8-sig"), parse_float=json_float), {}
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read: {exc}") from None
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    else:
        raise UserError(f"{path}: data must be a .yaml, .yml or .json file")
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: expected a mapping of field names to values")
    return data, lines
