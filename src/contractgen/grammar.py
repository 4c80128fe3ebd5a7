"""The text grammar of contracts: how numbers, clause and attachment heads, TOC and
register entries and titles are written, in both locales.

Readers use it to recognise a contract's structure in lines; checks use it to parse the
numbers that references, TOC entries and registers show. Nothing here reads a file or
builds the model beyond the entry objects a TOC or register line stands for. Locale is
data: the patterns below are tables, and the counting functions come from
:mod:`contractgen.numbering.zh`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .limits import LIMITS
from .model import RegisterEntry, TocEntry
from .numbering.zh import parse_count
from . import rx

CN_DIGITS = "零〇一二三四五六七八九十百千两"
CN_NUM = f"[{CN_DIGITS}]+"
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

#: Words that name an attachment, per locale; every series numbers on its own.
ATTACHMENT_WORDS = ("附件", "附表", "Schedule", "Exhibit", "Annex", "Appendix", "Attachment")
_ATTACHMENT_RE = "|".join(ATTACHMENT_WORDS)
ATTACHMENT_NUMBER = rf"(?:{CN_NUM}|\d+|[IVXL]+\b|[A-Z]\b)"


@dataclass(slots=True, frozen=True)
class ClauseNumber:
    """A clause number as typed: its value, its text and the text after it."""

    number: tuple[int, ...]
    number_text: str
    rest: str
    kind: str  # "article" (第X条 / Article N), "section" (Section N.N), "dotted" (1.1)


_ZH_ARTICLE = rx.compile(rf"^(第\s*({CN_NUM}|\d+)\s*条)(?:[\s:：、.．]+|$)(.*)$")
_ZH_DOTTED_ARTICLE = rx.compile(r"^(第\s*(\d+(?:\.\d+)+)\s*条)(?:[\s:：、.．]+|$)(.*)$")
_EN_ARTICLE = rx.compile(
    r"^((?:Article|ARTICLE|Section|SECTION|Clause|CLAUSE)\s+(\d+(?:\.\d+)*|[IVXL]+\b))\.?(?:\s*[:.\-–—]\s*|\s+|$)(.*)$"
)
_DOTTED = rx.compile(r"^((\d{1,3})((?:\.\d{1,3})*))(\.(?!\d)|(?=\s)|(?=[\u4e00-\u9fff])|$)\s*(.*)$")


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral (I–L range is all contracts use), or None."""
    if not text or any(c not in ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = ROMAN[c]
        total += -v if i + 1 < len(text) and ROMAN[text[i + 1]] > v else v
    return total


def digits_value(text: str) -> int | None:
    """The value of a run of decimal digits ("12", "٣"), or None: for what only looks like
    one to ``str.isdigit`` ("²", which ``int`` refuses) and for a run longer than
    ``Limits.text_number_digits`` (``int`` refuses over 4,300 digits)."""
    if not text.isdecimal() or len(text) > LIMITS.text_number_digits:
        return None
    return int(text)


_CN_NUM_RE = rx.compile(CN_NUM)
_ROMAN_RE = rx.compile(r"[IVXL]+")
_LETTER_RE = rx.compile(r"[A-Z]")


@lru_cache(maxsize=4096)
def count_value(text: str) -> int | None:
    """A counter in any form contracts use: 十二, 12, XII, B (letters count A=1)."""
    text = text.strip()
    if text.isdigit():
        return digits_value(text)
    if _CN_NUM_RE.fullmatch(text):
        return parse_count(text)
    if _ROMAN_RE.fullmatch(text):
        return roman_value(text)
    if _LETTER_RE.fullmatch(text):
        return ord(text) - ord("A") + 1
    return None


def parse_dotted(text: str) -> tuple[int, ...] | None:
    values = tuple(digits_value(p) for p in text.split("."))
    return None if None in values else values


_PROSE_AFTER = rx.compile(r"\s+[a-z(]")


def parse_clause_number(text: str) -> ClauseNumber | None:
    """The clause number a line starts with: 第八条, 第3.5条, Article 12, Section 8.4, 1.1.1."""
    text = text.strip()
    for pattern, kind in ((_ZH_DOTTED_ARTICLE, "article"), (_ZH_ARTICLE, "article")):
        m = pattern.match(text)
        if m:
            value = parse_dotted(m[2]) if "." in m[2] else _single(count_value(m[2]))
            if value:
                return ClauseNumber(value, m[1], m[3].strip(), kind)
    m = _EN_ARTICLE.match(text)
    if m and not _PROSE_AFTER.match(text[m.end(1):]):  # "Section 5 of ...", "Article 29 shall": prose
        value = parse_dotted(m[2]) if m[2][0].isdigit() else _single(roman_value(m[2]))
        if value:
            kind = "article" if m[1][0] in "Aa" or len(value) == 1 else "section"
            return ClauseNumber(value, m[1], m[3].strip(), kind)
    m = _DOTTED.match(text)
    if m:
        value = parse_dotted(m[1])
        if value and all(v > 0 for v in value):
            return ClauseNumber(value, m[1] + (m[4] if m[4] == "." else ""), m[5].strip(), "dotted")
    return None


def _single(value: int | None) -> tuple[int, ...] | None:
    return (value,) if value else None


_ATTACHMENT_HEAD = rx.compile(
    rf"^((?:{_ATTACHMENT_RE})\s*({ATTACHMENT_NUMBER}))(?![\dA-Za-z.式份张页个])\s*[:：、.．\-–—]?\s*(.*)$"
)


@dataclass(slots=True, frozen=True)
class AttachmentHead:
    """The attachment name a line starts with: "附件一：服务费用" is
    ``AttachmentHead("附件一", "附件", 1, "服务费用")``."""

    number_text: str  # "附件一", "Schedule 3", "Annex I"
    word: str         # the series word as written: "附件", "Schedule", "Annex"
    number: int       # its value: 1, 3, 1
    rest: str         # the text after it, separators dropped

    @property
    def key(self) -> tuple[str, int]:
        """Identity of the attachment named (see :func:`attachment_key`)."""
        return attachment_key(self.word, self.number)


def parse_attachment_head(text: str) -> AttachmentHead | None:
    """The attachment name a line starts with (附件一, Schedule 3, Annex I), or None."""
    # memoised (the checks ask of every part's name in every row of a batch), a long
    # paragraph aside: it is no attachment's name, and stays out of memory
    return _attachment_head(text) if len(text) <= 1000 else _read_attachment_head(text)


@lru_cache(maxsize=4096)
def _attachment_head(text: str) -> AttachmentHead | None:
    return _read_attachment_head(text)


_ATTACHMENT_WORD = rx.compile(_ATTACHMENT_RE)


def _read_attachment_head(text: str) -> AttachmentHead | None:
    m = _ATTACHMENT_HEAD.match(text.strip())
    if not m:
        return None
    value = count_value(m[2])
    if not value:
        return None
    word = _ATTACHMENT_WORD.match(m[1])[0]
    return AttachmentHead(m[1], word, value, m[3].strip())


def attachment_key(word: str, value: int) -> tuple[str, int]:
    """Identity of an attachment: 附件/附表 are one series; Schedule 3 ≠ Exhibit 3."""
    series = {"附表": "附件"}.get(word, word.lower())
    return series, value


_PART = rx.compile(rf"^第\s*({CN_NUM}|\d+)\s*部分\s*[:：、.\s]?\s*(.*)$")
_EN_PART = rx.compile(r"^(?:PART|Part)\s+(\d+|[IVX]+|One|Two|Three|Four|Five)\b\s*[:.\-–—]?\s*(.*)$")
_EN_WORDS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


def parse_part_marker(text: str) -> tuple[int, str, str] | None:
    """(number, number_text, title) for 第二部分：补充条款 / Part II – Addendum."""
    text = text.strip()
    m = _PART.match(text)
    value = count_value(m[1]) if m else None
    if not m:
        m = _EN_PART.match(text) if len(text) <= 80 else None
        value = (_EN_WORDS.get(m[1]) or count_value(m[1])) if m else None
    if not value:
        return None
    number_text = text[: m.start(2)].rstrip(" :：、.-–—")
    return value, number_text, m[2].strip().rstrip(":：").strip()


# --- lines: titles, TOC and register entries ---------------------------------------------

CJK = rx.compile(r"[\u4e00-\u9fff]")
_TOC_TITLE = rx.compile(r"^(目\s*录|本合同目录(一览)?|合同目录|Contents|CONTENTS|Table of Contents|TABLE OF CONTENTS)\s*[:：]?$")
_REGISTER_TITLE = rx.compile(
    r"^(.{0,8}[:：])?\s*(附件(列表|清单|目录)|(List of )?(Schedules|Exhibits|Annexes|Appendices|Attachments))\s*[:：]?$"
)
_ADDENDUM = rx.compile(
    r"^((.{0,30}合同)?补充(协议|条款)(书)?([（(][^）)]*[）)])?"
    r"|(First |Second |Third )?(Addendum|Amendment|Supplemental Agreement)( No\.? ?\d+)?( to .{0,60})?"
    # an instrument of its own, however far its first article is from its heading
    r"|((?:[A-Z][\w-]*|and|&) ){1,4}(Addendum|Rider)( No\.? ?\d+)?( to .{0,60})?"
    r"|(Order Form|Statement of Work|Service Order|SOW)( No\.? ?\d+)?( to .{0,60})?)$"
)
_SENTENCE_PUNCT = rx.compile(r"[。，,；;！？!?]|[:：](?!$)")
_TOC_LEADER = rx.compile(r"\s*(?:[.…·_\-]{2,}\s*\d+|\t+\d+|\s{2,}\d+)$")
_MINOR_WORDS = {"and", "or", "of", "the", "to", "for", "in", "on", "with", "by", "a", "an", "&", "from", "at", "as", "into", "onto", "upon", "under", "per", "via"}


def is_toc_title(text: str) -> bool:
    """目录 / Table of Contents."""
    return bool(_TOC_TITLE.match(text))


def is_register_title(text: str) -> bool:
    """附件清单 / List of Schedules."""
    return bool(_REGISTER_TITLE.match(text))


def is_addendum_title(text: str) -> bool:
    """A short line naming an addendum: 补充协议, Amendment No. 2 to the Agreement, Data
    Processing Addendum, Order Form, Statement of Work."""
    bare = text.rstrip(":：")
    short = len(text) <= 60 and not _SENTENCE_PUNCT.search(bare)
    return short and bool(_ADDENDUM.match(bare)) and parse_clause_number(text) is None


def is_sentence(text: str) -> bool:
    """Text with sentence punctuation (a colon counts only inside the text)."""
    return bool(_SENTENCE_PUNCT.search(text))


_SPACES = rx.compile(r"\s+")


def is_title_like(text: str, lang: str) -> bool:
    """A clause title, not a sentence: short, no sentence punctuation, Title Case in English."""
    text = text.strip().rstrip(".:：")
    if not text or len(text) > (30 if CJK.search(text) else 80) or _SENTENCE_PUNCT.search(text):
        return False
    if "__" in text or "XXX" in text:
        return False
    if CJK.search(text):
        return True
    words = [w for w in _SPACES.split(text) if w]
    if len(words) > 10 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _MINOR_WORDS for w in words)


