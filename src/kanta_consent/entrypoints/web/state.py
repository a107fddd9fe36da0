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

from kanta_consent.domain.identity import HELSINKI
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
    identities: list[DemoIdentity] = field(default_factory=list)
    oauth: dict[str, Any] = field(default_factory=dict)
    provider: Any = None
    loaded: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def portal_state(app: FastAPI) -> PortalState:
    """Returns the portal's parts of the application, making them once."""
    state: PortalState | None = getattr(app.state, "portal", None)
    if state is None:
        settings = getattr(app.state, "settings", None) or load_settings()
        # An empty key makes a random one: sessions then end with the process.
        secret = settings.secret_key or secrets.token_urlsafe(32)
        demo = bool(getattr(app.state, "demo", False))
        state = PortalState(settings, secret, demo)
        app.state.portal = state
    return state


def store_of(app: FastAPI) -> Store:
    """Returns the application's store; under --demo it holds the demo people."""
    store: Store = app.state.store
    state = portal_state(app)
    if state.demo and not state.loaded:
        _load_demo(app, state, store)
    return store


def _load_demo(app: FastAPI, state: PortalState, store: Store) -> None:
    # TODO(#5): the demo generator replaces this fixture once it exists.
    from kanta_consent.services import demo_people

    with state.lock:
        if state.loaded:
            return
        given = getattr(app.state, "demo_identities", None)
        if given is None:
            today = clock_of(app).now().astimezone(HELSINKI).date()
            given = demo_people.load(store, today).identities()
        state.identities = list(given)
        state.loaded = True


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
