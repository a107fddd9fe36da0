"""Consent resources read as the choices they mean (FHIR R4B).

Import reads the shape fhir_consent.py writes. A Consent written for other
rules is refused with `ImportRefused`, which names the FHIR field and says
what to change: kanta-consent's choices hold until withdrawn and cover
whole scopes, one choice a Consent, so time limits, security labels,
narrowed actors, several scopes or targets, and classes or categories of
other systems cannot be carried over, and are refused rather than dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from fhir.resources.R4B.consent import Consent, ConsentProvision
from pydantic import BaseModel

from kanta_consent.domain import sizes
from kanta_consent.domain.actions import takes_emergency_allowance
from kanta_consent.domain.choices import (
    Acknowledgement,
    Choice,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import Scope, TargetKind
from kanta_consent.domain.errors import InvalidIdentityCode
from kanta_consent.domain.identity import HELSINKI, parse_identity_code
from kanta_consent.entrypoints.api.fhir_consent import (
    ACT_CODE,
    ACTOR_TARGETS,
    CHOICE_SYSTEM,
    DATA_TARGETS,
    EARLIER_LAW,
    EVENT_SYSTEM,
    NOTICE_SYSTEM,
    ORGANISATION_SYSTEM,
    PERSON_SYSTEM,
    SCOPE_SYSTEM,
    TARGET_SYSTEM,
    TASK_SYSTEM,
)

LOINC = "http://loinc.org"
PATIENT_CONSENT = "59284-0"

# A target's id is stored as the API's are: at most sizes.ID characters,
# none of them a control character, which PostgreSQL cannot even look up.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ImportRefused(Exception):
    """A Consent that cannot be read as a choice: the field and what to do."""

    def __init__(self, field: str, value: Any, detail: str) -> None:
        self.field = field
        self.value = value
        self.detail = detail
        super().__init__(f"{field}: {detail}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedChoice:
    """What a Consent means: whose choice, which, and since when.

    `field` and `value` name the part of the Consent that says what is
    chosen (its scope, target or notice version), for a refusal to name.
    """

    kind: str
    person: str
    at: datetime
    field: str
    value: Any
    scope: Scope | None = None
    target: Target | None = None
    emergency_allowed: bool = False
    version: str | None = None


def from_consent(consent: Consent, now: datetime) -> ImportedChoice:
    """Reads a Consent as the one choice it means, or refuses naming the field."""
    if consent.status != "active":
        raise ImportRefused(
            "status",
            consent.status,
            "only an active consent is a choice in force; import active ones",
        )
    _check_modifiers(consent, "")
    _check_scope(consent)
    person = _person(consent)
    at = _moment(consent, now)
    meant = _meant(consent, person, at)
    _check_category(consent, meant.kind)
    return meant


def _check_modifiers(element: BaseModel, at: str) -> None:
    """Refuses a modifier extension anywhere in the element.

    FHIR lets a modifier extension change what the element means (negate
    it, say), and no reader may ignore one it does not know: kanta-consent
    knows none, so a Consent that has one cannot be read as any choice.
    """
    for name, info in type(element).model_fields.items():
        value = getattr(element, name, None)
        if not value:
            continue
        field = f"{at}.{info.alias or name}" if at else info.alias or name
        if name == "modifierExtension":
            raise ImportRefused(
                field,
                [extension.url for extension in value],
                "a modifier extension may change what the Consent means, and "
                "kanta-consent knows none; remove it, or import the choice it means",
            )
        if isinstance(value, BaseModel):
            _check_modifiers(value, field)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _check_modifiers(item, f"{field}[{index}]")


def find_recorded(choices: Iterable[Choice], meant: ImportedChoice) -> Choice | None:
    """Returns the recorded choice that the Consent means, if there is one.

    A Consent sent again, by a retry or a replayed feed, means the choice
    it meant the first time, at the same moment: recording it once more
    would give the person the same choice twice.
    """
    return next((c for c in choices if c.at == meant.at and _means(c, meant)), None)


def _means(choice: Choice, meant: ImportedChoice) -> bool:
    if isinstance(choice, Acknowledgement):
        version = choice.version or EARLIER_LAW
        return meant.kind == "acknowledgement" and version == meant.version
    if isinstance(choice, PermissionGranted):
        return meant.kind == "permission" and choice.scope is meant.scope
    if isinstance(choice, ProhibitionGiven):
        # PRO-6: an allowance asked for a social welfare prohibition is not kept.
        allowed = meant.emergency_allowed and takes_emergency_allowance(choice.sectors)
        return (
            meant.kind == "prohibition"
            and choice.target == meant.target
            and choice.emergency_allowed == allowed
        )
    return False


def _meant(consent: Consent, person: str, at: datetime) -> ImportedChoice:
    rule, version = _policy_rule(consent)
    if rule == "acknowledgement":
        if consent.provision is not None:
            raise ImportRefused("provision", "present", "an acknowledgement has none")
        return ImportedChoice(
            kind="acknowledgement",
            person=person,
            at=at,
            field="policyRule",
            value=version,
            version=version,
        )
    provision = consent.provision or ConsentProvision.model_validate({})
    _check_unsupported(provision, "provision")
    # FHIR's provision types are deny and permit; the R4B models take any
    # code, and an unknown one was read as a permission or, under OPTOUT,
    # a prohibition.
    if provision.type not in (None, "deny", "permit"):
        raise ImportRefused("provision.type", provision.type, "deny or permit")
    if rule == "OPTOUT" and provision.type == "permit":
        # Opted out but for what the provision names: the opposite of a
        # prohibition of it, which is how it was read.
        raise ImportRefused(
            "provision.type",
            provision.type,
            "an OPTOUT consent that permits what it names allows only that; "
            "kanta-consent has no such choice. A prohibition is OPTOUT with a "
            "deny provision naming what it prohibits",
        )
    if rule == "OPTOUT" or provision.type == "deny":
        return _prohibition(provision, person, at)
    scope = _scope(provision)
    return ImportedChoice(
        kind="permission",
        person=person,
        at=at,
        field="provision.class",
        value=scope.value,
        scope=scope,
    )


def _check_category(consent: Consent, kind: str) -> None:
    # The category says what the Consent is: LOINC's patient consent fits
    # any choice here, and kanta-consent's own names the one it is. Another
    # (research, an advance directive, ...) is no choice about disclosure,
    # and reading it as one would record what the person did not choose.
    for concept in consent.category:
        codings = [(c.system, c.code) for c in concept.coding or ()]
        ours = {code for system, code in codings if system == CHOICE_SYSTEM}
        if ours == {kind} or (not ours and (LOINC, PATIENT_CONSENT) in codings):
            continue
        raise ImportRefused(
            "category",
            [code for _, code in codings] or concept.text,
            f"this Consent is read as a {kind}: give its category as "
            f"{CHOICE_SYSTEM} {kind} or {LOINC} {PATIENT_CONSENT} (patient "
            "consent); kanta-consent records no other kind of consent",
        )


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
    if len(value) > sizes.ID or _CONTROL.search(value):
        raise ImportRefused(
            field,
            value,
            f"no register, organisation, service event or task has this id: "
            f"an id holds at most {sizes.ID} characters and no control characters",
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


def _policy_rule(consent: Consent) -> tuple[str, str | None]:
    rule = consent.policyRule
    listed = (rule.coding if rule is not None else None) or []
    codings = [(c.system, c.code) for c in listed]
    for system, code in codings:
        if system == NOTICE_SYSTEM:
            return "acknowledgement", code
    for system, code in codings:
        if system == ACT_CODE and code in ("OPTIN", "OPTOUT"):
            return str(code), None
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
    scopes = ", ".join(s.value for s in Scope)
    for coding in provision.class_fhir or ():
        if coding.system != SCOPE_SYSTEM:
            raise ImportRefused(
                "provision.class",
                coding.code,
                f"a permission's class is its scope, of system {SCOPE_SYSTEM}: "
                f"{scopes}; a class of another system cannot be carried over",
            )
    codes = list(dict.fromkeys(str(c.code) for c in provision.class_fhir or ()))
    if not codes:
        # A plain opt-in names no scope; reading it as one (health, say)
        # would grant what the person may not have meant (PER-1).
        raise ImportRefused(
            "provision.class",
            None,
            f"a permission names its scope, of system {SCOPE_SYSTEM}: {scopes}",
        )
    if len(codes) > 1:
        raise ImportRefused(
            "provision.class",
            codes,
            "a permission here is of one scope; import one Consent for each",
        )
    try:
        return Scope(codes[0])
    except ValueError:
        raise ImportRefused(
            "provision.class", codes[0], f"give a scope of {SCOPE_SYSTEM}: {scopes}"
        ) from None


def _prohibition(
    provision: ConsentProvision, person: str, at: datetime
) -> ImportedChoice:
    emergency = _emergency(provision.provision or [])
    if provision.purpose:
        raise ImportRefused(
            "provision.purpose",
            [p.code for p in provision.purpose],
            "a prohibition covers every purpose; allow emergencies with a "
            "nested permit provision for ETREAT",
        )
    classes = _deny_classes(provision)
    kind = _target_kind(provision, classes.get(TARGET_SYSTEM))
    _check_one_target(provision, kind, classes)
    field, ref = _target_ref(provision, kind, classes)
    return ImportedChoice(
        kind="prohibition",
        person=person,
        at=at,
        field=field,
        value=ref or kind.value,
        target=Target(kind, ref),
        emergency_allowed=emergency,
    )


def _deny_classes(provision: ConsentProvision) -> dict[str, str]:
    classes: dict[str, str] = {}
    for coding in provision.class_fhir or ():
        if coding.system not in (TARGET_SYSTEM, TASK_SYSTEM):
            raise ImportRefused(
                "provision.class",
                coding.code,
                f"a prohibition's class is its target kind ({TARGET_SYSTEM}) "
                f"or service task ({TASK_SYSTEM}); a class of another system "
                "cannot be carried over",
            )
        if classes.setdefault(coding.system, str(coding.code)) != coding.code:
            codes = [
                c.code for c in provision.class_fhir or () if c.system == coding.system
            ]
            raise ImportRefused(
                "provision.class",
                codes,
                "a prohibition here has one target; import one Consent for each",
            )
    return classes


def _check_one_target(
    provision: ConsentProvision, kind: TargetKind, classes: dict[str, str]
) -> None:
    # A prohibition has one target: what else the provision names would
    # otherwise be dropped unsaid, and the prohibition cover another thing.
    names = {
        "provision.actor": bool(provision.actor) and kind not in ACTOR_TARGETS,
        "provision.data": bool(provision.data) and kind not in DATA_TARGETS,
        "provision.class": TASK_SYSTEM in classes
        and kind is not TargetKind.SERVICE_TASK,
    }
    for field, extra in names.items():
        if extra:
            raise ImportRefused(
                field,
                "present",
                f"this prohibition targets a {kind.value} and names nothing "
                "more; import one Consent for each target",
            )


def _target_ref(
    provision: ConsentProvision, kind: TargetKind, classes: dict[str, str]
) -> tuple[str, str | None]:
    if kind in (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL):
        return "provision.class", None
    if kind is TargetKind.SERVICE_TASK:
        task = classes.get(TASK_SYSTEM)
        if task is None:
            raise ImportRefused(
                "provision.class", None, f"give the task as {TASK_SYSTEM}"
            )
        return "provision.class", _id("provision.class", task)
    if kind in DATA_TARGETS:
        return "provision.data", _data_ref(provision)
    field = "provision.actor[0].reference"
    return field, _actor_ref(provision, ACTOR_TARGETS[kind])


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
