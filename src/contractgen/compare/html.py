"""A self-contained HTML redline in the preview's style: a summary, the whole of NEW inline
with deletions and insertions marked, and the same side by side. A moved unit appears at
its old place and at its new one, each linking to the other. Labels follow the document's
language (Chinese and English tables below; English for any other)."""

from __future__ import annotations

from html import escape

from ..writers.html import HTML_LANG, stylesheet
from .classify import DELETED, INSERTED, KINDS, MOVED, UNCHANGED, Entry, LineOp
from .core import HERE, MOVED_FROM, MOVED_TO, Comparison
from .diff import DELETE, EQUAL, INSERT, word_diff

LABELS = {
    "en": {"title": "Comparison", "summary": "Summary", "inline": "Inline", "side": "Side by side",
           "old": "Old", "new": "New", "moved_to": "moved to", "moved_from": "moved from", "was": "was",
           "identical": "The two versions are identical.", "references": "references renumbered consistently",
           "findings": "Findings in the new version",
           "kinds": {"moved": "moved", "edited": "edited", "inserted": "inserted", "deleted": "deleted",
                     "split": "split", "merged": "merged", "renumbered": "renumbered", "unchanged": "unchanged"}},
    "zh": {"title": "版本比较", "summary": "摘要", "inline": "合并视图", "side": "并排视图",
           "old": "原版本", "new": "新版本", "moved_to": "移至", "moved_from": "移自", "was": "原为",
           "identical": "两个版本相同。", "references": "处引用随编号一致更新",
           "findings": "新版本中的问题",
           "kinds": {"moved": "移动", "edited": "修改", "inserted": "新增", "deleted": "删除",
                     "split": "拆分", "merged": "合并", "renumbered": "仅重新编号", "unchanged": "未变"}},
}

CSS = """
.redline { max-width: 60rem; }
.redline ins { background: #dff3e2; color: #0b5a1d; text-decoration: underline; }
.redline del { background: var(--error-bg); color: var(--error); text-decoration: line-through; }
.redline .unit { margin: 0.2rem 0; padding: 0 0.5rem; border-left: 3px solid transparent; }
.redline .kind-edited { border-left-color: var(--warning); }
.redline .kind-inserted { border-left-color: #2e7d32; }
.redline .kind-deleted { border-left-color: var(--error); }
.redline .kind-moved, .redline .moved { border-left-color: var(--link); background: var(--gen-bg); }
.redline .unit p { margin: 0.25rem 0; }
.redline .head { font-weight: bold; }
.redline .renumbered { border-bottom: 1px dotted var(--muted); }
.redline .move-link { font-family: var(--sans); font-size: 0.85em; margin-left: 0.5em; color: var(--link); }
.redline :target { outline: 2px solid var(--link); }
.redline table.side { width: 100%; border-collapse: collapse; table-layout: fixed; }
.redline table.side td { vertical-align: top; border-top: 1px solid var(--rule); padding: 0.2rem 0.5rem; width: 50%; }
.redline nav a { margin-right: 1rem; }
.redline .totals li { display: inline-block; margin-right: 1rem; }
"""


