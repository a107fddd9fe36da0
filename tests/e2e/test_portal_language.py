"""The portal's language: from Accept-Language, switchable on every page."""

from __future__ import annotations

from datetime import UTC

import pytest
from portal_world import PortalWorld, csrf_of, hidden_fields, submit


@pytest.mark.parametrize(
    ("header", "lang", "heading"),
    [
        ("fi-FI,fi;q=0.9,en;q=0.5", "fi", "Tietojen käytön hallinta"),
        ("sv-FI,sv;q=0.9", "sv", "Hantering av användningen av uppgifter"),
        ("en-GB,en;q=0.9", "en", "Management of the use of data"),
        ("de-DE,de;q=0.9", "fi", "Tietojen käytön hallinta"),
        ("de,sv;q=0.4,en;q=0.8", "en", "Management of the use of data"),
    ],
)
def test_the_language_comes_from_accept_language(
    portal: PortalWorld, header: str, lang: str, heading: str
) -> None:
    browser = portal.browser(language=header)

    page = browser.get("/portal/")

    assert f'<html lang="{lang}">' in page.text
    assert heading in page.text


@pytest.mark.parametrize(
    "path",
    ["/portal/home", "/portal/management", "/portal/events", "/portal/log"],
)
def test_every_page_switches_language_and_returns_to_itself(
    portal: PortalWorld, path: str
) -> None:
    browser = portal.browser(language="en")
    portal.login(browser, portal.people.adult_with_permission)
    page = browser.get(path)

    swedish = submit(browser, page, "/portal/language", lang="sv")
    again = browser.get("/portal/home")

    assert swedish.url.path == path
    assert '<html lang="sv">' in swedish.text
    assert 'id="lang-sv" aria-pressed="true"' in swedish.text
    assert '<html lang="sv">' in again.text


def test_the_notice_is_shown_in_each_language_with_its_version(
    portal: PortalWorld,
) -> None:
    browser = portal.browser(language="fi")
    gate = portal.login(browser, portal.people.adult)

    swedish = submit(browser, gate, "/portal/language", lang="sv")
    english = submit(browser, swedish, "/portal/language", lang="en")

    assert "Kanta-palvelut" in gate.text
    assert "Kanta-tjänsterna" in swedish.text
    assert "Kanta services" in english.text
    for page in (gate, swedish, english):
        assert "2023-11" in page.text[page.text.index('id="notice-version"') :]


def test_the_language_switch_goes_only_to_portal_pages(portal: PortalWorld) -> None:
    browser = portal.browser()
    page = browser.get("/portal/")
    fields = hidden_fields(page.text, "/portal/language")

    moved = browser.post(
        "/portal/language",
        data={**fields, "lang": "fi", "next": "https://elsewhere.example/"},
    )

    assert moved.url.path == "/portal/"
    assert moved.url.host == "127.0.0.1"
    assert '<html lang="fi">' in moved.text


def test_an_unknown_language_keeps_the_current_one(portal: PortalWorld) -> None:
    browser = portal.browser(language="sv")
    page = browser.get("/portal/")

    kept = browser.post(
        "/portal/language",
        data={"csrf": csrf_of(page.text), "lang": "xx", "next": "/portal/"},
    )

    assert '<html lang="sv">' in kept.text


def test_times_are_shown_in_finnish_time(portal: PortalWorld) -> None:
    # 08:00 UTC is 10:00 in Helsinki in March (UTC+2).
    portal.clock.moment = portal.clock.moment.astimezone(UTC)
    browser = portal.browser(language="fi")
    gate = portal.login(browser, portal.people.adult)

    home = submit(browser, gate, "/portal/notice/acknowledge")

    status = home.text[home.text.index('id="notice-status"') :]
    assert "3. maaliskuuta 2025 10.00" in status


def test_switching_language_on_the_test_login_keeps_the_login_going(
    portal: PortalWorld,
) -> None:
    browser = portal.browser(language="en")
    login = browser.get("/portal/login")

    swedish = submit(browser, login, "/portal/language", lang="sv")
    fields = hidden_fields(swedish.text, "/portal/test-idp/authorize")
    home = browser.post(
        "/portal/test-idp/authorize",
        data={**fields, "code": portal.people.adult_with_permission},
    )

    assert swedish.url.path == "/portal/test-idp/authorize"
    assert swedish.url.query == login.url.query
    assert "Testidentifiering" in swedish.text
    assert home.url.path == "/portal/home"
    assert '<html lang="sv">' in home.text
