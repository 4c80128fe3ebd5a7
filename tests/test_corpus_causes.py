"""The product causes of corpus misses and false warnings (issue 22, tests/data/corpus/README.md),
each as a small fixture modelled on the corpus file where it was found. Each failed before
its fix: the file it came from is named in the test."""

from __future__ import annotations

from pathlib import Path

from contractgen.checking import check_file
from docx_factory import build_docx, level, numbering_xml, para

# Word's built-in heading styles, as Google Docs exports write them (Common Paper's DOCX)
STYLES = "".join(
    f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
    f'<w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr></w:style>' for n in (1, 2, 3))
ACCESS = "Access and Use.  During the Pilot Period, Customer may access and use the Product for evaluation."
SECTIONS = numbering_xml({0: [level(0, "decimal", "%1."), level(1, "decimal", "%1.%2")]}, {1: 0})


def found(path: Path, *codes: str) -> list[tuple[str, int, str]]:
    return [(f.code, f.line, f.message) for f in check_file(path) if f.code in codes]


def test_word_list_level_outranks_the_heading_style(tmp_path: Path) -> None:
    """en-commonpaper-pilot.docx: "2. Term & Termination" is Heading3 at ilvl 0 of the list that
    numbers "1. Pilot Access" (Heading1). Word shows it as article 2, so "Section 2" exists;
    the outline used to nest it under 1.1 with no number (dangling-reference on Section 2)."""
    body = "".join([
        para("Pilot Agreement"),
        para("Pilot Access", "Heading1", (1, 0)),
        para(ACCESS, "Heading2", (1, 1)),
        para("Term & Termination", "Heading3", (1, 0)),
        para("Termination.  Either party may end this Agreement on notice, and Section 3 (Confidentiality) "
             "survives its end.",
             "Heading3", (1, 1)),
        para("Confidentiality", "Heading3", (1, 0)),
        para("Non-Disclosure.  Recipient will not disclose the information until the end of the term in "
             "Section 2 (Term & Termination).",
             "Heading3", (1, 1)),
    ])
    path = build_docx(tmp_path / "pilot.docx", body, STYLES, SECTIONS)
    assert found(path, "dangling-reference", "reference-title-mismatch") == []
    deleted = build_docx(tmp_path / "deleted.docx", body.replace(para("Pilot Access", "Heading1", (1, 0)), "")
                         .replace(para(ACCESS, "Heading2", (1, 1)), ""),
                         STYLES, SECTIONS)
    # article 1 deleted: Word renumbers; "Section 2 (Term & Termination)" now names Confidentiality's
    # number, and "Section 3 (Confidentiality)" a number that is gone
    assert sorted((code, line) for code, line, _ in found(deleted, "reference-title-mismatch", "dangling-reference")) \
        == [("dangling-reference", 3), ("reference-title-mismatch", 5)]


def test_typed_reference_to_a_typed_article_does_not_go_stale(tmp_path: Path) -> None:
    """zh-kwdb-icla.docx: only 第1条 is Word-numbered; 第2条 … are typed. A typed 第2条 points
    at a typed number, which moves with it; a typed 第1条 points at Word's number."""
    numbering = numbering_xml({0: [level(0, "decimal", "第%1条")]}, {1: 0})
    body = "".join([
        para("个人贡献者许可协议"),
        para("定义", num=(1, 0)),
        para("本协议所称贡献，见第2条的约定。"),
        para("第2条 著作权许可"),
        para("贵方按第2条授予许可，定义见第1条。"),
        para("第3条 专利许可"),
        para("贵方授予专利许可。"),
    ])
    path = build_docx(tmp_path / "icla.docx", body, None, numbering)
    assert [m for _, _, m in found(path, "hard-typed-reference")] == [
        "typed reference '第1条' will go stale: the clauses it points into are numbered automatically by Word"]


def test_clauses_of_the_standard_contractual_clauses_are_not_this_docx(tmp_path: Path) -> None:
    """en-commonpaper-dpa.docx: "(ii) In Clause 9, Option 2 … applies" under "the EEA SCCs apply"
    is a clause of the SCCs, not a typed reference into this file's Word numbering;
    "Section 1 of this DPA" in the same sentence is."""
    body = "".join([
        para("Data Processing Agreement"),
        para("Processing", "Heading1", (1, 0)),
        para("Instructions.  Provider will process as instructed.", "Heading2", (1, 1)),
        para("Restricted Transfers", "Heading1", (1, 0)),
        para("EEA Transfers.  The EEA SCCs apply as follows:", "Heading2", (1, 1)),
        para("(i) The optional docking clause in Clause 7 does not apply;"),
        para("(ii) In Clause 9, Option 2 (general written authorization) applies;"),
        para("(iii) Section 1 of this DPA contains the information required in Table 2 of the UK Addendum."),
    ])
    path = build_docx(tmp_path / "dpa.docx", body, STYLES, SECTIONS)
    assert [(line, m.split("'")[1]) for _, line, m in found(path, "hard-typed-reference")] == [(8, "Section 1")]


