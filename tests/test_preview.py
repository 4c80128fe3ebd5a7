"""`contractgen preview` without a browser: page structure, links, findings, provenance, CLI."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from contractgen.cli import main
from contractgen.commands.preview import PreviewSource, preview_document, render_preview
from contractgen.diagnostics import ERROR, Finding
from contractgen.library import load_library
from contractgen.model import Clause, Document, Paragraph, Part, SourcePos
from contractgen.writers import get_writer
from contractgen.writers.html import HtmlWriter
from contractgen.writers.html_index import IdRegistry, place_findings

from conftest import ROOT
from preview_support import (ENGLISH, LEGACY, LEGACY_SOURCE, SAMPLE_DATA, SAMPLE_SOURCE, audit_html,
                             parse_errors)

CASES = {
    "sample": SAMPLE_SOURCE,
    "english": PreviewSource(ENGLISH, ENGLISH / "sample-data.yaml"),
    "legacy-seed": LEGACY_SOURCE,
    "legacy-md": PreviewSource(LEGACY.parent / "commonpaper-mutual-nda.md"),
    "legacy-docx": None,  # the sample built as DOCX, then read back like a legacy contract
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, bytes]:
    from contractgen.commands.build import run_build

    out = tmp_path_factory.mktemp("docx")
    docx = run_build(SAMPLE_DATA.parent, SAMPLE_DATA, out, ["docx"])[0]
    sources = {**CASES, "legacy-docx": PreviewSource(docx)}
    return {name: render_preview(source)[0] for name, source in sources.items()}


def tree(page: bytes):
    return lxml.html.fromstring(page.decode("utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_has_unique_ids_live_links_and_no_external_urls(pages, name) -> None:
    assert audit_html(pages[name]) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_parses_without_html_errors(pages, name) -> None:
    assert parse_errors(pages[name]) == []


def test_audit_catches_what_it_looks_for() -> None:
    bad = (b'<p id="a"></p><p id="a"></p><a href="#nowhere">x</a><img src="https://cdn.example/x.png">'
           b"<style>body{background:url(//cdn.example/y.png)}</style>")
    problems = audit_html(bad)
    assert "duplicate id 'a'" in problems
    assert "dangling link #nowhere" in problems
    assert any(p.startswith("external URL") for p in problems)
    assert any(p.startswith("CSS url(") for p in problems)


def test_headings_carry_label_ids_and_references_link_to_them(pages) -> None:
    root = tree(pages["sample"])
    heading = root.get_element_by_id("dispute-resolution")
    assert heading.tag == "h3"
    assert heading.text_content().startswith("第七条")
    # 补充协议 第十条 第三方与争议解决, 10.1: "……依照本合同第七条（争议解决）约定的方式解决。"
    article = root.get_element_by_id("third-party-disputes")
    citing = article.xpath('following-sibling::p[contains(@class, "clause")][1]')[0]
    refs = [(r.get("href"), r.text_content()) for r in citing.xpath('.//a[@class="ref"]')]
    assert refs == [("#dispute-resolution", "本合同第七条（争议解决）")]


def test_every_reference_is_a_link_to_its_target(pages) -> None:
    doc, _ = preview_document(SAMPLE_SOURCE)
    root = tree(pages["sample"])
    links = root.xpath('//a[@class="ref"]')
    assert len(links) == sum(1 for _ in doc.refs())
    for link in links:
        target = root.get_element_by_id(link.get("href")[1:])
        assert target.tag in ("h2", "h3", "h4", "h5", "p")


def test_toc_links_to_every_heading_it_lists(pages) -> None:
    root = tree(pages["sample"])
    toc_links = root.xpath('//nav[contains(@class, "toc")]//a/@href')
    assert "#dispute-resolution" in toc_links and "#att-kpi" in toc_links
    for href in toc_links:
        assert root.get_element_by_id(href[1:]).tag in ("h2", "h3", "h4")


def test_cited_heading_links_back_to_each_citation(pages) -> None:
    root = tree(pages["sample"])
    heading = root.get_element_by_id("dispute-resolution")
    backlinks = heading.getnext()
    assert backlinks.tag == "aside" and "backlinks" in backlinks.get("class")
    targets = [a.get("href")[1:] for a in backlinks.iter("a")]
    cited_from = [root.get_element_by_id(t) for t in targets]
    doc, _ = preview_document(SAMPLE_SOURCE)
    assert len(cited_from) == sum(r.label == "dispute-resolution" for r in doc.refs()) >= 1
    assert {el.get("href") for el in cited_from} == {"#dispute-resolution"}
    assert "补充协议（第三方介入） 10.1" in backlinks.text_content()


def test_library_text_names_its_clause_and_version(pages) -> None:
    library = load_library(ROOT / "clauses")
    root = tree(pages["sample"])
    lib = root.xpath('//*[contains(concat(" ", @class, " "), " lib ")]')
    assert len(lib) > 100
    for element in lib:
        fragment = library[element.get("data-clause")]
        assert element.get("data-version") == fragment.version
        assert element.get("title") == f"{fragment.id} v{fragment.version}"
    toc = root.xpath('//nav[contains(@class, "toc")]')[0]
    assert "gen" in toc.get("class").split()
    assert root.xpath('//span[@class="num"]') and root.body.get("class") == "generated"


def test_docx_read_back_keeps_headings_and_source_lines(pages) -> None:
    root = tree(pages["legacy-docx"])
    assert root.body.get("class") == "legacy"
    headings = [h.text_content() for h in root.xpath("//h3")]
    assert any(h.startswith("第七条") and "争议解决" in h for h in headings)
    assert root.xpath('//*[@data-line]')


def test_generated_contract_shows_a_no_findings_panel(pages) -> None:
    _, findings = preview_document(SAMPLE_SOURCE)
    assert findings == []
    panel = tree(pages["sample"]).get_element_by_id("findings")
    assert "No findings" in panel.text_content()


def test_legacy_findings_are_marked_at_their_lines_and_listed(pages) -> None:
    _, findings = preview_document(LEGACY_SOURCE)
    root = tree(pages["legacy-seed"])
    marks = root.xpath('//span[contains(concat(" ", @class, " "), " finding ")]')
    assert len(marks) == len(findings)
    for mark, finding in zip(marks, findings):
        assert mark.get("data-code") == finding.code
        assert finding.message in mark.text_content()
        holder = next(a for a in mark.iterancestors() if a.get("data-line"))
        assert int(holder.get("data-line")) == finding.line
    items = root.get_element_by_id("findings").xpath(".//li")
    assert [li.get("data-code") for li in items] == [f.code for f in findings]
    assert [li.xpath(".//a/@href")[0] for li in items] == [f"#{m.get('id')}" for m in marks]


def test_numbering_gap_and_placeholders_in_the_seed(pages) -> None:
    root = tree(pages["legacy-seed"])
    gap = root.xpath('//span[@data-code="numbering-gap"]')[0].getparent()
    assert gap.text_content().startswith("第八条")
    blanks = root.xpath('//span[@data-code="unfilled-placeholder"]')
    assert {b.getparent().get("data-line") for b in blanks} == {"3", "145"}


def test_finding_without_a_matching_line_goes_to_the_panel_only() -> None:
    part = Part(kind="main", id="main", blocks=[Paragraph(["text"], pos=SourcePos("c.txt", 2))])
    doc = Document(title="T", parts=[part])
    findings = [Finding("x-here", ERROR, "here", SourcePos("c.txt", 2)),
                Finding("x-away", ERROR, "away", SourcePos("c.txt", 9)), Finding("x-none", ERROR, "none")]
    placed, unplaced = place_findings(doc, findings)
    assert placed == {id(part.blocks[0]): [0]} and unplaced == {1, 2}
    page = HtmlWriter(findings=findings).render(doc)
    root = tree(page)
    assert [m.get("data-code") for m in root.xpath('//span[@data-code]')] == ["x-here"]
    panel_text = root.get_element_by_id("findings").text_content()
    assert "line 9" in panel_text and "x-none" in panel_text
    assert audit_html(page) == []


def test_colliding_numbers_get_unique_ids() -> None:
    clauses = [Clause(level=1, title=t, number=(3,), number_text="第三条", pos=SourcePos("c.txt", i))
               for i, t in enumerate(["甲", "乙"], start=1)]
    doc = Document(title="T", parts=[Part(kind="main", id="main", blocks=clauses)])
    page = HtmlWriter().render(doc)
    assert tree(page).xpath("//h3/@id") == ["main-3", "main-3-2"]
    registry = IdRegistry()
    wanted = ("a", "a", "a b", "", 'x"><script>', "附件一(见)")
    assert [registry.claim(n) for n in wanted] == ["a", "a-2", "a-b", "x", "x-script", "附件一-见"]


def test_legacy_text_is_shown_literally() -> None:
    para = Paragraph(["<b>1 * 2</b> [x](http://e.com) **kept**"], pos=SourcePos("c.txt", 1))
    doc = Document(title="T", parts=[Part(kind="main", id="main", blocks=[para])])
    body = tree(HtmlWriter().render(doc)).xpath("//p")[0]
    assert body.text_content() == "<b>1 * 2</b> [x](http://e.com) **kept**"
    assert body.xpath(".//a | .//b | .//strong") == []


def test_preview_is_deterministic() -> None:
    assert render_preview(SAMPLE_SOURCE)[0] == render_preview(SAMPLE_SOURCE)[0]


def test_build_format_html_uses_the_same_writer(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["build", str(SAMPLE_DATA.parent), "--data", str(SAMPLE_DATA),
                                  "--out", str(tmp_path), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = next(tmp_path.glob("*.html")).read_bytes()
    assert b'id="findings"' not in page and b'id="dispute-resolution"' in page
    assert audit_html(page) == [] and get_writer("html").suffix == "html"


def test_cli_writes_the_page(tmp_path: Path, runner) -> None:
    out = tmp_path / "seed.html"
    result = runner.invoke(main, ["preview", str(LEGACY), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert b'data-code="numbering-gap"' in out.read_bytes()
    assert "error(s)" in result.output


def test_cli_never_overwrites_its_input_or_an_existing_page(tmp_path: Path, runner) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n", encoding="utf-8")
    result = runner.invoke(main, ["preview", str(notes), "--out", str(notes)])
    assert result.exit_code == 2 and "would overwrite the file being previewed" in result.output
    assert notes.read_text(encoding="utf-8") == "# my notes\n"
    page = tmp_path / "page.html"
    page.write_text("keep", encoding="utf-8")
    result = runner.invoke(main, ["preview", str(notes), "--out", str(page)])
    assert result.exit_code == 2 and "already exists (use --force" in result.output
    assert page.read_text(encoding="utf-8") == "keep"
    assert runner.invoke(main, ["preview", str(notes), "--out", str(page), "--force"]).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("args, message", [
    (["preview", str(SAMPLE_DATA.parent), "--out", "x.html"], "give its data file with --data"),
    (["preview", str(LEGACY), "--data", str(SAMPLE_DATA), "--out", "x.html"], "--data goes with a template"),
    (["preview", str(LEGACY)], "--out FILE.html"),
])
def test_cli_usage_errors_exit_2(runner, args, message) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
