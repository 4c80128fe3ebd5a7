"""English numbering, US style: Article 1, Section 1.1, (a), (i), (A); Schedule 1 with
paragraphs 1., 1.1, (a), cited "paragraph 3 of Schedule 1"."""

from __future__ import annotations

from .base import Scheme, SignatureForm, Typography


def count(n: int) -> str:
    return str(n)


EN = Scheme(
    name="en",
    count=count,
    clause_formats=("Article {n}", "Section {path}", "({a})", "({i})", "({A})"),
    cite_formats=("{L1}", "{L2}", "{L2}{L3}", "{L2}{L3}{L4}", "{L2}{L3}{L4}{L5}"),
    attachment_cite_formats=("paragraph {L1}", "paragraph {L2}", "paragraph {L2}{L3}", "paragraph {L2}{L3}{L4}"),
    description="Article 1 / Section 1.1 / (a) / (i) / (A); Schedule 1 (US style)",
    attachment_format="Schedule {n}",
    scoped="{cite} of {scope}",
    toc_title="Contents",
    register_title="Schedules",
    attachment_clause_formats=("{path}.", "{path}", "({a})", "({i})"),
    word_num_fmt="decimal",
    word_article_text="Article %1",
    word_attachment_text="Schedule %1",
    titled="{cite} ({title})",
    language_tag="en-US",
    fonts=("Times New Roman", "Arial"),
    contract_no_label="Contract No. ",
    page_labels=("Page ", " of ", ""),
    # Left-aligned, not justified: justification needs hyphenation to avoid rivers, and
    # hyphenation depends on each viewer's dictionaries; ragged right looks the same everywhere.
    typography=Typography(
        latin_font="Times New Roman", justify="left", first_line_chars=0, space_after=160, line=264,
        heading_bold=True, hyphenate=False,
        # (a) under the section's title, (i) and (A) each a step further in
        clause_indents=((0, 0), (1440, 1440), (1440, 720), (2160, 720), (2880, 720)),
        attachment_indents=((0, 0), (720, 720), (1440, 720), (2160, 720)),
        curly_quotes=True,
        keep_together=(r"\b(?:Article|Section|Clause|Schedule|Annex|Exhibit|Appendix) [0-9IVX]",),
    ),
    signatures=SignatureForm(
        lead="[Signature page follows]", new_page=True,
        lines=(("Signed by", ""), ("for and on behalf of {name} ({the_role})", None),
               ("Name:", "signatory"), ("Title:", ""), ("Date:", "date")),
        first_room=1000, room=1000,
    ),
)
