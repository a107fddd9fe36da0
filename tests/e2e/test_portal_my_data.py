"""My data over HTTP: events, who can see them, then, and emergencies (issue 6)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from portal_world import NOW, PortalWorld, act_for, change, submit

from kanta_consent.domain.codes import Purpose, Scope
from kanta_consent.services.consent import CareActor, ConsentService

# The parent's "Whom to act for" lists themselves, then the children eldest
# first: 2 is the 12-year-old.
CHILD_12 = 2
EVENT = "/portal/my-data/events/"


def table(html: str, table_id: str) -> str:
    """Returns one table of the page, or "" when it is not drawn."""
    found = re.search(rf'<table id="{table_id}".*?</table>', html, re.S)
    return found.group(0) if found else ""


def registers_in(html: str, table_id: str) -> set[str]:
    return set(re.findall(r'data-register="([^"]+)"', table(html, table_id)))


def test_inf_7_an_adult_sees_own_events_newest_first_and_who_can_see_the_data(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/my-data")

    assert page.status_code == 200
    events = table(page.text, "my-events")
    assert events.index('id="event-ev-a2-clinic"') < events.index(
        'id="event-ev-a2-visit"'
    )
    assert "reg-clinic" in registers_in(page.text, "all-care")
    assert 'id="other-prescription"' in page.text
    assert 'href="/portal/my-data"' in page.text


def test_inf_7_social_welfare_events_show_with_their_service_task(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult)

    page = browser.get("/portal/my-data")

    row = re.search(r'<tr id="event-ev-a1-family">.*?</tr>', page.text, re.S)
    assert row is not None and "Services for families with children" in row.group(0)


def test_rep_7_a_guardian_of_a_12_year_old_sees_marked_events_not_unmarked(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.parent)
    gate = act_for(browser, CHILD_12)
    submit(browser, gate, "/portal/notice/acknowledge")

    page = browser.get("/portal/my-data")
    hidden = browser.get(EVENT + "ev-c12-cap3")

    shown = set(re.findall(r'id="event-(ev-[^"]+)"', page.text))
    assert shown == {"ev-c12-early", "ev-c12-cap1", "ev-c12-cap2"}
    assert 'id="guardian-events"' in page.text
    missing = browser.get(EVENT + "ev-no-such-event")
    assert hidden.status_code == 404
    assert "ev-c12-cap3" not in hidden.text.replace(EVENT + "ev-c12-cap3", "")
    # REP-7: a hidden event is answered as one that does not exist.
    assert missing.status_code == 404
    assert 'href="/portal/my-data"' in hidden.text
    assert _main(hidden.text) == _main(missing.text)
    assert "Service event not found" in hidden.text


def _main(page: str) -> str:
    found = re.search(r"<main.*?</main>", page, re.S)
    assert found is not None
    return found.group(0)


def test_dis_6_who_can_see_an_event_before_and_after_a_prohibition(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    before = browser.get(EVENT + "ev-a2-visit")

    page = browser.get("/portal/management")
    preview = browser.post(
        "/portal/management/preview",
        data={
            "csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1),  # type: ignore[union-attr]
            "action": "prohibit",
            "target": "service-event:ev-a2-visit",
        },
    )
    change(browser, action="prohibit", target="service-event:ev-a2-visit")
    after = browser.get(EVENT + "ev-a2-visit")

    assert "reg-clinic" in registers_in(before.text, "event-care")
    assert "You gave a disclosure permission on" in table(before.text, "event-care")
    assert "reg-clinic" in registers_in(preview.text, "preview-changes")
    assert 'class="loss"' in table(preview.text, "preview-changes")
    assert "reg-clinic" not in registers_in(after.text, "event-care")
    assert 'id="event-care-none"' in after.text


def test_pro_6_an_event_prohibited_but_for_emergencies_tells_why_not_for_care(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get(EVENT + "ev-a2-clinic")

    emergency = table(page.text, "event-emergency")
    assert 'id="event-care-none"' in page.text
    assert "reg-county-health" in registers_in(page.text, "event-emergency")
    assert "Not for care: A prohibition of disclosure stops it." in emergency
    assert "In an emergency: A disclosure permission allows it." in emergency


def test_dis_11_the_view_as_of_a_past_date_shows_what_the_choices_allowed_then(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    change(browser, action="prohibit", target="service-event:ev-a2-visit")
    yesterday = (NOW - timedelta(days=1)).date().isoformat()

    then = browser.get(EVENT + "ev-a2-visit", params={"on": yesterday})
    now = browser.get(EVENT + "ev-a2-visit")

    assert "reg-clinic" in registers_in(then.text, "event-care")
    assert 'id="as-of-note"' in then.text
    assert "reg-clinic" not in registers_in(now.text, "event-care")
    assert portal.people.adult_with_permission not in str(then.url)


def test_dis_11_a_date_in_the_future_or_not_a_date_is_refused_with_a_page(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()

    future = browser.get("/portal/my-data", params={"on": tomorrow})
    garbled = browser.get("/portal/my-data", params={"on": "yesterday"})

    assert (future.status_code, garbled.status_code) == (400, 400)


def test_dis_11_today_picked_is_the_present_view_without_a_past_day_note(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.adult_with_permission)

    page = browser.get("/portal/my-data", params={"on": NOW.date().isoformat()})

    assert page.status_code == 200
    assert 'id="as-of-note"' not in page.text
    assert f'value="{NOW.date().isoformat()}"' in page.text


def test_dis_12_looking_at_who_can_see_logs_no_disclosure(
    portal: PortalWorld,
) -> None:
    code = portal.people.adult_with_permission
    browser = portal.enter(code)
    logged = portal.snapshot(code)

    browser.get("/portal/my-data")
    browser.get(EVENT + "ev-a2-visit")
    browser.get(EVENT + "ev-a2-visit", params={"on": "2024-12-01"})

    assert portal.snapshot(code) == logged


def test_dis_9_the_front_page_tells_of_emergency_disclosures_since_the_last_visit(
    portal: PortalWorld,
) -> None:
    code = portal.people.adult_with_permission
    first = portal.enter(code)
    first_home = first.get("/portal/home")
    portal.clock.moment = NOW + timedelta(days=1)
    second_home = portal.enter(code).get("/portal/home")
    consent = ConsentService(portal.store)
    _, visit = consent.event_data("ev-a2-visit")
    consent.decide(
        code, visit, "reg-clinic", Purpose.EMERGENCY, NOW + timedelta(days=1, hours=2)
    )
    portal.clock.moment = NOW + timedelta(days=2)

    third = portal.enter(code)
    third_home = third.get("/portal/home")
    # The first session is two days old by now: a session lasts 8 hours.
    log = third.get("/portal/log")

    assert 'id="emergency-notice"' in first_home.text
    assert 'id="emergency-notice"' not in second_home.text
    assert "disclosed once in an emergency" in third_home.text
    assert log.text.count('class="emergency-mark"') == 2


def test_rep_4_a_guardian_is_not_told_of_a_childs_emergency_disclosures(
    portal: PortalWorld,
) -> None:
    consent = ConsentService(portal.store)
    _, early = consent.event_data("ev-c12-early")
    consent.decide(portal.people.child_12, early, "reg-clinic", Purpose.EMERGENCY, NOW)
    browser = portal.enter(portal.people.parent)
    gate = act_for(browser, CHILD_12)
    submit(browser, gate, "/portal/notice/acknowledge")

    home = browser.get("/portal/home")

    assert home.url.path == "/portal/home"
    assert 'id="emergency-notice"' not in home.text


def test_rep_4_a_guardian_is_not_shown_the_choice_a_child_made_in_care(
    portal: PortalWorld,
) -> None:
    consent = ConsentService(portal.store)
    child = portal.people.child_12
    care = CareActor("reg-county-health")
    consent.acknowledge(care, child, NOW - timedelta(days=2))
    consent.grant(care, child, Scope.HEALTH, NOW - timedelta(days=1))
    browser = portal.enter(portal.people.parent)
    act_for(browser, CHILD_12)

    page = browser.get(EVENT + "ev-c12-cap1")

    care_table = table(page.text, "event-care")
    assert "reg-clinic" in registers_in(page.text, "event-care")
    assert "It rests on a choice that a guardian is not shown." in care_table
    assert "given on" not in care_table
    assert "You gave" not in care_table


@pytest.mark.parametrize(
    ("language", "heading", "who", "permission"),
    [
        ("fi", "Omat tiedot", "Keillä on pääsy tietoihisi", "Annoit luovutusluvan"),
        (
            "sv",
            "Mina uppgifter",
            "Vem kan se dina uppgifter",
            "Du gav ett tillstånd för utlämnande",
        ),
        (
            "en",
            "My data",
            "Who can see your data",
            "You gave a disclosure permission on",
        ),
    ],
)
def test_my_data_speaks_finnish_swedish_and_english(
    portal: PortalWorld, language: str, heading: str, who: str, permission: str
) -> None:
    browser = portal.enter(portal.people.adult_with_permission, language)

    page = browser.get("/portal/my-data")
    event = browser.get(EVENT + "ev-a2-visit")

    assert f'<html lang="{language}">' in page.text
    assert f"<h1>{heading}</h1>" in page.text
    assert who in page.text
    assert permission in table(event.text, "event-care")
    assert '<label for="on">' in event.text
