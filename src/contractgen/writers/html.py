"""HTML: one self-contained page (inline CSS, no external requests) for reading and review.

Model text is written as escaped text and references as links to their target's anchor
(set by the ids pass), built from the structured reference, never by parsing text again;
each target lists the places that cite it. Every
element written from a clause fragment carries the fragment's id and version (a hover
shows them); generated text — numbers, references, the TOC and the register — is marked
``gen`` so the stylesheet can tell it apart. Given findings from ``check``, each is shown
at the element written from its file and line and listed in a panel at the top.

A bilingual contract is written in its layout — side by side a CSS grid row per unit
(stacking into one column on a narrow screen), interleaved and sequential as flowing text
— with each language's elements inside one that carries its ``lang``.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib.resources import files
from itertools import groupby
from urllib.parse import quote

from ..bilingual import aligned_rows
from ..diagnostics import Finding
from ..i18n import finding_message
from ..model import (AttachmentRegister, Block, Clause, Document, Inline, Parallel, Paragraph, Part, Ref,
                     SignatureBlock, Table, Toc, join_number, plain_text)
from ..numbering import get_scheme
from ..wordparts.assembly import placed
from .html_index import PageIndex, index_page
from .html_labels import label, severity_counts
from .. import rx

HTML_LANG = {"zh": "zh-CN", "en": "en"}
_LINE_BREAK = rx.compile(r"( *)\n[ \t]*")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return files("contractgen.writers").joinpath("html.css").read_text(encoding="utf-8")


def text_html(text: str) -> str:
    """Plain text as page content that shows exactly that text (data and clause text are
    plain text, as in DOCX). A line break stays a newline, and spaces at a line's ends are
    dropped; two or more spaces before one make it a ``<br />``, as in CommonMark, which
    earlier pages were rendered with."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd").translate(_TEXT_ESCAPES)
    return _LINE_BREAK.sub(lambda m: "<br />\n" if len(m[1]) > 1 else "\n", text)


def href(anchor: str) -> str:
    """A link to an anchor, percent-encoded (anchors keep CJK letters)."""
    return "#" + quote(anchor, safe="")


def _separator(number_text: str) -> str:
    """What goes between a number and the text after it ("" after 、 and ）, else a space)."""
    return join_number(number_text, "x")[len(number_text):-1] if number_text else ""


def _title_block(doc: Document) -> Paragraph | None:
    """The paragraph that is the contract's title: styled so, or (legacy) the cover's first line."""
    for _, block in doc.blocks():
        if isinstance(block, Paragraph) and block.style == "title":
            return block
    cover = doc.parts[0].blocks if doc.parts and doc.parts[0].kind == "cover" else []
    first = cover[0] if cover else None
    if isinstance(first, Paragraph) and plain_text(first.text).strip() == doc.title.strip():
        return first
    return None


def _lang_attr(lang: str) -> str:
    return f' lang="{escape(HTML_LANG.get(lang, lang))}"' if lang else ""


def _titles(doc: Document) -> list[tuple[str, str]]:
    """(language, title) of each of the contract's texts; one for a contract in one language."""
    titles = doc.meta.get("titles") or {}
    if not doc.languages or not titles:
        return [(doc.lang, doc.title)]
    return [(lang, titles.get(lang, doc.title)) for lang in doc.languages]


