"""Management of the use of data in a real browser (issue 5).

Permissions are granted and withdrawn, and each kind of prohibition the page
offers is given and withdrawn, every change through its preview. Each test
undoes what it did or works on a scope or target no other test touches, so
the module's tests share one portal in any order. The clock moves a minute
before each change, as a person's clicks would.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_kit import OpenPage, act_for, check_page, log_in, screenshot
from browser_world import Portal
from playwright.sync_api import Page, expect

from kanta_consent.domain.choices import ChoiceState, ProhibitionGiven, Target
from kanta_consent.domain.codes import ActorRole, Scope, TargetKind
from kanta_consent.services.consent import ConsentService


def state(portal: Portal, person: str) -> ChoiceState:
    """Returns the person's choices in force now, as the store holds them."""
    return ConsentService(portal.store).state_of(person, portal.clock.now())


def tick(portal: Portal) -> None:
    """Moves the portal's clock on by a minute."""
    portal.clock.moment += timedelta(minutes=1)


def open_management(page: Page, portal: Portal, code: str) -> None:
    """Logs the person in and opens the management page."""
    log_in(page, portal.url, code)
    page.goto(portal.url + "/portal/home")
    page.click("nav a[href='/portal/management']")
    expect(page).to_have_url(portal.url + "/portal/management")


def unfold_target(page: Page, option: str) -> None:
    """Opens the folded list of targets that holds the option, as a click would."""
    folded = page.locator(f"details:has(#target-{option})")
    if folded.count() and not folded.evaluate("d => d.open"):
        folded.locator("summary").click()


def confirm(page: Page, portal: Portal, name: str) -> None:
    """Checks the preview, confirms it and returns to the management page."""
    expect(page.locator("#preview li")).not_to_have_count(0)
    check_page(page, name)
    tick(portal)
    page.click("#confirm")
    expect(page).to_have_url(portal.url + "/portal/management")
    expect(page.locator("#flash")).to_be_visible()


def test_per_1_a_person_grants_a_permission_after_its_preview_and_withdraws_it(
    portal: Portal, page: Page
) -> None:
    person = portal.people.parent
    open_management(page, portal, person)
    check_page(page, "management-parent-before")
    row = page.locator("#permission-social")

    page.click("#grant-social")
    confirm(page, portal, "management-grant-social-preview")
    expect(row.locator(".status-ok")).to_be_visible()
    check_page(page, "management-grant-social-saved")
    assert Scope.SOCIAL in state(portal, person).permissions
    page.click("#withdraw-social")
    confirm(page, portal, "management-withdraw-social-preview")

    expect(row.locator(".status-ok")).to_have_count(0)
    expect(page.locator("#grant-social")).to_be_visible()
    check_page(page, "management-withdraw-social-saved")
    assert Scope.SOCIAL not in state(portal, person).permissions


def test_per_1_cancelling_a_preview_changes_nothing(portal: Portal, page: Page) -> None:
    person = portal.people.parent
    open_management(page, portal, person)

    page.click("#grant-health-to-social")
    page.click("#cancel")

    expect(page).to_have_url(portal.url + "/portal/management")
    expect(page.locator("#flash")).to_have_count(0)
    assert Scope.HEALTH_TO_SOCIAL not in state(portal, person).permissions


# Each kind of target the page offers the demo adult with a permission, and
# whether the prohibition lets emergencies through (PRO-6).
KINDS = [
    (Target(TargetKind.SERVICE_EVENT, "ev-a2-visit"), True),
    (Target(TargetKind.ORGANISATION, "org-county"), False),
    (Target(TargetKind.REGISTER, "reg-county-health"), True),
    (Target(TargetKind.PRIVATE_OCCUPATIONAL_REGISTER, "reg-occupational"), False),
    (Target(TargetKind.SERVICE_TASK, "families"), False),
    (Target(TargetKind.ALL_HEALTH), True),
    (Target(TargetKind.ALL_SOCIAL), False),
]


def given_on(portal: Portal, person: str, target: Target) -> list[ProhibitionGiven]:
    """Returns the person's prohibitions in force on the target."""
    given = state(portal, person).prohibitions.values()
    return [p for p in given if p.target == target]


