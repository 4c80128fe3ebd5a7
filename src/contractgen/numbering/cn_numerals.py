"""Chinese numerals without importing cn2an: counting (一百零一) and amounts (壹拾贰万伍仟元整).

cn2an compiles its patterns when it is imported (0.2–0.3 s, a fifth of a short batch's
start-up), though contracts only need two of its conversions, which are a few lines: these
write exactly what ``cn2an.an2cn(n)`` and ``cn2an.an2cn(amount, "rmb")`` write (the same
algorithm; ``tests/test_cn_numerals.py`` holds them to cn2an on every integer below
200,000, on random ones up to 16 digits and on amounts with every kind of fraction).
Reading numerals (``cn2an.cn2an``) stays cn2an's, imported when it is first needed.
"""

from __future__ import annotations

from decimal import Decimal
from .. import rx

_LOW = "零一二三四五六七八九"
_UP = "零壹贰叁肆伍陆柒捌玖"
_LOW_UNITS = ("", "十", "百", "千", "万", "十", "百", "千", "亿", "十", "百", "千", "万", "十", "百", "千")
_UP_UNITS = ("", "拾", "佰", "仟", "万", "拾", "佰", "仟", "亿", "拾", "佰", "仟", "万", "拾", "佰", "仟")
_MISSING_ZERO = rx.compile(r"([万亿])零([一二三四五六七八九壹贰叁肆伍陆柒捌玖][千仟])")


def integer_words(digits: str | int, upper: bool = False) -> str:
    """一百零一 for 101 (壹佰零壹 with ``upper``): cn2an's integer conversion."""
    numerals, units = (_UP, _UP_UNITS) if upper else (_LOW, _LOW_UNITS)
    digits = str(int(digits))
    length = len(digits)
    if length > len(units):
        raise ValueError(f"{digits}: at most {len(units)} digits")
    out = ""
    for i, d in enumerate(digits):
        place = length - i - 1
        if d != "0":
            out += numerals[int(d)] + units[place]
        else:
            if not place % 4:
                out += numerals[0] + units[place]
            if i > 0 and out[-1] != "零":
                out += numerals[0]
    out = out.replace("零零", "零").replace("零万", "万").replace("零亿", "亿").replace("亿万", "亿").strip("零")
    out = _MISSING_ZERO.sub(r"\1\2", out)
    if out[:2] == "一十":
        out = out[1:]
    return out or "零"


def count_words(n: int) -> str:
    """What ``cn2an.an2cn(n)`` writes for a non-negative integer: 十一, 一百零一, 二十万零三."""
    if n < 0:
        return "负" + integer_words(-n)
    return integer_words(n)


def rmb_words(amount: Decimal | str) -> str:
    """What ``cn2an.an2cn(f"{amount:.2f}", "rmb")`` writes for a non-negative amount with
    at most two decimals: 壹拾贰万伍仟元整, 壹元零伍分, 伍角 (the 人民币 prefix is the caller's)."""
    text = f"{Decimal(str(amount)):.2f}"
    if text.startswith("-"):
        raise ValueError(f"{amount}: a negative amount has no words here")
    whole, cents = text.split(".")
    yuan = integer_words(whole, upper=True)
    jiao, fen = _UP[int(cents[0])], _UP[int(cents[1])]
    if jiao != "零":
        head = jiao + "角" if yuan == "零" else yuan + "元" + jiao + "角"
        return head + (fen + "分" if fen != "零" else "")
    if fen != "零":
        return fen + "分" if yuan == "零" else yuan + "元" + "零" + fen + "分"
    return yuan + "元整"
