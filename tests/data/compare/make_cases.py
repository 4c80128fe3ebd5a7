"""Regenerate the compare cases from our templates: `.venv/bin/python tests/data/compare/make_cases.py`.

Each case folder gets old.md and new.md (built by the template, or the built text with one
edit), old.docx and new.docx (our writer over the same text), and the zh-delete case also
old-auto.docx and new-auto.docx: legacy Word files whose numbers are Word auto-numbering.
en-split is written by hand (one section split in two, two merged into one).
expected.json is written by the tests (CONTRACTGEN_UPDATE_GOLDEN=1) and reviewed by a person.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from contractgen.model import Clause  # noqa: E402
from contractgen.pipeline import build_document, load_data, load_template  # noqa: E402
from contractgen.readers import read_path  # noqa: E402
from contractgen.writers.docx import DocxWriter  # noqa: E402
from contractgen.writers.markdown import MarkdownWriter  # noqa: E402
from docx_factory import build_docx, level, numbering_xml, para  # noqa: E402

TEMPLATES = {"zh": ROOT / "templates/huzhou-cs-outsourcing", "en": ROOT / "templates/services-agreement-en"}
MOVE = {"zh": ("huzhou/confidentiality", "huzhou/term"), "en": ("services-en/confidentiality", "services-en/liability")}
DELETE = {"zh": "huzhou/general", "en": "services-en/general"}
EDIT = {"zh": ("期限届满前三十日内双方均未书面提出终止的", "期限届满前十五日内任何一方均未书面提出终止的"),
        "en": ("within ten days of receipt and pay", "within fifteen days of receipt, giving its reasons in writing, and pay")}
FEE = {"zh": 68000, "en": 8000}


def built(lang: str, *, order=None, drop=None, fee=None) -> str:
    template = load_template(TEMPLATES[lang])
    template = copy.copy(template)
    template.spec = copy.deepcopy(template.spec)
    main = next(p for p in template.spec.parts if p.kind == "main")
    if drop:
        main.clauses.remove(drop)
    if order:
        moved, after = order
        main.clauses.remove(moved)
        main.clauses.insert(main.clauses.index(after) + 1, moved)
    _, data = load_data(template, TEMPLATES[lang] / "sample-data.yaml")
    if fee is not None:
        data = dict(data, fee=fee)
    doc = build_document(template, data, check=False)
    return MarkdownWriter().render(doc).decode("utf-8")


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the edit needs exactly one {old!r}"
    return text.replace(old, new)


def write_case(name: str, old: str, new: str, auto: bool = False, typed: bool = False) -> None:
    """``typed``: the DOCX files keep the numbers as typed (our writer would renumber a gap)."""
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    for side, text in (("old", old), ("new", new)):
        md = folder / f"{side}.md"
        md.write_text(text, encoding="utf-8")
        if typed:
            legacy_docx(read_path(md), folder / f"{side}.docx", auto=False)
        else:
            (folder / f"{side}.docx").write_bytes(DocxWriter().render(read_path(md)))
        if auto:
            legacy_docx(read_path(md), folder / f"{side}-auto.docx", auto=True)


def legacy_docx(doc, path: Path, auto: bool) -> None:
    """A legacy DOCX of the cover and main contract: plain paragraphs, the article and
    section numbers Word's automatic numbering (``auto``) or typed."""
    body = []
    for part, block in doc.blocks():
        if part.kind not in ("cover", "main", "body"):
            continue
        if auto and isinstance(block, Clause) and block.level <= 3:
            text = block.title or ""
            rest = "".join(x if isinstance(x, str) else x.text for x in block.text)
            text = f"{text} {rest}".strip() if text and rest else (text or rest)
            body.append(para(text, num=(1, block.level - 1)))
        else:
            for line in _lines(block):
                body.append(para(line))
    levels = [level(0, "chineseCounting", "第%1条", extra='<w:suff w:val="space"/>'),
              level(1, "decimal", "%1.%2", extra='<w:isLgl/><w:suff w:val="space"/>'),
              level(2, "decimal", "%1.%2.%3", extra='<w:isLgl/><w:suff w:val="space"/>')]
    build_docx(path, "".join(body), numbering=numbering_xml({0: levels}, {1: 0}))


def _lines(block) -> list[str]:
    from contractgen.compare.units import block_lines

    if isinstance(block, Clause):
        return [block.heading_text + " " + "".join(x if isinstance(x, str) else x.text for x in block.text)]
    return block_lines(block)


def shifted(text: str, heading: str, first: int) -> str:
    """The text with the articles of the part under ``heading`` from article ``first`` on
    numbered one higher (a skipped number, as typed contracts have them), and every link to
    one of them renumbered the same way: renumbering and nothing else."""
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    end = len(text) if end < 0 else end
    section = text[start:end]
    anchors = set(re.findall(r"\{#([\w-]+)\}", section))
    bump = _bumper(first)
    section = re.sub(r"(?m)^(### (?:Article )?第?)([一二三四五六七八九十]+|\d+)", lambda m: m[1] + bump(m[2]), section)
    section = re.sub(r"(?m)^(#### (?:Section )?|)(\d+)(?=\.\d)", lambda m: m[1] + bump(m[2]), section)
    text = text[:start] + section + text[end:]
    return re.sub(r"\[([^\]]+)\]\(#([\w-]+)\)",
                  lambda m: f"[{_bump_cite(m[1], bump)}](#{m[2]})" if m[2] in anchors else m[0], text)


def _bumper(first: int):
    from contractgen.grammar import count_value
    from contractgen.numbering.zh import count

    def bump(word: str) -> str:
        value = count_value(word)
        if value < first:
            return word
        return str(value + 1) if word.isdigit() else count(value + 1)
    return bump


def _bump_cite(cite: str, bump) -> str:
    cite = re.sub(r"(?<=第)([一二三四五六七八九十]+)(?=条)", lambda m: bump(m[1]), cite)
    return re.sub(r"(?<![\d.])(\d+)(?=(?:\.\d+)*(?![\d.]))", lambda m: bump(m[1]), cite, count=1)


def main() -> None:
    for lang in ("zh", "en"):
        base = built(lang)
        write_case(f"{lang}-move", base, built(lang, order=MOVE[lang]))
        without = built(lang, drop=DELETE[lang])
        write_case(f"{lang}-delete", base, without, auto=lang == "zh")
        write_case(f"{lang}-insert", without, base)
        write_case(f"{lang}-edit", base, edited(base, *EDIT[lang]))
        write_case(f"{lang}-amount", base, built(lang, fee=FEE[lang]))
        gap = shifted(base, "## 主合同" if lang == "zh" else "## Master Services", first=5)
        write_case(f"{lang}-renumber", gap, base, typed=True)  # NEW closes OLD's gap in the numbering
        write_case(f"{lang}-identical", base, base)
    # NEW renumbered the articles but left one reference at its old number: it now points
    # at another section, which compare must report (and not as renumbering).
    gap = shifted(built("zh"), "## 主合同", first=5)
    base = built("zh")
    write_case("zh-stale-reference", gap, edited(base, "[第5.1条](#confidential-info)", "[第6.1条](#confidential-info)"),
               typed=True)


if __name__ == "__main__":
    main()
