"""The template pages of the web app: catalog, form, submit, live preview, downloads and
answers files, through Starlette's TestClient against the repository's real templates."""

from __future__ import annotations

import io
import json
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from web_client import local_client

from conftest import ROOT, SAMPLE
from contractgen.pipeline import load_template
from contractgen.readers import read_path
from contractgen.spec import load_data_file
from contractgen.web import WebConfig, create_app
from contractgen.web.template_routes import content_disposition

HUZHOU = SAMPLE.name
ENGLISH = "services-agreement-en"


class Page(HTMLParser):
    """What a test reads off a form page: the form's values by name, each field's error
    text (inside its .field wrapper), the element ids, the preview's srcdoc."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.ids: dict[str, dict] = {}
        self.field: list[str] = []  # the data-field of the .field wrappers we are inside
        self.in_error = False
        self.select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = dict(a, tag=tag)
        if tag == "div":
            self.field.append(a.get("data-field", ""))
        if tag == "input" and a.get("type") != "file" and "name" in a:
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[a["name"]] = a.get("value", "")
        if tag == "select":
            self.select = a["name"]
        if tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        if tag == "p" and "field-error" in a.get("class", ""):
            self.in_error = True

    def handle_endtag(self, tag):
        if tag == "div" and self.field:
            self.field.pop()
        if tag == "p":
            self.in_error = False
        if tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.in_error:
            owner = next((f for f in reversed(self.field) if f), "")
            self.errors[owner] = self.errors.get(owner, "") + data

    @property
    def preview(self) -> str:
        return self.ids["preview"].get("srcdoc", "")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = create_app(WebConfig(templates_dir=ROOT / "templates", clauses_dir=ROOT / "clauses",
                               work_dir=tmp_path / "work"))
    with local_client(app) as c:
        yield c


def sample_page(client: TestClient, template: str = HUZHOU) -> Page:
    response = client.get(f"/templates/{template}?sample=1")
    assert response.status_code == 200
    return Page(response.text)


def post(client: TestClient, url: str, values: dict[str, str], **kwargs):
    return client.post(url, data=values, files=kwargs.pop("files", {"answers": ("", b"")}), **kwargs)


# -- the catalog and the form ------------------------------------------------------


def test_the_catalog_lists_every_template_with_its_language(client: TestClient) -> None:
    page = client.get("/templates?lang=en")
    assert page.status_code == 200
    rows = Page(page.text).ids
    for folder in sorted((ROOT / "templates").iterdir()):
        spec = load_template(folder).spec
        assert f'href="/templates/{folder.name}"' in page.text and spec.title in page.text
    assert "湖州电商客服系统外包服务合同" in page.text and "中文" in page.text and "English" in page.text
    assert rows["template-list"]["tag"] == "ul"


@pytest.mark.parametrize("template", [HUZHOU, ENGLISH, "consultancy-agreement-gb", "msa-order-form-en"])
def test_the_form_asks_every_schema_field_with_its_label(client: TestClient, template: str) -> None:
    response = client.get(f"/templates/{template}")
    assert response.status_code == 200
    page = Page(response.text)
    spec = load_template(ROOT / "templates" / template).spec
    for name, fs in spec.data.items():
        element_id = "field-" + name.replace(".", "-")
        assert page.ids[element_id]["name"] == name
        assert f'<label for="{element_id}">{fs.label}' in response.text
    assert page.values.get("contract_no", page.values.get("order_no", "")) == ""  # blank until sample is asked


def test_the_huzhou_form_speaks_chinese_and_groups_the_parties(client: TestClient) -> None:
    text = client.get(f"/templates/{HUZHOU}").text
    page = Page(text)
    assert page.ids["group-party_a"]["tag"] == "fieldset" and "<legend>甲方</legend>" in text
    assert "<legend>乙方</legend>" in text and "生成合同" in text and "下载合同" in text
    assert page.ids["field-sign_date"]["type"] == "date"
    assert "CNY" in text and "include:third_party" in text
    assert "Show the contract" in client.get(f"/templates/{HUZHOU}?lang=en").text  # the switch


def test_the_sample_fills_the_form_and_shows_the_contract(client: TestClient) -> None:
    page = sample_page(client)
    raw, _ = load_data_file(SAMPLE / "sample-data.yaml")
    assert page.values["party_a.name"] == raw["party_a"]["name"] and page.values["fee"] == "38000"
    assert "第一条" in page.preview and "本合同第七条" in page.preview


# -- submit ---------------------------------------------------------------------------


def test_a_valid_post_shows_the_preview_with_the_addendum_s_reference(client: TestClient) -> None:
    page = sample_page(client)
    response = post(client, f"/templates/{HUZHOU}", page.values)
    assert response.status_code == 200
    shown = Page(response.text)
    assert "第一条" in shown.preview and "本合同第七条" in shown.preview and "补充协议" in shown.preview
    assert "form-problems" not in shown.ids
    assert shown.ids["preview-status"]["data-count"] == "0"


@pytest.mark.parametrize(("field", "typed", "message", "listed"), [
    ("staff", "十二", "应为整数，实际为“十二”（例如 12）", "客服人员数量：应为整数，实际为“十二”（例如 12）"),
    ("fee", "一万二", "应为数字，实际为“一万二”（例如 30000）", "月服务费：应为数字，实际为“一万二”（例如 30000）"),
    ("party_b.name", "", "必填", "乙方名称：必填"),
])
def test_a_wrong_field_is_422_with_the_message_next_to_it(client: TestClient, field: str, typed: str,
                                                          message: str, listed: str) -> None:
    """Next to the field, the problem without the field's key and label (the field is right
    there); in the preview's list of problems, with the label; never the key or the type."""
    values = dict(sample_page(client).values, **{field: typed})
    response = post(client, f"/templates/{HUZHOU}", values)
    assert response.status_code == 422
    page = Page(response.text)
    assert page.errors == {field: message}
    assert page.ids["field-" + field.replace(".", "-")].get("aria-invalid") == "true"
    assert page.values == values  # every value kept, the wrong one as typed
    shown = unescape(page.preview)
    assert 'id="form-problems"' in shown and listed in shown  # why there is no contract
    assert f"'{field}'" not in shown and "string" not in shown and "'" not in shown.split("<ul>")[1]


