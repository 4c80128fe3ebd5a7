"""`preview --serve` without a browser: rebuild on change, error page and recovery, clean stop."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from contractgen.commands.preview import PreviewSource, watched_paths
from contractgen.serve import PreviewServer, snapshot

from preview_support import LEGACY, copy_project, edit, serving, wait_for


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.fixture
def project(tmp_path: Path) -> PreviewSource:
    template = copy_project(tmp_path)
    return PreviewSource(template, template / "sample-data.yaml")


def version(server: PreviewServer) -> int:
    return int(fetch(server.url + "version")[1])


def test_serves_the_page_and_its_version(project) -> None:
    with serving(project) as server:
        status, page = fetch(server.url)
        assert status == 200 and 'id="dispute-resolution"' in page
        assert 'var version = "1"' in page and version(server) == 1
        assert fetch(server.url + "elsewhere")[0] == 404
        assert server.url.startswith("http://127.0.0.1:")


def test_a_clause_edit_rebuilds_the_page(project) -> None:
    clause = project.path.parent.parent / "clauses" / "huzhou" / "dispute-resolution.md"
    with serving(project) as server:
        edit(clause, "# 争议解决", "# 争议的解决")
        assert wait_for(lambda: version(server) == 2)
        page = fetch(server.url)[1]
        assert "争议的解决" in page and 'var version = "2"' in page


def test_a_data_edit_rebuilds_the_page(project) -> None:
    with serving(project) as server:
        edit(project.data, "HZCS-2024-001", "HZCS-2024-777")
        assert wait_for(lambda: "HZCS-2024-777" in fetch(server.url)[1])


def test_a_broken_fragment_shows_the_error_then_recovers(project) -> None:
    clause = project.path.parent.parent / "clauses" / "huzhou" / "dispute-resolution.md"
    original = clause.read_text(encoding="utf-8")
    with serving(project) as server:
        clause.write_text(original + "\n{{ broken\n", encoding="utf-8")
        assert wait_for(lambda: 'id="build-error"' in fetch(server.url)[1])
        page = fetch(server.url)[1]
        assert f"{clause}:" in page and "template-syntax" in page and "var version" in page
        clause.write_text(original, encoding="utf-8")
        assert wait_for(lambda: 'id="dispute-resolution"' in fetch(server.url)[1])


def test_stop_closes_the_port(project) -> None:
    with serving(project) as server:
        url = server.url
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)
    assert all(not t.is_alive() for t in server.threads)


def test_watched_paths_cover_template_library_and_data(project) -> None:
    paths = watched_paths(project)
    assert project.path in paths and project.data in paths
    assert project.path.parent.parent / "clauses" in paths
    assert watched_paths(PreviewSource(LEGACY)) == [LEGACY]


def test_snapshot_sees_changes_and_new_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    before = snapshot([tmp_path, tmp_path / "missing.yaml"])
    assert list(before) == [str(tmp_path / "a.md")]
    (tmp_path / "a.md").write_text("ab", encoding="utf-8")
    (tmp_path / "b.md").write_text("b", encoding="utf-8")
    after = snapshot([tmp_path])
    assert after != before and len(after) == 2


def test_port_in_use_is_a_user_error(project) -> None:
    from contractgen.diagnostics import UserError

    with serving(project) as server:
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        with pytest.raises(UserError, match=f"port {port} is in use"):
            PreviewServer(lambda script: b"", lambda: [], port=port)


def test_cli_serve_prints_the_url_and_stops_on_ctrl_c(project) -> None:
    command = [str(Path(sys.executable).parent / "contractgen"), "preview", str(project.path),
               "--data", str(project.data), "--serve", "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "the server printed no URL within 60 s"
        line = proc.stdout.readline()
        assert line.startswith("Serving the preview at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        assert 'id="dispute-resolution"' in fetch(url)[1]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


def test_stop_before_start_returns() -> None:
    import threading

    server = PreviewServer(lambda script: b"", lambda: [], port=0)
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=5)
    assert not stopper.is_alive()


def test_a_legacy_contract_edit_updates_its_findings(tmp_path: Path) -> None:
    contract = tmp_path / "contract.txt"
    contract.write_bytes(LEGACY.read_bytes())
    with serving(PreviewSource(contract)) as server:
        assert fetch(server.url)[1].count('data-code="unfilled-placeholder"') == 3 * 2  # mark + panel item
        edit(contract, "甲方:XXX 乙方:XXX 20XX", "甲方:湖州织里 乙方:杭州云联 2024")
        assert wait_for(lambda: fetch(server.url)[1].count('data-code="unfilled-placeholder"') == 1 * 2)
