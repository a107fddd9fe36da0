"""Logging in to the portal, the notice gate and the front page, over HTTP.

Each test logs in through the built-in test identity provider, as a person
without JavaScript would: the pages' own forms, followed redirects.
"""

from __future__ import annotations

from portal_world import PortalWorld, hidden_fields


def test_inf_2_an_adult_first_login_is_gated_until_the_notice_is_acknowledged(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    adult = portal.people.adult

    gate = portal.login(browser, adult)
    elsewhere = browser.get("/portal/management")
    acknowledged = browser.post(
        "/portal/notice/acknowledge",
        data=hidden_fields(gate.text, "/portal/notice/acknowledge"),
    )

    assert gate.url.path == "/portal/notice"
    assert 'id="notice-version">Version 2023-11<' in gate.text
    assert elsewhere.url.path == "/portal/notice"
    assert acknowledged.url.path == "/portal/home"
    assert [c.version for c in portal.store.choices_of(adult)] == ["2023-11"]  # type: ignore[attr-defined]


def test_inf_2_declining_the_notice_logs_out_and_records_no_acknowledgement(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    adult = portal.people.adult

    gate = portal.login(browser, adult)
    declined = browser.post(
        "/portal/notice/decline",
        data=hidden_fields(gate.text, "/portal/notice/decline"),
    )
    after = browser.get("/portal/home")

    assert declined.url.path == "/portal/"
    assert 'id="login"' in declined.text
    assert "You declined the Kanta information" in declined.text
    assert after.url.path == "/portal/"
    assert 'id="login"' in after.text
    assert list(portal.store.choices_of(adult)) == []


def test_inf_2_an_adult_who_acknowledged_earlier_goes_straight_to_the_front_page(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.adult_with_permission)

    assert page.url.path == "/portal/home"
    assert 'id="notice-status"' in page.text
    assert "The Kanta information has been acknowledged." in page.text


def test_min_1_min_4_a_minor_enters_without_the_gate_and_sees_no_reminder(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.child_12)
    notice = browser.get("/portal/notice")

    assert page.url.path == "/portal/home"
    assert "reminder-" not in page.text
    assert 'id="acknowledge"' not in page.text
    assert notice.url.path == "/portal/home"


def test_min_3_a_minor_sees_who_acknowledged_the_notice_for_them(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.child_16)

    assert page.url.path == "/portal/home"
    assert "The Kanta information has been acknowledged." in page.text
    assert "A guardian" in page.text


def test_min_3_a_minor_without_an_acknowledgement_is_told_so(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.child_12)

    assert "The Kanta information has not been acknowledged." in page.text


def test_per_5_an_informed_adult_without_a_health_permission_is_reminded(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    gate = portal.login(browser, portal.people.adult)

    home = browser.post(
        "/portal/notice/acknowledge",
        data=hidden_fields(gate.text, "/portal/notice/acknowledge"),
    )
    again = browser.get("/portal/home")

    assert 'id="reminder-permission-missing"' in home.text
    assert 'id="reminder-permission-missing"' in again.text


def test_per_5_an_adult_with_a_health_permission_is_not_reminded(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.adult_with_permission)

    assert page.url.path == "/portal/home"
    assert "reminder-" not in page.text


def test_no_identity_code_appears_in_any_address_of_the_login(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    adult = portal.people.adult

    page = portal.login(browser, adult)

    visited = [str(r.url) for r in (*page.history, page)]
    assert len(visited) >= 3
    assert all(adult not in url for url in visited)
    assert all(adult[:6] not in url for url in visited)


def test_the_session_cookie_is_http_only_and_same_site(portal: PortalWorld) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.adult)

    cookies = [
        h
        for r in (*page.history, page)
        for h in r.headers.get_list("set-cookie")
        if h.startswith("kanta_portal=")
    ]
    assert cookies
    assert all("HttpOnly" in c and "SameSite=lax" in c for c in cookies)


def test_logging_out_ends_the_session(portal: PortalWorld) -> None:
    browser = portal.browser()
    page = portal.login(browser, portal.people.adult_with_permission)

    out = browser.post(
        "/portal/logout", data=hidden_fields(page.text, "/portal/logout")
    )
    after = browser.get("/portal/management")

    assert out.url.path == "/portal/"
    assert "You have logged out." in out.text
    assert after.url.path == "/portal/"
    assert 'id="login"' in after.text


def test_a_session_ends_eight_hours_after_its_login_however_busy(
    portal: PortalWorld,
) -> None:
    from datetime import timedelta

    browser = portal.browser()
    portal.login(browser, portal.people.adult_with_permission)
    began = portal.clock.moment
    try:
        portal.clock.moment = began + timedelta(hours=7, minutes=59)
        busy = browser.get("/portal/management")
        portal.clock.moment = began + timedelta(hours=8, minutes=1)
        late = browser.get("/portal/management")
    finally:
        portal.clock.moment = began

    assert busy.url.path == "/portal/management"
    assert late.url.path == "/portal/"
    assert 'id="login"' in late.text


def test_a_copy_of_the_session_cookie_opens_nothing_after_logging_out(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    page = portal.login(browser, portal.people.adult_with_permission)
    kept = browser.cookies["kanta_portal"]
    browser.post("/portal/logout", data=hidden_fields(page.text, "/portal/logout"))
    thief = portal.browser()
    thief.cookies.set("kanta_portal", kept)

    after = thief.get("/portal/management")

    assert after.url.path == "/portal/"
    assert 'id="login"' in after.text


def test_an_unknown_test_code_gets_a_plain_page_and_no_session(
    portal: PortalWorld,
) -> None:
    from datetime import date

    from kanta_consent.services.demo_people import demo_code

    browser = portal.browser()
    stranger = demo_code(date(1970, 1, 1), 999)

    page = portal.login(browser, stranger)
    after = browser.get("/portal/home")

    assert page.status_code == 404
    assert 'id="message"' in page.text
    assert after.url.path == "/portal/"


def test_per_6_a_health_permission_given_before_outside_kanta_grant_is_asked_again(
    portal: PortalWorld,
) -> None:
    from datetime import datetime

    from portal_world import change, submit

    from kanta_consent.domain.identity import HELSINKI

    now = portal.clock.moment
    portal.clock.moment = datetime(2023, 6, 1, 12, 0, tzinfo=HELSINKI)
    earlier = portal.browser()
    submit(
        earlier,
        portal.login(earlier, portal.people.adult),
        "/portal/notice/acknowledge",
    )
    change(earlier, action="grant", scope="health")
    portal.clock.moment = now
    browser = portal.browser()

    gate = portal.login(browser, portal.people.adult)
    home = submit(browser, gate, "/portal/notice/acknowledge")

    assert gate.url.path == "/portal/notice"
    assert 'id="reminder-permission-renew"' in home.text
    assert 'id="reminder-permission-missing"' not in home.text


def test_inf_1_a_version_the_operator_added_is_shown_in_its_own_text(
    portal: PortalWorld,
) -> None:
    from datetime import date

    from portal_world import submit

    from kanta_consent.domain.calendar import NoticeVersion

    texts = {
        "fi": "Uusi Kanta-informaatio.\n\nToinen kappale.",
        "sv": "Ny Kanta-information.",
        "en": "New Kanta information.\n\nA second paragraph.",
    }
    portal.store.add_notice_version(NoticeVersion("2025-01", date(2025, 1, 1)), texts)
    browser = portal.browser()

    gate = portal.login(browser, portal.people.adult_with_permission)
    finnish = submit(browser, gate, "/portal/language", lang="fi")

    assert gate.url.path == "/portal/notice"
    assert 'id="notice-version">Version 2025-01<' in gate.text
    assert "<p>New Kanta information.</p>" in gate.text
    assert "<p>A second paragraph.</p>" in gate.text
    assert 'id="notice-what"' not in gate.text
    assert "<p>Uusi Kanta-informaatio.</p>" in finnish.text


def test_min_5_at_18_the_gate_applies_though_acknowledged_in_care_as_a_minor(
    portal: PortalWorld,
) -> None:
    from datetime import timedelta

    from kanta_consent.services.consent import CareActor, ConsentService

    person = portal.people.almost_adult
    care = CareActor("reg-county-health", "youth clinic")
    ConsentService(portal.store).acknowledge(care, person, portal.clock.now())
    as_minor = portal.browser()
    before = portal.login(as_minor, person)
    portal.clock.moment = portal.clock.moment + timedelta(days=6)
    as_adult = portal.browser()

    after = portal.login(as_adult, person)

    assert before.url.path == "/portal/home"
    assert "The Kanta information has been acknowledged." in before.text
    assert after.url.path == "/portal/notice"
    assert 'id="notice-for-self"' in after.text


def test_the_session_cookie_does_not_reveal_the_identity_code(
    portal: PortalWorld,
) -> None:
    import base64

    browser = portal.browser()
    adult = portal.people.adult_with_permission

    page = portal.login(browser, adult)

    value = browser.cookies["kanta_portal"]
    opened = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    assert page.url.path == "/portal/home"
    assert adult.encode() not in opened
    assert b"actor" not in opened
    assert adult not in value
