"""A fuzzing harness over the readers and checks: inputs made from the repository's own
contracts (tests/data and the real-contract corpus) by random edits, and raw random text,
go through `check` exactly as a user's file would. Every input must give findings or a clear
UserError (exit 2) — never any other exception (exit 3, a bug).

DOCX packages from the corpus and the tests are edited inside their XML (Word's numbers
replaced by huge, negative or non-ASCII-digit values; elements duplicated, wrapped deep,
nested in themselves, deleted; parts cut short) and as zips (members renamed or dropped,
stored, truncated): none may crash, and none may take the process past 1 GiB resident.

The number of examples is bounded and derandomised, so CI runs the same inputs every time;
CONTRACTGEN_FUZZ_EXAMPLES scales it (CI sets 10,000 in all; the default keeps `make test`
quick on a laptop). A failure prints the input hypothesis shrank it to.
"""

from __future__ import annotations

import copy
import io
import os
import resource
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from contractgen.checking import check_file
from contractgen.diagnostics import UserError
from contractgen.wordml import W

from conftest import TESTS

TOTAL = int(os.environ.get("CONTRACTGEN_FUZZ_EXAMPLES", "1200"))
MAX_RSS = 1024 ** 3
SEEDS = sorted([*(TESTS / "data" / "check" / "cases").glob("*.txt"), *(TESTS / "data" / "check" / "cases").glob("*.md"),
                *(TESTS / "data" / "corpus").glob("*.txt"), *(TESTS / "data" / "corpus").glob("*.md")])
SEED_TEXT = [p.read_text(encoding="utf-8", errors="replace") for p in SEEDS]
# Pieces of contract syntax the edits splice in: numbers, heads, references, blanks, markup.
TOKENS = ["第", "条", "第三条", "第99999999999999999999条", "附件", "附件十", "（一）", "一、", "1.1", "9.9.9",
          "Section ", "Article 12", "Schedule 3", "目录", "附件清单", "“", "”", '"', "means", "（以下简称“",
          "人民币", "元", "壹拾万元整", "¥1,000", "USD 1,000.00 (one thousand", "____", "XXX", "【 】", "[Name]",
          "{", "}", "{#x}", "<!-- contractgen: ignore[", "-->", "<", ">", "|", "- ", "1. ", "#", "##", "\n", "\n\n",
          "\t", "\u3000", "\u202e", "2024年2月30日", "Monday, 4 March 2025", "²", "٣", "\ufeff", "\x00"]


@st.composite
def edited_seed(draw) -> str:
    """A corpus contract with a few random edits: splices of syntax, deletions, duplications."""
    text = draw(st.sampled_from(SEED_TEXT))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    text = text[start:start + draw(st.integers(200, 6000))]
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "number"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)):]
        elif action == "duplicate":
            text = text[:at] + text[at:at + draw(st.integers(1, 400))] * 2 + text[at + 1:]
        else:
            text = text[:at] + str(draw(st.integers(0, 10**30))) + text[at:]
    return text


RANDOM_TEXT = st.text(st.characters(codec="utf-8"), max_size=400) | \
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=80).map("".join)


