"""Resolve every ``[[ref:label]]`` (and ``[[ref:a,b,c]]``) to its targets and compute the
parts of the text it shows.

A reference's text is built from the scheme's patterns, not from strings searched after
the fact: a level's cite pattern ("第{L2}条", "Clause {L2}{L3}") names the numbers it
shows — the cited clause's own and its ancestors' — and each becomes a number part of its
own, which a DOCX writer turns into a REF field to that clause; the titled pattern
("{cite}（{title}）") wraps the citation, and the scoped pattern ("{scope}{cite}",
"{cite} of {scope}") wraps both. Several targets are sorted into document order and
joined the way the scheme joins them: "Clauses 4, 6 and 10", "Clauses 4 to 6",
第四条、第六条和第十条, 第四条至第六条.
"""

from __future__ import annotations

import re
from itertools import groupby

from ..diagnostics import ERROR, Finding, did_you_mean
from ..model import CITE, NUMBER, SCOPE, TITLE, Clause, Part, Ref, RefPart, inline_lists
from ..numbering import get_scheme
from ..numbering.base import Scheme
from .context import Context
from .. import rx

_NUMBER_SLOT = rx.compile(r"\{L([1-9])\}")
_RANGE = 3  # this many consecutive siblings or more are cited as a range ("4 to 6")

Target = tuple[Part, Clause | Part]  # (the part it is in, the clause or part)


def resolve_references(ctx: Context) -> None:
    order = {id(t): i for i, t in enumerate(_everything(ctx.doc))}
    for part in ctx.doc.parts:
        for block in part.blocks:
            for ref in _refs(block):
                _resolve(ctx, part, ref, order)
    for part in ctx.doc.parts:
        for block in part.blocks:
            report_doubled_words(ctx, block)


def _everything(doc):
    for part in doc.parts:
        yield part
        yield from part.clauses()


def _refs(block):
    for inlines in inline_lists(block):
        yield from (node for node in inlines if isinstance(node, Ref))


def _resolve(ctx: Context, part: Part, ref: Ref, order: dict[int, int]) -> None:
    found: list[Target] = []
    labels = ref.labels
    for label in labels:
        if label not in ctx.labels:
            among = f" (in [[ref:{ref.label}]])" if len(labels) > 1 else ""
            ctx.findings.append(Finding("unknown-label", ERROR, f"reference to unknown label '{label}'{among}",
                                        ref.pos, suggestion=did_you_mean(label, ctx.labels)))
        else:
            found.append(ctx.labels[label])
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        ctx.findings.append(Finding("bad-reference", ERROR, f"[[ref:{ref.label}]] cites '{twice[0]}' twice",
                                    ref.pos, suggestion="name each target once"))
    if len(found) != len(labels) or twice:
        return
    found.sort(key=lambda t: order[id(t[1])])
    ref.targets = tuple(target for _, target in found)
    ref.target = ref.targets[0]
    ref.parts = citation_parts(found, part, with_title=ref.with_title)


def citation_parts(found: list[Target], citing: Part, *, with_title: bool = False) -> tuple[RefPart, ...]:
    """The parts of a reference to the targets in ``found`` (in document order) from a
    block of ``citing``: one citation, or the citations joined per part and per cite word."""
    if len(found) == 1:
        target_part, target = found[0]
        return reference_parts(get_scheme(target_part.scheme), target, with_title=with_title,
                               scope=_scope(target_part, target, citing), part=target_part)
    groups = [list(g) for _, g in groupby(found, key=lambda t: (id(t[0]), _head(t)))]
    scheme = get_scheme(found[0][0].scheme)
    joined = [_join(scheme, _group_parts(g, citing, with_title)) for g in groups]
    return tuple(p for p in _join(scheme, joined) if p.text)


def _scope(target_part: Part, target: Clause | Part, citing: Part) -> str:
    """How a citation names the part it points into, when that is not the citing part: its
    ``cite_as`` ("本合同", "the Agreement"), or an attachment's own number ("Schedule 1")."""
    if target_part is citing or not isinstance(target, Clause):
        return ""
    return target_part.number_text if target_part.kind == "attachment" else target_part.cite_as


