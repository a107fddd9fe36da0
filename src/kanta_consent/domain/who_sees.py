"""Who can see a person's data: each event's reach and that of all of it.

Every answer here is a decision of DIS-1 to DIS-11 asked through `reach_of`,
so the person is told exactly what a care system would be told; nothing is
decided twice in another way. The view discloses nothing and is not logged
as a disclosure (DIS-12). A past moment gives the view as it was then
(DIS-11), and comparing two states gives the preview of a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import Choice, ChoiceState
from kanta_consent.domain.codes import Reason, Sector, TargetKind
from kanta_consent.domain.decide import Data, Decision, covering_prohibitions
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
    """A register outside the data's own that may receive it, and why.

    `care_basis` tells why not for care, when the register may receive the
    data only in an emergency or for a statutory task.
    """

    register: Register
    access: Access
    basis: Basis
    care_basis: Basis | None = None

    @property
    def organisation(self) -> str:
        """Returns the organisation the register belongs to."""
        return self.register.organisation


@dataclass(frozen=True)
class WhoCanSee:
    """Who may receive some data: its own registers, and how far every other.

    `own` are the registers that hold the data (DIS-1: using it there is no
    disclosure); `everyone` has every other register asked, those that may
    receive nothing included, ordered by organisation.
    """

    own: tuple[Register, ...]
    everyone: tuple[Recipient, ...] = ()

    @cached_property
    def recipients(self) -> tuple[Recipient, ...]:
        """Returns the registers that may receive the data in some way."""
        return tuple(r for r in self.everyone if r.access is not Access.NONE)

    def with_access(self, access: Access) -> tuple[Recipient, ...]:
        """Returns the recipients with exactly that access."""
        return tuple(r for r in self.recipients if r.access is access)

    @cached_property
    def care(self) -> tuple[Recipient, ...]:
        """Returns the registers that may receive the data for care."""
        return self.with_access(Access.CARE)

    @cached_property
    def emergency_only(self) -> tuple[Recipient, ...]:
        """Returns the registers that may receive it only in an emergency."""
        return self.with_access(Access.EMERGENCY_ONLY)

    @cached_property
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
    care_basis: Basis | None = None

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
    _held: dict[str, Choice] = field(init=False)
    _registers: list[Register] = field(init=False)
    _known: dict[tuple[object, ...], Recipient] = field(init=False)
    _views: dict[tuple[object, ...], WhoCanSee] = field(init=False)
    _bases: dict[tuple[object, ...], Basis] = field(init=False)
    _states: dict[tuple[object, ...], ChoiceState] = field(init=False)

    def __post_init__(self) -> None:
        prohibitions = self.state.prohibitions
        self._targeted = frozenset(
            p.target.ref or ""
            for p in prohibitions.values()
            if p.target.kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT)
        )
        self._held = {
            **{p.id: p for p in self.state.permissions.values()},
            **prohibitions,
        }
        self._registers = sorted(
            self.directory.registers.values(), key=lambda r: (r.organisation, r.id)
        )
        self._known = {}
        self._views = {}
        self._bases = {}
        self._states = {}

    def who_can_see(self, data: Data) -> WhoCanSee:
        """Returns who may receive the data, with each deciding rule."""
        key = self._key(data)
        view = self._views.get(key)
        if view is None:
            asked = [
                r
                for r in self._registers
                if r.id != data.register and (key, r.id) not in self._known
            ]
            for reach in reach_of(
                data,
                self._state_for(key, data),
                self.directory,
                self.calendar,
                self.moment,
                asked,
            ):
                self._known[(key, reach.register.id)] = self._recipient(reach)
            view = WhoCanSee(
                self._own([data]),
                tuple(
                    self._known[(key, r.id)]
                    for r in self._registers
                    if r.id != data.register
                ),
            )
            self._views[key] = view
        return view

    def of_all(self, data: Iterable[Data]) -> WhoCanSee:
        """Returns who may receive any of the data: each register's widest access.

        A register is asked about one piece after another until it may
        receive one for care, since nothing is wider; a register that holds
        some of the data may still receive the rest.
        """
        distinct: dict[tuple[object, ...], Data] = {}
        for item in data:
            distinct.setdefault(self._key(item), item)
        everyone = []
        for register in self._registers:
            widest: Recipient | None = None
            for key, item in distinct.items():
                if item.register == register.id:
                    continue
                found = self._reach(item, key, register)
                if widest is None or _WIDTH[found.access] > _WIDTH[widest.access]:
                    widest = found
                if widest.access is Access.CARE:
                    break
            if widest is not None:
                everyone.append(widest)
        return WhoCanSee(self._own(distinct.values()), tuple(everyone))

    def _own(self, data: Iterable[Data]) -> tuple[Register, ...]:
        found = {
            register.id: register
            for item in data
            if (register := self.directory.registers.get(item.register or ""))
        }
        return tuple(sorted(found.values(), key=lambda r: (r.organisation, r.id)))

    def _reach(
        self, data: Data, key: tuple[object, ...], register: Register
    ) -> Recipient:
        found = self._known.get((key, register.id))
        if found is None:
            (reach,) = reach_of(
                data,
                self._state_for(key, data),
                self.directory,
                self.calendar,
                self.moment,
                (register,),
            )
            found = self._recipient(reach)
            self._known[(key, register.id)] = found
        return found

    def _state_for(self, key: tuple[object, ...], data: Data) -> ChoiceState:
        # The decision reads the prohibitions only through the ones covering
        # the data, which no recipient changes; keeping only those spares
        # every register's decision the others (DIS-6).
        state = self._states.get(key)
        if state is None:
            covering = covering_prohibitions(data, self.state, self.directory)
            state = replace(self.state, prohibitions={p.id: p for p in covering})
            self._states[key] = state
        return state

    def _recipient(self, reach: RegisterReach) -> Recipient:
        care = None if reach.care is None else self.basis(reach.care)
        return Recipient(reach.register, reach.access, self.basis(reach.decision), care)

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

    def basis(self, decision: Decision) -> Basis:
        """Resolves the choices a decision rests on, withholding hidden ones."""
        key = (decision.reason, decision.based_on)
        known = self._bases.get(key)
        if known is None:
            named = [self._held[i] for i in decision.based_on if i in self._held]
            shown = tuple(c for c in named if c.id not in self.hidden)
            known = Basis(
                decision.reason,
                decision.rule,
                shown,
                len(shown) < len(decision.based_on),
            )
            self._bases[key] = known
        return known


def compare(before: WhoCanSee, after: WhoCanSee) -> tuple[AccessChange, ...]:
    """Returns the registers whose access differs after a change, gains first."""
    changes = []
    for recipient in after.everyone:
        was = before.access_of(recipient.register.id)
        if was is not recipient.access:
            changes.append(
                AccessChange(
                    recipient.register,
                    was,
                    recipient.access,
                    recipient.basis,
                    recipient.care_basis,
                )
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
