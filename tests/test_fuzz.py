"""A fuzzing harness over the readers and checks: inputs made from the repository's own
contracts (tests/data and the real-contract corpus) by random edits, and raw random text,
go through `check` exactly as a user's file would. Every input must give findings or a clear
UserError (exit 2) — never any other exception (exit 3, a bug).

The number of examples is bounded and derandomised, so CI runs the same inputs every time;
CONTRACTGEN_FUZZ_EXAMPLES scales it (CI sets 10,000 in all; the default keeps `make test`
quick on a laptop). A failure prints the input hypothesis shrank it to.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractgen.checking import check_file
from contractgen.diagnostics import UserError

from conftest import TESTS

TOTAL = int(os.environ.get("CONTRACTGEN_FUZZ_EXAMPLES", "1200"))
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


@_settings(0.35)
@given(edited_seed(), st.sampled_from([".txt", ".md"]))
def test_edited_real_contracts_never_crash_check(text: str, suffix: str) -> None:
    _check(text, suffix)


@_settings(0.25)
@given(RANDOM_TEXT, st.sampled_from([".txt", ".md"]))
def test_random_text_never_crashes_check(text: str, suffix: str) -> None:
    _check(text, suffix)


@_settings(0.1)
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
