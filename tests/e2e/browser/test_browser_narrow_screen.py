"""The portal on a 320 pixel wide screen (WCAG 2.1, 1.4.10 Reflow).

At 320 CSS pixels nothing may need sideways scrolling, except content that
needs two dimensions: data tables, which WCAG names as the exception. Each
page is also checked with axe-core at that width and pictured.
"""

from __future__ import annotations

import pytest
from browser_kit import OpenPage, check_page, log_in
from browser_world import Portal
from playwright.sync_api import Page

NARROW = 320

# Elements outside data tables whose right edge passes the screen's.
TOO_WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter(e => !e.closest('table'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))"""


def narrow_page(open_page: OpenPage) -> Page:
    """A page on a phone-sized screen, in Finnish, whose words are longest."""
    page = open_page("fi-FI")
    page.set_viewport_size({"width": NARROW, "height": 640})
    return page


def assert_reflows(page: Page, name: str) -> None:
    """Fails when anything but a data table is wider than the screen."""
    check_page(page, f"narrow-{name}")
    assert page.evaluate(TOO_WIDE) == [], f"{name} is wider than {NARROW} px"


def test_the_login_pages_fit_a_320_pixel_screen(
    portal: Portal, open_page: OpenPage
) -> None:
    page = narrow_page(open_page)

    page.goto(portal.url + "/portal/")
    assert_reflows(page, "welcome")
    page.click("#login")
    assert_reflows(page, "test-idp")
    page.fill("#code", portal.people.adult)
    page.click("#identify")
    assert_reflows(page, "notice")


@pytest.mark.parametrize(
    "path",
    [
        "/portal/home",
        "/portal/management",
        "/portal/events",
        "/portal/log",
        "/portal/my-data",
        "/portal/my-data/events/ev-a2-visit",
    ],
)
def test_each_page_fits_a_320_pixel_screen_but_for_its_data_tables(
    portal: Portal, open_page: OpenPage, path: str
) -> None:
    page = narrow_page(open_page)
    log_in(page, portal.url, portal.people.adult_with_permission)

    page.goto(portal.url + path)

    assert_reflows(page, path.removeprefix("/portal/").replace("/", "-"))
