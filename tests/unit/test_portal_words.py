"""The portal's words for stored names, in the page's language."""

from __future__ import annotations

from contextvars import copy_context

import pytest

from kanta_consent.domain.model import Organisation
from kanta_consent.entrypoints.web import i18n
from kanta_consent.entrypoints.web.describe import name_of


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
