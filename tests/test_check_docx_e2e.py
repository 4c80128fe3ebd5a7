"""DOCX field rules on a contract LibreOffice wrote: an outline-numbered ODF document with
cross-references and a TOC (tests/data/check/docx-e2e/contract.fodt), converted with
``soffice --headless --convert-to docx``. LibreOffice puts the TOC in a content control as
hyperlinks to ``__RefHeading___Toc`` bookmarks (no PAGEREF) and writes its cross-references
as ``REF … \\r \\h`` fields caching the whole "第三条".

Skipped without soffice; with CONTRACTGEN_REQUIRE_E2E=1 (CI) a missing soffice fails.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import TESTS, require_tool
from contractgen.checks import run_checks
from contractgen.readers.docx import read_docx
from contractgen.readers.wordnum import W
from test_docx_reader_e2e import soffice_convert

SOURCE = TESTS / "data" / "check" / "docx-e2e" / "contract.fodt"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    require_tool("soffice")
    return soffice_convert(SOURCE, "docx", tmp_path_factory.mktemp("lo"))


def edited(source: Path, dest: Path, edit) -> Path:
    """A copy of a DOCX whose document.xml went through ``edit(root)``, other parts unchanged."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    edit(root)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return dest


def _bookmark(root: etree._Element, name: str) -> etree._Element:
    return next(b for b in root.iter(W + "bookmarkStart") if b.get(W + "name") == name)


def delete_article(root: etree._Element, bookmark: str) -> None:
    """Delete a heading and the paragraph after it, as a user would, leaving fields alone."""
    heading = _bookmark(root, bookmark).getparent()
    body = heading.getparent()
    body.remove(heading.getnext())
    body.remove(heading)


def remove_bookmark(root: etree._Element, name: str) -> None:
    start = _bookmark(root, name)
    for end in root.iter(W + "bookmarkEnd"):
        if end.get(W + "id") == start.get(W + "id"):
            end.getparent().remove(end)
            break
    start.getparent().remove(start)


def _codes(path: Path) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in run_checks(read_docx(path))]


@pytest.mark.e2e
def test_libreoffice_contract_checks_clean(converted: Path) -> None:
    doc = read_docx(converted)
    [view] = doc.docx
    assert [t.kind for t in view.tocs] == ["sdt+field"]
    assert all(e.anchor.startswith("__RefHeading___Toc") for e in view.tocs[0].entries[1:])
    assert [(r.kind, "\\r" in r.switches, r.cached) for r in view.refs] == [
        ("REF", True, "第三条"), ("REF", True, "第六条"), ("REF", True, "第四条")]
    assert [f.format() for f in run_checks(doc)] == []


@pytest.mark.e2e
def test_libreoffice_article_deleted_without_updating_fields(converted: Path, tmp_path: Path) -> None:
    path = edited(converted, tmp_path / "deleted.docx", lambda root: delete_article(root, "__RefHeading___Toc102_1"))
    found = _codes(path)
    # TOC: 第二条 points at nothing; 第三条…第六条 now read 第二条…第五条
    assert [line for code, line in found if code == "stale-toc"] == [6, 7, 8, 9, 10]
    # the REF fields cached 第三条/第六条/第四条; the articles are now 第二条/第五条/第三条
    assert [line for code, line in found if code == "stale-field-result"] == [16, 18, 20]
    # "按第六条处理" in a contract of five articles is a stale field, reported once: not also
    # as a dangling typed reference
    assert {code for code, _ in found} == {"stale-toc", "stale-field-result"}


@pytest.mark.e2e
def test_libreoffice_bookmark_removed(converted: Path, tmp_path: Path) -> None:
    path = edited(converted, tmp_path / "unmarked.docx", lambda root: remove_bookmark(root, "__RefHeading___Toc106_1"))
    found = run_checks(read_docx(path))
    assert [(f.code, f.line) for f in found] == [("stale-toc", 10), ("broken-field-reference", 20)]
    assert "'__RefHeading___Toc106_1'" in found[1].message and "'第六条'" in found[1].message
