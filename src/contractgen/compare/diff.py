"""Word-level changes inside an edited unit.

Text is cut into tokens — a Chinese character, an English word, a number, an amount or a
date as one token — and the token strings are diffed with diff-match-patch (each distinct
token stands for one character, as its line mode does for lines). A change that touches a
number takes the currency before it and the unit after it along, so it reads
"三十日 → 十五日" and "USD 10,000 → USD 8,000", and is typed as a date, an amount or a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from .. import rx

EQUAL, DELETE, INSERT = 0, -1, 1

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = (rf"\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?|\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}},\s*\d{{4}}")
_CN_NUMERALS = "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"
_TOKEN = rx.compile(rf"{_DATE}|\d[\d,]*(?:\.\d+)?%?|[{_CN_NUMERALS}]+|[A-Za-z]+(?:['’][A-Za-z]+)*|\s+|.", re.S)
_NUMERIC = rx.compile(rf"\d|[{_CN_NUMERALS}]")
_NUMBER_WORDS = rx.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
                           r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
                           r"|eighty|ninety|hundred|thousand|million|billion)\b", re.I)
_IS_DATE = rx.compile(_DATE)
_CURRENCY = r"(?:USD|RMB|CNY|EUR|GBP|HKD|US\$|\$|€|£|¥|￥|人民币)"
_PREFIX = rx.compile(rf"{_CURRENCY}\s*$")
_SUFFIX = rx.compile(r"^\s*(?:万元|元整|元|个工作日|工作日|日|天|个月|月|年|周|小时|%|percent\b"
                     r"|(?:business |calendar |working )?days?\b|weeks?\b|months?\b|years?\b|hours?\b)")
_AMOUNT = rx.compile(rf"{_CURRENCY}|元")


@dataclass(slots=True, frozen=True)
class Change:
    """One change inside a unit: what was there, what is there now, and its kind
    ("amount", "date", "number" or "text"; "reference" for a citation number that was not
    renumbered with its target: ``old`` the number it should show, ``new`` the one it shows)."""

    old: str
    new: str
    kind: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "old": self.old, "new": self.new}

    def __str__(self) -> str:
        if self.kind == "reference":
            return f"reference left at {self.new} (its target is now {self.old})"
        if not self.old:
            return f"+ “{self.new}”"
        if not self.new:
            return f"- “{self.old}”"
        return f"{self.old} → {self.new}"


def tokens(text: str) -> list[str]:
    """The tokens of a text: 三十日 is 三十 + 日; "USD 10,000" is USD, space, 10,000."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """(op, text) pairs turning ``old`` into ``new``: EQUAL, DELETE or INSERT."""
    if old == new:
        return [(EQUAL, old)] if old else []
    table: dict[str, str] = {}
    encoded = [_encode(tokens(t), table) for t in (old, new)]
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never cut the diff short by the clock
    ops = dmp.diff_main(encoded[0], encoded[1], False)
    dmp.diff_cleanupSemantic(ops)
    words = {code: token for token, code in table.items()}
    return _merge([(op, "".join(words[c] for c in text)) for op, text in ops])


def _encode(toks: list[str], table: dict[str, str]) -> str:
    out = []
    for tok in toks:
        if tok not in table:
            table[tok] = chr(0xF0000 + len(table))  # a private-use plane: never in real text
        out.append(table[tok])
    return "".join(out)


def _merge(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for op, text in ops:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def changes(ops: list[tuple[int, str]]) -> list[Change]:
    """The changes of a diff, each a deletion and insertion side by side, numbers with
    their currency and unit."""
    segments: list[list] = []  # ["eq", text] or ["chg", old, new]
    for op, text in ops:
        if op == EQUAL:
            segments.append(["eq", text])
        elif segments and segments[-1][0] == "chg":
            segments[-1][1 if op == DELETE else 2] += text
        else:
            segments.append(["chg", text if op == DELETE else "", text if op == INSERT else ""])
    segments = _join_close(segments)
    found = []
    for i, seg in enumerate(segments):
        if seg[0] == "chg":
            found.append(_change(segments, i))
    return found


_ONE_WORD = rx.compile(r"^ [a-z]+ $")


def _join_close(segments: list[list]) -> list[list]:
    """Two changes one lower-case word apart are one: "twelve thousand five hundred →
    eight thousand", not "twelve → eight" and "- five hundred"."""
    out: list[list] = []
    for seg in segments:
        if (seg[0] == "chg" and len(out) >= 2 and out[-1][0] == "eq" and out[-2][0] == "chg"
                and _ONE_WORD.match(out[-1][1])):
            gap = out.pop()[1]
            prev = out[-1]
            out[-1] = ["chg", prev[1] + gap + seg[1], prev[2] + gap + seg[2]]
        else:
            out.append(list(seg))
    return out


def _change(segments: list[list], i: int) -> Change:
    _, old, new = segments[i]
    if _NUMERIC.search(old) or _NUMERIC.search(new):
        before = segments[i - 1][1] if i and segments[i - 1][0] == "eq" else ""
        after = segments[i + 1][1] if i + 1 < len(segments) and segments[i + 1][0] == "eq" else ""
        pre = _PREFIX.search(before)
        suf = _SUFFIX.match(after)
        lead = pre[0] if pre else ""
        tail = suf[0] if suf else ""
        old, new = f"{lead}{old}{tail}".strip(), f"{lead}{new}{tail}".strip()
    return Change(old.strip() or old, new.strip() or new, change_kind(old, new))


def _numeric(text: str) -> bool:
    return bool(_NUMERIC.search(text) or _NUMBER_WORDS.search(text))


def change_kind(old: str, new: str) -> str:
    """"date", "amount" or "number" when both sides hold a number (in figures or words)."""
    if not (_numeric(old) and _numeric(new)):
        return "text"
    if _IS_DATE.search(old) or _IS_DATE.search(new):
        return "date"
    if _AMOUNT.search(old) or _AMOUNT.search(new):
        return "amount"
    return "number"
