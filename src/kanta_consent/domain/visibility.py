"""Which service events a viewer is shown on a person's pages (INF-7, REP-7)."""

from __future__ import annotations

from datetime import datetime

from kanta_consent.domain.calendar import start_of
from kanta_consent.domain.codes import ActorRole, Capacity, Sector
from kanta_consent.domain.identity import HELSINKI, birthday_in
from kanta_consent.domain.model import Person, Register, ServiceEvent

# REP-7: from age 10, a guardian sees what the recording organisation marked
# with capacity code 1 (not able to decide) or 2 (able to decide and allows).
_GUARDIAN_MAY_SEE = frozenset({Capacity.NOT_ABLE, Capacity.ABLE_ALLOWS})


def is_stored_in_kanta(
    event: ServiceEvent, register: Register, moment: datetime
) -> bool:
    """Tells whether the event shows in Kanta at the moment (INF-7).

    Health care events show always; social welfare ones from the day their
    register began to store client data in Kanta, whatever the event's date.
    """
    if not event.kanta:
        return False
    if register.sector is Sector.SOCIAL and register.kanta_from is not None:
        return moment >= start_of(register.kanta_from)
    return True


def is_shown_to_guardian(event: ServiceEvent, child: Person) -> bool:
    """Tells whether a guardian may see a child's event by its mark (REP-7)."""
    tenth = birthday_in(child.code.birth_date, child.code.birth_date.year + 10)
    if event.recorded < tenth:
        return True
    return event.capacity in _GUARDIAN_MAY_SEE


def is_shown(
    event: ServiceEvent,
    register: Register,
    principal: Person,
    role: ActorRole | None,
    moment: datetime,
) -> bool:
    """Tells whether a viewer in `role` is shown the principal's event."""
    if role is None or event.person != principal.id:
        return False
    if event.recorded > moment.astimezone(HELSINKI).date():
        # DIS-11: the pages as of a day show only what had been recorded by then.
        return False
    if not is_stored_in_kanta(event, register, moment):
        return False
    if role is ActorRole.GUARDIAN:
        return is_shown_to_guardian(event, principal)
    return True
