"""Choices as FHIR R4B Consent resources, and the identifier systems they use.

An acknowledgement, permission or prohibition becomes one Consent;
permissions are `permit` provisions with the scope as class, prohibitions
`deny` provisions with their target as actor (register, organisation),
data (service event, document) or class (all-health, all-social, service
task). An emergency allowance (PRO-6) is a nested permit for ETREAT.
fhir_import.py reads the same shape back.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.consent import Consent

from kanta_consent.domain.choices import (
    Acknowledgement,
    Choice,
    ChoiceState,
    PermissionGranted,
    ProhibitionGiven,
)
from kanta_consent.domain.codes import TargetKind

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

# The targets named by an actor's identifier, and those named as data.
ACTOR_TARGETS = {
    TargetKind.REGISTER: REGISTER_SYSTEM,
    TargetKind.PRIVATE_OCCUPATIONAL_REGISTER: REGISTER_SYSTEM,
    TargetKind.ORGANISATION: ORGANISATION_SYSTEM,
}
DATA_TARGETS = (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT)


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
    if target.kind in ACTOR_TARGETS and target.ref:
        reference = {"system": ACTOR_TARGETS[target.kind], "value": target.ref}
        role = _coding(PARTICIPATION, "IRCP")
        provision["actor"] = [{"role": role, "reference": {"identifier": reference}}]
    elif target.kind in DATA_TARGETS and target.ref:
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
