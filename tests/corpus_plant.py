"""Planted-defect recall on the real-contract corpus (issue 22).

Each kind of mutation finds the places in a file where it is well defined, picks some with
a seeded RNG, plants the defect, re-checks the file and asks whether a finding of the
expected code appeared *near* the planted place:

- ``delete``: typed numbers (第X条, "1.", "Section 1"): an article between two numbered
  neighbours is deleted -> ``numbering-gap`` on the next article's head. Automatic numbers
  (Markdown ordered list, Word numbering): an earlier sibling of an item that a reference
  cites by number and title ("Section 4 (Payment & Taxes)") is deleted, so the item renumbers
  -> ``reference-title-mismatch`` or ``stale-field-result`` on the reference's line.
- ``duplicate``: a typed article number is changed to its predecessor's ->
  ``duplicate-number`` on either head.
- ``dangling``: a reference to one of the file's own article numbers is pointed at 97 ->
  ``dangling-reference`` (or ``stale-field-result`` for a Word field) on its line.
- ``retitle``: the title a reference cites is changed -> ``reference-title-mismatch``.
- ``blank``: ``____``, ``XXX``, ``【 】`` or ``[Company Name]`` is inserted into a sentence
  -> ``unfilled-placeholder`` on its line.

"Near" means the planted line, or the line of the affected reference or head, as listed.
A place is eligible only when the unmutated file has no finding of the expected codes on
those lines, and a finding counts only if it is not one the unmutated file had at the same
place (lines are mapped back through a diff when a deletion moved them).
"""

from __future__ import annotations

import difflib
from functools import partial
import random
import re
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from contractgen.checking import check_file
from contractgen.readers.docx import docx_lines

from corpus_judgments import corpus_files, lang_of
from corpus_sources import Source, cn_text, cn_value, load, plain

KINDS = ("delete", "duplicate", "dangling", "retitle", "blank")
EXPECT = {
    "delete-typed": ("numbering-gap",),
    "delete-auto": ("reference-title-mismatch", "stale-field-result"),
    "duplicate": ("duplicate-number",),
    "dangling": ("dangling-reference", "stale-field-result", "broken-field-reference"),
    "retitle": ("reference-title-mismatch", "stale-field-result"),
    "blank": ("unfilled-placeholder",),
}
BLANKS = {"zh": ("____", "XXX", "【 】"), "en": ("____", "XXX", "[Company Name]")}
_ZH_HEAD = re.compile(r"^第([零〇一二三四五六七八九十百两]+|\d+)条")
_EN_HEAD = re.compile(r"^(?:(?:Section|SECTION|Article|ARTICLE)\s+)?(\d{1,2})\.(?!\d)\s*\S")
_ZH_REF = re.compile(r"第([零〇一二三四五六七八九十百两]+|\d+)条")
_EN_REF = re.compile(r"\b(?:Sections?|Articles?|Clauses?)\s+(\d{1,2}(?:\.\d{1,2})*)(?![\d.]\d|-\d)")
_EN_TITLED = re.compile(r"\b(?:Section|Article|Clause)\s+(\d{1,2}(?:\.\d{1,2})*)\s*\(([\"“]?)([A-Z][^()\"“”]{2,60}?)([\"”]?)\)")
_EXTERNAL = re.compile(r"^\s*(?:\([a-z0-9]+\))*\s*of\s+(?!this\b|these\b)|^\s*(?:of|to)\s+(?:the\s+)?[A-Z]{2,}")


@dataclass
class Plant:
    kind: str            # one of KINDS
    expect: tuple[str, ...]
    what: str            # a human description
    make: Callable[[], bytes | None]   # builds the mutated file (None: cannot be cut cleanly)
    near: list[int]      # units (0-based) whose lines count as near, in the mutated file
    marker: str = ""     # text the near line must contain (DOCX line lookup)


def typed_heads(src: Source) -> list[tuple[int, int, re.Match]]:
    """(unit, number, match on the plain text) of every typed article head."""
    pattern = _ZH_HEAD if src.lang == "zh" else _EN_HEAD
    heads = []
    for i in sorted(src.typed_units):
        text = plain(src.units[i])
        m = pattern.match(text)
        value = m and cn_value(m.group(1))
        if value and (src.lang == "zh" or len(text) < 200):
            heads.append((i, value, m))
    return heads


def _offset(raw: str, text: str, index: int) -> int:
    """Where position ``index`` of plain(raw) falls in raw (plain only strips a prefix and marks)."""
    probe = text[index:index + 6]
    found = raw.find(probe)
    return found if found >= 0 else -1


