"""Errors as application/problem+json (RFC 9457), each naming field and value.

ProblemError is what routes raise; the handlers below also turn the
domain's and the services' errors, and request validation, into problems.
An identity code may appear in a problem's `value`, to the caller who sent
it; it never reaches the log, which masks such codes (adapters/logging).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kanta_consent.domain.errors import InvalidIdentityCode, InvalidValue, Refused
from kanta_consent.services.errors import ServiceError, UnknownPerson

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    """One field that was wrong, and the value it held."""

    field: str
    value: Any = None
    message: str


class Problem(BaseModel):
    """An error: what went wrong, in which field, with which value."""

    type: str = Field(default="about:blank", description="A URI naming the kind.")
    title: str
    status: int
    detail: str = ""
    field: str | None = Field(default=None, description="The request field at fault.")
    value: Any = Field(default=None, description="The value it held.")
    code: str | None = Field(
        default=None, description="A refusal code of DOMAIN.md section 11."
    )
    rule: str | None = Field(default=None, description="The rule id that refuses.")
    errors: list[FieldProblem] | None = None


class ProblemError(Exception):
    """An error a route answers with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        field: str | None = None,
        value: Any = None,
        code: str | None = None,
        rule: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.problem = Problem(
            type=f"urn:kanta-consent:problem:{code or status}",
            title=title,
            status=status,
            detail=detail,
            field=field,
            value=value,
            code=code,
            rule=rule,
        )
        self.headers = headers


def problem_response(
    problem: Problem, headers: dict[str, str] | None = None
) -> JSONResponse:
    """Returns the problem as a JSON response of its status."""
    content = problem.model_dump(exclude_none=True)
    # A named field always comes with its value, null when it was missing.
    if problem.field is not None:
        content["value"] = problem.value
    for shown, error in zip(
        content.get("errors", ()), problem.errors or (), strict=True
    ):
        shown["value"] = error.value
    return JSONResponse(
        _jsonable(content),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def unprocessable(field: str, value: Any, detail: str) -> ProblemError:
    """Returns the 422 problem of a field whose value the rules do not accept."""
    return ProblemError(422, "Invalid value", detail, field=field, value=value)


def refused(
    error: Refused, field: str | None = None, value: Any = None
) -> ProblemError:
    """Returns the 409 problem of an action the rules refuse (DOMAIN.md 11)."""
    return ProblemError(
        409,
        "Refused",
        error.detail or str(error),
        field=field,
        value=value,
        code=error.code.value,
        rule=error.rule,
    )


def branch(name: str) -> str:
    """Names a union's branch, for a pydantic `Tag`, so that no field names it.

    Pydantic puts the branch an error arose in into its location
    (`context.scope.<list>[0].code`); the caller sent no such field, so a
    problem names the field without it (`context.scope[0].code`).
    """
    return f"<{name}>"


def _is_branch(part: Any) -> bool:
    return isinstance(part, str) and part.startswith("<") and part.endswith(">")


def _describe(location: tuple[Any, ...]) -> str:
    # ("body", "queries", 3, "person") -> "queries[3].person"
    text = ""
    for part in location[1:] if location[:1] == ("body",) else location:
        if _is_branch(part):
            continue
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "body"


def body_status(path: str) -> int:
    """Returns the status of a malformed body at the path: 400 or 422.

    CDS-HOOKS.md: a malformed hook body is a 400; the API's own bodies 422.
    """
    return 400 if path.startswith("/cds-services") else 422


async def _on_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    body = error.body if isinstance(error.body, dict) else {}
    errors = [_field_problem(e, body.get("type")) for e in error.errors()]
    first = errors[0] if errors else FieldProblem(field="body", message="invalid")
    status = body_status(request.url.path)
    problem = Problem(
        type=f"urn:kanta-consent:problem:{status}",
        title="Invalid request",
        status=status,
        detail=f"{first.field}: {first.message}",
        field=first.field,
        value=first.value,
        errors=errors,
    )
    return problem_response(problem)


def _field_problem(error: dict[str, Any], chosen: Any = None) -> FieldProblem:
    location = tuple(error.get("loc", ()))
    if chosen is not None and location[:2] == ("body", chosen):
        # A choice's type picks its model; the type is no field of the body.
        location = ("body", *location[2:])
    field, value = _describe(location), error.get("input")
    message = str(error.get("msg", ""))
    kind = error.get("type")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        # Name the discriminator itself, not the whole body that holds it.
        tag = str(error.get("ctx", {}).get("discriminator", "type")).strip("'")
        field = f"{field}.{tag}" if field != "body" else tag
        value = value.get(tag) if isinstance(value, dict) else value
    elif kind == "missing":
        # The input is the parent object, identity code and all: not echoed.
        value = None
    elif kind == "json_invalid":
        field, value = "body", None
        message = f"the body is not JSON ({error.get('ctx', {}).get('error')})"
    elif isinstance(value, bytes):
        # A body of another content type reaches the model as its raw bytes:
        # it is summarised, not echoed, identity codes and all.
        field, value = "body", f"{len(value)} bytes"
        message = "the body is read as JSON only: send it as application/json"
    elif kind == "too_long" and isinstance(value, list):
        value = len(value)
    return FieldProblem(field=field, value=_jsonable(value), message=message)


# An echoed value is cut short: a caller who sent megabytes gets a few
# hundred characters back, not the megabytes twice over.
_ECHOED_CHARS = 500


def _jsonable(value: Any, depth: int = 0) -> Any:
    # The echo must itself be JSON that can be sent: NaN and Infinity are
    # not JSON, and a lone surrogate (a "\ud800" escape) is not UTF-8.
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if value.bit_length() <= 64 else _text(str(value))
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (list, dict)) and depth < 8 and len(value) <= 50:
        if isinstance(value, list):
            return [_jsonable(v, depth + 1) for v in value]
        return {_text(str(k)): _jsonable(v, depth + 1) for k, v in value.items()}
    return _text(repr(value)[: _ECHOED_CHARS + 1])


