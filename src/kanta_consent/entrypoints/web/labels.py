"""The words the portal uses for the rule book's codes, in the catalogues.

Each text is marked for extraction here and translated where it is shown,
so the code lists stay those of domain.codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kanta_consent.entrypoints.web.i18n import mark as N_


@dataclass(frozen=True, slots=True)
class Voiced:
    """Words for codes that speak of the reader's own data or choices.

    `own` is read by a person acting for themselves; `other`, for the codes
    whose words differ, by one acting for someone else (REP-1, REP-2), who
    reads of that person's data and not of their own.
    """

    own: Mapping[str, str]
    other: Mapping[str, str] = field(default_factory=dict)

    def text(self, code: str, for_self: bool) -> str:
        """Returns the message of a code as the reader is to read it."""
        if not for_self and code in self.other:
            return self.other[code]
        return self.own[code]

    def __contains__(self, code: object) -> bool:
        return code in self.own


SCOPES = Voiced(
    {
        "health": N_("Between health care organisations"),
        "social": N_("Between social welfare organisations"),
        "social-to-health": N_("From social welfare to health care"),
        "health-to-social": N_("From health care to social welfare"),
        "wellbeing": N_("Wellbeing data you saved yourself, to professionals"),
    },
    {
        "wellbeing": N_("Wellbeing data the person saved themselves, to professionals"),
    },
)

_SCOPE_EXPLAINED = {
    "health": N_(
        "Patient data recorded by one health care organisation can be seen by "
        "another health care organisation that treats you."
    ),
    "social": N_(
        "Client data recorded in social welfare can be seen by another social "
        "welfare organisation that serves you."
    ),
    "social-to-health": N_(
        "Social welfare client data can be seen by health care professionals "
        "who treat you."
    ),
    "health-to-social": N_(
        "Health care patient data can be seen by social welfare professionals "
        "who serve you."
    ),
    "wellbeing": N_(
        "Data you saved in the Kanta personal health record can be seen by "
        "the professionals who treat or serve you."
    ),
}

_SCOPE_EXPLAINED_OTHER = {
    "health": N_(
        "Patient data recorded by one health care organisation can be seen by "
        "another health care organisation that treats the person you act for."
    ),
    "social": N_(
        "Client data recorded in social welfare can be seen by another social "
        "welfare organisation that serves the person you act for."
    ),
    "social-to-health": N_(
        "Social welfare client data can be seen by health care professionals "
        "who treat the person you act for."
    ),
    "health-to-social": N_(
        "Health care patient data can be seen by social welfare professionals "
        "who serve the person you act for."
    ),
    "wellbeing": N_(
        "Data the person you act for saved in the Kanta personal health record "
        "can be seen by the professionals who treat or serve them."
    ),
}

SCOPE_EXPLAINED = Voiced(_SCOPE_EXPLAINED, _SCOPE_EXPLAINED_OTHER)

TARGET_KINDS = {
    "service-event": N_("A service event"),
    "document": N_("A social welfare document"),
    "organisation": N_("An organisation"),
    "register": N_("A health care register"),
    "private-occupational-register": N_("A private occupational health register"),
    "all-health": N_("All health data"),
    "service-task": N_("A social welfare service task"),
    "all-social": N_("All social welfare data"),
}

SERVICE_TASKS = {
    "families": N_("Services for families with children"),
    "child-welfare": N_("Child welfare"),
    "working-age": N_("Services for people of working age"),
    "older-people": N_("Services for older people"),
    "disability": N_("Disability services"),
    "substance-abuse-mental-health": N_("Substance abuse and mental health work"),
    "social-emergency": N_("Social emergency services"),
}

ROLES = {
    "self": N_("themselves"),
    "guardian": N_("a guardian"),
    "mandate-holder": N_("a mandate holder"),
    "professional": N_("a professional in care"),
    "import": N_("carried over from earlier records"),
}

CHOICE_KINDS = {
    "Acknowledgement": N_("Kanta information acknowledged"),
    "PermissionGranted": N_("Disclosure permission given"),
    "PermissionWithdrawn": N_("Disclosure permission withdrawn"),
    "ProhibitionGiven": N_("Prohibition of disclosure given"),
    "ProhibitionWithdrawn": N_("Prohibition of disclosure withdrawn"),
}

REASONS = Voiced(
    {
        "same-register": N_("Used within the same register"),
        "purchased-service": N_("A purchased service or a service voucher"),
        "not-informed": N_("Not disclosed: the Kanta information had not been given"),
        "prescription": N_("Prescription data"),
        "statutory": N_("A social welfare authority's statutory right"),
        "prohibited": N_("Not disclosed: your prohibition"),
        "permission": N_("Your disclosure permission"),
        "joint-area": N_("A joint register area of public health care"),
        "emergency": N_("An emergency, when you could not be asked"),
        "no-permission": N_("Not disclosed: no permission"),
    },
    # A mandate holder reads the principal's log (REP-5): it speaks of them.
    {
        "prohibited": N_("Not disclosed: the person's prohibition"),
        "permission": N_("The person's disclosure permission"),
        "emergency": N_("An emergency, when the person could not be asked"),
    },
)

SECTORS = {
    "health": N_("Health care data"),
    "social": N_("Social welfare data"),
    "prescription": N_("Prescriptions"),
    "wellbeing": N_("Wellbeing data"),
}

PURPOSES = {
    "care": N_("care"),
    "emergency": N_("emergency"),
    "statutory": N_("statutory task"),
}

REFUSALS = {
    "notice-pending": N_(
        "The Kanta information must be acknowledged first, for the person "
        "whose matters are handled."
    ),
    "no-right-to-act": N_(
        "You have no right to act for this person: no guardianship or mandate "
        "for managing health care matters is in force."
    ),
    "minor": N_(
        "A person under 18 cannot acknowledge the Kanta information or give "
        "or withdraw permissions or prohibitions in My Kanta. This can be done "
        "in care."
    ),
    "guardian-not-allowed": N_(
        "A guardian cannot give or withdraw a child's prohibitions, withdraw a "
        "permission the child gave in care, or see the child's disclosure log."
    ),
    "mandate-not-allowed": N_(
        "A mandate holder cannot handle the permission for wellbeing data."
    ),
    "not-available-yet": N_("This choice is not available yet."),
    "not-informed": N_(
        "A permission or a prohibition can be given only after the Kanta "
        "information has been acknowledged."
    ),
    "not-in-force": N_("This choice is not in force, so it cannot be withdrawn."),
    "target-not-allowed": N_(
        "This cannot be the target of a prohibition: private health care can "
        "be targeted only through service events, an organisation that has "
        "ended cannot be targeted, and only your own service events can be."
    ),
}

CAPACITIES = {
    "1": N_("not able to decide"),
    "2": N_("able to decide, allows guardians to see"),
    "3": N_("able to decide, forbids guardians to see"),
    "4": N_("capacity not known"),
}

REMINDERS = Voiced(
    {
        # PER-5: an informed adult without a health permission, on every visit.
        "permission-missing": N_(
            "You have not given a disclosure permission between health care "
            "organisations. Without it, an organisation that treats you cannot "
            "see data recorded by other organisations, except where the law "
            "allows it."
        ),
        # PER-6: a permission given before outside-kanta-grant covers Kanta only.
        "permission-renew": N_(
            "Your disclosure permission was given before 30 November 2023 and "
            "covers only data stored in Kanta. Give it again to cover data kept "
            "outside Kanta as well."
        ),
    },
    {
        "permission-missing": N_(
            "The person you act for has no disclosure permission between health "
            "care organisations. Without it, an organisation that treats them "
            "cannot see data recorded by other organisations, except where the "
            "law allows it."
        ),
        "permission-renew": N_(
            "The disclosure permission of the person you act for was given "
            "before 30 November 2023 and covers only data stored in Kanta. Give "
            "it again to cover data kept outside Kanta as well."
        ),
    },
)

FLASHES = {
    "logged-out": N_("You have logged out."),
    "declined": N_(
        "You declined the Kanta information, so you were logged out. You can "
        "log in again at any time."
    ),
    "returned": N_(
        "You declined the Kanta information for the person, so you returned "
        "to your own pages."
    ),
    "saved": N_("Your change has been saved."),
}


class Message:
    """The title and text of a message page."""

    def __init__(self, title: str, text: str) -> None:
        self.title = title
        self.text = text


MESSAGES = {
    "unknown": Message(
        N_("No data found"),
        N_("There is no data about you in this service."),
    ),
    "csrf": Message(
        N_("The form has expired"),
        N_(
            "The form could not be accepted, because it had expired or did not "
            "come from this service. Nothing was changed. Please try again."
        ),
    ),
    "invalid": Message(
        N_("The request could not be handled"),
        N_("The request was incomplete or not valid. Nothing was changed."),
    ),
    "login-failed": Message(
        N_("Identification failed"),
        N_("The identification did not succeed. Please try again."),
    ),
    "no-provider": Message(
        N_("Identification is not available"),
        N_("No identification service has been set up for this service."),
    ),
    "not-found": Message(
        N_("Page not found"),
        N_(
            "There is no page at this address in My Kanta. Check the address, "
            "or start again from the start page."
        ),
    ),
    "no-event": Message(
        N_("Service event not found"),
        N_(
            "There is no service event at this address among those shown to "
            "you. Check the address, or choose the event in My data."
        ),
    ),
    "not-in-demo": Message(
        N_("This person is not in the demo data"),
        N_(
            "The test identity code is valid, but the demonstration service has "
            "no data about a person with it. Log in as one of the demo people "
            "listed on the test login page."
        ),
    ),
}

# Where a message page leads back to: the address and its link's words.
BACKS = {
    "my-data": ("/portal/my-data", N_("Back to My data")),
    "login": ("/portal/login", N_("Back to the test login")),
}

TARGET_GROUPS = Voiced(
    {
        "events": N_("Your service events"),
        "organisations": N_("Organisations"),
        "registers": N_("Registers"),
        "tasks": N_("Social welfare service tasks"),
        "all": N_("All data of a sector"),
    },
    {"events": N_("Service events of the person you act for")},
)

CHANNELS = {
    "portal": N_("In My Kanta"),
    "care": N_("In care"),
}

# Why some choices are not offered on the page (MIN-2, REP-4, REP-5, PER-2).
LIMITS = {
    "minor": N_(
        "A person under 18 cannot make choices here. Permissions and "
        "prohibitions can be given in care, where a professional records them."
    ),
    "guardian": N_(
        "As a guardian you can give and withdraw the child's disclosure "
        "permissions, but not prohibitions, and not a permission the child "
        "gave in care."
    ),
    "mandate": N_(
        "Under a mandate you cannot handle the permission for wellbeing data."
    ),
    "not-informed": N_(
        "Permissions and prohibitions can be given once the Kanta information "
        "has been acknowledged."
    ),
}
