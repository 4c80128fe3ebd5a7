"""The tracked-changes DOCX of `compare`: accepting every change (w:ins kept, w:del and
w:moveFrom dropped, paragraphs whose mark was deleted removed) gives NEW's text; rejecting
every change gives OLD's — exactly with --track-renumbering, and with NEW's numbers by
default (renumbering is no change). openxml-audit finds no error; same inputs, same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from contractgen.checks.citations import citations
from contractgen.compare.api import RedlineOptions, compare_files, render
from contractgen.compare.units import document_lines
from contractgen.grammar import parse_outline_number
from contractgen.readers import read_path

from conftest import TESTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CASES = TESTS / "data" / "compare"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
TRACKED = RedlineOptions(track_renumbering=True)


def resolved(docx: bytes, accept: bool) -> list[str]:
    """The paragraphs' text after accepting (or rejecting) every tracked change."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    gone = {"del", "moveFrom"} if accept else {"ins", "moveTo"}
    out = []
    for p in root.iter(W + "p"):
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is not None and any(mark.find(W + kind) is not None for kind in gone):
            continue
        texts = [t.text or "" for t in p.iter(W + "t", W + "delText")
                 if not {a.tag[len(W):] for a in t.iterancestors()} & gone]
        out.append("".join(texts))
    return out


def without_numbers(line: str) -> str:
    """A line with its leading number and every citation's number masked."""
    num = parse_outline_number(line)
    if num and line.startswith(num.number_text):
        line = "#" + line[len(num.number_text):]
    for cit in sorted(citations(line), key=lambda c: -c.start):
        line = line[:cit.start] + "§" + line[cit.start + len(cit.text):]
    return re.sub(r"\s+", "", line)


def redline(case: str, options: RedlineOptions = RedlineOptions()) -> bytes:
    return render(compare_files(CASES / case / "old.md", CASES / case / "new.md"), "docx", options)


def lines_of(case: str, side: str) -> list[str]:
    return document_lines(read_path(CASES / case / f"{side}.md"))


@pytest.mark.parametrize("case", NAMES)
@pytest.mark.parametrize("options", [RedlineOptions(), TRACKED], ids=["default", "track-renumbering"])
def test_accepting_every_change_gives_new(case: str, options: RedlineOptions) -> None:
    assert resolved(redline(case, options), accept=True) == lines_of(case, "new")


@pytest.mark.parametrize("case", NAMES)
def test_rejecting_every_change_gives_old_exactly_when_renumbering_is_tracked(case: str) -> None:
    assert resolved(redline(case, TRACKED), accept=False) == lines_of(case, "old")


@pytest.mark.parametrize("case", NAMES)
def test_rejecting_every_change_gives_old_as_new_numbers_it(case: str) -> None:
    rejected = resolved(redline(case), accept=False)
    assert [without_numbers(t) for t in rejected] == [without_numbers(t) for t in lines_of(case, "old")]


def test_renumbering_is_shown_as_no_change() -> None:
    xml = zipfile.ZipFile(io.BytesIO(redline("zh-renumber"))).read("word/document.xml").decode("utf-8")
    assert "<w:ins " not in xml and "<w:del " not in xml and "第五条 " in xml
    tracked = zipfile.ZipFile(io.BytesIO(redline("zh-renumber", TRACKED))).read("word/document.xml").decode("utf-8")
    assert '<w:delText xml:space="preserve">第六条 </w:delText>' in tracked


def test_moves_are_native_moves_with_named_ranges() -> None:
    xml = zipfile.ZipFile(io.BytesIO(redline("en-move"))).read("word/document.xml")
    root = etree.fromstring(xml)
    starts = {e.get(W + "name") for e in root.iter(W + "moveFromRangeStart")}
    assert starts and starts == {e.get(W + "name") for e in root.iter(W + "moveToRangeStart")}
    moved_from = "".join(t.text for e in root.iter(W + "moveFrom") for t in e.iter(W + "t"))
    assert moved_from.startswith("Article 4 Confidentiality")
    ids = [e.get(W + "id") for e in root.iter() if e.get(W + "id") and e.tag.rsplit("}", 1)[1] in
           ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart")]
    assert len(ids) == len(set(ids))


def test_author_and_date_come_from_the_options() -> None:
    data = redline("zh-edit", RedlineOptions(author="Li Lei", date="2024-05-01T09:30:00Z"))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    marks = list(root.iter(W + "ins", W + "del"))
    assert marks and {(m.get(W + "author"), m.get(W + "date")) for m in marks} == {("Li Lei", "2024-05-01T09:30:00Z")}


@pytest.mark.parametrize("case", ["zh-move", "en-edit", "zh-delete", "en-amount"])
def test_openxml_audit_finds_no_error(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.docx"
    path.write_bytes(redline(case, TRACKED))
    result = OpenXmlValidator().validate(str(path))
    assert [str(e) for e in result.errors] == []


def test_same_inputs_same_bytes() -> None:
    assert redline("zh-move") == redline("zh-move")
