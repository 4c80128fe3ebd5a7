"""References that read like a lawyer wrote them: several targets sorted and merged
("Clauses 2 to 4", 第一条、第三条和第五条), references into a schedule's paragraphs
("paragraph 2 of Schedule 1", 附件一第二项) and from a schedule into the body, per
numbering scheme (tests/data/refs/cases.yaml). Every number stays a live REF field in
DOCX, and the built contract checks clean read back as Markdown and as DOCX."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from contractgen.checking import check_file
from contractgen.model import NUMBER, Ref, inline_lists
from contractgen.pipeline import render_outputs

from helpers import build

DATA = Path(__file__).parent / "data" / "refs"
CASES = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))
BODIES = yaml.safe_load((DATA / "bodies.yaml").read_text(encoding="utf-8"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _case_id(case: dict) -> str:
    return f"{case['scheme']}-{case.get('at', 'main')}-{case['refs'].replace(', ', '+')}" + ("-title" if case.get("title") else "")


def _template(root: Path, case: dict) -> Path:
    lang = case["scheme"].split("-")[0]
    body = BODIES[lang]
    refs = f"[[ref:{case['refs']}{'|title' if case.get('title') else ''}]]"
    probe = ("参见" + refs + "。") if lang == "zh" else f"See {refs}."
    main = body["main"].replace("PROBE", probe if case.get("at", "main") == "main" else "—")
    attachment = body["attachment"].replace("APROBE", probe if case.get("at") == "attachment" else "—")
    clauses = root / "clauses" / "t"
    clauses.mkdir(parents=True)
    for name, text in (("main", main), ("att", attachment)):
        (clauses / f"{name}.md").write_text(f"---\nid: t/{name}\ntitle: {name}\nversion: 1.0.0\n---\n{text}", encoding="utf-8")
    template = root / "templates" / "t"
    template.mkdir(parents=True)
    cite_as = "本合同" if lang == "zh" else "this Agreement"
    (template / "contract.yaml").write_text(
        f"name: t\ntitle: {'买卖合同' if lang == 'zh' else 'Supply Agreement'}\nlang: {lang}\nscheme: {case['scheme']}\n"
        "output_name: out\ndata: {}\nparts:\n"
        f"  - {{id: main, kind: main, title: Main, cite_as: {cite_as}, clauses: [t/main]}}\n"
        "  - {id: att, kind: attachment, title: Goods, clauses: [t/att]}\n", encoding="utf-8")
    (template / "data.yaml").write_text("{}\n", encoding="utf-8")
    return template


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_reference_reads_as_written(case: dict, tmp_path: Path) -> None:
    template = _template(tmp_path, case)
    doc = build(template, template / "data.yaml")
    probes = [n for _p, block in doc.blocks() for inlines in inline_lists(block) for n in inlines
              if isinstance(n, Ref) and n.label == case["refs"]]
    assert len(probes) == 1
    ref = probes[0]
    assert ref.text == case["text"]
    numbers = [p for p in ref.parts if p.role == NUMBER]
    assert numbers and all(p.target is not None for p in numbers)
    # the first and last targets are numbers shown (a range shows no middle), unless the
    # scheme cites the target's level in words (第一款, 第二项); each number is its target's own
    shown = {id(p.target) for p in numbers}
    if not case.get("in_words"):
        assert id(ref.targets[0]) in shown and id(ref.targets[-1]) in shown
    for p in numbers:
        own = getattr(p.target, "number_text", "").rstrip(".")
        assert p.text == own or p.digits and own.endswith(" " + p.text)

    out = tmp_path / "out"
    out.mkdir()
    for fmt, data in render_outputs(doc, ["md", "docx"]):
        (out / f"contract.{fmt}").write_bytes(data)
    docx = next(out.glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paragraph = next(p for p in re.findall(r"<w:p[ >].*?</w:p>", xml) if "REF " in p and
                     case["text"] in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)))
    fields = re.findall(r"<w:instrText[^>]*> (REF [^<]*?) </w:instrText>", paragraph)
    assert len(fields) == len(numbers)
    for instruction, part in zip(fields, numbers):
        assert ("\\n" in instruction) == part.own and ("\\t" in instruction) == part.digits
    for path in sorted(out.iterdir()):
        assert [f.format() for f in check_file(path)] == []
