"""`kanta-consent notice add ...`: a new version of the notice (INF-1, CAL-1)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The Kanta notice's versions (INF-1).", no_args_is_help=True)


@app.command("add")
def add(
    version: Annotated[str, typer.Argument(help="The version's name, e.g. 2027-03.")],
    current_from: Annotated[
        str, typer.Option("--current-from", help="First day current, YYYY-MM-DD.")
    ],
    text_fi: Annotated[Path, typer.Option("--text-fi", help="Finnish text file.")],
    text_sv: Annotated[Path, typer.Option("--text-sv", help="Swedish text file.")],
    text_en: Annotated[Path, typer.Option("--text-en", help="English text file.")],
) -> None:
    """Add a notice version with its texts, current from a day not yet begun."""
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.domain.errors import InvalidValue
    from kanta_consent.entrypoints.cli.calendar import parse_day
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.calendar_admin import add_notice_version

    files = {"fi": text_fi, "sv": text_sv, "en": text_en}
    try:
        day = parse_day("current-from", current_from)
        texts = {language: _read(language, path) for language, path in files.items()}
        with operator_store() as store:
            add_notice_version(store, version, day, texts, SystemClock().now())
    except InvalidValue as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"notice {version} is current from {day}")


def _read(language: str, path: Path) -> str:
    from kanta_consent.domain.errors import InvalidValue

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidValue(
            f"text-{language}", str(path), f"cannot be read: {error}"
        ) from None