@pytest.mark.parametrize(
    ("target", "emergency"), KINDS, ids=[t.kind.value for t, _ in KINDS]
)
def test_pro_1_a_person_gives_and_withdraws_each_kind_of_prohibition(
    portal: Portal, page: Page, target: Target, emergency: bool
) -> None:
    person = portal.people.adult_with_permission
    option = "-".join(filter(None, (target.kind.value, target.ref)))
    open_management(page, portal, person)
    label = page.locator(f"label[for='target-{option}']")
    # The label's own text, without the hint about emergencies.
    text = label.evaluate("l => l.childNodes[0].textContent.trim()")

    unfold_target(page, option)
    page.check(f"#target-{option}")
    if emergency:
        page.check("#emergency")
    page.click("#prohibit")
    confirm(page, portal, f"management-prohibit-{option}-preview")
    row = page.locator("#prohibition-table tbody tr", has_text=text)
    expect(row).to_have_count(1)
    check_page(page, f"management-prohibit-{option}-saved")
    given = given_on(portal, person, target)
    assert [(p.emergency_allowed, p.actor.role) for p in given] == [
        (emergency, ActorRole.SELF)
    ]
    row.locator("button").click()
    confirm(page, portal, f"management-withdraw-{option}-preview")

    expect(page.locator("#prohibition-table tbody tr", has_text=text)).to_have_count(0)
    assert given_on(portal, person, target) == []


def test_rep_4_a_guardian_may_grant_for_a_child_but_is_offered_no_prohibition(
    portal: Portal, page: Page
) -> None:
    log_in(page, portal.url, portal.people.parent)
    act_for(page, portal.url, "guardian", portal.people.child_16)
    page.goto(portal.url + "/portal/management")

    expect(page.locator("#acting-for")).to_be_visible()
    expect(page.locator("#permission-table button")).not_to_have_count(0)
    expect(page.locator("#prohibit-form")).to_have_count(0)
    check_page(page, "management-guardian-for-child-16")


def test_a_permission_is_granted_and_withdrawn_with_javascript_turned_off(
    portal: Portal, open_page: OpenPage
) -> None:
    page = open_page(javascript=False)
    person = portal.people.mandate_holder
    open_management(page, portal, person)

    page.click("#grant-wellbeing")
    screenshot(page, "no-script-grant-preview")
    page.click("#confirm")
    granted = Scope.WELLBEING in state(portal, person).permissions
    page.click("#withdraw-wellbeing")
    page.click("#confirm")

    assert granted
    assert Scope.WELLBEING not in state(portal, person).permissions
    expect(page.locator("#grant-wellbeing")).to_be_visible()
    screenshot(page, "no-script-withdrawn")


def test_pro_1_long_lists_of_targets_fold_and_work_without_javascript(
    portal: Portal, open_page: OpenPage
) -> None:
    page = open_page(javascript=False)
    open_management(page, portal, portal.people.adult_with_permission)
    organisation = page.locator("#target-organisation-org-county")

    shown_before = organisation.is_visible()
    page.click("#targets-organisations-list summary")
    organisation.check()
    page.click("#prohibit")

    assert shown_before is False
    expect(page.locator("#preview li").first).to_contain_text(
        "Demo Wellbeing Services County"
    )
    page.click("#cancel")


def test_a_radio_keeps_its_size_next_to_a_wrapping_label_on_a_narrow_screen(
    portal: Portal, open_page: OpenPage
) -> None:
    page = open_page()
    page.set_viewport_size({"width": 320, "height": 640})
    open_management(page, portal, portal.people.adult_with_permission)

    for summary in page.locator("#prohibit-form summary").all():
        summary.click()
    check_page(page, "management-targets-unfolded-320")
    widths = page.evaluate(
        """() => [...document.querySelectorAll('#prohibit-form .option input')]
          .map(i => Math.round(i.getBoundingClientRect().width))"""
    )

    assert len(widths) > 3
    assert min(widths) == max(widths)


def test_pro_1_without_own_events_the_first_target_to_pick_is_in_sight(
    portal: Portal, page: Page
) -> None:
    # A form sent without a target points at its first radio: it must not be
    # one folded away, or the person would be told nothing.
    log_in(page, portal.url, portal.people.mandate_holder)

    page.goto(portal.url + "/portal/management")
    page.click("#prohibit")

    first = page.locator("#prohibit-form input[name=target]").first
    expect(first).to_be_visible()
    expect(page).to_have_url(portal.url + "/portal/management")
