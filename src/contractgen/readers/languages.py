"""A side-by-side Markdown contract read as the text it sets out.

A contract written 中英文对照 in a two-column table — each row a Chinese clause beside its
English one — hides its articles in table cells: read as a table, it has no numbering,
no TOC to check. :func:`unfold_bilingual_tables` gives the builder its rows as the text
reads (each row's Chinese lines, then its English lines); :mod:`contractgen.bilingual_texts`
then takes the two texts apart for checking.
"""

from __future__ import annotations

from .. import rx

ZH, EN = "zh", "en"


# --- a side-by-side table read as the text it sets out --------------------------------------

_ZH_ARTICLE = rx.compile(r"^第[一二三四五六七八九十百零〇\d]+条")
_EN_ARTICLE = rx.compile(r"^(?:Article|Clause|Section)\s+\d+\b")
_COLUMN_LABELS = {"中文", "英文", "中文文本", "英文文本", "chinese", "english", "chinese text", "english text"}


def unfold_bilingual_tables(lines: list) -> list:
    """The lines of a Markdown contract set out side by side — two-column tables whose
    rows hold a Chinese text and its English one, articles among them (第一条 … |
    Article 1 …) — as the text reads: each row's Chinese lines, then its English lines
    (a cell's ``<br>`` separates its lines), at the row's line; a table's header row
    heads what follows (附件一 货物清单 | Schedule 1 List of Goods). ``check`` then sees the
    articles, their numbering and TOC, and :func:`language_texts` takes the two texts
    apart. Only a document whose tables set out two texts' articles so is unfolded, and in
    it only its tables of Chinese | English rows: a table of two columns is often just a
    table."""
    runs, i = [], 0
    while i < len(lines):
        j = i + 1
        if lines[i].in_table:  # one table: the Markdown reader gives its cells the table's first line
            while j < len(lines) and lines[j].in_table and lines[j].list_id == lines[i].list_id:
                j += 1
        runs.append((lines[i].in_table, lines[i:j]))
        i = j
    tables = [_rows(run) if in_table else None for in_table, run in runs]
    articles = sum(1 for rows in tables if rows for a, b in rows
                   if _ZH_ARTICLE.match(a.text.strip()) and _EN_ARTICLE.match(b.text.strip()))
    if articles < 2:
        return lines
    out = []
    for (in_table, run), rows in zip(runs, tables):
        out.extend(_unfolded(rows) if rows and _two_texts(rows) else run)
    return out


def _rows(cells: list) -> list[list] | None:
    """A table's cells by row (a Markdown row's cells share its line), if every row has two."""
    rows: list[list] = []
    for cell in cells:
        if rows and rows[-1][0].line == cell.line:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return rows if all(len(row) == 2 for row in rows) else None


def _two_texts(rows: list[list]) -> bool:
    """Whether a two-column table's rows are a Chinese text beside its English one."""
    from ..checks.bilingual_units import split_mixed, text_lang

    if any(split_mixed(" ".join(c.text.split())) for row in rows[1:] for c in row):
        return False  # cells in both languages (数控车床<br>CNC lathe): a table, translated cell by cell
    langs = [(text_lang(a.text), text_lang(b.text)) for a, b in rows]
    both = sum(1 for a, b in langs if a == ZH and b == EN)
    return both >= 1 and all(a in (ZH, "") and b in (EN, "") for a, b in langs[1:])


def _unfolded(rows: list[list]) -> list:
    from .lines import Line

    out = []
    for index, row in enumerate(rows):
        if all(c.text.strip().casefold() in _COLUMN_LABELS for c in row):
            continue  # the column headings 中文 | English
        if index == 0:  # a header row heads what follows, in both languages: 附件一 货物清单 Schedule 1 …
            text = " ".join(" ".join(c.text.split()) for c in row)
            out.append(Line(text=text, line=row[0].line, heading_level=1))
            continue
        for cell in row:
            out.extend(Line(text=piece.strip(), line=cell.line) for piece in cell.text.split("\n") if piece.strip())
    return out


__all__ = ["unfold_bilingual_tables"]
