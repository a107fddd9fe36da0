"""Entry to the portal: the notice gate, acting for others, reminders.

INF-2 gates an adult until they acknowledge the current notice; MIN-1 lets
minors in; MIN-5 makes a new adult acknowledge it themselves; REP-3 gates a
representative on the principal's behalf. PER-5 and PER-6 are the
reminders of the front page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kanta_consent.domain.calendar import Calendar, Setting
from kanta_consent.domain.choices import ChoiceState
from kanta_consent.domain.codes import ActorRole, Entry, Reminder, Scope
from kanta_consent.domain.model import Person


def is_gate_in_force(calendar: Calendar, moment: datetime) -> bool:
    """Tells whether the notice gate exists at the moment (INF-2, CAL-2)."""
    return calendar.is_in_force(Setting.REFORM, moment)


def has_own_notice_pending(
    person: Person, state: ChoiceState, calendar: Calendar, moment: datetime
) -> bool:
    """Tells whether the person must acknowledge the notice to enter (INF-2).

    Minors are never gated (MIN-1). An adult needs an acknowledgement of the
    current version recorded while they were an adult, by anyone (MIN-5).
    """
    if not person.is_adult_at(moment) or not is_gate_in_force(calendar, moment):
        return False
    current = calendar.current_notice(moment)
    if current is None:
        return False
    return not state.has_acknowledged(current.version, as_adult=True)


def has_principal_notice_pending(
    state: ChoiceState, calendar: Calendar, moment: datetime
) -> bool:
    """Tells whether a representative must acknowledge for the principal (REP-3).

    Any acknowledgement of the current version opens it, whoever made it.
    """
    if not is_gate_in_force(calendar, moment):
        return False
    current = calendar.current_notice(moment)
    if current is None:
        return False
    return not state.has_acknowledged(current.version)


@dataclass(frozen=True, slots=True)
class EntryAnswer:
    """What the portal does on entry, and for whom it gates (own or principal)."""

    entry: Entry
    notice_for_principal: bool = False


def enter(
    actor: Person,
    actor_state: ChoiceState,
    role: ActorRole | None,
    principal_state: ChoiceState,
    calendar: Calendar,
    moment: datetime,
) -> EntryAnswer:
    """Answers enter, notice or refused for `actor` on a principal's pages.

    The order is that of DOMAIN.md section 11: the actor's own notice, then
    the right to act, then the principal's notice.
    """
    if has_own_notice_pending(actor, actor_state, calendar, moment):
        return EntryAnswer(Entry.NOTICE)
    if role is None:
        return EntryAnswer(Entry.REFUSED)
    if role is not ActorRole.SELF and has_principal_notice_pending(
        principal_state, calendar, moment
    ):
        return EntryAnswer(Entry.NOTICE, notice_for_principal=True)
    return EntryAnswer(Entry.ENTER)


def reminders(
    principal: Person, state: ChoiceState, calendar: Calendar, moment: datetime
) -> list[Reminder]:
    """Returns the permission reminders of the principal's front page.

    PER-5 reminds an informed adult without a health permission; PER-6 asks
    the holder of a permission given before `outside-kanta-grant` to renew
    it once that day has come. A minor's pages show neither.
    """
    if not principal.is_adult_at(moment) or not state.informed:
        return []
    if not calendar.is_in_force(Setting.REFORM, moment):
        return []
    if not calendar.is_in_force(Setting.PERMISSION_HEALTH, moment):
        return []
    held = state.permissions.get(Scope.HEALTH)
    if held is None:
        return [Reminder.PERMISSION_MISSING]
    renew_from = calendar.starts(Setting.OUTSIDE_KANTA_GRANT, moment)
    if moment >= renew_from and held.at < renew_from:
        return [Reminder.PERMISSION_RENEW]
    return []