def reference_parts(scheme: Scheme, target: Clause | Part, *, with_title: bool = False,
                    scope: str = "", part: Part | None = None) -> tuple[RefPart, ...]:
    """The parts of a citation of ``target``: [scope] [cite words] numbers [cite words]
    [title] [scope], in the order the scheme's patterns put them; empty parts left out.
    An attachment's clause is scoped by the attachment's number, itself a number part."""
    parts = _target_parts(scheme, part, target, with_title)
    if scope:
        before, after = _scope_parts(scheme, part, scope)
        parts = [*before, *parts, *after]
    return tuple(p for p in parts if p.text)


def _target_parts(scheme: Scheme, part: Part | None, target: Clause | Part, with_title: bool) -> list[RefPart]:
    """One target's citation, with its title when asked, without scope."""
    if isinstance(target, Clause):
        parts = cite_parts(scheme, target, part is not None and part.kind == "attachment")
    else:
        parts = [RefPart(NUMBER, target.number_text, target)]
    if with_title and target.title:
        parts = _wrap(scheme.titled, parts, TITLE, title=target.title)
    return parts


def _scope_parts(scheme: Scheme, part: Part | None, scope: str) -> tuple[list[RefPart], list[RefPart]]:
    """What the scoped pattern puts before and after a citation: "本合同" | "", or
    "" | " of Schedule 1", where an attachment's number is a number part of its own."""
    scope_part = RefPart(NUMBER, scope, part) if part is not None and part.kind == "attachment" else None
    before, _, after = scheme.scoped.partition("{cite}")
    return (_text_parts(before, SCOPE, scope_part, {"scope": scope}),
            _text_parts(after, SCOPE, scope_part, {"scope": scope}))


def cite_parts(scheme: Scheme, clause: Clause, in_attachment: bool = False) -> list[RefPart]:
    """A clause's citation in its level's cite pattern: words as cite parts, each ``{Lk}``
    a number part for the clause (or its ancestor) at level k."""
    number = clause.number or ()
    pattern = scheme.cite_pattern(len(number), in_attachment)
    values = scheme.counters(number)
    out: list[RefPart] = []
    last = 0
    for m in _NUMBER_SLOT.finditer(pattern):
        out.append(RefPart(CITE, pattern[last:m.start()].format_map(values)))
        out.append(_number_part(scheme, clause, int(m[1]), in_attachment))
        last = m.end()
    out.append(RefPart(CITE, pattern[last:].format_map(values)))
    return out


def _number_part(scheme: Scheme, clause: Clause, level: int, in_attachment: bool) -> RefPart:
    """The number of ``clause``'s ancestor at ``level`` (the clause itself at its own
    level), as it shows it. A number that shows only its own level — "(a)", and "3." cited
    as "3" — is the ``own`` kind (Word: ``REF \\n``, which also drops a trailing period)."""
    target = clause
    while target is not None and target.level > level:
        target = target.parent
    formats = scheme.attachment_clause_formats if in_attachment else scheme.clause_formats
    if target is None or target.level != level or not target.number_text:
        text = scheme.fill(formats, (clause.number or ())[:level])
        return RefPart(CITE, text.rstrip("."))  # no clause to point at: plain text
    own_format = formats[min(level, len(formats)) - 1]
    own = level > 1 and "{path}" not in own_format or target.number_text.endswith(".")
    return RefPart(NUMBER, target.number_text.rstrip("."), target, own=own)


def _wrap(pattern: str, parts: list[RefPart], role: str, **values: str) -> list[RefPart]:
    """``pattern`` with ``{cite}`` standing for ``parts``: the text around it gets ``role``."""
    before, _, after = pattern.partition("{cite}")
    return [RefPart(role, before.format(**values)), *parts, RefPart(role, after.format(**values))]


def _text_parts(text: str, role: str, scope_part: RefPart | None, values: dict) -> list[RefPart]:
    if scope_part is None or "{scope}" not in text:
        return [RefPart(role, text.format(**values))]
    head, _, tail = text.partition("{scope}")
    return [RefPart(role, head.format(**values)), scope_part, RefPart(role, tail.format(**values))]


# --- several targets ------------------------------------------------------------------