def test_an_english_template_says_it_in_english(client: TestClient) -> None:
    values = dict(sample_page(client, ENGLISH).values, fee="twelve")
    response = post(client, f"/templates/{ENGLISH}", values)
    assert response.status_code == 422
    assert Page(response.text).errors == {"fee": "expected a number, got 'twelve' (e.g. 30000)"}


def test_unticking_the_third_party_leaves_the_addendum_out(client: TestClient) -> None:
    values = {k: v for k, v in sample_page(client).values.items() if k != "include:third_party"}
    page = Page(post(client, f"/templates/{HUZHOU}", values).text)
    assert "第一条" in page.preview and "补充协议（第三方介入）" not in page.preview
    assert page.ids["fields-group-third_party"].get("hidden") == ""  # its fields hidden, their values kept
    assert page.values["third_party.name"] == "浙江数衡信息技术咨询有限公司"


@pytest.fixture
def arbitration_client(tmp_path: Path) -> TestClient:
    root = tmp_path / "root"
    shutil.copytree(ROOT / "clauses", root / "clauses")
    shutil.copytree(SAMPLE, root / "templates" / HUZHOU)
    spec = root / "templates" / HUZHOU / "contract.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("parts:\n", (
        "  arbitration: {type: boolean, required: false, label: 约定仲裁}\n"
        "  arbitration_body: {type: string, required_when: arbitration, label: 仲裁机构}\n"
        "parts:\n"), 1), encoding="utf-8")
    app = create_app(WebConfig(templates_dir=root / "templates", clauses_dir=root / "clauses",
                               work_dir=tmp_path / "work"))
    with local_client(app) as c:
        yield c


@pytest.mark.parametrize(("ticked", "status", "hidden", "errors"), [
    (False, 200, True, {}),
    (True, 422, False, {"arbitration_body": "必填"}),  # asked only when it applies: required, then
])
def test_a_when_question_is_absent_or_present(arbitration_client: TestClient, ticked: bool, status: int,
                                              hidden: bool, errors: dict) -> None:
    sample = sample_page(arbitration_client)
    assert sample.values["arbitration"] == "false"  # the sample says nothing: not asked
    assert "hidden" in sample.ids["wrap-field-arbitration_body"]
    values = sample.values
    values = dict(values, arbitration="true" if ticked else "false", arbitration_body="")
    response = post(arbitration_client, f"/templates/{HUZHOU}", values)
    assert response.status_code == status
    page = Page(response.text)
    assert ("hidden" in page.ids["wrap-field-arbitration_body"]) is hidden
    assert page.ids["wrap-field-arbitration_body"]["data-when"] == "arbitration"
    assert page.errors == errors