def test_english_message_uses_english_brackets(tmp_path: Path) -> None:
    body = "".join([para("Agreement"), para("Fees", "Heading1", (1, 0)),
                    para("Payment.  Customer will pay every invoice within 30 days, and the taxes on it as "
                         "described in Section 2 (Taxes).", "Heading2", (1, 1)),
                    para("Taxes", "Heading1", (1, 0)), para("Customer pays taxes.")])
    path = build_docx(tmp_path / "fees.docx", body, STYLES, SECTIONS)
    assert [m.split("'")[1] for _, _, m in found(path, "hard-typed-reference")] == ["Section 2 (Taxes)"]


def test_attachment_cited_by_its_title_is_used(tmp_path: Path) -> None:
    """zh-travel-2014-*.txt: 附件2 is the 旅游行程单 the body cites as 《旅游行程单》; 附件4 is
    cited neither by number nor by title."""
    path = tmp_path / "travel.txt"
    path.write_text("团队境内旅游合同\n第一条 行程\n旅行社按《旅游行程单》安排行程。\n第二条 其他\n双方另行约定。\n"
                    "附件2：\n旅游行程单\n第一天 杭州\n附件4：\n自愿参加另行付费旅游项目补充协议\n项目名称\n",
                    encoding="utf-8")
    assert [(line, m) for _, line, m in found(path, "unused-attachment")] == [
        (9, "附件4 is included but never listed or cited")]


def test_markdown_item_indented_into_a_code_block_is_read(tmp_path: Path) -> None:
    """en-commonpaper-dpa.md: "            i. The optional docking clause …" is indented past its
    parent item's content, so CommonMark renders it as a code block; its text is still on the
    page, and a blank in it is still a blank."""
    path = tmp_path / "dpa.md"
    path.write_text("1. Restricted Transfers\n\n    1. Ex-EEA Transfers.  The EEA SCCs apply:\n\n"
                    "        a. For each module, the following applies:\n\n"
                    "            i. The optional docking clause does not apply to [Company Name];\n",
                    encoding="utf-8")
    assert [(line, m) for _, line, m in found(path, "unfilled-placeholder")] == [
        (7, "unfilled placeholder '[Company Name]'")]


def test_quoted_title_after_a_section_number_is_its_title(tmp_path: Path) -> None:
    """en-github-educational-use-agreement.md: "subject to the terms of Section 5 (“Trademark
    Release”)" where Trademark Release is Section 4: a wrong title, and not a definition of a
    term "Brand Release" that is never used."""
    path = tmp_path / "edu.md"
    path.write_text("# Agreement\n\n## 1. Logo Usage\n\nUse is subject to Section 3 (“Brand Release”).\n\n"
                    "## 2. Trademark Release\n\nGitHub may use the marks.\n\n## 3. Term\n\nOne year.\n",
                    encoding="utf-8")
    assert found(path, "reference-title-mismatch", "unused-definition") == [
        ("reference-title-mismatch", 5, "Section 3 (Brand Release) names the wrong title: Section 3 is 'Term'")]


def test_register_listing_attachments_by_ordinal(tmp_path: Path) -> None:
    """zh-property-management-1997.txt ends with "附件：一、物业构成细目（略）/ 二、…（略）": the
    attachments are listed (and left out), not cited without being listed."""
    path = tmp_path / "property.txt"
    path.write_text("物业管理委托合同\n第一条 物业\n委托管理的物业构成细目见附件一。\n第二条 质量\n"
                    "服务质量要求见附件二。\n附件：一、物业构成细目（略）\n二、物业管理质量目标（略）\n", encoding="utf-8")
    assert found(path, "dangling-reference", "missing-attachment") == [
        ("missing-attachment", 6, "附件一（物业构成细目） is listed but its content is not in the document"),
        ("missing-attachment", 7, "附件二（物业管理质量目标） is listed but its content is not in the document")]


def test_blank_in_a_quoted_example_or_a_site_include_is_a_warning(tmp_path: Path) -> None:
    """zh-construction-conditions-1991.txt's usage notes quote an example over three lines
    (例如“……合同价款的 ％……”); en-github-sponsors-additional-terms.md has a docs-site include.
    Neither blank is certainly the contract's own; a blank outside the example still is."""
    path = tmp_path / "notes.txt"
    path.write_text("建设工程施工合同\n第一条 预付款\n预付款在本条写明。例如“在合同签订后，甲方应将合同价款的 ％\n"
                    "作为预付工程款，每月扣回 ％”。\n第二条 保修\n保修金为合同价款的 ％。\n", encoding="utf-8")
    assert [(f.line, f.severity) for f in check_file(path) if f.code == "unfilled-placeholder"] == [
        (3, "warning"), (4, "warning"), (6, "error")]
    page = tmp_path / "sponsors.md"
    page.write_text("# Terms\n\n## 1. Contact\n\nContact us at {% data reusables.sponsors.contact %} or {{ email }}.\n",
                    encoding="utf-8")
    assert [(f.severity, f.message) for f in check_file(page) if f.code == "unfilled-placeholder"] == [
        ("warning", "unfilled placeholder '{% data reusables.sponsors.contact %}'"),
        ("error", "unfilled placeholder '{{ email }}'")]
