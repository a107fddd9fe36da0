"""Acting for someone else in a real browser: guardians and mandates (issue 5).

REP-1 to REP-3: a guardian acts for each child, a mandate holder for each
principal, and the gate is passed on the principal's behalf. The module's
tests act for different principals, so their order does not matter.
"""

from __future__ import annotations

from datetime import timedelta

from browser_kit import OpenPage, check_page, log_in, pass_gate_if_asked
from browser_world import Portal
from playwright.sync_api import Page, expect

from kanta_consent.domain.codes import ActorRole, Scope
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.services.consent import ConsentService
from kanta_consent.services.portal import NoticeStatus, PortalService


def notice_status(portal: Portal, person: str) -> NoticeStatus:
    """Returns the person's notice status as the store holds it now."""
    return PortalService(portal.store).notice_status(person, portal.clock.now())


def pick(page: Page, role: str, code: str) -> None:
    """Chooses whom to act for by role and birth year, as a person reads it."""
    year = str(parse_identity_code(code).birth_date.year)
    page.locator(f"#principals button[data-role={role}]", has_text=year).click()


def test_rep_3_a_guardian_acknowledges_for_a_child_and_then_acts_for_the_child(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.parent)
    expect(page).to_have_url(portal.url + "/portal/act-for")
    expect(page.locator("#principals button[data-role=guardian]")).to_have_count(2)
    check_page(page, "acting-for-parent-choices")

    pick(page, "guardian", portal.people.child_12)

    expect(page).to_have_url(portal.url + "/portal/notice")
    expect(page.locator("#notice-for-principal")).to_be_visible()
    check_page(page, "acting-for-child-12-notice")
    page.click("#acknowledge")
    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#acting-for")).to_contain_text(
        str(parse_identity_code(portal.people.child_12).birth_date.year)
    )
    check_page(page, "acting-for-child-12-home")
    status = notice_status(portal, portal.people.child_12)
    assert status.acknowledgement is not None
    assert status.acknowledgement.actor.role is ActorRole.GUARDIAN
    assert status.acknowledgement.actor.person == portal.people.parent


def test_rep_4_a_guardian_acting_for_a_child_is_not_offered_the_disclosure_log(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.parent)

    pick(page, "guardian", portal.people.child_16)

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("main a[href='/portal/log']")).to_have_count(0)
    expect(page.locator("main a[href='/portal/management']")).not_to_have_count(0)
    check_page(page, "acting-for-child-16-home")


def test_rep_2_a_mandate_holder_acknowledges_for_the_principal_and_acts_for_them(
    fresh_portal: Portal, page: Page
) -> None:
    # Another test here acts for the principal past the gate this one shows.
    portal = fresh_portal
    log_in(page, portal.url, portal.people.mandate_holder)
    expect(page).to_have_url(portal.url + "/portal/act-for")
    check_page(page, "acting-for-mandate-holder-choices")

    pick(page, "mandate-holder", portal.people.principal)

    expect(page.locator("#notice-for-principal")).to_be_visible()
    check_page(page, "acting-for-principal-notice")
    page.click("#acknowledge")
    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("main a[href='/portal/log']")).to_have_count(1)
    check_page(page, "acting-for-principal-home")
    status = notice_status(portal, portal.people.principal)
    assert status.acknowledgement is not None
    assert status.acknowledgement.actor.role is ActorRole.MANDATE_HOLDER


def test_rep_3_declining_for_a_child_returns_the_guardian_to_their_own_pages(
    fresh_portal: Portal, page: Page
) -> None:
    portal = fresh_portal
    log_in(page, portal.url, portal.people.parent)
    pick(page, "guardian", portal.people.child_12)
    expect(page.locator("#notice-for-principal")).to_be_visible()

    page.click("#decline")

    expect(page).to_have_url(portal.url + "/portal/home")
    expect(page.locator("#flash")).to_be_visible()
    expect(page.locator("#logout")).to_be_visible()
    check_page(page, "acting-for-child-declined-returned")
    assert notice_status(portal, portal.people.child_12).acknowledgement is None


def test_rep_6_a_mandate_holders_permission_is_shown_to_the_principal_as_theirs(
    portal: Portal, open_page: OpenPage
) -> None:
    holder, principal = portal.people.mandate_holder, portal.people.principal
    page = open_page()
    log_in(page, portal.url, holder)
    pick(page, "mandate-holder", principal)
    pass_gate_if_asked(page)
    page.goto(portal.url + "/portal/management")
    page.click("#grant-health")
    # A minute after any acknowledgement above, so the grant is the newest.
    portal.clock.moment += timedelta(minutes=1)
    page.click("#confirm")
    expect(page.locator("#history-table tbody tr").first).to_contain_text("You")
    check_page(page, "acting-for-principal-permission-granted")
    # REP-6: the holder gave the principal's permission; it is not theirs.
    page.goto(portal.url + "/portal/my-data")
    seen = page.locator("#who-can-see-all")
    expect(seen).to_contain_text("A disclosure permission you gave on their behalf")
    expect(page.locator("main")).not_to_contain_text("You gave")
    check_page(page, "acting-for-principal-my-data")

    own = open_page()
    log_in(own, portal.url, principal)
    pass_gate_if_asked(own)
    own.goto(portal.url + "/portal/management")

    newest = own.locator("#history-table tbody tr").first
    expect(newest).to_contain_text("A mandate holder")
    check_page(own, "acting-for-principal-sees-history")
    granted = ConsentService(portal.store).state_of(principal, portal.clock.now())
    actor = granted.permissions[Scope.HEALTH].actor
    assert (actor.role, actor.person) == (ActorRole.MANDATE_HOLDER, holder)


def test_rep_5_a_mandate_holder_is_not_offered_the_wellbeing_permission(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.mandate_holder)
    pick(page, "mandate-holder", portal.people.principal)
    pass_gate_if_asked(page)

    page.goto(portal.url + "/portal/management")

    expect(page.locator("#why-not")).to_be_visible()
    expect(page.locator("#grant-health, #withdraw-health")).not_to_have_count(0)
    expect(page.locator("#grant-wellbeing, #withdraw-wellbeing")).to_have_count(0)
    check_page(page, "acting-for-principal-management")


def test_rep_1_rep_6_a_guardian_reads_of_the_childs_permission_not_of_their_own(
    fresh_portal: Portal, page: Page
) -> None:
    # The 12-year-old's gate is another test's subject in the shared portal.
    portal = fresh_portal
    log_in(page, portal.url, portal.people.parent)
    pick(page, "guardian", portal.people.child_12)
    pass_gate_if_asked(page)
    page.goto(portal.url + "/portal/management")

    page.click("#grant-health")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("on behalf of the person you act for")
    expect(preview).not_to_contain_text("You give")
    check_page(page, "acting-for-child-12-grant-preview")
    page.click("#confirm")
    page.goto(portal.url + "/portal/my-data/events/ev-c12-early")

    care = page.locator("#event-care")
    expect(care).to_contain_text("A disclosure permission you gave on their behalf")
    expect(page.locator("main")).not_to_contain_text("You gave")
    expect(page.locator("#event-emergency")).to_contain_text(
        "when the person cannot be asked"
    )
    check_page(page, "acting-for-child-12-event-reach")
