"""`--format pdf`: the DOCX exported by LibreOffice, in `build` and `batch`.

Without LibreOffice: the error names what to install, exit 2, nothing written. With it:
the PDF's text is the contract's, its date is the contract's, and a batch starts one
LibreOffice per worker, not per row, and leaves none behind when it ends or is stopped.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from batchdata import SAMPLE, many_rows, write_csv
from batchprocs import kill_all, process_tree, start_batch, wait_gone
from conftest import require_tool
from contractgen.batch.manifest import read_manifest
from contractgen.converters import soffice
from contractgen.writers.pdf import FIXED_DATE, docx_date, stamp_pdf

DATA = SAMPLE / "sample-data.yaml"
MISSING = ("Error: PDF output needs LibreOffice (soffice); install libreoffice-writer-nogui "
           "or use --format docx\n")


def contractgen(*args: str, path: str | None = None, temp_dir: Path | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it, with the PATH and system temp dir given."""
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    if temp_dir is not None:
        temp_dir.mkdir(exist_ok=True)
        env["TMPDIR"] = str(temp_dir)
    return subprocess.run([sys.executable, "-c", "from contractgen.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=600)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")


def docx_with_core(created: str | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
        if created is not None:
            package.writestr("docProps/core.xml", f'<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">'
                                                  f"{created}</dcterms:created></cp:coreProperties>")
    return buffer.getvalue()


# ---- no LibreOffice needed ------------------------------------------------------------------

@pytest.mark.parametrize("created, expected", [
    ("2024-03-01T00:00:00Z", b"20240301000000"),
    ("2025-12-31T23:59:58Z", b"20251231235958"),
    (None, FIXED_DATE),  # no core properties: the DOCX writer's fixed date
])
def test_the_pdf_date_is_the_docx_date(created, expected):
    assert docx_date(docx_with_core(created)) == expected


@pytest.mark.parametrize("pdf, expected", [
    (b"%PDF-1.7\n<</Title(x)/CreationDate(D:20261201222902Z')>>\ntrailer",
     b"%PDF-1.7\n<</Title(x)/CreationDate(D:20240301000000Z')>>\ntrailer"),
    # only the information dictionary's (the last) date; none, or not 14 digits: unchanged
    (b"(/CreationDate(D:11112233445566)) <</CreationDate(D:20261201222902+08'00')>>",
     b"(/CreationDate(D:11112233445566)) <</CreationDate(D:20240301000000+08'00')>>"),
    (b"%PDF-1.7 <</Title(x)>>", b"%PDF-1.7 <</Title(x)>>"),
    (b"<</CreationDate(D:2026)>>", b"<</CreationDate(D:2026)>>"),
])
def test_stamping_sets_the_creation_date_in_place(pdf, expected):
    stamped = stamp_pdf(pdf, b"20240301000000")
    assert stamped == expected and len(stamped) == len(pdf)


def test_without_libreoffice_build_says_what_to_install_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    done = contractgen("build", str(SAMPLE), "--data", str(DATA), "--out", str(out), "--format", "md,pdf",
                       path=str(tmp_path / "empty-path"))
    assert (done.returncode, done.stderr, done.stdout) == (2, MISSING, "")
    assert not out.exists()


def test_without_libreoffice_batch_says_what_to_install_and_writes_nothing(tmp_path):
    data = write_csv(tmp_path / "rows.csv", many_rows(3))
    out = tmp_path / "out"
    done = contractgen("batch", str(SAMPLE), "--data", str(data), "--out", str(out), "--format", "docx,pdf",
                       "--quiet", path=str(tmp_path / "empty-path"))
    assert (done.returncode, done.stderr, done.stdout) == (2, MISSING, "")
    assert not out.exists()


def test_pdf_is_a_format_of_build_and_batch():
    done = contractgen("build", "--help")
    assert "md, docx, html, pdf" in " ".join(done.stdout.split())


# ---- with LibreOffice -------------------------------------------------------------------------

def counting_soffice(folder: Path) -> Path:
    """A ``soffice`` first on the PATH that notes each start in ``starts.log``, then runs the real one."""
    real = shutil.which("soffice")
    folder.mkdir()
    wrapper = folder / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho "$$" >> "{folder}/starts.log"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.mark.e2e
@pytest.mark.parametrize("extra", [(), ("--toc-pages",)], ids=["plain", "toc-pages"])
def test_build_pdf_of_the_sample_shows_the_articles_and_the_contracts_date(tmp_path, extra):
    """The PDF is the DOCX the build writes: with --toc-pages, its TOC's page numbers too."""
    require_tool("soffice", "pdftotext")
    out = tmp_path / "out"
    done = contractgen("build", str(SAMPLE), "--data", str(DATA), "--out", str(out), "--format", "docx,pdf",
                       *extra, temp_dir=tmp_path / "systemp")
    assert done.returncode == 0, done.stderr
    [pdf] = out.glob("*.pdf")
    text = pdf_text(pdf)
    assert "第一条" in text and "第二条" in text and "合同编号：HZCS-2024-001" in text
    assert b"/CreationDate(D:20240301000000" in pdf.read_bytes()  # sample-data.yaml's sign_date
    # the same DOCX as the one written: LibreOffice's own conversion of it reads the same
    [docx] = out.glob("*.docx")
    subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "direct"), str(docx)],
                   check=True, capture_output=True, timeout=180)
    assert pdf_text(tmp_path / "direct" / pdf.name) == text
    assert list((tmp_path / "systemp").iterdir()) == []  # LibreOffice's profile is gone


