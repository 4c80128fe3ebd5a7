"""Write the bilingual parity-check cases from one contract in both languages.

Run: .venv/bin/python tests/data/bilingual/make_cases.py   (tests/test_bilingual_check.py
holds the committed folders to what this writes.)

The contract is :data:`PAIRS` (Chinese, English), written in five legacy layouts — each
Chinese paragraph followed by its English one (``interleaved``, .txt), each article's
Chinese text then its English text (``blocks``, .txt), the whole Chinese text then the
whole English one (``sequential``, .txt), a two-column Markdown table
(``table-md``) and a two-column Word table (``table-docx``, a body.xml that
tests/docx_factory.py builds) — once clean and once per planted mismatch of
:data:`PLANTED`. Each folder's ``case.yaml`` says which rule the planted mismatch must
fire (none for the clean one); ``expected.json`` is the reviewed golden of every finding.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

TITLE = ("技术服务合同", "Technical Services Agreement")
PAIRS = [
    ("甲方：杭州某某科技有限公司（以下简称“甲方”）", 'Party A: Hangzhou Moumou Technology Co., Ltd. ("Party A")'),
    ("乙方：湖州某某信息服务有限公司（以下简称“乙方”）", 'Party B: Huzhou Moumou Information Services Co., Ltd. ("Party B")'),
    ("第一条 服务内容", "Article 1 Services"),
    ("乙方应向甲方提供客户服务外包服务。", "Party B shall provide customer service outsourcing services to Party A."),
    ("服务期限自2025年3月1日起至2026年2月28日止。", "The service term runs from 1 March 2025 to 28 February 2026."),
    ("第二条 服务费用", "Article 2 Fees"),
    ("服务费总额为人民币壹拾贰万伍仟元整（¥125,000.00）。",
     "The total service fee is RMB 125,000.00 (one hundred twenty-five thousand yuan)."),
    ("甲方应在收到乙方发票后三十（30）日内付款。", "Party A shall pay within thirty (30) days after receipt of Party B's invoice."),
    ("甲方逾期付款的，每日按逾期金额的千分之五向乙方支付违约金。",
     "If Party A pays late, it shall pay Party B a penalty of 0.5% of the overdue amount per day."),
    ("第三条 违约责任", "Article 3 Liability"),
    ("乙方未按第一条约定提供服务的，甲方有权在书面通知乙方后十五（15）个工作日内解除本合同。",
     "If Party B fails to provide the services under Article 1, Party A may terminate this Agreement within "
     "fifteen (15) business days after written notice to Party B."),
    ("第四条 争议解决", "Article 4 Dispute Resolution"),
    ("因本合同引起的争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地人民法院提起诉讼。",
     "Any dispute arising out of this Agreement shall be settled by friendly negotiation; failing that, either "
     "party may bring a lawsuit before the people's court where Party A is located."),
    ("第五条 其他", "Article 5 Miscellaneous"),
    ("本合同以中文和英文书就，两种文本如有不一致，以中文文本为准。第二条和第三条的约定在本合同终止后继续有效。",
     "This Agreement is written in Chinese and English; in case of any discrepancy, the Chinese text prevails. "
     "Articles 2 and 3 survive the termination of this Agreement."),
    ("甲方（盖章）：杭州某某科技有限公司", "Party A (seal): Hangzhou Moumou Technology Co., Ltd."),
    ("乙方（盖章）：湖州某某信息服务有限公司", "Party B (seal): Huzhou Moumou Information Services Co., Ltd."),
    ("签订日期：2025年2月20日", "Date of signature: 20 February 2025"),
]

# name: (rule the mismatch must fire, index into PAIRS, the English text it gets; None drops it)
PLANTED = {
    "amount": ("bilingual-amount-mismatch", 6,
               "The total service fee is RMB 152,000.00 (one hundred fifty-two thousand yuan)."),
    "period": ("bilingual-period-mismatch", 7, "Party A shall pay within fifteen (15) days after receipt of Party B's invoice."),
    "date": ("bilingual-date-mismatch", 4, "The service term runs from 1 April 2025 to 28 February 2026."),
    "missing-english": ("bilingual-missing-translation", 8, None),
    "reference": ("bilingual-reference-mismatch", 10,
                  "If Party B fails to provide the services under Article 2, Party A may terminate this Agreement "
                  "within fifteen (15) business days after written notice to Party B."),
    "party-name": ("bilingual-name-mismatch", 15, "Party A (seal): Hangzhou Momou Technology Co., Ltd."),
}


def interleaved(pairs) -> str:
    lines = [TITLE[0], TITLE[1], ""]
    for zh, en in pairs:
        lines += [zh] + ([en] if en is not None else []) + [""]
    return "\n".join(lines)


def blocks(pairs) -> str:
    """Each article (and the cover before the first) as its Chinese lines, then its English lines."""
    groups, current = [], []
    for zh, en in pairs:
        if zh.startswith("第") and current:
            groups.append(current)
            current = []
        current.append((zh, en))
    groups.append(current)
    lines = [TITLE[0], TITLE[1], ""]
    for group in groups:
        lines += [zh for zh, _ in group] + [""] + [en for _, en in group if en is not None] + [""]
    return "\n".join(lines)


def sequential(pairs) -> str:
    """The whole Chinese text, then the whole English text."""
    lines = [TITLE[0], ""] + [zh for zh, _ in pairs] + ["", TITLE[1], ""] + [en for _, en in pairs if en is not None]
    return "\n".join(lines)


def _md_cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|")


def table_md(pairs) -> str:
    lines = [f"# {TITLE[0]} {TITLE[1]}", "", "| 中文 | English |", "| --- | --- |"]
    lines += [f"| {_md_cell(zh)} | {_md_cell(en)} |" for zh, en in pairs]
    return "\n".join(lines) + "\n"


def _para(text: str | None) -> str:
    run = (f'<w:r><w:rPr><w:rFonts w:eastAsia="宋体"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
           if text else "")
    return f"<w:p>{run}</w:p>"


def table_docx(pairs) -> str:
    rows = "".join(f"<w:tr><w:tc>{_para(zh)}</w:tc><w:tc>{_para(en)}</w:tc></w:tr>\n" for zh, en in pairs)
    return (f"{_para(f'{TITLE[0]} {TITLE[1]}')}\n<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"
            f"<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>\n{rows}</w:tbl>\n<w:p/>\n")


LAYOUTS = {"interleaved": ("contract.txt", interleaved), "blocks": ("contract.txt", blocks),
           "sequential": ("contract.txt", sequential),
           "table-md": ("contract.md", table_md), "table-docx": ("body.xml", table_docx)}


def cases() -> dict[str, dict[str, str]]:
    """{folder: {file name: text}} of every case (without the goldens)."""
    found = {}
    variants = {"clean": (None, PAIRS)}
    for name, (code, index, en) in PLANTED.items():
        pairs = list(PAIRS)
        pairs[index] = (pairs[index][0], en)
        variants[name] = (code, pairs)
    for layout, (file_name, write) in LAYOUTS.items():
        for name, (code, pairs) in variants.items():
            found[f"{layout}-{name}"] = {file_name: write(pairs) + ("" if file_name == "contract.md" else "\n"),
                                         "case.yaml": f"planted: {code or 'null'}\n"}
    return found


def main() -> None:
    for folder, files in cases().items():
        dest = HERE / folder
        if dest.exists():
            for stale in dest.iterdir():
                if stale.name != "expected.json":
                    stale.unlink()
        dest.mkdir(exist_ok=True)
        for name, text in files.items():
            (dest / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(cases())} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
