"""Choices as FHIR R4B Consent resources, and Consent resources read as choices.

Export: an acknowledgement, permission or prohibition becomes one Consent;
permissions are `permit` provisions with the scope as class, prohibitions
`deny` provisions with their target as actor (register, organisation),
data (service event, document) or class (all-health, all-social, service
task). An emergency allowance (PRO-6) is a nested permit for ETREAT.

Import reads the same shape back. A Consent written for other rules is
refused with `ImportRefused`, which names the FHIR field and says what to
change; kanta-consent's choices hold until withdrawn and cover whole
scopes, so time limits, security labels and narrowed actors cannot be
carried over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from fhir.resources.R4B.consent import Consent, ConsentProvision

from kanta_consent.domain.choices import (
    Acknowledgement,
    Choice,
    ChoiceState,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import Scope, TargetKind
from kanta_consent.domain.errors import InvalidIdentityCode
from kanta_consent.domain.identity import HELSINKI, parse_identity_code
from kanta_consent.entrypoints.api.models import ID_LENGTH

PERSON_SYSTEM = "urn:oid:1.2.246.21"
SCOPE_SYSTEM = "urn:kanta-consent:scope"
TARGET_SYSTEM = "urn:kanta-consent:target"
TASK_SYSTEM = "urn:kanta-consent:service-task"
REGISTER_SYSTEM = "urn:kanta-consent:register"
ORGANISATION_SYSTEM = "urn:kanta-consent:organisation"
EVENT_SYSTEM = "urn:kanta-consent:service-event"
NOTICE_SYSTEM = "urn:kanta-consent:notice-version"
CHOICE_SYSTEM = "urn:kanta-consent:choice"
UNIT_SYSTEM = "urn:kanta-consent:service-unit"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
EARLIER_LAW = "earlier-law"
# A target's id is stored as the API's are: at most ID_LENGTH characters,
# none of them a control character, which PostgreSQL cannot even look up.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_ACTOR_TARGETS = {
    TargetKind.REGISTER: REGISTER_SYSTEM,
    TargetKind.PRIVATE_OCCUPATIONAL_REGISTER: REGISTER_SYSTEM,
    TargetKind.ORGANISATION: ORGANISATION_SYSTEM,
}
_DATA_TARGETS = (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT)


class ImportRefused(Exception):
    """A Consent that cannot be read as a choice: the field and what to do."""

    def __init__(self, field: str, value: Any, detail: str) -> None:
        self.field = field
        self.value = value
        self.detail = detail
        super().__init__(f"{field}: {detail}")


@dataclass(frozen=True, slots=True)
class ImportedChoice:
    """What a Consent means: whose choice, which, and since when."""

    kind: str
    person: str
    at: datetime
    scope: Scope | None = None
    target: Target | None = None
    emergency_allowed: bool = False


# Export


def _coding(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _performer(choice: Choice) -> dict[str, Any]:
    actor = choice.actor
    if actor.person is not None:
        return {"identifier": {"system": PERSON_SYSTEM, "value": actor.person}}
    return {
        "identifier": {"system": UNIT_SYSTEM, "value": actor.unit or "unknown"},
        "display": actor.role.value,
    }


def _deny_provision(choice: ProhibitionGiven) -> dict[str, Any]:
    target = choice.target
    provision: dict[str, Any] = {
        "type": "deny",
        "class": [{"system": TARGET_SYSTEM, "code": target.kind.value}],
    }
    if target.kind in _ACTOR_TARGETS and target.ref:
        reference = {"system": _ACTOR_TARGETS[target.kind], "value": target.ref}
        role = _coding(PARTICIPATION, "IRCP")
        provision["actor"] = [{"role": role, "reference": {"identifier": reference}}]
    elif target.kind in _DATA_TARGETS and target.ref:
        reference = {"system": EVENT_SYSTEM, "value": target.ref}
        provision["data"] = [
            {"meaning": "instance", "reference": {"identifier": reference}}
        ]
    elif target.kind is TargetKind.SERVICE_TASK and target.ref:
        provision["class"].append({"system": TASK_SYSTEM, "code": target.ref})
    if choice.emergency_allowed:
        # PRO-6: data may go out in an emergency despite the prohibition.
        emergency = {
            "type": "permit",
            "purpose": [{"system": ACT_REASON, "code": "ETREAT"}],
        }
        provision["provision"] = [emergency]
    return provision


def to_consent(choice: Choice, state: ChoiceState) -> Consent | None:
    """Returns the Consent of an acknowledgement, permission or prohibition."""
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "id": choice.id,
        "scope": _coding(CONSENT_SCOPE, "patient-privacy"),
        "patient": {"identifier": {"system": PERSON_SYSTEM, "value": choice.person}},
        "dateTime": choice.at.isoformat(),
        "performer": [_performer(choice)],
        "status": "active",
    }
    if isinstance(choice, Acknowledgement):
        version = choice.version or EARLIER_LAW
        resource["category"] = [_coding(CHOICE_SYSTEM, "acknowledgement")]
        resource["policyRule"] = _coding(NOTICE_SYSTEM, version)
    elif isinstance(choice, PermissionGranted):
        held = state.permissions.get(choice.scope)
        resource["status"] = "active" if held and held.id == choice.id else "inactive"
        resource["category"] = [_coding(CHOICE_SYSTEM, "permission")]
        resource["policyRule"] = _coding(ACT_CODE, "OPTIN")
        scope = [{"system": SCOPE_SYSTEM, "code": choice.scope.value}]
        resource["provision"] = {"type": "permit", "class": scope}
    elif isinstance(choice, ProhibitionGiven):
        in_force = choice.id in state.prohibitions
        resource["status"] = "active" if in_force else "inactive"
        resource["category"] = [_coding(CHOICE_SYSTEM, "prohibition")]
        resource["policyRule"] = _coding(ACT_CODE, "OPTOUT")
        resource["provision"] = _deny_provision(choice)
    else:
        return None
    return Consent.model_validate(resource)


def to_bundle(choices: list[Choice], state: ChoiceState) -> dict[str, Any]:
    """Returns a searchset Bundle of the person's choices, as JSON."""
    from fhir.resources.R4B.bundle import Bundle

    consents = [c for c in (to_consent(x, state) for x in choices) if c is not None]
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(consents),
            "entry": [
                {
                    "fullUrl": f"urn:uuid:{c.id}",
                    "resource": c,
                    "search": {"mode": "match"},
                }
                for c in consents
            ],
        }
    )
    result: dict[str, Any] = bundle.model_dump(mode="json")
    return result


