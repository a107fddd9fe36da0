"""POST /api/v1/choices: acknowledgements, permissions and prohibitions in care.

A professional records the choice the person makes in care (INF-3, MIN-6);
the client records it as its own register, at the service unit it names.
A refusal answers 409 with the refusal code of DOMAIN.md section 11.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from pydantic import Field

from kanta_consent.domain.choices import Choice, Target
from kanta_consent.domain.codes import RefusalCode
from kanta_consent.domain.errors import Refused
from kanta_consent.entrypoints.api.auth import Client, ClientFirstRoute, check_register
from kanta_consent.entrypoints.api.decisions import Service
from kanta_consent.entrypoints.api.models import (
    AcknowledgementIn,
    ChoiceOut,
    ChoiceRequest,
    PermissionIn,
    PermissionWithdrawalIn,
    ProhibitionIn,
    ProhibitionWithdrawalIn,
)
from kanta_consent.entrypoints.api.problems import refused, responses
from kanta_consent.services.consent import CareActor, ConsentService
from kanta_consent.services.ports import Clock

router = APIRouter(prefix="/api/v1", tags=["choices"], route_class=ClientFirstRoute)

ChoiceBody = Annotated[ChoiceRequest, Body(), Field(discriminator="type")]


def record(
    service: ConsentService, actor: CareActor, body: ChoiceRequest, at: datetime
) -> Choice | None:
    """Calls the use case the body names; returns None when nothing changed."""
    person = body.person
    if isinstance(body, AcknowledgementIn):
        return service.acknowledge(actor, person, at)
    if isinstance(body, PermissionIn):
        return service.grant(actor, person, body.scope, at)
    if isinstance(body, PermissionWithdrawalIn):
        return service.withdraw_permission(actor, person, body.scope, at)
    if isinstance(body, ProhibitionIn):
        target = Target(body.target.kind, body.target.ref)
        return service.prohibit(actor, person, target, at, body.emergency_allowed)
    assert isinstance(body, ProhibitionWithdrawalIn)
    return service.withdraw_prohibition(actor, person, body.prohibition, at)


# Refusals about what was asked for; the others are about the person.
_ABOUT_THE_CHOICE = {
    RefusalCode.MANDATE_NOT_ALLOWED,
    RefusalCode.NOT_AVAILABLE_YET,
    RefusalCode.NOT_IN_FORCE,
    RefusalCode.TARGET_NOT_ALLOWED,
}


def at_fault(body: ChoiceRequest, error: Refused) -> tuple[str, Any]:
    """Names the field of the body a refusal is about, and its value."""
    if error.code not in _ABOUT_THE_CHOICE:
        return "person", body.person
    if isinstance(body, PermissionIn | PermissionWithdrawalIn):
        return "scope", body.scope.value
    if isinstance(body, ProhibitionIn):
        target = body.target
        if error.code is RefusalCode.TARGET_NOT_ALLOWED and target.ref is not None:
            return "target.ref", target.ref
        return "target.kind", target.kind.value
    if isinstance(body, ProhibitionWithdrawalIn):
        return "prohibition", body.prohibition
    return "type", body.type


@router.post(
    "/choices",
    response_model=ChoiceOut,
    response_model_exclude_none=True,
    status_code=201,
    responses={
        200: {"description": "Already acknowledged: nothing changed (INF-3)."},
        **responses(401, 403, 404, 409, 422),
    },
    summary="Record a choice made in care",
)
def post_choice(
    request: Request,
    response: Response,
    body: ChoiceBody,
    client: Client,
    service: Service,
) -> ChoiceOut:
    """Records an acknowledgement, permission, prohibition or withdrawal."""
    register = body.register_ or client.register
    check_register(client, "register", register)
    clock: Clock = request.app.state.clock
    moment = clock.now()

    try:
        choice = record(service, CareActor(register, body.unit), body, moment)
    except Refused as error:
        raise refused(error, *at_fault(body, error)) from None

    if choice is None:
        response.status_code = 200
        return ChoiceOut(recorded=False, type=body.type, at=moment)
    return ChoiceOut(recorded=True, id=choice.id, type=body.type, at=choice.at)
