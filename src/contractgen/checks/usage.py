"""Chinese usage warnings: 定金 and 订金 in one contract (they differ in law), 罚款 where a
civil contract means 违约金, and half-width punctuation inside Chinese sentences.

Severity: all three are warnings, never errors — each is wording a drafter may have chosen
on purpose. 罚款 is not reported where the sentence says an authority imposes it (被行政机关
罚款, 违反有关规定造成的罚款) or rules it out (不得罚款, 而不是以罚款的方式); a sentence a
plain-text contract wraps over two lines is read whole.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..diagnostics import WARNING
from ..model import Document
from .base import CheckContext, rule
from .. import rx

# 规定金额 / 预订金额 are not 定金 / 订金: the 金 there starts 金额.
_DEPOSIT = rx.compile(r"(?P<t>定金|订金)(?!额)")
_PENALTY = rx.compile(r"罚款")
# a fine imposed by an authority is a 罚款 indeed: 被行政机关罚款, 受到罚款处罚, 违反有关规定造成的罚款
_AUTHORITY = rx.compile(r"行政|政府|机关|主管部门|有关部门|监管|税务|海关|工商|市场监督|公安|交通管理|处以|处罚|"
                        r"被[^，。；,;]{0,12}罚款|受到[^，。；,;]{0,6}罚款|违反(?:有关|国家|地方|政府)[^。；;]{0,12}规定|"
                        r"违反[^，。；,;]{0,10}(?:法律|法规)|造成的[^，。；,;]{0,6}罚款")
# 罚款 ruled out: 不得罚款, 而不是以罚款的方式, 不以罚款代替
_NEGATED = rx.compile(r"(?:不得|不应|不能|不可|禁止|严禁|不以|而不是|而非|并非|不是)[^，。；,;]{0,8}罚款")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_HALF_WIDTH = rx.compile(
    rf"(?<=[{_CJK}])\s?(?P<p>[,;:])\s?(?=[{_CJK}])"             # 服务费用,包括 / 公式为:服务
    rf"|(?<=[{_CJK}])(?P<q>[?!])(?=[{_CJK}]|\s*$)"                  # 是否?
    rf"|(?P<paren>\((?=[^()]*[{_CJK}])[^()\n]{{1,40}}\))"           # (地点) but not (30) or (a)
)
_HALF_HINT = rx.compile(r"[,;:?!(]")  # a quick test before _HALF_WIDTH's look-arounds
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "()": "（）"}


@rule("deposit-term-mix", WARNING, "usage", help="both 定金 and 订金 in one contract (they differ in law)",
      bad="甲方应支付定金一万元。……乙方收到订金后开工。", good="甲方应支付定金一万元。……乙方收到定金后开工。")
def check_deposit_term_mix(doc: Document, ctx: CheckContext) -> Iterable:
    """Both 定金 and 订金: one finding, at the first use of the term that comes second. A
    warning: the contract may mean both, one for each of two payments."""
    first: dict[str, tuple] = {}
    for index, found in ctx.scan("deposit-terms", _deposit_terms):
        for term, start in found:
            first.setdefault(term, (ctx.units[index], start))
        if len(first) == 2:
            break
    if len(first) < 2:
        return
    (one, _), (two, (unit, start)) = first.items()
    yield ctx.finding(f"both '{one}' and '{two}' are used; they differ in law (定金 is a deposit under the "
                      f"Civil Code art. 586, 订金 is a prepayment)", unit.pos, unit.text, around=start,
                      suggestion="use one term throughout")


def _deposit_terms(text: str) -> tuple[tuple[str, int], ...]:
    """(定金 or 订金, where) of each in a text."""
    return tuple((m["t"], m.start()) for m in _DEPOSIT.finditer(text)) if ("定金" in text or "订金" in text) else ()


_PENALTY_LAW = rx.compile(r"《[^》]*罚款[^》]*》")


@rule("penalty-term", WARNING, "usage", help="罚款 between the parties of a civil contract (违约金 is meant)",
      bad="乙方逾期交付的，每日向甲方支付罚款500元。", good="乙方逾期交付的，每日向甲方支付违约金500元。")
def check_penalty_term(doc: Document, ctx: CheckContext) -> Iterable:
    """罚款 between the parties (a civil contract means 违约金); not a fine an authority
    imposes on a party, and not 罚款 the sentence rules out (不得罚款, 而不是以罚款的方式)."""
    previous = ""
    for unit in ctx.units:
        text, before, previous = unit.text, previous, unit.text
        if "罚款" not in text:
            continue
        for m in _PENALTY.finditer(text):
            sentence = _sentence(text, m.start())
            if not _SENTENCE_START.search(text, 0, m.start()):
                sentence = _tail(before) + sentence  # a hard-wrapped line continues the one before
            if _AUTHORITY.search(sentence) or _NEGATED.search(sentence) or _PENALTY_LAW.search(sentence):
                continue
            yield ctx.finding("'罚款' is an administrative fine; between the parties of a civil contract "
                              "write '违约金'", unit.pos, text, around=m.start(), suggestion="违约金")


_SENTENCE_START = rx.compile(r"[。；;！？\n]")


def _tail(text: str) -> str:
    """The unfinished sentence a line ends with ("" if it ends one)."""
    if not text or text.rstrip()[-1:] in "。；;！？":
        return ""
    return text[max(text.rfind(p) for p in "。；;！？\n") + 1:]


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(p, 0, at) for p in "。；;！？\n") + 1
    ends = [i for i in (text.find(p, at) for p in "。；;！？\n") if i >= 0]
    return text[start:min(ends) if ends else len(text)]


@rule("half-width-punctuation", WARNING, "usage", help="half-width , ; : ? ! ( ) between Chinese characters",
      bad="服务费用按月结算,甲方应于收到发票后付款:", good="服务费用按月结算，甲方应于收到发票后付款：")
def check_half_width_punctuation(doc: Document, ctx: CheckContext) -> Iterable:
    """Half-width , ; : ? ! ( ) between Chinese characters: one finding per paragraph. A
    warning: typography, never a defect of the contract's meaning."""
    for index, (shown, places, first) in ctx.scan("half-width", _half_width_marks):
        unit = ctx.units[index]
        fixes = " ".join(f"{c}→{_FULL[c]}" for c in shown)
        count = f" ({places} places)" if places > 1 else ""
        yield ctx.finding(f"half-width punctuation {' '.join(repr(c) for c in shown)} in Chinese text{count}",
                          unit.pos, unit.text, around=first, suggestion=fixes)


_CJK_CHAR = rx.compile(rf"[{_CJK}]")


def _half_width_marks(text: str) -> tuple[tuple[str, ...], int, int] | None:
    """(the marks, in _FULL's order; how many places; where the first is) of a text's
    half-width punctuation between Chinese characters, or None."""
    if not _HALF_HINT.search(text) or not _CJK_CHAR.search(text):
        return None
    marks = [m for m in _HALF_WIDTH.finditer(text) if _is_chinese_paren(text, m)]
    if not marks:
        return None
    return tuple(sorted({_mark(m) for m in marks}, key=list(_FULL).index)), len(marks), marks[0].start()


def _mark(m: re.Match) -> str:
    return m["p"] or m["q"] or "()"


def _is_chinese_paren(text: str, m: re.Match) -> bool:
    """A bracket pair counts only when Chinese text touches it outside: 于____(地点)签订."""
    if not m["paren"]:
        return True
    before = text[m.start() - 1:m.start()] if m.start() else ""
    after = text[m.end():m.end() + 1]
    return bool(_CJK_CHAR.match(before) or _CJK_CHAR.match(after))
