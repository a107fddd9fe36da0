"""Acting for a child or a principal in the portal, over HTTP (REP-1 to REP-7)."""

from __future__ import annotations

import pytest
from httpx import Client
from portal_world import NOW, PortalWorld, act_for, change, csrf_of, submit

from kanta_consent.domain.choices import Acknowledgement, PermissionGranted
from kanta_consent.domain.codes import ActorRole, Purpose, Scope
from kanta_consent.services.consent import ConsentService

# The parent's "Whom to act for" lists themselves, then the children eldest
# first: 1 is the 16-year-old, 2 the 12-year-old.
CHILD_16, CHILD_12 = 1, 2


def test_rep_1_a_guardian_is_offered_themselves_and_each_child(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()

    page = portal.login(browser, portal.people.parent)

    assert page.url.path == "/portal/act-for"
    assert page.text.count('data-role="guardian"') == 2
    assert page.text.count('data-role="self"') == 1
    assert portal.people.child_12 not in page.text


def test_rep_3_per_5_a_guardian_sees_the_notice_for_a_child_without_an_acknowledgement(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.parent)

    gate = act_for(browser, CHILD_12)
    home = submit(browser, gate, "/portal/notice/acknowledge")

    assert gate.url.path == "/portal/notice"
    assert 'id="notice-for-principal"' in gate.text
    assert home.url.path == "/portal/home"
    assert "You are acting as guardian for your child" in home.text
    # PER-5: a minor's front page, seen by a guardian, shows no reminder.
    assert "reminder-" not in home.text
    made = [c for c in portal.store.choices_of(portal.people.child_12)]
    assert [(type(c), c.actor.role) for c in made] == [
        (Acknowledgement, ActorRole.GUARDIAN)
    ]


def test_rep_3_declining_for_a_child_returns_to_own_pages_without_logging_out(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.parent)

    gate = act_for(browser, CHILD_12)
    back = submit(browser, gate, "/portal/notice/decline")

    assert back.url.path == "/portal/home"
    assert "You are handling your own matters." in back.text
    assert 'id="logout"' in back.text
    assert list(portal.store.choices_of(portal.people.child_12)) == []


def test_rep_4_a_guardian_may_grant_the_childs_permission_but_is_offered_no_prohibition(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    act_for(browser, CHILD_16)

    page = browser.get("/portal/management")
    saved = change(browser, action="grant", scope="social")

    assert 'id="prohibit-form"' not in page.text
    assert 'id="withdraw-prohibition-' not in page.text
    assert 'id="grant-social"' in page.text
    assert saved.url.path == "/portal/management"
    state = portal.store.choices_of(portal.people.child_16).as_of(portal.clock.now())
    assert state.permissions[Scope.SOCIAL].actor.role is ActorRole.GUARDIAN


def test_rep_4_log_2_a_guardian_is_not_shown_the_childs_disclosure_log(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    home = act_for(browser, CHILD_16)

    log = browser.get("/portal/log")

    assert 'href="/portal/log"' not in home.text
    assert log.status_code == 403
    assert 'data-code="guardian-not-allowed"' in log.text


def test_rep_7_a_guardian_sees_events_before_ten_and_those_marked_1_or_2(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    gate = act_for(browser, CHILD_12)
    submit(browser, gate, "/portal/notice/acknowledge")

    page = browser.get("/portal/events")

    shown = {e for e in ("early", "cap1", "cap2", "cap3", "cap4")
             if f'id="event-ev-c12-{e}"' in page.text}  # fmt: skip
    assert shown == {"early", "cap1", "cap2"}


def test_inf_7_the_child_sees_all_of_their_own_events(portal: PortalWorld) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.child_12)

    page = browser.get("/portal/events")

    assert page.text.count('id="event-ev-c12-') == 5


def test_rep_2_a_mandate_holder_acts_for_the_principal_after_the_principals_gate(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.mandate_holder)

    gate = act_for(browser, 1)
    home = submit(browser, gate, "/portal/notice/acknowledge")
    saved = change(browser, action="grant", scope="health")

    assert 'id="notice-for-principal"' in gate.text
    assert "under a mandate" in home.text
    assert 'id="reminder-permission-missing"' in home.text
    assert saved.url.path == "/portal/management"
    state = portal.store.choices_of(portal.people.principal).as_of(portal.clock.now())
    held = state.permissions[Scope.HEALTH]
    assert isinstance(held, PermissionGranted)
    assert (held.actor.role, held.actor.person) == (
        ActorRole.MANDATE_HOLDER,
        portal.people.mandate_holder,
    )


def test_rep_5_a_mandate_holder_is_not_offered_the_wellbeing_permission(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.mandate_holder)
    submit(browser, act_for(browser, 1), "/portal/notice/acknowledge")

    page = browser.get("/portal/management")

    assert 'id="grant-health"' in page.text
    assert 'id="grant-wellbeing"' not in page.text
    assert 'id="prohibit-form"' in page.text


def test_rep_6_the_principal_sees_the_choice_their_mandate_holder_made(
    portal: PortalWorld,
) -> None:
    holder = portal.browser()
    portal.login(holder, portal.people.mandate_holder)
    submit(holder, act_for(holder, 1), "/portal/notice/acknowledge")
    change(holder, action="grant", scope="health")
    principal = portal.browser()
    portal.login(principal, portal.people.principal)

    page = principal.get("/portal/management")

    history = page.text[page.text.index('id="history-table"') :]
    assert history.count("A mandate holder") == 2
    assert "Disclosure permission given" in history


def _child_16_grants_social_in_care(portal: PortalWorld) -> None:
    from kanta_consent.services.consent import CareActor, ConsentService

    ConsentService(portal.store).grant(
        CareActor("reg-county-health", "youth clinic"),
        portal.people.child_16,
        Scope.SOCIAL,
        portal.clock.now(),
    )


def test_rep_4_min_6_a_guardian_is_not_shown_a_permission_the_child_gave_in_care(
    portal: PortalWorld,
) -> None:
    _child_16_grants_social_in_care(portal)
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    act_for(browser, CHILD_16)

    page = browser.get("/portal/management")

    row = page.text[page.text.index('id="permission-social"') :]
    row = row[: row.index("</tr>")]
    history = page.text[page.text.index('id="history-table"') :]
    assert "In force since" not in row
    assert 'id="withdraw-social"' not in row
    assert "youth clinic" not in history
    assert "In care" not in history


def test_rep_4_a_guardian_withdrawing_a_permission_the_child_gave_in_care_is_refused(
    portal: PortalWorld,
) -> None:
    from portal_world import csrf_of

    _child_16_grants_social_in_care(portal)
    browser = portal.browser()
    portal.login(browser, portal.people.parent)
    page = act_for(browser, CHILD_16)
    before = list(portal.store.choices_of(portal.people.child_16))

    forged = browser.post(
        "/portal/management/confirm",
        data={
            "csrf": csrf_of(page.text),
            "action": "withdraw-permission",
            "scope": "social",
        },
    )

    assert forged.status_code == 403
    assert 'data-code="guardian-not-allowed"' in forged.text
    assert list(portal.store.choices_of(portal.people.child_16)) == before


def test_min_3_rep_6_the_child_sees_their_own_choice_made_in_care(
    portal: PortalWorld,
) -> None:
    _child_16_grants_social_in_care(portal)
    browser = portal.browser()
    portal.login(browser, portal.people.child_16)

    page = browser.get("/portal/management")

    history = page.text[page.text.index('id="history-table"') :]
    assert "A professional in care (youth clinic)" in history
    assert 'id="why-not"' in page.text
    assert 'id="grant-' not in page.text


@pytest.mark.parametrize(
    ("language", "chooser", "banner"),
    [
        ("fi", "joka on valtuuttanut sinut", "Asioit valtuutettuna toisen puolesta:"),
        ("sv", "som har gett dig fullmakt", "Du sköter ärenden med fullmakt för"),
        ("en", "who gave you a mandate", "You are acting for"),
    ],
)
def test_rep_2_whom_a_mandate_holder_acts_for_is_said_naturally(
    portal: PortalWorld, language: str, chooser: str, banner: str
) -> None:
    browser = portal.browser(language)
    portal.login(browser, portal.people.mandate_holder)

    choices = browser.get("/portal/act-for")
    home = act_for(browser, 1)

    assert chooser in choices.text
    assert "henkilö, " not in choices.text
    assert banner in home.text


def test_rep_2_pages_seen_for_a_principal_speak_of_the_principal_not_of_you(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    portal.login(browser, portal.people.mandate_holder)
    submit(browser, act_for(browser, 1), "/portal/notice/acknowledge")

    home = browser.get("/portal/home")
    management = browser.get("/portal/management")
    my_data = browser.get("/portal/my-data")
    log = browser.get("/portal/log")

    assert "treats you" not in management.text
    assert "treats the person you act for" in management.text
    assert "who can see the data of the person you act for" in home.text
    assert "Who can see the data of the person you act for" in my_data.text
    assert "asked for the data of the person you act for" in log.text
    assert "your data" not in home.text + my_data.text + log.text


def _principal_decided(portal: PortalWorld, purpose: Purpose) -> None:
    consent = ConsentService(portal.store)
    _, visit = consent.event_data("ev-p-visit")
    consent.decide(portal.people.principal, visit, "reg-clinic", purpose, NOW)


def _guardian_granted_for_child_12(portal: PortalWorld, language: str) -> Client:
    browser = portal.enter(portal.people.parent, language)
    submit(browser, act_for(browser, CHILD_12), "/portal/notice/acknowledge")
    change(browser, action="grant", scope="health")
    return browser


def test_rep_1_rep_6_a_guardian_reads_of_the_childs_choices_not_of_their_own(
    portal: PortalWorld,
) -> None:
    browser = _guardian_granted_for_child_12(portal, "en")

    my_data = browser.get("/portal/my-data")
    event = browser.get("/portal/my-data/events/ev-c12-early")
    management = browser.get("/portal/management")
    data = {"csrf": csrf_of(management.text), "action": "grant", "scope": "social"}
    preview = browser.post("/portal/management/preview", data=data)

    seen = my_data.text + event.text + management.text + preview.text
    assert "A disclosure permission you gave on their behalf on" in event.text
    assert "Only in an emergency, when the person cannot be asked." in event.text
    assert "You gave" not in seen
    assert "when you cannot be asked" not in seen
    assert "Wellbeing data the person saved themselves" in management.text
    assert "is given on behalf of the person you act for" in preview.text
    assert "You give the disclosure permission" not in preview.text
    assert "serves you" not in preview.text


def test_rep_2_rep_5_a_mandate_holder_reads_of_the_principals_data_and_log(
    portal: PortalWorld,
) -> None:
    browser = portal.enter(portal.people.mandate_holder)
    submit(browser, act_for(browser, 1), "/portal/notice/acknowledge")
    _principal_decided(portal, Purpose.EMERGENCY)

    home = browser.get("/portal/home")
    change(browser, action="grant", scope="health")
    _principal_decided(portal, Purpose.CARE)
    management = browser.get("/portal/management")
    data = {
        "csrf": csrf_of(management.text),
        "action": "prohibit",
        "target": "service-event:ev-p-visit",
        "emergency": "yes",
    }
    preview = browser.post("/portal/management/preview", data=data)
    my_data = browser.get("/portal/my-data")
    log = browser.get("/portal/log")

    seen = home.text + management.text + preview.text + my_data.text + log.text
    assert "The person you act for has no disclosure permission" in home.text
    assert "Service events of the person you act for" in management.text
    assert "when the person cannot be asked (health care data only)" in (
        management.text
    )
    assert "when the person cannot be asked, the data can still" in preview.text
    assert "A disclosure permission you gave on their behalf on" in my_data.text
    assert "The person's disclosure permission" in log.text
    assert "An emergency, when the person could not be asked" in log.text
    for words in ("You gave", "Your ", "your ", "when I cannot", "treating you"):
        assert words not in seen, words


@pytest.mark.parametrize(
    ("language", "expected", "own"),
    [
        ("fi", "Luovutuslupa, jonka annoit hänen puolestaan", "Annoit luovutusluvan"),
        (
            "sv",
            "Ett tillstånd för utlämnande som du gav för personens räkning",
            "Du gav",
        ),
        ("en", "A disclosure permission you gave on their behalf on", "You gave"),
    ],
)
def test_rep_1_rep_6_a_guardian_reads_who_gave_the_childs_permission_in_each_language(
    portal: PortalWorld, language: str, expected: str, own: str
) -> None:
    browser = _guardian_granted_for_child_12(portal, language)

    event = browser.get("/portal/my-data/events/ev-c12-early")

    assert expected in event.text
    assert own not in event.text
