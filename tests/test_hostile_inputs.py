"""Hostile DOCX and text files (issue 20, items 2 and 3): each reproducer is built here, then
checked by `contractgen check` in a child process, exactly as a user would run it.

Each must exit 2 with one clear line naming the file and the limit (or 0/1 where the file is
in fact valid), show no traceback, stay under 1 GiB of resident memory (``ru_maxrss`` of the
child, with caps of 4 GiB of address space and 120 s of CPU as guards), and cost at most
BUDGET times a small valid DOCX checked in the same run, scaled by the file's size — never an
absolute time. Before these limits, the 1.6 KB file with ``w:start`` = 10^15 grew past 5 GB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from docx_factory import NAMESPACES, build_docx, level, numbering_xml, para

GiB = 1024 ** 3
MAX_RSS = 1 * GiB
ADDRESS_SPACE = 4 * GiB
CPU_SECONDS = 120  # a guard: a regression fails the budget instead of hanging the run
BUDGET = 5  # times the valid file's CPU time, per unit of size ratio
W_DOC = f'<?xml version="1.0" encoding="UTF-8"?><w:document {NAMESPACES}><w:body>'
W_END = "</w:body></w:document>"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    rss: int  # bytes
    cpu: float  # seconds, user + system

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_check(*args: str | Path) -> Run:
    """`contractgen check ARGS` in a child process; its exit code, output, peak RSS and CPU."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", "from contractgen.cli import main; main()", "check",
                                 *map(str, args)], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                preexec_fn=_limit_memory, env={**os.environ, "CONTRACTGEN_DEBUG": ""})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


# -- builders: each writes one reproducer and returns its path --------------------------------

def _zip(path: Path, parts: dict[str, bytes | Callable], method: int = zipfile.ZIP_DEFLATED) -> Path:
    """A bare package (the reader finds word/document.xml without relationships); a part given
    as a callable writes itself into the open member, so huge parts are streamed."""
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            if callable(data):
                with archive.open(name, "w", force_zip64=True) as member:
                    data(member)
            else:
                archive.writestr(name, data)
    return path


def _listed(path: Path, fmt: str, start: int) -> Path:
    numbering = numbering_xml({1: [level(0, fmt, "%1.", start=start)]}, {1: 1})
    return build_docx(path, para("Services", num=(1, 0)) + para("Fees", num=(1, 0)), numbering=numbering)


def _text_part(megabytes: int, node: int, root: str = "w:document") -> Callable:
    """A part of ``megabytes`` of text in one run, in text nodes of ``node`` MiB each."""
    def write(member) -> None:
        member.write(f'<?xml version="1.0"?><{root} {NAMESPACES}><w:body><w:p><w:r><w:t>'.encode())
        block = b"a" * (1024 * 1024)
        for i in range(megabytes):
            member.write(block if (i + 1) % node else block + b"</w:t><w:t>")
        member.write(f"</w:t></w:r></w:p></w:body></{root}>".encode())
    return write


def _huge_text(path: Path, megabytes: int, node: int) -> Path:
    return _zip(path, {"word/document.xml": _text_part(megabytes, node)})


def _three_parts(path: Path) -> Path:
    names = ("document", "styles", "numbering")
    return _zip(path, {f"word/{name}.xml": _text_part(60, 5, f"w:{name}") for name in names})


