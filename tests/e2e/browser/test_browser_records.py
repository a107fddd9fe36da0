"""The disclosure log, service events and the language, in a real browser (issue 5).

The demo adult with a permission has four logged decisions (three for care,
one in an emergency; three go to the Medical Centre) and two service events;
the demo parent's 12-year-old has events before age 10 and later ones with
each capacity mark (REP-7).
"""

from __future__ import annotations

import io

import pytest
from browser_kit import OpenPage, act_for, check_page, log_in
from browser_world import Portal
from playwright.sync_api import Page, expect

from kanta_consent.adapters.logging import configure_logging


def test_log_2_the_disclosure_log_lists_each_decision_with_recipient_and_basis(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.adult_with_permission)
    page.goto(portal.url + "/portal/home")

    page.click("nav a[href='/portal/log']")

    expect(page).to_have_url(portal.url + "/portal/log")
    rows = page.locator("#log-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="Demo Medical Centre Ltd")).to_have_count(3)
    expect(rows.filter(has_text="Demo Occupational Health Ltd")).to_have_count(1)
    check_page(page, "log-adult")


def test_rep_4_a_guardian_asking_for_the_childs_log_by_address_is_refused(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.parent)
    act_for(page, portal.url, "guardian", portal.people.child_16)

    response = page.goto(portal.url + "/portal/log")

    assert response is not None
    assert response.status == 403
    expect(page.locator("#log-table")).to_have_count(0)
    check_page(page, "log-refused-to-guardian")


def test_inf_7_an_adult_sees_their_service_events_newest_first(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.adult_with_permission)
    page.goto(portal.url + "/portal/home")

    page.click("nav a[href='/portal/events']")

    rows = page.locator("#event-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_id("event-ev-a2-clinic")
    expect(rows.nth(1)).to_have_id("event-ev-a2-visit")
    check_page(page, "events-adult")


def test_rep_7_a_guardian_sees_a_12_year_olds_events_before_ten_and_marked_ones(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.parent)
    act_for(page, portal.url, "guardian", portal.people.child_12)

    page.click("nav a[href='/portal/events']")

    expect(page.locator("#guardian-events")).to_be_visible()
    shown = page.locator("#event-table tbody tr")
    expect(shown).to_have_count(3)
    for event in ("ev-c12-early", "ev-c12-cap1", "ev-c12-cap2"):
        expect(page.locator(f"#event-{event}")).to_have_count(1)
    for event in ("ev-c12-cap3", "ev-c12-cap4"):
        expect(page.locator(f"#event-{event}")).to_have_count(0)
    check_page(page, "events-guardian-of-12-year-old")


# The month of the demo acknowledgement (20 February 2026), as Babel writes it.
MONTHS = {"fi": "helmikuuta", "sv": "februari", "en": "February"}


@pytest.mark.parametrize("language", ["sv", "fi", "en"])
def test_switching_language_keeps_the_page_and_changes_its_language(
    portal: Portal, page: Page, language: str
) -> None:
    log_in(page, portal.url, portal.people.adult_with_permission)
    page.goto(portal.url + "/portal/home")

    page.click(f"#lang-{language}")

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(f"#lang-{language}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#notice-status")).to_contain_text(MONTHS[language])
    check_page(page, f"language-home-{language}")
    page.click("nav a[href='/portal/management']")
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_page(page, f"language-management-{language}")


@pytest.mark.parametrize(
    ("locale", "language"), [("fi-FI", "fi"), ("sv-FI", "sv"), ("en-GB", "en")]
)
def test_the_first_page_speaks_the_browsers_language(
    portal: Portal, open_page: OpenPage, locale: str, language: str
) -> None:
    page = open_page(locale)

    page.goto(portal.url + "/portal/")

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(f"#lang-{language}")).to_have_attribute("aria-pressed", "true")
    check_page(page, f"language-welcome-{language}")


def test_every_language_has_its_own_words_for_the_front_page(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.adult_with_permission)
    page.goto(portal.url + "/portal/home")
    words = {}

    for language in ("fi", "sv", "en"):
        page.click(f"#lang-{language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        words[language] = (page.title(), page.inner_text("nav"), page.inner_text("h1"))

    for part in range(3):
        assert len({texts[part] for texts in words.values()}) == 3, words


def test_no_identity_code_appears_in_any_address_or_in_the_portals_log(
    portal: Portal, page: Page
) -> None:
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))
    people = portal.people
    log = io.StringIO()
    configure_logging("json", stream=log)

    log_in(page, portal.url, people.parent, fresh=True)
    act_for(page, portal.url, "guardian", people.child_12)
    for path in ("/portal/home", "/portal/management", "/portal/my-data"):
        page.goto(portal.url + path)
    page.click("#my-events tbody tr a >> nth=0")
    page.click("#logout")
    log_in(page, portal.url, people.adult_with_permission, fresh=True)
    for path in ("/portal/events", "/portal/log", "/portal/my-data?on=2026-01-15"):
        page.goto(portal.url + path)

    codes = [getattr(people, name) for name in people.__dataclass_fields__]
    lines = log.getvalue().splitlines()
    assert len(addresses) > 20
    assert [a for a in addresses if any(c in a or c[:6] in a for c in codes)] == []
    assert len(lines) > 20
    assert [line for line in lines if any(c in line for c in codes)] == []


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/portal/"),
        ("adult", "/portal/notice"),
        ("parent", "/portal/act-for"),
        ("adult_with_permission", "/portal/events"),
        ("adult_with_permission", "/portal/log"),
    ],
)
def test_switching_language_on_any_page_stays_on_that_page(
    portal: Portal, page: Page, who: str | None, path: str
) -> None:
    if who:
        log_in(page, portal.url, getattr(portal.people, who))
    page.goto(portal.url + path)

    for language in ("sv", "fi"):
        page.click(f"#lang-{language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert page.url == portal.url + path


def test_switching_language_on_the_test_login_keeps_the_login_going(
    portal: Portal, page: Page
) -> None:
    page.goto(portal.url + "/portal/")
    page.click("#login")
    page.wait_for_url("**/portal/test-idp/authorize?**")
    login_address = page.url

    page.click("#lang-sv")
    assert page.url == login_address
    page.fill("#code", portal.people.adult_with_permission)
    page.click("#identify")

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
