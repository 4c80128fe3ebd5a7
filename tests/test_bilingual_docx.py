"""The DOCX writer on a bilingual contract (中英文对照, issue 21), in each layout, from the dev
fixture tests/data/bilingual-template/: the table or paragraph structure, each clause
numbered by its own language's list, REF fields in both languages pointing at that
language's bookmarks with the right cached text, each text's TOC, fonts, validity
(openxml-audit, python-docx) and what ``contractgen check`` makes of the file."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections import Counter
from pathlib import Path

import docx as python_docx
import pytest
from click.testing import CliRunner
from lxml import etree
from openxml_audit import OpenXmlValidator

from contractgen.cli import main
from contractgen.pipeline import build, load_data, load_template
from contractgen.writers.docx import DocxWriter

from conftest import TESTS
from docx_inspect import W, fields, paragraph_text, read_part

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

FIXTURE = TESTS / "data" / "bilingual-template"
LAYOUTS = ("side-by-side", "interleaved", "sequential")


def template_in(layout: str, root: Path) -> Path:
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    path = root / "mini" / "contract.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("layout: side-by-side", f"layout: {layout}"),
                    encoding="utf-8")
    return root / "mini"


def render(layout: str, root: Path) -> bytes:
    folder = template_in(layout, root)
    template = load_template(folder)
    _raw, data = load_data(template, folder / "data.yaml")
    built = build(template, data)
    assert not built.errors, [f.format() for f in built.errors]
    return DocxWriter().render(built.doc)


@pytest.fixture(scope="module", params=LAYOUTS)
def layout_docx(request, tmp_path_factory) -> tuple[str, bytes]:
    return request.param, render(request.param, tmp_path_factory.mktemp(request.param))


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, bytes]:
    return {layout: render(layout, tmp_path_factory.mktemp(f"all-{layout}")) for layout in LAYOUTS}


def body(data: bytes) -> etree._Element:
    return etree.fromstring(read_part(data, "word/document.xml")).find(f"{W}body")


def w(name: str) -> str:
    return f"{W}{name}"


# --------------------------------------------------------------------- the lists


def lists(data: bytes) -> dict[str, list[tuple[str, str, bool]]]:
    """numId -> [(numFmt, lvlText, isLgl) per level]."""
    root = etree.fromstring(read_part(data, "word/numbering.xml"))
    abstract = {a.get(w("abstractNumId")): [
        (lvl.find(w("numFmt")).get(w("val")), lvl.find(w("lvlText")).get(w("val")), lvl.find(w("isLgl")) is not None)
        for lvl in a.findall(w("lvl"))] for a in root.findall(w("abstractNum"))}
    return {n.get(w("numId")): abstract[n.find(w("abstractNumId")).get(w("val"))] for n in root.findall(w("num"))}


def numbering(data: bytes, paragraph: etree._Element) -> tuple[str, int] | None:
    """(the lvlText of the paragraph's list level, its ilvl): its own numPr, else its style's."""
    num = paragraph.find(f"{w('pPr')}/{w('numPr')}")
    if num is None:
        styles = etree.fromstring(read_part(data, "word/styles.xml"))
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        found = [s for s in styles.iter(w("style")) if style is not None and s.get(w("styleId")) == style.get(w("val"))]
        num = found[0].find(f"{w('pPr')}/{w('numPr')}") if found else None
    if num is None:
        return None
    ilvl = int(num.find(w("ilvl")).get(w("val")))
    return lists(data)[num.find(w("numId")).get(w("val"))][ilvl][1], ilvl


def test_each_language_part_has_its_own_list(docs) -> None:
    for layout, data in docs.items():
        levels = sorted(levels[0][1] for levels in lists(data).values())
        assert levels == sorted(["附件%1", "Schedule %1", "第%1条", "%1、", "Article %1", "%1."]), layout
        by_text = {levels[0][1]: levels for levels in lists(data).values()}
        # sections below an article are legal-style, so 第一条 is followed by 1.1, not 一.1
        assert by_text["第%1条"][1] == ("decimal", "%1.%2", True)
        assert by_text["Article %1"][1] == ("decimal", "Section %1.%2", True)
        assert by_text["第%1条"][0][0] == "chineseCountingThousand"
        xml = read_part(data, "word/document.xml")
        assert b"w:vanish" not in xml  # no hidden paragraphs advancing a list


def _headings(data: bytes) -> dict[str, etree._Element]:
    """Clause and attachment heading paragraphs by their text."""
    out = {}
    for p in body(data).iter(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        if style is not None and style.get(w("val")) in ("Heading2", "AttachmentHeading", "Clause"):
            out[paragraph_text(p)] = p
    return out


def test_each_clause_is_numbered_by_its_own_languages_list(docs) -> None:
    for layout, data in docs.items():
        heads = _headings(data)
        assert numbering(data, heads["货物"]) == ("第%1条", 0), layout
        assert numbering(data, heads["Goods"]) == ("Article %1", 0), layout
        assert numbering(data, heads["Miscellaneous"]) == ("Article %1", 0), layout
        assert numbering(data, heads["卖方应按照附件一向买方交付货物。"]) == ("%1.%2", 1), layout
        seller = next(t for t in heads if t.startswith("The Seller shall deliver"))
        assert numbering(data, heads[seller]) == ("Section %1.%2", 1), layout
        assert numbering(data, heads["货物清单"]) == ("附件%1", 0), layout
        assert numbering(data, heads["List of Goods"]) == ("Schedule %1", 0), layout


# --------------------------------------------------------------------- the layouts


def _layout_tables(data: bytes) -> list[etree._Element]:
    return [t for t in body(data).findall(w("tbl")) if len(t.findall(f"{w('tblGrid')}/{w('gridCol')}")) == 2
            and t.find(f"{w('tblPr')}/{w('tblStyle')}") is None]


def _cell_texts(row: etree._Element) -> list[str]:
    return [" ".join(paragraph_text(p) for p in tc.findall(w("p"))) for tc in row.findall(w("tc"))]


def test_side_by_side_is_a_borderless_two_column_table_per_part(docs) -> None:
    data = docs["side-by-side"]
    tables = _layout_tables(data)
    # the main contract up to its TOC, which ends a page; its articles; the attachment
    assert len(tables) == 3
    for table in tables:
        widths = [int(c.get(w("w"))) for c in table.findall(f"{w('tblGrid')}/{w('gridCol')}")]
        assert widths[0] == widths[1]
        borders = table.find(f"{w('tblPr')}/{w('tblBorders')}")
        assert {b.get(w("val")) for b in borders if b.tag != w("insideV")} == {"nil"}
        rule = borders.find(w("insideV"))
        assert rule.get(w("sz")) == "4" and rule.get(w("color")) == "BFBFBF"  # a light rule between them
        rows = table.findall(w("tr"))
        assert all(r.find(f"{w('trPr')}/{w('tblHeader')}") is None for r in rows)  # no header row
        assert all(r.find(f"{w('trPr')}/{w('cantSplit')}") is None for r in rows)  # rows may break
        assert all(len(r.findall(w("tc"))) == 2 for r in rows)
    opening = [_cell_texts(r) for r in tables[0].findall(w("tr"))]
    assert opening[0] == ["供货合同", "Supply Agreement"]  # the part headings side by side
    assert opening[1] == ["本合同由以下双方于2026年3月15日在上海签订：",
                          "This Agreement is made in Shanghai on 15 March 2026 by and between:"]
    assert opening[-1][0].startswith("目录") and opening[-1][1].startswith("Contents")
    following = tables[0].getnext()
    while following.tag != w("tbl"):  # the page break between the tables
        assert following.tag == w("p") and not paragraph_text(following)
        breaks = following.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None
        following = following.getnext()
    assert breaks and following is tables[1]
    main = [_cell_texts(r) for r in tables[1].findall(w("tr"))]
    assert main[0] == ["货物", "Goods"]
    assert main[1][0] == "卖方应按照附件一向买方交付货物。"
    assert main[1][1] == "The Seller shall deliver the goods to the Buyer as set out in Schedule 1."
    assert main[-1][0].endswith("以中文文本为准。") and main[-1][1].endswith("the Chinese text shall prevail.")
    attachment = tables[2].findall(w("tr"))
    assert _cell_texts(attachment[0]) == ["货物清单", "List of Goods"]
    # each schedule's own table inside its column, no wider than the column
    nested = [tc.find(w("tbl")) for tc in attachment[1].findall(w("tc"))]
    column = int(tables[2].find(f"{w('tblGrid')}/{w('gridCol')}").get(w("w")))
    for inner in nested:
        assert sum(int(c.get(w("w"))) for c in inner.findall(f"{w('tblGrid')}/{w('gridCol')}")) < column
    assert [_cell_texts(r) for r in nested[0].findall(w("tr"))] == [["名称", "数量"], ["数控车床", "2台"]]
    assert [_cell_texts(r) for r in nested[1].findall(w("tr"))] == [["Name", "Quantity"], ["CNC lathe", "2 units"]]


def test_side_by_side_columns_hold_one_language_each(docs) -> None:
    for table in _layout_tables(docs["side-by-side"]):
        for row in table.findall(w("tr")):
            zh, en = (paragraph_text(tc) for tc in row.findall(w("tc")))
            assert not any("a" <= ch.lower() <= "z" for ch in zh.replace("CNY", "")), zh
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in en), en


def _paragraph_texts(data: bytes) -> list[str]:
    return [t for p in body(data).iter(w("p")) if (t := paragraph_text(p))]


def test_interleaved_sets_each_chinese_block_before_its_english_one(docs) -> None:
    data = docs["interleaved"]
    assert not _layout_tables(data)
    texts = _paragraph_texts(data)
    start = texts.index("货物")
    assert texts[start:start + 6] == [
        "货物", "Goods", "卖方应按照附件一向买方交付货物。",
        "The Seller shall deliver the goods to the Buyer as set out in Schedule 1.",
        "货物的质量应符合本合同第三条的约定。", "The quality of the goods shall conform to this Agreement."]
    assert texts.index("供货合同") + 1 == texts.index("Supply Agreement")
    assert texts.index("货物清单", start) + 1 == texts.index("List of Goods", start)


def test_sequential_sets_the_english_text_after_the_chinese_on_a_new_page(docs) -> None:
    data = docs["sequential"]
    root = body(data)
    texts = _paragraph_texts(data)
    assert texts.index("List of Goods") > texts.index("货物清单") > texts.index("货物")
    assert texts.index("Goods") > texts.index("货物清单")
    starts = {b.get(w("name")): b for b in root.iter(w("bookmarkStart"))}
    en = starts["_TextEn"]
    first, last_zh = en.getnext(), en.getprevious().getprevious()  # the Chinese text's bookmarkEnd between
    assert paragraph_text(first) == "Supply Agreement"
    assert first.find(f"{w('pPr')}/{w('pageBreakBefore')}") is None  # the section break starts the page
    # the Chinese text is a section of its own: its last paragraph ends it, on the next page
    section = last_zh.find(f"{w('pPr')}/{w('sectPr')}")
    assert section is not None and section.find(w("type")) is None  # nextPage, the default
    rels = etree.fromstring(read_part(data, "word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}

    def header_text(sect: etree._Element, kind: str) -> str:
        ref = next(h for h in sect.findall(w("headerReference")) if h.get(w("type")) == kind)
        target = targets[ref.get(f"{{{R}}}id")]
        return "".join(etree.fromstring(read_part(data, f"word/{target}")).itertext())

    def footer_text(sect: etree._Element) -> str:
        ref = next(h for h in sect.findall(w("footerReference")) if h.get(w("type")) == "default")
        return "".join(etree.fromstring(read_part(data, f"word/{targets[ref.get(f'{{{R}}}id')]}")).itertext())

    final = root.find(w("sectPr"))
    assert header_text(section, "default").startswith("供货合同")
    assert header_text(final, "default").startswith("Supply Agreement") and "SA-2026-001" in header_text(final, "default")
    assert footer_text(section).startswith("第") and footer_text(final).startswith("Page")
    assert header_text(section, "first") == header_text(final, "first") == ""


def _in_range(root: etree._Element, name: str) -> set[str]:
    """The bookmark names that start between bookmark ``name``'s start and its end."""
    start = next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == name)
    mark, inside, found = start.get(w("id")), False, set()
    for node in root.iter(w("bookmarkStart"), w("bookmarkEnd")):
        if node is start:
            inside = True
        elif node.tag == w("bookmarkEnd") and node.get(w("id")) == mark:
            break
        elif inside and node.tag == w("bookmarkStart"):
            found.add(node.get(w("name")))
    return found


