"""The web app with a bilingual template: the form asks each translated field in both
languages, next to each other; the preview shows both texts numbered alike; a wrong
English value is named next to its field; the DOCX download holds both texts."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from web_client import local_client
from contractgen.web import WebConfig, create_app

from test_web_templates import Page, post

FIXTURE = Path(__file__).parent / "data" / "bilingual-template"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE / "clauses", root / "clauses")
    shutil.copytree(FIXTURE / "mini", root / "templates" / "mini")
    shutil.copy(root / "templates" / "mini" / "data.yaml", root / "templates" / "mini" / "sample-data.yaml")
    app = create_app(WebConfig(templates_dir=root / "templates", clauses_dir=root / "clauses",
                               work_dir=tmp_path / "work"))
    with local_client(app) as c:
        yield c


def _sample_values(client: TestClient) -> dict[str, str]:
    response = client.get("/templates/mini?sample=1")
    assert response.status_code == 200
    return Page(response.text).values


def test_the_form_asks_a_translated_field_in_both_languages_side_by_side(client: TestClient) -> None:
    text = client.get("/templates/mini").text
    page = Page(text)
    assert page.ids["field-buyer-name"]["name"] == "buyer.name"
    assert page.ids["field-buyer-name_en"]["name"] == "buyer.name_en"
    assert '<label for="field-buyer-name_en">买方名称（英文）' in text
    assert text.index('id="field-buyer-name"') < text.index('id="field-buyer-name_en"') < text.index(
        'id="field-seller-name"')


def test_the_preview_shows_both_texts_numbered_alike(client: TestClient) -> None:
    values = _sample_values(client)
    response = post(client, "/templates/mini", values)
    assert response.status_code == 200
    preview = Page(response.text).preview
    for text in ("第一条", "Article 1", "第三条", "Article 3", "附件一", "Schedule 1",
                 "Blue River Industries GmbH", "德国蓝河工业有限公司", "以中文文本为准", "the Chinese text shall prevail"):
        assert text in preview, text


def test_a_missing_english_value_is_named_next_to_its_field(client: TestClient) -> None:
    values = dict(_sample_values(client), **{"seller.name_en": ""})
    response = post(client, "/templates/mini", values)
    assert response.status_code == 422
    page = Page(response.text)
    assert page.errors.get("seller.name_en")


def test_the_docx_download_holds_both_texts(client: TestClient) -> None:
    response = post(client, "/templates/mini/download?format=docx", _sample_values(client))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "上海华东精密机械有限公司" in body and "Shanghai Huadong Precision Machinery Co., Ltd." in body
    assert "以中文文本为准" in body and "the Chinese text shall prevail" in body


def test_saved_answers_keep_both_languages(client: TestClient) -> None:
    response = post(client, "/templates/mini/answers?format=yaml", _sample_values(client))
    assert response.status_code == 200
    saved = yaml.safe_load(response.content.decode("utf-8"))
    assert saved["buyer"] == {"name": "上海华东精密机械有限公司", "name_en": "Shanghai Huadong Precision Machinery Co., Ltd."}
