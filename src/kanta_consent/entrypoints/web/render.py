"""Drawing pages: the Jinja2 environment with the catalogues and helpers."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kanta_consent.entrypoints.web import describe, i18n, labels, navigation
from kanta_consent.entrypoints.web.session import csrf_token, session
from kanta_consent.entrypoints.web.state import portal_state

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    """Returns the one template environment, with gettext of the request."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.globals.update(
        labels=labels,
        name_of=describe.name_of,
        moment=i18n.moment_text,
        day=i18n.date_text,
        language_names=i18n.LANGUAGE_NAMES,
    )
    return env


def _here(request: Request) -> str:
    # A GET page's own query (a test login's parameters, a day picked) is
    # kept, so the language switch returns to the same page.
    query = request.url.query if request.method == "GET" else ""
    return request.url.path + ("?" + query if query else "")


def render(
    request: Request, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """Draws a page in the language of the request."""
    data = session(request)
    page = (
        environment()
        .get_template(template)
        .render(
            request=request,
            lang=i18n.active(),
            csrf=csrf_token(request),
            signed_in=bool(data.get("actor")),
            path=request.url.path,
            here=_here(request),
            flash=data.pop("flash", None),
            demo=portal_state(request.app).demo,
            nav=navigation.items(context.get("whom")),
            **context,
        )
    )
    return HTMLResponse(page, status_code=status)
