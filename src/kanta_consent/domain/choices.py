"""Choices: immutable records of acknowledgements, permissions, prohibitions.

Nothing changes in place (LOG-3): a withdrawal is a record of its own. The
state of a person's choices at a moment is folded from the records that
took effect at or before it, which is what makes time travel (DIS-11) exact.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from kanta_consent.domain.codes import (
    ActorRole,
    Channel,
    Origin,
    Scope,
    Sector,
    TargetKind,
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a choice: a person in some role, or a professional at a unit."""

    role: ActorRole
    person: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """What a prohibition targets (PRO-1); `ref` is None for all-health/social."""

    kind: TargetKind
    ref: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """What every choice records: whose, who made it, where and when."""

    id: str
    person: str
    at: datetime
    actor: Actor
    channel: Channel = Channel.PORTAL
    origin: Origin = Origin.NATIVE


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledgement(Choice):
    """The person was given a version of the notice (INF-3).

    `version` None is an informing under the earlier law (INF-5), which
    counts as informed but opens no gate. `while_minor` is true when the
    person was a minor at `at` (MIN-5).
    """

    version: str | None
    while_minor: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PermissionGranted(Choice):
    """A disclosure permission, or before the reform a consent (PER-4).

    `by_minor_in_care` marks a minor's own choice recorded in care (MIN-6),
    which a guardian may not withdraw (REP-4).
    """

    scope: Scope
    by_minor_in_care: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PermissionWithdrawn(Choice):
    """The withdrawal of the permission `permission` (PER-3)."""

    scope: Scope
    permission: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ProhibitionGiven(Choice):
    """A prohibition of disclosure (PRO-1).

    `sectors` are the sectors it covers, fixed on the day it was given
    (an organisation prohibition before social prohibitions covers health
    only). `emergency_allowed` is the allowance of PRO-6.
    """

    target: Target
    sectors: frozenset[Sector]
    emergency_allowed: bool = False
    by_minor_in_care: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ProhibitionWithdrawn(Choice):
    """The withdrawal of the prohibition `prohibition` (PRO-3)."""

    prohibition: str


@dataclass(frozen=True, slots=True)
class ChoiceState:
    """A person's choices in force at one moment."""

    acknowledgements: tuple[Acknowledgement, ...] = ()
    permissions: dict[Scope, PermissionGranted] = field(default_factory=dict)
    prohibitions: dict[str, ProhibitionGiven] = field(default_factory=dict)
    informed: bool = False

    def has_acknowledged(self, version: str, *, as_adult: bool = False) -> bool:
        """Tells whether the version was acknowledged, as an adult if asked."""
        return any(
            a.version == version and not (as_adult and a.while_minor)
            for a in self.acknowledgements
        )

    def latest_acknowledgement(self) -> Acknowledgement | None:
        """Returns the newest acknowledgement or informing, if any (INF-6)."""
        return self.acknowledgements[-1] if self.acknowledgements else None


class ChoiceHistory:
    """A person's choices in the order they took effect, foldable to any moment."""

    __slots__ = ("_choices", "_moments")

    def __init__(self, choices: Iterable[Choice] = ()) -> None:
        self._choices: list[Choice] = sorted(choices, key=lambda c: c.at)
        self._moments: list[datetime] = [c.at for c in self._choices]

    def __len__(self) -> int:
        return len(self._choices)

    def __iter__(self) -> Iterator[Choice]:
        return iter(self._choices)

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Returns every choice, oldest first."""
        return tuple(self._choices)

    def add(self, choice: Choice) -> None:
        """Adds a choice in its place; ties keep the order of recording."""
        index = bisect_right(self._moments, choice.at)
        self._choices.insert(index, choice)
        self._moments.insert(index, choice.at)

    def find(self, choice_id: str) -> Choice | None:
        """Returns the choice with that id, or None."""
        return next((c for c in self._choices if c.id == choice_id), None)

    def as_of(self, moment: datetime) -> ChoiceState:
        """Folds the choices that took effect at or before `moment` (DIS-11)."""
        end = bisect_right(self._moments, moment)
        acknowledgements: list[Acknowledgement] = []
        permissions: dict[Scope, PermissionGranted] = {}
        prohibitions: dict[str, ProhibitionGiven] = {}
        informed = False
        for choice in self._choices[:end]:
            if isinstance(choice, Acknowledgement):
                acknowledgements.append(choice)
                informed = True
            elif isinstance(choice, PermissionGranted):
                # PER-3: a grant of a scope already held replaces the old one.
                permissions[choice.scope] = choice
                # INF-5: an imported earlier-law consent required informing.
                informed = informed or choice.origin is Origin.LEGACY
            elif isinstance(choice, PermissionWithdrawn):
                held = permissions.get(choice.scope)
                if held is not None and held.id == choice.permission:
                    del permissions[choice.scope]
            elif isinstance(choice, ProhibitionGiven):
                prohibitions[choice.id] = choice
            elif isinstance(choice, ProhibitionWithdrawn):
                prohibitions.pop(choice.prohibition, None)
        return ChoiceState(tuple(acknowledgements), permissions, prohibitions, informed)
