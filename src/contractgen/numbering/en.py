"""English numbering: Article 1, Section 1.1, 1.1.1, Schedule 1."""

from __future__ import annotations

from .base import Scheme


def count(n: int) -> str:
    return str(n)


EN = Scheme(
    name="en",
    count=count,
    clause_formats=("Article {n}", "Section {path}", "{path}"),
    cite_formats=("Article {n}", "Section {path}", "Section {path}"),
    attachment_format="Schedule {n}",
    scoped="{cite} of {scope}",
    toc_title="Contents",
    register_title="Schedules",
    attachment_clause_formats=("{path}.", "{path}", "{path}"),
    word_num_fmt="decimal",
    word_article_text="Article %1",
    word_attachment_text="Schedule %1",
    titled="{cite} ({title})",
    language_tag="en-US",
    fonts=("Times New Roman", "Arial"),
    contract_no_label="Contract No. ",
    page_labels=("Page ", " of ", ""),
)
