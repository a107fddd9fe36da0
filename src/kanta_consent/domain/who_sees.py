"""Who can see a person's data: each event's reach and that of all of it.

Every answer here is a decision of DIS-1 to DIS-11 asked through `reach_of`,
so the person is told exactly what a care system would be told; nothing is
decided twice in another way. The view discloses nothing and is not logged
as a disclosure (DIS-12). A past moment gives the view as it was then
(DIS-11), and comparing two states gives the preview of a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import Choice, ChoiceState
from kanta_consent.domain.codes import Reason, Sector, TargetKind
from kanta_consent.domain.decide import Data, Decision
from kanta_consent.domain.model import Directory, Register
from kanta_consent.domain.reach import Access, RegisterReach, reach_of

# How wide each access is, for the view of all the data and for previews.
_WIDTH = {
    Access.NONE: 0,
    Access.STATUTORY_ONLY: 1,
    Access.EMERGENCY_ONLY: 2,
    Access.CARE: 3,
}


@dataclass(frozen=True, slots=True)
class Basis:
    """The rule that decides a reach, with the choices it rests on.

    `choices` are the person's choices named by the decision, resolved so
    that a reader can be told when and by whom each was made. `withheld` is
    true when the decision rests on a choice the viewer may not be shown
    (REP-4: a minor's own choice in care is not shown to a guardian).
    """

    reason: Reason
    rule: str
    choices: tuple[Choice, ...] = ()
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class Recipient:
    """A register outside the data's own that may receive it, and why."""

    register: Register
    access: Access
    basis: Basis

    @property
    def organisation(self) -> str:
        """Returns the organisation the register belongs to."""
        return self.register.organisation


@dataclass(frozen=True, slots=True)
class WhoCanSee:
    """Who may receive some data: its own registers, and how far every other.

    `own` are the registers that hold the data (DIS-1: using it there is no
    disclosure); `everyone` has every other register asked, those that may
    receive nothing included, ordered by organisation.
    """

    own: tuple[Register, ...]
    everyone: tuple[Recipient, ...] = ()

    @property
    def recipients(self) -> tuple[Recipient, ...]:
        """Returns the registers that may receive the data in some way."""
        return tuple(r for r in self.everyone if r.access is not Access.NONE)

    def with_access(self, access: Access) -> tuple[Recipient, ...]:
        """Returns the recipients with exactly that access."""
        return tuple(r for r in self.recipients if r.access is access)

    @property
    def care(self) -> tuple[Recipient, ...]:
        """Returns the registers that may receive the data for care."""
        return self.with_access(Access.CARE)

    @property
    def emergency_only(self) -> tuple[Recipient, ...]:
        """Returns the registers that may receive it only in an emergency."""
        return self.with_access(Access.EMERGENCY_ONLY)

    @property
    def statutory_only(self) -> tuple[Recipient, ...]:
        """Returns the social welfare authorities that receive it by statute only."""
        return self.with_access(Access.STATUTORY_ONLY)

    def find(self, register: str) -> Recipient | None:
        """Returns one register's reach, or None for the data's own."""
        return next((r for r in self.everyone if r.register.id == register), None)

    def access_of(self, register: str) -> Access:
        """Returns how far one register may receive the data."""
        found = self.find(register)
        return Access.NONE if found is None else found.access


@dataclass(frozen=True, slots=True)
class AccessChange:
    """A register whose access a change would widen or narrow."""

    register: Register
    before: Access
    after: Access
    basis: Basis

    @property
    def is_gain(self) -> bool:
        """Tells whether the register would receive more than before."""
        return _WIDTH[self.after] > _WIDTH[self.before]


@dataclass
class Reacher:
    """Works out who can see data for one person's choices at one moment.

    Events that no rule tells apart share one answer: the decision reads of
    the data only its sector, register, Kanta flag, service task, recording
    organisation and, for a prohibition of that very event or document, its
    id (DOMAIN.md section 8: when the data was recorded changes no
    decision). The property tests of `tests/unit/test_who_sees.py` hold
    every answer to the decision asked one by one.
    """

    state: ChoiceState
    directory: Directory
    calendar: Calendar
    moment: datetime
    hidden: frozenset[str] = frozenset()
    _targeted: frozenset[str] = field(init=False)
    _known: dict[tuple[object, ...], WhoCanSee] = field(init=False)

    def __post_init__(self) -> None:
        self._targeted = frozenset(
            p.target.ref or ""
            for p in self.state.prohibitions.values()
            if p.target.kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT)
        )
        self._known = {}

    def who_can_see(self, data: Data) -> WhoCanSee:
        """Returns who may receive the data, with each deciding rule."""
        key = self._key(data)
        known = self._known.get(key)
        if known is None:
            reach = reach_of(
                data, self.state, self.directory, self.calendar, self.moment
            )
            own = self.directory.registers.get(data.register or "")
            known = WhoCanSee(
                (own,) if own is not None else (),
                tuple(self._recipient(r) for r in _ordered(reach)),
            )
            self._known[key] = known
        return known

    def _key(self, data: Data) -> tuple[object, ...]:
        event = data.event if data.event in self._targeted else None
        return (
            data.sector,
            data.register,
            data.kanta,
            data.task,
            data.recorded_by,
            event,
        )

    def _recipient(self, reach: RegisterReach) -> Recipient:
        return Recipient(reach.register, reach.access, self.basis(reach.decision))

    def basis(self, decision: Decision) -> Basis:
        """Resolves the choices a decision rests on, withholding hidden ones."""
        held: dict[str, Choice] = {
            **{p.id: p for p in self.state.permissions.values()},
            **self.state.prohibitions,
        }
        named = [held[i] for i in decision.based_on if i in held]
        shown = tuple(c for c in named if c.id not in self.hidden)
        return Basis(
            decision.reason, decision.rule, shown, len(shown) < len(decision.based_on)
        )


