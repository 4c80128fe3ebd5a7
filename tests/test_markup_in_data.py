"""A value that looks like Markup is text: the same in Markdown, HTML and DOCX."""

from __future__ import annotations

import zipfile
from pathlib import Path

from contractgen.cli import main
from contractgen.readers import read_path

from conftest import copy_root

NAME = "甲*公*司_x_ [a](http://e.com) <b>1</b> `c`"


def test_markup_in_a_party_name_is_shown_as_typed(tmp_path: Path, runner) -> None:
    root = copy_root("mini-zh", tmp_path / "proj")
    data = root / "templates" / "mini" / "data.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("name: 甲公司", f"name: '{NAME}'"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(root / "templates" / "mini"), "--data", str(data), "--out", str(out),
                                  "--format", "md,html,docx"])
    assert result.exit_code == 0, result.output
    (md,) = out.glob("*.md")
    texts = [line.text for line in _lines(md)]
    assert any(NAME in t for t in texts)
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "甲*公*司_x_ [a](http://e.com) &lt;b&gt;1&lt;/b&gt; `c`" in html
    assert "<em>" not in html and 'href="http://e.com"' not in html
    document = zipfile.ZipFile(next(out.glob("*.docx"))).read("word/document.xml").decode("utf-8")
    assert "甲*公*司_x_ [a](http://e.com) &lt;b&gt;1&lt;/b&gt; `c`" in document


def _lines(md: Path):
    doc = read_path(md)
    from contractgen.checks.base import CheckContext

    return CheckContext.for_document(doc).units
