"""English numbering, English-law style: clauses 1., 1.1, (a), (i), (A), cited "Clause 1",
"Clause 4.2(a)"; Schedule 1 with paragraphs 1., 1.1, (a), cited "paragraph 3 of Schedule 1"."""

from __future__ import annotations

from dataclasses import replace

from .en import EN

EN_GB = replace(
    EN,
    name="en-GB",
    # Headings are "1. Definitions" as English-law contracts print them; "Clause" is how
    # the text cites them ("Clause 1", "Clauses 4 to 6", "Clause 4.2(a)").
    clause_formats=("{d}.", "{path}", "({a})", "({i})", "({A})"),
    cite_formats=("Clause {L1}", "Clause {L2}", "Clause {L2}{L3}", "Clause {L2}{L3}{L4}", "Clause {L2}{L3}{L4}{L5}"),
    attachment_clause_formats=("{path}.", "{path}", "({a})", "({i})"),
    word_article_text="%1.",
    language_tag="en-GB",
    description="Clause 1 / 1.1 / (a) / (i) / (A); Schedule 1 with paragraphs (English law)",
    typography=replace(EN.typography, clause_indents=((0, 0), (720, 720), (1440, 720), (2160, 720), (2880, 720))),
    signatures=replace(EN.signatures, lead="This Agreement has been entered into on the date stated at the "
                                           "beginning of it."),
)
