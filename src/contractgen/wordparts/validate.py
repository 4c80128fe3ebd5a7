"""Every Jinja tag of a Word part, checked against the template's data before rendering.

The tags are read from each paragraph's text (runs joined, as docxtpl joins them), with
the paragraph's place in words ("paragraph 3", "table 1 row 2 cell 2", "header1.xml
paragraph 1"). Each expression is parsed and compiled on its own, so a syntax error or an
unknown filter is reported at its cell; every data name it reads must be a field or a group
of contract.yaml's ``data:`` ("did you mean"); blocks must close; ``{%tr %}`` must stand in
a table row. The whole file is compiled afterwards as docxtpl sees it (template.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

import jinja2
from jinja2 import nodes
from lxml import etree

from ..diagnostics import ERROR, Finding, did_you_mean
from .ooxml import DOCUMENT, W, Package
from .where import WordPos
from .. import rx

_TAG = rx.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}|\{#.*?#\}", re.DOTALL)
_PREFIX = rx.compile(r"^(tr|tc|p|r) ")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith"}
_DOCXTPL = ("hm", "vm", "colspan", "cellbg")  # docxtpl's own cell tags
BODY = "body"  # the skeleton's placeholder: {{p body }}


@dataclass(slots=True)
class Tag:
    kind: str  # "print" or "statement"
    prefix: str  # docxtpl's tr / tc / p / r, or ""
    source: str  # the expression or statement, as typed
    pos: WordPos
    in_row: bool
    alone: bool = True  # the tag is all its paragraph's text


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text as docxtpl reads its tags: its runs' text joined, quotes straightened."""
    return "".join(t.text or "" for t in p.iter(W + "t")).translate(_QUOTES)


def paragraphs(tree: etree._Element, member: str, path: str) -> Iterator[tuple[WordPos, etree._Element, bool]]:
    """(place, paragraph, in a table row) of every paragraph of a body, header or footer."""
    prefix = "" if member == DOCUMENT else f"{member.rsplit('/', 1)[-1]} "
    counts = {"p": 0, "t": 0}

    def walk(container: etree._Element) -> Iterator[tuple[WordPos, etree._Element, bool]]:
        for el in container:
            if el.tag == W + "p":
                counts["p"] += 1
                yield WordPos(path, counts["p"], f"{prefix}paragraph {counts['p']}"), el, False
            elif el.tag == W + "tbl":
                counts["t"] += 1
                t = counts["t"]
                for r, row in enumerate(el.iter(W + "tr"), start=1):
                    for c, cell in enumerate(row.findall(W + "tc"), start=1):
                        for p in cell.iter(W + "p"):
                            where = f"{prefix}table {t} row {r} cell {c}"
                            yield WordPos(path, counts["p"], where), p, True
            elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                yield from walk(el)

    yield from walk(tree)


def members(package: Package) -> list[str]:
    """The main document, its headers and its footers: the members a part's tags are in."""
    return [DOCUMENT] + sorted(package.target(rel) for rel in package.rels.values()
                               if rel.type in ("header", "footer") and not rel.external)


def member_paragraphs(package: Package, path: str) -> Iterator[tuple[WordPos, etree._Element, bool]]:
    """Every paragraph of the main document, its headers and its footers, in order."""
    for member in members(package):
        if member not in package.members:
            continue
        tree = etree.fromstring(package.members[member])
        body = tree.find(W + "body") if member == DOCUMENT else tree
        yield from paragraphs(body if body is not None else tree, member, path)


def tags(package: Package, path: str) -> Iterator[Tag]:
    """Every tag of the main document, its headers and its footers, in order."""
    for pos, p, in_row in member_paragraphs(package, path):
        text = paragraph_text(p)
        rest = _TAG.sub("", text)
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            if opening in rest:
                yield Tag("unclosed", "", f"{opening}{rest.split(opening, 1)[1]}", pos, in_row)
        for m in _TAG.finditer(text):
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            if raw is None:
                continue  # a comment
            prefix = _PREFIX.match(raw)
            yield Tag("print" if m.group(1) is not None else "statement", prefix.group(1) if prefix else "",
                      raw[prefix.end():] if prefix else raw, pos, in_row, text.strip() == m.group().strip())