def render_html(comparison: Comparison, options) -> bytes:
    labels = LABELS.get(comparison.lang, LABELS["en"])
    page = RedlinePage(comparison, labels)
    lang = HTML_LANG.get(comparison.lang, "en")
    title = f"{labels['title']}: {comparison.new.title or options.new_name}"
    out = ["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{escape(title)}</title>",
           f"<style>\n{stylesheet()}{CSS}</style>", "</head>", "<body>", '<main class="contract redline">',
           f'<h1 class="doc-title">{escape(title)}</h1>',
           f'<p class="files">{escape(labels["old"])}: {escape(options.old_name)}<br>'
           f'{escape(labels["new"])}: {escape(options.new_name)}</p>',
           f'<nav><a href="#inline">{escape(labels["inline"])}</a><a href="#side-by-side">{escape(labels["side"])}</a></nav>',
           page.summary(), page.inline(), page.side_by_side(), "</main>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


class RedlinePage:
    def __init__(self, comparison: Comparison, labels: dict):
        self.c = comparison
        self.labels = labels
        self.ids = {id(e): i for i, e in enumerate(comparison.entries)}

    def kind(self, entry: Entry) -> str:
        return self.labels["kinds"][entry.kind]

    def summary(self) -> str:
        totals = self.c.totals()
        if self.c.identical:
            return f'<section id="summary"><h2>{escape(self.labels["summary"])}</h2><p>{escape(self.labels["identical"])}</p></section>'
        items = "".join(f"<li>{escape(self.labels['kinds'][k])}: {totals[k]}</li>" for k in KINDS
                        if totals[k] and k != UNCHANGED)
        items += f"<li>{escape(self.labels['references'])}: {totals['references_renumbered']}</li>"
        findings = "".join(f"<li>{escape(f.code)}: {escape(f.message)}</li>" for f in self.c.findings)
        findings += "".join(f"<li>{escape(note)}</li>" for _, note in self.c.retargeted)
        more = f"<h3>{escape(self.labels['findings'])}</h3><ul>{findings}</ul>" if findings else ""
        return f'<section id="summary"><h2>{escape(self.labels["summary"])}</h2><ul class="totals">{items}</ul>{more}</section>'

    def inline(self) -> str:
        blocks = [self.inline_unit(entry, role) for entry, role in self.c.sequence]
        return f'<section id="inline"><h2>{escape(self.labels["inline"])}</h2>{"".join(blocks)}</section>'

    def inline_unit(self, entry: Entry, role: str) -> str:
        n = self.ids[id(entry)]
        classes = f"unit kind-{entry.kind}" + (" moved" if role != HERE else "")
        if role == MOVED_FROM:
            lines = [_whole(line, DELETE) for line in entry.old.lines()]
            element_id, link = f"from-{n}", self.move_link(entry, f"#to-{n}", "moved_to", entry.new)
        elif role == MOVED_TO:
            lines = [_whole(line, INSERT) for line in entry.new.lines()]
            element_id, link = f"to-{n}", self.move_link(entry, f"#from-{n}", "moved_from", entry.old)
        else:
            lines = self.lines_html(entry)
            element_id, link = f"u-{n}", ""
        if lines:
            lines[0] = lines[0].replace("<p>", '<p class="head">', 1)[:-4] + link + "</p>"
        return f'<div class="{classes}" id="{element_id}" data-kind="{entry.kind}">{"".join(lines)}</div>'

    def move_link(self, entry: Entry, href: str, label: str, other) -> str:
        if entry.kind != MOVED:
            return ""
        where = other.number_text or other.title
        return f'<a class="move-link" href="{href}">{escape(self.labels[label])} {escape(where)}</a>'

    def lines_html(self, entry: Entry) -> list[str]:
        if entry.kind in (DELETED, INSERTED) or entry.old is None or entry.new is None:
            op = DELETE if entry.new is None else INSERT
            return [_whole(line.old or line.new, op) for line in entry.lines]
        out = [_line_html(line) for line in entry.lines]
        number = self.number_html(entry)
        if entry.new.head or entry.old.head:
            out[0] = out[0].replace("<p>", f"<p>{number}", 1) if number else out[0]
        elif number:
            out.insert(0, f"<p>{number}</p>")
        return out

    def number_html(self, entry: Entry) -> str:
        o, n = entry.old, entry.new
        if not n.number_text:
            return ""
        if o.number_text != n.number_text:
            title = f"{self.labels['was']} {o.number_text}"
            return f'<span class="renumbered" title="{escape(title)}">{escape(n.number_text)}</span> '
        return escape(n.number_text) + " "

    def side_by_side(self) -> str:
        rows = []
        for entry, role in self.c.sequence:
            left = right = ""
            if role in (HERE, MOVED_FROM) and entry.old is not None:
                left = "".join(_side(entry, "old", role))
            if role in (HERE, MOVED_TO) and entry.new is not None:
                right = "".join(_side(entry, "new", role))
            rows.append(f'<tr class="kind-{entry.kind}"><td>{left}</td><td>{right}</td></tr>')
        head = f"<tr><th>{escape(self.labels['old'])}</th><th>{escape(self.labels['new'])}</th></tr>"
        return (f'<section id="side-by-side"><h2>{escape(self.labels["side"])}</h2>'
                f'<table class="side">{head}{"".join(rows)}</table></section>')


def _whole(text: str, op: int) -> str:
    tag = "del" if op == DELETE else "ins"
    return f"<p><{tag}>{escape(text)}</{tag}></p>"


def _line_html(line: LineOp) -> str:
    if line.op == "equal":
        return f"<p>{escape(line.new)}</p>"
    if line.op in ("delete", "insert"):
        return _whole(line.old or line.new, DELETE if line.op == "delete" else INSERT)
    return f"<p>{_words(line.words, (EQUAL, DELETE, INSERT))}</p>"


def _words(ops, shown) -> str:
    out = []
    for op, text in ops:
        if op not in shown:
            continue
        if op == EQUAL:
            out.append(escape(text))
        else:
            tag = "del" if op == DELETE else "ins"
            out.append(f"<{tag}>{escape(text)}</{tag}>")
    return "".join(out)


def _side(entry: Entry, side: str, role: str) -> list[str]:
    unit = entry.old if side == "old" else entry.new
    if role != HERE or entry.old is None or entry.new is None:
        op = DELETE if side == "old" else INSERT
        mark = role != HERE or entry.kind in (DELETED, INSERTED)
        return [_whole(t, op) if mark else f"<p>{escape(t)}</p>" for t in unit.lines()]
    shown = (EQUAL, DELETE) if side == "old" else (EQUAL, INSERT)
    number = unit.number_text
    out = []
    for i, line in enumerate(entry.lines):
        if line.op == "equal":
            text = escape(line.old_as_written if side == "old" else line.new)
        elif line.op == "replace" and side == "old" and line.written:
            # the old column shows OLD as written: its citations at their old numbers
            text = _words(word_diff(line.written, line.new), shown)
        elif line.op == "replace":
            text = _words(line.words, shown)
        elif (line.op == "delete") == (side == "old"):
            tag = "del" if side == "old" else "ins"
            text = f"<{tag}>{escape(line.old or line.new)}</{tag}>"
        else:
            continue
        prefix = escape(number) + " " if i == 0 and number and (unit.head or not entry.lines) else ""
        out.append(f"<p>{prefix}{text}</p>")
    return out
