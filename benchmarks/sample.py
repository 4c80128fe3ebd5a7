"""The benchmarks' contract: the Huzhou sample, by default without its Word parts.

The docxtpl loop's template (benchmarks/docx.py) is made from our generated document and
has no counterpart of the firm's Word cover and signature page (``kind: word``, issue 17),
so a like-for-like comparison leaves them out; ``--word-parts`` keeps the sample as shipped.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "templates" / "huzhou-cs-outsourcing"


def without_word_parts(folder: Path) -> Path:
    """A copy of the sample's contract.yaml in ``folder`` without its Word parts, reading
    the sample's clause library."""
    import yaml

    spec = yaml.safe_load((SAMPLE / "contract.yaml").read_text(encoding="utf-8"))
    spec["parts"] = [p for p in spec["parts"] if p.get("kind") != "word"]
    spec.pop("skeleton", None)
    spec["library"] = str((ROOT / "clauses").resolve())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contract.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return folder