def _ordered(reach: Iterable[RegisterReach]) -> list[RegisterReach]:
    return sorted(reach, key=lambda r: (r.register.organisation, r.register.id))


def of_all(views: Sequence[WhoCanSee]) -> WhoCanSee:
    """Returns who may receive any of the data: each register's widest access.

    A register that holds some of the data may still receive the rest; it is
    listed as a recipient of what it does not hold.
    """
    own: dict[str, Register] = {}
    widest: dict[str, Recipient] = {}
    for view in views:
        own.update((r.id, r) for r in view.own)
        for recipient in view.everyone:
            held = widest.get(recipient.register.id)
            if held is None or _WIDTH[recipient.access] > _WIDTH[held.access]:
                widest[recipient.register.id] = recipient
    ordered = sorted(widest.values(), key=lambda r: (r.organisation, r.register.id))
    owners = sorted(own.values(), key=lambda r: (r.organisation, r.id))
    return WhoCanSee(tuple(owners), tuple(ordered))


def compare(before: WhoCanSee, after: WhoCanSee) -> tuple[AccessChange, ...]:
    """Returns the registers whose access differs after a change, gains first."""
    changes = []
    for recipient in after.everyone:
        was = before.access_of(recipient.register.id)
        if was is not recipient.access:
            changes.append(
                AccessChange(recipient.register, was, recipient.access, recipient.basis)
            )
    return tuple(
        sorted(
            changes,
            key=lambda c: (not c.is_gain, c.register.organisation, c.register.id),
        )
    )


def kinds_of_data() -> tuple[Data, ...]:
    """Returns the person's data that belongs to no register's event.

    Prescriptions (DIS-4) and the person's own wellbeing data (DIS-7) are
    shown in the view of all the data, so that neither is hidden.
    """
    return (Data(Sector.PRESCRIPTION), Data(Sector.WELLBEING))
