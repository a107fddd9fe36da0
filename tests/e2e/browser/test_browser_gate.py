"""The notice gate in a real browser: acknowledging, declining, minors (issue 5).

Each test logs in a different demo person, so the module's tests share one
portal and still do not depend on each other's order.
"""

from __future__ import annotations

from browser_kit import check_page, log_in
from browser_world import Portal
from playwright.sync_api import Page, expect

from kanta_consent.domain.codes import ActorRole
from kanta_consent.services.portal import NoticeStatus, PortalService


def notice_status(portal: Portal, person: str) -> NoticeStatus:
    """Returns the person's notice status as the store holds it now."""
    return PortalService(portal.store).notice_status(person, portal.clock.now())


def test_inf_2_an_adult_acknowledges_the_notice_at_first_login_and_reaches_home(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.adult, name="gate")
    expect(page).to_have_url(portal.url + "/portal/notice")
    expect(page.locator("#notice-for-self")).to_be_visible()
    check_page(page, "gate-notice-for-self")

    page.click("#acknowledge")

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#notice-status .status-ok")).to_be_visible()
    expect(page.locator("#acting-for")).to_be_visible()
    check_page(page, "gate-home-after-acknowledging")
    status = notice_status(portal, portal.people.adult)
    assert status.acknowledgement is not None
    assert status.acknowledgement.actor.role is ActorRole.SELF
    assert status.acknowledgement.version == status.current


def test_inf_2_declining_the_notice_logs_the_person_out_and_acknowledges_nothing(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.principal)
    expect(page).to_have_url(portal.url + "/portal/notice")

    page.click("#decline")

    expect(page).to_have_url(portal.url + "/portal/")
    expect(page.locator("#flash")).to_be_visible()
    expect(page.locator("#login")).to_be_visible()
    expect(page.locator("#logout")).to_have_count(0)
    check_page(page, "gate-declined-logged-out")
    page.goto(portal.url + "/portal/home")
    expect(page.locator("#login")).to_be_visible()
    assert notice_status(portal, portal.people.principal).acknowledgement is None


def test_min_1_a_twelve_year_old_enters_without_the_gate_and_sees_the_status(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.child_12)

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#notice-status .status-no")).to_be_visible()
    check_page(page, "gate-minor-12-home")
    assert notice_status(portal, portal.people.child_12).acknowledgement is None


def test_min_3_a_sixteen_year_old_sees_the_acknowledgement_their_guardian_made(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.child_16)

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#notice-status .status-ok")).to_be_visible()
    check_page(page, "gate-minor-16-home")
    status = notice_status(portal, portal.people.child_16)
    assert status.acknowledgement is not None
    assert status.acknowledgement.actor.role is ActorRole.GUARDIAN


def test_logging_out_ends_the_session(portal: Portal, page: Page) -> None:
    log_in(page, portal.url, portal.people.mandate_holder)
    expect(page.locator("#logout")).to_be_visible()

    page.click("#logout")

    expect(page).to_have_url(portal.url + "/portal/")
    expect(page.locator("#flash")).to_be_visible()
    check_page(page, "gate-logged-out")
    page.goto(portal.url + "/portal/home")
    expect(page.locator("#login")).to_be_visible()