# -- live preview -----------------------------------------------------------------------


def test_the_preview_endpoint_returns_the_preview_page(client: TestClient) -> None:
    page = sample_page(client)
    token = page.values["csrf"]
    response = client.post(f"/templates/{HUZHOU}/preview", data=page.values, headers={"X-CSRF-Token": token})
    assert response.status_code == 200 and response.headers["x-findings"] == "0"
    assert response.text.startswith("<!DOCTYPE html>") and 'class="panel"' in response.text  # findings panel
    assert "本合同第七条" in response.text
    bad = client.post(f"/templates/{HUZHOU}/preview", data=dict(page.values, staff="十二"))
    assert bad.status_code == 422 and bad.headers["x-problems"] == "1"
    assert "客服人员数量" in bad.text and "应为整数" in bad.text


def test_the_preview_needs_the_csrf_token(client: TestClient) -> None:
    values = {k: v for k, v in sample_page(client).values.items() if k != "csrf"}
    assert client.post(f"/templates/{HUZHOU}/preview", data=values).status_code == 403


# -- downloads ----------------------------------------------------------------------------


def _articles(path: Path) -> list[tuple[str, str]]:
    main = next(p for p in read_path(path).parts if p.kind == "main")
    return [(c.number_text, c.title) for c in main.clauses() if c.level == 1]


@pytest.mark.parametrize(("template", "first", "name"), [
    (HUZHOU, "第一条", "HZCS-2024-001-湖州织里优选电子商务有限公司.docx"),
    (ENGLISH, "Article 1", "MSA-2024-017-Northwind Trading Ltd.docx"),
])
def test_the_docx_download_reads_back_with_its_articles(client: TestClient, tmp_path: Path, template: str,
                                                        first: str, name: str) -> None:
    response = post(client, f"/templates/{template}/download?format=docx", sample_page(client, template).values)
    assert response.status_code == 200
    assert response.headers["content-type"] == ("application/vnd.openxmlformats-officedocument"
                                                 ".wordprocessingml.document")
    disposition = response.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
    path = tmp_path / "download.docx"
    path.write_bytes(response.content)
    articles = _articles(path)
    assert articles[0][0] == first and len(articles) >= 8
    built = tmp_path / "built"
    from contractgen.pipeline import build_from_files, render_outputs

    built.write_bytes(render_outputs(build_from_files(ROOT / "templates" / template,
                                                      ROOT / "templates" / template / "sample-data.yaml")[2].doc,
                                     ["docx"])[0][1])
    assert articles == _articles(built.rename(built.with_suffix(".docx")))  # the build's contract


@pytest.mark.parametrize(("fmt", "media", "text"), [
    ("md", "text/markdown; charset=utf-8", "第一条"), ("html", "text/html; charset=utf-8", "本合同第七条")])
def test_markdown_and_html_downloads(client: TestClient, fmt: str, media: str, text: str) -> None:
    response = post(client, f"/templates/{HUZHOU}/download?format={fmt}", sample_page(client).values)
    assert response.status_code == 200 and response.headers["content-type"] == media
    assert text in response.text and response.headers["content-disposition"].startswith("attachment;")


def test_a_download_of_wrong_answers_is_the_form_again(client: TestClient) -> None:
    response = post(client, f"/templates/{HUZHOU}/download?format=docx", dict(sample_page(client).values, staff="x"))
    assert response.status_code == 422 and "content-disposition" not in response.headers
    assert "staff" in Page(response.text).errors


@pytest.mark.parametrize(("name", "fallback"), [
    ("HZCS-2024-001-湖州织里优选电子商务有限公司.docx", "HZCS-2024-001.docx"),
    ('a"b\\c/../evil.md', "evil.md"),
    ("甲方.docx", "contract.docx"),
    ("Northwind Trading Ltd.docx", "Northwind_Trading_Ltd.docx"),
])
def test_content_disposition_is_safe_and_keeps_the_name(name: str, fallback: str) -> None:
    header = content_disposition(name)
    assert header.startswith(f'attachment; filename="{fallback}"; filename*=UTF-8\'\'')
    full = unquote(header.split("''", 1)[1])
    assert "/" not in full and '"' not in full and "\\" not in full and full.endswith(name.rsplit("/", 1)[-1])


