"""Hostile requests to the citizen portal: refused, nothing changed, no leak.

Each test acts as a person without JavaScript who edits the forms by hand:
posts without or with a foreign CSRF token, return paths that try to leave
the portal's pages, and fields holding control characters. Every refusal is
compared with the store before and after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from portal_world import PortalWorld, csrf_of, start_portal, submit


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalWorld]:
    yield from start_portal(tmp_path)


def _enter(portal: PortalWorld, code: str) -> httpx.Client:
    browser = portal.browser()
    page = portal.login(browser, code)
    if page.url.path == "/portal/notice":
        submit(browser, page, "/portal/notice/acknowledge")
    return browser


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
    browser = _enter(portal, portal.people.adult_with_permission)
    page = browser.get("/portal/management")
    before = _everyone(portal)

    refused = browser.post(
        f"/portal/management/{step}", data={"csrf": csrf_of(page.text), **values}
    )

    assert refused.status_code == 400
    assert 'id="message"' in refused.text
    assert _everyone(portal) == before
