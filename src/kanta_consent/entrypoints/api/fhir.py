"""FHIR R4B for operators: a person's choices as a Bundle, and importing one.

`POST /fhir/Consent/_search` takes the person in the body (never in the
URL) and answers a searchset Bundle of Consent resources; `POST
/fhir/Consent` imports one Consent as the choice it means, recorded in
care by the operator's register at unit `fhir-import`, taking effect at
the Consent's dateTime. A Consent whose choice is recorded already, at
its moment, is not recorded again: a retried or replayed import is
answered 200 with the Consent as first recorded.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from fhir.resources.R4B.consent import Consent
from pydantic import ValidationError

from kanta_consent.domain.calendar import Setting
from kanta_consent.domain.choices import Choice, ChoiceHistory
from kanta_consent.domain.codes import RefusalCode
from kanta_consent.domain.errors import Refused
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.entrypoints.api.auth import ClientFirstRoute, Operator
from kanta_consent.entrypoints.api.decisions import Service
from kanta_consent.entrypoints.api.fhir_consent import (
    EARLIER_LAW,
    to_bundle,
    to_consent,
)
from kanta_consent.entrypoints.api.fhir_import import (
    ImportedChoice,
    ImportRefused,
    find_recorded,
    from_consent,
)
from kanta_consent.entrypoints.api.models import IDENTITY_CODE
from kanta_consent.entrypoints.api.models import Body as Strict
from kanta_consent.entrypoints.api.problems import (
    ProblemError,
    refused,
    responses,
    unprocessable,
)
from kanta_consent.services.consent import CareActor, ConsentService
from kanta_consent.services.errors import UnknownPerson
from kanta_consent.services.ports import ApiClient, Clock

router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=ClientFirstRoute)

FHIR_JSON = "application/fhir+json"
IMPORT_UNIT = "fhir-import"
# A Consent is looked for and recorded by one import at a time, so that one
# sent twice at once (a retry racing its original) is recorded once: both
# found it missing, and both recorded it. The lock is this process's;
# `kanta-consent serve` runs one.
_ONE_IMPORT_AT_A_TIME = threading.Lock()


ConsentBody = Annotated[
    dict[str, Any],
    Body(
        description="A FHIR R4 Consent resource; see docs/api.md for the shape.",
        media_type="application/json",
    ),
]


class ConsentSearch(Strict):
    """Whose choices to return."""

    person: str = IDENTITY_CODE


def _fhir(content: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status, media_type=FHIR_JSON)


_BUNDLE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A searchset Bundle of Consent resources (FHIR R4B).",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}},
    }
}
_CONSENT_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The same Consent was imported before: nothing changed; "
        "the Consent as kanta-consent holds it.",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}},
    },
    201: {
        "description": "The imported Consent, as kanta-consent now holds it.",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}},
    },
}


@router.post(
    "/Consent/_search",
    response_class=JSONResponse,
    responses={**_BUNDLE_DOC, **responses(401, 403, 404, 422)},
    summary="A person's choices as Consent resources",
)
def search(
    request: Request, body: ConsentSearch, client: Operator, service: Service
) -> JSONResponse:
    """Returns every choice of the person, in force or not, oldest first."""
    code = parse_identity_code(body.person).value
    history = service.history(code)
    clock: Clock = request.app.state.clock
    state = history.as_of(clock.now())
    return _fhir(to_bundle(list(history), state))


def _parse(resource: dict[str, Any]) -> Consent:
    if resource.get("resourceType") != "Consent":
        raise unprocessable(
            "resourceType", resource.get("resourceType"), "give a Consent resource"
        )
    try:
        return Consent.model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "resource"
        value = first.get("input")
        shown = value if isinstance(value, (str, int, float, bool)) else None
        raise unprocessable(field, shown, str(first.get("msg", ""))) from None


PATIENT = "patient.identifier.value"


def _history(service: ConsentService, meant: ImportedChoice) -> ChoiceHistory:
    try:
        return service.history(meant.person)
    except UnknownPerson as error:
        raise ProblemError(
            404, "Not known", str(error), field=PATIENT, value=meant.person
        ) from None


def _check_version(service: ConsentService, meant: ImportedChoice) -> None:
    # INF-3: an acknowledgement is of the notice current when it is made;
    # another version named would be recorded as that one, unsaid.
    calendar = service.store.calendar()
    current = calendar.current_notice(meant.at)
    if not calendar.is_in_force(Setting.REFORM, meant.at) or current is None:
        expected = EARLIER_LAW
    else:
        expected = current.version
    if meant.version != expected:
        raise unprocessable(
            "policyRule",
            meant.version,
            f"the notice current at {meant.at.isoformat()} is {expected}; "
            "an acknowledgement is of the notice current when it is made",
        )


# Refusals about what was chosen; the others are about the person.
_ABOUT_THE_CHOICE = {
    RefusalCode.NOT_AVAILABLE_YET,
    RefusalCode.NOT_IN_FORCE,
    RefusalCode.TARGET_NOT_ALLOWED,
}


def _record(
    service: ConsentService, client: ApiClient, meant: ImportedChoice
) -> Choice:
    try:
        return _recorded(service, client, meant)
    except Refused as error:
        if error.code in _ABOUT_THE_CHOICE:
            raise refused(error, meant.field, meant.value) from None
        raise refused(error, PATIENT, meant.person) from None


def _recorded(
    service: ConsentService, client: ApiClient, meant: ImportedChoice
) -> Choice:
    actor = CareActor(client.register, IMPORT_UNIT)
    if meant.kind == "acknowledgement":
        _check_version(service, meant)
        choice = service.acknowledge(actor, meant.person, meant.at)
        if choice is None:
            raise ProblemError(
                409,
                "Already recorded",
                "that notice version is already acknowledged for the person",
                field=meant.field,
                value=meant.value,
                code="already-acknowledged",
            )
        return choice
    if meant.kind == "permission":
        assert meant.scope is not None
        return service.grant(actor, meant.person, meant.scope, meant.at)
    assert meant.target is not None
    return service.prohibit(
        actor, meant.person, meant.target, meant.at, meant.emergency_allowed
    )


@router.post(
    "/Consent",
    response_class=JSONResponse,
    status_code=201,
    responses={**_CONSENT_DOC, **responses(401, 403, 404, 409, 422)},
    summary="Import one Consent as a choice",
)
def import_consent(
    request: Request,
    client: Operator,
    service: Service,
    resource: ConsentBody,
) -> JSONResponse:
    """Imports the Consent as the choice it means, or refuses naming the field.

    The same Consent imported again changes nothing and is answered 200.
    """
    consent = _parse(resource)
    clock: Clock = request.app.state.clock
    try:
        meant = from_consent(consent, clock.now())
    except ImportRefused as refusal:
        raise unprocessable(refusal.field, refusal.value, refusal.detail) from None

    with _ONE_IMPORT_AT_A_TIME:
        recorded = find_recorded(_history(service, meant), meant)
        if recorded is not None:
            return _as_held(service, recorded, clock.now(), 200)
        choice = _record(service, client, meant)

    return _as_held(service, choice, clock.now(), 201)


def _as_held(
    service: ConsentService, choice: Choice, now: datetime, status: int
) -> JSONResponse:
    state = service.state_of(choice.person, now)
    stored = to_consent(choice, state)
    assert stored is not None
    return _fhir(stored.model_dump(mode="json"), status)
