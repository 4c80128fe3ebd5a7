"""How fast is the DOCX writer? Documents per second against a naive docxtpl loop.

    .venv/bin/python benchmarks/docx.py [-n 50] [TEMPLATE_DIR]

Both sides produce the same contract in the same run:

- contractgen: every pass (assemble, number, resolve, TOC) plus the DOCX writer, from
  an already loaded template — what ``batch`` does for each row;
- contractgen writer only: rendering an already built document;
- docxtpl (the yardstick): a Word template of the same contract, with the data as
  ``{{ tags }}``, made once here with python-docx; each document is
  ``DocxTemplate(path).render(context)`` + ``save``, the loop people write first.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This script is named docx.py: keep its folder off the path so `import docx` (python-docx,
# used by docxtpl) finds the library, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT / "src"))

from contractgen.pipeline import build_document, load_template  # noqa: E402
from contractgen.model import Clause, Paragraph, Table, join_number, plain_text  # noqa: E402
from contractgen.spec import load_data_file, validate_data  # noqa: E402
from contractgen.writers.docx import DocxWriter  # noqa: E402


def flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, str) and len(value) >= 2:
            out[name] = value
    return out


def tagged(text: str, values: dict[str, str]) -> str:
    """Put ``{{ name }}`` where a data value appears, longest values first."""
    for name, value in sorted(values.items(), key=lambda kv: -len(kv[1])):
        text = text.replace(value, "{{ " + name + " }}")
    return text


def make_docxtpl_template(doc, data: dict, path: Path) -> None:
    import docx

    values = flatten(data)
    word = docx.Document()
    for _part, block in doc.blocks():
        if isinstance(block, Clause):
            style = "Heading 2" if block.title and block.level == 1 else None
            text = join_number(block.number_text, block.title or plain_text(block.text))
            word.add_paragraph(tagged(text, values), style=style)
        elif isinstance(block, Paragraph):
            word.add_paragraph(tagged(plain_text(block.text), values))
        elif isinstance(block, Table):
            width = max(len(r) for r in block.rows)
            table = word.add_table(rows=len(block.rows), cols=width)
            for row, cells in zip(table.rows, block.rows):
                for cell, inlines in zip(row.cells, cells):
                    cell.text = tagged(plain_text(inlines), values)
    word.save(path)


def per_second(n: int, step) -> float:
    step()  # warm-up
    started = time.perf_counter()
    for _ in range(n):
        step()
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("template", nargs="?", type=Path, default=ROOT / "templates" / "huzhou-cs-outsourcing")
    parser.add_argument("-n", type=int, default=50, help="documents per measurement")
    args = parser.parse_args()

    from docxtpl import DocxTemplate

    template = load_template(args.template)
    data_path = args.template / "sample-data.yaml"
    raw, lines = load_data_file(data_path)
    data = validate_data(template.spec, raw, str(data_path), lines)
    writer = DocxWriter()
    doc = build_document(template, data, check=False)

    with tempfile.TemporaryDirectory() as tmp:
        tpl_path = Path(tmp) / "yardstick.docx"
        make_docxtpl_template(doc, raw, tpl_path)

        def docxtpl_once() -> None:
            tpl = DocxTemplate(tpl_path)
            tpl.render(raw)
            tpl.save(io.BytesIO())

        ours = per_second(args.n, lambda: writer.render(build_document(template, data, check=False)))
        writer_only = per_second(args.n, lambda: writer.render(doc))
        yardstick = per_second(args.n, docxtpl_once)

    print(f"contract: {args.template.name}, {sum(1 for _ in doc.blocks())} blocks, n={args.n}")
    print(f"contractgen build + DOCX writer : {ours:8.1f} docs/s")
    print(f"contractgen DOCX writer only    : {writer_only:8.1f} docs/s")
    print(f"docxtpl render + save (yardstick): {yardstick:8.1f} docs/s")
    print(f"ratio (build + writer / docxtpl) : {ours / yardstick:8.1f}x")


if __name__ == "__main__":
    main()
