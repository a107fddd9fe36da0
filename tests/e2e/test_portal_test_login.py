"""The built-in test login in the page's language: who each demo person is."""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import copy_context
from datetime import date
from pathlib import Path

import pytest
from portal_world import NOW, PortalWorld, start_portal

from kanta_consent.domain.identity import eighteenth_birthday, parse_identity_code
from kanta_consent.entrypoints.web import i18n
from kanta_consent.services.demo_people import (
    ROLES,
    demo_code,
    describe,
    years_before,
)

# The ages services/demo_curated.py gives the curated people, in years.
AGES = {"child-12": 12, "child-16": 16, "almost-adult": 17, "principal": 83}


@pytest.fixture
def curated(tmp_path: Path) -> Iterator[PortalWorld]:
    """The portal's test login lists the curated people, as under serve --demo."""
    for world in start_portal(tmp_path):
        today = NOW.date()
        world.app.state.demo_identities = [
            describe(role, demo_code(_born(today, role.key), role.number))
            for role in ROLES
        ]
        yield world


def _born(today: date, key: str) -> date:
    return years_before(today, AGES.get(key, 40), -20)


@pytest.mark.parametrize(
    ("language", "turns_18"),
    [("fi", "17-vuotias, joka täyttää 18 vuotta"), ("sv", "En 17-åring som fyller 18")],
)
def test_the_test_login_describes_every_demo_person_in_the_page_language(
    curated: PortalWorld, language: str, turns_18: str
) -> None:
    page = curated.browser(language).get("/portal/login")

    english = [role.description for role in ROLES if role.description in page.text]
    assert page.status_code == 200
    assert english == []
    assert "%(" not in page.text
    assert turns_18 in page.text


def test_the_17_year_old_is_described_with_the_day_of_turning_18_in_words(
    curated: PortalWorld,
) -> None:
    almost = next(
        i for i in curated.app.state.demo_identities if "%(adult_on)s" in i.description
    )
    adult_on = eighteenth_birthday(parse_identity_code(almost.code).birth_date)

    page = curated.browser("en").get("/portal/login")

    written = copy_context().run(_english_day, adult_on)
    assert f"A 17-year-old who turns 18 on {written}" in page.text


def _english_day(day: date) -> str:
    i18n.activate("en")
    return i18n.date_text(day)
