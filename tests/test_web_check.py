"""The web app's Check page (contractgen.web.check_routes): one contract or a contract set
uploaded, the findings listed in the UI language, the preview page with the findings
marked, the JSON ``check --format json`` gives, and clear messages for unreadable files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from web_client import local_client

from contractgen.checking import as_json, check_file, collect
from contractgen.web import create_app
from contractgen.web.site import WebConfig

from conftest import ROOT, TESTS

SEED = TESTS / "data" / "preview" / "huzhou-contract-zh.txt"
SET = TESTS / "data" / "check" / "sets" / "zh-deleted-article"
GAP = "numbering jumps from 第三条 to 第八条 (4–7 missing)"


def make_client(tmp_path: Path) -> tuple[TestClient, str]:
    config = WebConfig(templates_dir=ROOT / "templates", clauses_dir=ROOT / "clauses", work_dir=tmp_path / "work")
    client = local_client(create_app(config))
    page = client.get("/check")
    assert page.status_code == 200 and 'id="check-files"' in page.text
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def post(client: TestClient, csrf: str, *files: tuple[str, bytes]):
    return client.post("/check", data={"csrf": csrf},
                       files=[("files", (name, content, "application/octet-stream")) for name, content in files])


def listed(html: str) -> list[tuple[str, str]]:
    """(code, message) of every finding in the page's list."""
    return re.findall(r'<li class="finding sev-\w+" data-code="([\w-]+)".*?<span class="finding-message">([^<]*)</span>',
                      html, re.S)


def test_the_seed_contract_shows_its_numbering_gap(tmp_path):
    client, csrf = make_client(tmp_path)
    result = post(client, csrf, (SEED.name, SEED.read_bytes()))
    assert result.status_code == 200 and result.url.path == "/check/result"
    assert ("numbering-gap", GAP) in listed(result.text)
    assert 'id="download-json"' in result.text and 'id="check-preview"' in result.text
    preview = client.get("/check/preview")
    assert preview.status_code == 200 and preview.text.startswith("<!DOCTYPE html>")
    assert re.search(r'class="finding sev-error"[^>]*data-code="numbering-gap"', preview.text)
    assert GAP in preview.text


