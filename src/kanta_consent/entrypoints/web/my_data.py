"""The portal's "My data": events, who can see them, then, and emergencies.

The pages draw what services/my_data.py works out and put each deciding
rule into words; no rule is judged here. A past date comes in a GET form
field (`on`), so that no identity code ever goes into a URL: whose data it
is stays in the session.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request, Response

from kanta_consent.domain.calendar import start_of
from kanta_consent.domain.errors import InvalidValue
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.entrypoints.web.pages import _whom
from kanta_consent.entrypoints.web.reach_words import Words, service_of
from kanta_consent.entrypoints.web.render import render
from kanta_consent.entrypoints.web.session import PortalRoute, refuse_control_characters
from kanta_consent.entrypoints.web.viewer import gated

router = APIRouter(prefix="/portal", route_class=PortalRoute, include_in_schema=False)

# Pages


@router.get("/my-data")
def my_data(request: Request) -> Response:
    """Lists the events shown to the viewer and who can see the data."""
    viewer, _entry = gated(request)
    on, as_of = _as_of(request, viewer.moment)
    page = _page(request)
    view = service_of(viewer).my_data(
        viewer.actor, viewer.principal, viewer.moment, as_of=as_of, page=page
    )
    return render(
        request,
        "my_data.html",
        whom=_whom(viewer),
        view=view,
        on=on,
        on_day=as_of.astimezone(HELSINKI).date() if as_of else None,
        today=viewer.moment.astimezone(HELSINKI).date().isoformat(),
        words=Words(viewer),
    )


@router.get("/my-data/events/{event_id}")
def event(request: Request, event_id: str) -> Response:
    """Shows one event and who can see it, with each deciding rule."""
    refuse_control_characters("event", event_id)
    viewer, _entry = gated(request)
    on, as_of = _as_of(request, viewer.moment)
    entry = service_of(viewer).event(
        viewer.actor, viewer.principal, event_id, viewer.moment, as_of=as_of
    )
    return render(
        request,
        "my_data_event.html",
        whom=_whom(viewer),
        entry=entry,
        on=on,
        on_day=as_of.astimezone(HELSINKI).date() if as_of else None,
        today=viewer.moment.astimezone(HELSINKI).date().isoformat(),
        words=Words(viewer),
    )


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit():
        raise InvalidValue("page", raw, "not a page number")
    return int(raw)


def _as_of(request: Request, now: datetime) -> tuple[str, datetime | None]:
    # DIS-11: the view as it was at the end of the day picked; today's view
    # is the present one.
    raw = request.query_params.get("on", "").strip()
    if not raw:
        return "", None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidValue("on", raw, "not a date (YYYY-MM-DD)") from None
    today = now.astimezone(HELSINKI).date()
    if day > today:
        raise InvalidValue("on", raw, "is in the future")
    if day == today:
        return raw, None
    return raw, start_of(day + timedelta(days=1)) - timedelta(microseconds=1)