# Import


def from_consent(consent: Consent, now: datetime) -> ImportedChoice:
    """Reads a Consent as the one choice it means, or refuses naming the field."""
    if consent.status != "active":
        raise ImportRefused(
            "status",
            consent.status,
            "only an active consent is a choice in force; import active ones",
        )
    _check_scope(consent)
    person = _person(consent)
    at = _moment(consent, now)
    rule = _policy_rule(consent)
    if rule == "acknowledgement":
        if consent.provision is not None:
            raise ImportRefused("provision", "present", "an acknowledgement has none")
        return ImportedChoice("acknowledgement", person, at)
    provision = consent.provision or ConsentProvision.model_validate({})
    _check_unsupported(provision, "provision")
    # FHIR's provision types are deny and permit; the R4B models take any
    # code, and an unknown one was read as a permission or, under OPTOUT,
    # a prohibition.
    if provision.type not in (None, "deny", "permit"):
        raise ImportRefused("provision.type", provision.type, "deny or permit")
    if rule == "OPTOUT" or provision.type == "deny":
        target, emergency = _prohibition(provision)
        return ImportedChoice("prohibition", person, at, None, target, emergency)
    return ImportedChoice("permission", person, at, scope=_scope(provision))


def _check_scope(consent: Consent) -> None:
    codes = [c.code for c in consent.scope.coding or ()]
    if "patient-privacy" not in codes:
        raise ImportRefused(
            "scope", codes, "kanta-consent imports patient-privacy consents only"
        )


