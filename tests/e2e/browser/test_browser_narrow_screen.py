"""The portal on a 320 pixel wide screen (WCAG 2.1, 1.4.10 Reflow).

At 320 CSS pixels the page itself never scrolls sideways. Data tables, which
WCAG names as the exception, scroll inside a focusable region of their own
(`.table-scroll`), so only they move, and the buttons in them wrap. Each
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
  .filter(e => !e.closest('.table-scroll table'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))"""


def narrow_page(open_page: OpenPage) -> Page:
    """A page on a phone-sized screen, in Finnish, whose words are longest."""
    page = open_page("fi-FI")
    page.set_viewport_size({"width": NARROW, "height": 640})
    return page


# The width of the whole page: more than the screen means sideways scrolling.
PAGE_WIDTH = "() => document.documentElement.scrollWidth"

# Data tables that are not inside a scroll region of their own.
LOOSE_TABLES = """() => [...document.querySelectorAll('table')]
  .filter(t => !t.closest('.table-scroll[tabindex="0"][role="region"][aria-label]'))
  .map(t => t.id)"""


def assert_reflows(page: Page, name: str) -> None:
    """Fails when the page scrolls sideways or a table has no region of its own."""
    check_page(page, f"narrow-{name}")
    assert page.evaluate(PAGE_WIDTH) <= NARROW, f"{name} scrolls sideways"
    assert page.evaluate(TOO_WIDE) == [], f"{name} is wider than {NARROW} px"
    assert page.evaluate(LOOSE_TABLES) == [], f"{name}: a table without a region"


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


def test_the_permission_buttons_are_whole_on_a_390_pixel_screen(
    portal: Portal, open_page: OpenPage
) -> None:
    page = narrow_page(open_page)
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, portal.url, portal.people.adult_with_permission)

    page.goto(portal.url + "/portal/management")

    check_page(page, "narrow-390-management")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#permission-table button')]
          .filter(b => b.getBoundingClientRect().right > window.innerWidth)
          .map(b => b.id)"""
    )
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert cut == []