def _text(value: str) -> str:
    cut = value if len(value) <= _ECHOED_CHARS else value[:_ECHOED_CHARS] + "…"
    return cut.encode("utf-8", "replace").decode("utf-8")


async def _on_problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    return problem_response(error.problem, error.headers)


async def _on_refused(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Refused)
    return problem_response(refused(error).problem)


async def _on_identity(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidIdentityCode)
    problem = unprocessable("person", error.value, str(error)).problem
    return problem_response(problem)


async def _on_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidValue)
    field = _FIELD_NAMES.get(error.field, error.field)
    value = _jsonable(error.value)
    return problem_response(unprocessable(field, value, error.problem).problem)


async def _on_service(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    status = 404 if isinstance(error, UnknownPerson) else 422
    field = _FIELD_NAMES.get(error.field, error.field)
    problem = ProblemError(
        status, "Not known", str(error), field=field, value=error.value
    ).problem
    return problem_response(problem)


async def _on_http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    headers = dict(error.headers or {})
    if error.status_code == 404:
        detail = "no endpoint has this path; /openapi.json lists them"
    elif error.status_code == 405:
        allowed = headers.get("allow") or headers.get("Allow") or "another method"
        detail = f"{request.method} is not answered here; this path takes {allowed}"
    else:
        detail = str(error.detail)
    problem = Problem(
        type=f"urn:kanta-consent:problem:{error.status_code}",
        title=str(error.detail),
        status=error.status_code,
        detail=detail,
        field="path",
        value=request.url.path,
    )
    return problem_response(problem, headers)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]
"""What a route answers a request with."""


class BodyRoute(APIRoute):
    """A route whose body, unreadable or too large, is a documented problem.

    FastAPI answers a body it cannot decode as JSON (not UTF-8, or nested
    deeper than Python's parser recurses) with a bare 400 that names no
    field; here it is the problem of a malformed body, naming `body` and a
    summary of it, never its bytes. A body over BodyLimit's size is refused
    with 413, which the OpenAPI document of every route with a body names.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any):
        super().__init__(path, endpoint, **kwargs)
        if self.body_field is not None:
            self.responses = {**self.responses, **responses(413)}

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler
        handler = self.quick_handler(handler)

        async def named_body(request: Request) -> Response:
            try:
                return await handler(request)
            except StarletteHTTPException as error:
                cause = error.__cause__
                if error.status_code != 400 or cause is None:
                    raise
                raise await _unreadable(request, cause) from None

        return named_body

    def quick_handler(self, full: Handler) -> Handler:
        """Returns the route's handler given FastAPI's own, `full`.

        A subclass may answer the common request a quicker way and leave the
        rest to `full`; its errors are then named as `full`'s are.
        """
        return full


async def _unreadable(request: Request, cause: BaseException) -> ProblemError:
    if isinstance(cause, UnicodeDecodeError):
        value: str | None = (
            f"{len(cause.object)} bytes, not UTF-8 from byte {cause.start}"
        )
        detail = "the body is not UTF-8: send JSON in UTF-8 (RFC 8259)"
    elif isinstance(cause, RecursionError):
        # The body was read whole before the parser gave up, so it is at hand.
        size = len(await request.body())
        value = f"{size} bytes, nested too deeply"
        detail = "the body's arrays or objects are nested too deeply to be read"
    else:
        value, detail = None, "the body cannot be read as JSON"
    status = body_status(request.url.path)
    return ProblemError(status, "Invalid request", detail, field="body", value=value)


# The domain names fields as the scenario files do; the API's names differ.
_FIELD_NAMES = {"to": "recipient", "for": "person", "as": "register"}


def install(app: FastAPI) -> None:
    """Answers every error of the app with a problem document."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(Refused, _on_refused)
    app.add_exception_handler(InvalidIdentityCode, _on_identity)
    app.add_exception_handler(InvalidValue, _on_invalid)
    app.add_exception_handler(ServiceError, _on_service)
    app.add_exception_handler(StarletteHTTPException, _on_http)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Documents the problem statuses a route answers, for the OpenAPI."""
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {
                PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for status in statuses
    }


_DESCRIPTIONS = {
    400: "Malformed request: the problem names the field.",
    401: "No credentials, or credentials that do not match a client.",
    403: "The client may not do this: another register, or not an operator.",
    404: "The person is not known.",
    409: "Refused by the rules; `code` is a refusal code of DOMAIN.md section 11.",
    413: "The body is over 1 MiB; refused before it is read.",
    422: "A field's value is not accepted; the problem names field and value.",
}
