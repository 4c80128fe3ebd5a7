"""Property: for random specs, numbering is contiguous and every reference names its target.

The expected numbers are derived from the generated spec's order alone (an article's
position, a section's position within it), independently of the numbering pass.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import build

DIGITS = "零一二三四五六七八九"


def zh(n: int) -> str:
    """Chinese counting for 1–99, written independently of the code under test."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


articles = st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=14)  # sections per article


@st.composite
def specs(draw):
    main = draw(articles)
    addendum = draw(st.one_of(st.none(), articles))
    n_attachments = draw(st.integers(min_value=0, max_value=3))
    labels = [f"m{i}" for i in range(len(main))] + [f"m{i}-{j}" for i, n in enumerate(main) for j in range(n)]
    labels += [f"a{i}" for i in range(len(addendum or []))] + [f"att{k}" for k in range(n_attachments)]
    order = draw(st.permutations(range(len(main))))
    cites = draw(st.lists(st.sampled_from(labels), max_size=12))
    return main, addendum, n_attachments, list(order), cites


def _write_project(root: Path, main, addendum, n_att, order, cites) -> None:
    clauses = root / "clauses" / "p"
    clauses.mkdir(parents=True)
    body_refs = "".join(f"见[[ref:{c}]]。" for c in cites) or "无。"

    def fragment(cid: str, body: str) -> None:
        (clauses / f"{cid}.md").write_text(f"---\nid: p/{cid}\ntitle: t\nversion: '1'\n---\n{body}", encoding="utf-8")

    for i, n in enumerate(main):
        sections = "".join(f"## 节{i}-{j} {{#m{i}-{j}}}\n正文。\n\n" for j in range(n))
        fragment(f"m{i}", f"# 条{i} {{#m{i}}}\n\n{body_refs if i == 0 else '正文。'}\n\n{sections}")
    for i, _ in enumerate(addendum or []):
        fragment(f"a{i}", f"# 补{i} {{#a{i}}}\n\n{body_refs}\n")
    for k in range(n_att):
        fragment(f"att{k}", "- 说明。\n")
    parts = [{"id": "main", "kind": "main", "title": "主合同", "cite_as": "本合同",
              "clauses": [f"p/m{i}" for i in order]}]
    if addendum is not None:
        parts.append({"id": "add", "kind": "addendum", "title": "补充协议", "clauses": [f"p/a{i}" for i in range(len(addendum))]})
    parts += [{"id": f"att{k}", "kind": "attachment", "title": f"附{k}", "clauses": [f"p/att{k}"]} for k in range(n_att)]
    template = root / "templates" / "t"
    template.mkdir(parents=True)
    spec = {"name": "t", "title": "合同", "lang": "zh", "data": {}, "parts": parts}
    (template / "contract.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    (template / "data.yaml").write_text("{}\n", encoding="utf-8")


def _expected_cite(label: str, main, order) -> tuple[str, str]:
    """(cite, part id) for a label, from the generated order alone."""
    if label.startswith("att"):
        return f"附件{zh(int(label[3:]) + 1)}", "att"
    if label.startswith("a"):
        return f"第{zh(int(label[1:]) + 1)}条", "add"
    article, _, section = label[1:].partition("-")
    position = order.index(int(article)) + 1
    return (f"第{position}.{int(section) + 1}条", "main") if section else (f"第{zh(position)}条", "main")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_numbering_is_contiguous_and_references_resolve(spec) -> None:
    main, addendum, n_att, order, cites = spec
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write_project(root, main, addendum, n_att, order, cites)
        doc = build(root / "templates" / "t", check=False)
    for part in doc.parts:
        articles = [c for c in part.clauses() if c.level == 1]
        assert [c.number for c in articles] == [(i,) for i in range(1, len(articles) + 1)]
        for article in articles:
            sections = [c.number for c in part.clauses() if c.level == 2 and c.number[0] == article.number[0]]
            assert sections == [(article.number[0], j) for j in range(1, len(sections) + 1)]
    refs = list(doc.refs())
    assert [r.label for r in refs] == cites * (1 + len(addendum or []))
    for ref in refs:
        cite, part_id = _expected_cite(ref.label, main, order)
        assert ref.cite == cite
        assert ref.target.label == ref.label
        from_addendum = ref.pos.path.endswith(tuple(f"a{i}.md" for i in range(len(addendum or []))))
        scoped = from_addendum and part_id == "main"
        assert ref.text == ("本合同" + cite if scoped else cite)