def test_sequential_tocs_list_their_own_text(docs) -> None:
    data = docs["sequential"]
    root = body(data)
    tocs = [f for f in fields(read_part(data, "word/document.xml")) if f.instruction.startswith("TOC")]
    assert [f.instruction.split("\\b ")[1] for f in tocs] == ["_TextZh", "_TextEn"]
    zh, en = _in_range(root, "_TextZh"), _in_range(root, "_TextEn")
    entries = {}
    for p in root.iter(w("p")):
        link = p.find(w("hyperlink"))
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        if link is not None and style is not None and style.get(w("val")).startswith("TOC"):
            entries[paragraph_text(p)] = link.get(w("anchor"))
    assert list(entries) == ["供货合同", "第一条 货物", "第二条 价格与付款", "第三条 其他", "附件一 货物清单",
                             "Supply Agreement", "Article\u00a01 Goods", "Article\u00a02 Price and Payment",
                             "Article\u00a03 Miscellaneous", "Schedule\u00a01 List of Goods"]
    anchors = list(entries.values())
    assert set(anchors[:5]) <= zh and not set(anchors[:5]) & en
    assert set(anchors[5:]) <= en and not set(anchors[5:]) & zh


# --------------------------------------------------------------------- references and bookmarks


def test_bookmark_names_and_ids_are_unique(layout_docx) -> None:
    layout, data = layout_docx
    root = body(data)
    names = Counter(b.get(w("name")) for b in root.iter(w("bookmarkStart")))
    ids = Counter(b.get(w("id")) for b in root.iter(w("bookmarkStart")))
    assert [n for n, k in names.items() if k > 1] == [], layout
    assert [i for i, k in ids.items() if k > 1] == [], layout
    ends = Counter(b.get(w("id")) for b in root.iter(w("bookmarkEnd")))
    assert ends == ids


