"""Which Chinese text a bilingual contract's English text translates: language per unit,
then pairing.

A unit is a paragraph, a clause (its heading and text) or a table cell, in document order;
its language is the share of CJK characters against Latin letters (:func:`text_lang`). A
heading that holds both languages on one line (第一条 服务内容 Article 1 Services) is split
and paired with itself. The other units form *runs* of one language: a two-column table
read cell by cell, each Chinese paragraph followed by its English one, and each article's
Chinese text followed by its English text all alternate zh-run, en-run. Neighbouring runs
are paired (a dynamic programme over the runs chooses which, so a stray unit does not
shift every later pair), and inside a pair of runs the units are aligned (Needleman–Wunsch)
on what both languages share: article numbers (第七条 ↔ Article 7), figures, amounts, dates.

The analysis never guesses: a document whose two languages are not in proportion (an
English contract quoting a Chinese name, a Chinese contract with an English address) is no
bilingual document, and a pair of runs whose lengths are far apart is not aligned at all.
A pair is ``certain`` when its runs have the same length (paired by position) or its
anchors agree (same article number, shared values); the rules report an error only then.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..grammar import parse_clause_number
from ..model import Clause, Document, Paragraph, SourcePos, Table, clause_units, plain_text
from .base import line_memo
from .bilingual_kinds import EN, OTHER, ZH
from .bilingual_values import text_values
from .. import rx

_CJK = rx.compile(r"[\u4e00-\u9fff]")
_LATIN = rx.compile(r"[A-Za-z]")
_CJK_ANY = rx.compile(r"[\u3000-\u9fff\uff00-\uffef]+")
_ADDRESS = rx.compile(r"https?://\S+|www\.\S+|\S+@\S+")  # no language: a URL, an e-mail address
_BREAK = rx.compile(r"<br\s*/?>", re.I)
_GAP = -1.0          # a unit left without a counterpart
_MAX_RUN_RATIO = 2.0  # runs further apart than this in length: their unpaired units are not reported
_CERTAIN_SCORE = 3.0
_MAX_CELLS = 1_000_000  # two runs of a thousand units each: beyond that no alignment (it is quadratic)


@line_memo
def text_lang(text: str) -> str:
    """"zh", "en", or "" for a text with too few letters to tell (numbers, blanks, 签字：)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(_ADDRESS.sub("", text))) if "@" in text or "//" in text or "www." in text \
        else len(_LATIN.findall(text))
    if cjk >= 2 and cjk * 3 >= latin:
        return ZH
    if latin >= 3 and cjk * 3 < latin:
        return EN
    return ""


@dataclass(slots=True, eq=False)
class Unit:
    text: str
    pos: SourcePos | None
    lang: str
    cell: bool = False
    number: tuple[int, ...] | None = None  # the article number it starts with (第七条, Article 7, 7.1)
    sig: frozenset = field(default_factory=frozenset)  # values and figures, for alignment

    @property
    def line(self) -> int:
        return self.pos.line if self.pos else 0


@dataclass(slots=True)
class Pair:
    zh: Unit
    en: Unit
    certain: bool
    fixed: bool = False  # a built contract's units that hold no batch row's value: the same every row


@dataclass(slots=True)
class Orphan:
    unit: Unit
    near: Unit | None  # the other language's unit next to where its counterpart would be


@dataclass
class Pairing:
    pairs: list[Pair]
    orphans: list[Orphan]


def _make_unit(text: str, pos: SourcePos | None, lang: str, cell: bool) -> Unit:
    number, sig = _anchors(text, lang, cell)
    return Unit(text, pos, lang, cell, number, sig)


@line_memo
def _anchors(text: str, lang: str, cell: bool) -> tuple[tuple[int, ...] | None, frozenset]:
    """(the article number a unit starts with, its values and figures): what alignment
    weighs. A pure function of the text, memoised (a batch's rows repeat most units)."""
    head = parse_clause_number(text[:40]) if text[:1] in "第ASCas0123456789" else None
    number = head.number if head and (head.kind != "article" or text[0] in "第Aa" or lang == EN) else None
    if cell and head and len(head.number) == 1 and head.number_text.isdigit():
        number = None  # a cell's quantity ("2 units", "2台"), not a clause number
    rest = text[text.find(head.number_text) + len(head.number_text):] if number else text
    values = frozenset((v.kind, v.key) for v in text_values(text, lang) if v.start > 0 or v.kind != "reference")
    digits = frozenset(("digits", d.lstrip("0")) for d in re.findall(r"\d+", rest.replace(",", "")) if len(d) < 9)
    return number, values | digits


