"""Chinese numbering: 第一条, 1.1, 1.1.1, 附件一; amounts in words (人民币大写)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .cn_numerals import count_words, rmb_words

from dataclasses import replace

from .base import Joining, Scheme, SignatureForm, Typography

_DIGITS = "零一二三四五六七八九"


def count(n: int) -> str:
    """Chinese counting as Word's ``chineseCountingThousand`` writes it: 十, 十一, 一百零一."""
    if n <= 0:
        raise ValueError(f"cannot count {n} in Chinese")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    return count_words(n)


def parse_count(text: str) -> int | None:
    """The value of a Chinese or Arabic number ("十二", "一百零一", "12"), or None."""
    if text.isdigit():
        return int(text)
    known = _counts().get(text)
    if known is not None:  # 一 … 九百九十九 as Word writes them: no need for cn2an
        return known
    import cn2an  # any other Chinese numeral (its patterns compile at import, ~0.3 s)

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if value == int(value) and value > 0 else None


@lru_cache(maxsize=1)
def _counts() -> dict[str, int]:
    """The Chinese counting words of 1 … 999 (十一, 一百零一), by their text."""
    return {count(n): n for n in range(1, 1000)}


def amount_in_words(amount: Decimal | float | int) -> str:
    """Upper-case Chinese amount: 125000 -> 人民币壹拾贰万伍仟元整."""
    return "人民币" + rmb_words(Decimal(str(amount)))


def amount_in_figures(amount: Decimal | float | int) -> str:
    return f"¥{Decimal(str(amount)):,.2f}"


ZH = Scheme(
    name="zh",
    count=count,
    clause_formats=("第{n}条", "{path}", "{path}"),
    cite_formats=("{L1}", "第{L2}条", "第{L3}条"),
    attachment_cite_formats=("第{n1}项", "第{n1}项第（{n2}）目"),
    joining=Joining("、", "和", "至", plural=False),
    description="第一条 / 1.1 / 1.1.1; 附件一",
    attachment_format="附件{n}",
    scoped="{scope}{cite}",
    toc_title="目录",
    register_title="附件清单",
    attachment_clause_formats=("{n}、", "（{n}）", "{d}.", "（{d}）"),
    word_num_fmt="chineseCountingThousand",
    word_article_text="第%1条",
    word_attachment_text="附件%1",
    titled="{cite}（{title}）",
    language_tag="zh-CN",
    fonts=("SimSun", "SimHei"),
    contract_no_label="合同编号：",
    page_labels=("第 ", " 页 共 ", " 页"),
    typography=Typography(
        latin_font="Times New Roman", justify="both", first_line_chars=200, space_after=0, line=360,
        heading_bold=False, hyphenate=False,
        clause_indents=((0, 0), (720, 720), (1440, 720)),  # 1.1 at the margin, 1.1.1 under 1.1's text
        attachment_indents=((0, 0), (840, 840), (1260, 420), (1680, 840)),
        keep_together=(r"第 [0-9.]+ 条", r"附件 [0-9一二三四五六七八九十]+"),
    ),
    signatures=SignatureForm(
        lead="（以下无正文）", new_page=False,
        lines=(("{role}（盖章）：{name}", None), ("法定代表人或授权代表（签字）：", "signatory"),
               ("日期：", "date")),
        first_room=1474, room=1000,  # 2.6 cm under the party's name: with its line, room for a 4 cm seal
    ),
)


#: 第一条 / 一、/（一）/ 1. /（1）: sub-levels in Chinese numerals, as many commercial
#: contracts number them; cited 第三条第一款第（二）项 (the article number stays live).
ZH_HANZI = replace(
    ZH,
    name="zh-hanzi",
    clause_formats=("第{n}条", "{n}、", "（{n}）", "{d}.", "（{d}）"),
    cite_formats=("{L1}", "{L1}第{n2}款", "{L1}第{n2}款第（{n3}）项", "{L1}第{n2}款第（{n3}）项第{d4}目",
                  "{L1}第{n2}款第（{n3}）项第{d4}目第（{d5}）点"),
    description="第一条 / 一、/（一）/ 1. /（1）; 附件一",
    typography=replace(ZH.typography, clause_indents=((0, 0), (0, 0), (0, 0), (0, 0), (0, 0))),
)
