"""The portal's pages: login, the notice gate, whom to act for, the front
page, "Management of the use of data", service events and the disclosure log.

Each handler parses, calls a use case and draws a page; the rules are the
services' and the domain's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from kanta_consent.domain.calendar import Setting
from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import ActorRole, Entry, RefusalCode, Scope, TargetKind
from kanta_consent.domain.errors import InvalidIdentityCode, InvalidValue, Refused
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.entrypoints.web import describe, i18n, labels, oidc
from kanta_consent.entrypoints.web.emergencies import emergency_notice
from kanta_consent.entrypoints.web.error_words import invalid_value_text
from kanta_consent.entrypoints.web.reach_words import Words, preview_reach
from kanta_consent.entrypoints.web.render import TEMPLATES, render
from kanta_consent.entrypoints.web.session import (
    CsrfMissing,
    PageRedirect,
    PortalRoute,
    check_csrf,
    renew,
    session,
)
from kanta_consent.entrypoints.web.state import portal_state, store_of
from kanta_consent.entrypoints.web.viewer import (
    HOME,
    Viewer,
    act_for_self,
    entry_of,
    gated,
    pick_token,
    principals,
    role_of,
    signed_in,
)
from kanta_consent.services.consent import DeclineOutcome, PortalActor
from kanta_consent.services.errors import ServiceError, UnknownEvent, UnknownPerson
from kanta_consent.services.portal import CHANGE_ACTIONS, Change

router = APIRouter(prefix="/portal", route_class=PortalRoute, include_in_schema=False)

# Pages a language switch may return to; a post's result page is not one.
_RETURNABLE = {"/portal/", "/portal/home", "/portal/notice", "/portal/act-for",
               "/portal/management", "/portal/events", "/portal/log",
               "/portal/my-data", "/portal/test-idp/authorize"}  # fmt: skip
# Pages under these are returnable too: My data has one page per event.
_RETURNABLE_UNDER = ("/portal/my-data/events/",)
STYLESHEET = (TEMPLATES / "static" / "portal.css").read_text()


@router.get("/static/portal.css")
def stylesheet() -> Response:
    """Serves the portal's one stylesheet."""
    return PlainTextResponse(
        STYLESHEET,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/")
def start(request: Request) -> Response:
    """Welcomes a visitor, or sends a person on to where they belong."""
    if not session(request).get("actor"):
        return render(request, "welcome.html")
    viewer = signed_in(request)
    entry = entry_of(viewer)
    if entry.entry is Entry.NOTICE:
        raise PageRedirect(HOME + "notice")
    if entry.entry is Entry.REFUSED:
        act_for_self(request)
        raise PageRedirect(HOME + "act-for")
    if not session(request).get("chosen") and len(principals(viewer)) > 1:
        raise PageRedirect(HOME + "act-for")
    raise PageRedirect(HOME + "home")


@router.get("/login")
async def login(request: Request) -> Response:
    """Sends the person to the identity provider."""
    response: Response = await oidc.start(request)
    return response


@router.get("/callback")
async def callback(request: Request) -> Response:
    """Receives the provider's answer and starts the person's session."""
    code = await oidc.finish(request)
    store = store_of(request.app)
    try:
        person = parse_identity_code(code).value
    except InvalidIdentityCode:
        raise oidc.LoginFailed("malformed identity code") from None
    if store.find_person(person) is None:
        renew(request)
        if portal_state(request.app).demo:
            # The test login takes any test code (ID-3); say whom it lacks.
            return render(
                request,
                "message.html",
                status=404,
                message="not-in-demo",
                back=labels.BACKS["login"],
            )
        return render(request, "message.html", status=404, message="unknown")
    renew(request, actor=person, **{"for": person})
    raise PageRedirect(HOME)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Ends the session."""
    await check_csrf(request)
    renew(request, flash="logged-out")
    raise PageRedirect(HOME)


@router.post("/language")
async def language(request: Request) -> Response:
    """Switches the language and returns to the page the person was on."""
    form = await check_csrf(request)
    chosen = form.get("lang", "")
    if chosen in i18n.LANGUAGES:
        session(request)["lang"] = chosen
    back = form.get("next", HOME)
    path = back.partition("?")[0]
    returnable = path in _RETURNABLE or _is_event_page(path)
    raise PageRedirect(back if returnable else HOME)


def _is_event_page(path: str) -> bool:
    # One segment after the prefix: "../" or "//" would lead a browser off
    # the listed pages (to /docs, or to a path read as another host).
    for under in _RETURNABLE_UNDER:
        rest = path.removeprefix(under)
        if rest != path and rest and "/" not in rest and rest not in (".", ".."):
            return True
    return False


# The notice gate (INF-2, REP-3)


def _pending_notice(viewer: Viewer) -> bool:
    """Tells whose notice is pending: True for the principal's, False for own."""
    entry = entry_of(viewer)
    if entry.entry is not Entry.NOTICE:
        raise PageRedirect(HOME)
    return entry.notice_for_principal


@router.get("/notice")
def notice(request: Request) -> Response:
    """Shows the current Kanta information, to acknowledge or decline."""
    viewer = signed_in(request)
    for_principal = _pending_notice(viewer)
    current = viewer.consent.store.calendar().current_notice(viewer.moment)
    version = current.version if current else ""
    stored = viewer.portal.notice_text(version, i18n.active())
    return render(
        request,
        "notice.html",
        version=version,
        # INF-7: from 2023-11 the notice tells that social welfare data shows.
        tells_social=version >= "2023-11",
        stored=[part for part in (stored or "").split("\n\n") if part.strip()],
        for_principal=for_principal,
        whom=_whom(viewer) if for_principal else None,
    )


@router.post("/notice/acknowledge")
async def acknowledge(request: Request) -> Response:
    """Acknowledges the notice for oneself or for the principal."""
    await check_csrf(request)
    viewer = signed_in(request)
    actor = PortalActor(viewer.actor)
    entry = entry_of(viewer)
    if entry.entry is not Entry.NOTICE:
        # Nothing is pending. A minor, let in without the notice (MIN-1),
        # is told why they cannot acknowledge it (MIN-2); others go home.
        viewer.consent.check_acknowledge(actor, viewer.principal, viewer.moment)
        raise PageRedirect(HOME)
    whose = viewer.principal if entry.notice_for_principal else viewer.actor
    viewer.consent.acknowledge(actor, whose, viewer.moment)
    raise PageRedirect(HOME)


@router.post("/notice/decline")
async def decline(request: Request) -> Response:
    """Declines: one's own notice logs out, a principal's returns home."""
    await check_csrf(request)
    viewer = signed_in(request)
    for_principal = _pending_notice(viewer)
    whose = viewer.principal if for_principal else viewer.actor
    outcome = viewer.consent.decline(PortalActor(viewer.actor), whose, viewer.moment)
    if outcome == DeclineOutcome.LOGGED_OUT:
        renew(request, flash="declined")
        raise PageRedirect(HOME)
    act_for_self(request)
    session(request)["flash"] = "returned"
    raise PageRedirect(HOME + "home")


# Whom to act for (REP-1 to REP-3)


@router.get("/act-for")
def act_for_page(request: Request) -> Response:
    """Lists oneself, each child and each principal one may act for."""
    viewer = signed_in(request)
    if entry_of(_own(viewer)).entry is not Entry.ENTER:
        raise PageRedirect(HOME + "notice")
    choices = [
        {
            "token": pick_token(request, viewer.actor, p.person.id),
            "role": p.role.value,
            "label": describe.person_label(p.person),
            "current": p.person.id == viewer.principal,
        }
        for p in principals(viewer)
    ]
    return render(request, "act_for.html", choices=choices)


def _own(viewer: Viewer) -> Viewer:
    return Viewer(
        viewer.actor, viewer.actor, viewer.moment, viewer.consent, viewer.portal
    )


@router.post("/act-for")
async def act_for(request: Request) -> Response:
    """Acts for the principal the opaque token names."""
    form = await check_csrf(request)
    viewer = signed_in(request)
    token = form.get("pick", "")
    for principal in principals(viewer):
        if pick_token(request, viewer.actor, principal.person.id) == token:
            session(request).update({"for": principal.person.id, "chosen": True})
            raise PageRedirect(HOME)
    raise Refused(RefusalCode.NO_RIGHT_TO_ACT, "REP-1")


# The front page (PER-5, PER-6)


@router.get("/home")
def home(request: Request) -> Response:
    """Shows the front page with its permission reminders (PER-5, PER-6)."""
    viewer, entry = gated(request)
    return render(
        request,
        "home.html",
        whom=_whom(viewer),
        reminders=[r.value for r in entry.reminders],
        notice_status=viewer.portal.notice_status(viewer.principal, viewer.moment),
        made_by=_made_by(viewer),
        emergencies=emergency_notice(request, viewer),
    )


def _made_by(viewer: Viewer) -> Any:
    return lambda actor: describe.made_by(actor, viewer.actor, viewer.principal)


def _whom(viewer: Viewer) -> dict[str, Any]:
    person = viewer.consent.get_person(viewer.principal, "for")
    role = role_of(viewer)
    return {
        "self": viewer.for_self,
        "role": role.value if role else "",
        "label": describe.person_label(person),
        "minor": not person.is_adult_at(viewer.moment),
        "guardian": role is ActorRole.GUARDIAN,
        "several": len(principals(viewer)) > 1,
    }


# Management of the use of data (INF-6, PER, PRO, REP-6)


@router.get("/management")
def management(request: Request) -> Response:
    """Shows the notice status, permissions, prohibitions and history."""
    viewer, _ = gated(request)
    view = viewer.portal.management(viewer.actor, viewer.principal, viewer.moment)
    store = viewer.consent.store
    return render(
        request,
        "management.html",
        whom=_whom(viewer),
        view=view,
        scopes=[s.value for s in Scope],
        held={p.scope.value: p for p in view.permissions},
        renewable=_renewable(viewer, view.permissions),
        why_not=_limits(viewer, view.role),
        target_text=lambda t, event=None: describe.target_text(t, store, event),
        target_value=_target_value,
        choice_text=lambda c: describe.choice_text(c, store, viewer.for_self),
        made_by=_made_by(viewer),
        groups=_target_groups(view.offers.prohibit),
    )


def _renewable(viewer: Viewer, held: Any) -> set[str]:
    # PER-6: a permission given before outside-kanta-grant covers Kanta only,
    # so it is offered again; a later one already covers everything.
    calendar = viewer.consent.store.calendar()
    since = calendar.starts(Setting.OUTSIDE_KANTA_GRANT, viewer.moment)
    if viewer.moment < since:
        return set()
    return {p.scope.value for p in held if p.at < since}


def _limits(viewer: Viewer, role: ActorRole) -> list[str]:
    # MIN-2: the product says why a choice is not offered.
    actor = viewer.consent.get_person(viewer.actor, "as")
    if not actor.is_adult_at(viewer.moment):
        return ["minor"]
    found = {ActorRole.GUARDIAN: ["guardian"], ActorRole.MANDATE_HOLDER: ["mandate"]}
    limits = found.get(role, [])
    if not viewer.consent.state_of(viewer.principal, viewer.moment).informed:
        limits.append("not-informed")
    return limits


def _target_value(target: Target) -> str:
    return f"{target.kind.value}:{target.ref}" if target.ref else target.kind.value


_GROUPS = [
    ("events", (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT)),
    ("organisations", (TargetKind.ORGANISATION,)),
    ("registers", (TargetKind.REGISTER, TargetKind.PRIVATE_OCCUPATIONAL_REGISTER)),
    ("tasks", (TargetKind.SERVICE_TASK,)),
    ("all", (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL)),
]


def _target_groups(options: Any) -> list[tuple[str, list[Any]]]:
    groups = []
    for name, kinds in _GROUPS:
        members = [o for o in options if o.target.kind in kinds]
        if members:
            groups.append((name, members))
    return groups


def parse_change(form: dict[str, str]) -> Change:
    """Reads a change from a form, naming the field that is wrong."""
    action = form.get("action", "")
    if action not in CHANGE_ACTIONS:
        raise InvalidValue("action", action, "not a change of this page")
    scope = None
    if form.get("scope"):
        try:
            scope = Scope(form["scope"])
        except ValueError:
            raise InvalidValue("scope", form["scope"], "not a scope") from None
    target = None
    if form.get("target"):
        kind, _, ref = form["target"].partition(":")
        try:
            target = Target(TargetKind(kind), ref or None)
        except ValueError:
            raise InvalidValue("target", form["target"], "not a target") from None
    return Change(
        action=action,
        scope=scope,
        target=target,
        emergency_allowed=form.get("emergency") == "yes",
        prohibition=form.get("prohibition") or None,
    )


_FIELDS = ("action", "scope", "target", "emergency", "prohibition")
# A preview names whose change it shows; its confirm is refused once the
# session acts for someone else (another tab picked another person, or the
# right to act ended and the session fell back to the actor's own pages).
_WHOSE = "whose"


def _check_whose(request: Request, viewer: Viewer, form: dict[str, str]) -> None:
    sent = form.get(_WHOSE)
    if sent is not None and sent != pick_token(request, viewer.actor, viewer.principal):
        raise InvalidValue(_WHOSE, sent, "the preview was for another person")


@router.post("/management/preview")
async def preview(request: Request) -> Response:
    """Shows what a change will do, to confirm or cancel; nothing is stored."""
    form = await check_csrf(request)
    viewer, _ = gated(request)
    change = viewer.portal.settle(viewer.principal, parse_change(form), viewer.moment)
    ended = viewer.portal.check_change(
        viewer.actor, viewer.principal, change, viewer.moment
    )
    lines = describe.preview(change, viewer.consent.store, ended, viewer.for_self)
    fields = {k: form[k] for k in _FIELDS if form.get(k)}
    if not change.emergency_allowed:
        fields.pop("emergency", None)
    fields[_WHOSE] = pick_token(request, viewer.actor, viewer.principal)
    return render(
        request,
        "preview.html",
        whom=_whom(viewer),
        lines=lines,
        fields=fields,
        reach=preview_reach(viewer, change),
        words=Words(viewer),
    )


@router.post("/management/confirm")
async def confirm(request: Request) -> Response:
    """Makes the confirmed change; the services check it once more."""
    form = await check_csrf(request)
    viewer, _ = gated(request)
    change = viewer.portal.settle(viewer.principal, parse_change(form), viewer.moment)
    _check_whose(request, viewer, form)
    viewer.portal.apply_change(viewer.actor, viewer.principal, change, viewer.moment)
    session(request)["flash"] = "saved"
    raise PageRedirect(HOME + "management")


# Service events (INF-7, REP-7) and the disclosure log (LOG-2, REP-4)


@router.get("/events")
def events(request: Request) -> Response:
    """Lists the service events stored in Kanta that the viewer is shown."""
    viewer, _ = gated(request)
    shown = viewer.portal.visible_events(viewer.actor, viewer.principal, viewer.moment)
    return render(request, "events.html", whom=_whom(viewer), events=shown)


@router.get("/log")
def disclosure_log(request: Request) -> Response:
    """Shows which organisations received which data, when and why."""
    viewer, _ = gated(request)
    entries = viewer.portal.disclosures(viewer.actor, viewer.principal, viewer.moment)
    return render(request, "log.html", whom=_whom(viewer), entries=entries)


def error_page(request: Request, error: Exception) -> Response | None:
    """Draws the page for a refusal, a forged or expired form, a bad login."""
    if isinstance(error, Refused):
        return render(
            request, "refused.html", status=403, code=error.code.value, rule=error.rule
        )
    if isinstance(error, CsrfMissing):
        return render(request, "message.html", status=403, message="csrf")
    if isinstance(error, InvalidValue):
        return _invalid_page(request, error)
    if isinstance(error, UnknownEvent):
        # INF-7, REP-7: an event not shown to the viewer is as unknown as one
        # that does not exist; the page says the same of both.
        return render(
            request,
            "message.html",
            status=404,
            message="no-event",
            back=labels.BACKS["my-data"],
        )
    if isinstance(error, ServiceError) and not isinstance(error, UnknownPerson):
        return render(request, "message.html", status=400, message="invalid")
    if isinstance(error, UnknownPerson):
        renew(request)
        return render(request, "message.html", status=404, message="unknown")
    if isinstance(error, oidc.LoginFailed):
        renew(request)
        return render(request, "message.html", status=401, message="login-failed")
    if isinstance(error, oidc.NoProvider):
        return render(request, "message.html", status=503, message="no-provider")
    return None


def _invalid_page(request: Request, error: InvalidValue) -> Response:
    # A day or a page number of My data's address leads back to My data.
    mine = request.url.path.startswith("/portal/my-data")
    return render(
        request,
        "message.html",
        status=400,
        message="invalid",
        detail=invalid_value_text(error),
        back=labels.BACKS["my-data"] if mine else None,
    )


PortalRoute.error_page = error_page


# The last route under /portal/: build_app includes it after every other
# portal router, so only an address no page has reaches it. API addresses
# keep their problem+json 404.
fallback = APIRouter(prefix="/portal", route_class=PortalRoute, include_in_schema=False)


# Every method: a post to an address the portal does not have gets the same
# page in the layout, not an API problem document (which 405 was).
@fallback.api_route(
    "/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
)
def not_found(request: Request, rest: str) -> Response:
    """Tells, in the page's language, that no page has this address."""
    return render(request, "message.html", status=404, message="not-found")