def test_the_json_is_what_check_prints(tmp_path):
    client, csrf = make_client(tmp_path)
    post(client, csrf, (SEED.name, SEED.read_bytes()))
    response = client.get("/check/findings.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    # check --format json on a copy in a folder like the session's (no config file above it)
    copy = tmp_path / "cli" / SEED.name
    copy.parent.mkdir()
    shutil.copy(SEED, copy)
    expected = json.loads(as_json([(Path(SEED.name), check_file(copy))], lang="en"))
    assert response.json() == expected
    gap = [f for f in response.json()["files"][0]["findings"] if f["code"] == "numbering-gap"]
    assert [(f["line"], f["message"]) for f in gap] == [(104, GAP)]


def test_the_preview_is_the_page_contractgen_preview_writes(tmp_path):
    from contractgen.commands.preview import PreviewSource, render_preview

    client, csrf = make_client(tmp_path)
    post(client, csrf, (SEED.name, SEED.read_bytes()))
    copy = tmp_path / "cli" / SEED.name
    copy.parent.mkdir()
    shutil.copy(SEED, copy)
    assert client.get("/check/preview?lang=en").content == render_preview(PreviewSource(copy))[0]


def test_findings_follow_the_ui_language_and_keep_their_codes(tmp_path):
    client, csrf = make_client(tmp_path)
    post(client, csrf, (SEED.name, SEED.read_bytes()))
    page = client.get("/check/result?lang=zh").text
    gap = dict(listed(page))["numbering-gap"]
    assert gap != GAP and "第三条" in gap and "第八条" in gap
    assert '<code class="rule-code meta">numbering-gap</code>' in page and "检查结果" in page
    data = client.get("/check/findings.json").json()  # the cookie keeps zh
    assert data["message_lang"] == "zh"
    found = next(f for f in data["files"][0]["findings"] if f["code"] == "numbering-gap")
    assert (found["message"], found["message_en"]) == (gap, GAP)
    assert gap in client.get("/check/preview").text


def test_several_files_are_checked_as_one_set(tmp_path):
    client, csrf = make_client(tmp_path)
    result = post(client, csrf, ("main.md", (SET / "main.md").read_bytes()),
                  ("addendum.md", (SET / "addendum.md").read_bytes()))
    assert result.status_code == 200
    assert "A contract set of 2 files" in result.text
    data = client.get("/check/findings.json").json()
    cli = json.loads(as_json(collect([SET / "main.md", SET / "addendum.md"], as_set=True), lang="en"))
    codes = [code for code, _ in listed(result.text)]
    assert codes == [f["code"] for entry in cli["files"] for f in entry["findings"]]
    # the addendum cites 主合同第六条, which the main contract lost: found across the two files
    assert {"numbering-gap", "dangling-reference"} <= set(codes)
    assert [f["path"] for f in data["files"]] == ["main.md", "addendum.md"]
    assert [f["findings"] for f in data["files"]] == [f["findings"] for f in cli["files"]]
    preview = client.get("/check/preview").text
    assert 'data-code="dangling-reference"' in preview and 'data-code="numbering-gap"' in preview


def test_a_docx_contract_is_checked(tmp_path):
    from docx_factory import build_docx, para

    lines = ["服务合同", "第一条 服务内容", "乙方提供服务。", "第三条 费用", "甲方支付费用。"]
    docx = build_docx(tmp_path / "合同.docx", "".join(para(text) for text in lines))
    client, csrf = make_client(tmp_path)
    result = post(client, csrf, ("合同.docx", docx.read_bytes()))
    assert result.status_code == 200 and "<h2 class=\"check-file\">合同.docx</h2>" in result.text
    assert "numbering-gap" in dict(listed(result.text))
    assert client.get("/check/findings.json").json()["files"][0]["path"] == "合同.docx"


def test_two_files_of_the_same_name_do_not_overwrite_each_other(tmp_path):
    client, csrf = make_client(tmp_path)
    result = post(client, csrf, ("contract.md", (SET / "main.md").read_bytes()),
                  ("contract.md", (SET / "addendum.md").read_bytes()))
    assert result.status_code == 200
    assert {"numbering-gap", "dangling-reference"} <= {code for code, _ in listed(result.text)}
    assert [f["path"] for f in client.get("/check/findings.json").json()["files"]] == ["contract.md", "contract.md"]


@pytest.mark.parametrize("name, content, expected", [
    ("broken.docx", b"not a zip archive at all", "broken.docx: not a DOCX file"),
    ("contract.pdf", b"%PDF-1.4", "contract.pdf: not a contract file this app reads"),
    ("set.yaml", b"main: a.md\n", "set.yaml: a contract-set file names other files"),
], ids=["damaged-docx", "pdf", "set-yaml"])
def test_an_unreadable_file_gets_a_clear_message(tmp_path, name, content, expected):
    client, csrf = make_client(tmp_path)
    page = post(client, csrf, (name, content))
    assert page.status_code == 422
    errors = page.text[page.text.index('id="check-errors"'):]
    assert expected in errors
    assert "Traceback" not in page.text and str(tmp_path) not in page.text
    assert not [p for p in (tmp_path / "work").rglob("*") if p.is_file()]


def test_nothing_to_show_before_an_upload(tmp_path):
    client, csrf = make_client(tmp_path)
    assert client.post("/check", data={"csrf": csrf}).status_code == 400
    for path in ("/check/result", "/check/preview", "/check/findings.json"):
        assert client.get(path).status_code == 404


def test_the_chinese_gap_names_the_missing_numbers_and_the_legend_suits_a_phone(tmp_path):
    client, csrf = make_client(tmp_path)
    client.get("/check?lang=zh")
    result = post(client, csrf, (SEED.name, SEED.read_bytes()))
    gap = dict(listed(result.text))["numbering-gap"]
    assert gap == "编号从第三条跳至第八条（缺少编号4–7）"  # not "缺4–7", read as "four to seven missing"
    preview = client.get("/check/preview?lang=zh").text
    assert "缺少编号4–7" in preview
    legend = re.search(r'<p class="legend">([^<]*)</p>', preview)[1]
    assert "触屏" in legend and "悬停" not in legend  # a phone has no hover: the legend says so
    english = client.get("/check/preview?lang=en").text
    assert "touch screen" in re.search(r'<p class="legend">([^<]*)</p>', english)[1]