def _refs(data: bytes) -> list[tuple[str, str, str]]:
    """(bookmark, cached text, text of the bookmarked paragraph) of every REF field."""
    root = body(data)
    marks = {b.get(w("name")): b.getparent() for b in root.iter(w("bookmarkStart"))}
    out = []
    for f in fields(read_part(data, "word/document.xml")):
        if f.instruction.startswith("REF "):
            name = f.instruction.split()[1]
            assert name in marks, f"REF {name} has no bookmark"
            out.append((name, f.cached, paragraph_text(marks[name])))
    return out


def test_ref_fields_point_at_their_own_languages_bookmarks(layout_docx) -> None:
    layout, data = layout_docx
    refs = sorted((cached, target) for _name, cached, target in _refs(data))
    # 卖方应按照[[ref:goods-list]] / as set out in [[ref:goods-list]]; 货物见[[ref:goods]] / [[ref:goods]]
    assert refs == [("Article 1", "Goods"), ("Schedule 1", "List of Goods"), ("第一条", "货物"), ("附件一", "货物清单")], layout
    for name, cached, _target in _refs(data):
        assert name.startswith("_Ref5" if cached[0].isascii() else "_Ref1"), (name, cached)


def test_side_by_side_refs_sit_in_their_languages_column(docs) -> None:
    data = docs["side-by-side"]
    root = body(data)
    for tc in root.iter(w("tc")):
        column = tc.getparent().index(tc) - (1 if tc.getparent().find(w("trPr")) is not None else 0)
        cached = [f.cached for f in fields(etree.tostring(tc)) if f.instruction.startswith("REF")]
        if column == 0:
            assert all(not c[0].isascii() for c in cached), cached
        else:
            assert all(c[0].isascii() for c in cached), cached