_LATIN_WORD_SPACE = rx.compile(r"([A-Za-z]+) ")


def _head(target: Target) -> str:
    """The cite word a citation starts with ("Clause", "Section", "paragraph"), which
    citations share to be joined as "Clauses 4 and 6"; "" where there is none (第四条)."""
    part, clause = target
    scheme = get_scheme(part.scheme)
    if not isinstance(clause, Clause) or not scheme.joining.plural:
        return ""
    parts = [p for p in cite_parts(scheme, clause, part.kind == "attachment") if p.text]
    m = _LATIN_WORD_SPACE.match(parts[0].text) if parts else None
    if not m or parts[0].role == NUMBER:
        # "Article 4" is one live number (Word's "Article %1"): its word cannot be shared
        # without a REF \t switch, which LibreOffice ignores — such citations are not merged
        return ""
    return m[1]


def _group_parts(group: list[Target], citing: Part, with_title: bool) -> list[list[RefPart]]:
    """One group's items (citations sharing part and cite word), ranges merged, scope once
    at the group's end (or start, as the scheme puts it)."""
    part = group[0][0]
    scheme = get_scheme(part.scheme)
    head = _head(group[0])
    items = []
    for index, (_, target) in enumerate(group):
        parts = _target_parts(scheme, part, target, with_title)
        if head and len(group) > 1:
            parts = _drop_head(parts, head, first=index == 0)
        items.append([p for p in parts if p.text])
    items = _ranges(scheme, [t for _, t in group], items)
    scope = _scope(part, group[0][1], citing)
    if scope:
        before, after = _scope_parts(scheme, part, scope)
        items[0], items[-1] = [*before, *items[0]], [*items[-1], *after]
    return items


def _drop_head(parts: list[RefPart], head: str, first: bool) -> list[RefPart]:
    """A citation without its cite word ("4.2(a)" of "Clause 4.2(a)"); the first of a
    group says the word in the plural ("Clauses 4.2(a)"). The word is always a cite part
    (``_head``), never inside a live number."""
    word = head + "s " if first else ""
    out, dropped = [], False
    for p in parts:
        if not dropped and p.role != NUMBER and p.text.startswith(head + " "):
            out.append(RefPart(p.role, word + p.text[len(head) + 1:]))
            dropped = True
        else:
            out.append(p)
    return out


def _ranges(scheme: Scheme, targets: list, items: list[list[RefPart]]) -> list[list[RefPart]]:
    """Runs of ``_RANGE`` or more consecutive siblings become "first to last" (至)."""
    out, i = [], 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and _next_sibling(targets[j], targets[j + 1]):
            j += 1
        if j - i + 1 >= _RANGE:
            out.append([*items[i], RefPart(CITE, scheme.joining.through), *items[j]])
        else:
            out.extend(items[i:j + 1])
        i = j + 1
    return out


def _next_sibling(a, b) -> bool:
    if isinstance(a, Clause) and isinstance(b, Clause) and a.number and b.number:
        return (a.parent is b.parent and len(a.number) == len(b.number)
                and a.number[:-1] == b.number[:-1] and b.number[-1] == a.number[-1] + 1)
    if isinstance(a, Part) and isinstance(b, Part) and a.kind == b.kind == "attachment":
        return bool(a.number and b.number and b.number == a.number + 1)
    return False


def _join(scheme: Scheme, items: list[list[RefPart]]) -> list[RefPart]:
    """Items joined with the scheme's comma and last word: "4, 6 and 10", 四、六和十."""
    out: list[RefPart] = []
    for index, item in enumerate(items):
        if index:
            out.append(RefPart(CITE, scheme.joining.last if index == len(items) - 1 else scheme.joining.comma))
        out.extend(item)
    return out


# --- words typed beside a reference that prints them itself ---------------------------

_NUMERALS = "0-9一二三四五六七八九十百零〇"
_CJK_HEAD = rx.compile(rf"[^{_NUMERALS}\s.（(]+")
_DETERMINERS = r"(?:本|主|原|该|此|上述)?(?:补充)?"  # 主合同, 原协议, 本补充协议: a part named again
_LATIN_DETERMINERS = r"(?:(?:the|this|that|said)\s+)?"