def _block_texts(block) -> list[tuple[str, SourcePos | None, bool]]:
    if isinstance(block, Clause):
        text = " ".join(t for t in (block.heading_text, plain_text(block.text)) if t)
        return [(text, block.pos, False)]
    if isinstance(block, Paragraph):
        return [(plain_text(block.text), block.pos, False)]
    if isinstance(block, Table):
        return [(plain_text(cell), block.pos_of_row(i), True) for i, row in enumerate(block.rows) for cell in row]
    return []


def _parts_and_blocks(doc: Document):
    """Each part (standing for its heading, 附件一 服务清单 / Schedule 1) and then its blocks."""
    for part in doc.parts:
        if part.title or part.number_text:
            yield part, part
        for block in part.blocks:
            yield part, block


def document_units(doc: Document) -> tuple[list[Unit], list[Pair]]:
    """The one-language units in order, and the pairs lines in both languages make."""
    units, inline = [], []
    for part, block in _parts_and_blocks(doc):
        for text, pos, cell in _block_texts(block) if block is not part else [(part.heading_text, part.pos, False)]:
            text = " ".join(_BREAK.sub(" ", text).split())
            mixed = split_mixed(text)
            if mixed is not None:
                zh, en = mixed
                inline.append(Pair(_make_unit(zh, pos, ZH, cell), _make_unit(en, pos, EN, cell), True))
                continue
            lang = text_lang(text)
            if lang and not _label_in_both(text):
                units.append(_make_unit(text, pos, lang, cell))
    return units, inline


def _label_in_both(text: str) -> bool:
    """A short label in both languages that does not split cleanly ("Full name姓名:",
    "Email邮箱:"): no unit of either language."""
    if len(text) > 30 or _CJK.search(text) is None:
        return False
    latin = len(_LATIN.findall(text))
    return latin >= 3 and latin >= len(_CJK.findall(text))


def split_mixed(text: str) -> tuple[str, str] | None:
    """(zh, en) of a line written in both languages, one after the other, or None: the
    English part holds no CJK character or punctuation at all, the Chinese part is Chinese."""
    if not _LATIN.search(text) or not _CJK.search(text):
        return None
    last = max(m.end() for m in _CJK_ANY.finditer(text))
    first = _CJK_ANY.search(text).start()
    for zh, en, lead in ((text[:last], text[last:], ZH), (text[first:], text[:first], EN)):
        zh, en = zh.strip(" /|｜"), en.strip(" /|｜")
        words = len(en.split())
        if text_lang(zh) != ZH or len(_LATIN.findall(en)) < 6 or words < (2 if lead == ZH else 4):
            continue
        short = len(text) <= 120 and len(zh) <= 40 and en[:1].isupper()
        if short or (words >= 8 and len(_CJK.findall(zh)) >= 15):
            return zh, en
    return None


def pair_units(units: list[Unit], inline: list[Pair]) -> Pairing | None:
    """The pairs and orphans of a bilingual document's units; None when it is not bilingual."""
    zh = sum(1 for u in units if u.lang == ZH)
    en = len(units) - zh
    if min(zh, en) == 0 or min(zh, en) < 0.5 * max(zh, en):
        return None
    runs: list[list[Unit]] = []
    for unit in units:
        if runs and runs[-1][0].lang == unit.lang:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    alignments: dict[int, tuple[float, list]] = {}
    chosen = _choose_run_pairs(runs, alignments)
    paired = sum(len(runs[i]) + len(runs[i + 1]) for i in chosen)
    if paired < 0.6 * len(units):
        return None
    pairs, orphans = list(inline), []
    for i in chosen:
        _aligned(runs[i], runs[i + 1], alignments[i][1], pairs, orphans)
    _leftover_orphans(runs, set(chosen), orphans)
    pairs.sort(key=lambda p: min(p.zh.line, p.en.line))
    orphans.sort(key=lambda o: o.unit.line)
    return Pairing(pairs, orphans)


def _comparable(a: list[Unit], b: list[Unit]) -> bool:
    return max(len(a), len(b)) <= _MAX_RUN_RATIO * min(len(a), len(b)) or abs(len(a) - len(b)) <= 1


def _choose_run_pairs(runs: list[list[Unit]], alignments: dict) -> list[int]:
    """Which neighbouring runs translate each other (the first run's index of each pair):
    the choice that leaves the fewest units unpaired, by alignment score. ``alignments``
    gets each pair's :func:`_alignment`, by its first run's index."""
    best = [0.0] * (len(runs) + 1)
    choice: list[int | None] = [None] * (len(runs) + 1)
    for i in range(1, len(runs) + 1):
        best[i], choice[i] = best[i - 1] + _GAP * len(runs[i - 1]), None
        if i >= 2 and len(runs[i - 2]) * len(runs[i - 1]) <= _MAX_CELLS:
            alignments[i - 2] = _alignment(tuple(runs[i - 2]), tuple(runs[i - 1]))
            score = best[i - 2] + alignments[i - 2][0]
            if score > best[i]:
                best[i], choice[i] = score, i - 2
    chosen, i = [], len(runs)
    while i > 0:
        if choice[i] is None:
            i -= 1
        else:
            chosen.append(choice[i])
            i -= 2
    return sorted(chosen)