def _consecutive(heads, k: int, before: int, after: int) -> bool:
    return all(0 <= k + d < len(heads) and heads[k + d][1] == heads[k][1] + d for d in range(-before, after + 1))


def plant_delete(src: Source, rng: random.Random) -> list[Plant]:
    heads = typed_heads(src)
    out = []
    for k in range(len(heads)):
        if _consecutive(heads, k, 1, 1):
            out.append(Plant("delete", EXPECT["delete-typed"], f"deleted article {heads[k][1]}",
                             partial(src.deleted, heads[k][0], heads[k + 1][0]),
                             [heads[k][0]], plain(src.units[heads[k + 1][0]])[:12]))
    by_path = defaultdict(list)  # one path in several lists: a cover page's steps, an addendum's "4."
    for it in src.items:
        by_path[it.path].append(it)
    for i, text in enumerate(src.units):
        for m in _EN_TITLED.finditer(text):
            cited = m.group(3).lower().rstrip(".")
            target = next((it for it in by_path.get(tuple(int(n) for n in m.group(1).split(".")), [])
                           if plain(src.units[it.unit]).lower().startswith(cited)), None)
            if not target:
                continue
            for sib in _earlier_siblings(src, target):
                if not sib.unit <= i < sib.end:
                    shift = i - (sib.end - sib.unit) if i >= sib.end else i
                    out.append(Plant("delete", EXPECT["delete-auto"],
                                     f"deleted item {'.'.join(map(str, sib.path))}; {m.group(0)} renumbers",
                                     partial(src.deleted, sib.unit, sib.end), [shift], m.group(0)))
    return out


def _earlier_siblings(src: Source, target) -> list:
    depth = len(target.path)
    return [it for it in src.items if len(it.path) == depth and it.path[:-1] == target.path[:-1]
            and it.path[-1] < target.path[-1] and it.list_id == target.list_id and it.unit < target.unit
            and (src.fmt == "docx" or not it.first)]


def plant_duplicate(src: Source, rng: random.Random) -> list[Plant]:
    heads = typed_heads(src)
    out = []
    for k in range(1, len(heads)):
        if not _consecutive(heads, k, 1, 0):
            continue
        unit, value, m = heads[k]
        raw = src.units[unit]
        start = _offset(raw, plain(raw), m.start(1))
        if start < 0 or not raw[start:].startswith(m.group(1)):
            continue
        new = cn_text(value - 1) if not m.group(1).isdigit() else str(value - 1)
        out.append(Plant("duplicate", EXPECT["duplicate"], f"article {value} renumbered {value - 1}",
                         partial(src.replaced, unit, start, start + len(m.group(1)), new),
                         [heads[k - 1][0], unit], raw[start:start + len(m.group(1))].replace(m.group(1), new)))
    return out


def _own_numbers(src: Source) -> set[int]:
    return {v for _, v, _ in typed_heads(src)} | {it.path[0] for it in src.items}


def plant_dangling(src: Source, rng: random.Random) -> list[Plant]:
    own, heads = _own_numbers(src), {u for u, _, _ in typed_heads(src)}
    out = []
    for i, text in enumerate(src.units):
        pattern = _ZH_REF if src.lang == "zh" else _EN_REF
        for m in pattern.finditer(text):
            if (i in heads and m.start() < 12) or _external(src.lang, text, m) or _incorporated(src, i, m):
                continue
            value = cn_value(m.group(1).split(".")[0])
            if value not in own:
                continue
            new = "97" if m.group(1)[0].isdigit() else cn_text(97)
            mutated = text[:m.start(1)] + new + text[m.end(1):]
            out.append(Plant("dangling", EXPECT["dangling"], f"{m.group(0)} -> {new}",
                             partial(src.replaced, i, m.start(1), m.end(1), new), [i], mutated[m.start():m.start(1) + 2]))
    return out


def _external(lang: str, text: str, m: re.Match) -> bool:
    if lang == "zh":
        before = text[max(0, m.start() - 12):m.start()]
        return "》" in before or bool(re.search(r"(法|条例|规定|办法)$", before))
    return bool(_EXTERNAL.match(text[m.end():m.end() + 40])) or "U.S.C" in text[max(0, m.start() - 30):m.start()] \
        or bool(_STATUTE_BEFORE.search(text[max(0, m.start() - 12):m.start()]))


_STATUTE_BEFORE = re.compile(r"(?:Stat\.|Code|Act|C\.F\.R\.|§)\s*$")
_SCC = re.compile(r"\bSCCs?\b|Standard Contractual Clauses|UK Addendum")


