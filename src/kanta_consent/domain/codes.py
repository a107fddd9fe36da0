"""The code lists of the rule book, as the API, the log and the portal spell them."""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """What kind of data a query is about (DOMAIN.md section 8)."""

    HEALTH = "health"
    SOCIAL = "social"
    PRESCRIPTION = "prescription"
    WELLBEING = "wellbeing"


class RegisterKind(StrEnum):
    """A register's kind; each belongs to health care or social welfare."""

    PUBLIC_HEALTH = "public-health"
    PUBLIC_OCCUPATIONAL_HEALTH = "public-occupational-health"
    PRIVATE_HEALTH = "private-health"
    PRIVATE_OCCUPATIONAL_HEALTH = "private-occupational-health"
    INDEPENDENT_PRACTITIONER = "independent-practitioner"
    PUBLIC_SOCIAL = "public-social"
    PRIVATE_SOCIAL = "private-social"

    @property
    def sector(self) -> Sector:
        """Returns health or social, the sector the register belongs to."""
        if self in (RegisterKind.PUBLIC_SOCIAL, RegisterKind.PRIVATE_SOCIAL):
            return Sector.SOCIAL
        return Sector.HEALTH

    def holds(self, sector: Sector) -> bool:
        """Tells whether data of the sector can live in a register of this kind.

        Section 8: prescriptions are health care data; wellbeing data lives
        in the person's own record, in no register at all.
        """
        if sector is Sector.PRESCRIPTION:
            return self.sector is Sector.HEALTH
        return sector is self.sector


class Scope(StrEnum):
    """The scopes of a disclosure permission (PER-1)."""

    HEALTH = "health"
    SOCIAL = "social"
    SOCIAL_TO_HEALTH = "social-to-health"
    HEALTH_TO_SOCIAL = "health-to-social"
    WELLBEING = "wellbeing"


class Purpose(StrEnum):
    """Why a recipient asks for data."""

    CARE = "care"
    EMERGENCY = "emergency"
    STATUTORY = "statutory"


class Outcome(StrEnum):
    """The answer of a decision."""

    PERMIT = "permit"
    DENY = "deny"


class Reason(StrEnum):
    """Why a decision came out as it did; each belongs to one DIS rule."""

    SAME_REGISTER = "same-register"
    PURCHASED_SERVICE = "purchased-service"
    NOT_INFORMED = "not-informed"
    PRESCRIPTION = "prescription"
    STATUTORY = "statutory"
    PROHIBITED = "prohibited"
    PERMISSION = "permission"
    JOINT_AREA = "joint-area"
    EMERGENCY = "emergency"
    NO_PERMISSION = "no-permission"

    @property
    def rule(self) -> str:
        """Returns the id of the DIS rule that gives this reason."""
        return _RULE_OF_REASON[self]


_RULE_OF_REASON = {
    Reason.SAME_REGISTER: "DIS-1",
    Reason.PURCHASED_SERVICE: "DIS-2",
    Reason.NOT_INFORMED: "DIS-3",
    Reason.PRESCRIPTION: "DIS-4",
    Reason.STATUTORY: "DIS-5",
    Reason.PROHIBITED: "DIS-6",
    Reason.PERMISSION: "DIS-7",
    Reason.JOINT_AREA: "DIS-8",
    Reason.EMERGENCY: "DIS-9",
    Reason.NO_PERMISSION: "DIS-10",
}


class RefusalCode(StrEnum):
    """Why an action is refused, in the order of DOMAIN.md section 11."""

    NOTICE_PENDING = "notice-pending"
    NO_RIGHT_TO_ACT = "no-right-to-act"
    MINOR = "minor"
    GUARDIAN_NOT_ALLOWED = "guardian-not-allowed"
    MANDATE_NOT_ALLOWED = "mandate-not-allowed"
    NOT_AVAILABLE_YET = "not-available-yet"
    NOT_INFORMED = "not-informed"
    NOT_IN_FORCE = "not-in-force"
    TARGET_NOT_ALLOWED = "target-not-allowed"


class Channel(StrEnum):
    """Where a choice was made."""

    PORTAL = "portal"
    CARE = "care"


class ActorRole(StrEnum):
    """In what capacity someone made a choice (INF-3, REP-6)."""

    SELF = "self"
    GUARDIAN = "guardian"
    MANDATE_HOLDER = "mandate-holder"
    PROFESSIONAL = "professional"
    IMPORT = "import"


class Origin(StrEnum):
    """Where a choice comes from: made here, or imported from the earlier law."""

    NATIVE = "native"
    LEGACY = "legacy"


class TargetKind(StrEnum):
    """What a prohibition can target (PRO-1)."""

    SERVICE_EVENT = "service-event"
    ORGANISATION = "organisation"
    REGISTER = "register"
    PRIVATE_OCCUPATIONAL_REGISTER = "private-occupational-register"
    ALL_HEALTH = "all-health"
    DOCUMENT = "document"
    SERVICE_TASK = "service-task"
    ALL_SOCIAL = "all-social"


class ServiceTask(StrEnum):
    """Social welfare service tasks, after THL's classification."""

    FAMILIES = "families"
    CHILD_WELFARE = "child-welfare"
    WORKING_AGE = "working-age"
    OLDER_PEOPLE = "older-people"
    DISABILITY = "disability"
    SUBSTANCE_ABUSE_MENTAL_HEALTH = "substance-abuse-mental-health"
    SOCIAL_EMERGENCY = "social-emergency"


class Capacity(StrEnum):
    """A minor's capacity mark, THL code system 1.2.246.537.5.40202.201901."""

    NOT_ABLE = "1"
    ABLE_ALLOWS = "2"
    ABLE_FORBIDS = "3"
    UNKNOWN = "4"


class Entry(StrEnum):
    """What the portal does on entry (INF-2, REP-3)."""

    ENTER = "enter"
    NOTICE = "notice"
    REFUSED = "refused"


class Reminder(StrEnum):
    """The permission reminders of the front page (PER-5, PER-6)."""

    PERMISSION_MISSING = "permission-missing"
    PERMISSION_RENEW = "permission-renew"