@pytest.mark.e2e
def test_batch_pdf_starts_libreoffice_once_per_worker(tmp_path):
    require_tool("soffice", "pdftotext")
    wrapper = counting_soffice(tmp_path / "bin")
    data = write_csv(tmp_path / "rows.csv", many_rows(20))
    out, temp_dir = tmp_path / "out", tmp_path / "systemp"
    done = contractgen("batch", str(SAMPLE), "--data", str(data), "--out", str(out), "--format", "docx,pdf",
                       "--jobs", "2", "--quiet", path=f"{wrapper}{os.pathsep}{os.environ['PATH']}", temp_dir=temp_dir)
    assert done.returncode == 0, done.stderr
    starts = (wrapper / "starts.log").read_text(encoding="utf-8").split()
    assert 1 <= len(starts) <= 2, starts  # one per worker process, not one per row
    entries = list(read_manifest(out / "manifest.csv"))
    assert len(entries) == 20 and all(e.status == "ok" for e in entries)
    for number, entry in enumerate(entries, start=1):
        [pdf] = [out / o.path for o in entry.outputs if o.path.endswith(".pdf")]
        text = pdf_text(pdf)
        assert f"T-{number:05d}" in text and "第一条" in text
    assert list(temp_dir.iterdir()) == []  # every worker's profile removed


@pytest.mark.e2e
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_pdf_batch_leaves_no_libreoffice_behind(tmp_path, signum):
    require_tool("soffice")
    data = write_csv(tmp_path / "rows.csv", many_rows(200))
    out, temp_dir = tmp_path / "out", tmp_path / "systemp"
    proc = start_batch(data, out, temp_dir, "--format", "pdf")
    tree = []
    try:
        deadline = time.monotonic() + 180
        while not list(out.glob("*.pdf")) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        tree = process_tree(proc)
        assert any(p.name() == "soffice.bin" for p in tree)
        sent = time.monotonic()
        proc.send_signal(signum)
        proc.wait(timeout=30)
        survivors = wait_gone(tree, sent, 5.0)
        assert not survivors, [p.cmdline() for p in survivors]
    finally:
        kill_all(tree)
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 5  # a guard removes its profile right after LibreOffice goes
    while list(temp_dir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(temp_dir.iterdir()) == []


@pytest.mark.e2e
def test_a_failed_conversion_fails_its_row_only(tmp_path, monkeypatch):
    require_tool("soffice")
    from contractgen.batch.run import BatchOptions, run_batch
    from contractgen.writers.pdf import PdfWriter

    convert = PdfWriter.convert

    def broken_for_row_3(self, docx):  # LibreOffice gets a package it cannot open for one row
        return convert(self, b"PK\x03\x04 not a package" if b"T-00003" in _package_text(docx) else docx)

    monkeypatch.setattr(PdfWriter, "convert", broken_for_row_3)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = write_csv(tmp_path / "rows.csv", many_rows(4))
    out = tmp_path / "out"
    try:
        status = run_batch(SAMPLE, data, out, BatchOptions(formats=("docx", "pdf"), jobs=1, quiet=True,
                                                           echo=lambda *a, **k: None))
    finally:
        soffice.stop_server()
    assert status == 1
    entries = list(read_manifest(out / "manifest.csv"))
    assert [e.status for e in entries] == ["ok", "ok", "failed", "ok"]
    assert entries[2].message == ("LibreOffice could not convert the document to PDF: "
                                  "LibreOffice could not open the document")
    assert not list(out.glob("T-00003*"))  # neither its PDF nor its DOCX
    assert len(list(out.glob("*.pdf"))) == 3
    assert not list(tmp_path.glob("contractgen-soffice-*"))


def _package_text(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return b"".join(package.read(name) for name in package.namelist())


@pytest.mark.e2e
def test_a_libreoffice_that_died_is_replaced_at_the_next_conversion(tmp_path, monkeypatch):
    require_tool("soffice", "pdftotext")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    from contractgen.pipeline import build_from_files, render_outputs

    docx = dict(render_outputs(build_from_files(SAMPLE, DATA)[2].doc, ["docx"]))["docx"]
    try:
        first = soffice.convert_docx(docx)
        server = soffice._SERVER
        office = [p for p in psutil.Process(server.guard.pid).children(recursive=True) if p.name() == "soffice.bin"]
        assert len(office) == 1
        office[0].kill()
        server.guard.wait(10)  # the guard saw LibreOffice go and removed its profile
        assert not server.folder.exists()
        second = soffice.convert_docx(docx)
        assert soffice._SERVER is not server
    finally:
        soffice.stop_server()
    (tmp_path / "a.pdf").write_bytes(first)
    (tmp_path / "b.pdf").write_bytes(second)
    assert pdf_text(tmp_path / "a.pdf") == pdf_text(tmp_path / "b.pdf")  # the text is stable
    assert "第一条" in pdf_text(tmp_path / "a.pdf")
    assert not list(tmp_path.glob("contractgen-soffice-*"))
