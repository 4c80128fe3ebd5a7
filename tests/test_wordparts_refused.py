"""Word files a part cannot be made of, refused when the template is loaded (exit 2, nothing
written), each at its file and place: review marks, misspelt loop fields, a skeleton's
body paragraph with text beside it, a .doc under a .docx name, an unknown kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml import parse_xml

from contractgen.cli import main
from contractgen.diagnostics import InputErrors
from contractgen.pipeline import load_template

from wordparts_docs import DATA, cover, signature, skeleton, template

W_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _findings(folder: Path) -> list:
    with pytest.raises(InputErrors) as caught:
        load_template(folder)
    return caught.value.findings


def _build(folder: Path, out: Path):
    return CliRunner().invoke(main, ["build", str(folder), "--data", str(DATA / "data.yaml"), "--out", str(out),
                                     "--format", "md,docx"])


def _commented(path: Path) -> Path:
    cover(path)
    doc = Document(str(path))
    paragraph = doc.add_paragraph("合伙人意见在此")
    doc.add_comment(paragraph.runs, text="partner note", author="LP")
    doc.save(path)
    return path


def test_a_part_with_a_comment_is_refused_at_its_paragraph(tmp_path: Path) -> None:
    folder = template(tmp_path)
    _commented(folder / "cover.docx")
    [finding] = _findings(folder)
    assert (finding.code, str(finding.source)) == ("bad-template", f"{folder / 'cover.docx'}: paragraph 5")
    assert finding.message == "the Word part has comments"
    assert "Delete All Comments" in finding.suggestion
    out = tmp_path / "out"
    result = _build(folder, out)
    assert result.exit_code == 2 and "cover.docx: paragraph 5: error bad-template" in result.output
    assert not out.exists() or not any(out.iterdir())


def _tracked(path: Path) -> Path:
    cover(path)
    doc = Document(str(path))
    paragraph = doc.add_paragraph("修订：")
    paragraph._p.append(parse_xml(f'<w:del {W_DECL} w:id="902" w:author="LP" w:date="2024-01-01T00:00:00Z">'
                                  "<w:r><w:delText>删除文字{{ party_a.nmae }}</w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(f'<w:ins {W_DECL} w:id="901" w:author="LP" w:date="2024-01-01T00:00:00Z">'
                                  "<w:r><w:t>新增文字</w:t></w:r></w:ins>"))
    doc.save(path)
    return path


def test_a_part_with_tracked_changes_is_refused(tmp_path: Path) -> None:
    """docxtpl would render the tags of the deleted text, and check would find the revisions."""
    folder = template(tmp_path)
    _tracked(folder / "cover.docx")
    [finding] = _findings(folder)
    assert (finding.code, str(finding.source)) == ("bad-template", f"{folder / 'cover.docx'}: paragraph 5")
    assert finding.message == "the Word part has tracked changes (a deletion)"
    assert "Accept All Changes" in finding.suggestion
    assert _build(folder, tmp_path / "out").exit_code == 2


def _signature_with(path: Path, cell: str, loop: str | None = None) -> Path:
    signature(path)
    doc = Document(str(path))
    table = doc.tables[0]
    table.cell(2, 2).text = cell
    if loop is not None:
        table.cell(1, 0).text = loop
    doc.save(path)
    return path


def test_a_misspelt_field_of_a_loop_variable_is_reported_at_its_cell(tmp_path: Path) -> None:
    folder = template(tmp_path)
    _signature_with(folder / "signature.docx", "{{ p.repp }}")
    [finding] = _findings(folder)
    assert str(finding.source) == f"{folder / 'signature.docx'}: table 1 row 3 cell 3"
    assert finding.code == "undefined-data"
    assert finding.message == ("'p.repp' is not a field of the template's data ('p' is party_a, party_b or "
                               "third_party in this loop, and 'party_a.repp' is not a field)")
    assert finding.suggestion == "did you mean 'p.rep'?"
    out = tmp_path / "out"
    assert _build(folder, out).exit_code == 2 and (not out.exists() or not any(out.iterdir()))


@pytest.mark.parametrize("loop, cell, bad", [
    ("{%tr for role, p in [('甲方', party_a), ('乙方', party_b)] %}", "{{ p.name }}", None),
    ("{%tr for role, p in [('甲方', party_a), ('第三方', third_party)] if p %}", "{{ p.adress }}", "'p.adress'"),
    ("{%tr for role, p in [('甲方', '甲'), ('乙方', '乙')] %}", "{{ p.upper() }}", None),  # a literal's own
    ("{%tr for role, p in [('甲方', party_a), ('乙方', fee)] %}", "{{ p.whatever }}", None),  # not all groups
    ("{%tr for p in [party_a] %}{% set role = 1 %}", "{{ p.nmae }}", "'p.nmae'"),
])
def test_loop_variables_over_literal_lists(tmp_path: Path, loop: str, cell: str, bad: str | None) -> None:
    folder = template(tmp_path)
    _signature_with(folder / "signature.docx", cell, loop)
    if bad is None:
        load_template(folder)
    else:
        assert [f.message.split(" is ")[0] for f in _findings(folder)] == [bad]


def test_a_body_placeholder_with_text_beside_it_is_refused(tmp_path: Path) -> None:
    folder = template(tmp_path, skeleton_file=True)
    skeleton(folder / "skeleton.docx", body="正文如下：{{p body }}")
    [finding] = _findings(folder)
    assert str(finding.source) == f"{folder / 'skeleton.docx'}: paragraph 2"
    assert finding.message.startswith("'{{p body }}' must be alone in its paragraph")


def test_a_word_97_file_renamed_docx_is_named_as_such(tmp_path: Path) -> None:
    folder = template(tmp_path)
    (folder / "cover.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    [finding] = _findings(folder)
    assert "is a Word 97-2003 file (.doc), not a .docx" in finding.message
    assert "save it as a Word Document (.docx)" in finding.message


def test_an_unknown_kind_is_one_error_with_the_valid_kinds(tmp_path: Path) -> None:
    folder = template(tmp_path)
    yaml = folder / "contract.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("kind: word\n", "kind: docx\n", 1), encoding="utf-8")
    [finding] = _findings(folder)
    assert finding.message == "part 'cover-page': unknown kind 'docx'"
    assert finding.suggestion == "did you mean 'word'? the kinds are 'cover', 'main', 'addendum', 'attachment', 'word'"
