"""Who can see a piece of data now: every register asked, by the one decision.

The view is the decision of DIS-1 to DIS-11 asked for every register of the
directory and every purpose, so it can never disagree with what a care
system is told. It discloses nothing and is not logged as a disclosure
(DIS-12).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import ChoiceState
from kanta_consent.domain.codes import Purpose, RegisterKind
from kanta_consent.domain.decide import Data, Decision, Query, decide
from kanta_consent.domain.model import Directory, Register


class Access(StrEnum):
    """How far a register may receive the data."""

    CARE = "care"
    EMERGENCY_ONLY = "emergency-only"
    STATUTORY_ONLY = "statutory-only"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class RegisterReach:
    """What one register may receive, with the decision that says so.

    `care` is the decision for care when it did not permit and another
    purpose did, so that a reader is told both why not and why then.
    """

    register: Register
    access: Access
    decision: Decision
    care: Decision | None = None

    @property
    def organisation(self) -> str:
        """Returns the organisation the register belongs to."""
        return self.register.organisation


def reach_of(
    data: Data,
    state: ChoiceState,
    directory: Directory,
    calendar: Calendar,
    moment: datetime,
    registers: Iterable[Register] | None = None,
) -> list[RegisterReach]:
    """Returns, for every register but the data's own, how far it may receive it.

    The register that holds the data always may (PRO-7) and is left out.
    """
    result = []
    for register in directory.registers.values() if registers is None else registers:
        if register.id == data.register:
            continue
        result.append(_reach(data, register, state, directory, calendar, moment))
    return result


def _reach(
    data: Data,
    register: Register,
    state: ChoiceState,
    directory: Directory,
    calendar: Calendar,
    moment: datetime,
) -> RegisterReach:
    def ask(purpose: Purpose) -> Decision:
        return decide(
            Query(data, register.id, purpose, moment), state, directory, calendar
        )

    care = ask(Purpose.CARE)
    if care.is_permit:
        return RegisterReach(register, Access.CARE, care)
    emergency = ask(Purpose.EMERGENCY)
    if emergency.is_permit:
        return RegisterReach(register, Access.EMERGENCY_ONLY, emergency, care)
    if register.kind is RegisterKind.PUBLIC_SOCIAL:
        statutory = ask(Purpose.STATUTORY)
        if statutory.is_permit:
            return RegisterReach(register, Access.STATUTORY_ONLY, statutory, care)
    return RegisterReach(register, Access.NONE, care)