def _empty_paragraphs(path: Path, count: int) -> Path:
    def write(member) -> None:
        member.write(W_DOC.encode())
        block = b"<w:p/>" * 100_000
        for _ in range(count // 100_000):
            member.write(block)
        member.write(W_END.encode())
    return _zip(path, {"word/document.xml": write})


def _nested(path: Path, tag: str, depth: int) -> Path:
    opening, closing = {
        "ins": ('<w:ins w:id="1" w:author="x">', "</w:ins>"),
        "smartTag": ('<w:smartTag w:element="x">', "</w:smartTag>"),
        "hyperlink": ('<w:hyperlink w:anchor="a">', "</w:hyperlink>"),
        "fldSimple": ('<w:fldSimple w:instr="PAGE">', "</w:fldSimple>"),
        "sdt": ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
    }[tag]
    inner = '<w:r><w:t>第一条 服务内容</w:t></w:r>'
    body = f"<w:p>{opening * depth}{inner}{closing * depth}</w:p>"
    return build_docx(path, body)


def _paragraph_attr(path: Path, xml: str) -> Path:
    numbering = numbering_xml({1: [level(0, "decimal", "%1.")]}, {1: 1})
    body = f'<w:p><w:pPr>{xml}</w:pPr><w:r><w:t>Services</w:t></w:r></w:p>' + para("Fees", num=(1, 0))
    return build_docx(path, body, numbering=numbering)


def _patched(path: Path, local: dict[int, bytes], central: dict[int, bytes]) -> Path:
    """A valid stored package with bytes of every local and central header replaced."""
    build_docx(path, para("Services"))
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    _zip(path, parts, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    for signature, fields in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        at = data.find(signature)
        while at >= 0:
            for offset, value in fields.items():
                data[at + offset:at + offset + len(value)] = value
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def _style_chain(path: Path, length: int) -> Path:
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="s{i}"><w:name w:val="s{i}"/>'
                     f'<w:basedOn w:val="s{i + 1}"/></w:style>' for i in range(length))
    return build_docx(path, para("Services", style="s0"), styles=styles)


def _entities(path: Path) -> Path:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    document = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">{laughs}]>'
                f'<w:document {NAMESPACES}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>{W_END}')
    return _zip(path, {"word/document.xml": document.encode()})


def _members(path: Path, count: int) -> Path:
    build_docx(path, para("Services"))
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(count):
            archive.writestr(f"customXml/item{i}.xml", b"")
    return path


def _text(path: Path, line: str) -> Path:
    path.write_text(f"服务合同\n\n第一条 服务\n乙方提供服务。\n\n{line}\n\n第三条 其他\n见{line[:5010]}。\n", encoding="utf-8")
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _set(path: Path, yaml_text: str) -> Path:
    for name in ("main.md", "annex.md"):
        (path.parent / name).write_text("# 合同\n\n## 第一条 服务\n\n乙方提供服务。\n", encoding="utf-8")
    path.write_text(yaml_text, encoding="utf-8")
    return path


