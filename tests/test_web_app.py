"""The web app's frame: the home page, the template catalog, the UI labels and language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import ROOT
from contractgen.web import WebConfig, create_app
from contractgen.web import labels

TEMPLATES = ROOT / "templates"
CLAUSES = ROOT / "clauses"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(WebConfig(templates_dir=TEMPLATES, clauses_dir=CLAUSES, work_dir=tmp_path)))


def test_home_page_lists_the_sections_and_the_templates(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for href in ("/templates", "/batch", "/check", "/clauses"):
        assert f'href="{href}"' in page.text
    assert "湖州电商客服系统外包服务合同" in page.text
    assert 'href="/templates/huzhou-cs-outsourcing"' in page.text
    assert '<link rel="stylesheet" href="/static/app.css">' in page.text
    assert client.get("/static/app.css").status_code == 200


def test_the_ui_switches_to_chinese_and_keeps_it(client: TestClient) -> None:
    assert ">Templates<" in client.get("/").text
    zh = client.get("/?lang=zh")
    assert '<html lang="zh-CN">' in zh.text and ">模板<" in zh.text and ">English<" in zh.text
    assert ">模板<" in client.get("/").text  # the cookie keeps the choice
    assert ">Templates<" in client.get("/?lang=en").text


def test_accept_language_decides_without_a_choice(client: TestClient) -> None:
    assert ">条款库<" in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert ">Clauses<" in client.get("/", headers={"Accept-Language": "en-GB,en"}).text


def test_every_base_label_has_a_chinese_translation() -> None:
    zh = labels.catalog("zh")
    for msgid in ("Templates", "Batch", "Check", "Clauses", "Not found", "Something went wrong"):
        assert zh.get(msgid) and zh[msgid] != msgid
    assert labels.label("Status {code}", "zh", code=404) == "状态码 404"
    assert labels.label("Status {code}", "en", code=404) == "Status 404"
