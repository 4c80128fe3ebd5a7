"""A resolved reference is structured parts (scope, cite words, number, title), and the
DOCX writer turns exactly the number part into a REF field — nothing is searched for
inside the display text."""

from __future__ import annotations

import pytest
from lxml import etree

from contractgen.model import (CITE, NUMBER, SCOPE, TITLE, Clause, Paragraph, Part, Ref, RefPart,
                               plain_text)
from contractgen.numbering import get_scheme
from contractgen.passes.references import reference_parts
from contractgen.writers.docx.body import BodyBuilder
from contractgen.writers.docx.fields import Bookmarks

from conftest import SAMPLE
from helpers import build

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

ARTICLE_ZH = Clause(1, title="争议解决", number=(7,), number_text="第七条")
SECTION_ZH = Clause(2, title="协商解决", number=(7, 1), number_text="7.1")
SECTION_EN = Clause(2, title="Fees", number=(6, 1), number_text="Section 6.1")
SUBCLAUSE_EN = Clause(3, number=(6, 1, 2), number_text="(b)", parent=SECTION_EN)
CLAUSE_GB = Clause(1, title="Fees", number=(4,), number_text="4.")
SECTION_GB = Clause(2, number=(4, 2), number_text="4.2", parent=CLAUSE_GB)
ITEM_GB = Clause(3, number=(4, 2, 1), number_text="(a)", parent=SECTION_GB)
SUBITEM_GB = Clause(4, number=(4, 2, 1, 3), number_text="(iii)", parent=ITEM_GB)
ARTICLE_HANZI = Clause(1, title="付款", number=(3,), number_text="第三条")
ITEM_HANZI = Clause(2, number=(3, 1), number_text="一、", parent=ARTICLE_HANZI)
SUBITEM_HANZI = Clause(3, number=(3, 1, 2), number_text="（二）", parent=ITEM_HANZI)
ATTACHMENT = Part("attachment", "att-fees", title="服务费用", number=3, number_text="附件三")

# (case, scheme, target, with_title, scope, expected parts)
CASES = [
    ("zh same part", "zh", ARTICLE_ZH, False, "", [(NUMBER, "第七条")]),
    ("zh with scope", "zh", ARTICLE_ZH, False, "本合同", [(SCOPE, "本合同"), (NUMBER, "第七条")]),
    ("zh with title", "zh", ARTICLE_ZH, True, "", [(NUMBER, "第七条"), (TITLE, "（争议解决）")]),
    ("zh section: cite words around the number", "zh", SECTION_ZH, True, "本合同",
     [(SCOPE, "本合同"), (CITE, "第"), (NUMBER, "7.1"), (CITE, "条"), (TITLE, "（协商解决）")]),
    ("en scope after the number", "en", SECTION_EN, False, "the Agreement",
     [(NUMBER, "Section 6.1"), (SCOPE, " of the Agreement")]),
    ("en title then scope", "en", SECTION_EN, True, "the Agreement",
     [(NUMBER, "Section 6.1"), (TITLE, " (Fees)"), (SCOPE, " of the Agreement")]),
    # (b) of Section 6.1 is "Section 6.1(b)": two live numbers, the section's and the item's own
    ("en list item cited with its section", "en", SUBCLAUSE_EN, False, "", [(NUMBER, "Section 6.1"), (NUMBER, "(b)")]),
    # "4." cited as "Clause 4": the word is text, the number its own level without the period (REF \\n)
    ("en-GB clause", "en-GB", CLAUSE_GB, False, "", [(CITE, "Clause "), (NUMBER, "4")]),
    ("en-GB sub-clause", "en-GB", SECTION_GB, False, "", [(CITE, "Clause "), (NUMBER, "4.2")]),
    ("en-GB (a)", "en-GB", ITEM_GB, False, "", [(CITE, "Clause "), (NUMBER, "4.2"), (NUMBER, "(a)")]),
    ("en-GB (iii) of (a)", "en-GB", SUBITEM_GB, False, "the Agreement",
     [(CITE, "Clause "), (NUMBER, "4.2"), (NUMBER, "(a)"), (NUMBER, "(iii)"), (SCOPE, " of the Agreement")]),
    # 一、 of 第三条 is 第三条第一款: the article's number is live, the 款 is counted in words
    ("zh-hanzi 款", "zh-hanzi", ITEM_HANZI, False, "", [(NUMBER, "第三条"), (CITE, "第一款")]),
    ("zh-hanzi 项", "zh-hanzi", SUBITEM_HANZI, False, "本合同",
     [(SCOPE, "本合同"), (NUMBER, "第三条"), (CITE, "第一款第（二）项")]),
    ("attachment target", "zh", ATTACHMENT, False, "", [(NUMBER, "附件三")]),
    ("attachment target with title", "zh", ATTACHMENT, True, "", [(NUMBER, "附件三"), (TITLE, "（服务费用）")]),
]


