"""Fragment syntax: each tests/data/fragments/<case>.md is read and dumped to match <case>.expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.model import (AttachmentRegister, Clause, Origin, Paragraph, Ref, SignatureBlock, SourcePos, Table,
                               Toc)
from contractgen.readers.fragment import read_fragment

from conftest import TESTS, UPDATE_GOLDEN

CASES = sorted((TESTS / "data" / "fragments").glob("*.md"))


def _text(inlines) -> str:
    return "".join(n if isinstance(n, str) else f"<ref {n.label}{'|title' if n.with_title else ''}>" for n in inlines)


def dump(block) -> str:
    line = block.pos.line
    if isinstance(block, Clause):
        text = f" text={_text(block.text)!r}" if block.text else ""
        return f"Clause level={block.level} title={block.title!r} label={block.label!r} line={line}{text}"
    if isinstance(block, Paragraph):
        return f"Paragraph style={block.style} line={line} text={_text(block.text)!r}"
    if isinstance(block, Table):
        return f"Table header={block.header} line={line} rows={[[_text(c) for c in r] for r in block.rows]!r}"
    if isinstance(block, SignatureBlock):
        parties = [(p.role, p.name, p.signatory, p.date) for p in block.parties]
        return f"SignatureBlock line={line} parties={parties!r}"
    return f"{type(block).__name__} line={line}"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fragment_reads_as_expected(case: Path) -> None:
    read = read_fragment(case.read_text(encoding="utf-8"), lambda n: SourcePos(case.name, n), Origin("t/x", "1"))
    blocks, findings = read.blocks, read.findings
    actual = "\n".join([dump(b) for b in blocks] + [f"finding {f.code} line={f.line}" for f in findings]
                       + [f"suppress {','.join(s.names)} line={s.line}" for s in read.suppressions]) + "\n"
    expected = case.with_suffix(".expected")
    if UPDATE_GOLDEN:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")
    assert all(b.origin == Origin("t/x", "1") for b in blocks)


def test_refs_carry_their_position() -> None:
    blocks = read_fragment("# A\n\n- x [[ref:b]]\n", lambda n: SourcePos("f.md", n + 5), Origin("t/x", "1")).blocks
    ref = blocks[1].text[1]
    assert isinstance(ref, Ref) and ref.pos == SourcePos("f.md", 8)


def test_placeholders_only_alone_on_a_line() -> None:
    blocks = read_fragment("see [[toc]] here\n\n[[attachments]]\n", lambda n: SourcePos("f", n), Origin("t/x", "1")).blocks
    assert isinstance(blocks[0], Paragraph) and isinstance(blocks[1], AttachmentRegister)
    assert not any(isinstance(b, Toc) for b in blocks)
