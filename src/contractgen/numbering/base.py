"""A numbering scheme is a table of patterns plus one counting function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .. import rx

#: An English role that takes no "the" in "(the Customer)": "Party A", "Party 2", or one
#: that has its article already ("the Company").
_NO_ARTICLE = rx.compile(r"(?i)(?:the|a|an)\s|party\s+\w{1,3}$")


def role_with_article(role: str) -> str:
    """"the Customer", but "Party A" (how contracts that name the parties so write it)."""
    role = role.strip()
    return role if not role or _NO_ARTICLE.match(role) else f"the {role}"


@dataclass(frozen=True, slots=True)
class SignatureForm:
    """How a signature page is worded and spaced in one language.

    ``lead`` ends the text ("（以下无正文）", "[Signature page follows]"); ``new_page`` puts
    the parties' blocks on the next page after it (the English lead says so) instead of
    keeping them with the text. ``lines`` are one party's lines in order: (pattern, fill),
    where the pattern may use ``{role}``, ``{the_role}`` (English: "the Customer", "Party
    A") and ``{name}``, and ``fill`` names what goes on the
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
            label = pattern.format(role=role, the_role=role_with_article(role), name=name)
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


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def letter(n: int) -> str:
    """a, b, … z, aa, bb, … as Word's ``lowerLetter`` counts."""
    return _LOWER[(n - 1) % 26] * ((n - 1) // 26 + 1)


def roman(n: int) -> str:
    """i, ii, iii, iv … as Word's ``lowerRoman`` counts."""
    out = []
    for value, digits in _ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


#: Placeholders of a clause's own counter in a number pattern, and Word's w:numFmt for each
#: ("{n}" is the scheme's own counting: Chinese numerals in zh, digits in en).
OWN_COUNTERS = {"d": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


@dataclass(frozen=True, slots=True)
class Joining:
    """How several citations are joined into one reference: "Clauses 4, 6 and 10",
    "Clauses 4 to 6"; 第四条、第六条和第十条, 第四条至第六条. ``plural`` makes "Clauses"
    of "Clause" when the citations share their leading word (English); without it every
    citation keeps its words (Chinese)."""

    comma: str
    last: str
    through: str
    plural: bool


@dataclass(frozen=True, slots=True)
class Scheme:
    """How one language numbers and cites clauses and attachments.

    ``clause_formats[i]`` is how a clause of level i+1 shows its own number. Its
    placeholders are the clause's own counter: ``{n}`` in this scheme's counting ("六" or
    "6"), ``{d}`` in digits, ``{a}``/``{A}`` in letters, ``{i}``/``{I}`` in Roman numerals,
    and ``{path}``, the dotted number of every level ("6.2").

    ``cite_formats[i]`` is how a reference cites a clause of level i+1. ``{L1}`` … ``{L5}``
    stand for the number, as shown, of the cited clause (its own level) or of its
    ancestor at that level — each becomes a live number (a DOCX REF field) — and ``{n1}``,
    ``{d2}`` … are plain counters of a level: "Clause {L2}{L3}" cites (a) of 1.1 as
    "Clause 1.1(a)", "{L1}第{n2}款" cites 一、 of 第三条 as "第三条第一款".
    ``attachment_cite_formats`` cite the clauses of an attachment, which ``scoped``
    combines with the attachment ("paragraph 3 of Schedule 1", "附件一第三项") as it
    combines a part's ``cite_as`` with a citation made from another part.
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
    word_num_fmt: str  # w:numFmt of "{n}" in DOCX numbering.xml
    word_article_text: str  # w:lvlText of the article level, e.g. "第%1条"
    word_attachment_text: str
    titled: str  # a citation with its target's title: "{cite}（{title}）"
    language_tag: str  # BCP 47, for w:lang
    fonts: tuple[str, str]  # default (body, heading) fonts
    contract_no_label: str  # before the number in the DOCX header
    page_labels: tuple[str, str, str]  # the footer around PAGE and NUMPAGES
    typography: Typography | None = None
    signatures: SignatureForm | None = None
    attachment_cite_formats: tuple[str, ...] = ()
    joining: Joining = Joining(", ", " and ", " to ", True)
    description: str = ""

    @property
    def lang(self) -> str:
        """The language of the contract's text: "zh" or "en"."""
        return self.name.split("-")[0]

    def clause_number(self, number: tuple[int, ...]) -> str:
        return self.fill(self.clause_formats, number)

    def attachment_clause_number(self, number: tuple[int, ...]) -> str:
        return self.fill(self.attachment_clause_formats, number)

    def attachment(self, number: int) -> str:
        return self.attachment_format.format(n=self.count(number), path=str(number))

    def with_title(self, cite: str, title: str) -> str:
        return self.titled.format(cite=cite, title=title)

    def scope(self, cite_as: str, citation: str) -> str:
        return self.scoped.format(scope=cite_as, cite=citation) if cite_as else citation

    def cite_pattern(self, level: int, in_attachment: bool) -> str:
        formats = self.attachment_cite_formats if in_attachment else self.cite_formats
        return formats[min(level, len(formats)) - 1]

    def counters(self, number: tuple[int, ...]) -> dict[str, str]:
        """Every plain counter a pattern may use for ``number``: own (n, d, a, i, path) and
        per level (n1, d1, a1, i1, …) — computed when a pattern asks for one."""
        return _Counters(self, number)

    def own_counters(self, value: int) -> dict[str, str]:
        return {"n": self.count(value), "d": str(value), "a": letter(value), "A": letter(value).upper(),
                "i": roman(value), "I": roman(value).upper()}

    def fill(self, formats: tuple[str, ...], number: tuple[int, ...]) -> str:
        pattern = formats[min(len(number), len(formats)) - 1]
        if pattern == "{path}":  # the common case, without the formatting machinery
            return ".".join(map(str, number))
        return pattern.format_map(_Counters(self, number))


class _Counters(dict):
    """The counters of one number, each computed on first use by ``str.format_map``."""

    def __init__(self, scheme: Scheme, number: tuple[int, ...]):
        super().__init__()
        self.scheme, self.number = scheme, number

    def __missing__(self, key: str) -> str:
        if key == "path":
            value = ".".join(map(str, self.number))
        else:
            kind, level = key[0], int(key[1:]) if len(key) > 1 else len(self.number)
            if not 1 <= level <= len(self.number) or kind not in "ndaAiI":
                raise KeyError(key)
            value = self.scheme.own_counters(self.number[level - 1])[kind]
        self[key] = value
        return value