# --------------------------------------------------------------------- runs, validity, reading back


def test_english_runs_carry_their_font_and_language(docs) -> None:
    for layout, data in docs.items():
        styles = etree.fromstring(read_part(data, "word/styles.xml"))
        (style,) = [s for s in styles.iter(w("style")) if s.get(w("styleId")) == "TextEn"]
        assert style.get(w("type")) == "character"
        lang = style.find(f"{w('rPr')}/{w('lang')}")
        assert (lang.get(w("val")), lang.get(w("eastAsia"))) == ("en-US", "en-US")  # its quotes are Latin ones
        fonts = style.find(f"{w('rPr')}/{w('rFonts')}")
        assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
        root = body(data)
        seen = set()
        for r in root.iter(w("r")):
            text = "".join(t.text or "" for t in r.iter(w("t")))
            run_style = r.find(f"{w('rPr')}/{w('rStyle')}")
            if "Seller shall deliver" in text or "Schedule 1" == text:
                assert run_style is not None and run_style.get(w("val")) == "TextEn", (layout, text)
                seen.add(text[:5])
            if "卖方应按照" in text or text == "附件一":
                assert run_style is None, layout  # the document's own language: its styles say it
                seen.add(text[:5])
        assert len(seen) == 4, (layout, seen)  # a REF field's cached text too


