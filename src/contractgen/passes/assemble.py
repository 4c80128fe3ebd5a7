"""Render every fragment of every part and assemble the document's parts in order."""

from __future__ import annotations

from ..model import Document, Origin, Part, SourcePos
from ..readers.fragment import copy_blocks, read_fragment
from ..render import FragmentError, render_fragment
from ..spec import lookup
from .context import Context


def assemble(ctx: Context) -> None:
    tpl = ctx.template
    spec = tpl.spec
    doc = Document(title=spec.title, lang=spec.lang, meta=_meta(tpl, ctx.data), source=str(spec.path))
    for part_spec in spec.parts:
        if part_spec.when and not lookup(ctx.data, part_spec.when):
            continue
        part = Part(kind=part_spec.kind, id=part_spec.id, title=part_spec.title, scheme=spec.scheme,
                    cite_as=part_spec.cite_as, pos=SourcePos(str(spec.path), part_spec.line))
        if part.kind == "attachment":
            part.label = part.id
        for clause_id in part_spec.clauses:
            fragment, compiled = tpl.fragments[clause_id]
            part.title = part.title or (fragment.title if part.kind == "attachment" else "")
            try:
                rendered = render_fragment(compiled, fragment, ctx.data)
            except FragmentError as exc:
                ctx.findings.append(exc.finding)
                continue
            read = _read(tpl, clause_id, rendered.text, fragment)
            part.blocks.extend(copy_blocks(read.blocks, rendered.values))
            ctx.findings.extend(read.findings)
            doc.suppressions.extend(read.suppressions)
        doc.parts.append(part)
    ctx.doc = doc


def _read(tpl, clause_id: str, text: str, fragment):
    """The fragment's blocks, read again only when its rendered text changed. The text has
    a token for each data value, so rows that differ only in their values share one read."""
    cached = tpl.parsed.get(clause_id)
    if cached is not None and cached[0] == text:
        return cached[1]
    read = read_fragment(text, fragment.pos, Origin(fragment.id, fragment.version))
    tpl.parsed[clause_id] = (text, read)
    return read


def _meta(tpl, data: dict) -> dict:
    spec = tpl.spec
    return {
        "template": spec.name, "template_version": spec.version, "title": spec.title,
        "contract_no": str(data.get("contract_no") or ""), "fonts": dict(spec.fonts),
        "toc_levels": spec.toc_levels, "data": data,
    }

