"""Benchmark `contractgen check`: articles per second on synthetic contracts of growing size.

Run: .venv/bin/python benchmarks/check.py [--sizes 100,1000]
Each contract has N articles with three sub-clauses, references, a TOC and a register,
written as Markdown and checked through the reader and every rule. The cost must grow
linearly: the per-article time of the largest size is compared with the smallest's,
measured in the same run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from contractgen.numbering.zh import count
from contractgen.checking import check_file


def contract(articles: int) -> str:
    toc = [f"- 第{count(n)}条 条款{n}" for n in range(1, articles + 1)]
    body = []
    for n in range(1, articles + 1):
        body.append(f"## 第{count(n)}条 条款{n}\n")
        for s in range(1, 4):
            cite = f"第{count(max(1, n - 1))}条" if s == 2 else "附件一"
            body.append(f"{n}.{s} 甲方应按照本合同{cite}的约定履行义务，金额为人民币壹仟元整（¥1,000.00）。\n")
    return "\n".join(["# 服务合同\n", "甲方：某公司\n\n乙方：某科技\n", "目录\n", *toc, "",
                      *body, "附件清单\n\n附件一：服务说明\n", "## 附件一 服务说明\n", "服务内容。\n"])


def measure(articles: int, folder: Path, repeat: int = 3) -> float:
    path = folder / f"c{articles}.md"
    path.write_text(contract(articles), encoding="utf-8")
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        findings = check_file(path)
        best = min(best, time.perf_counter() - started)
    assert not findings, [f.format() for f in findings[:3]]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        measure(sizes[0], Path(tmp), repeat=1)  # warm imports and regex caches
        results = [(n, measure(n, Path(tmp))) for n in sizes]
    base_n, base_t = results[0]
    for n, t in results:
        ratio = (t / n) / (base_t / base_n)
        print(f"{n:>6} articles: {t * 1000:8.1f} ms  {n / t:10.0f} articles/s  per-article cost x{ratio:.2f} vs {base_n}")
    verdict = "linear" if (results[-1][1] / results[-1][0]) / (base_t / base_n) < 2 else "SUPERLINEAR"
    print(f"growth: {verdict}")


if __name__ == "__main__":
    main()
