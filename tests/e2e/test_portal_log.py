"""The disclosure log over HTTP: registers named as on the other pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from portal_world import NOW, PortalWorld

from kanta_consent.domain.codes import Purpose, RegisterKind
from kanta_consent.domain.model import Organisation, Register
from kanta_consent.services.consent import ConsentService

# A private provider of the demo directory, named as `kanta-consent demo`
# stores it: the "(fictional)" mark is part of the stored name.
PROVIDER = "Lääkärikeskus Kuusikko Oy (fictional)"
REGISTER = "Lääkärikeskus Kuusikko Oy (fictional): potilasrekisteri"


def _disclose_to_fictional_provider(portal: PortalWorld) -> None:
    portal.store.add_organisation(Organisation("org-kuusikko", False, name=PROVIDER))
    portal.store.add_register(
        Register(
            "reg-kuusikko",
            "org-kuusikko",
            RegisterKind.PRIVATE_HEALTH,
            name=REGISTER,
        )
    )
    service = ConsentService(portal.store)
    person, visit = service.event_data("ev-a2-visit")
    service.decide(
        person, visit, "reg-kuusikko", Purpose.CARE, NOW - timedelta(hours=1)
    )


@pytest.mark.parametrize(
    ("language", "word"),
    [("fi", "(kuvitteellinen)"), ("sv", "(fiktiv)"), ("en", "(fictional)")],
)
def test_the_log_names_a_fictional_recipient_in_the_page_language(
    portal: PortalWorld, language: str, word: str
) -> None:
    _disclose_to_fictional_provider(portal)
    browser = portal.browser(language)
    portal.login(browser, portal.people.adult_with_permission)

    page = browser.get("/portal/log")

    found = re.search(r'<table id="log-table".*?</table>', page.text, re.S)
    assert found, page.text
    log = found.group(0)
    assert f"Lääkärikeskus Kuusikko Oy {word}: potilasrekisteri" in log
    assert f"Lääkärikeskus Kuusikko Oy {word}<br>" in log
    if language != "en":
        assert "(fictional)" not in log
