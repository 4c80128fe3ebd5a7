"""The web app's Batch page (contractgen.web.batch_routes): upload, dry run per row, a run
in the background with a status endpoint, the zip of documents and manifest, the limits."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from web_client import local_client

from contractgen.batch import manifest as mf
from contractgen.web import create_app, jobs
from contractgen.web.site import WebConfig

from batchdata import INVALID_ROW, PARTIES, SAMPLE, sample_rows, write_csv
from conftest import ROOT

TEMPLATE = SAMPLE.name


def make_client(tmp_path: Path, **limits) -> tuple[TestClient, str]:
    config = WebConfig(templates_dir=ROOT / "templates", clauses_dir=ROOT / "clauses",
                       work_dir=tmp_path / "work", **limits)
    client = local_client(create_app(config))
    page = client.get("/batch")
    assert page.status_code == 200
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def upload(client: TestClient, csrf: str, name: str, content: bytes, template: str = TEMPLATE):
    """Post the file; once accepted (303), wait for its dry run and give the page showing it."""
    response = client.post("/batch", data={"csrf": csrf, "template": template},
                           files={"file": (name, content, "application/octet-stream")}, follow_redirects=False)
    if response.status_code != 303:
        return response
    assert response.headers["location"] == "/batch"
    assert wait_for(client)["status"] == "done"
    return client.get("/batch")


def wait_for(client: TestClient, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get("/batch/status").json()
        if state["status"] != "running":
            return state
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def dry_run_rows(html: str) -> dict[int, str]:
    return {int(row): cell for row, cell in
            re.findall(r'<tr data-row="(\d+)"><td>\d+</td><td>[^<]*</td><td>([^<]*)</td></tr>', html)}


def test_a_bad_row_is_listed_by_the_dry_run_and_the_others_are_zipped(tmp_path):
    client, csrf = make_client(tmp_path)
    page = upload(client, csrf, "rows.csv", PARTIES.read_bytes())
    assert page.status_code == 200
    problems = dry_run_rows(page.text)
    assert list(problems) == [INVALID_ROW]
    assert "staff" in problems[INVALID_ROW] and "十二" in problems[INVALID_ROW]
    assert "20 rows, 19 valid, 1 with problems" in page.text
    assert 'id="batch-start"' in page.text

    started = client.post("/batch/start", data={"csrf": csrf}, follow_redirects=False)
    assert (started.status_code, started.headers["location"]) == (303, "/batch")
    state = wait_for(client)
    assert (state["status"], state["done"], state["built"], state["failed"]) == ("done", 20, 19, 1)
    assert [f["row"] for f in state["failures"]] == [INVALID_ROW]
    assert state["download"] == "/batch/download"
    done_page = client.get("/batch").text
    assert 'id="batch-download"' in done_page and 'data-row="8"' in done_page

    response = client.get("/batch/download")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == sorted(names)
    documents = [n for n in names if n.endswith(".docx")]
    assert len(documents) == 19 and set(names) == {*documents, "manifest.csv"}
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    _, good = sample_rows()
    assert sorted(documents) == sorted(next(n for n in documents if n.startswith(f"{r['contract_no']}-"))
                                       for r in good)
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [int(r["row"]) for r in manifest] == list(range(2, 22))
    assert {int(r["row"]) for r in manifest if r["status"] == "failed"} == {INVALID_ROW}
    assert "staff" in next(r["message"] for r in manifest if r["status"] == "failed")
    row = good[0]
    docx = zipfile.ZipFile(io.BytesIO(archive.read(f"{row['contract_no']}-{row['party_a.name']}.docx")))
    body = docx.read("word/document.xml").decode("utf-8")
    assert row["party_a.name"] in body and row["party_b.name"] in body


def test_the_zip_is_the_same_bytes_for_the_same_batch(tmp_path):
    client, csrf = make_client(tmp_path)
    rows = sample_rows()[1][:3]
    upload(client, csrf, "three.csv", write_csv(tmp_path / "three.csv", rows).read_bytes())
    client.post("/batch/start", data={"csrf": csrf})
    assert wait_for(client)["built"] == 3
    out = next((tmp_path / "work").glob("*/batch/out"))
    entries = list(mf.read_manifest(out / "manifest.csv"))
    jobs.write_zip(out, entries, tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == client.get("/batch/download").content


def test_xlsx_rows_are_read_too(tmp_path):
    from batchdata import write_xlsx

    client, csrf = make_client(tmp_path)
    book = write_xlsx(tmp_path / "rows.xlsx", sample_rows()[1][:2])
    page = upload(client, csrf, "rows.xlsx", book.read_bytes())
    assert page.status_code == 200 and "2 rows, 2 valid, 0 with problems" in page.text


def test_too_many_rows_are_refused_and_nothing_is_kept(tmp_path):
    client, csrf = make_client(tmp_path, max_rows=5)
    page = upload(client, csrf, "rows.csv", PARTIES.read_bytes())
    assert page.status_code == 413
    assert "rows.csv has more than 5 rows" in page.text
    assert files_under(tmp_path / "work") == []
    assert client.post("/batch/start", data={"csrf": csrf}).status_code == 400


def test_an_upload_over_the_size_limit_is_refused_and_nothing_is_written(tmp_path):
    client, csrf = make_client(tmp_path, max_upload_bytes=2000)
    page = upload(client, csrf, "rows.csv", PARTIES.read_bytes())
    assert page.status_code == 413
    assert files_under(tmp_path / "work") == []


@pytest.mark.parametrize("name, content, status, expected", [
    ("rows.xlsx", b"this is not a workbook", 422, "rows.xlsx"),
    ("rows.pdf", b"%PDF-1.4", 422, "rows.pdf: not a CSV or XLSX file"),
    ("rows.csv", b"", 422, "rows.csv: the file is empty"),
    ("rows.csv", "contract_no,no_such_column\nA-1,x\n".encode(), 422, "no_such_column"),
    ("rows.csv", b"\xff\xfe\x00\xd8broken", 422, "rows.csv"),
], ids=["damaged-xlsx", "pdf", "empty", "unknown-column", "bad-bytes"])
def test_a_bad_file_gets_a_message_naming_the_problem(tmp_path, name, content, status, expected):
    client, csrf = make_client(tmp_path)
    page = upload(client, csrf, name, content)
    assert page.status_code == status
    errors = page.text[page.text.index('id="batch-errors"'):]
    assert expected in errors
    assert "Traceback" not in page.text and str(tmp_path) not in page.text
    assert files_under(tmp_path / "work") == []


def test_no_file_and_unknown_template(tmp_path):
    client, csrf = make_client(tmp_path)
    assert client.post("/batch", data={"csrf": csrf, "template": TEMPLATE}).status_code == 400
    assert upload(client, csrf, "rows.csv", PARTIES.read_bytes(), template="../templates").status_code == 404
    assert client.get("/batch/status").json() == {"status": "none"}
    assert client.get("/batch/download").status_code == 404


def test_one_job_per_session_at_a_time(tmp_path, monkeypatch):
    release = threading.Event()
    real = jobs.run_batch

    def slow(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "run_batch", slow)
    client, csrf = make_client(tmp_path)
    upload(client, csrf, "rows.csv", write_csv(tmp_path / "one.csv", sample_rows()[1][:1]).read_bytes())
    assert client.post("/batch/start", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/batch/status").json() | {"failures": []} == {
        "kind": "run", "status": "running", "done": 0, "total": 1, "built": 0, "failed": 0, "error": "", "failures": [],
        "download": None}
    running = client.get("/batch")
    assert 'data-status="running"' in running.text and 'id="batch-progress"' in running.text
    assert client.post("/batch/start", data={"csrf": csrf}).status_code == 409
    assert upload(client, csrf, "rows.csv", PARTIES.read_bytes()).status_code == 409
    release.set()
    assert wait_for(client)["built"] == 1
    first = client.get("/batch/download").content
    assert client.post("/batch/start", data={"csrf": csrf}).status_code == 200  # the same rows again
    assert wait_for(client)["built"] == 1 and client.get("/batch/download").content == first


def test_the_dry_run_runs_in_the_background(tmp_path, monkeypatch):
    release = threading.Event()
    real = jobs.dry_run

    def slow(*args):
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(jobs, "dry_run", slow)
    client, csrf = make_client(tmp_path)
    posted = client.post("/batch", data={"csrf": csrf, "template": TEMPLATE},
                         files={"file": ("rows.csv", PARTIES.read_bytes(), "text/csv")})
    assert posted.status_code == 200 and posted.url.path == "/batch"
    assert 'data-kind="dry-run" data-status="running"' in posted.text
    assert re.search(r'<progress id="batch-progress" max="20">', posted.text)  # no value: indeterminate
    assert 'id="batch-start"' not in posted.text and "Checking 20 rows" in posted.text
    assert client.get("/batch/status").json()["done"] is None
    assert client.post("/batch/start", data={"csrf": csrf}).status_code == 409
    release.set()
    assert wait_for(client)["status"] == "done"
    page = client.get("/batch").text
    assert list(dry_run_rows(page)) == [INVALID_ROW] and 'id="batch-job"' not in page


def test_a_dry_run_that_fails_says_why(tmp_path, monkeypatch):
    from contractgen.diagnostics import UserError

    def broken(*args):
        raise UserError("the output name pattern is broken")

    monkeypatch.setattr(jobs, "dry_run", broken)
    client, csrf = make_client(tmp_path)
    client.post("/batch", data={"csrf": csrf, "template": TEMPLATE},
                files={"file": ("rows.csv", PARTIES.read_bytes(), "text/csv")})
    assert wait_for(client)["status"] == "failed"
    page = client.get("/batch").text
    assert 'data-status="failed"' in page and "the output name pattern is broken" in page
    assert client.post("/batch/start", data={"csrf": csrf}).status_code == 400


def test_rows_sharing_an_output_name_block_the_start(tmp_path):
    client, csrf = make_client(tmp_path)
    rows = sample_rows()[1][:2]
    page = upload(client, csrf, "dup.csv", write_csv(tmp_path / "dup.csv", [*rows, rows[0]]).read_bytes())
    assert "is also the name of row 2" in dry_run_rows(page.text)[4]
    assert 'id="batch-blocked"' in page.text and re.search(r'id="batch-start" disabled', page.text)
    refused = client.post("/batch/start", data={"csrf": csrf})
    assert refused.status_code == 422 and "Rows share an output name" in refused.text
    assert not list((tmp_path / "work").glob("*/batch/out"))


def test_a_job_names_the_uploaded_file_not_our_path(tmp_path):
    data = tmp_path / "session" / "batch" / "data.csv"
    job = jobs.Job(jobs.RUN, tmp_path / "out", tmp_path / "z.zip", 1, status=jobs.FAILED,
                   error=f"{data}:4: error batch-name-collision: …", shown={str(data): "客户.csv"})
    job.failures = [mf.Entry(3, "k", mf.FAILED, message=f"{data}:3: bad")]
    state = job.as_dict()
    assert state["error"] == "客户.csv:4: error batch-name-collision: …"
    assert state["failures"][0]["message"] == "客户.csv:3: bad" and str(tmp_path) not in str(state)


def test_the_page_speaks_chinese(tmp_path):
    client, csrf = make_client(tmp_path)
    page = client.get("/batch?lang=zh")
    assert "上传数据" in page.text and "数据文件（CSV 或 XLSX）" in page.text
    dry = upload(client, csrf, "rows.csv", PARTIES.read_bytes())
    assert "开始批量生成" in dry.text and "共 20 行，19 行有效，1 行有问题" in dry.text
    assert "应为整数" in dry_run_rows(dry.text)[INVALID_ROW]  # the dry run's message in Chinese too


def test_a_long_list_of_problems_is_cut_on_the_page(tmp_path, monkeypatch):
    from contractgen.web import batch_routes

    monkeypatch.setattr(batch_routes, "MAX_SHOWN", 2)
    client, csrf = make_client(tmp_path)
    bad = [dict(row, staff="many") for row in sample_rows()[1][:5]]
    page = upload(client, csrf, "bad.csv", write_csv(tmp_path / "bad.csv", bad).read_bytes())
    assert list(dry_run_rows(page.text)) == [2, 3] and "… and 3 more problems." in page.text
    assert "5 rows, 0 valid, 5 with problems" in page.text


def test_every_label_of_the_batch_check_and_clause_pages_has_chinese():
    from contractgen.web import labels

    web = ROOT / "src" / "contractgen" / "web"
    sources = [*web.glob("pages/batch*.html"), *web.glob("pages/check*.html"), *web.glob("pages/clause*.html"),
               web / "batch_routes.py", web / "check_routes.py", web / "clause_routes.py"]
    msgids = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        msgids |= {re.sub(r'"\s+"', "", m) for m in re.findall(r'\bt\(\s*"((?:[^"\\]|"\s+")+)"', text)}
        msgids |= set(re.findall(r"\bt\('([^']+)'", text))
        msgids |= set(re.findall(r'WebError\(\d+, "([^"]+)"', text))
    assert len(msgids) > 60
    missing = sorted(m for m in msgids if m not in labels.catalog("zh"))
    assert missing == []


# --- the trial of issue 16: a second upload, Chinese messages, the encoding choice ---------

def post_file(client: TestClient, csrf: str, name: str, content: bytes, **fields):
    return client.post("/batch", data={"csrf": csrf, "template": TEMPLATE, **fields},
                       files={"file": (name, content, "application/octet-stream")}, follow_redirects=False)


def test_a_new_upload_replaces_the_dry_run_in_progress(tmp_path, monkeypatch):
    release, calls = threading.Event(), []
    real = jobs.dry_run

    def slow(template_dir, data_path, encoding=None):
        calls.append(data_path.read_bytes())
        if len(calls) == 1:
            release.wait(30)  # the first file's dry run is still running when the second comes
        return real(template_dir, data_path, encoding)

    monkeypatch.setattr(jobs, "dry_run", slow)
    client, csrf = make_client(tmp_path)
    first = write_csv(tmp_path / "first.csv", sample_rows()[1][:1]).read_bytes()
    assert post_file(client, csrf, "first.csv", first).status_code == 303
    second = PARTIES.read_bytes()
    assert post_file(client, csrf, "second.csv", second).status_code == 303  # taken, not refused
    deadline = time.monotonic() + 60
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert wait_for(client)["status"] == "done"
    release.set()  # the first dry run ends after the second: its result must not come back
    time.sleep(0.5)
    page = client.get("/batch").text
    assert "Dry run of second.csv" in page and "first.csv" not in page
    assert "20 rows, 19 valid, 1 with problems" in page and 'id="batch-start"' in page
    assert list(dry_run_rows(page)) == [INVALID_ROW]


def test_an_upload_refused_while_a_batch_runs_says_so_and_offers_no_start(tmp_path, monkeypatch):
    release = threading.Event()
    real = jobs.run_batch
    monkeypatch.setattr(jobs, "run_batch", lambda *a, **k: (release.wait(30), real(*a, **k))[1])
    client, csrf = make_client(tmp_path)
    upload(client, csrf, "one.csv", write_csv(tmp_path / "one.csv", sample_rows()[1][:1]).read_bytes())
    assert client.post("/batch/start", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    try:
        refused = post_file(client, csrf, "second.csv", PARTIES.read_bytes())
        assert refused.status_code == 409
        errors = refused.text[refused.text.index('id="batch-errors"'):refused.text.index("</section>")]
        assert "A batch run of one.csv is building its contracts" in errors
        assert "second.csv was not uploaded" in errors
        assert 'id="batch-start"' not in refused.text  # no Start for a file the user did not last choose
        zh = client.post("/batch/start?lang=zh", data={"csrf": csrf})
        assert zh.status_code == 409 and "正在按 one.csv 批量生成合同" in zh.text
    finally:
        release.set()
    assert wait_for(client)["built"] == 1


def test_starting_while_the_dry_run_runs_names_the_dry_run(tmp_path, monkeypatch):
    release = threading.Event()
    real = jobs.dry_run
    monkeypatch.setattr(jobs, "dry_run", lambda *a: (release.wait(30), real(*a))[1])
    client, csrf = make_client(tmp_path)
    assert post_file(client, csrf, "rows.csv", PARTIES.read_bytes()).status_code == 303
    try:
        refused = client.post("/batch/start", data={"csrf": csrf})
        assert refused.status_code == 409 and "The dry run of rows.csv is still running" in refused.text
    finally:
        release.set()
    assert wait_for(client)["status"] == "done"


JUNK = bytes(range(128, 256)) * 8  # no encoding can be told


@pytest.mark.parametrize("name, content, fields, expected", [
    ("empty.csv", b"", {}, "empty.csv：文件为空；第1行须为列名"),
    ("junk.csv", JUNK, {}, "junk.csv：无法识别文件的编码。请在“文件编码”中选择其编码（UTF-8 或 GB18030）后重新上传。"),
    ("gbk.csv", PARTIES.read_text(encoding="utf-8").encode("gb18030"), {"encoding": "utf-8"},
     "gbk.csv：不是有效的 UTF-8 文本。请在“文件编码”中选择另一种编码"),
    ("junk.xlsx", b"this is not a workbook", {}, "junk.xlsx：不是 .xlsx 工作簿"),
    ("nothing.csv", PARTIES.read_text(encoding="utf-8").splitlines()[0].encode(), {},
     "nothing.csv：表头下没有数据行"),
], ids=["empty", "encoding-unknown", "wrong-encoding", "not-xlsx", "no-rows"])
def test_a_bad_file_is_told_in_chinese_in_the_words_of_the_page(tmp_path, name, content, fields, expected):
    client, csrf = make_client(tmp_path)
    client.get("/batch?lang=zh")
    page = post_file(client, csrf, name, content, **fields)
    assert page.status_code == 422
    section = page.text[page.text.index('id="batch-errors"'):]
    errors = " ".join(re.findall(r"<li>\s*([^<]*?)\s*</li>", section[:section.index("</section>")]))
    assert expected in errors
    assert "--encoding" not in errors and "zip file" not in errors and "the file" not in errors
    # English words left: none but file names, encodings and program names
    assert re.findall(r"[A-Za-z]{3,}", re.sub(r"\w+\.(csv|xlsx)|UTF-8|GB18030|\.xlsx?|\.csv|CSV|Excel|WPS", "", errors)) == []


def test_the_encoding_is_chosen_on_the_form(tmp_path):
    client, csrf = make_client(tmp_path)
    form = client.get("/batch?lang=zh").text
    assert re.search(r'<select id="batch-encoding" name="encoding">', form) and "自动识别" in form
    assert '<option value="gb18030">GB18030</option>' in form
    gbk = PARTIES.read_text(encoding="utf-8").encode("gb18030")
    assert post_file(client, csrf, "gbk.csv", gbk, encoding="gb18030").status_code == 303
    assert wait_for(client)["status"] == "done"
    page = client.get("/batch").text
    assert "共 20 行，19 行有效，1 行有问题" in page and '<option value="gb18030" selected>' in page


def test_the_dry_runs_name_collision_and_the_manifest_note_speak_chinese(tmp_path):
    client, csrf = make_client(tmp_path)
    client.get("/batch?lang=zh")
    rows = sample_rows()[1][:2]
    page = upload(client, csrf, "dup.csv", write_csv(tmp_path / "dup.csv", [*rows, rows[0]]).read_bytes())
    assert re.fullmatch(r"输出文件名“[^”]+”与第2行的输出文件名（“[^”]+”）相同", dry_run_rows(page.text)[4])
    page = upload(client, csrf, "one.csv", write_csv(tmp_path / "one.csv", rows[:1]).read_bytes())
    assert client.post("/batch/start", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert wait_for(client)["built"] == 1
    done = client.get("/batch").text
    assert 'id="batch-manifest-lang"' in done and "失败原因为英文" in done
    assert 'id="batch-manifest-lang"' not in client.get("/batch?lang=en").text


def test_every_reworded_message_has_chinese():
    from contractgen.web import batch_routes, labels

    assert len(batch_routes.WEB_WORDING) >= 3
    assert [text for _, text in batch_routes.WEB_WORDING if text not in labels.catalog("zh")] == []


def test_a_running_batch_can_be_stopped_and_started_again(tmp_path):
    from batchdata import many_rows

    client, csrf = make_client(tmp_path)
    rows = many_rows(300)
    page = upload(client, csrf, "many.csv", write_csv(tmp_path / "many.csv", rows).read_bytes())
    assert "300 rows, 300 valid, 0 with problems" in page.text
    assert 'id="batch-stop"' not in page.text  # nothing runs yet
    client.post("/batch/start", data={"csrf": csrf})
    deadline = time.monotonic() + 60
    while (state := client.get("/batch/status").json())["status"] == "running" and not state["done"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert state["status"] == "running", "the batch finished before it could be stopped"
    assert 'id="batch-stop"' in client.get("/batch").text
    stopped = client.post("/batch/stop", data={"csrf": csrf}, follow_redirects=False)
    assert (stopped.status_code, stopped.headers["location"]) == (303, "/batch")
    state = wait_for(client, 30)
    assert state["status"] == "stopped" and 0 < state["done"] < 300
    assert state["built"] == state["done"] and state["download"] is None
    assert client.get("/batch/download").status_code == 404
    shown = client.get("/batch").text
    assert f"Stopped after {state['done']} of 300 rows" in shown and 'id="batch-start"' in shown
    out = next((tmp_path / "work").glob("*/batch/out"))
    assert not [p for p in out.iterdir() if p.name.startswith(".contractgen-")]  # no staged file left
    assert client.post("/batch/stop", data={"csrf": csrf}, follow_redirects=False).status_code == 303  # none runs

    client.post("/batch/start", data={"csrf": csrf})
    assert wait_for(client)["built"] == 300
    assert client.get("/batch/download").status_code == 200


def test_the_stop_button_speaks_chinese(tmp_path, monkeypatch):
    release = threading.Event()
    real = jobs.run_batch
    monkeypatch.setattr(jobs, "run_batch", lambda *args, **kwargs: release.wait(30) and real(*args, **kwargs))
    client, csrf = make_client(tmp_path)
    upload(client, csrf, "rows.csv", write_csv(tmp_path / "one.csv", sample_rows()[1][:2]).read_bytes())
    client.post("/batch/start", data={"csrf": csrf})
    page = client.get("/batch?lang=zh").text
    release.set()
    assert "停止批量生成" in page
    assert wait_for(client)["built"] == 2
