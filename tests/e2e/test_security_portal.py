"""Hostile requests to the citizen portal: refused, nothing changed, no leak.

Each test acts as a person without JavaScript who edits the forms by hand:
posts without or with a foreign CSRF token, return paths that try to leave
the portal's pages, and fields holding control characters. Every refusal is
compared with the store before and after.
"""

from __future__ import annotations

from datetime import timedelta
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
from sqlalchemy import text

from kanta_consent.domain.identity import parse_identity_code


def _everyone(portal: PortalWorld) -> dict[str, Any]:
    people = portal.people
    return portal.snapshot(
        people.adult,
        people.adult_with_permission,
        people.parent,
        people.child_12,
        people.mandate_holder,
        people.principal,
    )


@pytest.mark.parametrize(
    "back",
    [
        "/portal/my-data/events/../../..//evil.example",
        "/portal/my-data/events/../../../docs",
        "/portal/my-data/events/x/../../../../openapi.json",
        "/portal/my-data/events//evil.example",
        "//evil.example",
        "https://evil.example/portal/home",
        "/\\evil.example",
    ],
)
def test_the_language_switch_returns_only_to_a_listed_portal_page(
    portal: PortalWorld, back: str
) -> None:
    browser = portal.browser()
    page = browser.get("/portal/")

    moved = browser.post(
        "/portal/language",
        data={"csrf": csrf_of(page.text), "lang": "sv", "next": back},
        follow_redirects=False,
    )

    assert moved.status_code == 303
    assert moved.headers["location"] == "/portal/"


def test_the_language_switch_still_returns_to_an_events_page(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    page = browser.get("/portal/")

    moved = browser.post(
        "/portal/language",
        data={
            "csrf": csrf_of(page.text),
            "lang": "sv",
            "next": "/portal/my-data/events/ev-1",
        },
        follow_redirects=False,
    )

    assert moved.headers["location"] == "/portal/my-data/events/ev-1"


@pytest.mark.parametrize(
    "values",
    [
        {"action": "prohibit", "target": "service-event:ev-c12-cap1\x00"},
        {"action": "withdraw-prohibition", "prohibition": "p\x00"},
        {"action": "grant", "scope": "health\x00"},
    ],
)
@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_a_field_holding_a_nul_is_refused_as_invalid_and_nothing_changes(
    portal: PortalWorld, step: str, values: dict[str, str]
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    page = browser.get("/portal/management")
    before = _everyone(portal)

    refused = browser.post(
        f"/portal/management/{step}", data={"csrf": csrf_of(page.text), **values}
    )

    assert refused.status_code == 400
    assert 'id="message"' in refused.text
    assert _everyone(portal) == before


POSTS = [
    ("/portal/logout", {}),
    ("/portal/language", {"lang": "sv", "next": "/portal/home"}),
    ("/portal/notice/acknowledge", {}),
    ("/portal/notice/decline", {}),
    ("/portal/act-for", {"pick": "0" * 24}),
    ("/portal/management/preview", {"action": "grant", "scope": "social"}),
    ("/portal/management/confirm", {"action": "grant", "scope": "social"}),
]


def _token(portal: PortalWorld, kind: str) -> dict[str, str]:
    if kind == "missing":
        return {}
    if kind == "wrong":
        return {"csrf": "not-the-token"}
    other = portal.enter(portal.people.adult_with_permission)
    return {"csrf": csrf_of(other.get("/portal/home").text)}


@pytest.mark.parametrize("kind", ["missing", "wrong", "another-session"])
def test_every_portal_post_without_the_sessions_csrf_token_is_refused(
    portal: PortalWorld, kind: str
) -> None:
    browser = portal.enter(portal.people.mandate_holder)
    token = _token(portal, kind)
    before = _everyone(portal)

    answers = [
        browser.post(action, data={**values, **token}) for action, values in POSTS
    ]

    assert [a.status_code for a in answers] == [403] * len(answers)
    assert all('id="message"' in a.text for a in answers)
    assert _everyone(portal) == before
    still = browser.get("/portal/home")
    assert still.url.path == "/portal/home"
    assert '<html lang="en">' in still.text


def _revoke_mandates(portal: PortalWorld, holder: str) -> None:
    # The e-Authorizations register revokes the mandate while the holder
    # is logged in and acting for the principal.
    with portal.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE mandates SET revoked = :day WHERE holder = :holder"),
            {"day": portal.clock.now().date(), "holder": holder},
        )


def _block_guardianships(portal: PortalWorld, guardian: str) -> None:
    # REP-1: a safety ban (turvakielto) blocks the guardianship.
    with portal.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE guardianships SET blocked = true WHERE guardian = :who"),
            {"who": guardian},
        )