DIGITS = "9" * 5000
# name -> (file name, builder, exit codes allowed, what the message must say)
CASES: dict[str, tuple[str, Callable[[Path], Path], set[int], str]] = {
    "start-1e15-upper-roman": ("roman.docx", lambda p: _listed(p, "upperRoman", 10**15), {2}, "16 digits"),
    "start-1e10-upper-letter": ("letter.docx", lambda p: _listed(p, "upperLetter", 10**10), {2}, "11 digits"),
    "start-near-1e9-upper-letter": ("letter9.docx", lambda p: _listed(p, "upperLetter", 999_999_999), {2},
                                    "a list counts to 999,999,999 (the limit is 1,000,000)"),
    "start-500000-upper-letter": ("long-label.docx", lambda p: _listed(p, "upperLetter", 500_000), {2},
                                  "a list label of 19,232 characters (the limit is 200)"),
    "start-1e16-chinese": ("cn2an.docx", lambda p: _listed(p, "chineseCountingThousand", 10**16), {2}, "17 digits"),
    "start-999999-chinese": ("chinese-ok.docx", lambda p: _listed(p, "chineseCountingThousand", 999_999), {0, 1},
                             ""),
    "text-run-200-mb": ("run.docx", lambda p: _huge_text(p, 200, 5), {2},
                        "word/document.xml inflates past 64 MiB (the limit for one part)"),
    "text-node-200-mb": ("node.docx", lambda p: _huge_text(p, 200, 1000), {2}, "text node over 10,000,000 bytes"),
    "parts-3x60-mb": ("parts.docx", _three_parts, {2}, "its parts inflate past 160 MiB (the limit for all parts)"),
    "empty-paragraphs-16-mb": ("paras16.docx", lambda p: _empty_paragraphs(p, 2_700_000), {2},
                               "more than 1,000,000 XML elements (the limit for one part)"),
    "empty-paragraphs-150-mb": ("paras150.docx", lambda p: _empty_paragraphs(p, 26_000_000), {2},
                                "more than 1,000,000 XML elements"),
    "paragraphs-250000": ("paras250k.docx", lambda p: _empty_paragraphs(p, 300_000), {2},
                          "more than 200,000 paragraphs"),
    **{f"nested-{tag}-10000": (f"deep-{tag}.docx", lambda p, t=tag: _nested(p, t, 10_000), {2},
                               "nests elements more than 200 deep") for tag in
       ("ins", "sdt", "smartTag", "hyperlink", "fldSimple")},
    **{f"nested-{tag}-{depth}": (f"deep-ok-{tag}.docx", lambda p, t=tag, d=depth: _nested(p, t, d), {0, 1}, "")
       for tag, depth in (("ins", 190), ("sdt", 95), ("smartTag", 190), ("hyperlink", 190))},
    "fields-nested-60": ("fields.docx", lambda p: _nested(p, "fldSimple", 60), {2}, "fields nest more than 50"),
    "ilvl-superscript-two": ("ilvl2.docx", lambda p: _paragraph_attr(
        p, '<w:numPr><w:ilvl w:val="²"/><w:numId w:val="1"/></w:numPr>'), {0, 1}, ""),
    "outline-superscript-two": ("outline2.docx", lambda p: _paragraph_attr(p, '<w:outlineLvl w:val="²"/>'),
                                {0, 1}, ""),
    "ilvl-5000-digits": ("ilvl5000.docx", lambda p: _paragraph_attr(
        p, f'<w:numPr><w:ilvl w:val="{DIGITS}"/><w:numId w:val="1"/></w:numPr>'), {2},
        "a number of 5,000 digits (the limit is 9) in w:ilvl"),
    "outline-5000-digits": ("outline5000.docx", lambda p: _paragraph_attr(p, f'<w:outlineLvl w:val="{DIGITS}"/>'),
                            {2}, "a number of 5,000 digits (the limit is 9)"),
    "compression-method-99": ("method.docx", lambda p: _patched(p, {8: b"\x63\x00"}, {10: b"\x63\x00"}), {2},
                              "uses zip compression method 99"),
    "zip-version-9.9": ("version.docx", lambda p: _patched(p, {4: b"\x63\x00"}, {6: b"\x63\x00"}), {2},
                        "uses a zip feature no Word document uses"),
    "encrypted-member": ("encrypted.docx", lambda p: _patched(p, {6: b"\x01\x00"}, {8: b"\x01\x00"}), {2},
                         "is encrypted"),
    "style-chain-1000": ("styles.docx", lambda p: _style_chain(p, 1000), {2},
                         "styles are based on each other more than 100 deep"),
    "billion-laughs": ("laughs.docx", _entities, {2}, "declares a DTD"),
    "doctype": ("doctype.docx", lambda p: _zip(p, {"word/document.xml": (
        '<?xml version="1.0"?><!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/x.dtd">'
        f'<w:document {NAMESPACES}><w:body>{W_END}').encode()}), {2}, "declares a DTD"),
    "members-6000": ("members.docx", lambda p: _members(p, 6000), {2}, "the archive lists 6,004 members"),
    "txt-article-5000-digits": ("article.txt", lambda p: _text(p, f"第{DIGITS}条 费用"), {0, 1}, ""),
    "txt-section-5000-digits": ("section.txt", lambda p: _text(p, f"Section {DIGITS}.1 Fees"), {0, 1}, ""),
    "txt-attachment-5000-digits": ("annex.txt", lambda p: _text(p, f"附件{DIGITS} 报价单"), {0, 1}, ""),
    "set-attachment-superscript": ("set.yaml", lambda p: _set(p, "main: main.md\nattachments: {²: annex.md}\n"),
                                   {2}, "(numbers run from 1 to 1,000,000)"),
    "set-attachment-5000-digits": ("set.yaml", lambda p: _set(p, f"main: main.md\nattachments:\n  ? {DIGITS}\n"
                                                               "  : annex.md\n"), {2}, "not valid YAML: Exceeds"),
    "set-nested-5000": ("set.yaml", lambda p: _set(p, f"main: main.md\naddenda: {'[' * 5000}{']' * 5000}\n"), {2},
                        "the contract set nests more than 20 deep"),
    "set-valid": ("set.yaml", lambda p: _set(p, "main: main.md\nattachments: {1: annex.md}\n"), {0, 1}, ""),
    "txt-17-mib": ("big.txt", lambda p: _write(p, "第一条 服务\n" + "乙方提供服务。" * (17 * 2**20 // 21)), {2},
                   "(the limit for a text contract is 16 MiB)"),
    "txt-300000-lines": ("lines.txt", lambda p: _write(p, "第一条 服务\n" + "\r" * 300_000), {2},
                         "more than 200,000 lines (the limit)"),
    "txt-line-5-m-chars": ("line.md", lambda p: _write(p, "# 合同\n\n" + "<" * 5_000_000), {2},
                           "a line of 5,000,000 characters (the limit is 4,000,000)"),
    "docx-300000-breaks": ("breaks.docx", lambda p: build_docx(
        p, "<w:p><w:r>" + "<w:t>x</w:t><w:br/>" * 300_000 + "</w:r></w:p>"), {2}, "more than 200,000 lines"),
    "md-article-5000-digits": ("article.md", lambda p: _text(p, f"## 第{DIGITS}条 费用"), {0, 1}, ""),
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[Path, Run]:
    """A small valid DOCX and its check, the yardstick for time (same machine, same run)."""
    folder = tmp_path_factory.mktemp("valid")
    numbering = numbering_xml({1: [level(0, "chineseCountingThousand", "第%1条")]}, {1: 1})
    path = build_docx(folder / "valid.docx", para("服务内容", num=(1, 0)) + para("乙方提供服务。")
                      + para("服务费用", num=(1, 0)) + para("甲方付款，见第三条。"), numbering=numbering)
    run = run_check(path)
    assert run.code == 0 and "valid.docx:4: warning dangling-reference" in run.output, run.output  # read and checked
    return path, run


# Cases whose remaining crash is outside the readers, with the owner's fix named.
KNOWN: dict[str, str] = {}  # cases still failing, with the reason (none now)


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN[n], strict=True))
                                  if n in KNOWN else n for n in sorted(CASES)])