def _incorporated(src: Source, i: int, m: re.Match) -> bool:
    """"In Clause 9, Option 2 … applies" in a list under "the EEA SCCs apply …": a clause of
    the Standard Contractual Clauses the contract incorporates, when the contract calls its
    own units Sections (none of its heads says "Clause")."""
    if src.lang != "en" or not m.group(0).startswith("Clause"):
        return False
    if any(plain(u).startswith("Clause") for u in src.units):
        return False
    lead = [u for u in src.units[max(0, i - 16):i + 1] if u.strip()][-7:]  # this item and the list above it
    return any(_SCC.search(u) for u in lead)


def _titles(src: Source) -> set[str]:
    return {plain(u).lower() for u in src.units if plain(u)}


def plant_retitle(src: Source, rng: random.Random) -> list[Plant]:
    """Only references whose cited title begins a unit of this file (its own article)."""
    if src.lang == "zh":
        return _plant_retitle_zh(src, rng)
    starts = _titles(src)
    cited = [(i, m) for i, text in enumerate(src.units) for m in _EN_TITLED.finditer(text)
             if any(t.lstrip("0123456789. ").startswith(m.group(3).lower()) for t in starts)]
    out = []
    for i, m in cited:
        others = sorted({o.group(3) for _, o in cited if o.group(1) != m.group(1) and o.group(3) != m.group(3)})
        new = rng.choice(others) if others else "Escrow Arrangements"
        out.append(Plant("retitle", EXPECT["retitle"], f"{m.group(0)} cites '{new}'",
                         partial(src.replaced, i, m.start(3), m.end(3), new), [i], new[:20]))
    return out


def _zh_titles(src: Source) -> dict[int, str]:
    """Article number -> title, for the typed heads "第五条 保密条款" whose number no other head
    of the file has (a contract whose 协议条款 reuse the 合同条件's numbers is left out)."""
    seen: dict[int, list[str]] = defaultdict(list)
    for unit, value, m in typed_heads(src):
        rest = plain(src.units[unit])[m.end():].strip(" \u3000:：、.")
        seen[value].append(rest if 2 <= len(rest) <= 14 and not _ZH_NOT_TITLE.search(rest) else "")
    return {value: titles[0] for value, titles in seen.items() if len(titles) == 1 and titles[0]}


_ZH_NOT_TITLE = re.compile(r"[，。；,;：:（）()“”《》]")


def _plant_retitle_zh(src: Source, rng: random.Random) -> list[Plant]:
    """Chinese contracts cite articles by number only ("按本合同第五条约定"); the defect a
    reviewer meets after a clause was retitled is a title given with the number that is not
    the article's: "第五条（保密条款）" where 第五条 is titled 违约责任. Planted after a
    reference to one of the file's own, uniquely numbered, titled articles."""
    titles, heads = _zh_titles(src), {u for u, _, _ in typed_heads(src)}
    out = []
    for i, text in enumerate(src.units):
        for m in _ZH_REF.finditer(text):
            value = cn_value(m.group(1))
            if value not in titles or (i in heads and m.start() < 12) or _external("zh", text, m) \
                    or text[m.end():m.end() + 1] in "（(":
                continue
            others = sorted(t for v, t in titles.items() if v != value and _unlike(t, titles[value]))
            if not others:
                continue
            new = f"（{rng.choice(others)}）"
            out.append(Plant("retitle", EXPECT["retitle"], f"{m.group(0)} ({titles[value]}) cites '{new}'",
                             partial(src.replaced, i, m.end(), m.end(), new), [i], new))
    return out


def _unlike(a: str, b: str) -> bool:
    """Titles no reader would take for one another (neither contains the other, little overlap)."""
    return a not in b and b not in a and difflib.SequenceMatcher(None, a, b).ratio() < 0.5


def plant_blank(src: Source, rng: random.Random) -> list[Plant]:
    out = []
    heads = {u for u, _, _ in typed_heads(src)}
    for i, text in enumerate(src.units):
        body = plain(text)
        if i in heads or len(body) < 30 or "|" in text or "<" in text or text.lstrip().startswith(("#", "---")):
            continue
        spaces = [k for k, c in enumerate(text) if k > 10 and (c == " " if src.lang == "en" else c in "，,")]
        if not spaces:
            continue
        at = rng.choice(spaces) + 1
        blank = rng.choice(BLANKS[src.lang])
        new = (blank + " ") if src.lang == "en" else blank
        out.append(Plant("blank", EXPECT["blank"], f"inserted {blank}", partial(src.replaced, i, at, at, new), [i], blank))
    return out


