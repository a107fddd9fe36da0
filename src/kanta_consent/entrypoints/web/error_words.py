"""Words for what was wrong with a value a person gave the portal.

The domain and the services name the field and the value in English for
developers; a person reads the same in the page's language, with the value
they gave, so that they can put it right.
"""

from __future__ import annotations

import re

from kanta_consent.domain.errors import InvalidIdentityCode, InvalidValue
from kanta_consent.entrypoints.web.i18n import gettext

# A value is echoed to the person who gave it, never longer than this.
_SHOWN = 60


def _(message: str, **values: str) -> str:
    text = gettext(message)
    return text % values if values else text


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def invalid_value_text(error: InvalidValue) -> str:
    """Says which value of which field was wrong, and why, in plain words."""
    value = _shown(error.value)
    if error.field == "on":
        if error.problem.startswith("is in the future"):
            return _(
                "The day %(value)s is in the future. Pick today or an earlier day.",
                value=value,
            )
        return _(
            "“%(value)s” is not a day. Write the day as YYYY-MM-DD, for example "
            "2025-03-03.",
            value=value,
        )
    if error.field == "page":
        pages = re.search(r"from 1 to (\d+)", error.problem)
        if pages:
            return _(
                "There is no page %(value)s of service events: they fill pages 1 "
                "to %(pages)s.",
                value=value,
                pages=pages.group(1),
            )
        return _("“%(value)s” is not a page number.", value=value)
    return _(
        "The value “%(value)s” of the field “%(field)s” is not valid.",
        value=value,
        field=_shown(error.field),
    )


# The gist of each problem domain.identity names (ID-1), by its wording.
_IDENTITY_PROBLEMS = (
    (re.compile(r"it has (\d+) characters"), "length"),
    (re.compile(r"is not six digits"), "shape"),
    (re.compile(r"is not a century sign"), "sign"),
    (re.compile(r"is not a date"), "date"),
    (re.compile(r"individual number"), "number"),
    (re.compile(r"check character"), "check"),
)


def identity_code_text(error: InvalidIdentityCode) -> str:
    """Says what is wrong with a typed identity code, without repeating it."""
    for pattern, gist in _IDENTITY_PROBLEMS:
        found = pattern.search(error.problem)
        if found is None:
            continue
        if gist == "length":
            return _(
                "An identity code has 11 characters; the one typed has %(count)s.",
                count=found.group(1),
            )
        return _identity_gist(gist)
    return _("This is not a valid identity code.")


def _identity_gist(gist: str) -> str:
    texts = {
        "shape": _(
            "An identity code is the birth date as six digits (DDMMYY), a "
            "century sign, three digits and a check character."
        ),
        "sign": _(
            "The seventh character is not a century sign (for example - for "
            "the 1900s, A for the 2000s)."
        ),
        "date": _("The first six digits are not a birth date (DDMMYY)."),
        "number": _("The three digits after the century sign are not in use."),
        "check": _(
            "The check character does not match the digits: look for a typing error."
        ),
    }
    return texts[gist]


def not_a_test_code_text() -> str:
    """Says why a real-looking code cannot log in at the test login (ID-3)."""
    return _(
        "Only test identity codes, whose individual number is 900–999, can log in here."
    )
