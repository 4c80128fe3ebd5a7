"""Which deflate level should the DOCX writer use? CPU time and size of each level.

    .venv/bin/python benchmarks/zip_level.py [--rounds 7] [--n 200]

Compresses the members of the sample contract's DOCX (built in process) at levels 0–9,
``--n`` times per round, and prints the best round's CPU time per document (process
time, so other processes on a shared machine do not count) and the compressed size.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def members() -> list[bytes]:
    import yaml

    from contractgen.pipeline import build, load_template
    from contractgen.spec import validate_data
    from contractgen.writers import get_writer

    sample = ROOT / "templates" / "huzhou-cs-outsourcing"
    template = load_template(sample)
    data = validate_data(template.spec, yaml.safe_load((sample / "sample-data.yaml").read_text("utf-8")), "sample")
    parts = get_writer("docx").parts(build(template, data).doc)
    return [v.encode("utf-8") if isinstance(v, str) else v for v in parts.values()]


def cpu_ms(data: list[bytes], level: int, n: int, rounds: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            size = 0
            for member in data:
                c = zlib.compressobj(level, zlib.DEFLATED, -15)
                size += len(c.compress(member) + c.flush())
        best = min(best, (time.process_time() - started) / n * 1000)
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    data = members()
    print(f"{len(data)} members, {sum(map(len, data)):,} bytes uncompressed")
    print(" level  CPU ms/doc  bytes")
    for level in range(10):
        ms, size = cpu_ms(data, level, args.n, args.rounds)
        print(f"{level:>6}  {ms:10.3f}  {size:,}")


if __name__ == "__main__":
    main()
