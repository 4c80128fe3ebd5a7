"""The web app as a person uses it: Debian's Chromium (Playwright) against `contractgen
serve`'s application on a free 127.0.0.1 port, over copies of templates/ and clauses/.

Each test is one task of issue 16's "Done when": fill a template's form (one field wrong
first), see the contract in the live preview, download the DOCX and read it back; a batch
with a bad row; Check on the seed contract; the UI language switch.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from contractgen.model import Clause, Paragraph, plain_text
from contractgen.readers.docx import read_docx

from preview_support import LEGACY
from web_support import ENGLISH, HUZHOU, WEB_DATA, browser, new_page, serving, serving_cli  # noqa: F401

pytestmark = pytest.mark.e2e

BATCH_CSV = WEB_DATA / "batch-20-rows.csv"
# The Huzhou sample's answers as a person types them (the addendum's third party included).
HUZHOU_ANSWERS = {
    "contract_no": "WEB-2025-101", "party_a.name": "湖州织里优选电子商务有限公司",
    "party_a.address": "浙江省湖州市吴兴区织里镇栋梁路1288号", "party_a.rep": "沈建明",
    "party_b.name": "杭州云联客服科技有限公司", "party_b.address": "浙江省杭州市余杭区五常街道文一西路998号",
    "party_b.rep": "周晓岚", "fee": "38,000", "staff": "12", "sign_date": "2024-03-01",
    "sign_place": "浙江省湖州市吴兴区", "third_party.name": "浙江数衡信息技术咨询有限公司",
    "third_party.address": "浙江省湖州市南浔区南浔镇人瑞路66号", "third_party.rep": "钱立新",
}
ENGLISH_ANSWERS = {
    "contract_no": "MSA-2025-042", "customer.name": "Northwind Trading Ltd",
    "customer.address": "12 Harbour Road, Wan Chai, Hong Kong", "provider.name": "Bluebird Support Services Pte Ltd",
    "provider.address": "80 Robinson Road, Singapore 068898", "fee": "12,500.00", "start_date": "2024-04-01",
    "governing_law": "Singapore",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("web-e2e")) as served:
        yield served


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


def download(page, link, dest: Path) -> Path:
    """Click ``link`` and save what the browser downloads to ``dest``."""
    with page.expect_download() as info:
        link.click()
    info.value.save_as(str(dest))
    return dest


def field(page, name: str):
    return page.locator(f'#template-form [name="{name}"]:not([type="hidden"])')


def fill_form(page, answers: dict[str, str]) -> None:
    if any(name.startswith("third_party.") for name in answers):
        page.check("#include-third_party")  # the addendum's questions appear
    for name, value in answers.items():
        field(page, name).fill(value)


def preview(page):
    return page.frame_locator("#preview")


def read_back(docx: Path) -> tuple[list[tuple[str, str, str]], str]:
    """What our DOCX reader finds: (part kind, number, title and text) of each clause, and
    the text of every paragraph and clause."""
    doc = read_docx(docx)
    clauses = [(part.kind, block.number_text, f"{block.title} {plain_text(block.text)}".strip())
               for part, block in doc.blocks() if isinstance(block, Clause)]
    text = "\n".join(plain_text(block.text) for _, block in doc.blocks() if isinstance(block, (Clause, Paragraph)))
    return clauses, text


# -- templates -----------------------------------------------------------------------------


def test_huzhou_form_shows_the_error_next_to_the_field_then_builds_and_downloads(page, site, tmp_path: Path) -> None:
    page.goto(site.to("/templates"))
    page.click(f'a[href="/templates/{HUZHOU}"]')
    page.wait_for_url(re.compile(HUZHOU + "$"))
    fill_form(page, {**HUZHOU_ANSWERS, "staff": "十二"})  # a count in words: not a whole number
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(HUZHOU)) as answer:
        page.click("#submit-form")
    assert answer.value.status == 422
    error = page.locator("#error-field-staff")
    assert error.is_visible() and "十二" in error.inner_text()
    assert page.locator("#wrap-field-staff").evaluate("e => e.classList.contains('invalid')")
    # The message sits next to its field: just below the input, in the same box.
    box, below = field(page, "staff").bounding_box(), error.bounding_box()
    assert 0 <= below["y"] - (box["y"] + box["height"]) < 60
    assert page.locator(".field-error").count() == 1
    # Every other value is kept as typed.
    for name, value in HUZHOU_ANSWERS.items():
        if name != "staff":
            assert field(page, name).input_value() == value, name
    assert field(page, "staff").input_value() == "十二"
    field(page, "staff").fill("12")
    page.click("#submit-form")
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 0
    contract = preview(page)
    first = contract.locator("h3").first
    first.wait_for()
    assert first.inner_text().replace("\n", " ").startswith("第一条")
    cite = contract.locator("section.part-addendum a.ref", has_text="本合同第七条").first
    assert cite.get_attribute("href") == "#dispute-resolution"
    assert contract.locator("#dispute-resolution").inner_text().startswith("第七条")
    docx = download(page, page.locator("#download-docx"), tmp_path / "huzhou.docx")
    found, text = read_back(docx)
    assert ("main", "第一条", "定义与解释") in found
    assert any(kind == "addendum" and "本合同第七条" in clause for kind, _, clause in found)
    assert "湖州织里优选电子商务有限公司" in text and "WEB-2025-101" in text


def test_huzhou_preview_follows_the_form_as_it_is_typed(page, site) -> None:
    page.goto(site.to(f"/templates/{HUZHOU}"))
    fill_form(page, HUZHOU_ANSWERS)
    contract = preview(page)
    contract.locator("h3").first.wait_for()  # built without pressing a button
    assert "湖州织里优选电子商务有限公司" in contract.locator("body").inner_text()
    field(page, "party_a.name").fill("湖州南浔丝韵家纺电子商务有限公司")
    contract.locator("text=湖州南浔丝韵家纺电子商务有限公司").first.wait_for()
    field(page, "fee").fill("一万")  # a problem while typing: the preview says so, the form stays
    contract.locator("#form-problems").wait_for()
    assert "一万" in contract.locator("#form-problems").inner_text()
    assert field(page, "party_a.name").input_value() == "湖州南浔丝韵家纺电子商务有限公司"


def test_english_form_builds_and_downloads(page, site, tmp_path: Path) -> None:
    page.goto(site.to(f"/templates/{ENGLISH}"))
    assert page.locator("#template-form").get_attribute("lang") == "en"
    fill_form(page, {**ENGLISH_ANSWERS, "fee": "twelve thousand"})
    page.click("#submit-form")
    error = page.locator("#error-field-fee")
    assert error.is_visible() and "twelve thousand" in error.inner_text()
    assert field(page, "customer.name").input_value() == "Northwind Trading Ltd"
    field(page, "fee").fill(ENGLISH_ANSWERS["fee"])
    page.click("#submit-form")
    page.wait_for_load_state()
    contract = preview(page)
    first = contract.locator("h3").first
    first.wait_for()
    assert first.inner_text().replace("\n", " ").startswith("Article 1")
    cite = contract.locator("a.ref", has_text="Article 3").first
    assert cite.get_attribute("href") == "#fees"
    docx = download(page, page.locator("#download-docx"), tmp_path / "english.docx")
    found, text = read_back(docx)
    assert ("main", "Article 1", "Definitions and Interpretation") in found
    assert "Northwind Trading Ltd" in text and "MSA-2025-042" in text
    md = download(page, page.locator("#download-md"), tmp_path / "english.md").read_text("utf-8")
    assert "Article 1" in md and "Northwind Trading Ltd" in md


def test_answers_saved_as_yaml_load_back_into_a_blank_form(page, site, tmp_path: Path) -> None:
    page.goto(site.to(f"/templates/{HUZHOU}"))
    fill_form(page, HUZHOU_ANSWERS)
    saved = download(page, page.locator("#save-yaml"), tmp_path / "answers.yaml")
    import yaml

    data = yaml.safe_load(saved.read_text("utf-8"))
    assert data["party_a"]["name"] == HUZHOU_ANSWERS["party_a.name"] and str(data["staff"]) == "12"
    page.goto(site.to(f"/templates/{HUZHOU}"))
    assert field(page, "party_a.name").input_value() == ""
    page.set_input_files("#answers-file", str(saved))
    page.click("#load-answers")
    page.wait_for_load_state()
    for name, value in HUZHOU_ANSWERS.items():
        if name not in ("fee",):  # 38,000 comes back as the number 38000
            assert field(page, name).input_value() == value, name
    assert field(page, "fee").input_value().replace(",", "") == "38000"
    assert page.locator("#include-third_party").is_checked()
    preview(page).locator("#dispute-resolution").wait_for()
    html = download(page, page.locator("#download-html"), tmp_path / "huzhou.html").read_text("utf-8")
    assert "本合同第七条" in html and "<script" not in html


# -- batch ---------------------------------------------------------------------------------


def test_batch_with_a_bad_row_gives_19_documents_and_a_manifest_naming_row_8(page, site, tmp_path: Path) -> None:
    page.goto(site.to("/batch"))
    page.select_option("#batch-template", "huzhou-cs-outsourcing")
    page.set_input_files("#batch-file", str(BATCH_CSV))
    page.click("#batch-upload")
    # The dry run: 20 rows, one with a problem, and the problem is row 8's fee.
    summary = page.locator("#dry-run-summary")
    assert re.search(r"\b20\b", summary.inner_text()) and re.search(r"\b19\b", summary.inner_text())
    problems = page.locator("#dry-run-problems tbody tr")
    assert problems.count() == 1
    assert problems.first.get_attribute("data-row") == "8"
    assert "三万六千" in problems.first.inner_text() and "fee" in problems.first.inner_text()
    page.click("#batch-start")
    link = page.locator("#batch-download")
    link.wait_for(timeout=120_000)  # batch.js polls, then reloads the finished page
    assert page.locator("#batch-progress").evaluate("p => p.value === p.max")
    assert page.locator('#batch-failures li[data-row="8"]').count() == 1
    archive = zipfile.ZipFile(download(page, link, tmp_path / "batch.zip"))
    names = archive.namelist()
    documents = [n for n in names if n.endswith(".docx")]
    assert len(documents) == 19
    assert not any(n.startswith("WEB-2025-007") for n in documents)  # data row 7 = CSV row 8
    manifest_name = next(n for n in names if n.rsplit("/", 1)[-1] == "manifest.csv")
    rows = list(csv.DictReader(io.StringIO(archive.read(manifest_name).decode("utf-8-sig"))))
    assert len(rows) == 20
    failed = [r for r in rows if r["status"] != "ok"]
    assert [(r["row"], r["status"]) for r in failed] == [("8", "failed")]
    assert "三万六千" in failed[0]["message"]
    for document in documents:  # each is a Word file our reader takes back
        assert archive.read(document)[:2] == b"PK"


def test_batch_refuses_a_file_that_is_not_a_sheet(page, site, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.pdf"
    bogus.write_bytes(b"%PDF-1.4 not rows")
    page.goto(site.to("/batch"))
    page.set_input_files("#batch-file", str(bogus))
    response_status = []
    page.on("response", lambda r: response_status.append(r.status) if r.request.method == "POST" else None)
    page.click("#batch-upload")
    assert "notes.pdf" in page.locator("#batch-errors").inner_text()
    assert response_status and response_status[-1] == 422
    assert page.locator("#batch-template").count() == 1  # the form is still there to try again


# -- check ---------------------------------------------------------------------------------


def test_check_of_the_seed_contract_shows_the_numbering_gap(page, site, tmp_path: Path) -> None:
    page.goto(site.to("/check"))
    page.set_input_files("#check-files", str(LEGACY))
    page.click("#check-submit")
    page.wait_for_url(re.compile(r"/check/result"))
    gap = page.locator('#check-findings li[data-code="numbering-gap"]')
    assert gap.count() == 1
    assert gap.get_attribute("data-line") == "104"
    assert "第三条" in gap.inner_text()
    assert re.search(r"\d+", page.locator("#check-summary").inner_text())
    # The marked-up contract beside the list shows the same finding at its article.
    frame = page.frame_locator("#check-preview")
    mark = frame.locator('.finding[data-code="numbering-gap"]')
    mark.wait_for()
    assert mark.locator("xpath=ancestor::*[@data-line][1]").get_attribute("data-line") == "104"
    # The findings as JSON.
    import json

    report = json.loads(download(page, page.locator("#download-json"), tmp_path / "findings.json").read_text("utf-8"))
    text = json.dumps(report, ensure_ascii=False)
    assert '"numbering-gap"' in text


# -- language ------------------------------------------------------------------------------


def test_switching_the_ui_language_turns_the_labels_chinese_and_it_sticks(page, site) -> None:
    page.goto(site.to("/"))
    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.locator(".site-nav")
    assert "Templates" in nav.inner_text() and "Batch" in nav.inner_text()
    page.click(".lang-switch")
    page.wait_for_url(re.compile(r"lang=zh"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    chinese = nav.inner_text()
    assert "Templates" not in chinese and "Batch" not in chinese
    assert re.search(r"[\u4e00-\u9fff]{2}", chinese)
    # The choice is kept: the next page, without ?lang=, is Chinese too.
    page.goto(site.to("/batch"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "Upload" not in page.locator("#batch-upload").inner_text()
    # Findings speak the UI language too, their rule codes kept beside them.
    page.goto(site.to("/check"))
    page.set_input_files("#check-files", str(LEGACY))
    page.click("#check-submit")
    page.wait_for_url(re.compile(r"/check/result"))
    gap = page.locator('#check-findings li[data-code="numbering-gap"]')
    assert "numbering-gap" in gap.locator(".rule-code").inner_text()
    message = gap.locator(".finding-message").inner_text()
    assert re.search(r"[\u4e00-\u9fff]", message.replace("第三条", "").replace("第八条", "")), message
    assert not re.search(r"\b(the|missing|numbering)\b", message, re.I), message
    page.click(".lang-switch")
    page.wait_for_url(re.compile(r"lang=en"))
    assert "Findings" in page.locator("h1").inner_text()


def test_switching_the_language_on_a_filled_form_keeps_every_answer(page, site) -> None:
    """The trial's data loss: the switch in the nav was a plain link, and the form came back
    empty. It now posts the form: the same answers, the labels in the other language."""
    page.goto(site.to(f"/templates/{HUZHOU}?lang=zh"))
    answers = {**HUZHOU_ANSWERS, "fee": "三万元"}  # one wrong answer: it is kept too
    del answers["contract_no"]  # and one not given yet
    fill_form(page, answers)
    assert page.locator("#submit-form").inner_text() != "Show the contract"
    page.click(".lang-switch")
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("#submit-form").inner_text() == "Show the contract"
    for name, value in answers.items():
        assert field(page, name).input_value() == value, name
    assert field(page, "contract_no").input_value() == ""
    assert page.locator("#include-third_party").is_checked()
    assert page.locator(".field-error").count() == 0  # not asked for the contract: nothing marked
    preview(page).locator("#form-problems").wait_for()  # the preview says why there is no contract
    field(page, "contract_no").fill("WEB-2025-102")
    field(page, "fee").fill("¥38,000")  # with the currency the form shows: read as the number
    preview(page).locator("text=WEB-2025-102").first.wait_for()
    page.click(".lang-switch")  # and back: still everything
    page.wait_for_url(re.compile(r"lang=zh"))
    assert field(page, "fee").input_value() == "¥38,000"
    assert field(page, "contract_no").input_value() == "WEB-2025-102"
    assert page.locator("#submit-form").inner_text() == "生成合同"


# -- the command itself --------------------------------------------------------------------


def test_contractgen_serve_with_a_token_lets_in_only_the_address_it_printed(browser, tmp_path: Path) -> None:
    with serving_cli(tmp_path, "--token", "s3cret-token") as served:
        assert served.url.startswith("http://127.0.0.1:")
        page = new_page(browser)
        try:
            refused = page.goto(served.to("/templates"))
            assert refused.status == 401
            assert page.locator("a[href^='/templates/']").count() == 0
            # The printed address (with ?token=) lets the browser in; the cookie keeps it in.
            page.goto(served.to("/?token=s3cret-token"))
            assert "token" not in page.url
            page.click("a[href='/templates']")
            assert page.locator(f"a[href='/templates/{HUZHOU}']").count() >= 1
        finally:
            page.context.close()
