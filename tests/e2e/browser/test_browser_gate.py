"""The notice gate in a real browser: acknowledging, declining, minors (issue 5).

Each test logs in a different demo person, so the module's tests share one
portal and still do not depend on each other's order.
"""

from __future__ import annotations

from datetime import date, datetime, time

from browser_kit import OpenPage, check_page, log_in
from browser_world import Portal
from playwright.sync_api import Page, expect

from kanta_consent.domain.codes import ActorRole, Scope
from kanta_consent.domain.identity import HELSINKI, parse_identity_code
from kanta_consent.domain.model import Person
from kanta_consent.services.consent import ConsentService, PortalActor
from kanta_consent.services.demo_people import demo_code
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
    expect(page.locator("#reminder-permission-missing")).to_be_visible()
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


def test_per_5_an_adult_with_a_health_permission_gets_no_reminder(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.adult_with_permission)

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#notice-status")).to_be_visible()
    expect(page.locator(".reminder[id^=reminder-]")).to_have_count(0)


def test_per_6_a_health_permission_from_before_30_november_2023_is_to_be_renewed(
    portal: Portal, page: Page
) -> None:
    # A person informed and permitting in June 2023, before outside-kanta-grant.
    code = demo_code(date(1966, 9, 12), 950)
    portal.store.add_person(Person(parse_identity_code(code)))
    consent = ConsentService(portal.store)
    informed = datetime(2023, 6, 1, 9, 0, tzinfo=HELSINKI)
    consent.acknowledge(PortalActor(code), code, informed)
    consent.grant(PortalActor(code), code, Scope.HEALTH, informed)
    # The notice of 2023-11 is acknowledged later, so no gate stands in the way.
    later = datetime(2024, 1, 10, 9, 0, tzinfo=HELSINKI)
    consent.acknowledge(PortalActor(code), code, later)

    log_in(page, portal.url, code)

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#reminder-permission-renew")).to_be_visible()
    expect(page.locator("#reminder-permission-missing")).to_have_count(0)
    check_page(page, "gate-home-permission-to-renew")


def test_the_test_login_refuses_a_code_with_a_wrong_check_character(
    portal: Portal, page: Page
) -> None:
    good = demo_code(date(1980, 1, 1), 950)
    wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
    page.goto(portal.url + "/portal/")
    page.click("#login")

    page.fill("#code", wrong)
    with page.expect_response("**/portal/test-idp/authorize") as answer:
        page.click("#identify")

    assert answer.value.status == 400
    expect(page.locator("#login-error")).to_be_visible()
    expect(page.locator("#logout")).to_have_count(0)
    check_page(page, "gate-test-idp-refused")


def test_a_form_from_before_logging_out_is_refused_and_changes_nothing(
    portal: Portal, page: Page
) -> None:
    person = portal.people.adult_with_permission
    log_in(page, portal.url, person)
    page.goto(portal.url + "/portal/management")
    other_tab = page.context.new_page()
    other_tab.goto(portal.url + "/portal/home")
    other_tab.click("#logout")

    with page.expect_response("**/portal/management/preview") as answer:
        page.click("#grant-social")

    assert answer.value.status == 403
    expect(page.locator("#message")).to_be_visible()
    check_page(page, "gate-stale-form-refused")
    consent = ConsentService(portal.store)
    assert Scope.SOCIAL not in consent.state_of(person, portal.clock.now()).permissions


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(
    portal: Portal, page: Page
) -> None:
    page.goto(portal.url + "/portal/")

    page.keyboard.press("Tab")
    skip_link_focused = page.evaluate("document.activeElement.className")
    page.keyboard.press("Enter")

    assert skip_link_focused == "skip-link"
    expect(page.locator("#main")).to_be_focused()


def test_min_2_a_minor_is_offered_no_choice_and_is_told_why(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.child_16)

    page.goto(portal.url + "/portal/management")

    expect(page.locator("#why-not")).to_be_visible()
    expect(page.locator("#permission-table button")).to_have_count(0)
    expect(page.locator("#prohibit-form")).to_have_count(0)
    check_page(page, "gate-minor-16-management")


def test_min_5_from_the_18th_birthday_the_adult_gate_applies(
    fresh_portal: Portal, open_page: OpenPage
) -> None:
    portal = fresh_portal
    person = portal.people.almost_adult
    before = open_page()
    log_in(before, portal.url, person)
    expect(before).to_have_url(portal.url + "/portal/home")
    born = parse_identity_code(person).birth_date
    birthday = datetime.combine(born.replace(year=born.year + 18), time(9), HELSINKI)

    portal.clock.moment = birthday
    after = open_page()
    log_in(after, portal.url, person)

    expect(after).to_have_url(portal.url + "/portal/notice")
    expect(after.locator("#notice-for-self")).to_be_visible()
    check_page(after, "gate-eighteenth-birthday-notice")
