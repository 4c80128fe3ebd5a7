"""Corpus files as editable units, for planting defects (tests/corpus_plant.py).

A unit is a line of a .txt/.md file or a paragraph of a .docx (its ``w:t`` text). Edits
keep everything else byte-for-byte: text files are re-joined, DOCX files get a new
``word/document.xml`` and every other zip member unchanged. Structure is read here on its
own, not with contractgen's readers, so a reader's mistake cannot choose where to plant.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CN = "零〇一二三四五六七八九"
_MD_ITEM = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")


def cn_value(text: str) -> int | None:
    """1..199 written in Chinese numerals (or digits)."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if "百" in text:
        head, _, rest = text.partition("百")
        return (digits.get(head, 1) if head else 1) * 100 + (cn_value(rest.lstrip("零〇")) or 0 if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in digits) or (ones and ones not in digits):
            return None
        return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
    return digits.get(text) if len(text) == 1 else None


def cn_text(n: int) -> str:
    ones = "零一二三四五六七八九"
    if n < 10:
        return ones[n]
    if n < 100:
        return ("" if n // 10 == 1 else ones[n // 10]) + "十" + (ones[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + ones[rest] if rest < 10 else ("一" if rest < 20 else "") + cn_text(rest))
    return ones[n // 100] + "百" + tail


def plain(text: str) -> str:
    """A unit's text without Markdown marks and inline HTML, for recognising heads and titles."""
    text = re.sub(r"<[^>]+>", "", text).strip()
    text = text.lstrip("#>").strip()
    return re.sub(r"^[*_]+|(?<=\S)[*_]+(?=[.:：]?\s|$)", "", text).strip()


@dataclass
class Item:
    """An automatically numbered item (Markdown list item, Word-numbered paragraph)."""

    unit: int
    path: tuple[int, ...]        # the number it renders as, e.g. (2, 3) for 2.3
    end: int                     # first unit after the item's block
    first: bool                  # the first item of its list (deleting it renumbers nothing in Markdown)
    list_id: str = ""            # which list: a Word numId, or the first unit of a Markdown list


@dataclass
class Source:
    path: Path
    lang: str
    units: list[str]
    typed_units: set[int] = field(default_factory=set)  # units whose number is typed text
    items: list[Item] = field(default_factory=list)
    _tree: object = None
    _paras: list = field(default_factory=list)
    _eol: str = "\n"

    @property
    def fmt(self) -> str:
        return self.path.suffix[1:]

    # -- edits ------------------------------------------------------------------------
    def replaced(self, unit: int, start: int, end: int, new: str) -> bytes:
        if self._tree is None:
            units = list(self.units)
            units[unit] = units[unit][:start] + new + units[unit][end:]
            return self._join(units)
        tree = copy.deepcopy(self._tree)
        para = list(tree.iter(W + "p"))[self._paras[unit]]
        _replace_runs(para, start, end, new)
        return self._docx(tree)

    def deleted(self, start: int, end: int) -> bytes | None:
        """Units start..end-1 removed; None when a DOCX range cannot be cut cleanly."""
        if self._tree is None:
            return self._join(self.units[:start] + self.units[end:])
        tree = copy.deepcopy(self._tree)
        paras = list(tree.iter(W + "p"))
        body = tree.find(W + "body")
        tops = []
        for i in range(start, end):
            top = paras[self._paras[i]]
            while top.getparent() is not body:
                top = top.getparent()
            if top not in tops:
                tops.append(top)
        if any(t.find(f".//{W}sectPr") is not None for t in tops):
            return None
        for top in tops:
            body.remove(top)
        return self._docx(tree)

    def _join(self, units: list[str]) -> bytes:
        return (self._eol.join(units) + self._eol).encode("utf-8")

    def _docx(self, tree) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(self.path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
                dst.writestr(info, data)
        return out.getvalue()


def _replace_runs(para, start: int, end: int, new: str) -> None:
    """Replace characters start..end of the paragraph's w:t text, touching only those runs."""
    pos, placed = 0, False
    for t in para.iter(W + "t"):
        text = t.text or ""
        lo, hi = pos, pos + len(text)
        pos = hi
        if hi < start or lo > end or (hi == start and not (lo == hi == start)):
            continue
        a, b = max(start, lo) - lo, min(end, hi) - lo
        t.text = text[:a] + ("" if placed else new) + text[b:]
        t.set(XML_SPACE, "preserve")
        placed = True
        if hi >= end:
            break


def load(path: Path, lang: str) -> Source:
    if path.suffix == ".docx":
        return _load_docx(path, lang)
    raw = path.read_text(encoding="utf-8")
    eol = "\r\n" if "\r\n" in raw else "\n"
    src = Source(path, lang, raw.split(eol)[:-1] if raw.endswith(eol) else raw.split(eol), _eol=eol)
    if path.suffix == ".md":
        src.items = _md_items(src.units)
    auto = {it.unit for it in src.items}
    src.typed_units = {i for i in range(len(src.units)) if i not in auto}
    return src


def _md_items(units: list[str]) -> list[Item]:
    items: list[Item] = []
    stack: list[list] = []          # [indent, number, first unit of the list] per open depth
    open_items: list[Item] = []
    for i, text in enumerate(units):
        m = _MD_ITEM.match(text)
        indent = len(text) - len(text.lstrip())
        if not m:
            if text.strip() and (indent == 0 or text.lstrip().startswith("#")):
                for it in open_items:
                    it.end = i
                stack, open_items = [], []
            continue
        indent = len(m.group(1))
        while stack and stack[-1][0] > indent:
            stack.pop()
        first = not stack or stack[-1][0] < indent
        if first:
            stack.append([indent, int(m.group(2)), i])
        else:
            stack[-1][1] += 1
        for it in open_items:
            if len(it.path) >= len(stack):
                it.end = i
        open_items = [it for it in open_items if len(it.path) < len(stack)]
        item = Item(i, tuple(n for _, n, _ in stack), len(units), first, str(stack[0][2]))
        items.append(item)
        open_items.append(item)
    return items


def _load_docx(path: Path, lang: str) -> Source:
    with zipfile.ZipFile(path) as z:
        tree = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml")) if "word/styles.xml" in z.namelist() else None
    style_num = _style_numbering(styles)
    src = Source(path, lang, [], _tree=tree)
    counters: dict[str, list[int]] = {}
    numbered: list[tuple[int, str, int]] = []
    for index, p in enumerate(tree.iter(W + "p")):
        src._paras.append(index)
        src.units.append("".join(t.text or "" for t in p.iter(W + "t")))
        num = _numbering(p, style_num)
        if num is None:
            continue
        num_id, ilvl = num
        levels = counters.setdefault(num_id, [0] * 9)
        levels[ilvl] += 1
        levels[ilvl + 1:] = [0] * (8 - ilvl)
        unit = len(src.units) - 1
        numbered.append((unit, num_id, ilvl))
        src.items.append(Item(unit, tuple(levels[:ilvl + 1]), len(src.units), levels[ilvl] == 1, num_id))
    for k, (unit, num_id, ilvl) in enumerate(numbered):
        later = [u for u, n, lv in numbered[k + 1:] if n == num_id and lv <= ilvl]
        src.items[k].end = later[0] if later else unit + 1
    src.typed_units = set(range(len(src.units))) - {it.unit for it in src.items}
    return src


def _style_numbering(styles) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    if styles is None:
        return out
    for style in styles.iter(W + "style"):
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None and num.find(W + "numId") is not None:
            ilvl = num.find(W + "ilvl")
            out[style.get(W + "styleId")] = (num.find(W + "numId").get(W + "val"),
                                             int(ilvl.get(W + "val")) if ilvl is not None else 0)
    return out


def _numbering(p, style_num: dict) -> tuple[str, int] | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    num = ppr.find(W + "numPr")
    style = ppr.find(W + "pStyle")
    inherited = style_num.get(style.get(W + "val")) if style is not None else None
    if num is not None and num.find(W + "numId") is not None:
        num_id = num.find(W + "numId").get(W + "val")
        ilvl = num.find(W + "ilvl")
        level = int(ilvl.get(W + "val")) if ilvl is not None else (inherited[1] if inherited else 0)
    elif inherited:
        num_id, level = inherited
    else:
        return None
    if num_id == "0" or not "".join(t.text or "" for t in p.iter(W + "t")).strip():
        return None
    return num_id, min(level, 8)
