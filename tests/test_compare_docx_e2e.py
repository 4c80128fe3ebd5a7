"""The tracked-changes DOCX through LibreOffice headless: it opens the file, shows the
changes (its text export has both the deleted and the inserted words), and its own
Accept All / Reject All (a Basic macro in a throw-away profile, run with ``macro:///``)
give NEW's text and OLD's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from contractgen.compare.api import RedlineOptions, compare_files, render
from contractgen.compare.units import document_lines
from contractgen.readers import read_path

from conftest import TESTS, require_tool

pytestmark = pytest.mark.e2e

CASES = TESTS / "data" / "compare"
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(inPath As String, outPath As String, command As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  helper.executeDispatch(doc.getCurrentController().getFrame(), command, &quot;&quot;, 0, Array())
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;Text&quot;
  doc.storeToURL(ConvertToURL(outPath), out())
  doc.close(True)
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    """A LibreOffice profile holding the macro (the first run creates the profile)."""
    require_tool("soffice")
    root = tmp_path_factory.mktemp("lo")
    sample = root / "blank.txt"
    sample.write_text("x", encoding="utf-8")
    _soffice(root, "--convert-to", "txt:Text", "--outdir", str(root / "init"), str(sample))
    module = root / "profile" / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.exists(), "LibreOffice did not create its profile"
    module.write_text(MACRO, encoding="utf-8")
    return root


def _soffice(root: Path, *args: str) -> None:
    profile = (root / "profile").as_uri()
    subprocess.run(["soffice", "--headless", "--invisible", f"-env:UserInstallation={profile}", *args],
                   check=True, capture_output=True, timeout=180)


def resolve_in_office(office: Path, docx: Path, command: str) -> list[str]:
    out = docx.with_suffix(f".{command}.txt")
    _soffice(office, f'macro:///Standard.Module1.Resolve("{docx}","{out}",".uno:{command}AllTrackedChanges")')
    return [line.strip() for line in out.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def expected(case: str, side: str) -> list[str]:
    return [line.strip() for line in document_lines(read_path(CASES / case / f"{side}.md")) if line.strip()]


def redline(case: str, tmp_path: Path) -> Path:
    comparison = compare_files(CASES / case / "old.md", CASES / case / "new.md")
    path = tmp_path / f"{case}.docx"
    path.write_bytes(render(comparison, "docx", RedlineOptions(track_renumbering=True, author="Reviewer")))
    return path


@pytest.mark.parametrize("case", ["en-move", "zh-edit", "zh-delete"])
def test_libreoffice_accept_all_gives_new_and_reject_all_gives_old(office: Path, case: str, tmp_path: Path) -> None:
    docx = redline(case, tmp_path)
    assert resolve_in_office(office, docx, "Accept") == expected(case, "new")
    assert resolve_in_office(office, docx, "Reject") == expected(case, "old")


def test_libreoffice_shows_the_changes(office: Path, tmp_path: Path) -> None:
    docx = redline("zh-edit", tmp_path)
    _soffice(office, "--convert-to", "txt:Text", "--outdir", str(tmp_path / "shown"), str(docx))
    shown = (tmp_path / "shown" / "zh-edit.txt").read_text(encoding="utf-8-sig")
    assert "期限届满前三十十五日内" in shown  # the deleted and the inserted words, both shown
