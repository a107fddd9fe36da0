"""The portal's catalogues: every text of the sources translated into fi and sv."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kanta_consent.entrypoints.web import i18n

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "kanta_consent"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None,
            "DemoIdentity": (2,), "Role": (4,)}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _source_texts() -> set[str]:
    method_map = [
        ("entrypoints/web/**.py", "python"),
        ("services/demo_people.py", "python"),
        ("entrypoints/web/templates/**.html", "jinja2"),
    ]
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(
        str(PACKAGE), method_map, options, keywords=KEYWORDS, comment_tags=()
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def _catalogue(language: str) -> dict[str, str]:
    path = LOCALE / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        return {m.id: m.string for m in read_po(source) if isinstance(m.id, str)}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_portal_text_has_a_translation(language: str) -> None:
    catalogue = _catalogue(language)
    texts = _source_texts()

    missing = sorted(t for t in texts if not catalogue.get(t))

    assert "Management of the use of data" in texts
    assert missing == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_translations_keep_the_named_placeholders(language: str) -> None:
    catalogue = _catalogue(language)

    broken = [
        text
        for text, translated in catalogue.items()
        if translated
        and sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(translated))
    ]

    assert broken == []


def test_the_portal_looks_texts_up_in_the_active_language() -> None:
    i18n.activate("sv")
    swedish = i18n.gettext("Management of the use of data")
    i18n.activate("fi")
    finnish = i18n.gettext("Management of the use of data")

    assert (swedish, finnish) == (
        "Hantering av användningen av uppgifter",
        "Tietojen käytön hallinta",
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "fi"),
        ("", "fi"),
        ("sv", "sv"),
        ("en-GB,en;q=0.9,fi;q=0.8", "en"),
        ("fi;q=0.2,sv;q=0.7", "sv"),
        ("de,en;q=0", "fi"),
        ("sv;q=bad,en;q=0.5", "en"),
    ],
)
def test_the_language_is_negotiated_from_accept_language(
    header: str | None, expected: str
) -> None:
    assert i18n.negotiate(header) == expected
