"""My data and who can see it, in a real browser, in three languages (issue 6).

The demo adult (901) has five events, one of them social welfare; the
demo adult with a permission (902) has a health permission since ten days
before NOW and a prohibition on one clinic event; the parent's 12-year-old
has events before age 10 and later ones with each capacity mark (REP-7).
Tests that change choices run on a portal of their own.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_kit import OpenPage, act_for, check_page, log_in, pass_gate_if_asked
from browser_world import Portal
from playwright.sync_api import Page, expect

from kanta_consent.domain.codes import Purpose
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import ServiceEvent
from kanta_consent.services.consent import ConsentService

LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
LANGUAGES = list(LOCALES)


def enter(open_page: OpenPage, portal: Portal, code: str, language: str) -> Page:
    """Logs in with the browser asking for the language; passes the gate if asked."""
    page = open_page(LOCALES[language])
    log_in(page, portal.url, code)
    pass_gate_if_asked(page)
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page


def row_ids(page: Page, table: str) -> list[str]:
    """Returns the ids of a table's body rows, top to bottom."""
    rows = page.locator(f"#{table} tbody tr")
    return [rows.nth(i).get_attribute("id") or "" for i in range(rows.count())]


@pytest.mark.parametrize("language", LANGUAGES)
def test_inf_7_an_adult_sees_health_and_social_welfare_events_newest_first(
    portal: Portal, open_page: OpenPage, language: str
) -> None:
    page = enter(open_page, portal, portal.people.adult, language)

    page.click("nav a[href='/portal/my-data']")

    assert row_ids(page, "my-events") == [
        "event-ev-a1-work",
        "event-ev-a1-family",
        "event-ev-a1-clinic",
        "event-ev-a1-visit",
        "event-ev-a1-old",
    ]
    expect(page.locator("#who-can-see-all")).to_be_visible()
    check_page(page, f"my-data-adult-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_rep_7_a_guardian_of_a_12_year_old_sees_early_events_and_marked_ones(
    portal: Portal, open_page: OpenPage, language: str
) -> None:
    page = enter(open_page, portal, portal.people.parent, language)
    act_for(page, portal.url, "guardian", portal.people.child_12)

    page.click("nav a[href='/portal/my-data']")

    expect(page.locator("#guardian-events")).to_be_visible()
    # Before ten always; after it only marked "cannot decide" or "allows".
    assert row_ids(page, "my-events") == [
        "event-ev-c12-cap2",
        "event-ev-c12-cap1",
        "event-ev-c12-early",
    ]
    check_page(page, f"my-data-guardian-of-12-year-old-{language}")