_RUN_IN_TITLE = rx.compile(r"^([^.。]{1,80}?)[.。]\s+(\S.*)$")


def split_title(rest: str, lang: str) -> tuple[str, str]:
    """(title, text) of what follows a clause number; a run-in English title ends with '. '."""
    rest = rest.strip()
    if is_title_like(rest, lang):
        return rest.rstrip("：:").strip(), ""
    m = _RUN_IN_TITLE.match(rest)
    if m and not CJK.search(m[1]) and is_title_like(m[1], lang):
        return m[1].strip(), m[2]
    return "", rest


def parse_toc_entry(text: str) -> TocEntry | None:
    """A typed TOC line ("第六条 争议解决 ……… 5", "附件一 服务费用") as an entry, or None."""
    text = _TOC_LEADER.sub("", text.strip())
    head = parse_attachment_head(text)
    if head and head.rest and len(head.rest) <= 40:
        return TocEntry(level=1, number_text=head.number_text, title=head.rest)
    num = parse_clause_number(text)
    if not num or not num.rest or len(num.rest) > 40 or _SENTENCE_PUNCT.search(num.rest):
        return None
    return TocEntry(level=len(num.number), number_text=num.number_text, title=num.rest.rstrip("：:"))


def parse_register_entry(text: str) -> RegisterEntry | None:
    """A line of the attachment register ("附件一：服务费用") as an entry, or None."""
    head = parse_attachment_head(text)
    if not head or not head.rest or len(head.rest) > 40 or _SENTENCE_PUNCT.search(head.rest):
        return None
    if head.rest.startswith("的"):
        return None
    return RegisterEntry(number_text=head.number_text, title=head.rest)


