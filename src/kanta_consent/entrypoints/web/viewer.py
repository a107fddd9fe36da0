"""Who is looking: the logged-in actor, for whom they act, and the gates.

The session holds the actor's identity code and the principal's; neither
ever goes into a URL. A form picks a principal by an opaque token that is
only good for this actor under this application's key.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request

from kanta_consent.domain.codes import ActorRole, Entry
from kanta_consent.entrypoints.web.session import PageRedirect, session
from kanta_consent.entrypoints.web.state import clock_of, portal_state, services
from kanta_consent.services.consent import ConsentService, EntryResult
from kanta_consent.services.portal import PortalService, Principal

HOME = "/portal/"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The actor and principal of a page, at the moment it is drawn."""

    actor: str
    principal: str
    moment: datetime
    consent: ConsentService
    portal: PortalService

    @property
    def for_self(self) -> bool:
        """Tells whether the actor acts for themselves."""
        return self.actor == self.principal


def signed_in(request: Request) -> Viewer:
    """Returns the viewer, or sends a visitor who has not logged in home."""
    data = session(request)
    actor = data.get("actor")
    if not isinstance(actor, str):
        raise PageRedirect(HOME)
    principal = data.get("for") if isinstance(data.get("for"), str) else actor
    consent, portal = services(request)
    moment = clock_of(request.app).now()
    return Viewer(actor, str(principal), moment, consent, portal)


def entry_of(viewer: Viewer) -> EntryResult:
    """Answers enter, notice or refused for the viewer (INF-2, REP-3)."""
    return viewer.consent.portal_entry(viewer.actor, viewer.principal, viewer.moment)


def act_for_self(request: Request) -> None:
    """Returns the actor to their own pages."""
    data = session(request)
    data["for"] = data.get("actor")


def gated(request: Request) -> tuple[Viewer, EntryResult]:
    """Returns the viewer once every gate is passed, or sends them on.

    A pending notice (own or the principal's) leads to the notice page; a
    right to act that has ended leads back to one's own pages.
    """
    viewer = signed_in(request)
    entry = entry_of(viewer)
    if entry.entry is Entry.NOTICE:
        raise PageRedirect(HOME + "notice")
    if entry.entry is Entry.REFUSED:
        act_for_self(request)
        raise PageRedirect(HOME + "act-for")
    return viewer, entry


def pick_token(request: Request, actor: str, principal: str) -> str:
    """Returns the opaque token that names a principal in the act-for form."""
    key = portal_state(request.app).secret.encode()
    message = f"act-for:{actor}:{principal}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def role_of(viewer: Viewer) -> ActorRole | None:
    """Returns the viewer's role for the principal."""
    actor = viewer.consent.get_person(viewer.actor, "as")
    principal = viewer.consent.get_person(viewer.principal, "for")
    return viewer.consent.role(actor, principal, viewer.moment)


def principals(viewer: Viewer) -> list[Principal]:
    """Lists whom the viewer may act for, themselves first."""
    return viewer.portal.principals(viewer.actor, viewer.moment)
