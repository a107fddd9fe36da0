"""POST /api/v1/decisions and /batch: the disclosure decision for care systems.

A care system asks as its own register, about now by the service's clock,
and every answer it gets is logged (DIS-12, LOG-1). An operator may ask
as of another moment to explain an answer; operators are not recipients,
so their answers are not disclosures and are not logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, ValidationError

from kanta_consent.domain.codes import Purpose, Sector
from kanta_consent.domain.decide import Data, Decision
from kanta_consent.domain.errors import InvalidIdentityCode
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import Directory, ServiceEvent
from kanta_consent.entrypoints.api.auth import Client, ClientFirstRoute, check_register
from kanta_consent.entrypoints.api.groups import LogGroups, ReadGroups
from kanta_consent.entrypoints.api.models import (
    BatchOut,
    BatchRequest,
    DataIn,
    DecisionOut,
    DecisionQuery,
    DecisionRequest,
)
from kanta_consent.entrypoints.api.problems import (
    Handler,
    ProblemError,
    responses,
    unprocessable,
)
from kanta_consent.services.consent import ConsentService
from kanta_consent.services.ports import ApiClient, Clock


class DecisionRoute(ClientFirstRoute):
    """A decision route that takes a plain JSON body straight to its endpoint.

    FastAPI's generic handling of a request (parsing the body with
    json.loads, validating the Python objects, solving the dependencies one
    by one) cost a logged single decision more server time than reading
    the person's choices, judging them and logging the answer together.
    A body sent as application/json that pydantic validates from its bytes
    now goes to the endpoint with the client that ClientFirstRoute
    authenticated and the app's service; any other body (another type, not
    UTF-8, invalid) takes FastAPI's way, which names what is wrong exactly
    as it always has. Each endpoint takes (request, body, client, service).
    """

    def quick_handler(self, full: Handler) -> Handler:
        assert self.body_field is not None
        model = self.body_field.field_info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        endpoint = self.endpoint

        async def quick(request: Request) -> Response:
            client = getattr(request.state, "client", None)
            media = request.headers.get("content-type", "")
            plain = media.partition(";")[0].strip().lower() == "application/json"
            if not plain or not isinstance(client, ApiClient):
                return await full(request)
            try:
                raw = await request.body()
            except HTTPException:
                raise
            except Exception as error:
                # As FastAPI's own handler answers a body it could not read.
                raise HTTPException(
                    400, "There was an error parsing the body"
                ) from error
            try:
                body = model.model_validate_json(raw)
            except ValidationError:
                return await full(request)
            response: Response = await endpoint(
                request, body, client, request.app.state.consent
            )
            return response

        return quick


router = APIRouter(prefix="/api/v1", tags=["decisions"], route_class=DecisionRoute)

NOT_AVAILABLE = "the data is not available"

Question = tuple[str, Data, str, Purpose]


async def consent_service(request: Request) -> ConsentService:
    """Returns the app's consent service (a coroutine: no worker thread for it)."""
    service: ConsentService = request.app.state.consent
    return service


Service = Annotated[ConsentService, Depends(consent_service)]


def moment_for(request: Request, client: ApiClient, as_of: datetime | None) -> datetime:
    """Returns the moment to decide at: now, or an operator's `as_of` (DIS-12)."""
    clock: Clock = request.app.state.clock
    if as_of is None:
        return clock.now()
    if not client.operator:
        raise ProblemError(
            403,
            "Only the present",
            "a care system asks about the present moment only (DIS-12)",
            field="as_of",
            value=as_of.isoformat(),
        )
    if as_of > clock.now():
        # DIS-11: no one can know the choices of a moment still to come.
        raise unprocessable(
            "as_of",
            as_of.isoformat(),
            "is in the future; an operator asks about a past moment",
        )
    return as_of


def checked_person(
    directory: Directory, client: ApiClient, query: DecisionQuery, at: str
) -> str:
    """Checks one query's person, registers and sector; returns the person.

    Everything but the service event is checked before anything is read.
    """
    check_register(client, at + "recipient", query.recipient)
    try:
        person = parse_identity_code(query.person).value
    except InvalidIdentityCode as error:
        raise unprocessable(at + "person", query.person, error.problem) from None
    for field, register in (
        ("recipient", query.recipient),
        ("data.register", query.data.register_),
    ):
        if register is not None and register not in directory.registers:
            raise unprocessable(at + field, register, "no such register")
    check_sector(directory, query.data.register_, query.data.sector, at)
    return person


def check_sector(
    directory: Directory, register_id: str | None, sector: Sector, at: str
) -> None:
    """Refuses a sector that the data's register cannot hold (section 8).

    The register's kind, not the caller's label, says what the data is: social
    welfare data labelled health or prescription would pass DIS-7 or DIS-4.
    """
    register = directory.registers.get(register_id) if register_id else None
    if register is None or register.kind.holds(sector):
        return
    kind = register.kind.value
    if sector is Sector.WELLBEING:
        why = f"register {register.id} is {kind}; wellbeing data has no register"
    else:
        why = f"register {register.id} is {kind}, which holds no {sector} data"
    raise unprocessable(at + "data.sector", sector.value, why)


