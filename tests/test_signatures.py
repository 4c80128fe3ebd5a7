"""The signature page element (``[[signatures]]``) in every writer: wording from the
scheme, blanks left blank unless the data fills them, kept together in DOCX."""

from __future__ import annotations

import re

import pytest

from contractgen.model import Document, Paragraph, Part, SignatureBlock, Signatory
from contractgen.writers.docx import DocxWriter
from contractgen.writers.html import HtmlWriter
from contractgen.writers.markdown import MarkdownWriter

from docx_inspect import read_part

PARTIES = {
    "zh": [Signatory("甲方", "甲公司"), Signatory("乙方", "乙公司", "周晓岚", "2024年3月1日")],
    "en": [Signatory("Customer", "Northwind Trading Ltd"), Signatory("Provider", "Bluebird Ltd", "Jane Roe", "1 April 2024")],
}
LAST_TEXT = {"zh": "本合同一式贰份。", "en": "This Agreement is signed in two counterparts."}


def _doc(lang: str) -> Document:
    part = Part("main", "main", title="主合同" if lang == "zh" else "Agreement", scheme=lang,
                blocks=[Paragraph([LAST_TEXT[lang]]), SignatureBlock(list(PARTIES[lang]))])
    return Document("合同" if lang == "zh" else "Agreement", lang=lang, parts=[part])


EXPECTED_MD = {
    "zh": ["（以下无正文）", "甲方（盖章）：甲公司", "法定代表人或授权代表（签字）：", "日期：",
           "乙方（盖章）：乙公司", "法定代表人或授权代表（签字）：周晓岚", "日期：2024年3月1日"],
    "en": ["\\[Signature page follows\\]", "Signed by", "for and on behalf of Northwind Trading Ltd (the Customer)",
           "Name:", "Title:", "Date:", "Signed by", "for and on behalf of Bluebird Ltd (the Provider)",
           "Name: Jane Roe", "Title:", "Date: 1 April 2024"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_writes_one_paragraph_a_line(lang: str) -> None:
    text = MarkdownWriter().render(_doc(lang)).decode("utf-8")
    lines = [line for line in text.split(LAST_TEXT[lang], 1)[1].splitlines() if line]
    assert lines == EXPECTED_MD[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_writes_a_box_per_party_with_room_to_sign(lang: str) -> None:
    page = HtmlWriter().render(_doc(lang)).decode("utf-8")
    assert page.count('<div class="signature-party">') == 2
    rooms = [float(m) for m in re.findall(r'class="sig-line sig-blank" style="margin-top: ([\d.]+)cm"', page)]
    assert rooms and min(rooms) >= 1.5


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_keeps_the_element_with_the_text_before_it(lang: str) -> None:
    xml = read_part(DocxWriter().render(_doc(lang)), "word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml.split("<w:tbl>")[0])
    last_text = next(p for p in paragraphs if LAST_TEXT[lang] in p)
    assert "<w:keepNext/>" in last_text  # the lead line never stands alone
    table = re.search(r"<w:tbl>.*?</w:tbl>", xml)[0]
    assert table.count("<w:cantSplit/>") == 1 and 'w:val="nil"' in table and "TableGrid" not in table
    # a blank to fill by hand ends in an underscore leader; a line the data fills (the second
    # party's signatory and date) has no blank after it
    assert table.count('w:leader="underscore"') == {"zh": 2, "en": 6}[lang]
    befores = [int(b) for b in re.findall(r'<w:spacing w:before="(\d+)"/>', table)]
    assert befores and min(befores) >= 851  # 1.5 cm
    if lang == "en":  # "[Signature page follows]": the blocks start the next page
        assert re.search(r'<w:pStyle w:val="Signature"/><w:pageBreakBefore/>', xml)
    else:
        lead = next(p for p in paragraphs if "（以下无正文）" in p)
        assert "<w:keepNext/>" in lead and "pageBreakBefore" not in xml
    assert "2024年3月1日" in table if lang == "zh" else "Jane Roe" in table


@pytest.mark.parametrize("role, wording", [
    ("Customer", "(the Customer)"), ("Party A", "(Party A)"), ("party b", "(party b)"), ("Party 2", "(Party 2)"),
    ("the Company", "(the Company)"), ("Partner", "(the Partner)"), ("Party Responsible", "(the Party Responsible)"),
])
def test_an_english_role_gets_the_article_contracts_give_it(role: str, wording: str) -> None:
    part = Part("main", "main", title="Agreement", scheme="en",
                blocks=[Paragraph([LAST_TEXT["en"]]), SignatureBlock([Signatory(role, "Acme Ltd")])])
    text = MarkdownWriter().render(Document("Agreement", lang="en", parts=[part])).decode("utf-8")
    assert f"for and on behalf of Acme Ltd {wording}" in text
