"""A screenshot of each page of the web app at 1280 px and 390 px, written to
tests/artifacts/web-<page>-<width>.png (CI keeps that folder), each page checked to
have no sideways scroll: every page must work on a phone.

Each page is shown in the state a person looks at: the form with its preview, the batch
page with the dry run's problems, the check page with its findings.
"""

from __future__ import annotations

import re

import pytest

from preview_support import LEGACY
from web_support import (DESKTOP, HUZHOU, PHONE, WEB_DATA, assert_fits, browser, new_page,  # noqa: F401
                         serving, shot)

pytestmark = pytest.mark.e2e

WIDTHS = {1280: DESKTOP, 390: PHONE}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("web-shots")) as served:
        yield served


def home(page, site) -> None:
    page.goto(site.to("/"))
    page.locator("a[href='/templates']").first.wait_for()


def templates(page, site) -> None:
    page.goto(site.to("/templates"))
    page.locator(f"a[href='/templates/{HUZHOU}']").first.wait_for()


def form(page, site) -> None:
    page.goto(site.to(f"/templates/{HUZHOU}?sample=1"))  # the form filled from sample-data.yaml
    page.frame_locator("#preview").locator("h3").first.wait_for()


def batch(page, site) -> None:
    page.goto(site.to("/batch"))
    page.select_option("#batch-template", HUZHOU)
    page.set_input_files("#batch-file", str(WEB_DATA / "batch-20-rows.csv"))
    page.click("#batch-upload")
    page.locator("#dry-run-problems").wait_for()
    page.locator("#dry-run").scroll_into_view_if_needed()


def check(page, site) -> None:
    page.goto(site.to("/check"))
    page.set_input_files("#check-files", str(LEGACY))
    page.click("#check-submit")
    page.wait_for_url(re.compile(r"/check/result"))
    page.frame_locator("#check-preview").locator(".finding").first.wait_for()


def clauses(page, site) -> None:
    page.goto(site.to("/clauses"))
    page.locator("#clause-topics").wait_for()


def frame_fits(page, frame_id: str) -> None:
    """The contract in the page's preview frame does not scroll sideways either."""
    width = page.locator(f"#{frame_id}").evaluate(
        "f => [f.contentDocument.documentElement.scrollWidth, f.contentDocument.documentElement.clientWidth]")
    assert width[0] <= width[1], width


FRAMES = {"form": "preview", "check": "check-preview"}
PAGES = {"home": home, "templates": templates, "form": form, "batch": batch, "check": check, "clauses": clauses}


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_screenshot_without_sideways_scroll(browser, site, name: str, width: int) -> None:
    page = new_page(browser, WIDTHS[width])
    try:
        PAGES[name](page, site)
        assert_fits(page)
        shot(page, f"web-{name}-{width}.png")
        if name in FRAMES:
            frame_fits(page, FRAMES[name])
            if width == 390:  # on a phone the contract is below the form: show it too
                page.locator(f"#{FRAMES[name]}").scroll_into_view_if_needed()
                shot(page, f"web-{name}-preview-{width}.png")
    finally:
        page.context.close()