@dataclass
class Validator:
    """Checks tags against the data schema: ``fields`` are contract.yaml's dotted names."""

    env: jinja2.Environment
    fields: dict
    skeleton: bool = False
    findings: list[Finding] = field(default_factory=list)
    # each open block: its keyword, its tag, and the names it declares with what each may be
    # (a loop over a literal list: the data groups its items are, e.g. s -> [party_a, party_b])
    stack: list[tuple[str, Tag, dict[str, list[str]]]] = field(default_factory=list)
    assigned: set[str] = field(default_factory=set)
    bodies: int = 0

    def __post_init__(self) -> None:
        self.groups = {f.rsplit(".", i)[0] for f in self.fields for i in range(1, f.count(".") + 1)}

    def run(self, all_tags: Iterator[Tag], path: str) -> list[Finding]:
        for tag in all_tags:
            self.tag(tag)
        for keyword, tag, _ in self.stack:
            self.syntax(tag, f"'{{% {keyword} %}}' is never closed: add '{{%{tag.prefix or ''} {_BLOCKS[keyword]} %}}'")
        if self.skeleton and self.bodies != 1:
            self.findings.append(Finding("bad-template", ERROR, f"a skeleton needs exactly one '{{{{p {BODY} }}}}' "
                                         f"paragraph, where the contract goes; this one has {self.bodies}",
                                         WordPos(path, 1, "")))
        return self.findings

    def bad(self, tag: Tag, message: str, hint: str = "") -> None:
        """A name the data does not have."""
        self.findings.append(Finding("undefined-data", ERROR, message, tag.pos, suggestion=hint))

    def syntax(self, tag: Tag, message: str, hint: str = "") -> None:
        self.findings.append(Finding("template-syntax", ERROR, message, tag.pos, suggestion=hint))

    def misplaced(self, tag: Tag, message: str) -> None:
        self.findings.append(Finding("bad-template", ERROR, message, tag.pos))

    @property
    def local_names(self) -> set[str]:
        names = set(self.assigned) | {"loop"} | set(self.env.globals)
        for _, _, declared in self.stack:
            names |= set(declared)
        return names

    def bindings(self, name: str) -> list[str]:
        """The data groups a loop variable stands for (innermost loop first; [] when unknown)."""
        for _, _, declared in reversed(self.stack):
            if name in declared:
                return declared[name]
        return []

    def tag(self, tag: Tag) -> None:
        if tag.prefix in ("tr", "tc") and not tag.in_row:
            self.syntax(tag, f"'{{%{tag.prefix} … %}}' must stand in a table row (it repeats or hides the row "
                          "or cell it is in)")
        if tag.kind == "unclosed":
            opening = tag.source[:2]
            self.syntax(tag, f"'{opening}' without its closing '{'}}' if opening == '{{' else '%}'}': "
                          f"{tag.source.strip()[:40]!r}")
            return
        if tag.kind == "print":
            self.printed(tag)
            return
        words = tag.source.split(None, 1)
        keyword, rest = (words[0], words[1] if len(words) > 1 else "") if words else ("", "")
        if keyword in _BLOCKS:
            self.opening(tag, keyword, rest)
        elif keyword in ("elif", "else"):
            if not self.stack or self.stack[-1][0] not in ("if", "for"):
                self.syntax(tag, f"'{{% {keyword} %}}' without an '{{% if %}}' before it")
            elif keyword == "elif":
                self.expression(tag, rest, "{% if " + rest + " %}{% endif %}")
        elif keyword.startswith("end"):
            opened = next((k for k, v in _BLOCKS.items() if v == keyword), None)
            if opened is None or not self.stack or self.stack[-1][0] != opened:
                expected = f"'{{% {_BLOCKS[self.stack[-1][0]]} %}}'" if self.stack else "no block to close"
                self.syntax(tag, f"'{{% {keyword} %}}' closes nothing here (expected {expected})")
            else:
                self.stack.pop()
        elif keyword == "set":
            tree = self.expression(tag, tag.source, "{% " + tag.source + " %}")
            for node in tree.find_all(nodes.Assign) if tree is not None else ():
                self.assigned |= {n.name for n in node.target.find_all(nodes.Name)} | (
                    {node.target.name} if isinstance(node.target, nodes.Name) else set())
        elif keyword in _DOCXTPL:
            if rest:
                self.expression(tag, rest, "{{ " + rest + " }}")
        else:
            self.syntax(tag, f"'{{% {keyword} %}}' is not for Word parts: use {{{{ … }}}}, {{% if %}}, {{% for %}}, "
                          "{% set %} and docxtpl's {%tr %} / {%p %}")

    def printed(self, tag: Tag) -> None:
        if tag.source.strip() == BODY and self.skeleton:
            if tag.prefix != "p":
                self.misplaced(tag, f"the contract goes in a paragraph of its own: write '{{{{p {BODY} }}}}'")
            elif not tag.alone:
                self.misplaced(tag, f"'{{{{p {BODY} }}}}' must be alone in its paragraph (the contract replaces the "
                                    "whole paragraph, so the text beside it would be lost): move that text into a "
                                    "paragraph of its own")
            self.bodies += 1
            return
        self.expression(tag, tag.source, "{{ " + tag.source + " }}")

    def opening(self, tag: Tag, keyword: str, rest: str) -> None:
        tree = self.expression(tag, rest, "{% " + tag.source + " %}{% " + _BLOCKS[keyword] + " %}",
                               loop=keyword == "for")
        declared: dict[str, list[str]] = {}
        for node in tree.find_all((nodes.For, nodes.With)) if tree is not None else ():
            targets = [node.target] if isinstance(node, nodes.For) else node.targets
            for name in (n.name for t in targets for n in [t, *t.find_all(nodes.Name)] if isinstance(n, nodes.Name)):
                declared.setdefault(name, [])
            if isinstance(node, nodes.For):
                for name, groups in _loop_groups(node.target, node.iter, self.groups).items():
                    declared[name] = groups
        self.stack.append((keyword, tag, declared))

    def expression(self, tag: Tag, typed: str, snippet: str, loop: bool = False) -> nodes.Template | None:
        try:
            tree = self.env.parse(snippet)
            self.env.compile(snippet)
        except jinja2.TemplateSyntaxError as exc:
            hint = ""
            m = re.search(r"No (?:filter|test) named '([^']+)'", exc.message or "")
            if m:
                hint = did_you_mean(m.group(1), self.env.filters if "filter" in exc.message else self.env.tests)
            self.syntax(tag, f"template syntax error in '{typed.strip()}': {exc.message}", hint)
            return None
        self.names(tag, tree, loop)
        return tree

    def names(self, tag: Tag, tree: nodes.Template, loop: bool) -> None:
        local = self.local_names
        if loop:  # the loop's own names are known in its "if" filter
            for node in tree.find_all(nodes.For):
                local |= {n.name for n in node.target.find_all(nodes.Name)}
                if isinstance(node.target, nodes.Name):
                    local.add(node.target.name)
                self.check_refs(tag, node.iter, self.local_names)
                if node.test is not None:
                    self.check_refs(tag, node.test, local)
            return
        self.check_refs(tag, tree, local)

    def check_refs(self, tag: Tag, node: nodes.Node, local: set[str]) -> None:
        for dotted in _references(node):
            if dotted[0] in local:
                if len(dotted) > 1:
                    self.member(tag, dotted, self.bindings(dotted[0]))
                continue
            self.field(tag, dotted)

    def member(self, tag: Tag, dotted: list[str], groups: list[str]) -> None:
        """``s.rep`` where the loop's ``s`` is each of ``groups`` in turn: a field of every one."""
        for group in groups:
            known = sorted(f[len(group) + 1:] for f in self.fields if f.startswith(group + "."))
            for depth in range(2, len(dotted) + 1):
                name = ".".join([group, *dotted[1:depth]])
                if name in self.fields:
                    break
                if name in self.groups:
                    continue
                typed = ".".join(dotted[:depth])
                hint = did_you_mean(".".join(dotted[1:depth]), known)
                each = ", ".join(groups[:-1]) + f" or {groups[-1]}" if len(groups) > 1 else groups[0]
                self.bad(tag, f"'{typed}' is not a field of the template's data ('{dotted[0]}' is {each} in "
                              f"this loop, and '{name}' is not a field)",
                         hint.replace("'", f"'{dotted[0]}.", 1) if hint else "")
                return

    def field(self, tag: Tag, dotted: list[str]) -> None:
        for depth in range(1, len(dotted) + 1):
            name = ".".join(dotted[:depth])
            if name in self.fields:
                return  # a value: what follows (".year", ".upper()") is the value's own
            if name in self.groups:
                continue
            choices = sorted(self.fields) if depth > 1 else sorted({f.split(".")[0] for f in self.fields})
            self.bad(tag, f"'{name}' is not a field of the template's data", did_you_mean(name, choices))
            return


