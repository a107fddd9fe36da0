"""Login through a real OpenID Connect provider on loopback (issue 5).

The provider is the npm package oidc-provider run by node
(oidc_peer.mjs); the portal runs without --demo, so the built-in test
provider does not exist and the settings alone name the provider, its
client and the claim that carries the identity code.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from browser_kit import check_page
from browser_world import (
    Peer,
    Portal,
    demo_data,
    free_port,
    run_oidc_peer,
    start_portal,
)
from playwright.sync_api import Page, expect

from kanta_consent.domain.codes import ActorRole
from kanta_consent.services.demo_people import demo_code
from kanta_consent.services.portal import PortalService

# Providers name the claim differently; this one is not the portal's default.
CLAIM = "national_identification_number"


@pytest.fixture(scope="module")
def peer_portal(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Peer, Portal]]:
    """The provider on one loopback port, the portal on another."""
    folder = tmp_path_factory.mktemp("oidc")
    data = demo_data(folder)
    port = free_port()
    accounts = {
        "anna": data.people.adult,
        "pekka": data.people.parent,
        "nameless": None,
        "stranger": demo_code(date(1959, 3, 3), 977),
    }
    callback = f"http://127.0.0.1:{port}/portal/callback"
    for peer in run_oidc_peer(folder, callback, CLAIM, accounts):
        settings = {
            "oidc_issuer": peer.issuer,
            "oidc_client_id": peer.client_id,
            "oidc_client_secret": peer.client_secret,
            "oidc_identity_claim": CLAIM,
        }
        for portal in start_portal(data, demo=False, port=port, **settings):
            yield peer, portal


def log_in_at_peer(page: Page, portal: Portal, account: str, name: str) -> int:
    """Goes through the provider's login and consent; returns the page's status."""
    page.goto(portal.url + "/portal/")
    page.click("#login")
    expect(page.locator("input[name=login]")).to_be_visible()
    page.fill("input[name=login]", account)
    page.fill("input[name=password]", "any password")
    page.click("button[type=submit]")
    # oidc-provider asks once whether the portal may have the claims.
    expect(page.locator("button[type=submit]")).to_be_visible()
    with page.expect_response(lambda r: "/portal/callback" in r.url) as callback:
        page.click("button[type=submit]")
    page.wait_for_url(portal.url + "/portal/**")
    check_page(page, name)
    return callback.value.status


def test_an_adult_logs_in_through_a_real_provider_and_acknowledges_as_themselves(
    peer_portal: tuple[Peer, Portal], page: Page
) -> None:
    peer, portal = peer_portal

    log_in_at_peer(page, portal, "anna", "oidc-peer-adult-notice")
    page.click("#acknowledge")
    page.wait_for_url(portal.url + "/portal/home")
    check_page(page, "oidc-peer-adult-home")

    status = PortalService(portal.store).notice_status(
        portal.people.adult, portal.clock.now()
    )
    assert peer.issuer.startswith("http://127.0.0.1:")
    assert status.acknowledgement is not None
    assert status.acknowledgement.actor.person == portal.people.adult
    assert status.acknowledgement.actor.role is ActorRole.SELF


def test_rep_1_a_parent_logged_in_through_a_real_provider_may_act_for_two_children(
    peer_portal: tuple[Peer, Portal], page: Page
) -> None:
    _, portal = peer_portal

    log_in_at_peer(page, portal, "pekka", "oidc-peer-parent-act-for")

    assert page.url == portal.url + "/portal/act-for"
    expect(page.locator("#principals button[data-role=self]")).to_have_count(1)
    expect(page.locator("#principals button[data-role=guardian]")).to_have_count(2)


def test_the_built_in_test_provider_does_not_exist_without_demo(
    peer_portal: tuple[Peer, Portal], page: Page
) -> None:
    _, portal = peer_portal

    response = page.goto(
        portal.url + "/portal/test-idp/.well-known/openid-configuration"
    )

    assert response is not None
    assert response.status == 404


def test_a_login_without_the_configured_identity_claim_fails_on_the_portals_page(
    peer_portal: tuple[Peer, Portal], page: Page
) -> None:
    _, portal = peer_portal

    status = log_in_at_peer(page, portal, "nameless", "oidc-peer-no-claim")

    assert status == 401
    expect(page.locator("#message")).to_be_visible()
    expect(page.locator("#logout")).to_have_count(0)


def test_a_person_the_store_does_not_know_is_not_let_in(
    peer_portal: tuple[Peer, Portal], page: Page
) -> None:
    _, portal = peer_portal

    status = log_in_at_peer(page, portal, "stranger", "oidc-peer-unknown-person")

    assert status == 404
    expect(page.locator("#message")).to_be_visible()
    expect(page.locator("#logout")).to_have_count(0)
