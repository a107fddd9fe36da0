"""The portal's words for stored names, in the page's language."""

from __future__ import annotations

from contextvars import copy_context

import pytest

from kanta_consent.domain.codes import RegisterKind
from kanta_consent.domain.model import Organisation, Register
from kanta_consent.entrypoints.web import i18n
from kanta_consent.entrypoints.web.describe import name_of, place_text


def _name_in(language: str, organisation: Organisation) -> str:
    i18n.activate(language)
    return name_of(organisation)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "Työterveys Pihlaja Oy (kuvitteellinen)"),
        ("sv", "Työterveys Pihlaja Oy (fiktiv)"),
        ("en", "Työterveys Pihlaja Oy (fictional)"),
    ],
)
def test_a_fictional_provider_is_marked_so_in_the_page_language(
    language: str, expected: str
) -> None:
    provider = Organisation(
        "tyoterveys-pihlaja", False, name="Työterveys Pihlaja Oy (fictional)"
    )

    named = copy_context().run(_name_in, language, provider)

    assert named == expected


def test_a_register_named_after_its_organisation_names_the_organisation_once() -> None:
    owner = Organisation(
        "varsinais-suomi", True, name="Varsinais-Suomen hyvinvointialue"
    )
    register = Register(
        "varsinais-suomi-health",
        "varsinais-suomi",
        RegisterKind.PUBLIC_HEALTH,
        name="Varsinais-Suomen hyvinvointialue: potilasrekisteri",
    )

    named = copy_context().run(place_text, register, owner)

    assert named == "Varsinais-Suomen hyvinvointialue: potilasrekisteri"


def test_a_register_of_another_name_is_followed_by_its_organisation() -> None:
    owner = Organisation("org-county", True, name="Demo Wellbeing Services County")
    register = Register(
        "reg-county-health",
        "org-county",
        RegisterKind.PUBLIC_HEALTH,
        name="County health care",
    )

    named = copy_context().run(place_text, register, owner)

    assert named == "County health care, Demo Wellbeing Services County"