def test_english_quotes_are_curly(docs) -> None:
    texts = _paragraph_texts(docs["side-by-side"])
    assert any("(the \u201cBuyer\u201d)" in t for t in texts)


def test_every_layout_passes_the_ooxml_validator(layout_docx, tmp_path: Path) -> None:
    layout, data = layout_docx
    path = tmp_path / f"{layout}.docx"
    path.write_bytes(data)
    result = OpenXmlValidator().validate(str(path))
    assert [str(e) for e in result.errors] == [], layout


def test_python_docx_opens_every_layout(layout_docx) -> None:
    layout, data = layout_docx
    document = python_docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    if layout == "side-by-side":
        assert len(document.tables) == 3
        assert document.tables[1].rows[0].cells[0].text == "货物"
        assert document.tables[1].rows[0].cells[1].text == "Goods"
    else:
        assert "货物" in texts and "Goods" in texts


def test_the_same_contract_gives_the_same_bytes(tmp_path: Path, docs) -> None:
    for layout in LAYOUTS:
        again = render(layout, tmp_path / layout)
        assert hashlib.sha256(again).hexdigest() == hashlib.sha256(docs[layout]).hexdigest(), layout


@pytest.mark.parametrize("layout", ["side-by-side", "interleaved", "sequential"])
def test_check_of_the_docx_reports_no_error(layout: str, docs, tmp_path: Path) -> None:
    path = tmp_path / f"{layout}.docx"
    path.write_bytes(docs[layout])
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert " 0 error(s)" in result.output
    # the one warning a layout whose articles Word numbers may get is the fixture's typed
    # 本合同第三条 (no [[ref:]]), which is true: it will go stale when an article moves
    from contractgen.checking import check_file

    assert {(f.code, f.excerpt) for f in check_file(path)} <= {("hard-typed-reference", "货物的质量应符合本合同第三条的约定。")}


