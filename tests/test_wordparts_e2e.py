"""The Huzhou sample with its Word cover and signature page: LibreOffice shows the cover's
party names and 第一条…; check finds nothing the merge caused; batch writes what build writes;
the committed .docx parts are what make_parts.py writes; our render is docxtpl's."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from contractgen.checking import check_file
from contractgen.pipeline import build_from_files, render_outputs
from contractgen.wordparts.template import WordTemplate, word_environment

from conftest import SAMPLE, require_tool
from docx_inspect import W

WORD = SAMPLE / "word"


def _sample_docx(tmp_path: Path) -> Path:
    doc = build_from_files(SAMPLE, SAMPLE / "sample-data.yaml")[2].doc
    path = tmp_path / "contract.docx"
    path.write_bytes(dict(render_outputs(doc, ["docx"]))["docx"])
    return path


@pytest.mark.e2e
def test_libreoffice_shows_the_cover_the_articles_and_the_signatories(tmp_path: Path) -> None:
    require_tool("soffice")
    docx = _sample_docx(tmp_path)
    subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    lines = [" ".join(ln.split()) for ln in (tmp_path / "contract.txt").read_text(encoding="utf-8-sig").splitlines()]
    first_article = next(i for i, ln in enumerate(lines) if ln.startswith("第一条") and "定义" in ln)
    cover = lines[:lines.index("Customer Service Outsourcing Agreement") + 12]
    assert "湖州电商客服系统外包服务合同" in cover[0]
    before = "\n".join(lines[:first_article])
    for name in ("湖州织里优选电子商务有限公司", "杭州云联客服科技有限公司", "浙江数衡信息技术咨询有限公司"):
        assert name in before
    assert any(ln.startswith("第二条") for ln in lines[first_article:])
    # a REF field to an article, as LibreOffice shows it, after the cover's pages
    assert any("依照本合同第七条（争议解决）约定的方式解决" in ln for ln in lines[first_article:])
    signing = lines.index("签署页 Signature Page")
    assert signing > first_article
    rows = [ln for ln in lines[signing:] if ln.startswith(("甲方 Party A", "乙方 Party B", "第三方 Third Party"))]
    assert [r.split(" ")[0] for r in rows] == ["甲方", "乙方", "第三方"]
    assert "沈建明" in rows[0] and "钱立新" in rows[2]


@pytest.mark.e2e
def test_libreoffice_keeps_the_cover_headings_words_whole(tmp_path: Path) -> None:
    """The cover's last column is wide enough for "Representative" (3.0 cm broke it in two)."""
    require_tool("soffice")
    require_tool("pdftotext")
    docx = _sample_docx(tmp_path)
    subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    page = subprocess.run([shutil.which("pdftotext"), "-layout", "-f", "1", "-l", "1", str(tmp_path / "contract.pdf"),
                           "-"], check=True, capture_output=True, timeout=60).stdout.decode()
    words = page.split()
    assert "代表" in words and "Representative" in words, page


def test_the_sample_passes_openxml_audit(tmp_path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(_sample_docx(tmp_path)))
    assert [str(e) for e in result.errors] == []


def test_check_finds_nothing_the_merge_caused(tmp_path: Path) -> None:
    """The merged DOCX against the same contract without its Word parts: the same findings."""
    merged = _sample_docx(tmp_path)
    plain = tmp_path / "templates" / "plain"
    shutil.copytree(SAMPLE, plain)
    shutil.copytree(SAMPLE.parents[1] / "clauses", tmp_path / "clauses")  # the library, found above the template
    yaml = plain / "contract.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text("\n".join(ln for ln in text.split("\n  - id: ")[0:1] + [
        "  - id: " + part for part in text.split("\n  - id: ")[1:] if "kind: word" not in part]), encoding="utf-8")
    assert "kind: word" not in yaml.read_text(encoding="utf-8")
    plain_docx = _sample_docx_from(plain, tmp_path / "plain.docx")
    found = {p: [(f.code, f.message) for f in check_file(p)] for p in (merged, plain_docx)}
    assert found[merged] == found[plain_docx] == []


def _sample_docx_from(template: Path, path: Path) -> Path:
    doc = build_from_files(template, SAMPLE / "sample-data.yaml")[2].doc
    path.write_bytes(dict(render_outputs(doc, ["docx"]))["docx"])
    return path


def test_the_committed_parts_are_what_make_parts_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_parts", WORD / "make_parts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("cover.docx", "signature-page.docx"):
        assert (tmp_path / name).read_bytes() == (WORD / name).read_bytes(), name


@pytest.mark.parametrize("name", ["cover.docx", "signature-page.docx"])
def test_our_render_is_docxtpls(name: str) -> None:
    """The compiled-once render gives the body DocxTemplate.render gives."""
    from contractgen.pipeline import load_data, load_template

    data = load_data(load_template(SAMPLE), SAMPLE / "sample-data.yaml")[1]
    env = word_environment("zh")
    ours = WordTemplate(WORD / name, env).render(data).body
    theirs = DocxTemplate(str(WORD / name))
    theirs.render(data, jinja_env=word_environment("zh"), autoescape=True)
    body = theirs.docx._element.body
    def texts(tree) -> list[str]:
        return ["".join(t.text or "" for t in p.iter(W + "t")) for p in tree.iter(W + "p")]

    assert texts(ours) == texts(body) and "沈建明" in "".join(texts(ours))
    assert [len(t.findall(W + "tr")) for t in ours.iter(W + "tbl")] == [
        len(t.findall(W + "tr")) for t in body.iter(W + "tbl")]


def test_batch_writes_what_build_writes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from contractgen.cli import main

    out = tmp_path / "batch"
    rows = tmp_path / "rows.csv"
    rows.write_text((SAMPLE / "parties.csv").read_text(encoding="utf-8-sig").split("\n", 1)[0] + "\n" + "\n".join(
        ln for ln in (SAMPLE / "parties.csv").read_text(encoding="utf-8-sig").splitlines()[1:3]) + "\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(SAMPLE), "--data", str(rows), "--out", str(out),
                                       "--format", "docx,md", "--force"])
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.docx"))
    assert written
    with zipfile.ZipFile(io.BytesIO(written[0].read_bytes())) as z:
        text = z.read("word/document.xml").decode()
    assert "签署页 Signature Page" in text and "Customer Service Outsourcing Agreement" in text
    assert "签署页 Signature Page" in written[0].with_suffix(".md").read_text(encoding="utf-8")