PERSONAL_PAGES = [
    "/portal/home",
    "/portal/management",
    "/portal/events",
    "/portal/log",
    "/portal/my-data",
]


def _act_for_principal(portal: PortalWorld, actor: str) -> httpx.Client:
    browser = portal.enter(actor)
    gate = act_for(browser, 1)
    if gate.url.path == "/portal/notice":
        submit(browser, gate, "/portal/notice/acknowledge")
    return browser


def _preview(browser: httpx.Client) -> httpx.Response:
    page = browser.get("/portal/management")
    data = {"csrf": csrf_of(page.text), "action": "grant", "scope": "social"}
    preview = browser.post("/portal/management/preview", data=data)
    assert preview.status_code == 200, preview.text
    return preview


@pytest.mark.parametrize("ended", ["mandate-revoked", "guardianship-blocked"])
def test_rep_1_rep_2_a_right_to_act_that_ends_mid_session_opens_no_page_or_change(
    portal: PortalWorld, ended: str
) -> None:
    people = portal.people
    actor = people.mandate_holder if ended == "mandate-revoked" else people.parent
    browser = _act_for_principal(portal, actor)
    preview = _preview(browser)
    if ended == "mandate-revoked":
        _revoke_mandates(portal, actor)
    else:
        _block_guardianships(portal, actor)
    before = _everyone(portal)

    pages = [browser.get(path) for path in PERSONAL_PAGES]
    confirmed = submit(browser, preview, "/portal/management/confirm")

    assert [p.url.path for p in pages] == ["/portal/act-for"] + [
        path for path in PERSONAL_PAGES[1:]
    ]
    assert pages[0].text.count("data-role=") == 1
    assert confirmed.status_code == 400
    assert _everyone(portal) == before


def test_rep_6_a_childs_preview_confirmed_after_switching_to_oneself_changes_nothing(
    portal: PortalWorld,
) -> None:
    browser = _act_for_principal(portal, portal.people.parent)
    preview = _preview(browser)
    act_for(browser, 0)
    before = _everyone(portal)

    confirmed = submit(browser, preview, "/portal/management/confirm")

    assert confirmed.status_code == 400
    assert 'id="message"' in confirmed.text
    assert _everyone(portal) == before


def test_every_personal_page_and_error_page_forbids_caching_and_framing(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    token = csrf_of(browser.get("/portal/home").text)
    answers = [browser.get(path) for path in PERSONAL_PAGES]
    answers.append(browser.post("/portal/management/preview", data={"csrf": "x"}))
    answers.append(browser.post("/portal/management/preview", data={"csrf": token}))
    answers.append(browser.get("/portal/my-data?on=someday"))

    assert [a.status_code for a in answers] == [200] * 5 + [403, 400, 400]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"


def test_the_session_cookie_is_http_only_same_site_and_lives_half_an_hour(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.adult_with_permission)

    cookie = page.history[-1].headers["set-cookie"].lower()
    assert cookie.startswith("kanta_portal=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "max-age=1800" in cookie
    assert "path=/" in cookie


def test_rep_1_a_pick_token_replayed_after_the_child_turned_18_is_refused(
    portal: PortalWorld,
) -> None:
    # The 16-year-old turns 18 an hour into the parent's session (a session
    # lasts eight hours at most, so that is when it can happen).
    adult_from = parse_identity_code(portal.people.child_16).adult_from()
    portal.clock.moment = adult_from - timedelta(hours=1)
    browser = portal.enter(portal.people.parent)
    listing = browser.get("/portal/act-for")
    picks = [
        hidden_fields(listing.text, "/portal/act-for", index)
        for index in range(listing.text.count('action="/portal/act-for"'))
    ]
    portal.clock.moment = adult_from + timedelta(hours=1)
    before = _everyone(portal)

    # Oneself, the 16-year-old, the 12-year-old: the second pick is the one.
    replayed = browser.post("/portal/act-for", data=picks[1])

    assert len(picks) == 3
    assert replayed.status_code == 403
    assert 'data-code="no-right-to-act"' in replayed.text
    listing_now = browser.get("/portal/act-for").text
    assert listing_now.count('action="/portal/act-for"') == 2
    assert _everyone(portal) == before
