"""The request and response bodies of the decision and choice API."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from kanta_consent.domain import sizes
from kanta_consent.domain.codes import Purpose, Scope, Sector, TargetKind

IDENTITY_CODE = Field(
    description="The person's identity code (HETU); only ever in a body.",
    examples=["010190-999W"],
    min_length=1,
    max_length=64,
)
# The store's ids (registers, organisations, service events, units) and a
# choice's id hold no more than their columns (domain/sizes.py): a longer one
# could never match, and PostgreSQL, unlike SQLite, refuses to store it.
REGISTER = Field(min_length=1, max_length=sizes.ID, description="A register id.")


# No id, code or unit holds a NUL or another control character; PostgreSQL
# cannot even look one up (its text has no NUL), so it is refused here,
# naming the field, before it reaches the store.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date_text(value: Any) -> Any:
    # pydantic would also take a number (seconds since 1970) or a moment at
    # midnight for a date; a body that means a day writes it as YYYY-MM-DD.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


def _moment_text(value: Any) -> Any:
    # Nor a moment as a number: which clock's seconds would it count?
    if isinstance(value, (str, datetime)):
        return value
    raise ValueError("a moment is written in ISO 8601 with its offset")


DateText = Annotated[date, BeforeValidator(_date_text)]
"""A day, only as YYYY-MM-DD."""

MomentText = Annotated[AwareDatetime, BeforeValidator(_moment_text)]
"""A moment with its offset, only as ISO 8601 text."""


class Plain(BaseModel):
    """A part of a request whose strings hold no control characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError("holds a control character, such as NUL")
        return value


class Body(Plain):
    """A request body: unknown fields are refused, so typos do not pass."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DataIn(Body):
    """The data asked for (DOMAIN.md section 8)."""

    sector: Sector
    # `register` would shadow ABCMeta.register, hence the alias.
    register_: str | None = Field(
        default=None, alias="register", min_length=1, max_length=sizes.ID
    )
    event: str | None = Field(
        default=None,
        min_length=1,
        max_length=sizes.ID,
        description="The service event, or a social register's document.",
    )
    # Strict: "no", 0 or "off" would each be taken for false, and decide.
    kanta: StrictBool = Field(default=True, description="Stored in Kanta.")
    recorded: DateText | None = Field(
        default=None, description="When it was recorded (YYYY-MM-DD)."
    )


class DecisionQuery(Body):
    """May this data of this person be disclosed to this register for this?"""

    person: str = IDENTITY_CODE
    data: DataIn
    recipient: str = REGISTER
    purpose: Purpose


class DecisionRequest(DecisionQuery):
    """One query; `as_of` is for operator clients only (DIS-11, DIS-12)."""

    as_of: MomentText | None = Field(
        default=None,
        description="Operator clients only: decide as of this past moment, unlogged.",
    )


class BatchRequest(Body):
    """Up to 1,000 queries, answered in order."""

    queries: list[DecisionQuery] = Field(min_length=1, max_length=1000)
    as_of: MomentText | None = Field(
        default=None, description="Operator clients only, as for one decision."
    )


class DecisionOut(BaseModel):
    """The answer. A deny to a care system says only that data is not available."""

    decision: Literal["permit", "deny"]
    reason: str | None = Field(default=None, description="A DIS reason code.")
    rule: str | None = Field(default=None, description="The DIS rule that decided.")
    based_on: list[str] | None = Field(
        default=None, description="Ids of the choices the answer rests on."
    )
    detail: str | None = None
    as_of: datetime


class BatchOut(BaseModel):
    """The answers, in the order of the queries."""

    decisions: list[DecisionOut]


class ChoiceIn(Body):
    """A choice recorded in care by a professional (INF-3, MIN-6)."""

    person: str = IDENTITY_CODE
    unit: str = Field(
        min_length=1,
        max_length=sizes.ID,
        description="The professional's service unit, as the client names it.",
    )
    register_: str | None = Field(
        default=None,
        alias="register",
        min_length=1,
        max_length=sizes.ID,
        description="The client's own register; other registers are refused.",
    )


class AcknowledgementIn(ChoiceIn):
    """The person was given the current notice in care."""

    type: Literal["acknowledgement"]


class PermissionIn(ChoiceIn):
    """A disclosure permission given in care."""

    type: Literal["permission"]
    scope: Scope


class PermissionWithdrawalIn(ChoiceIn):
    """The withdrawal of the permission of a scope."""

    type: Literal["permission-withdrawal"]
    scope: Scope


_WHOLE_SECTOR = (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL)


class TargetIn(Body):
    """What a prohibition targets; `ref` is left out for all-health/all-social."""

    kind: TargetKind
    ref: str | None = Field(
        default=None, min_length=1, max_length=sizes.ID, validate_default=True
    )

    @field_validator("ref", mode="after")
    @classmethod
    def _named_unless_a_whole_sector(
        cls, ref: str | None, info: ValidationInfo
    ) -> str | None:
        # PRO-1: every other kind names what it targets; without the ref the
        # body is incomplete, which is no refusal of the rules (409).
        kind = info.data.get("kind")
        if ref is None and kind is not None and kind not in _WHOLE_SECTOR:
            raise PydanticCustomError(
                "missing",
                "a {kind} target names what it targets in ref",
                {"kind": kind.value},
            )
        return ref


class ProhibitionIn(ChoiceIn):
    """A prohibition of disclosure given in care."""

    type: Literal["prohibition"]
    target: TargetIn
    emergency_allowed: StrictBool = Field(default=False, description="PRO-6.")


class ProhibitionWithdrawalIn(ChoiceIn):
    """The withdrawal of a prohibition by its id."""

    type: Literal["prohibition-withdrawal"]
    prohibition: str = Field(min_length=1, max_length=sizes.CHOICE_ID)


ChoiceRequest = (
    AcknowledgementIn
    | PermissionIn
    | PermissionWithdrawalIn
    | ProhibitionIn
    | ProhibitionWithdrawalIn
)


class ChoiceOut(BaseModel):
    """What was recorded; `recorded` false when nothing changed (INF-3)."""

    recorded: bool
    id: str | None = None
    type: str
    at: datetime