def test_hostile_file_is_refused_or_read_within_budget(name: str, tmp_path: Path, baseline) -> None:
    file_name, build, codes, message = CASES[name]
    path = build(tmp_path / file_name)
    run = run_check(path)
    assert run.code in codes, f"{name}: exit {run.code}\n{run.output[-2000:]}"
    assert "Traceback" not in run.output and "internal error" not in run.output, run.output[-2000:]
    if run.code == 2:
        assert f"{path}: " in run.stderr and message in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr  # one line, no noise
    assert run.rss < MAX_RSS, f"{name}: peak RSS {run.rss / 2**20:.0f} MiB"
    valid, yardstick = baseline
    scale = max(1.0, path.stat().st_size / valid.stat().st_size)
    assert run.cpu <= BUDGET * scale * max(yardstick.cpu, 0.05), f"{name}: {run.cpu:.2f}s CPU"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_one_hostile_file_among_valid_ones(fmt: str, tmp_path: Path, baseline) -> None:
    valid, _ = baseline
    hostile = _listed(tmp_path / "roman.docx", "upperRoman", 10**15)
    gap = tmp_path / "gap.md"
    gap.write_text("# 合同\n\n## 第一条 服务\n\n乙方提供服务。\n\n## 第三条 费用\n\n甲方付款。\n", encoding="utf-8")
    run = run_check("--format", fmt, valid, hostile, gap)
    assert run.code == 2 and "Traceback" not in run.output, run.output
    assert run.rss < MAX_RSS
    if fmt == "json":
        by_name = {Path(entry["path"]).name: entry for entry in json.loads(run.stdout)["files"]}
        assert "dangling-reference" in [f["code"] for f in by_name["valid.docx"]["findings"]]
        assert [f["code"] for f in by_name["gap.md"]["findings"]] == ["numbering-gap"]
        assert "16 digits" in by_name["roman.docx"]["error"]
    else:
        assert "valid.docx:4: warning dangling-reference" in run.output
        assert "gap.md:7: error numbering-gap" in run.output
        assert f"{hostile}: a number of 16 digits" in run.output
