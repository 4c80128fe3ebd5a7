"""The side-by-side redline shows each version as written: the old column keeps OLD's
citation numbers even where the comparison renumbered them to match (found by a
fresh-eyes trial: the old column showed NEW's numbers)."""

from __future__ import annotations

import re
from pathlib import Path

from contractgen.compare.api import compare_files, render

OLD = "# 合同\n\n## 第一条 定义\n\n甲方为委托方。\n\n## 第二条 服务\n\n乙方按第三条收取费用。\n\n## 第三条 费用\n\n月费一万元。\n"
NEW = "# 合同\n\n## 第一条 服务\n\n乙方按第二条收取费用，并提供发票。\n\n## 第二条 费用\n\n月费一万元。\n"


def _columns(html: str) -> tuple[str, str]:
    side = re.search(r'<table class="side">(.*?)</table>', html, re.S)[1]
    cells = re.findall(r"<tr[^>]*><td>(.*?)</td><td>(.*?)</td></tr>", side, re.S)
    strip = lambda t: re.sub(r"<[^>]+>", "", t)
    return "".join(strip(a) for a, _ in cells), "".join(strip(b) for _, b in cells)


def test_each_column_shows_its_version_as_written(tmp_path: Path) -> None:
    (tmp_path / "old.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.md").write_text(NEW, encoding="utf-8")
    html = render(compare_files(tmp_path / "old.md", tmp_path / "new.md"), "html").decode("utf-8")
    old, new = _columns(html)
    assert "乙方按第三条收取费用" in old and "第二条收取" not in old
    assert "乙方按第二条收取费用，并提供发票。" in new
