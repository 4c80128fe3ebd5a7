"""Edits a Word user makes to a generated contract keep every number right.

The sample contracts (Chinese and English) are built to DOCX, and ``word/document.xml`` is
edited the way Word edits it: an article heading duplicated, an article deleted with its
body, an article moved, a section or sub-clause paragraph copied. The numbers Word would
now show are worked out here from the edited paragraph sequence (a level's counter steps,
deeper counters restart; the scheme formats the path: 第六条, 6.1, 6.1.1 / Article 6,
Section 6.1). Our DOCX reader and LibreOffice's PDF must both show exactly those.
"""

from __future__ import annotations

import copy
import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from contractgen.model import plain_text
from contractgen.numbering import get_scheme
from contractgen.readers import read_path
from contractgen.writers.docx import DocxWriter
from contractgen.writers.docx.pages import body_lines

from conftest import ROOT, require_tool
from docx_inspect import W, numbering_of, paragraph_text, read_part, style_numbering
from helpers import build

SAMPLES = {"zh": ROOT / "templates" / "huzhou-cs-outsourcing", "en": ROOT / "templates" / "services-agreement-en"}
BOOKMARKS = (f"{W}bookmarkStart", f"{W}bookmarkEnd")
# where a text prefix stops: digits and Chinese numbers may be live REF fields, which
# LibreOffice recomputes after an edit
_LIVE = re.compile(r"[0-9一二三四五六七八九十百第]")


@dataclass
class Body:
    """The body of an edited ``document.xml`` and its main contract's numbered paragraphs."""

    root: etree._Element
    by_style: dict[str, tuple[str, str]]

    @property
    def body(self) -> etree._Element:
        return self.root.find(f"{W}body")

    @property
    def main_list(self) -> str:
        return self.by_style["Heading2"][0]  # the heading styles carry the main contract's list

    def level(self, el: etree._Element) -> int | None:
        """1 for an article, 2 a section, 3 a sub-clause; None outside the main list."""
        num = numbering_of(el, self.by_style) if el.tag == f"{W}p" else None
        return int(num[1]) + 1 if num and num[0] == self.main_list else None

    def numbered(self, level: int | None = None) -> list[etree._Element]:
        return [p for p in self.body if self.level(p) and (level is None or self.level(p) == level)]

    def subtree(self, head: etree._Element) -> list[etree._Element]:
        """``head`` and what follows it up to the next paragraph of its level or above."""
        out = [head]
        for el in head.itersiblings():
            level = self.level(el)
            if (level is not None and level <= self.level(head)) or el.tag == f"{W}sectPr":
                break
            out.append(el)
        return out


def _copy(paragraph: etree._Element) -> etree._Element:
    """A pasted copy: Word keeps the formatting and numbering, not the bookmark names."""
    pasted = copy.deepcopy(paragraph)
    for mark in [m for m in pasted.iter(*BOOKMARKS)]:
        mark.getparent().remove(mark)
    return pasted


def duplicate_article(b: Body) -> None:
    """Copy the fourth article's heading and paste it before the fifth: a new, empty article."""
    articles = b.numbered(1)
    articles[4].addprevious(_copy(articles[3]))


def delete_article(b: Body) -> None:
    for el in b.subtree(b.numbered(1)[2]):
        b.body.remove(el)


def move_article(b: Body) -> None:
    """Cut the seventh article with its body and paste it before the second."""
    articles = b.numbered(1)
    for el in b.subtree(articles[6]):
        articles[1].addprevious(el)


def add_section(b: Body) -> None:
    """Copy a section heading and paste it after that section's last sub-clause."""
    section = b.numbered(2)[2]
    b.subtree(section)[-1].addnext(_copy(section))


def add_subclause(b: Body) -> None:
    """Copy a sub-clause paragraph and paste it right after itself."""
    paragraph = b.numbered(3)[1]
    paragraph.addnext(_copy(paragraph))


EDITS: dict[str, Callable[[Body], None]] = {
    "unedited": lambda b: None, "duplicate-article": duplicate_article, "delete-article": delete_article,
    "move-article": move_article, "add-section": add_section, "add-subclause": add_subclause,
}
CASES = [(lang, edit) for lang in SAMPLES for edit in EDITS]


def word_numbers(b: Body, lang: str) -> list[tuple[str, str]]:
    """(number, text) of each main-contract paragraph as Word numbers it: the paragraph's
    level counter steps and every deeper counter restarts."""
    scheme, path, out = get_scheme(lang), [], []
    for paragraph in b.numbered():
        level = b.level(paragraph)
        path = (path[:level] + [0] * level)[:level]
        path[-1] += 1
        out.append((scheme.clause_number(tuple(path)), paragraph_text(paragraph)))
    return out


