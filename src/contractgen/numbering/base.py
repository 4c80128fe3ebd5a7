"""A numbering scheme is a table of patterns plus one counting function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True, slots=True)
class Scheme:
    """How one language numbers and cites clauses and attachments.

    Patterns use ``{n}`` (the clause's own counter in this scheme's counting, e.g. "六"
    or "6"), ``{d}`` (the same counter in digits) and ``{path}`` (the dotted number, "6.2"). ``clause_formats[i]`` is how a clause of
    level i+1 shows its own number; ``cite_formats[i]`` is how a reference cites it.
    ``scoped`` combines a part's ``cite_as`` with a citation made from another part.
    """

    name: str
    count: Callable[[int], str]
    clause_formats: tuple[str, ...]
    cite_formats: tuple[str, ...]
    attachment_format: str
    scoped: str
    toc_title: str
    register_title: str
    attachment_clause_formats: tuple[str, ...]  # numbering inside an attachment
    word_num_fmt: str  # w:numFmt of the article level in DOCX numbering.xml
    word_article_text: str  # w:lvlText of the article level, e.g. "第%1条"
    word_attachment_text: str
    titled: str  # a citation with its target's title: "{cite}（{title}）"
    language_tag: str  # BCP 47, for w:lang
    fonts: tuple[str, str]  # default (body, heading) fonts
    contract_no_label: str  # before the number in the DOCX header
    page_labels: tuple[str, str, str]  # the footer around PAGE and NUMPAGES

    def clause_number(self, number: tuple[int, ...]) -> str:
        return self._fill(self.clause_formats, number)

    def attachment_clause_number(self, number: tuple[int, ...]) -> str:
        return self._fill(self.attachment_clause_formats, number)

    def cite(self, number: tuple[int, ...]) -> str:
        return self._fill(self.cite_formats, number)

    def attachment(self, number: int) -> str:
        return self.attachment_format.format(n=self.count(number), path=str(number))

    def with_title(self, cite: str, title: str) -> str:
        return self.titled.format(cite=cite, title=title)

    def scope(self, cite_as: str, citation: str) -> str:
        return self.scoped.format(scope=cite_as, cite=citation) if cite_as else citation

    def _fill(self, formats: tuple[str, ...], number: tuple[int, ...]) -> str:
        pattern = formats[min(len(number), len(formats)) - 1]
        return pattern.format(n=self.count(number[-1]), d=number[-1], path=".".join(map(str, number)))