class HtmlWriter:
    """``findings``: show them (None: no findings panel, as in ``build --format html``);
    ``script``: JavaScript placed at the end of the body (the live-reload poller)."""

    suffix = "html"

    def __init__(self, findings: list[Finding] | None = None, script: str | None = None):
        self.findings = findings
        self.script = script

    def render(self, doc: Document) -> bytes:
        doc = placed(doc)  # the template's Word parts, as text where contract.yaml puts them
        self.doc = doc
        self.index: PageIndex = index_page(doc, self.findings or [])
        # Legacy contracts are plain text from top to bottom; only generated ones have origins.
        self.generated = any(block.origin for _, block in doc.blocks())
        lang = HTML_LANG.get(doc.lang, doc.lang or "zh-CN")
        body_class = "generated" if self.generated else "legacy"
        if doc.layout:
            body_class += f" bilingual layout-{escape(doc.layout)}"
        out = ["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>", '<meta charset="utf-8">',
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               f"<title>{escape(doc.title)}</title>", f"<style>\n{stylesheet()}</style>", "</head>",
               f'<body class="{body_class}">']
        if self.findings is not None:
            out.append(self.panel())
        out.append('<main class="contract">')
        self.title_block = _title_block(doc)
        titles = _titles(doc)
        if self.title_block is None:
            out.append(self.doc_title(titles if doc.layout != "sequential" else titles[:1]))
        shown = {titles[0][0]}
        for part in doc.parts:
            lang = get_scheme(part.scheme).lang if doc.languages else ""
            if doc.layout == "sequential" and lang not in shown:  # the next language's text starts
                shown.add(lang)
                if self.title_block is None:
                    out.append(self.doc_title([(lang, dict(titles)[lang])]))
            out.append(self.paired_part(part) if part.columns else self.part(part, lang))
        out.append("</main>")
        if self.script:
            out.append(f"<script>\n{self.script}\n</script>")
        out += ["</body>", "</html>", ""]
        return "\n".join(out).encode("utf-8")

    # -- pieces shared by every element -------------------------------------------------

    def attrs(self, obj, classes: list[str], element_id: str | None = None) -> str:
        """id, class, origin data and hover title for an element written from ``obj``."""
        origin = getattr(obj, "origin", None)
        pos = getattr(obj, "pos", None)
        parts = [f' id="{element_id}"'] if element_id else []
        if origin is not None:
            classes = classes + ["lib"]
            parts.append(f' data-clause="{escape(origin.clause_id)}" data-version="{escape(origin.version)}"'
                         f' title="{escape(origin.clause_id)} v{escape(origin.version)}"')
        elif self.generated:
            classes = classes + ["gen"]
            parts.append(f' title="{escape(label("generated"))}"')
        elif pos is not None:
            parts.append(f' data-line="{pos.line}" title="{escape(label("line", line=pos.line))}"')
        if self.index.placed.get(id(obj)):
            classes = classes + ["has-finding"]
        return f' class="{" ".join(classes)}"' + "".join(parts)

    def marks(self, obj) -> str:
        """The inline finding marks for ``obj``'s element."""
        out = []
        for i in self.index.placed.get(id(obj), []):
            f = self.findings[i]
            out.append(f'<span class="finding sev-{escape(f.severity)}" id="{self.index.finding_ids[i]}"'
                       f' data-code="{escape(f.code)}" data-severity="{escape(f.severity)}">'
                       f'<span class="finding-code">{escape(f.code)}</span> {escape(finding_message(f))}</span>')
        return "".join(out)

    def backlinks(self, target) -> str:
        cites = self.index.cited_by.get(id(target), [])
        if not cites:
            return ""
        links = "".join(f'<li><a href="#{c.ref_id}">{escape(c.where)}</a></li>' for c in cites)
        return f'<aside class="backlinks"><span class="backlinks-label">{escape(label("cited-by"))}</span><ul>{links}</ul></aside>'

    def inlines(self, inlines: list[Inline]) -> str:
        out = []
        for is_text, nodes in groupby(inlines, key=lambda node: isinstance(node, str)):
            # Neighbouring strings are one text: a line break may end one and start the next.
            out += [text_html("".join(nodes))] if is_text else [self.ref(node) for node in nodes]
        return "".join(out)

    def ref(self, ref: Ref) -> str:
        """A resolved reference: a link to its target, with its own id for the backlinks."""
        shown = text_html(ref.text or f"[[ref:{ref.label}]]")
        if ref.target is None or not ref.target.anchor:
            return shown
        ref_id = self.index.ref_ids[id(ref)]
        if len(ref.targets) > 1:  # "Clauses 4, 6 and 10": each number links to its clause
            out, first = [], True
            for part, target in ref.links():
                if target is None or not target.anchor:
                    out.append(text_html(part.text))
                    continue
                ident = f' id="{ref_id}"' if first else ""
                out.append(f'<a href="{href(target.anchor)}"{ident} class="ref">{text_html(part.text)}</a>')
                first = False
            return "".join(out)
        return f'<a href="{href(ref.target.anchor)}" id="{ref_id}" class="ref">{shown}</a>'

    # -- parts and blocks ---------------------------------------------------------------

    def doc_title(self, titles: list[tuple[str, str]]) -> str:
        """The contract's title; a bilingual contract's in each of its languages."""
        if len(titles) == 1 and not self.doc.languages:
            return f'<h1 class="doc-title">{escape(titles[0][1])}</h1>'
        spans = "".join(f'<span class="title-line"{_lang_attr(lang)}>{escape(title)}</span>' for lang, title in titles)
        return f'<h1 class="doc-title">{spans}</h1>'

    def part(self, part: Part, lang: str = "") -> str:
        self.scheme = part.scheme
        out = [f'<section class="part part-{escape(part.kind)}"{_lang_attr(lang)}>', self.part_heading(part)]
        out += [self.block(block) for block in part.blocks]
        out.append("</section>")
        return "\n".join(x for x in out if x)

    def part_heading(self, part: Part, lang: str = "") -> str:
        if part.kind == "cover" and not part.heading_text:
            return ""
        number = f'<span class="num">{escape(part.number_text)}</span>' if part.number_text else ""
        rest = part.heading_text[len(part.number_text):]
        attrs = self.attrs(part, ['part-title'], part.anchor) + _lang_attr(lang)
        return f"<h2{attrs}>{number}{escape(rest)}{self.marks(part)}</h2>{self.backlinks(part)}"

    # -- a bilingual contract's paired parts -------------------------------------------

    def paired_part(self, frame: Part) -> str:
        """A part of a contract set out side by side (a grid row per unit, or per block
        where the columns have as many) or interleaved (each unit's blocks one language
        after the other); every language's element carries its ``lang``."""
        layout = self.doc.layout
        out = [f'<section class="part part-{escape(frame.kind)} paired">']
        heads = [(p, get_scheme(p.scheme).lang) for p in frame.columns]
        headings = [self.part_heading(p, lang) for p, lang in heads]
        if any(headings):
            if layout == "side-by-side":
                cells = "".join(f'<div class="col"{_lang_attr(lang)}>{h}</div>' for (_, lang), h in zip(heads, headings))
                out.append(f'<div class="pair pair-heading">{cells}</div>')
            else:
                out.append(f'<div class="part-headings">{"".join(headings)}</div>')
        for unit in frame.blocks:
            out.append(self.unit(unit, layout))
        out.append("</section>")
        return "\n".join(x for x in out if x)

    def unit(self, unit: Parallel, layout: str) -> str:
        langs = [get_scheme(c.part.scheme).lang for c in unit.columns]
        rows = []
        for row in aligned_rows(unit):
            cells = []
            for column, lang, blocks in zip(unit.columns, langs, row):
                self.scheme = column.part.scheme
                inner = "".join(self.block(b) for b in blocks)
                cells.append(f'<div class="{"col" if layout == "side-by-side" else "lang-block"}"'
                             f'{_lang_attr(lang)}>{inner}</div>')
            if layout == "side-by-side":
                rows.append(f'<div class="pair">{"".join(cells)}</div>')
            else:
                rows.append("".join(cells))
        return f'<div class="unit">{"".join(rows)}</div>'

    def block(self, block: Block) -> str:
        if isinstance(block, Clause):
            return self.clause(block)
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Toc):
            return self.toc(block)
        if isinstance(block, AttachmentRegister):
            return self.register(block)
        if isinstance(block, SignatureBlock):
            return self.signatures(block)
        raise TypeError(f"no HTML for {type(block).__name__}")

    def signatures(self, block: SignatureBlock) -> str:
        """The lead line and one box per party; a line with a blank has room above it to sign."""
        form = get_scheme(self.scheme).signatures
        parties = []
        for p in block.parties:
            lines = []
            for label, value, room in form.party_lines(p.role, p.name, p.signatory, p.date):
                style = f' style="margin-top: {room / 567:.2f}cm"' if room else ""
                css = "sig-line sig-blank" if room else "sig-line"
                lines.append(f'<p class="{css}"{style}>{text_html(form.line_text(label, value))}</p>')
            parties.append(f'<div class="signature-party">{"".join(lines)}</div>')
        return (f"<section{self.attrs(block, ['signatures'])}>{self.marks(block)}"
                f'<p class="signature-lead">{text_html(form.lead)}</p>'
                f'<div class="signature-parties{" new-page" if form.new_page else ""}">{"".join(parties)}</div></section>')

    def clause(self, clause: Clause) -> str:
        element_id = clause.anchor
        number = f'<span class="num">{escape(clause.number_text)}</span>' if clause.number_text else ""
        level = f"level-{clause.level}"
        if clause.title:
            tag = f"h{min(clause.level + 2, 6)}"
            head = (f"<{tag}{self.attrs(clause, ['clause', level], element_id)}>{number}"
                    f"{escape(_separator(clause.number_text))}{escape(clause.title)}{self.marks(clause)}</{tag}>")
            text = f'<p class="clause-text">{self.inlines(clause.text)}</p>' if clause.text else ""
            return head + text + self.backlinks(clause)
        sep = escape(_separator(clause.number_text)) if clause.text else ""
        return (f"<p{self.attrs(clause, ['clause', level], element_id)}>{number}{sep}"
                f"{self.inlines(clause.text)}{self.marks(clause)}</p>{self.backlinks(clause)}")

    def paragraph(self, para: Paragraph) -> str:
        tag = "h1" if para is self.title_block else "p"
        return f"<{tag}{self.attrs(para, ['para', para.style])}>{self.inlines(para.text)}{self.marks(para)}</{tag}>"

    def table(self, table: Table) -> str:
        width = max((len(r) for r in table.rows), default=0)
        rows = [r + [[]] * (width - len(r)) for r in table.rows]
        out = [f"<table{self.attrs(table, ['table'])}>"]
        if table.header and rows:
            cells = "".join(f"<th>{self.inlines(c)}</th>" for c in rows[0])
            out.append(f"<thead><tr>{cells}</tr></thead>")
            rows = rows[1:]
        out.append("<tbody>")
        out += ["<tr>" + "".join(f"<td>{self.inlines(c)}</td>" for c in row) + "</tr>" for row in rows]
        out.append("</tbody></table>")
        marks = self.marks(table)
        if marks:
            out.append(f'<p class="table-findings">{marks}</p>')
        return "".join(out)

    def toc(self, toc: Toc) -> str:
        return self.listing(toc, "toc", [self.entry(e, f"toc-level-{e.level}") for e in toc.entries])

    def register(self, register: AttachmentRegister) -> str:
        return self.listing(register, "register", [self.entry(e, "register-entry") for e in register.entries])

    def entry(self, entry, css_class: str) -> str:
        """One TOC or register line: a link to its target, with any findings on it."""
        text = escape(join_number(entry.number_text, entry.title))
        return (f"<li{self.entry_attrs(entry, css_class)}>"
                f"{self.entry_link(entry.target, text)}{self.marks(entry)}</li>")

    def listing(self, block: Toc | AttachmentRegister, kind: str, items: list[str]) -> str:
        # The entries are generated even where the block's place came from a fragment.
        title = self.marks(block)
        if block.title:
            title = f'<p class="{kind}-title">{escape(block.title)}{title}</p>'
        attrs = self.attrs(block, [kind, "gen"] if self.generated else [kind])
        return f"<nav{attrs}>{title}<ul>{''.join(items)}</ul></nav>"

    def entry_attrs(self, entry, cls: str) -> str:
        line = f' data-line="{entry.pos.line}"' if entry.pos is not None and not self.generated else ""
        finding = " has-finding" if self.index.placed.get(id(entry)) else ""
        return f' class="{cls}{finding}"{line}'

    def entry_link(self, target, text: str) -> str:
        if target is not None and target.anchor:
            return f'<a href="#{target.anchor}">{text}</a>'
        return f"<span>{text}</span>"

    # -- the findings panel -------------------------------------------------------------

    def panel(self) -> str:
        findings = self.findings or []
        if not findings:
            return (f'<section class="panel" id="{self.index.panel_id}" aria-label="{escape(label("findings"))}">'
                    f'<p class="panel-title no-findings">{escape(label("no-findings"))}</p>'
                    f"{self.legend()}</section>")
        counts = {}
        for f in findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        summary = severity_counts(counts)
        items = [self.panel_item(i, f) for i, f in enumerate(findings)]
        return (f'<section class="panel" id="{self.index.panel_id}" aria-label="{escape(label("findings"))}">'
                f'<p class="panel-title">{escape(label("findings-title", summary=summary))}</p>'
                f'<ol class="finding-list">{"".join(items)}</ol>{self.legend()}</section>')

    def panel_item(self, i: int, finding: Finding) -> str:
        where = escape(label("line", line=finding.line) if finding.line is not None else label("document"))
        if i not in self.index.unplaced:
            where = f'<a href="#{self.index.finding_ids[i]}">{where}</a>'
        return (f'<li class="sev-{escape(finding.severity)}" data-code="{escape(finding.code)}">{where} '
                f'<code>{escape(finding.code)}</code> {escape(finding_message(finding))}</li>')

    def legend(self) -> str:
        if not self.generated:
            return f'<p class="legend">{escape(label("legend-legacy"))}</p>'
        meta = self.doc.meta
        template = f"{meta.get('template', '')} {meta.get('template_version', '')}".strip()
        made = escape(label("built-from", template=template)) if template else ""
        return (f'<p class="legend">{made}{escape(label("legend-library"))}'
                f'<span class="gen-sample">{escape(label("shaded"))}</span>{escape(label("legend-generated"))}</p>')


def error_page(title: str, message: str, script: str | None = None) -> bytes:
    """A page that stands in for the contract while its sources do not build."""
    tail = f"<script>\n{script}\n</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>\n{stylesheet()}</style>\n</head>\n<body>\n"
            f'<section class="build-error" id="build-error"><p class="panel-title">{escape(title)}</p>'
            f"<pre>{escape(message)}</pre>"
            f"<p>{escape(label('rebuilds'))}</p></section>\n"
            f"{tail}\n</body>\n</html>\n").encode("utf-8")