def _score(z: Unit, e: Unit) -> float:
    """How well two units look like translations of each other: 1 for any two, more for
    shared anchors, less for a heading against a paragraph or lengths far apart."""
    score = 1.0
    if z.number and e.number:
        score += 3.0 if z.number == e.number else -1.0
    elif z.number or e.number:
        score -= 0.75
    if z.sig and e.sig:
        score += 3.0 * len(z.sig & e.sig) / len(z.sig | e.sig) - 1.0
    elif z.sig or e.sig:
        score -= 0.5
    ratio = (len(e.text) + 1) / (len(z.text) + 1)
    if ratio < 0.7 or ratio > 8.0:
        score -= min(2.0, abs(math.log(ratio / 2.5)) / 2)
    return score


def _alignment(a: tuple[Unit, ...], b: tuple[Unit, ...],
               score=_score) -> tuple[float, list[tuple[int | None, int | None]]]:
    """Needleman–Wunsch over two runs: (score, [(index in a or None, index in b or None)]);
    ``score`` weighs a pair of units (:func:`_score` unless told otherwise)."""
    n, m = len(a), len(b)
    table = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        table[i][0] = i * _GAP
    for j in range(1, m + 1):
        table[0][j] = j * _GAP
    for i in range(1, n + 1):
        row, above = table[i], table[i - 1]
        for j in range(1, m + 1):
            row[j] = max(above[j - 1] + score(*_zh_en(a[i - 1], b[j - 1])), above[j] + _GAP, row[j - 1] + _GAP)
    steps, i, j = [], n, m
    while i or j:
        if i and j and table[i][j] == table[i - 1][j - 1] + score(*_zh_en(a[i - 1], b[j - 1])):
            steps.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and table[i][j] == table[i - 1][j] + _GAP:
            steps.append((i - 1, None))
            i -= 1
        else:
            steps.append((None, j - 1))
            j -= 1
    return table[n][m], steps[::-1]


def _zh_en(a: Unit, b: Unit) -> tuple[Unit, Unit]:
    return (a, b) if a.lang == ZH else (b, a)


def informative(unit: Unit) -> bool:
    """Whether a unit says enough that its missing counterpart matters: a numbered heading
    or a sentence. A short line (a title split over two lines, "2025-4-10 updated",
    "Date日期:") may well be translated together with its neighbour."""
    if unit.number:
        return True
    if unit.lang == ZH:
        return len(_CJK.findall(unit.text)) >= 15
    return len(unit.text.split()) >= 8


def _aligned(a: list[Unit], b: list[Unit], steps, pairs: list[Pair], orphans: list[Orphan]) -> None:
    positional, reliable = len(a) == len(b), _comparable(a, b)
    for k, (i, j) in enumerate(steps):
        if i is not None and j is not None:
            zh, en = _zh_en(a[i], b[j])
            pairs.append(Pair(zh, en, positional or _score(zh, en) >= _CERTAIN_SCORE))
        elif reliable and informative(unit := a[i] if i is not None else b[j]):
            orphans.append(Orphan(unit, _nearest(steps, k, a, b, i is None)))


def _nearest(steps, k: int, a: list[Unit], b: list[Unit], in_a: bool) -> Unit | None:
    """The unit of the other run aligned closest to step ``k``."""
    for offset in range(1, len(steps)):
        for at in (k - offset, k + offset):
            if 0 <= at < len(steps):
                index = steps[at][0 if in_a else 1]
                if index is not None:
                    return (a if in_a else b)[index]
    other = a if in_a else b
    return other[0] if other else None


def _leftover_orphans(runs: list[list[Unit]], chosen: set[int], orphans: list[Orphan]) -> None:
    """A short run left unpaired between paired ones: its translation is missing. A long
    one is left alone (a passage in one language only may be meant so)."""
    used = chosen | {i + 1 for i in chosen}
    for i, run in enumerate(runs):
        if i in used or len(run) > 2:
            continue
        neighbours = [runs[k] for k in (i - 1, i + 1) if 0 <= k < len(runs) and k in used]
        if neighbours:
            near = neighbours[0][-1] if neighbours[0] is runs[i - 1] else neighbours[0][0]
            orphans.extend(Orphan(unit, near) for unit in run if informative(unit))