# -- answers files -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_answers_round_trip(client: TestClient, fmt: str) -> None:
    values = dict(sample_page(client).values, contract_no="007", fee="1,234.50")
    saved = post(client, f"/templates/{HUZHOU}/answers?format={fmt}", values)
    assert saved.status_code == 200 and saved.headers["content-disposition"].endswith(f"-data.{fmt}")
    if fmt == "json":
        assert json.loads(saved.content)["party_a"]["name"] == "湖州织里优选电子商务有限公司"
    blank = Page(client.get(f"/templates/{HUZHOU}").text).values
    loaded = post(client, f"/templates/{HUZHOU}/load", blank,
                  files={"answers": (f"mine.{fmt}", io.BytesIO(saved.content), "application/octet-stream")})
    assert loaded.status_code == 200
    page = Page(loaded.text)
    assert {k: page.values[k] for k in values if k != "csrf"} == {k: v for k, v in values.items() if k != "csrf"}
    assert "第一条" in page.preview


@pytest.mark.parametrize(("filename", "content", "status", "message"), [
    ("bad.yaml", b"party_a: [unclosed\n", 400, "bad.yaml:"),
    ("list.json", b"[1, 2]", 400, "list.json:1: expected a mapping"),
    ("notes.txt", b"hello", 400, "notes.txt"),
    ("", b"", 400, "YAML"),
    ("wrong.yaml", "staff: 十二\n".encode(), 422, "staff"),
])
def test_a_bad_answers_file_says_why_and_keeps_the_form(client: TestClient, tmp_path: Path, filename: str,
                                                        content: bytes, status: int, message: str) -> None:
    values = sample_page(client).values
    response = post(client, f"/templates/{HUZHOU}/load?lang=en", values,
                    files={"answers": (filename, io.BytesIO(content), "application/octet-stream")})
    assert response.status_code == status
    assert message in response.text and "Traceback" not in response.text
    assert str(tmp_path) not in response.text  # no server paths
    if status == 400:
        assert Page(response.text).values == values


def test_findings_are_marked_and_counted_and_an_error_stops_the_download(client: TestClient) -> None:
    """A placeholder typed as an answer is what check reports in any contract: the preview
    shows the finding in the contract's language, and, as build writes nothing, nothing
    is downloaded. The address is printed twice — in the parties' table of the generated
    cover and in the Word cover page (word/cover.docx) — and each place is a finding."""
    values = dict(sample_page(client).values, **{"party_a.address": "（待填）"})
    preview = client.post(f"/templates/{HUZHOU}/preview", data=values)
    assert preview.status_code == 200 and preview.headers["x-findings"] == "2"
    assert 'data-code="unfilled-placeholder"' in preview.text and "检查结果：2个错误" in preview.text
    page = Page(post(client, f"/templates/{HUZHOU}", values).text)
    assert page.ids["preview-status"]["data-count"] == "2"
    refused = post(client, f"/templates/{HUZHOU}/download?format=docx", values)
    assert refused.status_code == 422 and "content-disposition" not in refused.headers
    assert "检查发现合同中有 2 个错误（见预览），未下载任何文件。" in refused.text


# -- descriptions, currencies, the language switch -------------------------------------------