def test_english_headings_are_bold_in_a_chinese_document(docs) -> None:
    """The Chinese headings are 黑体, not bold; the English ones are set in the body's Latin
    face, so they are bold — their text and their list label (the paragraph mark)."""
    for layout, data in docs.items():
        heads = _headings(data)
        for text in ("Goods", "List of Goods"):
            p = heads[text]
            assert p.find(f"{w('pPr')}/{w('rPr')}/{w('b')}") is not None, (layout, text)
            assert all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in p.iter(w("r"))), (layout, text)
        for text in ("货物", "货物清单"):
            assert not list(heads[text].iter(w("b"))), (layout, text)


def test_a_wide_table_leaves_the_columns(tmp_path: Path) -> None:
    """A schedule's table of four columns does not fit half the page: it is set out at the
    text's width, the Chinese one then the English one, between two side-by-side tables."""
    folder = template_in("side-by-side", tmp_path)
    sched = tmp_path / "clauses" / "mini"
    for name, header, row in (("sched.md", "| 名称 | 型号 | 数量 | 单价 |", "| 数控车床 | CK6150 | 2台 | 人民币625,000元 |"),
                              ("sched.en.md", "| Name | Model | Quantity | Unit Price |",
                               "| CNC lathe | CK6150 | 2 units | CNY 625,000 |")):
        text = (sched / name).read_text(encoding="utf-8")
        head = text[:text.index("|")]
        (sched / name).write_text(f"{head}{header}\n| --- | --- | --- | --- |\n{row}\n", encoding="utf-8")
    template = load_template(folder)
    _raw, data = load_data(template, folder / "data.yaml")
    root = body(DocxWriter().render(build(template, data).doc))
    elements = list(root)
    wide = [t for t in root.findall(w("tbl")) if len(t.findall(f"{w('tblGrid')}/{w('gridCol')}")) == 4]
    assert [[_cell_texts(r) for r in t.findall(w("tr"))][0] for t in wide] == [
        ["名称", "型号", "数量", "单价"], ["Name", "Model", "Quantity", "Unit Price"]]
    zh, en = (elements.index(t) for t in wide)
    heading_table = elements[zh - 1] if elements[zh - 1].tag == w("tbl") else elements[zh - 2]
    assert _cell_texts(heading_table.findall(w("tr"))[0]) == ["货物清单", "List of Goods"]
    assert all(t.find(f"{w('tblPr')}/{w('tblW')}").get(w("w")) == "5000" for t in wide)  # the text's width
    assert en > zh


SAMPLE = TESTS.parent / "templates" / "supply-agreement-bilingual"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_check_of_the_bundled_sample_in_each_layout_finds_nothing(layout: str, tmp_path: Path) -> None:
    """The sample's goods table cites 本合同第5.2条 as a REF field: each text's table keeps
    its rows' places in the file, so the field is found on its line (the interleaved layout
    once reported it as typed text, one line off)."""
    from contractgen.bilingual_texts import language_texts
    from contractgen.checking import check_file
    from contractgen.model import Table
    from contractgen.readers import read_path

    folder = tmp_path / "template"
    shutil.copytree(SAMPLE, folder)
    spec = folder / "contract.yaml"
    text = spec.read_text(encoding="utf-8").replace("layout: side-by-side", f"layout: {layout}")
    spec.write_text(text.replace("output_name:", f"library: {TESTS.parent / 'clauses'}\noutput_name:", 1),
                    encoding="utf-8")
    template = load_template(folder)
    _raw, data = load_data(template, folder / "sample-data.yaml")
    built = build(template, data)
    assert not built.errors
    path = tmp_path / f"{layout}.docx"
    path.write_bytes(DocxWriter().render(built.doc))
    assert [f.format() for f in check_file(path)] == []
    doc = read_path(path)
    lines = {pos.line: row for _, block in doc.blocks() if isinstance(block, Table)
             for row, pos in zip(block.rows, block.row_pos)}
    for one in (language_texts(doc) or {}).values():
        for _, block in one.blocks():
            if isinstance(block, Table):
                for index, row in enumerate(block.rows):
                    whole = lines[block.pos_of_row(index).line]
                    assert all(cell in whole for cell in row), (layout, index, row, whole)