PLANTERS = {"delete": plant_delete, "duplicate": plant_duplicate, "dangling": plant_dangling,
            "retitle": plant_retitle, "blank": plant_blank}


def texts(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".docx":
        return [(ln.line, ln.text) for ln in docx_lines(path)]
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))


def near_lines(plant: Plant, src: Source, path: Path) -> set[int]:
    """The mutated file's lines that count as near the plant. For a DOCX, the reader's lines
    of the near paragraphs: those containing the plant's marker, else those whose text is
    part of (or contains) a near paragraph's text, whitespace ignored."""
    if path.suffix != ".docx":
        return {u + 1 for u in plant.near}
    squash = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
    mutated = load(path, src.lang)
    wanted = [squash(mutated.units[u]) for u in plant.near if u < len(mutated.units)]
    wanted = [w for w in wanted if w]
    lines = [(line, squash(text)) for line, text in texts(path)]
    overlap = {line for line, body in lines if len(body) >= 4 and any(body in w or w in body for w in wanted)}
    marked = {line for line, body in lines if plant.marker and squash(plant.marker) in body}
    return (overlap & marked) or overlap or marked


def back_map(before: list[tuple[int, str]], after: list[tuple[int, str]]) -> dict[int, int]:
    """Mutated line -> original line, for lines the diff pairs up (equal or changed in place)."""
    out = {}
    sm = difflib.SequenceMatcher(a=[t for _, t in before], b=[t for _, t in after], autojunk=False)
    for tag, a0, a1, b0, b1 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0):
            for k in range(b1 - b0):
                out[after[b0 + k][0]] = before[a0 + k][0]
    return out


def measure_recall(per_file: int = 3, seed: int = 22, files: list[Path] | None = None) -> dict:
    started, checks = time.perf_counter(), 0
    kinds: dict = defaultdict(lambda: {"planted": 0, "found": 0, "skipped": []})
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files or corpus_files():
            lang, src = lang_of(path), None
            src = load(path, lang)
            try:
                original = check_file(path)
            except Exception as exc:  # reported by the precision run; nothing to compare with
                for kind in KINDS:
                    kinds[f"{kind}/{lang}"]["skipped"].append((path.name, f"check raised {type(exc).__name__}"))
                continue
            before = {(f.code, f.line, f.message) for f in original}
            before_lines = texts(path)
            for kind in KINDS:
                key = f"{kind}/{lang}"
                rng = random.Random(f"{seed}:{path.name}:{kind}")
                target = Path(tmp) / path.name
                chosen = _choose(PLANTERS[kind](src, rng), rng, per_file, original, src)
                if not chosen:
                    kinds[key]["skipped"].append((path.name, f"no place where {kind} is well defined"))
                    continue
                for plant, data in chosen:
                    target.write_bytes(data)
                    near = near_lines(plant, src, target)
                    mapping = back_map(before_lines, texts(target))
                    try:
                        after = check_file(target)
                    except Exception as exc:
                        after = []
                        plant.what += f" (check raised {type(exc).__name__})"
                    got = [f for f in after if f.line in near and f.code in plant.expect
                           and (f.code, mapping.get(f.line), f.message) not in before]
                    checks += 1
                    kinds[key]["planted"] += 1
                    kinds[key]["found"] += bool(got)
                    if not got:
                        misses.append({"file": path.name, "line": min(near) if near else None, "kind": kind,
                                       "what": plant.what, "expect": list(plant.expect),
                                       "got": [f"{f.code}: {f.message}" for f in after if f.line in near]})
    return {"kinds": dict(kinds), "misses": misses, "checks": checks, "seed": seed,
            "seconds": round(time.perf_counter() - started, 2)}


def _choose(plants: list[Plant], rng: random.Random, n: int, original, src: Source) -> list[tuple[Plant, bytes]]:
    """Up to n plants with their mutated files, none at a place where the unmutated file
    already has a finding of the expected codes (text files; DOCX relies on the back map)."""
    flagged = defaultdict(set)
    for f in original:
        flagged[f.code].add(f.line)
    clean = [p for p in plants if src.fmt == "docx" or not any(u + 1 in flagged[c] for u in p.near for c in p.expect)]
    rng.shuffle(clean)
    chosen = []
    for plant in clean:
        data = plant.make()
        if data is not None:
            chosen.append((plant, data))
        if len(chosen) == n:
            break
    return chosen
