"""Permissions and prohibitions on "Management of the use of data", over HTTP."""

from __future__ import annotations

import pytest
from portal_world import (
    PortalWorld,
    change,
    csrf_of,
    form_values,
    submit,
)

from kanta_consent.domain.choices import ProhibitionGiven, Target
from kanta_consent.domain.codes import Scope, TargetKind


def _state(portal: PortalWorld, code: str):  # type: ignore[no-untyped-def]
    return portal.store.choices_of(code).as_of(portal.clock.now())


def test_inf_6_the_page_shows_when_by_whom_and_which_version_was_acknowledged(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/management")

    status = page.text[page.text.index('id="notice-status"') :]
    assert "<dd>2023-11</dd>" in status
    assert "<dd>You</dd>" in status
    assert "<dd>21 February 2025 12:00</dd>" in status


def test_per_1_each_scope_available_now_is_offered_to_an_informed_adult(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult)

    page = browser.get("/portal/management")

    offered = form_values(page.text, "/portal/management/preview", "scope")
    assert offered == [s.value for s in Scope]


def test_per_1_a_scope_not_yet_available_is_not_offered(portal: PortalWorld) -> None:
    from datetime import datetime

    from kanta_consent.domain.identity import HELSINKI

    portal.clock.moment = datetime(2023, 6, 1, 12, 0, tzinfo=HELSINKI)
    browser = portal.enter(portal.people.adult)

    page = browser.get("/portal/management")

    offered = form_values(page.text, "/portal/management/preview", "scope")
    assert offered == ["health", "social"]


def test_per_3_a_permission_is_granted_and_withdrawn_each_after_a_preview(
    portal: PortalWorld,
) -> None:
    adult = portal.people.adult
    browser = portal.enter(adult)
    page = browser.get("/portal/management")

    preview = browser.post(
        "/portal/management/preview",
        data={"csrf": csrf_of(page.text), "action": "grant", "scope": "health"},
    )
    unchanged = Scope.HEALTH not in _state(portal, adult).permissions
    granted = submit(browser, preview, "/portal/management/confirm")
    held = Scope.HEALTH in _state(portal, adult).permissions
    withdrawn = change(browser, action="withdraw-permission", scope="health")

    assert "You give the disclosure permission" in preview.text
    assert unchanged
    assert granted.url.path == "/portal/management"
    assert "Your change has been saved." in granted.text
    assert held
    assert withdrawn.url.path == "/portal/management"
    assert Scope.HEALTH not in _state(portal, adult).permissions


def test_per_3_the_withdrawal_preview_says_the_permission_ends(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    page = browser.get("/portal/management")

    preview = browser.post(
        "/portal/management/preview",
        data={
            "csrf": csrf_of(page.text),
            "action": "withdraw-permission",
            "scope": "health",
        },
    )

    assert preview.status_code == 200
    assert "ends now" in preview.text
    assert 'id="confirm"' in preview.text


# Every kind of target the adult demo person can pick (PRO-1): their events in
# health care and social welfare, a public organisation, a public register, a
# private occupational register, a service task and whole sectors.
TARGETS = [
    "service-event:ev-a1-clinic",
    "document:ev-a1-family",
    "organisation:org-county",
    "register:reg-county-health",
    "private-occupational-register:reg-occupational",
    "all-health",
    "service-task:families",
    "all-social",
]


@pytest.mark.parametrize("value", TARGETS)
def test_pro_1_pro_3_each_kind_of_prohibition_is_given_and_withdrawn(
    portal: PortalWorld, value: str
) -> None:
    adult = portal.people.adult
    browser = portal.enter(adult)
    kind, _, ref = value.partition(":")

    offered = form_values(
        browser.get("/portal/management").text, "/portal/management/preview", "target"
    )
    given = change(browser, action="prohibit", target=value)
    prohibitions = list(_state(portal, adult).prohibitions.values())
    page = browser.get("/portal/management")
    withdrawn = change(
        browser, action="withdraw-prohibition", prohibition=prohibitions[0].id
    )

    assert value in offered
    assert given.url.path == "/portal/management"
    assert [p.target for p in prohibitions] == [Target(TargetKind(kind), ref or None)]
    assert 'id="withdraw-prohibition-1"' in page.text
    assert withdrawn.url.path == "/portal/management"
    assert _state(portal, adult).prohibitions == {}


def test_pro_6_a_health_prohibition_keeps_the_emergency_allowance_asked_for(
    portal: PortalWorld,
) -> None:
    adult = portal.people.adult
    browser = portal.enter(adult)

    change(browser, action="prohibit", target="all-health", emergency="yes")

    (given,) = _state(portal, adult).prohibitions.values()
    assert isinstance(given, ProhibitionGiven)
    assert given.emergency_allowed is True


def test_pro_6_a_social_welfare_prohibition_takes_no_emergency_allowance(
    portal: PortalWorld,
) -> None:
    adult = portal.people.adult
    browser = portal.enter(adult)
    page = browser.get("/portal/management")

    preview = browser.post(
        "/portal/management/preview",
        data={
            "csrf": csrf_of(page.text),
            "action": "prohibit",
            "target": "all-social",
            "emergency": "yes",
        },
    )
    submit(browser, preview, "/portal/management/confirm")

    assert "emergency" not in form_values(
        preview.text, "/portal/management/confirm", "emergency"
    )
    (given,) = _state(portal, adult).prohibitions.values()
    assert given.emergency_allowed is False


def test_pro_6_the_prohibition_preview_tells_what_happens_in_an_emergency(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult)
    page = browser.get("/portal/management")
    csrf = csrf_of(page.text)

    without = browser.post(
        "/portal/management/preview",
        data={"csrf": csrf, "action": "prohibit", "target": "organisation:org-county"},
    )
    allowing = browser.post(
        "/portal/management/preview",
        data={
            "csrf": csrf,
            "action": "prohibit",
            "target": "organisation:org-county",
            "emergency": "yes",
        },
    )

    assert "Demo Wellbeing Services County" in without.text
    assert "no longer reach other organisations" in without.text
    assert "holds in an emergency too" in without.text
    assert "In an emergency, when you cannot be asked" in allowing.text


def test_pro_8_an_ended_organisation_and_another_persons_event_are_not_offered(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult)

    page = browser.get("/portal/management")

    offered = form_values(page.text, "/portal/management/preview", "target")
    assert "organisation:org-city" not in offered
    assert "register:reg-city-health" not in offered
    assert "organisation:org-clinic" not in offered
    assert "service-event:ev-a2-visit" not in offered


def test_rep_6_the_history_lists_each_choice_with_who_made_it(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/management")

    history = page.text[page.text.index('id="history-table"') :]
    assert history.count("<td>You</td>") == 3
    assert history.index("Prohibition of disclosure given") < history.index(
        "Kanta information acknowledged"
    )


def test_log_2_the_disclosure_log_shows_recipient_data_time_and_basis(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/log")

    table = page.text[page.text.index('id="log-table"') :]
    assert page.status_code == 200
    assert table.count("<tr>") == 5
    assert "Demo Medical Centre Ltd" in table
    assert "Your disclosure permission" in table
    assert "Not disclosed: no permission" in table
    assert "28 February 2025 12:00" in table


def test_per_6_a_permission_given_after_outside_kanta_grant_is_not_offered_again(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/management")

    assert 'id="withdraw-health"' in page.text
    assert 'id="grant-health"' not in page.text
    assert "Give again" not in page.text


def test_per_6_a_permission_given_before_outside_kanta_grant_is_offered_again(
    portal: PortalWorld,
) -> None:
    from datetime import datetime

    from kanta_consent.domain.identity import HELSINKI

    now = portal.clock.moment
    portal.clock.moment = datetime(2023, 6, 1, 12, 0, tzinfo=HELSINKI)
    change(portal.enter(portal.people.adult), action="grant", scope="health")
    portal.clock.moment = now
    browser = portal.enter(portal.people.adult)

    page = browser.get("/portal/management")

    assert 'id="grant-health"' in page.text
    assert "Give again" in page.text


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (
            "organisation:org-county",
            "Data that Demo Wellbeing Services County recorded will no longer reach",
        ),
        (
            "register:reg-county-health",
            "Data in the register “County health care, Demo Wellbeing Services "
            "County” will no longer reach",
        ),
        ("service-event:ev-a1-clinic", "The data of the service event of "),
    ],
)
def test_pro_1_the_prohibition_preview_names_its_target_in_words(
    portal: PortalWorld, target: str, words: str
) -> None:
    browser = portal.enter(portal.people.adult)
    csrf = csrf_of(browser.get("/portal/management").text)

    preview = browser.post(
        "/portal/management/preview",
        data={"csrf": csrf, "action": "prohibit", "target": target},
    )

    assert preview.status_code == 200
    assert words in preview.text
    assert "this target" not in preview.text
