"""Who may act for whom: guardians and mandate holders (REP-1, REP-2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kanta_consent.domain.codes import ActorRole
from kanta_consent.domain.model import Guardianship, Mandate, Person


def is_guardian_in_force(
    guardianship: Guardianship, guardian: Person, child: Person, moment: datetime
) -> bool:
    """Tells whether a guardianship lets the guardian act for the child (REP-1).

    It runs while the child is a minor, and is blocked by a safety ban of
    either of them or by the child being taken into care.
    """
    return (
        guardianship.guardian == guardian.id
        and guardianship.child == child.id
        and guardianship.is_in_force(moment)
        and not child.is_adult_at(moment)
        and not guardianship.blocked
        and not child.safety_ban
        and not guardian.safety_ban
    )


def is_mandate_in_force(
    mandate: Mandate, holder: Person, principal: Person, moment: datetime
) -> bool:
    """Tells whether a mandate lets the holder act for the principal (REP-2).

    Both must be adults: a minor can neither hold nor give a mandate.
    """
    return (
        mandate.holder == holder.id
        and mandate.principal == principal.id
        and mandate.is_in_force(moment)
        and holder.is_adult_at(moment)
        and principal.is_adult_at(moment)
    )


def role_for(
    actor: Person,
    principal: Person,
    guardianships: Iterable[Guardianship],
    mandates: Iterable[Mandate],
    moment: datetime,
) -> ActorRole | None:
    """Returns the role in which `actor` may act for `principal`, or None."""
    if actor.id == principal.id:
        return ActorRole.SELF
    if any(is_guardian_in_force(g, actor, principal, moment) for g in guardianships):
        return ActorRole.GUARDIAN
    if any(is_mandate_in_force(m, actor, principal, moment) for m in mandates):
        return ActorRole.MANDATE_HOLDER
    return None
