"""Login outside --demo: no test identity provider, Secure cookies, a clear page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from portal_world import PortalWorld, start_portal

from kanta_consent.settings import Settings


@pytest.fixture
def production(tmp_path: Path) -> Iterator[PortalWorld]:
    yield from start_portal(tmp_path, demo=False)


def test_the_test_identity_provider_does_not_exist_outside_demo(
    production: PortalWorld,
) -> None:
    browser = production.browser()

    discovery = browser.get("/portal/test-idp/.well-known/openid-configuration")
    authorize = browser.get("/portal/test-idp/authorize")

    assert discovery.status_code == 404
    assert authorize.status_code == 404


def test_login_without_a_configured_provider_says_so(
    production: PortalWorld,
) -> None:
    browser = production.browser()

    page = browser.get("/portal/login")

    assert page.status_code == 503
    assert "No identification service has been set up" in page.text


def test_the_session_cookie_is_secure_outside_demo(production: PortalWorld) -> None:
    browser = production.browser()

    page = browser.get("/portal/")

    cookie = page.headers["set-cookie"]
    assert cookie.startswith("kanta_portal=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def test_the_session_cookie_is_not_secure_under_demo(tmp_path: Path) -> None:
    for world in start_portal(tmp_path):
        page = world.browser().get("/portal/")

        assert "Secure" not in page.headers["set-cookie"]


def test_a_configured_provider_that_cannot_be_reached_fails_the_login_plainly(
    tmp_path: Path,
) -> None:
    # Port 9 on loopback (discard) has no listener here; the login must end
    # on the portal's own page, not in a server error.
    settings = Settings(
        secret_key="portal-e2e",
        oidc_issuer="http://127.0.0.1:9/issuer",
        oidc_client_id="portal",
        oidc_client_secret="secret",
    )
    for world in start_portal(tmp_path, demo=False, settings=settings):
        page = world.browser().get("/portal/login")

        assert page.status_code == 401
        assert 'id="message"' in page.text


def test_portal_pages_are_not_cached_framed_or_sent_on_as_referrers(
    tmp_path: Path,
) -> None:
    for world in start_portal(tmp_path):
        browser = world.browser()

        page = world.login(browser, world.people.adult_with_permission)

        assert page.url.path == "/portal/home"
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"


def test_id_3_the_test_login_refuses_a_code_that_is_not_a_test_code(
    tmp_path: Path,
) -> None:
    from datetime import date

    from portal_world import hidden_fields

    from kanta_consent.domain.identity import check_character

    born = date(1980, 5, 17)
    digits = born.strftime("%d%m%y") + "123"
    real_looking = f"{born:%d%m%y}-123{check_character(digits)}"
    for world in start_portal(tmp_path):
        browser = world.browser()
        page = browser.get("/portal/login")
        fields = hidden_fields(page.text, "/portal/test-idp/authorize")

        refused = browser.post(
            "/portal/test-idp/authorize", data={**fields, "code": real_looking}
        )
        after = browser.get("/portal/home")

        assert refused.status_code == 400
        assert 'id="login-error"' in refused.text
        assert after.url.path == "/portal/"


@pytest.mark.parametrize(
    ("headers", "form"),
    [
        ({"Authorization": "Basic abc"}, {}),
        ({"Authorization": "Basic //4="}, {}),
        ({}, {"client_id": "kanta-consent-portal", "client_secret": "sälä"}),
    ],
    ids=["bad-base64", "not-utf-8", "non-ascii-secret"],
)
def test_id_3_the_test_provider_answers_garbled_client_credentials_401(
    portal: PortalWorld, headers: dict[str, str], form: dict[str, str]
) -> None:
    browser = portal.browser()

    answer = browser.post(
        "/portal/test-idp/token",
        headers=headers,
        data={**form, "grant_type": "authorization_code", "code": "x"},
    )

    assert answer.status_code == 401
    assert answer.json() == {"error": "invalid_client"}