class Cards(HTMLParser):
    """The catalog's cards: the template id -> the text of its card."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, str] = {}
        self.current = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and "data-template" in a:
            self.current = a["data-template"]
            self.cards[self.current] = ""

    def handle_endtag(self, tag):
        if tag == "li":
            self.current = ""

    def handle_data(self, data):
        if self.current:
            self.cards[self.current] += data


def test_the_catalog_shows_each_template_s_description(client: TestClient) -> None:
    cards = Cards(client.get("/templates?lang=en").text).cards
    for folder in (ROOT / "templates").iterdir():
        description = load_template(folder).spec.description
        assert description and description in " ".join(cards[folder.name].split()), folder.name
    # The two "Master Services Agreement" cards are told apart by what they say, not by slugs.
    msa = [card for card in cards.values() if "Master Services Agreement" in card]
    assert len(msa) == 2 and len(set(msa)) == 2
    page = client.get(f"/templates/{HUZHOU}").text
    assert load_template(SAMPLE).spec.description in page  # under the form's title too


def test_a_template_without_a_description_shows_its_part_titles(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / ENGLISH, root / ENGLISH)
    spec = root / ENGLISH / "contract.yaml"
    spec.write_text("".join(line for line in spec.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("description:")), encoding="utf-8")
    with local_client(create_app(WebConfig(templates_dir=root, clauses_dir=ROOT / "clauses",
                                           work_dir=tmp_path / "work"))) as c:
        card = Cards(c.get("/templates").text).cards[ENGLISH]
    assert "Statement of Work" in card and "Fee Schedule" in card


def test_a_description_must_be_text(tmp_path: Path) -> None:
    from contractgen.diagnostics import InputErrors
    from contractgen.spec import load_spec

    folder = tmp_path / ENGLISH
    shutil.copytree(ROOT / "templates" / ENGLISH, folder)
    spec = folder / "contract.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("\ndescription: ", "\ndescription:\n  - ", 1), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_spec(folder)
    assert [f.message for f in exc.value.findings if "description" in f.message]


def test_an_amount_shows_its_currency_as_the_contract_prints_it_and_may_be_typed_with_it(client: TestClient) -> None:
    gb = "consultancy-agreement-gb"
    page = sample_page(client, gb)
    assert '<span class="currency" data-currency="GBP" title="GBP">£</span>' in client.get(f"/templates/{gb}").text
    response = post(client, f"/templates/{gb}", dict(page.values, day_rate="£1,200"))
    assert response.status_code == 200, Page(response.text).errors
    assert "£1,200" in Page(response.text).preview and Page(response.text).values["day_rate"] == "£1,200"
    zh = client.get(f"/templates/{HUZHOU}").text
    assert 'data-currency="CNY" title="CNY">人民币</span>' in zh
    assert 'data-currency="CNY" title="CNY">CNY</span>' in client.get(f"/templates/{HUZHOU}?lang=en").text
    huzhou = sample_page(client)
    for typed in ("¥38,000", "人民币38000元"):
        assert post(client, f"/templates/{HUZHOU}", dict(huzhou.values, fee=typed)).status_code == 200, typed


def test_the_language_switch_keeps_every_answer(client: TestClient) -> None:
    """form.js posts the form to /language: the same answers come back in the other language."""
    values = dict(sample_page(client).values, fee="三万元", **{"party_a.name": "湖州某某电子商务有限公司"})
    del values["contract_no"]  # half filled in: nothing is lost, nothing is marked
    response = post(client, f"/templates/{HUZHOU}/language?lang=en", values, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/templates/{HUZHOU}?lang=en"
    shown = client.get(response.headers["location"])
    assert shown.status_code == 200 and "Show the contract" in shown.text
    page = Page(shown.text)
    assert page.values["ui_lang"] == "en" and page.values["contract_no"] == ""
    del values["ui_lang"]
    assert {k: v for k, v in page.values.items() if k in values} == values
    assert page.errors == {} and page.ids["template-form"].get("data-restored") == "1"
    assert page.ids["template-form"]["data-language-url"] == f"/templates/{HUZHOU}/language"


def test_without_javascript_the_switch_link_keeps_the_answers_last_posted(client: TestClient) -> None:
    values = sample_page(client).values
    assert post(client, f"/templates/{HUZHOU}", values).status_code == 200
    page = Page(client.get(f"/templates/{HUZHOU}?lang=en").text)  # the nav's plain link
    assert dict(page.values, ui_lang="zh") == values and page.values["ui_lang"] == "en" and "第一条" in page.preview
    assert Page(client.get(f"/templates/{ENGLISH}?lang=en").text).values.get("contract_no") == ""  # per template


def test_a_new_session_s_switch_gives_a_blank_form(client: TestClient, tmp_path: Path) -> None:
    post(client, f"/templates/{HUZHOU}", sample_page(client).values)
    app = create_app(WebConfig(templates_dir=ROOT / "templates", clauses_dir=ROOT / "clauses",
                               work_dir=tmp_path / "other"))
    with local_client(app) as other:
        assert Page(other.get(f"/templates/{HUZHOU}?lang=en").text).values.get("contract_no") == ""
