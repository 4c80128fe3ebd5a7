"""Build checks what it writes: for every template we ship (and the test roots), the
findings `build` reports are the findings `check` reports on the written .md and .docx read
back — none for a clean contract, the same rule codes for a planted defect — and a TOC line
mistyped in the written file is reported."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from contractgen.checking import check_file
from contractgen.commands.build import run_build
from contractgen.pipeline import build_from_files
from contractgen.spec import load_spec

from conftest import ROOT, ROOTS

TEMPLATES = sorted(p for p in (ROOT / "templates").iterdir() if (p / "contract.yaml").exists())
CASES = {p.name: (p, p / "sample-data.yaml") for p in TEMPLATES}
CASES["mini-zh"] = (ROOTS / "mini-zh" / "templates" / "mini", ROOTS / "mini-zh" / "templates" / "mini" / "data.yaml")


def _project(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the template with its clause library, so a test may plant a defect."""
    template, data = CASES[name]
    root = template.parent.parent
    dest = tmp_path / "project"
    (dest / "templates").mkdir(parents=True)
    shutil.copytree(root / "clauses", dest / "clauses")
    shutil.copytree(template, dest / "templates" / template.name)
    (dest / ".git").mkdir()  # config lookup stops here
    return dest / "templates" / template.name, dest / "templates" / template.name / data.name


def _write(template: Path, data: Path, out: Path) -> tuple[list, Path, Path]:
    built = build_from_files(template, data)[2]
    paths = run_build(template, data, out, ["md", "docx"], force=True)
    md, docx = (next(p for p in paths if p.suffix == s) for s in (".md", ".docx"))
    return built.findings, md, docx


def _codes(findings) -> Counter:
    return Counter(f.code for f in findings)


@pytest.mark.parametrize("name", sorted(CASES))
def test_our_contracts_check_clean_when_read_back(name: str, tmp_path: Path) -> None:
    template, data = _project(name, tmp_path)
    built, md, docx = _write(template, data, tmp_path / "out")
    assert built == []
    for path in (md, docx):
        assert [f.format() for f in check_file(path)] == [], path.name


PLANTED = {"zh": "双方应在三十（60）日内答复。", "en": "Each party shall reply within thirty (60) days."}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_planted_defect_is_found_by_build_and_in_both_files(name: str, tmp_path: Path) -> None:
    template, data = _project(name, tmp_path)
    lang = re.search(r"^lang:\s*(\w+)", (template / "contract.yaml").read_text(encoding="utf-8"), re.M)[1]
    clauses = template.parent.parent / "clauses"
    spec = load_spec(template)
    used = {c for part in spec.parts if part.kind == "main" for c in part.clauses}
    fragment = next(p for p in sorted(clauses.rglob("*.md")) if "\n## " in p.read_text(encoding="utf-8")
                    and f"{p.parent.name}/{p.stem}" in used)
    planted = [(fragment, PLANTED[lang])]
    if spec.bilingual:  # the same sentence in the clause's translation: each text has the defect
        planted += [(fragment.with_name(f"{fragment.stem}.{other}.md"), PLANTED[other]) for other in spec.languages[1:]]
    for path, sentence in planted:
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")
    built = build_from_files(template, data)[2].findings
    assert _codes(built) == Counter({"number-words-mismatch": len(planted)})
    out = tmp_path / "out"
    from contractgen.pipeline import render_outputs, write_outputs

    stem = "planted"
    write_outputs([(out / f"{stem}.{fmt}", body) for fmt, body in
                   render_outputs(build_from_files(template, data)[2].doc, ["md", "docx"])])
    for path in (out / f"{stem}.md", out / f"{stem}.docx"):
        assert _codes(check_file(path)) == _codes(built), path.name


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_mistyped_toc_line_is_reported(name: str, tmp_path: Path) -> None:
    template, data = _project(name, tmp_path)
    _built, md, docx = _write(template, data, tmp_path / "out")
    text = md.read_text(encoding="utf-8")
    entries = re.findall(r"^\s*- \[([^\]]+)\]\(#[^)]+\)$", text, re.M)
    # a side-by-side bilingual contract lists its TOC in a table cell, an entry after each <br>
    entries += re.findall(r"<br>\[([^\]]+)\]\(#[^)]+\)", text)
    numbered = [e for e in entries if re.match(r"(第|Article |Section |\d)", e)]
    if not numbered:
        pytest.skip(f"{name} has no table of contents")  # a template without [[toc]]
    target = numbered[len(numbered) // 2]
    mistyped = target[:-1] + ("误" if re.search(r"[\u4e00-\u9fff]$", target) else "x")
    md.write_text(text.replace(f"[{target}]", f"[{mistyped}]", 1), encoding="utf-8")
    found = [f for f in check_file(md) if f.code == "toc-mismatch"]
    line = next(i for i, ln in enumerate(md.read_text(encoding="utf-8").splitlines(), 1) if f"[{mistyped}]" in ln)
    assert [(f.line, f.severity) for f in found] == [(line, "error")]
    # the same edit in the DOCX's cached TOC text
    with zipfile.ZipFile(docx) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    title = re.sub(r"^(第\S+?条|Article \S+|Section \S+|Clause \S+|\d[\d.]*)\s*", "", target)
    assert title in xml
    parts["word/document.xml"] = xml.replace(f">{title}<", f">{title[:-1]}{mistyped[-1]}<", 1).encode("utf-8")
    edited = docx.with_name("edited.docx")
    with zipfile.ZipFile(edited, "w") as z:
        for n, body in parts.items():
            z.writestr(n, body)
    assert any(f.code in ("toc-mismatch", "stale-toc") and f.severity == "error" for f in check_file(edited))
