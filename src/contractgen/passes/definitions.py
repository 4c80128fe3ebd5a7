"""Put each run of definitions (the items of a ``[[definitions]]`` list) in alphabetical
order of the terms they define, as English drafting does: "Business Day" before
"Charges", whatever order the clause library — or a condition that adds one — wrote them
in. Chinese definitions keep the order written (Chinese contracts order them by topic).
"""

from __future__ import annotations


from ..model import Paragraph, plain_text
from ..numbering import get_scheme
from .context import Context
from .. import rx

DEFINITION = "definition"  # the Paragraph.style of a definition
_TERM = rx.compile(r"^\s*[\"“‘']([^\"”’']+)[\"”’']")


def sort_definitions(ctx: Context) -> None:
    for part in ctx.doc.parts:
        if get_scheme(part.scheme).lang != "en":
            continue
        blocks, out, run = part.blocks, [], []
        for block in blocks + [None]:
            if isinstance(block, Paragraph) and block.style == DEFINITION:
                run.append(block)
                continue
            out += _in_order(run)
            run = []
            if block is not None:
                out.append(block)
        part.blocks = out


def _in_order(run: list[Paragraph]) -> list[Paragraph]:
    """The run sorted by term; as written when any of them does not start with a quoted term
    (the order is then the author's, and we cannot tell where such a paragraph belongs)."""
    terms = [_TERM.match(plain_text(p.text)) for p in run]
    if not all(terms):
        return run
    order = sorted(range(len(run)), key=lambda i: (terms[i][1].casefold(), i))
    return [run[i] for i in order]
