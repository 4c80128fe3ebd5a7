"""A numbering scheme is a table of patterns plus one counting function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True, slots=True)
class SignatureForm:
    """How a signature page is worded and spaced in one language.

    ``lead`` ends the text ("（以下无正文）", "[Signature page follows]"); ``new_page`` puts
    the parties' blocks on the next page after it (the English lead says so) instead of
    keeping them with the text. ``lines`` are one party's lines in order: (pattern, fill),
    where the pattern may use ``{role}`` and ``{name}``, and ``fill`` names what goes on the
    line's blank ("signatory", "date", "" for a line to sign on, None for a line without a
    blank). ``room`` is the space (twips) above each line with a blank — room to sign, and
    above the first one (``first_room``) room for a seal.
    """

    lead: str
    new_page: bool
    lines: tuple[tuple[str, str | None], ...]
    room: int = 1000  # 1.76 cm
    first_room: int = 1000

    def party_lines(self, role: str, name: str, signatory: str = "", date: str = "") -> list[tuple[str, str, int]]:
        """One party's lines as (label, what the data fills in, room above in twips; 0 for
        a line without a blank)."""
        filled = {"signatory": signatory, "date": date, "": ""}
        out, first = [], True
        for pattern, fill in self.lines:
            label = pattern.format(role=role, name=name)
            if fill is None:
                out.append((label, "", 0))
                continue
            out.append((label, filled[fill], self.first_room if first else self.room))
            first = False
        return out

    @staticmethod
    def line_text(label: str, value: str) -> str:
        """A line with its blank filled: "日期：2024年3月1日", "Date: 1 April 2024"."""
        if not value:
            return label
        return label + value if label.endswith("：") else f"{label} {value}"


@dataclass(frozen=True, slots=True)
class Typography:
    """How body text is set in one language; the DOCX styles are made from this.

    Indents are twips unless named ``_chars`` (hundredths of a character, Word's
    ``w:firstLineChars``). ``clause_indents[i]`` is (left, hanging) of list level i, so a
    numbered clause's wrapped lines start under its text, not at the margin.
    """

    latin_font: str  # digits and Latin letters in Chinese text (w:ascii / w:hAnsi)
    justify: str  # w:jc of body text
    first_line_chars: int  # body paragraphs' first-line indent, 200 = two characters
    space_after: int  # after a body paragraph
    line: int  # w:line, 240 = single
    heading_bold: bool  # False where the heading face is already heavy (黑体): no faked bold
    hyphenate: bool
    clause_indents: tuple[tuple[int, int], ...]
    attachment_indents: tuple[tuple[int, int], ...]
    curly_quotes: bool = False  # ' and " in generated text become ‘ ’ “ ”
    keep_together: tuple[str, ...] = field(default=())  # words a number follows on one line ("Section")


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
    typography: Typography | None = None
    signatures: SignatureForm | None = None

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
