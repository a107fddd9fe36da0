"""Hand-made posts to the portal are refused and change nothing.

Each test logs in, builds a post the pages never offer, sends it, and
compares every demo person's choices and log entries before and after.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from portal_world import (
    PortalWorld,
    act_for,
    csrf_of,
    hidden_fields,
    submit,
)


def _everyone(portal: PortalWorld) -> dict[str, Any]:
    people = portal.people
    return portal.snapshot(
        people.adult,
        people.adult_with_permission,
        people.parent,
        people.child_12,
        people.child_16,
        people.mandate_holder,
        people.principal,
    )


def _post_change(browser: httpx.Client, step: str, **values: str) -> httpx.Response:
    page = browser.get("/portal/home")
    data = {"csrf": csrf_of(page.text), **values}
    return browser.post(f"/portal/management/{step}", data=data)


def test_rep_1_a_token_for_someone_else_s_child_does_not_let_an_adult_act_for_them(
    portal: PortalWorld,
) -> None:
    parent = portal.browser()
    portal.login(parent, portal.people.parent)
    stolen = hidden_fields(parent.get("/portal/act-for").text, "/portal/act-for", 2)[
        "pick"
    ]
    stranger = portal.enter(portal.people.adult)
    page = stranger.get("/portal/act-for")
    before = _everyone(portal)

    forged = stranger.post(
        "/portal/act-for", data={"csrf": csrf_of(page.text), "pick": stolen}
    )
    granted = _post_change(stranger, "confirm", action="grant", scope="health")

    assert forged.status_code == 403
    assert 'data-code="no-right-to-act"' in forged.text
    assert granted.url.path == "/portal/management"
    after = _everyone(portal)
    assert after[portal.people.child_12] == before[portal.people.child_12]
    assert len(after[portal.people.adult][0]) == len(before[portal.people.adult][0]) + 1


def test_rep_1_a_made_up_principal_token_is_refused(portal: PortalWorld) -> None:
    browser = portal.enter(portal.people.adult)
    page = browser.get("/portal/home")
    before = _everyone(portal)

    forged = browser.post(
        "/portal/act-for", data={"csrf": csrf_of(page.text), "pick": "0" * 24}
    )

    assert forged.status_code == 403
    assert _everyone(portal) == before


@pytest.mark.parametrize(
    "values",
    [
        {"action": "prohibit", "target": "service-event:ev-c16-visit"},
        {"action": "prohibit", "target": "all-health"},
        {"action": "grant", "scope": "health"},
        {"action": "withdraw-permission", "scope": "health"},
    ],
)
@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_min_2_pro_5_a_minor_posting_a_choice_is_refused(
    portal: PortalWorld, values: dict[str, str], step: str
) -> None:
    browser = portal.enter(portal.people.child_16)
    before = _everyone(portal)

    forged = _post_change(browser, step, **values)

    assert forged.status_code == 403
    assert 'data-code="minor"' in forged.text
    assert _everyone(portal) == before


@pytest.mark.parametrize("minor", ["child_12", "child_16"])
def test_min_2_a_minor_posting_an_acknowledgement_is_told_why_and_nothing_changes(
    portal: PortalWorld, minor: str
) -> None:
    browser = portal.enter(getattr(portal.people, minor))
    page = browser.get("/portal/home")
    before = _everyone(portal)

    forged = browser.post(
        "/portal/notice/acknowledge", data={"csrf": csrf_of(page.text)}
    )

    assert forged.status_code == 403
    assert 'data-code="minor"' in forged.text
    assert _everyone(portal) == before


def test_an_adult_posting_an_acknowledgement_with_nothing_pending_goes_home(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    page = browser.get("/portal/home")
    before = _everyone(portal)

    posted = browser.post(
        "/portal/notice/acknowledge", data={"csrf": csrf_of(page.text)}
    )

    assert posted.url.path == "/portal/home"
    assert _everyone(portal) == before


@pytest.mark.parametrize(
    "values",
    [
        {"action": "prohibit", "target": "service-event:ev-c16-visit"},
        {"action": "prohibit", "target": "all-health"},
        {"action": "prohibit", "target": "organisation:org-county"},
    ],
)
def test_rep_4_pro_5_a_guardian_posting_a_prohibition_is_refused(
    portal: PortalWorld, values: dict[str, str]
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    act_for(browser, 1)
    before = _everyone(portal)

    forged = _post_change(browser, "confirm", **values)

    assert forged.status_code == 403
    assert 'data-code="guardian-not-allowed"' in forged.text
    assert _everyone(portal) == before


def test_rep_5_a_mandate_holder_posting_the_wellbeing_permission_is_refused(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.mandate_holder)
    submit(browser, act_for(browser, 1), "/portal/notice/acknowledge")
    before = _everyone(portal)

    forged = _post_change(browser, "confirm", action="grant", scope="wellbeing")

    assert forged.status_code == 403
    assert 'data-code="mandate-not-allowed"' in forged.text
    assert _everyone(portal) == before


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("service-event:ev-a2-visit", "target-not-allowed"),
        ("organisation:org-city", "target-not-allowed"),
        ("organisation:org-clinic", "target-not-allowed"),
        ("register:reg-clinic", "target-not-allowed"),
        ("all-health:anything", "target-not-allowed"),
        ("all-social:" + "x" * 150, "target-not-allowed"),
    ],
)
def test_pro_1_pro_8_a_target_the_page_does_not_offer_is_refused(
    portal: PortalWorld, target: str, code: str
) -> None:
    browser = portal.enter(portal.people.adult)
    before = _everyone(portal)

    forged = _post_change(browser, "confirm", action="prohibit", target=target)

    assert forged.status_code == 403
    assert f'data-code="{code}"' in forged.text
    assert _everyone(portal) == before


def test_inf_2_an_adult_at_the_gate_cannot_post_a_choice(portal: PortalWorld) -> None:
    browser = portal.browser()
    gate = portal.login(browser, portal.people.adult)
    before = _everyone(portal)

    forged = browser.post(
        "/portal/management/confirm",
        data={"csrf": csrf_of(gate.text), "action": "grant", "scope": "health"},
    )

    assert forged.url.path == "/portal/notice"
    assert _everyone(portal) == before


@pytest.mark.parametrize("token", [None, "", "forged-token"])
@pytest.mark.parametrize(
    "path",
    [
        "/portal/management/confirm",
        "/portal/notice/acknowledge",
        "/portal/logout",
    ],
)
def test_a_post_without_the_sessions_csrf_token_is_refused(
    portal: PortalWorld, token: str | None, path: str
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.adult)
    before = _everyone(portal)
    data = {"action": "grant", "scope": "health"}
    if token is not None:
        data["csrf"] = token

    forged = browser.post(path, data=data)
    still = browser.get("/portal/notice")

    assert forged.status_code == 403
    assert 'id="message"' in forged.text
    assert still.url.path == "/portal/notice"
    assert _everyone(portal) == before


def test_another_sessions_csrf_token_is_refused(portal: PortalWorld) -> None:
    other = portal.enter(portal.people.adult_with_permission)
    token = csrf_of(other.get("/portal/home").text)
    browser = portal.browser()
    portal.login(browser, portal.people.adult_with_permission)
    before = _everyone(portal)

    forged = browser.post(
        "/portal/management/confirm",
        data={"csrf": token, "action": "withdraw-permission", "scope": "health"},
    )

    assert forged.status_code == 403
    assert _everyone(portal) == before


def test_a_post_without_a_session_changes_nothing(portal: PortalWorld) -> None:
    browser = portal.browser()
    page = browser.get("/portal/")
    before = _everyone(portal)

    forged = browser.post(
        "/portal/management/confirm",
        data={"csrf": csrf_of(page.text), "action": "grant", "scope": "health"},
    )

    assert forged.url.path == "/portal/"
    assert 'id="login"' in forged.text
    assert _everyone(portal) == before


def test_a_malformed_change_is_refused_naming_nothing_stored(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult)
    before = _everyone(portal)

    forged = _post_change(browser, "confirm", action="grant", scope="everything")

    assert forged.status_code == 400
    assert _everyone(portal) == before


def test_rep_1_a_post_for_a_child_who_has_turned_18_is_refused(
    portal: PortalWorld,
) -> None:
    from datetime import timedelta

    from kanta_consent.domain.identity import parse_identity_code

    # The 16-year-old turns 18 an hour into the parent's session (a session
    # lasts eight hours at most, so that is when it can happen).
    adult_from = parse_identity_code(portal.people.child_16).adult_from()
    portal.clock.moment = adult_from - timedelta(hours=1)
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    page = act_for(browser, 1)
    assert page.url.path == "/portal/home"
    portal.clock.moment = adult_from + timedelta(hours=1)
    before = _everyone(portal)

    forged = browser.post(
        "/portal/management/confirm",
        data={"csrf": csrf_of(page.text), "action": "grant", "scope": "social"},
    )

    assert forged.url.path == "/portal/act-for"
    assert forged.text.count('data-role="guardian"') == 1
    assert _everyone(portal) == before