def entry_key(entry: TocEntry | RegisterEntry) -> tuple:
    """What a TOC or register entry numbers: (1,) for "1." and "第一条"; ("附件", 1) for "附件一"."""
    head = parse_attachment_head(entry.number_text)
    if head:
        return head.key
    num = parse_clause_number(entry.number_text)
    return num.number if num else (entry.number_text,)


# --- outline numbers: every numbering style a line can start with --------------------------

@dataclass(slots=True, frozen=True)
class OutlineNumber:
    """The number a line starts with, in any style: its style, own value, the parsed number
    for the styles cited by number (第五条, Section 3.2, 3.2, 3.), its text and what follows."""

    style: str                       # "zh-article", "dotted2", "zh-comma", "alpha-upper-dot" …
    ordinal: int
    number: tuple[int, ...] | None   # None for styles that are not cited by number
    number_text: str
    rest: str


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN_LOWER = rx.compile(r"^(i{1,3}|iv|vi{0,3}|ix|x)$")
_OTHER_STYLES = (
    ("zh-chapter", rx.compile(rf"^(第\s*({CN_NUM}|\d+)\s*章)\s*[:：、.．]?\s*(.*)$")),
    ("zh-section", rx.compile(rf"^(第\s*({CN_NUM}|\d+)\s*节)\s*[:：、.．]?\s*(.*)$")),
    ("zh-comma", rx.compile(rf"^(({CN_NUM})\s*[、．.](?!\d))\s*(.*)$")),
    ("zh-paren", rx.compile(rf"^([（(]\s*({CN_NUM})\s*[）)])\s*[、.．]?\s*(.*)$")),
    ("paren-arabic", rx.compile(r"^([（(]\s*(\d{1,3})\s*[）)])\s*[、.．]?\s*(.*)$")),
    ("arabic-paren", rx.compile(r"^((\d{1,3})[)）])\s*(.*)$")),
    ("arabic-comma", rx.compile(r"^((\d{1,3})\s*、)\s*(.*)$")),
    ("circled", rx.compile(rf"^(([{CIRCLED}]))\s*[、.．]?\s*(.*)$")),
    ("alpha-paren", rx.compile(r"^([（(]([A-Za-z]|[ivx]{1,4})[）)])\s+(.*)$")),
    ("alpha-close", rx.compile(r"^(([A-Za-z]|[ivx]{1,4})[)）])\s+(.*)$")),
    ("alpha-dot", rx.compile(r"^(([A-Z]|[a-z]|[IVX]{1,4}|[ivx]{1,4})\.)\s+(\S.*)$")),
)


