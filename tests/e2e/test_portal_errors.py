"""The portal's error pages say what was wrong, in the page's language."""

from __future__ import annotations

from datetime import date

import pytest
from portal_world import PortalWorld, hidden_fields

from kanta_consent.services.demo_people import demo_code


def _test_login(portal: PortalWorld, code: str, language: str = "en") -> str:
    browser = portal.browser(language)
    page = browser.get("/portal/login")
    fields = hidden_fields(page.text, "/portal/test-idp/authorize")
    answer = browser.post("/portal/test-idp/authorize", data={**fields, "code": code})
    assert answer.status_code == 400
    return answer.text


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fi", "Sivua ei löytynyt"),
        ("sv", "Sidan hittades inte"),
        ("en", "Page not found"),
    ],
)
def test_an_unknown_portal_address_shows_a_translated_page_in_the_layout(
    portal: PortalWorld, language: str, title: str
) -> None:
    page = portal.browser(language).get("/portal/no-such-page")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in page.text
    assert 'id="lang-fi"' in page.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_post_to_an_unknown_portal_address_gets_the_same_page(
    portal: PortalWorld, method: str
) -> None:
    page = portal.browser("fi").request(method, "/portal/no-such-page", data={"a": "b"})

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Sivua ei löytynyt</h1>" in page.text


def test_an_unknown_api_address_keeps_its_problem_json(portal: PortalWorld) -> None:
    answer = portal.browser().get("/api/v1/no-such-thing")

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_a_day_that_is_not_a_date_is_named_with_its_value(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/my-data", params={"on": "3.3.2025"})

    assert page.status_code == 400
    assert "“3.3.2025” is not a day. Write the day as YYYY-MM-DD" in page.text
    assert 'href="/portal/my-data" id="message-back"' in page.text


def test_a_page_number_past_the_last_page_says_how_many_pages_there_are(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission, "fi")

    page = browser.get("/portal/my-data", params={"page": "7"})

    assert page.status_code == 400
    assert "Palvelutapahtumien sivua 7 ei ole: ne mahtuvat sivuille 1–1." in page.text


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("12345", "An identity code has 11 characters; the one typed has 5."),
        ("010203Q9012", "The seventh character is not a century sign"),
        ("310299-9012", "The first six digits are not a birth date (DDMMYY)."),
        ("010280-900Y", "The check character does not match the digits"),
    ],
)
def test_id_1_a_malformed_test_code_is_told_what_is_wrong_with_it(
    portal: PortalWorld, typed: str, problem: str
) -> None:
    page = _test_login(portal, typed)

    assert 'id="code-problem"' in page
    assert problem in page


def test_id_1_the_identity_code_problem_is_told_in_finnish_too(
    portal: PortalWorld,
) -> None:
    page = _test_login(portal, "12345", "fi")

    assert "Henkilötunnuksessa on 11 merkkiä; kirjoitetussa on 5." in page


def test_a_valid_test_code_of_nobody_in_the_demo_says_so_and_leads_back(
    portal: PortalWorld,
) -> None:
    nobody = demo_code(date(1970, 1, 1), 999)
    browser = portal.browser()

    page = portal.login(browser, nobody)

    assert page.status_code == 404
    assert "This person is not in the demo data" in page.text
    assert 'href="/portal/login" id="message-back"' in page.text