def report_doubled_words(ctx: Context, block) -> None:
    """A word typed next to a resolved reference that the reference prints itself: the
    part it points into (主合同[[ref:x]] → "主合同本合同第四条", "the Agreement's [[ref:x]]" →
    "the Agreement's Article 4 of the Agreement"), or its cite word (第[[ref:x]]条 →
    "第第四条条", "Clause [[ref:x]]" → "Clause Clause 4"). Only the fragment's own words
    next to the reference are read: in a batch a value there is still a token."""
    for inlines in inline_lists(block):
        for index, node in enumerate(inlines):
            if not isinstance(node, Ref) or not node.parts:
                continue
            before = inlines[index - 1] if index and isinstance(inlines[index - 1], str) else ""
            after = inlines[index + 1] if index + 1 < len(inlines) and isinstance(inlines[index + 1], str) else ""
            typed = _typed_scope(node, before, after) or _typed_cite_word(node, before, after)
            if typed:
                word, reads = typed
                ctx.findings.append(Finding(
                    "doubled-words", ERROR, f"'{word}' is typed beside [[ref:{node.label}]], which prints "
                    f"'{node.text}' itself: the contract would read '{reads}'", node.pos,
                    suggestion=f"delete '{word}': a reference prints the part it points into and its own cite words"))


_LATIN_WORD = rx.compile(r"[A-Za-z]+")
_CJK_RUN = rx.compile(rf"[\u4e00-\u9fff]+")
_NUMERAL_RUN = rx.compile(rf"[{_NUMERALS}]+")


def _scope_heads(ref: Ref) -> list[str]:
    """The nouns that name the part(s) a reference is scoped by: "合同" of 本合同, "Agreement"
    of "the Agreement", "附件" of 附件一, "Schedule" of "Schedule 1"; none when unscoped."""
    scope = "".join(p.text for p in ref.parts if p.role == SCOPE)
    scope += "".join(p.text for p in ref.parts if p.role == NUMBER and isinstance(p.target, Part))
    if not scope.strip():
        return []
    latin = _LATIN_WORD.findall(scope)
    heads = [w for w in latin if w[0].isupper()][-1:] if latin else []
    cjk = _CJK_RUN.findall(_NUMERAL_RUN.sub(" ", scope))
    heads += [run[-2:] for run in cjk if len(run) >= 2]
    return heads


def _typed_scope(ref: Ref, before: str, after: str) -> tuple[str, str] | None:
    if not any(p.role == SCOPE and p.text.strip() for p in ref.parts):
        return None
    for head in _scope_heads(ref):
        if head.isascii():
            m = re.search(rf"(?i)\b{_LATIN_DETERMINERS}{head}(?:'s|’s)?\s*$", before)
            if m:
                return m.group().strip(), f"{m.group()}{ref.text}"
            m = re.match(rf"(?i)\s*(?:of|in|under|to)\s+(?:the|this)\s+{head}\b", after)
            if m:
                return m.group().strip(), f"{ref.text}{m.group()}"
        else:
            m = re.search(rf"{_DETERMINERS}{head}(?:的|之)?\s*$", before)
            if m:
                return m.group().strip(), f"{m.group().strip()}{ref.text}"
    return None


_ZH_UNIT_END = rx.compile(r"[条款项]$")


def _typed_cite_word(ref: Ref, before: str, after: str) -> tuple[str, str] | None:
    """第[[ref:x]]条, "Clause [[ref:x]]": the reference's own cite words typed again around it."""
    text, cite = ref.text, ref.cite
    lead = _LATIN_WORD.match(cite) or _CJK_HEAD.match(cite)
    typed_before = ""
    if lead and lead.group().isascii():
        m = re.search(rf"(?i)\b{lead.group()}s?\s+$", before)
        typed_before = m.group() if m else ""
    elif lead and before.endswith(lead.group()):
        typed_before = lead.group()
    tail = _ZH_UNIT_END.search(text)
    typed_after = tail.group() if tail and after.startswith(tail.group()) else ""
    if not (typed_before or typed_after):
        return None
    word = " … ".join(w.strip() for w in (typed_before, typed_after) if w)
    return word, f"{typed_before}{text}{typed_after}"
