"""`kanta-consent calendar ...`: the settings' days and their history (CAL-1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from kanta_consent.domain.identity import HELSINKI

app = typer.Typer(help="The calendar's settings (CAL-1).", no_args_is_help=True)


@app.command("show")
def show() -> None:
    """Print each setting with its history, and the notice versions."""
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.calendar_admin import setting_histories

    with operator_store() as store:
        calendar = store.calendar()

    for history in setting_histories(calendar):
        typer.echo(history.setting.value)
        for effective_from, value in history.values:
            since = (
                "always" if effective_from is None else f"from {_shown(effective_from)}"
            )
            typer.echo(f"  {value.isoformat()}  {since}")
    typer.echo("notice-versions")
    for version in calendar.notice_versions:
        known = (
            ""
            if version.known_from is None
            else f", added {_shown(version.known_from)}"
        )
        typer.echo(f"  {version.version}  current from {version.current_from}{known}")


@app.command("set")
def set_setting(
    name: Annotated[str, typer.Argument(help="The setting, e.g. permission-social.")],
    value: Annotated[str, typer.Argument(help="Its new day, YYYY-MM-DD.")],
    effective_from: Annotated[
        str,
        typer.Option(
            "--from",
            help="Moment it takes effect: YYYY-MM-DD (00:00 Finnish time) or "
            "ISO 8601; now or later (CAL-1).",
        ),
    ],
) -> None:
    """Change a setting from a moment now or later; the old value stays in history."""
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.domain.errors import InvalidValue
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.calendar_admin import change_setting

    try:
        day = parse_day("value", value)
        moment = parse_moment("from", effective_from)
        with operator_store() as store:
            change_setting(store, name, day, moment, SystemClock().now())
    except InvalidValue as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{name} is {day} from {_shown(moment)}")


def parse_day(field: str, raw: str) -> date:
    """Returns a date written YYYY-MM-DD, or raises naming the field."""
    from kanta_consent.domain.errors import InvalidValue

    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidValue(field, raw, "is not a date YYYY-MM-DD") from None


def parse_moment(field: str, raw: str) -> datetime:
    """Returns a day's first moment in Finnish time, or an ISO 8601 moment."""
    from kanta_consent.domain.calendar import start_of
    from kanta_consent.domain.errors import InvalidValue

    if len(raw) == 10:
        return start_of(parse_day(field, raw))
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidValue(
            field, raw, "is not a date YYYY-MM-DD or an ISO 8601 moment"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HELSINKI)


def _shown(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).isoformat()
