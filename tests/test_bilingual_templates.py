"""Bilingual templates (languages: [zh, en]): settings, translations, one structure for both
texts, references and numbers in each language's scheme, the precedence clause, and the
parity rules on what we build — each planted mismatch found once, naming both files.

The fixture is tests/data/bilingual-template (template mini/, clauses/mini/*.md and their
*.en.md translations); each case edits a copy of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from contractgen.diagnostics import InputErrors
from contractgen.model import plain_text
from contractgen.pipeline import build, load_data, load_template

FIXTURE = Path(__file__).parent / "data" / "bilingual-template"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tpl"
    shutil.copytree(FIXTURE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build(root: Path):
    template = load_template(root / "mini")
    _, data = load_data(template, root / "mini" / "data.yaml")
    return build(template, data)


def _errors(root: Path) -> list:
    with pytest.raises(InputErrors) as caught:
        _build(root)
    return caught.value.findings


def _lines(doc, lang: str) -> list[str]:
    out = []
    for part, clause in doc.texts[lang].clauses():
        out.append(" ".join(x for x in (clause.number_text, clause.title, plain_text(clause.text)) if x))
    return out


# --------------------------------------------------------------------- building


def test_both_texts_are_numbered_alike_in_their_own_schemes(tree: Path) -> None:
    built = _build(tree)
    assert [f for f in built.findings if f.severity == "error"] == []
    zh, en = _lines(built.doc, "zh"), _lines(built.doc, "en")
    assert zh[0] == "第一条 货物" and en[0] == "Article 1 Goods"
    assert zh[1] == "1.1 卖方应按照附件一向买方交付货物。"
    assert en[1] == "Section 1.1 The Seller shall deliver the goods to the Buyer as set out in Schedule 1."
    assert zh[5].endswith("货物见第一条。") and en[5].endswith("The goods are described in Article 1.")
    assert [p.number_text for p in built.doc.texts["zh"].parts] == ["", "附件一"]
    assert [p.number_text for p in built.doc.texts["en"].parts] == ["", "Schedule 1"]
    assert [p.title for p in built.doc.texts["en"].parts] == ["Supply Agreement", "List of Goods"]


def test_moving_a_clause_renumbers_and_re_cites_both_texts(tree: Path) -> None:
    _edit(tree / "mini" / "contract.yaml", "[mini/parties, mini/goods, mini/payment, mini/misc]",
          "[mini/parties, mini/payment, mini/goods, mini/misc]")
    built = _build(tree)
    zh, en = _lines(built.doc, "zh"), _lines(built.doc, "en")
    assert zh[0] == "第一条 价格与付款" and en[0] == "Article 1 Price and Payment"
    assert zh[3] == "第二条 货物" and en[3] == "Article 2 Goods"
    # the reference to the goods article follows it to its new number, in both texts
    assert zh[2].endswith("货物见第二条。") and en[2].endswith("The goods are described in Article 2.")


def test_translated_fields_print_each_languages_value(tree: Path) -> None:
    built = _build(tree)
    zh = plain_text(built.doc.texts["zh"].parts[0].blocks[1].text)
    en = plain_text(built.doc.texts["en"].parts[0].blocks[1].text)
    assert zh == "买方：上海华东精密机械有限公司（以下简称“买方”）"
    assert en == 'Buyer: Shanghai Huadong Precision Machinery Co., Ltd. (the "Buyer")'


def test_the_precedence_clause_names_the_governing_text(tree: Path) -> None:
    built = _build(tree)
    assert _lines(built.doc, "zh")[-1].endswith("两种文本如有任何不一致，以中文文本为准。")
    assert _lines(built.doc, "en")[-1].endswith("the Chinese text shall prevail.")
    _edit(tree / "mini" / "contract.yaml", "governing: zh", "governing: en")
    built = _build(tree)
    assert _lines(built.doc, "zh")[-1].endswith("以英文文本为准。")
    assert _lines(built.doc, "en")[-1] == ("Section 3.2 This Agreement is made in Chinese and English, and both "
                                           "texts are equally authentic. In case of any discrepancy between the "
                                           "two texts, the English text shall prevail.")


def test_a_clean_bilingual_contract_has_no_parity_finding(tree: Path) -> None:
    built = _build(tree)
    assert [f.code for f in built.findings if f.code.startswith("bilingual")] == []


@pytest.mark.parametrize("layout", ["side-by-side", "interleaved", "sequential"])
def test_each_layout_combines_both_texts(tree: Path, layout: str) -> None:
    _edit(tree / "mini" / "contract.yaml", "layout: side-by-side", f"layout: {layout}")
    doc = _build(tree).doc
    assert doc.layout == layout and doc.languages == ("zh", "en")
    if layout == "sequential":
        assert [p.scheme for p in doc.parts] == ["zh", "zh", "en", "en"]
        return
    assert [p.id for p in doc.parts] == ["main", "goods-list"]
    units = doc.parts[0].blocks
    assert len(units) == 10  # the parties' text, then one unit per clause: 3 articles of 2 sections
    heads = [[c.blocks[0] for c in u.columns] for u in units[1:]]
    assert [(a.number_text, b.number_text) for a, b in heads][:4] == [
        ("第一条", "Article 1"), ("1.1", "Section 1.1"), ("1.2", "Section 1.2"), ("第二条", "Article 2")]
    assert [len(c.blocks) for c in units[0].columns] == [4, 4]  # three paragraphs and the TOC
    anchors = [t.anchor for text in doc.texts.values() for _, t in text.clauses()]
    assert len(anchors) == len(set(anchors)) and "en-goods" in anchors and "goods" in anchors


# --------------------------------------------------------------------- the parity rules


def _parity(built) -> list:
    return [f for f in built.findings if f.code.startswith("bilingual")]


@pytest.mark.parametrize("case, file, old, new, code, zh_value, en_value", [
    ("amount", "payment.en.md", "{{ price | amount('CNY') }}", "CNY 1,520,000.00",
     "bilingual-amount-mismatch", "¥1,250,000.00", "CNY 1,520,000.00"),
    ("period", "payment.en.md", "within {{ payment_days }} days", "within fifteen (15) days",
     "bilingual-period-mismatch", "30日", "fifteen (15) days"),
    ("date", "parties.en.md", "on {{ signing_date | date }}", "on 16 March 2026",
     "bilingual-date-mismatch", "2026年3月15日", "16 March 2026"),
    ("reference", "payment.en.md", "described in [[ref:goods]]", "described in [[ref:misc]]",
     "bilingual-reference-mismatch", "第一条", "Article 3"),
])
def test_a_planted_mismatch_is_found_once_naming_both_files(tree: Path, case, file, old, new, code,
                                                            zh_value, en_value) -> None:
    _edit(tree / "clauses" / "mini" / file, old, new)
    found = _parity(_build(tree))
    assert [f.code for f in found] == [code], found
    finding = found[0]
    assert finding.severity == "error"
    zh_file = file.replace(".en.md", ".md")
    assert Path(finding.source.path).name == zh_file
    assert f"'{zh_value}' in the Chinese text" in finding.message
    assert f"'{en_value}' in the English text (line " in finding.message
    assert re.search(rf"line \d+ of \S*{re.escape(file)}\)", finding.message), finding.message


def test_a_missing_english_paragraph_is_reported_with_the_english_text_nearby(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "parties.en.md", 'Seller: {{ seller.name }} (the "Seller")\n\n', "")
    found = _parity(_build(tree))
    assert [(f.code, f.severity) for f in found] == [("bilingual-missing-translation", "warning")], found
    assert Path(found[0].source.path).name == "parties.md" and found[0].source.line == 10
    assert "parties.en.md" in found[0].message


def test_a_party_name_spelt_otherwise_is_reported(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "goods.en.md", "The Seller shall deliver",
          "Blue Rivers Industries GmbH shall deliver")
    _edit(tree / "clauses" / "mini" / "goods.md", "卖方应按照", "{{ seller.name }}应按照")
    found = _parity(_build(tree))
    assert [f.code for f in found] == ["bilingual-name-mismatch"], found
    assert "'Blue Rivers Industries GmbH'" in found[0].message
    assert Path(found[0].source.path).name == "goods.en.md"


# --------------------------------------------------------------------- one structure


def test_a_translation_with_an_item_fewer_stops_the_build_naming_both_files(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "misc.en.md",
          "- This Agreement takes effect on the date it is signed and sealed by both parties.\n", "")
    [finding] = _errors(tree)
    assert finding.code == "bilingual-structure"
    assert Path(finding.source.path).name == "misc.en.md"
    assert finding.message.startswith("第三条 has 2 numbered items under it in the Chinese text (")
    assert "misc.md:" in finding.message and "but 1 numbered item under it in the English text" \
        in finding.message


def test_a_translation_with_another_label_stops_the_build(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "payment.en.md", "# Price and Payment {#payment}", "# Price and Payment {#price}")
    [finding] = _errors(tree)
    assert finding.code == "bilingual-structure"
    assert "{#price}" in finding.message and "{#payment}" in finding.message


def test_a_missing_translation_names_the_file_to_write(tree: Path) -> None:
    (tree / "clauses" / "mini" / "goods.en.md").unlink()
    with pytest.raises(InputErrors) as caught:
        load_template(tree / "mini")
    [finding] = caught.value.findings
    assert finding.code == "missing-translation"
    assert finding.message.endswith("goods.en.md does not exist")
    assert finding.source.path.endswith("contract.yaml")
    assert "mini/goods" in (tree / "mini" / "contract.yaml").read_text().splitlines()[finding.source.line - 1]
    assert "goods.en.md beside goods.md, with id: mini/goods and lang: en" in finding.suggestion


def test_a_stale_translation_is_a_warning(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "goods.md", "version: 1.0.0", "version: 1.1.0")
    found = [f for f in _build(tree).findings if f.code == "stale-translation"]
    assert [(f.severity, Path(f.source.path).name) for f in found] == [("warning", "goods.en.md")]
    assert "version 1.0.0 of 'mini/goods', which is now version 1.1.0" in found[0].message


def test_a_translation_without_its_original_is_refused(tree: Path) -> None:
    (tree / "clauses" / "mini" / "extra.en.md").write_text(
        "---\nid: mini/extra\nlang: en\ntitle: Extra\nversion: 1.0.0\n---\nText.\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_template(tree / "mini")
    assert [f.message for f in caught.value.findings] == [
        "translation of 'mini/extra' has no original beside it (there is no extra.md)"]


def test_a_translation_with_another_id_than_its_clause_is_told_the_right_one(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "goods.en.md", "id: mini/goods", "id: mini/good")
    with pytest.raises(InputErrors) as caught:
        load_template(tree / "mini")
    [finding] = caught.value.findings
    assert finding.message == "this translation's id 'mini/good' is not the id of goods.md beside it ('mini/goods')"
    assert Path(finding.source.path).name == "goods.en.md" and finding.source.line == 2
    assert finding.suggestion == "write id: mini/goods, the id of the clause it translates"


def test_a_translation_whose_lang_contradicts_its_name_is_refused(tree: Path) -> None:
    _edit(tree / "clauses" / "mini" / "goods.en.md", "lang: en", "lang: zh")
    with pytest.raises(InputErrors) as caught:
        load_template(tree / "mini")
    assert [f.message for f in caught.value.findings] == [
        "the file name makes this the 'en' translation, but its front matter says lang: zh"]


# --------------------------------------------------------------------- contract.yaml


def _spec_errors(root: Path, edit) -> list[str]:
    path = root / "mini" / "contract.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_template(root / "mini")
    return [f.message for f in caught.value.findings]


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.update(layout="two-column"),
     "unknown layout 'two-column': choose from side-by-side, interleaved, sequential"),
    (lambda r: r.update(governing="fr"), "'governing' must be one of the contract's languages (zh, en), not 'fr'"),
    (lambda r: r.update(languages=["en", "zh"]),
     "'languages' must be lang (zh) and one other language, e.g. [zh, en], not [en, zh]"),
    (lambda r: r.pop("title_en"), "a bilingual contract needs its title in each language: add title_en"),
    (lambda r: r["parts"][0].pop("cite_as_en"),
     "part 'main' has a cite_as but no cite_as_en, which a bilingual contract needs in each language"),
    (lambda r: r.update(schemes={"en": "en-XX"}),
     "unknown numbering scheme 'en-XX' for en: choose from en, en-GB"),
])
def test_bilingual_settings_are_validated(tree: Path, edit, message: str) -> None:
    assert message in _spec_errors(tree, edit)


def test_bilingual_keys_in_a_one_language_template_are_named(tree: Path) -> None:
    def one_language(raw):
        raw.pop("languages")
        raw["data"]["buyer.name"]["translate"] = True
    messages = _spec_errors(tree, one_language)
    assert "'governing' is for a bilingual contract: add languages: [zh, en] or remove it" in messages
    assert "'title_en' is for a bilingual contract: add languages: [zh, en] or remove it" in messages
    assert "field 'buyer.name': 'translate' is for a bilingual contract (languages: [zh, en])" in messages
    assert any(m.startswith("part 'main': 'title_en' is for a bilingual contract") for m in messages)


def test_precedence_in_a_one_language_template_is_an_error(tree: Path) -> None:
    path = tree / "mini" / "contract.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("languages", "governing", "layout", "title_en"):
        raw.pop(key)
    for part in raw["parts"]:
        part.pop("title_en", None)
        part.pop("cite_as_en", None)
    for field in raw["data"].values():
        field.pop("translate", None)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_template(tree / "mini")
    [finding] = caught.value.findings
    assert finding.message.startswith("[[precedence]] is the precedence clause of a bilingual contract")
    assert Path(finding.source.path).name == "misc.md" and finding.source.line == 10


def test_a_translated_field_needs_its_english_value(tree: Path) -> None:
    _edit(tree / "mini" / "data.yaml", "  name_en: Blue River Industries GmbH\n", "")
    template = load_template(tree / "mini")
    with pytest.raises(InputErrors) as caught:
        load_data(template, tree / "mini" / "data.yaml")
    assert [f.message for f in caught.value.findings] == [
        "missing required field 'seller.name_en' (卖方名称（英文）, string)"]


@pytest.mark.parametrize("layout", ["side-by-side", "interleaved", "sequential"])
def test_our_markdown_with_a_long_english_attachment_title_checks_clean(tree: Path, layout: str) -> None:
    """A heading in both languages ("附件一 货物清单 Schedule 1 Specification of the Goods
    Supplied") is a title in each half, however long the two are together (a trial's
    'Service Specification' made check call Schedule 1 dangling)."""
    from contractgen.checking import check_file
    from contractgen.pipeline import render_outputs

    _edit(tree / "mini" / "contract.yaml", "title_en: List of Goods", "title_en: Specification of the Goods Supplied")
    _edit(tree / "mini" / "contract.yaml", "layout: side-by-side", f"layout: {layout}")
    out = tree / "out.md"
    out.write_bytes(dict(render_outputs(_build(tree).doc, ["md"]))["md"])
    assert "Specification of the Goods Supplied" in out.read_text(encoding="utf-8")
    assert [f.code for f in check_file(out)] == []
