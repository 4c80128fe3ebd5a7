"""Drafting leftovers only a DOCX can hold: comments, highlighted text, unaccepted revisions.

Called by the ``drafting-leftover`` rule (checks/leftovers.py) when the document came from
a DOCX (``doc.docx``); findings are made with ``ctx.finding`` so they carry that
rule's code and severity.

Highlighting the template owns is not a leftover: text inside a content control (``w:sdt``,
e.g. a cover page's "[公司名称]" placeholder that Word's cover-page gallery highlights) was
put there by the template's author, and is filled in through the control; a drafter
flagging text for review highlights ordinary runs. A highlighted placeholder ("{provider_name}")
is reported here as highlighted and by ``unfilled-placeholder`` as a blank: the two report
different lines for a table cell today, so neither may stand in for the other.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Finding
from ..model import Document, SourcePos
from .base import CheckContext, shorten
from .fields import docx_views


def _quote(text: str) -> str:
    return f"'{shorten(text, 60)}'" if text.strip() else "(no text)"


def docx_leftover_findings(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """One finding per comment, per highlighted run of text and per tracked change."""
    for view in docx_views(doc):
        yield from _comments(ctx, view)
        yield from _highlights(ctx, view)
        yield from _changes(ctx, view)


def _comments(ctx: CheckContext, view) -> Iterator[Finding]:
    for comment in view.comments:
        by = f" by {comment.author}" if comment.author else ""
        yield ctx.finding(f"comment{by} left in: {_quote(comment.text)}", SourcePos(view.path, comment.line),
                          comment.text, suggestion="resolve and delete the comment")


def _highlights(ctx: CheckContext, view) -> Iterator[Finding]:
    for mark in view.highlights:
        if mark.in_control or not mark.text.strip():
            continue
        yield ctx.finding(f"highlighted text left in: {_quote(mark.text)} ({mark.color})",
                          SourcePos(view.path, mark.line), mark.text, suggestion="settle the text and remove the highlight")


def _changes(ctx: CheckContext, view) -> Iterator[Finding]:
    for change in view.changes:
        what = "insertion" if change.kind == "ins" else "deletion"
        by = f" by {change.author}" if change.author else ""
        yield ctx.finding(f"unaccepted tracked {what}{by}: {_quote(change.text)}", SourcePos(view.path, change.line),
                          change.text, suggestion="accept or reject every tracked change")
