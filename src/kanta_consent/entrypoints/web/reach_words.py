"""Plain words for who can see the data: each deciding rule, each choice.

The services answer in codes and choices (services/my_data.py); this puts
them into the reader's language, for "My data" and for the preview of a
change on "Management of the use of data".
"""

from __future__ import annotations

from typing import Any

from kanta_consent.domain.choices import Choice, PermissionGranted, ProhibitionGiven
from kanta_consent.domain.errors import InvalidValue, Refused
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import Register
from kanta_consent.domain.reach import Access
from kanta_consent.domain.who_sees import AccessChange, Basis, Recipient, WhoCanSee
from kanta_consent.entrypoints.web import describe
from kanta_consent.entrypoints.web.i18n import date_text, gettext
from kanta_consent.entrypoints.web.i18n import mark as N_
from kanta_consent.entrypoints.web.labels import Voiced
from kanta_consent.entrypoints.web.viewer import Viewer
from kanta_consent.services.my_data import (
    PLANNED,
    MyDataService,
    PlannedChange,
    Preview,
)

# What each deciding rule means for the reader, in plain words; one acting
# for someone else reads of that person (REP-1, REP-2).
REASONS = Voiced(
    {
        "same-register": N_(
            "The organisation's own register: using the data there is not a disclosure."
        ),
        "purchased-service": N_(
            "It produces care for the register that holds the data, as a purchased "
            "service or with a service voucher."
        ),
        "prescription": N_(
            "Prescriptions are available to those who treat you: the permissions and "
            "prohibitions of this service do not apply to them."
        ),
        "statutory": N_(
            "A social welfare authority may receive social welfare data for a "
            "statutory task, even without a permission and despite a prohibition."
        ),
        "permission": N_("A disclosure permission allows it."),
        "joint-area": N_(
            "It belongs to the same joint register area of public health care."
        ),
        "emergency": N_("Only in an emergency, when you cannot be asked."),
        "prohibited": N_("A prohibition of disclosure stops it."),
        "not-informed": N_("The Kanta information has not been given."),
        "no-permission": N_("No disclosure permission covers it."),
    },
    {
        "prescription": N_(
            "Prescriptions are available to those who treat the person: the "
            "permissions and prohibitions of this service do not apply to them."
        ),
        "emergency": N_("Only in an emergency, when the person cannot be asked."),
    },
)

# How a reason reads after "Not for care": in which case it then applies.
_PREFIXED = {
    "permission": N_("In an emergency: %(why)s"),
    "joint-area": N_("In an emergency: %(why)s"),
}

# How a choice the rules rest on reads: made by the reader for themselves,
# by the reader for the person they act for, or by someone else. REP-6: a
# choice a guardian or a mandate holder made is not said to be the person's.
_GIVEN: dict[type[Choice], tuple[str, str, str]] = {
    PermissionGranted: (
        N_("You gave a disclosure permission on %(day)s."),
        N_("A disclosure permission you gave on their behalf on %(day)s."),
        N_("A disclosure permission given on %(day)s by: %(who)s."),
    ),
    ProhibitionGiven: (
        N_("You gave a prohibition on %(day)s: %(target)s."),
        N_("A prohibition you gave on their behalf on %(day)s: %(target)s."),
        N_("A prohibition given on %(day)s by %(who)s: %(target)s."),
    ),
}

ACCESS = {
    "care": N_("For care"),
    "emergency-only": N_("Only in an emergency"),
    "statutory-only": N_("Only for a statutory social welfare task"),
    "none": N_("Not at all"),
}


def _(message: str, **values: str) -> str:
    text = gettext(message)
    return text % values if values else text


def service_of(viewer: Viewer) -> MyDataService:
    """Returns the "My data" use cases over the viewer's store."""
    return MyDataService(viewer.consent.store, viewer.consent)


# The preview of a change on "Management of the use of data"


def preview_reach(viewer: Viewer, change: Any) -> Preview | None:
    """Returns the registers a change would open or close, for the preview.

    `change` is the portal's change; a change the rules refuse has no
    preview here, since the portal's own check refuses it first.
    """
    planned = PlannedChange(
        change.action,
        change.scope,
        change.target,
        change.emergency_allowed,
        change.prohibition,
    )
    try:
        return service_of(viewer).preview(
            viewer.actor, viewer.principal, planned, viewer.moment
        )
    except (Refused, InvalidValue):
        return None


# Words


class Words:
    """Puts the structured answers into plain words for this viewer."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.store = viewer.consent.store
        self.directory = self.store.directory()

    def organisation(self, register: Register) -> str:
        """Names the organisation a register belongs to."""
        owner = self.directory.organisations.get(register.organisation)
        return describe.name_of(owner) if owner else register.organisation

    def register(self, register: Register) -> str:
        """Names a register."""
        return describe.name_of(register)

    def access(self, access: Access) -> str:
        """Says how far a register may receive the data."""
        return _(ACCESS[access.value])

    def reason(self, basis: Basis) -> str:
        """Says what the deciding rule means."""
        return _(REASONS.text(basis.reason.value, self.viewer.for_self))

    def why(self, item: Recipient | AccessChange) -> list[str]:
        """Says why a register may receive the data as far as it may.

        Where it may only in an emergency or for a statutory task, the
        reader is first told why not for care.
        """
        lines = []
        if item.care_basis is not None:
            lines.append(_("Not for care: %(why)s", why=self.reason(item.care_basis)))
            lines += self.choices(item.care_basis)
        reason = self.reason(item.basis)
        if item.care_basis is not None and item.basis.reason.value in _PREFIXED:
            reason = _(_PREFIXED[item.basis.reason.value], why=reason)
        lines.append(reason)
        return lines + self.choices(item.basis)

    def choices(self, basis: Basis) -> list[str]:
        """Says when and by whom each choice the rule rests on was made."""
        lines = [self.choice(c) for c in basis.choices]
        if basis.withheld:
            lines.append(_("It rests on a choice that a guardian is not shown."))
        return lines

    def choice(self, choice: Choice) -> str:
        """Says what one choice is, when it was made and by whom."""
        if choice.id == PLANNED:
            return _("The change you are checking.")
        day = date_text(choice.at.astimezone(HELSINKI).date())
        who = describe.made_by(choice.actor, self.viewer.actor, self.viewer.principal)
        said = _GIVEN.get(type(choice))
        if said is None:
            return _("A choice made on %(day)s by: %(who)s.", day=day, who=who)
        target = ""
        if isinstance(choice, ProhibitionGiven):
            target = describe.target_text(choice.target, self.store)
        return _(self._voice(choice, *said), day=day, who=who, target=target)

    def _voice(self, choice: Choice, own: str, for_other: str, by_other: str) -> str:
        if choice.actor.person != self.viewer.actor:
            return by_other
        return own if self.viewer.for_self else for_other

    def organisations(self, recipients: tuple[Recipient, ...]) -> list[str]:
        """Names the organisations of recipients, each once, in order."""
        return list(dict.fromkeys(self.organisation(r.register) for r in recipients))

    def summary(self, who: WhoCanSee) -> str:
        """Says in one line how many organisations may receive the data."""
        return _(
            "For care: %(care)s, only in an emergency: %(emergency)s",
            care=str(len(self.organisations(who.care))),
            emergency=str(len(self.organisations(who.emergency_only))),
        )