# --- a bilingual contract we built: paired by its structure ---------------------------------

def structural_pairing(doc: Document) -> Pairing:
    """The pairs of a contract built from a bilingual template (``Document.texts``): each
    part's heading with its translation's, and each unit — a clause and the paragraphs
    after it — with its translation, block by block where both have as many blocks, else
    aligned as :func:`pair_units` aligns a run (so a paragraph left untranslated is an
    orphan). Every pair is certain: the structure says which text translates which."""
    zh_doc, en_doc = doc.texts.get(ZH), doc.texts.get(EN)
    pairs: list[Pair] = []
    orphans: list[Orphan] = []
    if zh_doc is None or en_doc is None:
        return Pairing(pairs, orphans)
    fixed = doc.fixed_blocks
    memo = doc.fixed_memo.setdefault("bilingual-pairs", {}) if fixed is not None else None
    for index, (zh_part, en_part) in enumerate(zip(zh_doc.parts, en_doc.parts)):
        if zh_part.heading_text and en_part.heading_text:
            pairs.append(Pair(_make_unit(zh_part.heading_text, zh_part.pos, ZH, False),
                              _make_unit(en_part.heading_text, en_part.pos, EN, False), True))
        for at, (zh_unit, en_unit) in enumerate(zip(clause_units(zh_part), clause_units(en_part))):
            if memo is None or not all(id(b) in fixed for b in (*zh_unit, *en_unit)):
                _pair_blocks(zh_unit, en_unit, pairs, orphans,
                             None if memo is None else (fixed, memo.setdefault("units", {})))
                continue
            hit = memo.get((index, at))  # a unit with no row value pairs alike in every row
            if hit is None:
                hit = memo[(index, at)] = ([], [])
                _pair_blocks(zh_unit, en_unit, *hit)
                for pair in hit[0]:
                    pair.fixed = True
            pairs.extend(hit[0])
            orphans.extend(hit[1])
    return Pairing(pairs, orphans)


def _texts_of(blocks: list, lang: str, kept: tuple | None = None) -> list[Unit]:
    """The units of ``blocks``; ``kept`` = (the ids of blocks that hold no row value, a memo
    by block id): such a block's units are made once per clause set."""
    out = []
    for block in blocks:
        if kept is not None and id(block) in kept[0]:
            units = kept[1].get(id(block))
            if units is None:
                units = kept[1][id(block)] = _block_units(block, lang)
            out.extend(units)
        else:
            out.extend(_block_units(block, lang))
    return out


def _block_units(block, lang: str) -> list[Unit]:
    out = []
    for text, pos, cell in _block_texts(block):
        text = " ".join(_BREAK.sub(" ", text).split())
        if text:
            out.append(_make_unit(text, pos, lang, cell))
    return out


def _pair_blocks(zh_blocks: list, en_blocks: list, pairs: list[Pair], orphans: list[Orphan],
                 kept: tuple | None = None) -> None:
    zh, en = _texts_of(zh_blocks, ZH, kept), _texts_of(en_blocks, EN, kept)
    if len(zh) == len(en):
        pairs.extend(Pair(z, e, True) for z, e in zip(zh, en))
        return
    if not zh or not en:
        orphans.extend(Orphan(u, None) for u in zh + en if informative(u))
        return
    _, steps = _alignment(tuple(zh), tuple(en), _with_roles)
    found: list[Pair] = []
    _aligned(zh, en, steps, found, orphans)
    pairs.extend(Pair(p.zh, p.en, True) for p in found)


# The parties' roles, which a translation keeps: a paragraph on the 买方 is one on the Buyer.
_ROLES = (("甲方", "Party A"), ("乙方", "Party B"), ("丙方", "Party C"), ("买方", "Buyer"), ("卖方", "Seller"),
          ("客户", "Customer"), ("供应商", "Supplier"), ("出租方", "Lessor"), ("承租方", "Lessee"),
          ("委托方", "Client"), ("受托方", "Contractor"), ("服务商", "Service Provider"))


def _with_roles(z: Unit, e: Unit) -> float:
    """:func:`_score`, plus agreement on the roles each unit names (买方 ↔ Buyer): two
    paragraphs that differ only in the party they are about align by it."""
    score = _score(z, e)
    zh_roles = {en for zh, en in _ROLES if zh in z.text}
    en_roles = {en for _, en in _ROLES if re.search(rf"\b{en}\b", e.text)}
    if zh_roles or en_roles:
        score += 1.5 * len(zh_roles & en_roles) - 1.0 * len(zh_roles ^ en_roles)
    return score