@pytest.mark.parametrize("scheme, target, with_title, scope, expected",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reference_parts(scheme, target, with_title, scope, expected) -> None:
    parts = reference_parts(get_scheme(scheme), target, with_title=with_title, scope=scope)
    assert [(p.role, p.text) for p in parts] == expected


def test_text_cite_and_number_are_joined_from_the_parts() -> None:
    ref = Ref("x", target=SECTION_ZH, parts=(RefPart(SCOPE, "本合同"), RefPart(CITE, "第"), RefPart(NUMBER, "7.1"),
                                             RefPart(CITE, "条"), RefPart(TITLE, "（协商解决）")))
    assert ref.text == "本合同第7.1条（协商解决）"
    assert ref.cite == "第7.1条"
    assert ref.number == "7.1"
    assert plain_text(["依照", ref, "约定"]) == "依照本合同第7.1条（协商解决）约定"
    assert plain_text([Ref("missing")]) == "[[ref:missing]]"


def test_the_pass_scopes_only_clauses_of_another_part() -> None:
    doc = build(SAMPLE, check=False)
    main = next(p for p in doc.parts if p.kind == "main")
    addendum = next(p for p in doc.parts if p.kind == "addendum")
    refs = [r for b in addendum.blocks for r in _refs(b)]
    to_main = [r for r in refs if _in(main, r.target)]
    to_own = [r for r in refs if _in(addendum, r.target)]
    to_attachments = [r for r in refs if isinstance(r.target, Part)]
    assert to_main and to_own and to_attachments
    assert all(r.parts[0] == RefPart(SCOPE, "本合同") for r in to_main)
    assert all(r.number == r.target.number_text for r in refs)
    assert all(SCOPE not in [p.role for p in r.parts] for r in to_own + to_attachments)


def _in(part: Part, block) -> bool:
    return any(b is block for b in part.blocks)


def _refs(block) -> list[Ref]:
    text = block.text if isinstance(block, (Clause, Paragraph)) else []
    return [n for n in text if isinstance(n, Ref)]


def _ref_xml(ref: Ref) -> list[tuple[str, str]]:
    """The runs BodyBuilder writes for ``ref``, as (kind, text): text runs and field pieces."""
    builder = BodyBuilder(None, None, Bookmarks(), 2)
    xml = f'<root xmlns:w="{W[1:-1]}">{builder.ref(ref)}</root>'
    out = []
    for node in etree.fromstring(xml).iter(f"{W}t", f"{W}instrText", f"{W}fldChar"):
        kind = node.get(f"{W}fldCharType") or etree.QName(node).localname
        out.append((kind, (node.text or "").strip() if kind == "instrText" else node.text or ""))
    return out


@pytest.mark.parametrize("scheme, target, scope, before, number, after", [
    ("zh", SECTION_ZH, "本合同", "本合同第", "7.1", "条（协商解决）"),
    ("zh", ARTICLE_ZH, "", "", "第七条", "（争议解决）"),
    ("en", SECTION_EN, "the Agreement", "", "Section 6.1", " (Fees) of the Agreement"),
])
def test_docx_ref_field_wraps_exactly_the_number_part(scheme, target, scope, before, number, after) -> None:
    target.ref_bookmark = "_Ref100000007"
    try:
        ref = Ref("x", target=target, with_title=True,
                  parts=reference_parts(get_scheme(scheme), target, with_title=True, scope=scope))
        expected = [("t", before)] if before else []
        expected += [("begin", ""), ("instrText", "REF _Ref100000007 \\r \\h"), ("separate", ""), ("t", number),
                     ("end", ""), ("t", after)]
        assert _ref_xml(ref) == expected
    finally:
        target.ref_bookmark = ""


def test_docx_ref_without_bookmark_is_plain_text() -> None:
    ref = Ref("x", target=ARTICLE_ZH, parts=(RefPart(SCOPE, "本合同"), RefPart(NUMBER, "第七条")))
    assert _ref_xml(ref) == [("t", "本合同第七条")]
    assert _ref_xml(Ref("missing")) == [("t", "[[ref:missing]]")]
