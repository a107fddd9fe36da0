"""Encrypted-cookie sessions, CSRF tokens and the request's language.

The session is an encrypted cookie (HttpOnly, SameSite=Lax, Secure outside
--demo) that the portal's route class reads before a page and writes after
it, so no middleware is needed in the shared application. Authlib finds the
same dictionary at `request.session`. Every form carries the session's CSRF
token, and every post is refused without it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from kanta_consent.domain.errors import InvalidValue
from kanta_consent.entrypoints.web import i18n
from kanta_consent.entrypoints.web.state import clock_of, portal_state, store_of

COOKIE = "kanta_portal"
# A session ends after half an hour without a page; each page renews it.
IDLE_SECONDS = 30 * 60
# And eight hours after its login however busy it is, so that a session left
# open on a shared computer, or a cookie copied from it, does not last for
# ever by being used.
ABSOLUTE_SECONDS = 8 * 60 * 60
# When the signed-in session began, in seconds since the epoch by the app's
# clock.
SINCE = "since"
CSRF_FIELD = "csrf"
# A signed-in session's id: once it is ended (logout, decline, another
# login), the store says so, and a kept copy of its cookie opens nothing.
SESSION_ID = "sid"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Pages are personal: never cached, never framed (clickjacking on the forms),
# and no address of ours is sent on to another site as a referrer.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    # The same for browsers that follow CSP rather than X-Frame-Options.
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class PageRedirect(Exception):
    """Ends a page with a redirect to another portal page (303 See Other)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(url)


class CsrfMissing(Exception):
    """A post without the session's CSRF token."""


Handler = Callable[[Request], Awaitable[Response]]
ErrorPage = Callable[[Request, Exception], Response | None]


class SessionCodec:
    """Seals a session into a cookie value and opens it again.

    The value is encrypted and authenticated (Fernet), not only signed: the
    session holds identity codes, which the browser has no need to read.
    """

    def __init__(self, secret: str) -> None:
        digest = hashlib.sha256(b"kanta-portal-session:" + secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def dumps(self, data: dict[str, Any]) -> str:
        """Returns the sealed cookie value of the session."""
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def loads(self, value: str, max_age: int) -> dict[str, Any]:
        """Returns the session, or raises InvalidToken if forged or too old."""
        opened = json.loads(self._fernet.decrypt(value.encode(), ttl=max_age))
        return opened if isinstance(opened, dict) else {}


def signer(secret: str) -> SessionCodec:
    """Returns what seals and opens session cookies under the key `secret`."""
    return SessionCodec(secret)


def _serializer(request: Request) -> SessionCodec:
    return signer(portal_state(request.app).secret)


def session(request: Request) -> dict[str, Any]:
    """Returns the session of the request."""
    found: dict[str, Any] = request.scope["session"]
    return found


def _load(request: Request) -> dict[str, Any]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer(request).loads(raw, max_age=IDLE_SECONDS)
    except (InvalidToken, ValueError):
        return {}
    sid = data.get(SESSION_ID)
    if sid and store_of(request.app).is_session_ended(str(sid)):
        return {}
    if sid and _too_old(request, data.get(SINCE)):
        # The session is gone, and the language with it.
        return {}
    return data


def _too_old(request: Request, since: object) -> bool:
    if not isinstance(since, (int, float)):
        return True
    age = clock_of(request.app).now().timestamp() - since
    return age > ABSOLUTE_SECONDS


def _save(request: Request, response: Response, data: dict[str, Any]) -> None:
    state = portal_state(request.app)
    response.set_cookie(
        COOKIE,
        _serializer(request).dumps(data),
        max_age=IDLE_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not state.demo,
    )


def csrf_token(request: Request) -> str:
    """Returns the session's CSRF token, making one when there is none."""
    data = session(request)
    if CSRF_FIELD not in data:
        data[CSRF_FIELD] = secrets.token_urlsafe(32)
    token: str = data[CSRF_FIELD]
    return token


async def check_csrf(request: Request) -> dict[str, str]:
    """Returns the posted form once its CSRF token matches the session's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = session(request).get(CSRF_FIELD)
    if not isinstance(sent, str) or not expected:
        raise CsrfMissing()
    if not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise CsrfMissing()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    for name, value in fields.items():
        refuse_control_characters(name, value)
    return fields


def refuse_control_characters(field: str, value: str) -> None:
    """Refuses a value holding a NUL or another control character.

    No id, code or choice holds one, and PostgreSQL cannot even look up a
    text with a NUL: it would fail the page instead of refusing the value.
    """
    if _CONTROL.search(value):
        raise InvalidValue(field, value, "holds a control character")


def renew(request: Request, **values: Any) -> None:
    """Starts a new session at login or logout, keeping only the language.

    The session before it is ended for good, so a copy of its cookie kept
    elsewhere (another tab, a stolen value) is signed in no more.
    """
    data = session(request)
    ended = data.get(SESSION_ID)
    if ended:
        moment = clock_of(request.app).now()
        store_of(request.app).end_session(str(ended), moment)
    language = data.get("lang")
    data.clear()
    if language:
        data["lang"] = language
    data[CSRF_FIELD] = secrets.token_urlsafe(32)
    if "actor" in values:
        data[SESSION_ID] = secrets.token_urlsafe(24)
        data[SINCE] = int(clock_of(request.app).now().timestamp())
    data.update(values)


def language_of(request: Request) -> str:
    """Returns the chosen language, or the browser's (Accept-Language)."""
    chosen = session(request).get("lang")
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    return i18n.negotiate(request.headers.get("accept-language"))


class PortalRoute(APIRoute):
    """A route that loads and saves the session and sets the language.

    It also turns the portal's own exceptions into pages: a redirect, or an
    error page drawn by `error_page` (set by the pages module); an error it
    does not draw goes on to the application's handlers.
    """

    error_page: ErrorPage | None = None

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            request.scope["session"] = _load(request)
            i18n.activate(language_of(request))
            try:
                response = await handler(request)
            except PageRedirect as redirect:
                response = RedirectResponse(redirect.url, status_code=303)
            except Exception as error:
                drawn = PortalRoute.error_page and PortalRoute.error_page(
                    request, error
                )
                if drawn is None:
                    raise
                response = drawn
            _save(request, response, session(request))
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return route
