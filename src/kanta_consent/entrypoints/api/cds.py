"""CDS Hooks: the patient-consent-consult service (../shared/CDS-HOOKS.md).

Identifier systems of kanta-consent, documented in the service description
and in docs/api.md:

- the person: `urn:oid:1.2.246.21`, value the identity code;
- a register (the recipient in `actor`, the data's in `class`):
  `urn:kanta-consent:register`, value or code the register id; or, for a
  register imported with an OID, `urn:ietf:rfc:3986` with `urn:oid:...`;
- a service event or social welfare document: `urn:kanta-consent:service-event`;
- the data's sector: `urn:kanta-consent:sector`, code `health`, `social`,
  `prescription` or `wellbeing`;
- data kept outside Kanta: `urn:kanta-consent:kanta`, code `false`.

PurposeOfUse: `TREAT` is care, `ETREAT` emergency, and `GOV` (government
processes) is kanta-consent's code for `statutory`, the disclosure a
social welfare authority gets by law (DIS-5).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from kanta_consent.domain.codes import Purpose, Sector
from kanta_consent.entrypoints.api.auth import Client, ClientFirstRoute
from kanta_consent.entrypoints.api.decisions import Service, decide
from kanta_consent.entrypoints.api.models import (
    DecisionOut,
    DecisionQuery,
    Plain,
)
from kanta_consent.entrypoints.api.problems import ProblemError, branch, responses

router = APIRouter(tags=["cds-hooks"], route_class=ClientFirstRoute)

HOOK = "patient-consent-consult"
PERSON_SYSTEM = "urn:oid:1.2.246.21"
REGISTER_SYSTEM = "urn:kanta-consent:register"
EVENT_SYSTEM = "urn:kanta-consent:service-event"
SECTOR_SYSTEM = "urn:kanta-consent:sector"
KANTA_SYSTEM = "urn:kanta-consent:kanta"
# FHIR writes an OID as a URI under this system: {system, value: "urn:oid:..."}.
URI_SYSTEM = "urn:ietf:rfc:3986"
SCOPE = "patient-privacy"
PURPOSES = {
    "TREAT": Purpose.CARE,
    "ETREAT": Purpose.EMERGENCY,
    "GOV": Purpose.STATUTORY,
}

DESCRIPTION = (
    "Decides whether a person's data may be disclosed to the calling register "
    "under Finland's My Kanta rules. Identifiers: person "
    f"{PERSON_SYSTEM} (identity code); registers {REGISTER_SYSTEM}; service "
    f"events {EVENT_SYSTEM}; sector {SECTOR_SYSTEM} "
    "(health, social, prescription, wellbeing); data outside Kanta "
    f"{KANTA_SYSTEM} code false. purposeOfUse: TREAT care, ETREAT emergency, "
    "GOV statutory (a social welfare authority's disclosure by law)."
)


class Identifier(Plain):
    """A FHIR-style identifier."""

    system: str = Field(max_length=500)
    value: str = Field(max_length=500)


class Coding(Plain):
    """A FHIR-style coding."""

    model_config = ConfigDict(extra="allow")

    system: str | None = Field(default=None, max_length=500)
    code: str = Field(max_length=500)


TEXT, LIST = branch("text"), branch("list")


def _shape(value: Any) -> str | None:
    # The value's shape picks the one branch to check: a scope sent as one
    # Coding object is one problem of `context.scope`, not one per branch.
    if isinstance(value, str):
        return TEXT
    return LIST if isinstance(value, list) else None


_TEXT_OR_LIST = Discriminator(
    _shape,
    custom_error_type="text_or_list",
    custom_error_message="Input should be text or a list",
)
TextOrCodings = Annotated[
    Annotated[str, Tag(TEXT)] | Annotated[list[Coding], Tag(LIST)], _TEXT_OR_LIST
]
TextOrCodes = Annotated[
    Annotated[str, Field(min_length=1), Tag(TEXT)]
    | Annotated[list[str], Field(min_length=1), Tag(LIST)],
    _TEXT_OR_LIST,
]


class ConsultContext(Plain):
    """The hook's context, as LEAP's consent decision service defines it."""

    model_config = ConfigDict(extra="allow")

    patientId: list[Identifier] = Field(min_length=1, max_length=10)
    scope: TextOrCodings | None = None
    category: TextOrCodings | None = None
    purposeOfUse: TextOrCodes
    actor: list[Identifier] = Field(min_length=1, max_length=10)
    class_: list[Coding] = Field(alias="class", min_length=1, max_length=20)


class ConsultRequest(Plain):
    """A CDS Hooks call of patient-consent-consult."""

    model_config = ConfigDict(extra="allow")

    hook: str = Field(max_length=200)
    hookInstance: str = Field(max_length=200)
    context: ConsultContext


class CardSource(BaseModel):
    """Who answers."""

    label: str = "kanta-consent"


class Card(BaseModel):
    """One CDS card: CONSENT_PERMIT or CONSENT_DENY."""

    summary: Literal["CONSENT_PERMIT", "CONSENT_DENY"]
    indicator: Literal["info", "critical"]
    source: CardSource = CardSource()
    extension: dict[str, Any]


class ConsultResponse(BaseModel):
    """The answer: one card."""

    cards: list[Card]


class ServiceDescription(BaseModel):
    """One CDS service."""

    id: str
    hook: str
    title: str
    description: str


class Discovery(BaseModel):
    """The CDS discovery document."""

    services: list[ServiceDescription]


@router.get("/cds-services", response_model=Discovery, summary="CDS discovery")
def discovery() -> Discovery:
    """Lists the one service, patient-consent-consult."""
    service = ServiceDescription(
        id=HOOK, hook=HOOK, title="Kanta disclosure decision", description=DESCRIPTION
    )
    return Discovery(services=[service])


def bad(field: str, value: Any, detail: str) -> ProblemError:
    """Returns the 400 problem of a body the service cannot read."""
    return ProblemError(400, "Malformed request", detail, field=field, value=value)


def _codes(value: str | list[Coding] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [c.code for c in value]


def _purpose(value: str | list[str]) -> Purpose:
    codes = [value] if isinstance(value, str) else value
    if len(codes) != 1 or codes[0] not in PURPOSES:
        raise bad("context.purposeOfUse", value, "give one of TREAT, ETREAT or GOV")
    return PURPOSES[codes[0]]


def _one(identifiers: list[Identifier], system: str, field: str) -> str:
    values = [i.value for i in identifiers if i.system == system]
    if len(values) != 1:
        raise bad(field, [i.system for i in identifiers], f"give one {system}")
    return values[0]


def _register_ids(
    identifiers: list[Identifier], oids: dict[str, str], field: str
) -> list[Identifier]:
    # A register named by its OID becomes the same register named by its id.
    read: list[Identifier] = []
    for identifier in identifiers:
        if identifier.system == URI_SYSTEM and identifier.value.startswith("urn:oid:"):
            register = oids.get(identifier.value.removeprefix("urn:oid:"))
            if register is None:
                raise bad(field, identifier.value, "no register has that OID")
            identifier = Identifier(system=REGISTER_SYSTEM, value=register)
        read.append(identifier)
    return read


def _register_codings(
    codings: list[Coding], oids: dict[str, str], field: str
) -> list[Coding]:
    as_ids = [Identifier(system=c.system or "", value=c.code) for c in codings]
    read = _register_ids(as_ids, oids, field)
    return [Coding(system=i.system or None, code=i.value) for i in read]


def _data(codings: list[Coding]) -> dict[str, Any]:
    by_system: dict[str, str] = {}
    for coding in codings:
        if coding.system not in (
            SECTOR_SYSTEM,
            REGISTER_SYSTEM,
            EVENT_SYSTEM,
            KANTA_SYSTEM,
        ):
            raise bad("context.class", coding.system, "unknown class system")
        if by_system.setdefault(coding.system, coding.code) != coding.code:
            # Two sectors (or registers) would let one silently win.
            codes = [c.code for c in codings if c.system == coding.system]
            raise bad("context.class", codes, f"give one {coding.system}")
    sector = by_system.get(SECTOR_SYSTEM)
    if sector not in {s.value for s in Sector}:
        raise bad("context.class", sector, f"give the sector as {SECTOR_SYSTEM}")
    kanta = by_system.get(KANTA_SYSTEM, "true")
    if kanta not in ("true", "false"):
        raise bad("context.class", kanta, f"{KANTA_SYSTEM} is true or false")
    return {
        "sector": sector,
        "register": by_system.get(REGISTER_SYSTEM),
        "event": by_system.get(EVENT_SYSTEM),
        "kanta": kanta == "true",
    }


def read_query(
    body: ConsultRequest, oids: dict[str, str] | None = None
) -> DecisionQuery:
    """Reads the hook's context as a decision query, or answers 400.

    `oids` maps the OIDs of registers to their ids, for callers that name a
    register by its OID.
    """
    oids = oids or {}
    if body.hook != HOOK:
        raise bad("hook", body.hook, f"this service answers {HOOK} only")
    context = body.context
    scopes = _codes(context.scope) + _codes(context.category)
    if scopes != [SCOPE] and set(scopes) != {SCOPE}:
        raise bad("context.scope", scopes, f"the scope must be {SCOPE}")
    return _query(
        {
            "person": _one(context.patientId, PERSON_SYSTEM, "context.patientId"),
            "data": _data(_register_codings(context.class_, oids, "context.class")),
            "recipient": _one(
                _register_ids(context.actor, oids, "context.actor"),
                REGISTER_SYSTEM,
                "context.actor",
            ),
            "purpose": _purpose(context.purposeOfUse),
        }
    )


def _query(fields: dict[str, Any]) -> DecisionQuery:
    # The hook's identifiers hold up to 500 characters, a query's ids fewer
    # and a person's code no more than 64: what the query cannot hold is a
    # malformed call, named by the hook's field, not an error of the server.
    try:
        return DecisionQuery.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        field = _CONTEXT_FIELDS.get(where, "context")
        raise bad(field, first.get("input"), str(first["msg"])) from None


_CONTEXT_FIELDS = {
    "person": "context.patientId",
    "recipient": "context.actor",
    "data.register": "context.class",
    "data.sector": "context.class",
    "data.event": "context.class",
}


def as_malformed(error: ProblemError) -> ProblemError:
    """Restates a decision's problem in the hook's terms; a 422 becomes a 400.

    The field is named as the caller sent it: `context.actor`, not `recipient`.
    """
    problem = error.problem
    field = _CONTEXT_FIELDS.get(problem.field or "", problem.field or "context")
    if problem.status == 422:
        return bad(field, problem.value, problem.detail)
    error.problem = problem.model_copy(update={"field": field})
    return error


def card(answer: DecisionOut) -> Card:
    """Shapes the decision as LEAP's card; a deny names nothing (DIS-12)."""
    if answer.decision == "deny":
        extension: dict[str, Any] = {"decision": "CONSENT_DENY", "obligations": []}
        return Card(summary="CONSENT_DENY", indicator="critical", extension=extension)
    based_on = [f"Consent/{c}" for c in answer.based_on or ()]
    extension = {
        "decision": "CONSENT_PERMIT",
        "obligations": [],
        "basedOn": based_on[0] if based_on else f"urn:kanta-consent:rule:{answer.rule}",
    }
    return Card(summary="CONSENT_PERMIT", indicator="info", extension=extension)


@router.post(
    "/cds-services/patient-consent-consult",
    response_model=ConsultResponse,
    responses=responses(400, 401, 403),
    summary="Consent consult (CDS Hooks)",
)
async def consult(
    request: Request, body: ConsultRequest, client: Client, service: Service
) -> ConsultResponse:
    """Answers CONSENT_PERMIT or CONSENT_DENY, as POST /api/v1/decisions would."""
    registers = service.store.directory().registers.values()
    query = read_query(body, {r.oid: r.id for r in registers if r.oid})
    try:
        answers = await decide(
            request, service, client, [query], None, hook=body.hookInstance
        )
    except ProblemError as error:
        raise as_malformed(error) from None
    return ConsultResponse(cards=[card(answers[0])])
