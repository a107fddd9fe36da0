"""FHIR R4B for operators: a person's choices as a Bundle, and importing one.

`POST /fhir/Consent/_search` takes the person in the body (never in the
URL) and answers a searchset Bundle of Consent resources; `POST
/fhir/Consent` imports one Consent as the choice it means, recorded in
care by the operator's register at unit `fhir-import`, taking effect at
the Consent's dateTime.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from fhir.resources.R4B.consent import Consent
from pydantic import ValidationError

from kanta_consent.domain.choices import Choice
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.entrypoints.api.auth import ClientFirstRoute, Operator
from kanta_consent.entrypoints.api.decisions import Service
from kanta_consent.entrypoints.api.fhir_consent import (
    ImportedChoice,
    ImportRefused,
    from_consent,
    to_bundle,
    to_consent,
)
from kanta_consent.entrypoints.api.models import IDENTITY_CODE
from kanta_consent.entrypoints.api.models import Body as Strict
from kanta_consent.entrypoints.api.problems import (
    ProblemError,
    responses,
    unprocessable,
)
from kanta_consent.services.consent import CareActor, ConsentService
from kanta_consent.services.ports import ApiClient, Clock

router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=ClientFirstRoute)

FHIR_JSON = "application/fhir+json"
IMPORT_UNIT = "fhir-import"


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
    201: {
        "description": "The imported Consent, as kanta-consent now holds it.",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}},
    }
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


def _record(
    service: ConsentService, client: ApiClient, meant: ImportedChoice
) -> Choice:
    actor = CareActor(client.register, IMPORT_UNIT)
    if meant.kind == "acknowledgement":
        choice = service.acknowledge(actor, meant.person, meant.at)
        if choice is None:
            raise ProblemError(
                409,
                "Already recorded",
                "that notice version is already acknowledged for the person",
                field="policyRule",
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
    """Imports the Consent as the choice it means, or refuses naming the field."""
    consent = _parse(resource)
    clock: Clock = request.app.state.clock
    try:
        meant = from_consent(consent, clock.now())
    except ImportRefused as refusal:
        raise unprocessable(refusal.field, refusal.value, refusal.detail) from None

    choice = _record(service, client, meant)

    state = service.state_of(choice.person, clock.now())
    stored = to_consent(choice, state)
    assert stored is not None
    return _fhir(stored.model_dump(mode="json"), 201)
