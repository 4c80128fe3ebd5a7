"""Text and JSON summaries of a comparison: one line (or object) per reported unit, totals,
and the reference findings on NEW."""

from __future__ import annotations

import json

from .classify import DELETED, INSERTED, KINDS, MERGED, MOVED, SPLIT, UNCHANGED, Entry
from .core import Comparison


def part_name(entry: Entry) -> str:
    """The part a clause is in, when it is not the main contract: "补充协议", "Schedule 1"."""
    unit = entry.unit
    if unit.level == 0 or unit.part_kind in ("main", "cover"):
        return ""
    return unit.part.heading_text or unit.part.title


def entry_dict(entry: Entry) -> dict:
    o, n = entry.old, entry.new
    out = {
        "kind": entry.kind,
        "part": part_name(entry),
        "level": entry.unit.level,
        "old_number": o.number_text if o else None,
        "new_number": n.number_text if n else None,
        "title": (n or o).title,
    }
    if o and n and o.title != n.title:
        out["old_title"] = o.title
    out["changes"] = [c.as_dict() for c in entry.changes] if o and n else []
    if entry.partner is not None:
        out["with"] = entry.partner.unit.number_text or entry.partner.unit.title
    out["references_renumbered"] = entry.refs_renumbered
    out["cited_renumbered"] = entry.cited_renumbered
    out["contains"] = entry.contains
    return out


def as_dict(comparison: Comparison, old_name: str = "", new_name: str = "") -> dict:
    return {
        "old": old_name,
        "new": new_name,
        "identical": comparison.identical,
        "totals": comparison.totals(),
        "units": [entry_dict(e) for e in comparison.reported],
        "retargeted": [{"new_number": e.new.number_text, "note": note} for e, note in comparison.retargeted],
        "findings": [f.as_dict() for f in comparison.findings],
    }


def as_json(comparison: Comparison, old_name: str = "", new_name: str = "") -> str:
    return json.dumps(as_dict(comparison, old_name, new_name), ensure_ascii=False, indent=2)


def entry_line(entry: Entry) -> str:
    """"第九条 (was 第十条) 一般条款: renumbered; 3 references renumbered consistently"."""
    o, n = entry.old, entry.new
    unit = n or o
    number = unit.number_text
    if o and n and o.number_text != n.number_text:
        number = f"{n.number_text} (was {o.number_text})" if n.number_text else f"(was {o.number_text})"
    where = part_name(entry)
    head = " ".join(p for p in (where, number, unit.title) if p) or unit.head[:40] or "(untitled)"
    details = [entry.kind]
    if entry.kind in (DELETED, INSERTED, MOVED) and entry.contains:
        details[0] += f" with {entry.contains} sub-unit(s)"
    if entry.kind == SPLIT and entry.partner is not None:
        details[0] += f" into {n.number_text or n.title} and {entry.partner.new.number_text or entry.partner.new.title}"
    if entry.kind == MERGED and entry.partner is not None:
        details[0] += f" with {entry.partner.old.number_text or entry.partner.old.title}, which follows it"
    if o and n and o.title != n.title:
        details.append(f"title “{o.title}” → “{n.title}”")
    if o and n and entry.changes:
        details.append("; ".join(str(c) for c in entry.changes))
    if entry.kind in ("renumbered", "moved") and not entry.changes and o and n:
        details.append("text unchanged")
    if entry.cited_renumbered:
        details.append(f"{entry.cited_renumbered} reference(s) to it renumbered consistently")
    if entry.refs_renumbered:
        details.append(f"{entry.refs_renumbered} reference(s) in it renumbered consistently")
    return f"{head}: " + "; ".join(details)


def as_text(comparison: Comparison, old_name: str = "", new_name: str = "") -> str:
    lines = [f"--- {old_name}", f"+++ {new_name}"] if old_name or new_name else []
    lines += [entry_line(e) for e in comparison.reported]
    lines += [f"reference in {e.new.number_text or e.new.title}: {note}" for e, note in comparison.retargeted]
    for f in comparison.findings:
        where = f"{new_name}:{f.line}" if f.line else new_name
        lines.append(f"{where}: {f.severity} {f.code}: {f.message}")
    totals = comparison.totals()
    if comparison.identical:
        lines.append("identical: no unit changed")
    else:
        shown = ", ".join(f"{totals[k]} {k}" for k in KINDS if k != UNCHANGED and totals[k])
        lines.append(f"{shown or 'no unit changed'}; {totals['references_renumbered']} reference(s) "
                     f"renumbered consistently")
    return "\n".join(lines)
