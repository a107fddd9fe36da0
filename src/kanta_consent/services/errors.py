"""Errors of the use cases.

ServiceError
├── UnknownPerson     no person with that identity code in the store
├── UnknownRegister   no register with that id
├── UnknownEvent      no service event with that id
├── UnknownChoice     no choice with that id for that person
└── UnknownClient     no API client with that id
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the errors the services raise besides the domain's own."""

    field: str = ""
    value: str = ""


class _NotFound(ServiceError, LookupError):
    what = "thing"

    def __init__(self, field: str, value: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field} {value!r}: no such {self.what}")


class UnknownPerson(_NotFound):
    """No person with that identity code is known."""

    what = "person"


class UnknownRegister(_NotFound):
    """No register with that id is known."""

    what = "register"


class UnknownEvent(_NotFound):
    """No service event with that id is known."""

    what = "service event"


class UnknownChoice(_NotFound):
    """No choice with that id is known for the person."""

    what = "choice"


class UnknownClient(_NotFound):
    """No API client with that id is known."""

    what = "client"
