"""How fast is `contractgen compare`? A 200-article contract against a plain difflib diff.

    .venv/bin/python benchmarks/compare.py [--articles 200] [--repeat 5] [--format docx]

The contract is generated here (Chinese, every article with three sections of two numbered
paragraphs, a citation of the next article in each): OLD, and NEW with one article deleted
(so every later article and every citation of one is renumbered), one moved, ten sentences
edited and five amounts changed. Measured in the same run:

- whole process: ``contractgen compare OLD NEW --format json`` as a user runs it (start-up,
  reading both files, matching, classifying, writing the JSON);
- for scale, ``contractgen check OLD NEW`` in a fresh process: the same start-up and readers;
- in process, the best of ``--repeat`` runs: reading both files; then comparing them
  (:func:`contractgen.compare.api.compare_versions`: matching, classifying, check's reference
  rules on both) with the text summary; and the redline in ``--format``;
- baseline: ``difflib.unified_diff`` over the two files' lines, in process — what a plain
  line diff costs, knowing nothing of articles, numbers or references.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT / "src"))

from contractgen.compare.api import compare_files, compare_versions, render  # noqa: E402
from contractgen.compare.refs import citations  # noqa: E402
from contractgen.readers import read_path  # noqa: E402
from contractgen.numbering.zh import count  # noqa: E402


def article(n: int, shown: int, cite, fee: int, edited: bool) -> list[str]:
    """Article ``n`` of the contract, numbered ``shown``; ``cite(m)`` is article m's number now."""
    lines = [f"## 第{count(shown)}条 第{n}项服务的约定", ""]
    for s in (1, 2, 3):
        lines += [f"### {shown}.{s} 第{n}项服务的第{s}部分", ""]
        duty = "乙方应当在收到书面通知后十五日内完成整改" if edited and s == 2 else "乙方应当在收到书面通知后三十日内完成整改"
        lines += [f"{shown}.{s}.1 {duty}，并就第{n}项服务的第{s}部分向甲方提交书面报告。", ""]
        target = cite(n + 1)
        ref = f"，并适用本合同第{count(target)}条的约定" if target else ""
        lines += [f"{shown}.{s}.2 本部分服务费用为人民币{fee + s * 100:,}元{ref}。", ""]
    return lines


def contract(articles: int, drop: int | None = None, move: tuple[int, int] | None = None,
             edits: frozenset = frozenset(), fees: frozenset = frozenset()) -> str:
    order = [n for n in range(1, articles + 1) if n != drop]
    if move:
        order.remove(move[0])
        order.insert(order.index(move[1]) + 1, move[0])
    place = {n: i + 1 for i, n in enumerate(order)}
    lines = ["# 服务合同", "", "甲方：湖州织里优选电子商务有限公司", "", "乙方：杭州云联客服科技有限公司", ""]
    for n in order:
        lines += article(n, place[n], place.get, 8000 + (500 if n in fees else 0) + n, n in edits)
    return "\n".join(lines) + "\n"


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--format", default="docx", choices=["text", "json", "html", "docx"])
    args = parser.parse_args()
    n = args.articles
    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "old.md", Path(tmp) / "new.md"
        old.write_text(contract(n), encoding="utf-8")
        new.write_text(contract(n, drop=3, move=(n // 4, 3 * n // 4), edits=frozenset(range(10, n, n // 10)),
                                fees=frozenset(range(7, n, n // 5))), encoding="utf-8")
        comparison = compare_files(old, new)
        totals = comparison.totals()
        exe = Path(sys.executable).with_name("contractgen")
        started = time.perf_counter()
        done = subprocess.run([str(exe), "compare", str(old), str(new), "--format", "json"], capture_output=True)
        whole = time.perf_counter() - started
        assert done.returncode == 1, done.stderr.decode()
        checked = subprocess.run([str(exe), "check", str(old), str(new)], capture_output=True)
        check_whole = time.perf_counter() - started - whole
        reading = best(args.repeat, lambda: (read_path(old), read_path(new)))
        docs = read_path(old), read_path(new)

        def comparing():
            citations.cache_clear()  # every run finds the citations afresh
            return render(compare_versions(*docs), "text")

        inproc = best(args.repeat, comparing)
        redline = best(args.repeat, lambda: render(comparison, args.format))
        a, b = old.read_text(encoding="utf-8").splitlines(), new.read_text(encoding="utf-8").splitlines()
        baseline = best(args.repeat, lambda: list(difflib.unified_diff(a, b, lineterm="")))
        changed_lines = sum(1 for line in difflib.unified_diff(a, b, lineterm="") if line[:1] in "+-")
    print(f"contract: {n} articles, {len(a)} lines; NEW: 1 deleted, 1 moved, 10 edited, 5 amounts changed")
    print(f"compare found: {', '.join(f'{v} {k}' for k, v in totals.items() if v and k != 'unchanged')}")
    print(f"difflib sees {changed_lines} changed lines (every renumbered heading and citation)")
    print(f"whole process (contractgen compare --format json): {whole:.3f} s; "
          f"`contractgen check` on the same two files: {check_whole:.3f} s (exit {checked.returncode})")
    print(f"in process, best of {args.repeat}: reading both files {reading:.3f} s (the readers check uses); "
          f"compare + reference findings + text summary {inproc:.3f} s")
    print(f"redline --format {args.format}: {redline:.3f} s")
    print(f"baseline difflib.unified_diff: {baseline:.3f} s; compare in process is {inproc / baseline:.1f}x the baseline")


if __name__ == "__main__":
    main()