def _person(consent: Consent) -> str:
    patient = consent.patient
    identifier = patient.identifier if patient is not None else None
    if identifier is None or identifier.system != PERSON_SYSTEM or not identifier.value:
        reference = patient.reference if patient is not None else None
        raise ImportRefused(
            "patient",
            reference,
            "name the person by patient.identifier with system "
            f"{PERSON_SYSTEM} and the identity code as value; a reference to "
            "another server's Patient does not say who the person is",
        )
    try:
        return parse_identity_code(str(identifier.value)).value
    except InvalidIdentityCode as error:
        raise ImportRefused(
            "patient.identifier.value", identifier.value, error.problem
        ) from None


def _id(field: str, value: str) -> str:
    if len(value) > ID_LENGTH or _CONTROL.search(value):
        raise ImportRefused(
            field,
            value,
            f"no register, organisation, service event or task has this id: "
            f"an id holds at most {ID_LENGTH} characters and no control characters",
        )
    return value


def _moment(consent: Consent, now: datetime) -> datetime:
    value = consent.dateTime
    if value is None:
        raise ImportRefused(
            "dateTime",
            None,
            "give the moment the choice was made: it takes effect then",
        )
    if isinstance(value, datetime):
        at = value if value.tzinfo is not None else value.replace(tzinfo=HELSINKI)
    elif isinstance(value, date):
        at = datetime.combine(value, time(), HELSINKI)
    else:
        raise ImportRefused("dateTime", str(value), "give a date or a date and time")
    if at > now:
        raise ImportRefused("dateTime", str(value), "a choice cannot be in the future")
    return at


def _policy_rule(consent: Consent) -> str:
    rule = consent.policyRule
    listed = (rule.coding if rule is not None else None) or []
    codings = [(c.system, c.code) for c in listed]
    if any(system == NOTICE_SYSTEM for system, _ in codings):
        return "acknowledgement"
    for system, code in codings:
        if system == ACT_CODE and code in ("OPTIN", "OPTOUT"):
            return str(code)
    raise ImportRefused(
        "policyRule",
        [code for _, code in codings],
        f"give {ACT_CODE} OPTIN (a permission) or OPTOUT (a prohibition), "
        f"or a {NOTICE_SYSTEM} code (an acknowledgement)",
    )


def _check_unsupported(provision: ConsentProvision, at: str) -> None:
    # PER-3, PRO-3: a choice holds until withdrawn; no period carries over.
    if provision.period is not None or provision.dataPeriod is not None:
        raise ImportRefused(
            f"{at}.period",
            "present",
            "choices here hold until withdrawn and cover data of any date; "
            "remove the period, and import a withdrawal for its end",
        )
    if provision.securityLabel:
        raise ImportRefused(
            f"{at}.securityLabel",
            [s.code for s in provision.securityLabel],
            "choices cannot be limited by confidentiality labels; "
            "name a register, organisation or service event instead",
        )
    if provision.code:
        raise ImportRefused(
            f"{at}.code",
            "present",
            "choices cannot be limited to document codes; name a service event instead",
        )
    for index, action in enumerate(provision.action or ()):
        codes = [c.code for c in action.coding or ()]
        if not set(codes) <= {"access", "disclose"}:
            raise ImportRefused(
                f"{at}.action[{index}]",
                codes,
                "only disclosure (access) is governed here; remove other actions",
            )


def _scope(provision: ConsentProvision) -> Scope:
    if provision.actor or provision.data or provision.provision or provision.purpose:
        field = next(
            name
            for name in ("actor", "data", "provision", "purpose")
            if getattr(provision, name)
        )
        raise ImportRefused(
            f"provision.{field}",
            "present",
            "a permission covers every register of its scope (PER-1) and "
            "cannot be narrowed; remove it, or import a prohibition instead",
        )
    codes = [
        str(c.code) for c in provision.class_fhir or () if c.system == SCOPE_SYSTEM
    ]
    if not codes:
        # A plain patient-privacy opt-in is the health permission (PER-1).
        return Scope.HEALTH
    try:
        return Scope(codes[0])
    except ValueError:
        raise ImportRefused(
            "provision.class", codes[0], f"give a scope of {SCOPE_SYSTEM}"
        ) from None


