"""Word template parts (kind: word) and skeletons: rendered with docxtpl against the data,
validated tag by tag before rendering, merged into our DOCX; their text in the Markdown."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from contractgen.diagnostics import InputErrors
from contractgen.pipeline import build_from_files, load_template, render_outputs

from docx_inspect import W
from wordparts_docs import DATA, template

DATA_FILE = DATA / "data.yaml"


def _outputs(folder: Path, data: Path = DATA_FILE, formats=("md", "docx")) -> dict[str, bytes]:
    doc = build_from_files(folder, data)[2].doc
    return dict(render_outputs(doc, list(formats)))


def _member(docx: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read(name))


def _body_texts(docx: bytes) -> list[str]:
    body = _member(docx, "word/document.xml").find(W + "body")
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in body.iter(W + "p")]


def test_cover_and_signature_parts_rendered_around_the_body(tmp_path: Path) -> None:
    texts = _body_texts(_outputs(template(tmp_path))["docx"])
    joined = "\n".join(texts)
    cover, heading, signing = (joined.index("湖州甲方科技有限公司"), joined.index("服务内容"),
                               joined.index("签署页"))
    assert cover < heading < signing
    assert "合同编号：WP-2024-001" in texts and "人民币壹万贰仟元整（¥12,000.00）" in texts
    # {%tr for %}: one row per signatory present in the data, none for the tags
    after = texts[texts.index("签署页"):]
    assert [t for t in after if t in ("甲方", "乙方", "第三方")] == ["甲方", "乙方", "第三方"]
    assert not any("{%" in t or "{{" in t for t in texts)


def test_a_word_part_has_its_pages_to_itself(tmp_path: Path) -> None:
    body = _member(_outputs(template(tmp_path))["docx"], "word/document.xml").find(W + "body")
    breaks = ["".join(t.text or "" for t in p.iter(W + "t")) for p in body.iter(W + "p")
              if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert breaks == ["主合同", "签署页"]  # the main contract after the cover; the signature page


def test_signature_rows_follow_the_data(tmp_path: Path) -> None:
    md = _outputs(template(tmp_path), DATA / "data-two-parties.yaml")["md"].decode()
    assert "| 甲方 | 湖州甲方科技有限公司 | 张三 |" in md
    assert "| 乙方 | 杭州乙方服务有限公司 | 李四 |" in md
    assert "第三方" not in md


def test_markdown_places_each_part_where_contract_yaml_does(tmp_path: Path) -> None:
    md = _outputs(template(tmp_path))["md"].decode()
    lines = [ln for ln in md.splitlines() if ln]
    assert lines[:2] == ["# 测试服务合同", "测试服务合同 Service Agreement"]  # the title, then the cover
    assert lines.index("合同编号：WP-2024-001") < lines.index("## 主合同 {#main}") < lines.index("签署页")
    assert lines[-1] == "签署日期：2024年5月6日"
    assert "| 甲方 | 湖州甲方科技有限公司 |" in md


def test_a_tag_naming_an_unknown_field_is_reported_at_its_cell(tmp_path: Path) -> None:
    folder = template(tmp_path, cover_tag="{{ party_a.nmae }}")
    with pytest.raises(InputErrors) as caught:
        load_template(folder)
    [finding] = caught.value.findings
    assert str(finding.source) == f"{folder / 'cover.docx'}: table 1 row 2 cell 2"
    assert finding.code == "undefined-data"
    assert finding.message == "'party_a.nmae' is not a field of the template's data"
    assert finding.suggestion == "did you mean 'party_a.name'?"


@pytest.mark.parametrize("tag, code, message, hint", [
    ("{{ partya.name }}", "undefined-data", "'partya' is not a field of the template's data",
     "did you mean 'party_a'?"),
    ("{{ fee | amout }}", "template-syntax", "template syntax error in 'fee | amout': No filter named 'amout'.",
     "did you mean 'amount'?"),
    ("{{ party_a.name ", "template-syntax", "'{{' without its closing '}}': '{{ party_a.name'", ""),
    ("{% if third_party %}{{ third_party.name }}", "template-syntax",
     "'{% if %}' is never closed: add '{% endif %}'", ""),
    ("{%tr for x in [1] %}", "template-syntax", None, ""),
    ("{% include 'x' %}", "template-syntax", None, ""),
])
def test_bad_tags_are_reported_with_the_part_and_place(tmp_path: Path, tag, code, message, hint) -> None:
    folder = template(tmp_path, extra=tag)
    with pytest.raises(InputErrors) as caught:
        load_template(folder)
    finding = caught.value.findings[0]
    assert (finding.code, str(finding.source)) == (code, f"{folder / 'cover.docx'}: paragraph 3")
    if message:
        assert finding.message == message
    assert finding.suggestion == hint


def test_build_with_a_bad_tag_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from contractgen.cli import main

    folder = template(tmp_path, cover_tag="{{ party_a.nmae }}")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "--data", str(DATA_FILE), "--out", str(out),
                                       "--format", "md,docx"])
    assert result.exit_code == 2
    assert "cover.docx: table 1 row 2 cell 2: error undefined-data: 'party_a.nmae'" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_the_sandbox_applies_to_word_parts(tmp_path: Path) -> None:
    folder = template(tmp_path, extra="{{ contract_no.__class__.__mro__ }}")
    load_template(folder)  # nothing unknown: contract_no is a field; what it reads of it is the sandbox's
    with pytest.raises(InputErrors) as caught:
        _outputs(folder)
    assert caught.value.findings[0].code == "template-error"
    assert "cover.docx" in str(caught.value.findings[0].source)


def test_printing_an_absent_optional_field_is_an_error(tmp_path: Path) -> None:
    folder = template(tmp_path, extra="{{ third_party.name }}")
    with pytest.raises(InputErrors) as caught:
        _outputs(folder, DATA / "data-two-parties.yaml")
    assert caught.value.findings[0].code == "undefined-data"


def test_merged_styles_numbering_media_and_ids_do_not_clash(tmp_path: Path) -> None:
    docx = _outputs(template(tmp_path))["docx"]
    styles = _member(docx, "word/styles.xml")
    ids = [s.get(W + "styleId") for s in styles.findall(W + "style")]
    names = [s.find(W + "name").get(W + "val") for s in styles.findall(W + "style")]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))
    assert {"cover-page-Normal", "signature-page-Normal"} <= set(ids)  # python-docx's Normal is not ours
    defaults = [s.get(W + "styleId") for s in styles.findall(W + "style")
                if s.get(W + "type") == "paragraph" and s.get(W + "default") == "1"]
    assert defaults == ["Normal"]
    body = _member(docx, "word/document.xml")
    numbering = _member(docx, "word/numbering.xml")
    nums = {n.get(W + "numId"): n.find(W + "abstractNumId").get(W + "val") for n in numbering.findall(W + "num")}
    abstracts = {a.get(W + "abstractNumId") for a in numbering.findall(W + "abstractNum")}
    assert len(nums) == len(numbering.findall(W + "num")) and set(nums.values()) <= abstracts
    used = {el.get(W + "val") for tree in (body, styles) for el in tree.iter(W + "numId")} - {"0"}
    assert used <= set(nums)
    # the cover's "List Number" paragraph uses a list of its own, not the contract's
    item = next(p for p in body.iter(W + "p") if "".join(p.itertext()) == "封面要点")
    style = item.find(f"{W}pPr/{W}pStyle").get(W + "val")
    by_id = {s.get(W + "styleId"): s for s in styles.findall(W + "style")}
    list_num = by_id[style].find(f"{W}pPr/{W}numPr/{W}numId").get(W + "val")
    heading_num = by_id["Heading2"].find(f"{W}pPr/{W}numPr/{W}numId").get(W + "val")
    assert style == "ListNumber" and nums[list_num] != nums[heading_num]
    bookmarks = [b.get(W + "id") for b in body.iter(W + "bookmarkStart")]
    assert len(bookmarks) == len(set(bookmarks))
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        names = z.namelist()
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    media = [n for n in names if n.startswith("word/media/")]
    assert media == ["word/media/cover-page-image1.png"]
    assert 'Target="media/cover-page-image1.png"' in rels and 'Extension="png"' in types
    embed = next(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    rid = embed.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    assert f'Id="{rid}"' in rels


def test_ref_fields_still_point_at_bookmarks(tmp_path: Path) -> None:
    body = _member(_outputs(template(tmp_path))["docx"], "word/document.xml")
    names = {b.get(W + "name") for b in body.iter(W + "bookmarkStart")}
    refs = [m.group(1) for t in body.iter(W + "instrText") for m in [re.search(r"REF (\S+)", t.text or "")] if m]
    assert refs and set(refs) <= names
    toc = [t.text for t in body.iter(W + "instrText") if (t.text or "").strip().startswith("TOC")]
    assert len(toc) <= 1


def test_merged_docx_passes_openxml_audit(tmp_path: Path) -> None:
    for skeleton in (False, True):
        path = tmp_path / f"merged-{skeleton}.docx"
        path.write_bytes(_outputs(template(tmp_path / str(skeleton), skeleton_file=skeleton))["docx"])
        result = OpenXmlValidator().validate(str(path))
        assert [str(e) for e in result.errors] == []


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = _outputs(template(tmp_path / "a"))
    second = _outputs(template(tmp_path / "b"))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first["docx"])) as z:
        infos = z.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = [i.filename for i in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and names[2:] == sorted(names[2:])


def test_skeleton_wraps_the_generated_body(tmp_path: Path) -> None:
    outputs = _outputs(template(tmp_path, skeleton_file=True))
    texts = _body_texts(outputs["docx"])
    joined = "\n".join(texts)
    assert joined.index("致：湖州甲方科技有限公司") < joined.index("测试服务合同 Service Agreement") \
        < joined.index("服务内容") < joined.index("签署页") < joined.index("（本合同由律师事务所起草）")
    body = _member(outputs["docx"], "word/document.xml").find(W + "body")
    section = body[-1]
    assert section.tag == W + "sectPr"
    [ref] = section.findall(W + "headerReference")
    rels = {r.get("Id"): r.get("Target") for r in _member(outputs["docx"], "word/_rels/document.xml.rels")}
    header = _member(outputs["docx"], f"word/{rels[ref.get('{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id')]}")
    assert "".join(header.itertext()) == "律师事务所范本 · WP-2024-001"
    assert not any(t == "\ue100body\ue101" for t in texts)
    md = outputs["md"].decode().splitlines()
    assert md[:3] == ["# 测试服务合同", "", "致：湖州甲方科技有限公司"] and md[-1] == "（本合同由律师事务所起草）"


def test_a_skeleton_needs_one_body_paragraph(tmp_path: Path) -> None:
    from wordparts_docs import skeleton

    folder = template(tmp_path, skeleton_file=True)
    skeleton(folder / "skeleton.docx", body="{{ party_b.name }}")
    with pytest.raises(InputErrors) as caught:
        load_template(folder)
    assert [f.message for f in caught.value.findings] == [
        "a skeleton needs exactly one '{{p body }}' paragraph, where the contract goes; this one has 0"]


@pytest.mark.parametrize("part, message", [
    ("  - id: extra\n    kind: word\n", "part 'extra': kind 'word' needs 'file', the .docx to render"),
    ("  - id: extra\n    kind: word\n    file: x.docx\n    clauses: [t/fees]\n",
     "part 'extra': a Word part takes its text from its file, not 'clauses'"),
    ("  - id: extra\n    kind: word\n    file: x.pdf\n", "part 'extra': 'file' must be a .docx Word file"),
    ("  - id: extra\n    kind: addendum\n    file: x.docx\n    clauses: [t/fees]\n",
     "part 'extra': only a part of kind 'word' takes 'file'"),
    ("  - id: extra\n    kind: word\n    file: missing.docx\n", "missing.docx does not exist"),
    ("  - id: extra\n    kind: word\n    file: cover.docx\n    when: third_prty\n",
     "part 'extra': 'when' must name a data field or group"),
])
def test_contract_yaml_word_part_errors(tmp_path: Path, part: str, message: str) -> None:
    folder = template(tmp_path)
    yaml = folder / "contract.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + part, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_template(folder)
    assert any(message in f.message and f.code == "bad-template" for f in caught.value.findings), \
        [f.format() for f in caught.value.findings]


def test_word_files_are_read_and_compiled_once_per_process(tmp_path: Path, monkeypatch) -> None:
    """A batch worker builds many contracts: each Word file is compiled once, and again only
    when it changes on disk (its mtime and size are the cache's key)."""
    from contractgen.wordparts import template as module
    from wordparts_docs import cover

    compiled: list[str] = []
    original = module.WordTemplate.__init__

    def counting(self, path, *args, **kwargs):
        compiled.append(Path(path).name)
        original(self, path, *args, **kwargs)

    monkeypatch.setattr(module.WordTemplate, "__init__", counting)
    folder = template(tmp_path)
    for data in (DATA_FILE, DATA / "data-two-parties.yaml", DATA_FILE):
        _outputs(folder, data, formats=("md", "docx", "html"))
    assert sorted(compiled) == ["cover.docx", "signature.docx"]
    cover(folder / "cover.docx", extra="新增的一段")
    assert "新增的一段" in _outputs(folder)["md"].decode()
    assert sorted(compiled) == ["cover.docx", "cover.docx", "signature.docx"]


def _data(tmp_path: Path, **changes) -> Path:
    import yaml

    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        group, _, leaf = dotted.partition("__")
        data[group][leaf] = value
    path = tmp_path / f"data-{len(list(tmp_path.glob('data-*')))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_values_are_text_in_the_docx_and_the_markdown(tmp_path: Path) -> None:
    folder = template(tmp_path)
    outputs = _outputs(folder, _data(tmp_path, party_a__name='A & B <Co> "一号"'))
    assert 'A & B <Co> "一号"' in _body_texts(outputs["docx"])
    assert "A & B \\<Co> \"一号\"" in outputs["md"].decode()


def test_contracts_sharing_a_merged_part_keep_their_own_values(tmp_path: Path) -> None:
    """The second contract reuses the first one's merge (same XML but for the values)."""
    folder = template(tmp_path)
    first = _outputs(folder, _data(tmp_path, party_a__name="第一甲方有限公司"))
    second = _outputs(folder, _data(tmp_path, party_a__name="第二甲方有限公司"))
    assert "第一甲方有限公司" in _body_texts(first["docx"]) and "第二甲方有限公司" not in _body_texts(first["docx"])
    assert "第二甲方有限公司" in _body_texts(second["docx"]) and "第一甲方有限公司" not in _body_texts(second["docx"])
    assert _member(first["docx"], "word/styles.xml") is not None
    with zipfile.ZipFile(io.BytesIO(first["docx"])) as a, zipfile.ZipFile(io.BytesIO(second["docx"])) as b:
        assert a.read("word/styles.xml") == b.read("word/styles.xml")
        assert a.read("word/numbering.xml") == b.read("word/numbering.xml")


def test_a_value_with_a_tab_is_rendered_as_docxtpl_renders_it(tmp_path: Path) -> None:
    folder = template(tmp_path)
    docx = _outputs(folder, _data(tmp_path, party_b__name="乙方\t分公司"))["docx"]
    body = _member(docx, "word/document.xml")
    cell = next(p for p in body.iter(W + "p") if "".join(t.text or "" for t in p.iter(W + "t")) == "乙方分公司")
    assert cell.find(f".//{W}tab") is not None


def test_safe_is_not_a_filter_of_word_parts(tmp_path: Path) -> None:
    folder = template(tmp_path, extra="{{ party_a.name | safe }}")
    with pytest.raises(InputErrors) as caught:
        load_template(folder)
    assert caught.value.findings[0].message.endswith("No filter named 'safe'.")


def test_word_parts_side_by_side(tmp_path: Path) -> None:
    folder = template(tmp_path)
    yaml = folder / "contract.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "  - id: annex\n    kind: word\n    file: cover.docx\n",
                    encoding="utf-8")
    outputs = _outputs(folder)
    texts = _body_texts(outputs["docx"])
    assert not any("\ue100" in t or "\ue101" in t for t in texts)
    assert texts.count("测试服务合同 Service Agreement") == 2
    body = _member(outputs["docx"], "word/document.xml").find(W + "body")
    breaks = ["".join(t.text or "" for t in p.iter(W + "t")) for p in body.iter(W + "p")
              if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert breaks == ["主合同", "签署页", "测试服务合同 Service Agreement"]
    md = outputs["md"].decode()
    assert md.index("签署日期：2024年5月6日") < md.rindex("测试服务合同 Service Agreement")


def _without_word_parts(folder: Path) -> None:
    """contract.yaml of ``folder`` with its kind: word parts taken out."""
    path = folder / "contract.yaml"
    text = path.read_text(encoding="utf-8")
    kept = re.sub(r"  - id: (cover|signature)-page\n    kind: word\n    file: \w+\.docx\n", "", text)
    assert kept != text
    path.write_text(kept, encoding="utf-8")


def test_a_template_without_word_parts_is_written_without_the_word_part_loader(tmp_path: Path) -> None:
    """load_template notes that the template has none; writing its contracts does not read
    contract.yaml again nor import the loader (a batch worker's first row)."""
    import subprocess
    import sys

    folder = template(tmp_path)
    _without_word_parts(folder)
    script = ("import sys\nfrom pathlib import Path\n"
              "from contractgen.pipeline import build_from_files, render_outputs\n"
              f"doc = build_from_files(Path({str(folder)!r}), Path({str(DATA_FILE)!r}))[2].doc\n"
              "out = dict(render_outputs(doc, ['docx']))\n"
              "assert out['docx'].startswith(b'PK')\n"
              "print('contractgen.wordparts.loader' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_word_parts_added_to_a_loaded_template_are_seen_by_the_writers(tmp_path: Path) -> None:
    """The note load_template keeps holds only while contract.yaml is unchanged: a
    long-running process (contractgen serve) writes an edited template's Word parts."""
    from contractgen import wordparts
    from contractgen.wordparts.loader import word_set_for

    folder = template(tmp_path)
    original = (folder / "contract.yaml").read_bytes()
    _without_word_parts(folder)
    doc = build_from_files(folder, DATA_FILE)[2].doc
    assert wordparts.known_without_word_parts(doc.source)
    assert "签署页" not in "\n".join(_body_texts(dict(render_outputs(doc, ["docx"]))["docx"]))
    (folder / "contract.yaml").write_bytes(original)  # the Word parts are back (another size)
    assert not wordparts.known_without_word_parts(doc.source)
    assert word_set_for(doc) is not None
    assert "签署页" in "\n".join(_body_texts(dict(render_outputs(doc, ["docx"]))["docx"]))
