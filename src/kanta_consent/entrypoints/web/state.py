"""What the portal keeps per application: settings, store, clock, keys.

The store, the clock and the settings are those `build_app` put on
`app.state`, so the SQL store plugs in as the memory store does. The
portal's own parts (the session key, the login clients, the test identity
provider) are made on first use and kept on `app.state.portal`.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request

from kanta_consent.services.consent import ConsentService
from kanta_consent.services.demo_people import DemoIdentity
from kanta_consent.services.portal import PortalService
from kanta_consent.services.ports import Clock, Store
from kanta_consent.settings import Settings, load_settings


@dataclass
class PortalState:
    """The portal's parts, made once per application."""

    settings: Settings
    secret: str
    demo: bool
    oauth: dict[str, Any] = field(default_factory=dict)
    provider: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)


# Pages run in worker threads: the first two requests must not make two
# states (two random session keys, two test providers' keys).
_MAKING = threading.Lock()


def portal_state(app: FastAPI) -> PortalState:
    """Returns the portal's parts of the application, making them once."""
    state: PortalState | None = getattr(app.state, "portal", None)
    if state is not None:
        return state
    with _MAKING:
        state = getattr(app.state, "portal", None)
        if state is None:
            state = _make_state(app)
            app.state.portal = state
    return state


def _make_state(app: FastAPI) -> PortalState:
    settings = getattr(app.state, "settings", None) or load_settings()
    # An empty key makes a random one: sessions then end with the process.
    secret = settings.secret_key or secrets.token_urlsafe(32)
    return PortalState(settings, secret, bool(getattr(app.state, "demo", False)))


def store_of(app: FastAPI) -> Store:
    """Returns the application's store."""
    store: Store = app.state.store
    return store


def demo_identities(app: FastAPI) -> list[DemoIdentity]:
    """Returns the people the test login lists: those `serve --demo` set."""
    return list(getattr(app.state, "demo_identities", None) or [])


def base_url(request: Request) -> str:
    """Returns the portal's public address, from the settings or the request."""
    configured = portal_state(request.app).settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


def clock_of(app: FastAPI) -> Clock:
    """Returns the application's clock."""
    clock: Clock = app.state.clock
    return clock


def services(request: Request) -> tuple[ConsentService, PortalService]:
    """Returns the use cases over the application's store."""
    store = store_of(request.app)
    consent = ConsentService(store)
    return consent, PortalService(store, consent)
