"""What a DOCX shows outside its body's lines: headers, footers and text boxes.

Their text is no line of the contract — the body's lines and line numbers stay as Word
shows the body — but a blank in a header ("XXX-20XX") or a text box is as unfilled as
one in a clause. Each of their lines becomes a :class:`~contractgen.views.MarginText`
with the body line it belongs to: a text box's anchor paragraph, the first line of the
section whose ``w:sectPr`` names the header or footer (each part once, at the first
section that uses it; a part no section names is not shown by Word, nor read here).
"""

from __future__ import annotations

from lxml import etree

from ..views import MarginText
from ..wordml import R, W
from .docxwalk import MC, BodyWalker, Para, line_numbers

_WHERE = {
    ("header", "default"): "header", ("header", "first"): "first-page header", ("header", "even"): "even-page header",
    ("footer", "default"): "footer", ("footer", "first"): "first-page footer", ("footer", "even"): "even-page footer",
}
_BOX_DEPTH = 4  # text boxes in text boxes read this deep


def margin_texts(walked, walker: BodyWalker, body: etree._Element | None) -> list[MarginText]:
    """The header, footer and text-box lines of a walked DOCX, by the body line they belong to."""
    anchors = _anchor_lines(walked.paras)
    out = _boxes(walker, walker.shapes, anchors, "text box", 0)
    out += _headers_and_footers(walked, walker, body, anchors)
    return out


def _anchor_lines(paras: list[Para]) -> list[int]:
    """For each paragraph, the line it shows on, or the next shown line (the last if none)."""
    lines = line_numbers(paras)
    out, following = [0] * len(lines), None
    last = next((n for n in reversed(lines) if n is not None), 1)
    for index in range(len(lines) - 1, -1, -1):
        following = lines[index] if lines[index] is not None else following
        out[index] = following if following is not None else last
    return out


def _line_at(anchors: list[int], index: int) -> int:
    return anchors[index] if 0 <= index < len(anchors) else (anchors[-1] if anchors else 1)


def _walk(walker: BodyWalker, root: etree._Element) -> BodyWalker:
    """A walker of its own for ``root``: its lists and counts are not the body's."""
    sub = BodyWalker(walker.styles, walker.numbering, walker.fonts)
    sub.walk(root)
    return sub


def _texts(sub: BodyWalker, where: str, line: int, depth: int) -> list[MarginText]:
    out = [MarginText(where, text, line) for para in sub.paras for text in para.lines]
    anchors = [line] * len(sub.paras)
    return out + _boxes(sub, sub.shapes, anchors, where if where.startswith("text box") else
                        f"text box in the {where}", depth + 1)


def _boxes(walker: BodyWalker, shapes, anchors: list[int], where: str, depth: int) -> list[MarginText]:
    if depth >= _BOX_DEPTH:
        return []
    out: list[MarginText] = []
    for index, shape in shapes:
        for content in _box_contents(shape):
            out += _texts(_walk(walker, content), where, _line_at(anchors, index), depth)
    return out


def _box_contents(shape: etree._Element) -> list[etree._Element]:
    """The ``w:txbxContent`` of a shape, not those of boxes inside them (their own walk
    finds those); of an ``mc:AlternateContent``, the first choice's, which its fallback repeats."""
    if shape.tag == MC + "AlternateContent":
        for option in shape:
            found = [c for child in option for c in _box_contents(child)]
            if found:
                return found
        return []
    out, stack = [], [iter(shape)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == W + "txbxContent":
            out.append(child)
        elif child.tag == MC + "AlternateContent":
            out += _box_contents(child)
        else:
            stack.append(iter(child))
    return out


def _headers_and_footers(walked, walker: BodyWalker, body, anchors: list[int]) -> list[MarginText]:
    sections = list(walker.section_ends)
    final = body.find(W + "sectPr") if body is not None else None
    if final is not None:
        sections.append((len(walked.paras) - 1, final))
    parts = walked.package.margins
    out: list[MarginText] = []
    seen: set[str] = set()
    start = 0
    for end, section in sections:
        for ref in section:
            kind = {W + "headerReference": "header", W + "footerReference": "footer"}.get(ref.tag)
            rid = ref.get(R + "id", "")
            if kind is None or rid in seen or rid not in parts:
                continue
            seen.add(rid)
            where = _WHERE.get((kind, ref.get(W + "type", "default")), kind)
            out += _texts(_walk(walker, parts[rid]), where, _line_at(anchors, start), 0)
        start = end + 1
    return out


__all__ = ["margin_texts"]
