"""Languages of the portal: Babel catalogues, the active language, Finnish time.

The catalogues are the .po files of `kanta_consent/locale`; they are compiled
in memory when first used, so no build step stands between an edited .po
file and the pages. Text is looked up through the language active for the
request, held in a context variable.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from kanta_consent.domain.identity import HELSINKI

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"

_active: ContextVar[str] = ContextVar("portal_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> Translations:
    """Returns the compiled catalogue of a language."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def activate(language: str) -> None:
    """Makes the language the one text is looked up in, for this request."""
    _active.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def active() -> str:
    """Returns the language of this request."""
    return _active.get()


def gettext(message: str) -> str:
    """Returns the message in the active language."""
    return translations(active()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Returns the singular or plural message in the active language."""
    return translations(active()).ngettext(singular, plural, count)


def mark(message: str) -> str:
    """Marks a message for the catalogue; it is translated where shown."""
    return message


def negotiate(accept_language: str | None) -> str:
    """Picks the language from an Accept-Language header, by its q values."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def moment_text(moment: datetime) -> str:
    """Formats a moment in Finnish time for the active language."""
    locale = _LOCALES[active()]
    local = moment.astimezone(HELSINKI)
    day = format_date(local.date(), "long", locale=locale)
    return f"{day} {format_time(local.time(), 'short', locale=locale)}"


def date_text(day: date) -> str:
    """Formats a day for the active language."""
    return format_date(day, "long", locale=_LOCALES[active()])