def data_of(
    find_event: Callable[[str], ServiceEvent | None],
    directory: Directory,
    person: str,
    data: DataIn,
    at: str = "",
) -> Data:
    """Describes the data; a known event must be the person's, in its register.

    An event the store does not know is decided as described.
    """
    event = find_event(data.event) if data.event else None
    if event is None:
        return Data(data.sector, data.register_, data.event, data.kanta, data.recorded)
    if event.person != person:
        # Whose event it is stays unsaid: that would disclose it.
        raise unprocessable(
            at + "data.event", data.event, "no such service event of this person"
        )
    if data.register_ not in (None, event.register):
        raise unprocessable(
            at + "data.register",
            data.register_,
            "the service event is not in this register",
        )
    register = directory.registers.get(event.register)
    if register is None:
        return Data(data.sector, data.register_, data.event, data.kanta, data.recorded)
    check_sector(directory, register.id, data.sector, at)
    described = Data.of_event(event, register)
    if data.sector is Sector.PRESCRIPTION:
        # DIS-4: a prescription written in a service event stays a prescription.
        return replace(described, sector=Sector.PRESCRIPTION)
    return described


def answer(decision: Decision, client: ApiClient, moment: datetime) -> DecisionOut:
    """Shapes a decision for the client: a care system's deny says only no."""
    if decision.is_permit or client.operator:
        return DecisionOut(
            decision=decision.outcome.value,
            reason=decision.reason.value,
            rule=decision.rule,
            based_on=list(decision.based_on),
            as_of=moment,
        )
    # DIS-12: the reason, rule and choices of a deny stay in the log.
    return DecisionOut(decision="deny", detail=NOT_AVAILABLE, as_of=moment)


async def decide(
    request: Request,
    service: ConsentService,
    client: ApiClient,
    queries: list[DecisionQuery],
    as_of: datetime | None,
    *,
    batch: bool = False,
    hook: str | None = None,
) -> list[DecisionOut]:
    """Decides queries in order and answers once their log entries are committed.

    The decision runs on the event loop: the queries' events and people's
    choices are read in one go, awaited (a single query's read grouped with
    other requests'), and a care system's answers, which are disclosures,
    wait for their log records' commit (LOG-1, DIS-12), grouped with other
    requests' too, so that no request holds a worker thread.
    """
    moment = moment_for(request, client, as_of)
    directory = service.store.directory()
    places = [f"queries[{i}]." if batch else "" for i in range(len(queries))]
    people = [
        checked_person(directory, client, query, at)
        for query, at in zip(queries, places, strict=True)
    ]
    reads: ReadGroups = request.app.state.read_groups
    events, histories = await reads.read(
        set(people), {q.data.event for q in queries if q.data.event}
    )
    asked: list[Question] = [
        (
            person,
            data_of(events.get, directory, person, q.data, at),
            q.recipient,
            q.purpose,
        )
        for person, q, at in zip(people, queries, places, strict=True)
    ]
    decisions, records = service.judge(
        asked,
        moment,
        disclosure=not client.operator,
        context={"client": client.id, **({"hook_instance": hook} if hook else {})},
        histories=histories,
    )
    log_groups: LogGroups = request.app.state.log_groups
    await log_groups.append(records)
    return [answer(d, client, moment) for d in decisions]


@router.post(
    "/decisions",
    response_model=DecisionOut,
    response_model_exclude_none=True,
    responses=responses(401, 403, 422),
    summary="Decide one disclosure",
)
async def post_decision(
    request: Request, body: DecisionRequest, client: Client, service: Service
) -> Response:
    """Answers permit or deny for one query, as of now (DIS-1 to DIS-12)."""
    answers = await decide(request, service, client, [body], body.as_of)
    return json_response(answers[0])


@router.post(
    "/decisions/batch",
    response_model=BatchOut,
    response_model_exclude_none=True,
    responses=responses(401, 403, 422),
    summary="Decide up to 1,000 disclosures",
)
async def post_batch(
    request: Request, body: BatchRequest, client: Client, service: Service
) -> Response:
    """Answers up to 1,000 queries in order, logged together (LOG-1)."""
    answers = await decide(
        request, service, client, body.queries, body.as_of, batch=True
    )
    return json_response(BatchOut(decisions=answers))


def json_response(answer: BaseModel) -> Response:
    """Returns the answer as JSON, serialised once by pydantic.

    The routes still name their response model for the OpenAPI document;
    returning the model itself would have FastAPI validate it once more and
    encode it in Python, which cost a single decision more than its rules.
    """
    content = answer.model_dump_json(exclude_none=True)
    return Response(content, media_type="application/json")