def _loop_groups(target: nodes.Node, items: nodes.Node, groups: set[str]) -> dict[str, list[str]]:
    """What a loop over a literal list binds its names to, where every item names a data
    group: ``for role, s in [("甲方", party_a), ("乙方", party_b)]`` -> {"s": ["party_a", "party_b"]}."""
    if not isinstance(items, (nodes.List, nodes.Tuple)) or not items.items:
        return {}
    slots: list[tuple[str, int | None]] = []  # (name, index in each item's tuple, or None: the item)
    if isinstance(target, nodes.Name):
        slots = [(target.name, None)]
    elif isinstance(target, nodes.Tuple):
        slots = [(t.name, i) for i, t in enumerate(target.items) if isinstance(t, nodes.Name)]
    out: dict[str, list[str]] = {}
    for name, index in slots:
        found: list[str] = []
        for item in items.items:
            if index is not None:
                if not isinstance(item, (nodes.Tuple, nodes.List)) or index >= len(item.items):
                    break
                item = item.items[index]
            dotted = next(iter(_references(item)), None) if isinstance(item, (nodes.Name, nodes.Getattr)) else None
            if dotted is None or ".".join(dotted) not in groups:
                break  # a value, a literal or a field: what is read of it is its own
            found.append(".".join(dotted))
        else:
            out[name] = list(dict.fromkeys(found))
    return out


def _references(node: nodes.Node) -> Iterator[list[str]]:
    """Every data name an expression reads, as its dotted path (``party_a.name``)."""
    path: list[str] = []
    inner = node
    while isinstance(inner, (nodes.Getattr, nodes.Getitem)):
        if isinstance(inner, nodes.Getattr):
            path.append(inner.attr)
        elif isinstance(inner.arg, nodes.Const) and isinstance(inner.arg.value, str):
            path.append(inner.arg.value)
        else:
            break
        inner = inner.node
    if isinstance(inner, nodes.Name) and inner.ctx == "load":
        yield [inner.name, *reversed(path)]
        return
    for kid in node.iter_child_nodes():
        yield from _references(kid)


def validate(package: Package, path: str, env: jinja2.Environment, fields: dict,
             skeleton: bool = False) -> list[Finding]:
    """Every problem with the tags of a Word part (``skeleton``: it must hold ``{{p body }}``)."""
    return Validator(env, fields, skeleton).run(tags(package, path), path)


__all__ = ["BODY", "Tag", "paragraphs", "tags", "validate"]
