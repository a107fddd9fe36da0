"""Errors of the rules engine.

DomainError
├── InvalidIdentityCode   a HETU that breaks ID-1, never stored
├── InvalidValue          any other value outside the rule book
└── Refused               an action the rules forbid, with its REF code
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kanta_consent.domain.codes import RefusalCode


class DomainError(Exception):
    """Base of every error the rules engine raises."""


class InvalidIdentityCode(DomainError, ValueError):
    """A text that is not a valid HETU; the message says what is wrong (ID-1)."""

    def __init__(self, value: str, problem: str) -> None:
        self.value = value
        self.problem = problem
        super().__init__(f"identity code {value!r} is malformed: {problem}")


class InvalidValue(DomainError, ValueError):
    """A value that the rule book does not know, named with its field."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{field} {value!r}: {problem}")


class Refused(DomainError):
    """An action the rules forbid; `code` is the first of DOMAIN.md section 11."""

    def __init__(self, code: RefusalCode, rule: str, detail: str = "") -> None:
        self.code = code
        self.rule = rule
        self.detail = detail
        super().__init__(f"refused: {code} ({rule}){': ' + detail if detail else ''}")
