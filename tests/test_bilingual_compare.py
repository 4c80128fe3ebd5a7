"""compare on two versions of a bilingual contract (the Markdown it writes, side by side):
a changed amount is the edited clause in each text, each named by its own number."""

from __future__ import annotations

import shutil
from pathlib import Path

from contractgen.compare.api import compare_files, render
from contractgen.pipeline import build, load_data, load_template, render_outputs

FIXTURE = Path(__file__).parent / "data" / "bilingual-template"


def _markdown(root: Path, price: str, out: Path) -> Path:
    data = root / "mini" / "data.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("price: 1250000", f"price: {price}"), encoding="utf-8")
    template = load_template(root / "mini")
    _, values = load_data(template, data)
    out.write_bytes(dict(render_outputs(build(template, values).doc, ["md"]))["md"])
    return out


def test_a_changed_price_is_the_edited_clause_in_each_language(tmp_path: Path) -> None:
    old_root, new_root = tmp_path / "old", tmp_path / "new"
    shutil.copytree(FIXTURE, old_root)
    shutil.copytree(FIXTURE, new_root)
    old = _markdown(old_root, "1250000", tmp_path / "old.md")
    new = _markdown(new_root, "1300000", tmp_path / "new.md")
    report = render(compare_files(old, new), "text").decode("utf-8")
    lines = [ln for ln in report.splitlines() if ": edited" in ln]
    assert lines == ["2.1: edited; 人民币壹佰贰拾伍万元整 → 人民币壹佰叁拾万元整; ¥1,250,000.00 → ¥1,300,000.00",
                     "Section 2.1: edited; CNY 1,250,000.00 → CNY 1,300,000.00; two hundred fifty → three hundred"]
    assert report.rstrip().endswith("2 edited; 0 reference(s) renumbered consistently")


def test_compare_with_the_template_finds_its_own_output_identical(tmp_path: Path) -> None:
    """compare --template builds the bilingual contract and reads it as the returned file is read."""
    from contractgen.compare.api import compare_with_template

    root = tmp_path / "t"
    shutil.copytree(FIXTURE, root)
    template = load_template(root / "mini")
    _, values = load_data(template, root / "mini" / "data.yaml")
    outputs = dict(render_outputs(build(template, values).doc, ["md", "docx"]))
    for fmt in ("md", "docx"):
        returned = tmp_path / f"returned.{fmt}"
        returned.write_bytes(outputs[fmt])
        assert compare_with_template(root / "mini", root / "mini" / "data.yaml", returned).identical, fmt
        edited = outputs[fmt].replace("30".encode(), "45".encode()) if fmt == "md" else None
        if edited is not None:
            returned.write_bytes(edited)
            assert not compare_with_template(root / "mini", root / "mini" / "data.yaml", returned).identical
