"""One ids pass names every anchor; the Markdown, HTML and DOCX writers all use it."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from contractgen.model import AttachmentRegister, Clause, Document, Paragraph, Part, Toc
from contractgen.passes import PASSES
from contractgen.passes.ids import ensure_ids
from contractgen.writers.docx import DocxWriter
from contractgen.writers.html import HtmlWriter
from contractgen.writers.markdown import MarkdownWriter

from conftest import ROOT, SAMPLE
from docx_inspect import W, bookmarked_paragraphs, fields, read_part
from helpers import build

TEMPLATES = {"zh": SAMPLE, "en": ROOT / "templates" / "services-agreement-en"}


@pytest.fixture(scope="module", params=sorted(TEMPLATES))
def doc(request) -> Document:
    return build(TEMPLATES[request.param], check=False)


def _targets(doc: Document):
    for part in doc.parts:
        yield part, part
        for clause in part.clauses():
            yield clause, part


def test_ids_runs_after_the_toc_and_the_register() -> None:
    names = [name for name, _ in PASSES]
    assert names.index("ids") > max(names.index("toc"), names.index("attachments"))


def test_the_pass_names_each_heading_by_label_else_part_and_number(doc) -> None:
    anchors = [t.anchor for t, _ in _targets(doc)]
    assert len(anchors) == len(set(anchors)) and all(anchors)
    for target, part in _targets(doc):
        if target.label:
            assert target.anchor == target.label
        elif isinstance(target, Clause):
            assert target.anchor == part.id + "-" + "-".join(map(str, target.number))
        else:
            assert target.anchor == target.id


def test_bookmarks_go_to_cited_and_listed_targets_in_document_order(doc) -> None:
    cited = {id(r.target) for r in doc.refs()}
    cited |= {id(e.target) for _, b in doc.blocks() if isinstance(b, AttachmentRegister) for e in b.entries}
    listed = {id(e.target) for _, b in doc.blocks() if isinstance(b, Toc) for e in b.entries}
    targets = [t for t, _ in _targets(doc)]
    assert [t.ref_bookmark for t in targets if id(t) in cited] == [
        f"_Ref{100000001 + i}" for i in range(len(cited))]
    assert [t.toc_bookmark for t in targets if id(t) in listed] == [
        f"_Toc{100000001 + i}" for i in range(len(listed))]
    assert not any(t.ref_bookmark for t in targets if id(t) not in cited)
    assert not any(t.toc_bookmark for t in targets if id(t) not in listed)


def test_every_writer_uses_the_same_anchor_for_the_same_target(doc) -> None:
    markdown = MarkdownWriter().render(doc).decode("utf-8")
    page = HtmlWriter().render(doc).decode("utf-8")
    document = read_part(DocxWriter().render(doc), "word/document.xml")
    md_ids = set(re.findall(r"\{#([^}]+)\}", markdown)) | set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    md_links = set(re.findall(r"\]\(#([^)]+)\)", markdown))
    html_ids = set(re.findall(r' id="([^"]+)"', page))
    html_ref_links = {unquote(h) for h in re.findall(r'<a href="#([^"]+)" id="[^"]+" class="ref">', page)}
    docx_marks = bookmarked_paragraphs(document)
    docx_refs = {f.instruction.split()[1] for f in fields(document) if f.instruction.startswith("REF ")}
    docx_links = {h.get(f"{W}anchor") for h in _hyperlinks(document)}
    cited = [r.target for r in doc.refs()]
    assert cited
    for target in cited:
        assert target.anchor in md_ids and target.anchor in md_links
        assert target.anchor in html_ids and target.anchor in html_ref_links
        assert target.ref_bookmark in docx_refs and target.ref_bookmark in docx_marks
        assert _heading_of(target) in "".join(docx_marks[target.ref_bookmark].itertext())
    for _, block in doc.blocks():
        for entry in block.entries if isinstance(block, Toc) else []:
            assert entry.target.anchor in md_links
            assert f'href="#{entry.target.anchor}"' in page
            assert entry.target.toc_bookmark in docx_links and entry.target.toc_bookmark in docx_marks


def _heading_of(target: Clause | Part) -> str:
    return target.title or ""


def _hyperlinks(document_xml: bytes):
    from lxml import etree

    return etree.fromstring(document_xml).iter(f"{W}hyperlink")


def test_a_read_document_gets_ids_where_a_writer_needs_them() -> None:
    clause = Clause(1, title="定义", number=(1,), number_text="第一条")
    twin = Clause(1, title="定义", number=(1,), number_text="第一条")  # a legacy contract numbers twice
    doc = Document("合同", parts=[Part("body", "body", blocks=[Paragraph(["甲方"]), clause, twin])])
    assert clause.anchor == ""
    page = HtmlWriter().render(doc).decode("utf-8")
    assert (doc.parts[0].anchor, clause.anchor, twin.anchor) == ("body", "body-1", "body-1-2")
    assert 'id="body-1"' in page and 'id="body-1-2"' in page
    clause.anchor = "kept"
    ensure_ids(doc)  # ids once given are not recomputed by the next writer
    assert clause.anchor == "kept"
