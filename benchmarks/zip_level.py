"""Which deflate should the DOCX writer use? CPU time and size of each library and level.

    .venv/bin/python benchmarks/zip_level.py [--rounds 7] [--n 200]

Compresses the members of the sample contract's DOCX (built in process) with zlib at
levels 0–9 and with ISA-L (python-isal, what the writer uses) at its levels 0–3, ``--n``
times per round, and prints the best round's CPU time per document (process time, so
other processes on a shared machine do not count) and the compressed size.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# benchmarks/docx.py would shadow python-docx (docxtpl's) for `import docx`: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
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


def cpu_ms(data: list[bytes], level: int, n: int, rounds: int, library=zlib) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            size = 0
            for member in data:
                c = library.compressobj(level, library.DEFLATED, -15)
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
    from isal import isal_zlib

    print("library  level  CPU ms/doc  bytes")
    for name, library, levels in (("zlib", zlib, range(10)), ("isal", isal_zlib, range(4))):
        for level in levels:
            ms, size = cpu_ms(data, level, args.n, args.rounds, library)
            print(f"{name:>7}  {level:>5}  {ms:10.3f}  {size:,}")


if __name__ == "__main__":
    main()