@dataclass
class Edited:
    docx: bytes
    expected: list[tuple[str, str]]


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return {lang: DocxWriter().render(build(folder, check=False)) for lang, folder in SAMPLES.items()}


def edit(data: bytes, change: Callable[[Body], None], lang: str) -> Edited:
    body = Body(etree.fromstring(read_part(data, "word/document.xml")), style_numbering(data))
    change(body)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            document = info.filename == "word/document.xml"
            target.writestr(info, etree.tostring(body.root, xml_declaration=True, encoding="UTF-8",
                                                 standalone=True) if document else source.read(info))
    return Edited(out.getvalue(), word_numbers(body, lang))


@pytest.fixture(scope="module")
def edited(built) -> dict[tuple[str, str], Edited]:
    return {(lang, name): edit(built[lang], EDITS[name], lang) for lang, name in CASES}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_edits_change_the_structure(edited) -> None:
    """Each edit does what it says, so the cases below cannot pass by accident."""
    for lang in SAMPLES:
        before = len(edited[lang, "unedited"].expected)
        sizes = {name: len(edited[lang, name].expected) - before for name in EDITS}
        assert sizes["duplicate-article"] == sizes["add-section"] == sizes["add-subclause"] == 1
        assert sizes["move-article"] == 0 and sizes["delete-article"] < -1
        assert edited[lang, "move-article"].expected != edited[lang, "unedited"].expected


def test_duplicated_heading_adds_an_article_and_renumbers_the_rest(edited) -> None:
    before = [n for n, _ in edited["zh", "unedited"].expected]
    case = edited["zh", "duplicate-article"].expected
    numbers = [n for n, _ in case]
    fourth, fifth, sixth = (numbers.index(n) for n in ("第四条", "第五条", "第六条"))
    # 4.1 … 4.4 and their sub-clauses stay under 第四条; the copy is an empty 第五条
    assert numbers[fourth + 1] == "4.1" and fifth - fourth == before.index("第五条") - before.index("第四条")
    assert case[fifth][1] == case[fourth][1]
    assert sixth == fifth + 1 and numbers[sixth + 1:sixth + 3] == ["6.1", "6.1.1"]


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_reader_shows_the_numbers_word_shows(edited, lang: str, name: str, tmp_path: Path) -> None:
    case = edited[lang, name]
    path = tmp_path / f"{lang}-{name}.docx"
    path.write_bytes(case.docx)
    main = next(p for p in read_path(path).parts if p.kind == "main")
    got = [(c.number_text, _squeeze(c.title or plain_text(c.text))) for c in main.clauses()]
    assert got == [(number, _squeeze(text)) for number, text in case.expected]


@pytest.fixture(scope="module")
def pdf_lines(edited, tmp_path_factory) -> dict[tuple[str, str], list[str]]:
    """LibreOffice's PDF of every edited file (one conversion run), as squeezed body lines."""
    require_tool("soffice", "pdftotext")
    out = tmp_path_factory.mktemp("edits")
    files = []
    for (lang, name), case in edited.items():
        files.append(out / f"{lang}-{name}.docx")
        files[-1].write_bytes(case.docx)
    subprocess.run(["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=600)
    found = {}
    for key in edited:
        # by position: a label and its text after a tab are one line, the running header none
        xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(out / f"{key[0]}-{key[1]}.pdf"),
                                "-"], check=True, capture_output=True, timeout=60).stdout.decode("utf-8")
        lines = [line for page in body_lines(xhtml) for line in page if line]
        found[key] = lines[_body_start(lines):]
    return found


def _body_start(lines: list[str]) -> int:
    """Where the body starts: the TOC (without page numbers) lists the first heading right
    after its title ("目录", "Contents"); the body is where that heading shows again."""
    title = next(i for i, line in enumerate(lines) if line in ("目录", "Contents"))
    return lines.index(lines[title + 1], title + 2)


def shown_as(number: str, text: str) -> str:
    """The start of the line LibreOffice draws: the label, then the text up to anything
    that may be a live cross-reference."""
    words = text.split()
    head = words[0][:6] if words else ""  # a long English line may wrap after its first word
    live = _LIVE.search(head)
    return _squeeze(number) + head[:live.start() if live else len(head)]


@pytest.mark.e2e
@pytest.mark.parametrize(("lang", "name"), CASES)
def test_libreoffice_shows_the_numbers_word_shows(edited, pdf_lines, lang: str, name: str) -> None:
    lines = iter(pdf_lines[lang, name])
    for number, text in edited[lang, name].expected:
        wanted = shown_as(number, text)
        assert any(line.startswith(wanted) for line in lines), f"no line starts with {wanted!r} in order"