def care_registers(page: Page, table: str) -> list[str]:
    """Returns the registers a reach table lists, in its order."""
    rows = page.locator(f"#{table} tbody tr")
    return [
        rows.nth(i).get_attribute("data-register") or "" for i in range(rows.count())
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pro_1_who_can_see_an_event_before_and_after_prohibiting_it(
    fresh_portal: Portal, open_page: OpenPage, language: str
) -> None:
    portal = fresh_portal
    page = enter(open_page, portal, portal.people.adult_with_permission, language)
    page.goto(portal.url + "/portal/my-data")
    page.click("#event-ev-a2-visit a")
    expect(page.locator("#event-facts")).to_be_visible()
    before = care_registers(page, "event-care")
    check_page(page, f"who-can-see-before-prohibition-{language}")

    page.goto(portal.url + "/portal/management")
    page.check("#target-service-event-ev-a2-visit")
    page.click("#prohibit")
    loss = page.locator("#preview-changes tr.loss[data-register='reg-clinic']")
    expect(loss).not_to_have_count(0)
    check_page(page, f"who-can-see-prohibition-preview-{language}")
    portal.clock.moment += timedelta(minutes=1)
    page.click("#confirm")
    page.goto(portal.url + "/portal/my-data/events/ev-a2-visit")

    assert "reg-clinic" in before
    expect(page.locator("#event-care-none")).to_be_visible()
    expect(
        page.locator("#event-emergency tr[data-register='reg-clinic']")
    ).to_have_count(0)
    expect(page.locator("#preview-changes")).to_have_count(0)
    check_page(page, f"who-can-see-after-prohibition-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_dis_11_who_can_see_an_event_as_of_a_day_before_the_permission(
    portal: Portal, open_page: OpenPage, language: str
) -> None:
    page = enter(open_page, portal, portal.people.adult_with_permission, language)
    page.goto(portal.url + "/portal/my-data/events/ev-a2-visit")
    expect(page.locator("#event-care tr[data-register='reg-clinic']")).to_have_count(1)
    # The permission was given ten days before NOW; twenty days before, none.
    day = (portal.clock.now().astimezone(HELSINKI) - timedelta(days=20)).date()

    page.fill("#on", day.isoformat())
    page.click("#as-of-show")

    expect(page.locator("#as-of-note")).to_be_visible()
    expect(page.locator("#event-care tr[data-register='reg-clinic']")).to_have_count(0)
    expect(
        page.locator("#event-emergency tr[data-register='reg-clinic']")
    ).to_have_count(1)
    check_page(page, f"who-can-see-as-of-past-day-{language}")
    page.click("#as-of-now")
    expect(page.locator("#event-care tr[data-register='reg-clinic']")).to_have_count(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dis_9_an_emergency_disclosure_since_the_last_visit_shows_on_the_front_page(
    portal: Portal, open_page: OpenPage, language: str
) -> None:
    person = portal.people.adult
    consent = ConsentService(portal.store)
    portal.clock.moment += timedelta(hours=1)
    data = consent.event_data("ev-a1-visit")[1]
    decision = consent.decide(
        person, data, "reg-clinic", Purpose.EMERGENCY, portal.clock.now()
    )
    portal.clock.moment += timedelta(hours=1)

    page = enter(open_page, portal, person, language)

    assert decision.is_permit
    notice = page.locator("#emergency-notice")
    expect(notice).to_be_visible()
    expect(notice.locator("li")).to_have_count(1)
    expect(notice.locator("li")).to_contain_text("Demo Medical Centre Ltd")
    check_page(page, f"emergency-on-front-page-{language}")
    page.click("#emergency-notice a[href='/portal/log']")
    expect(page.locator("#log-table .emergency-mark")).not_to_have_count(0)
    check_page(page, f"emergency-in-disclosure-log-{language}")


def test_inf_7_my_data_shows_fifty_events_a_page_newest_first(
    fresh_portal: Portal, page: Page
) -> None:
    portal = fresh_portal
    person = portal.people.adult_with_permission
    today = portal.clock.now().astimezone(HELSINKI).date()
    # Sixty more visits, one a week: with the demo's two, 62 events in all.
    portal.store.add_events(
        [
            ServiceEvent(f"ev-weekly-{n:02d}", person, "reg-county-health", day)
            for n in range(60)
            for day in [today - timedelta(days=7 * n + 1)]
        ]
    )
    log_in(page, portal.url, person)

    page.goto(portal.url + "/portal/my-data")

    expect(page.locator("#my-events tbody tr")).to_have_count(50)
    expect(page.locator("#my-events tbody tr").first).to_have_id("event-ev-weekly-00")
    check_page(page, "my-data-first-page-of-two")
    page.click("#pager a[rel=next]")
    expect(page.locator("#my-events tbody tr")).to_have_count(12)
    expect(page.locator("#my-events tbody tr").last).to_have_id("event-ev-weekly-59")
    expect(page.locator("#pager a[rel=next]")).to_have_count(0)
    check_page(page, "my-data-second-page-of-two")
    page.click("#pager a[rel=prev]")
    expect(page.locator("#my-events tbody tr")).to_have_count(50)


@pytest.mark.parametrize(
    "path",
    [
        "/portal/my-data?on=2026-02-10",
        "/portal/my-data?page=1",
        "/portal/my-data/events/ev-a2-visit",
        "/portal/my-data/events/ev-a2-visit?on=2026-02-10",
    ],
)
def test_switching_language_on_a_my_data_page_stays_on_that_page(
    portal: Portal, page: Page, path: str
) -> None:
    log_in(page, portal.url, portal.people.adult_with_permission)
    page.goto(portal.url + path)

    page.click("#lang-sv")

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url == portal.url + path


def test_rep_4_an_emergency_disclosure_is_told_to_the_child_but_not_to_a_guardian(
    portal: Portal, open_page: OpenPage
) -> None:
    child = portal.people.child_16
    consent = ConsentService(portal.store)
    portal.clock.moment += timedelta(hours=1)
    data = consent.event_data("ev-c16-visit")[1]
    decision = consent.decide(
        child, data, "reg-clinic", Purpose.EMERGENCY, portal.clock.now()
    )
    portal.clock.moment += timedelta(hours=1)
    guardian = enter(open_page, portal, portal.people.parent, "en")

    act_for(guardian, portal.url, "guardian", child)
    guardian.goto(portal.url + "/portal/home")
    own = enter(open_page, portal, child, "en")

    assert decision.is_permit
    expect(guardian.locator("#acting-for")).to_be_visible()
    expect(guardian.locator("#emergency-notice")).to_have_count(0)
    check_page(guardian, "emergency-not-told-to-guardian")
    expect(own.locator("#emergency-notice li")).to_have_count(1)
    check_page(own, "emergency-told-to-child-16")