def _letter_value(style: str, text: str) -> tuple[str, int] | None:
    """Letters count a=1; lower-case i, v, x (and upper-case I-V-X runs of two or more) are Roman."""
    if _ROMAN_LOWER.match(text):
        return f"roman-{style}", roman_value(text.upper())
    if len(text) > 1:
        value = roman_value(text)
        return (f"roman-upper-{style}", value) if value else None
    case = "upper" if text.isupper() else "lower"
    return f"alpha-{case}-{style}", ord(text.lower()) - ord("a") + 1


_DOTTED_ITEM = rx.compile(r"\d+\s*[.．、\s]")


def parse_outline_number(text: str) -> OutlineNumber | None:
    """The outline number a line starts with: 第一章, 第一条, 一、, （一）, 1., 1.1, （1）, ①, a), A., (i)."""
    text = text.strip()
    num = parse_clause_number(text.translate(_FULL_WIDTH))  # "１．１" is typed 1.1 in CJK text
    if num:
        number_text = text[:len(num.number_text)]
        rest = text[len(text) - len(num.rest):] if num.rest else ""
        if num.kind == "dotted" and len(num.number) == 1 and not _DOTTED_ITEM.match(text):
            return None  # "48小时内……" is a line of wrapped text, not item 48
        if num.kind == "dotted":
            style = f"dotted{len(num.number)}" if len(num.number) > 1 else "arabic-dot"
        elif num.number_text.startswith("第"):
            style = "zh-article"
        else:
            style = f"en-{num.number_text.split()[0].lower()}"
        return OutlineNumber(style, num.number[-1], num.number, number_text, rest)
    for style, pattern in _OTHER_STYLES:
        m = pattern.match(text)
        if not m:
            continue
        if style.startswith("alpha"):
            found = _letter_value(style.split("-")[1], m[2])
        elif style == "circled":
            found = style, CIRCLED.index(m[2]) + 1
        else:
            found = style, count_value(m[2])
        if found and found[1]:
            number = None
            return OutlineNumber(found[0], found[1], number, m[1], m[3].strip())
    return None