def _prohibition(provision: ConsentProvision) -> tuple[Target, bool]:
    emergency = _emergency(provision.provision or [])
    if provision.purpose:
        raise ImportRefused(
            "provision.purpose",
            [p.code for p in provision.purpose],
            "a prohibition covers every purpose; allow emergencies with a "
            "nested permit provision for ETREAT",
        )
    classes = {c.system: c.code for c in provision.class_fhir or () if c.system}
    kind = _target_kind(provision, classes.get(TARGET_SYSTEM))
    if kind in (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL):
        return Target(kind), emergency
    if kind is TargetKind.SERVICE_TASK:
        task = classes.get(TASK_SYSTEM)
        if task is None:
            raise ImportRefused(
                "provision.class", None, f"give the task as {TASK_SYSTEM}"
            )
        return Target(kind, _id("provision.class", task)), emergency
    if kind in _DATA_TARGETS:
        return Target(kind, _data_ref(provision)), emergency
    return Target(kind, _actor_ref(provision, _ACTOR_TARGETS[kind])), emergency


def _target_kind(provision: ConsentProvision, code: str | None) -> TargetKind:
    if code is not None:
        try:
            return TargetKind(code)
        except ValueError:
            raise ImportRefused(
                "provision.class", code, f"give a target kind of {TARGET_SYSTEM}"
            ) from None
    if provision.data:
        return TargetKind.SERVICE_EVENT
    if provision.actor:
        actor = provision.actor[0].reference
        system = actor.identifier.system if actor.identifier is not None else None
        return (
            TargetKind.ORGANISATION
            if system == ORGANISATION_SYSTEM
            else (TargetKind.REGISTER)
        )
    raise ImportRefused(
        "provision",
        None,
        "a prohibition needs a target: an actor (register or organisation), "
        f"data (a service event) or a {TARGET_SYSTEM} class",
    )


def _actor_ref(provision: ConsentProvision, system: str) -> str:
    actors = provision.actor or []
    if len(actors) != 1:
        raise ImportRefused(
            "provision.actor",
            len(actors),
            "a prohibition targets one register or organisation; "
            "import one Consent for each",
        )
    reference = actors[0].reference
    identifier = reference.identifier
    if identifier is None or identifier.system != system or not identifier.value:
        raise ImportRefused(
            "provision.actor[0].reference",
            reference.reference,
            f"name the target by identifier system {system}; a reference to "
            "another server's resource does not say which it is",
        )
    return _id("provision.actor[0].reference", str(identifier.value))


def _data_ref(provision: ConsentProvision) -> str:
    data = provision.data or []
    identifier = data[0].reference.identifier if len(data) == 1 else None
    if identifier is None or identifier.system != EVENT_SYSTEM or not identifier.value:
        value = data[0].reference.reference if len(data) == 1 else len(data)
        raise ImportRefused(
            "provision.data",
            value,
            f"name one service event by identifier system {EVENT_SYSTEM}",
        )
    return _id("provision.data", str(identifier.value))


def _emergency(nested: list[ConsentProvision]) -> bool:
    if not nested:
        return False
    only = nested[0]
    purposes = [p.code for p in only.purpose or ()]
    is_allowance = (
        len(nested) == 1
        and only.type == "permit"
        and purposes == ["ETREAT"]
        and not (only.actor or only.data or only.provision or only.class_fhir)
    )
    if not is_allowance:
        raise ImportRefused(
            "provision.provision",
            len(nested),
            "the only nested provision understood is one permit for ETREAT "
            "(the emergency allowance, PRO-6)",
        )
    return True
