"""The HTML redline in headless Chromium: clicking a moved block's link lands on its
counterpart, and the counterpart's link leads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.compare.api import compare_files, render

from conftest import TESTS, require_tool

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CASES = TESTS / "data" / "compare"


@pytest.fixture(scope="module")
def page():
    require_tool(str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("case,old,new", [("zh-move", "第五条", "第八条"), ("en-move", "Article 4", "Article 6")])
def test_moved_block_link_lands_on_its_counterpart(page, tmp_path: Path, case: str, old: str, new: str) -> None:
    out = tmp_path / f"{case}.html"
    out.write_bytes(render(compare_files(CASES / case / "old.md", CASES / case / "new.md"), "html"))
    page.goto(out.as_uri())
    link = page.locator('#inline div[id^="from-"] a.move-link').first
    target = link.get_attribute("href")
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_function(f"location.hash === {target!r}")
    assert in_viewport(page, target)
    landed = page.locator(target)
    assert landed.evaluate("e => e.dataset.kind") == "moved"
    assert landed.locator("ins").first.inner_text().startswith(new)
    back = landed.locator("a.move-link")
    back_target = back.get_attribute("href")
    back.click()
    page.wait_for_function(f"location.hash === {back_target!r}")
    assert in_viewport(page, back_target)
    assert page.locator(back_target).locator("del").first.inner_text().startswith(old)
