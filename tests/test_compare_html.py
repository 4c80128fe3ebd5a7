"""The HTML redline of `compare`: one self-contained, well-formed page (no network, no
dangling link), in the document's language, with word changes marked and each moved
unit linked to its counterpart both ways."""

from __future__ import annotations

import re

import pytest

from contractgen.compare.api import RedlineOptions, compare_files, render

from conftest import TESTS
from preview_support import audit_html, parse_errors

CASES = TESTS / "data" / "compare"


def page(case: str) -> bytes:
    comparison = compare_files(CASES / case / "old.md", CASES / case / "new.md")
    return render(comparison, "html", RedlineOptions(old_name="old.md", new_name="new.md"))


@pytest.mark.parametrize("case", ["zh-move", "en-move", "zh-edit", "en-delete", "zh-identical"])
def test_page_is_clean_and_self_contained(case: str) -> None:
    html = page(case)
    assert audit_html(html) == []
    assert parse_errors(html) == []


def test_moved_blocks_link_both_ways() -> None:
    html = page("zh-move").decode("utf-8")
    there = re.search(r'id="from-(\d+)"[^>]*><p class="head"><del>第五条 保密条款</del>'
                      r'<a class="move-link" href="#to-(\d+)">移至 第八条</a>', html)
    assert there and there[1] == there[2]
    back = re.search(rf'id="to-{there[1]}"[^>]*><p class="head"><ins>第八条 保密条款</ins>'
                     rf'<a class="move-link" href="#from-{there[1]}">移自 第五条</a>', html)
    assert back


def test_labels_follow_the_language() -> None:
    zh, en = page("zh-edit").decode("utf-8"), page("en-edit").decode("utf-8")
    assert '<html lang="zh-CN">' in zh and "并排视图" in zh and "Side by side" not in zh
    assert '<html lang="en">' in en and "Side by side" in en and "并排视图" not in en


def test_word_changes_are_marked_inline_and_side_by_side() -> None:
    html = page("zh-edit").decode("utf-8")
    assert "期限届满前<del>三十</del><ins>十五</ins>日内" in html  # inline
    assert "期限届满前<del>三十</del>日内" in html and "期限届满前<ins>十五</ins>日内" in html  # each side


def test_renumbered_units_show_the_new_number_and_the_old_one_as_a_hint() -> None:
    html = page("en-renumber").decode("utf-8")
    assert '<span class="renumbered" title="was Article 6">Article 5</span>' in html
    assert "<del>" not in html.split('id="inline"')[1].split('id="side-by-side"')[0]


def test_identical_versions_say_so() -> None:
    assert "两个版本相同。" in page("zh-identical").decode("utf-8")


def test_same_inputs_same_bytes() -> None:
    assert page("en-move") == page("en-move")
