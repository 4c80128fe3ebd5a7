"""English numbering, English-law style: Clause 1, 1.1, (a), (i), (A); Schedule 1 with
paragraphs 1, 1.1, (a), cited "Clause 4.2(a)" and "paragraph 3 of Schedule 1"."""

from __future__ import annotations

from dataclasses import replace

from .en import EN

EN_GB = replace(
    EN,
    name="en-GB",
    clause_formats=("Clause {d}", "{path}", "({a})", "({i})", "({A})"),
    cite_formats=("{L1}", "Clause {L2}", "Clause {L2}{L3}", "Clause {L2}{L3}{L4}", "Clause {L2}{L3}{L4}{L5}"),
    attachment_clause_formats=("{path}.", "{path}", "({a})", "({i})"),
    word_article_text="Clause %1",
    language_tag="en-GB",
    description="Clause 1 / 1.1 / (a) / (i) / (A); Schedule 1 with paragraphs (English law)",
    typography=replace(EN.typography, clause_indents=((0, 0), (720, 720), (1440, 720), (2160, 720), (2880, 720))),
    signatures=replace(EN.signatures, lead="This Agreement has been entered into on the date stated at the "
                                           "beginning of it."),
)
