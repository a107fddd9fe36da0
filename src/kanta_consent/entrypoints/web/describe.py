"""Plain-language words for choices, targets and previews of a change."""

from __future__ import annotations

from typing import Protocol

from kanta_consent.domain.choices import (
    Acknowledgement,
    Actor,
    Choice,
    PermissionGranted,
    PermissionWithdrawn,
    ProhibitionGiven,
    ProhibitionWithdrawn,
    Target,
)
from kanta_consent.domain.codes import ActorRole, TargetKind
from kanta_consent.domain.model import (
    Directory,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.entrypoints.web import labels
from kanta_consent.entrypoints.web.i18n import date_text, gettext
from kanta_consent.entrypoints.web.i18n import mark as N_
from kanta_consent.services.portal import Change
from kanta_consent.services.ports import Store


def _(message: str, **values: str) -> str:
    text = gettext(message)
    return text % values if values else text


_FICTIONAL = N_("(fictional)")


class Named(Protocol):
    """An organisation, a register or a professional: an id, maybe a name."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str | None: ...


def name_of(thing: Named) -> str:
    """Names an organisation or register, with its "(fictional)" translated.

    The demo's private providers carry the mark in their stored names; it is
    a word of the page, so it follows the page's language.
    """
    name = thing.name or thing.id
    return name.replace(_FICTIONAL, _(_FICTIONAL)) if _FICTIONAL in name else name


def place_text(register: Register | None, owner: Organisation | None) -> str:
    """Names a register with its organisation, the organisation only once.

    A register's name often begins with its organisation's (the demo's
    "Organisation: patient register"); it is then not repeated.
    """
    owner_name = name_of(owner) if owner else ""
    if register is None:
        return owner_name
    register_name = name_of(register)
    if not owner_name or owner_name in register_name:
        return register_name
    return f"{register_name}, {owner_name}"


def event_text(event: ServiceEvent, directory: Directory) -> str:
    """Names a service event by its day, register and organisation."""
    register = directory.registers.get(event.register)
    owner = directory.organisations.get(register.organisation) if register else None
    return _(
        "%(day)s, %(place)s",
        day=date_text(event.recorded),
        place=place_text(register, owner) or event.register,
    )


def target_text(target: Target, store: Store, event: ServiceEvent | None = None) -> str:
    """Names what a prohibition targets, for a list or a preview.

    `event` spares a query when the caller holds the target's event already.
    """
    directory = store.directory()
    kind = _(labels.TARGET_KINDS[target.kind.value])
    ref = target.ref or ""
    if target.kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
        event = (
            event if event is not None and event.id == ref else store.find_event(ref)
        )
        return f"{kind}: {event_text(event, directory)}" if event else kind
    if target.kind is TargetKind.ORGANISATION:
        organisation = directory.organisations.get(ref)
        return f"{kind}: {name_of(organisation)}" if organisation else kind
    if target.kind in (TargetKind.REGISTER, TargetKind.PRIVATE_OCCUPATIONAL_REGISTER):
        register = directory.registers.get(ref)
        if register is None:
            return kind
        owner = directory.organisations.get(register.organisation)
        return f"{kind}: {place_text(register, owner)}"
    if target.kind is TargetKind.SERVICE_TASK:
        return f"{kind}: {_(labels.SERVICE_TASKS.get(ref, ref))}"
    return kind


def person_label(person: Person) -> str:
    """Names a person by name where known, else by birth date; never by code."""
    born = _("born %(day)s", day=date_text(person.code.birth_date))
    return f"{person.name}, {born}" if person.name else born


def made_by(actor: Actor, viewer: str, principal: str) -> str:
    """Tells who made a choice, as the viewer reads it (REP-6)."""
    if actor.person is not None and actor.person == viewer:
        return _("You")
    if actor.role is ActorRole.SELF and actor.person == principal:
        return _("The person themselves")
    if actor.role is ActorRole.PROFESSIONAL:
        return _("A professional in care (%(unit)s)", unit=actor.unit or "")
    return _upper_first(_(labels.ROLES[actor.role.value]))


def choice_text(choice: Choice, store: Store, for_self: bool) -> str:
    """Says what a choice was, of whose data the reader reads (REP-1, REP-2)."""
    kind = _(labels.CHOICE_KINDS[type(choice).__name__])
    if isinstance(choice, Acknowledgement):
        version = choice.version or _("under the earlier law")
        return f"{kind}: {version}"
    if isinstance(choice, (PermissionGranted, PermissionWithdrawn)):
        return f"{kind}: {_(labels.SCOPES.text(choice.scope.value, for_self))}"
    if isinstance(choice, ProhibitionGiven):
        return f"{kind}: {target_text(choice.target, store)}"
    if isinstance(choice, ProhibitionWithdrawn):
        given = store.choices_of(choice.person).find(choice.prohibition)
        if isinstance(given, ProhibitionGiven):
            return f"{kind}: {target_text(given.target, store)}"
    return kind


def preview(
    change: Change, store: Store, ended: Choice | None, for_self: bool
) -> list[str]:
    """Says in plain words what a change will do, before it is confirmed.

    One acting for someone else reads of that person's data (REP-1, REP-2).
    """
    if change.action == "grant" and change.scope is not None:
        return _grant_preview(change.scope.value, for_self)
    if change.action == "withdraw-permission" and change.scope is not None:
        return [
            _(
                "The disclosure permission “%(scope)s” ends now.",
                scope=_(labels.SCOPES.text(change.scope.value, for_self)),
            ),
            _(
                "After that, the data is disclosed this way only where the law "
                "allows it without a permission, for example in an emergency."
            ),
        ]
    if change.action == "prohibit" and change.target is not None:
        return _prohibition_preview(change, store, for_self)
    if isinstance(ended, ProhibitionGiven):
        return [
            _(
                "The prohibition of disclosure ends now: %(target)s.",
                target=target_text(ended.target, store),
            ),
            _(
                "The data can again reach other organisations where a "
                "permission or the law allows it."
            ),
        ]
    return []


def _grant_preview(scope: str, for_self: bool) -> list[str]:
    named = _(labels.SCOPES.text(scope, for_self))
    if for_self:
        given = _("You give the disclosure permission “%(scope)s”.", scope=named)
    else:
        given = _(
            "The disclosure permission “%(scope)s” is given on behalf of the "
            "person you act for.",
            scope=named,
        )
    return [
        given,
        _(labels.SCOPE_EXPLAINED.text(scope, for_self)),
        _("The permission holds until it is withdrawn."),
    ]


def _prohibition_preview(change: Change, store: Store, for_self: bool) -> list[str]:
    assert change.target is not None
    kind = change.target.kind
    if kind is TargetKind.ALL_HEALTH:
        lines = [
            _("No health data will reach other organisations, except prescriptions.")
        ]
    elif kind is TargetKind.ALL_SOCIAL:
        lines = [_("No social welfare data will reach other organisations.")]
    else:
        lines = [_no_longer_reaches(change.target, store)]
    # PRO-7: the register that holds the data may always use it.
    lines.append(_("The organisation that holds the data can still use it itself."))
    social = kind in (
        TargetKind.DOCUMENT,
        TargetKind.SERVICE_TASK,
        TargetKind.ALL_SOCIAL,
    )
    if social:
        lines.append(
            _(
                "A social welfare authority can still get the data when the law "
                "requires it."
            )
        )
    elif change.emergency_allowed and for_self:
        lines.append(
            _(
                "In an emergency, when you cannot be asked, the data can still "
                "be disclosed to those treating you."
            )
        )
    elif change.emergency_allowed:
        lines.append(
            _(
                "In an emergency, when the person cannot be asked, the data can "
                "still be disclosed to those treating them."
            )
        )
    else:
        lines.append(_("The prohibition holds in an emergency too."))
    lines.append(_("The prohibition holds until it is withdrawn."))
    return lines


def _no_longer_reaches(target: Target, store: Store) -> str:
    """Says in words whose data a prohibition stops, by the kind of target."""
    directory = store.directory()
    ref = target.ref or ""
    if target.kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
        event = store.find_event(ref)
        return _(
            "The data of the service event of %(event)s will no longer reach "
            "other organisations.",
            event=event_text(event, directory) if event else ref,
        )
    if target.kind is TargetKind.ORGANISATION:
        organisation = directory.organisations.get(ref)
        return _(
            "Data that %(organisation)s recorded will no longer reach other "
            "organisations.",
            organisation=name_of(organisation) if organisation else ref,
        )
    if target.kind is TargetKind.SERVICE_TASK:
        return _(
            "Social welfare data of the service task “%(task)s” will no longer "
            "reach other organisations.",
            task=_(labels.SERVICE_TASKS.get(ref, ref)),
        )
    register = directory.registers.get(ref)
    owner = directory.organisations.get(register.organisation) if register else None
    return _(
        "Data in the register “%(register)s” will no longer reach other organisations.",
        register=place_text(register, owner) or ref,
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