def _check(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            findings = check_file(path)
        except UserError:
            return  # bad input, told clearly: fine
        assert all(f.code and f.severity in ("error", "warning") for f in findings)


def _settings(share: float):
    return settings(max_examples=max(20, int(TOTAL * share)), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    database=None)


@_settings(0.3)
@given(edited_seed(), st.sampled_from([".txt", ".md"]))
def test_edited_real_contracts_never_crash_check(text: str, suffix: str) -> None:
    _check(text, suffix)


@_settings(0.2)
@given(RANDOM_TEXT, st.sampled_from([".txt", ".md"]))
def test_random_text_never_crashes_check(text: str, suffix: str) -> None:
    _check(text, suffix)


@_settings(0.07)
@given(st.binary(max_size=600))
def test_random_bytes_never_crash_check(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".txt", ".md", ".docx"):
            path = Path(folder) / f"fuzz{suffix}"
            path.write_bytes(data)
            try:
                check_file(path)
            except UserError:
                pass  # unreadable, told clearly: fine


# -- DOCX: the corpus and test packages, edited inside their XML and as zips ------------------

def _package(path: Path) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
        return None  # a test's own broken package: nothing to mutate


DOCX_SEEDS = [p for p in (_package(path) for path in sorted(TESTS.glob("data/**/*.docx"))) if p]
XML_PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")
# Values for the attributes Word numbers with: huge, negative, non-ASCII digits, not numbers.
HOSTILE_VALUES = ["0", "-1", "2147483648", "-2147483649", "4294967296", "99999999999", str(10**15), str(10**16),
                  "9" * 5000, "²", "٣", "１２", "+3", " 7 ", "", "1e3", "0x1F", "-0", "0" * 30 + "1", "\u202e1",
                  "upperRoman", "upperLetter", "chineseCountingThousand", "%1.%2.%3.%4.%5.%6.%7.%8.%9", "bullet"]
NUMBERED_ATTRS = ("start", "ilvl", "numId", "val", "outlineLvl", "abstractNumId", "id", "fldCharType", "instr",
                  "styleId", "anchor", "char")
WRAPPERS = ("ins", "del", "sdt", "smartTag", "hyperlink", "fldSimple", "customXml", "moveTo", "tbl", "p", "r")
XML_TOKENS = [t for t in TOKENS if t != "\x00"]  # what an XML text node can hold
MEMBER_NAMES = ["word/document2.xml", "Word/Document.xml", "word/numbering.xml", "word/styles.xml",
                "word/document.xml", "../document.xml", "word/comments.xml", "_rels/.rels"]


def _wrap(el: etree._Element, tag: str, times: int) -> None:
    """Put ``el`` inside ``times`` new ``w:tag`` elements (content controls get their w:sdtContent)."""
    for _ in range(times):
        parent = el.getparent()
        if parent is None:
            return
        wrapper = etree.Element(W + tag)
        parent.replace(el, wrapper)
        (etree.SubElement(wrapper, W + "sdtContent") if tag == "sdt" else wrapper).append(el)


def _edit_element(draw, root: etree._Element) -> None:
    elements = list(root.iter(etree.Element))
    el = elements[draw(st.integers(0, len(elements) - 1))]
    parent = el.getparent()
    action = draw(st.sampled_from(["attr", "attr", "attr", "duplicate", "delete", "wrap", "self-nest", "text"]))
    if action == "attr":
        names = [k for k in el.attrib if etree.QName(k).localname in NUMBERED_ATTRS] or [W + "val"]
        value = draw(st.sampled_from(HOSTILE_VALUES) | st.integers(-10**20, 10**20).map(str))
        el.set(draw(st.sampled_from(names)), value)
    elif action == "duplicate" and parent is not None:
        for _ in range(draw(st.integers(1, 50))):
            parent.insert(parent.index(el) + 1, copy.deepcopy(el))
    elif action == "delete" and parent is not None:
        parent.remove(el)
    elif action == "wrap":
        _wrap(el, draw(st.sampled_from(WRAPPERS)), draw(st.sampled_from([1, 2, 5, 60, 300])))
    elif action == "self-nest":
        el.append(copy.deepcopy(el))
    elif action == "text":
        # long lines are tests/test_linear_checks.py's business: here a few hundred characters
        el.text = draw(st.sampled_from(XML_TOKENS)) * draw(st.sampled_from([1, 3, 10, 30]))


@lru_cache(maxsize=None)
def _seed_root(seed: int, name: str) -> etree._Element:
    return etree.fromstring(DOCX_SEEDS[seed][name])


def _seed_part(draw, seed: int, name: str) -> etree._Element:
    """A fresh copy of a seed's part; of a long body only a window of 40 blocks (and the final
    w:sectPr), so each check stays fast."""
    root = _seed_root(seed, name)
    body = root.find(W + "body")
    if body is None or len(body) <= 40:
        return copy.deepcopy(root)
    out = etree.Element(root.tag, root.attrib, nsmap=root.nsmap)
    for child in root:
        if child is not body:
            out.append(copy.deepcopy(child))
    window = etree.SubElement(out, body.tag, body.attrib)
    start = draw(st.integers(0, len(body) - 40))
    for child in [*body[start:start + 40], body[-1]]:
        window.append(copy.deepcopy(child))
    return out


def _edit_part(draw, seed: int, name: str) -> bytes:
    root = _seed_part(draw, seed, name)
    for _ in range(draw(st.integers(1, 6))):
        _edit_element(draw, root)
    out = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out[:draw(st.integers(0, len(out)))] if draw(st.integers(0, 19)) == 0 else out  # now and then cut


@st.composite
def mutated_docx(draw) -> bytes:
    """A seed package with edits in its XML parts, then now and then a zip-level damage."""
    seed = draw(st.integers(0, len(DOCX_SEEDS) - 1))
    parts = dict(DOCX_SEEDS[seed])
    present = [name for name in XML_PARTS if name in parts]
    for name in draw(st.lists(st.sampled_from(present), min_size=1, max_size=3, unique=True)) if present else []:
        parts[name] = _edit_part(draw, seed, name)
    damage = draw(st.sampled_from(["none", "none", "none", "rename", "drop", "stored", "truncate", "header"]))
    names = sorted(parts)
    if damage == "rename":
        old = draw(st.sampled_from(names))
        parts[draw(st.sampled_from(MEMBER_NAMES))] = parts.pop(old)
    elif damage == "drop":
        parts.pop(draw(st.sampled_from(names)))
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if damage == "stored" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    out = buffer.getvalue()
    if damage == "header":
        return _damage_headers(draw, bytearray(out))
    return out[:draw(st.integers(0, len(out)))] if damage == "truncate" else out


def _damage_headers(draw, data: bytearray) -> bytes:
    """Random bytes in the zip's own records (local and central headers, end records): its
    versions, flags, methods, sizes, offsets and name lengths."""
    starts = []
    for signature in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"):
        at = data.find(signature)
        while at >= 0:
            starts.append(at)
            at = data.find(signature, at + 4)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.sampled_from(starts)) + draw(st.integers(4, 45))
        if at < len(data):
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@_settings(0.13)  # the shares add up to 0.7: 10,010 inputs when CI sets 14,300
@given(mutated_docx())
def test_mutated_docx_never_crashes_check(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.docx"
        path.write_bytes(data)
        try:
            findings = check_file(path)
        except UserError:
            findings = []  # bad input or past a limit, told clearly: fine
        assert all(f.code and f.severity in ("error", "warning") for f in findings)
    # no input may take the process past the limits' promise (1 GiB resident)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MAX_RSS
