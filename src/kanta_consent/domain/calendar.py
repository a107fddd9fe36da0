"""The calendar: from which day each rule is in force (CAL-1, CAL-2, INF-1).

Every date of the rule book is a setting with a default. A change to a
setting takes effect at a moment that is now or later (CAL-1), and the
history of changes is kept, so that the value a rule used at any past moment
can still be read: `value(setting, as_of)` answers as the calendar stood then.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from kanta_consent.domain.errors import InvalidValue
from kanta_consent.domain.identity import HELSINKI


class Setting(StrEnum):
    """The settings, by the names that scenarios and the operator use."""

    REFORM = "reform"
    PERMISSION_HEALTH = "permission-health"
    PERMISSION_SOCIAL = "permission-social"
    PERMISSION_SOCIAL_TO_HEALTH = "permission-social-to-health"
    PERMISSION_HEALTH_TO_SOCIAL = "permission-health-to-social"
    PERMISSION_WELLBEING = "permission-wellbeing"
    OUTSIDE_KANTA_GRANT = "outside-kanta-grant"
    OUTSIDE_KANTA_COVERAGE = "outside-kanta-coverage"
    SOCIAL_PROHIBITIONS = "social-prohibitions"
    PRIVATE_OCCUPATIONAL_REGISTER_PROHIBITION = (
        "private-occupational-register-prohibition"
    )
    ALL_HEALTH_PROHIBITION = "all-health-prohibition"
    ALL_SOCIAL_PROHIBITION = "all-social-prohibition"


NOTICE_VERSIONS = "notice-versions"

DEFAULTS: Mapping[Setting, date] = {
    Setting.REFORM: date(2021, 11, 1),
    Setting.PERMISSION_HEALTH: date(2021, 11, 1),
    Setting.PERMISSION_SOCIAL: date(2023, 1, 1),
    Setting.PERMISSION_SOCIAL_TO_HEALTH: date(2024, 1, 1),
    Setting.PERMISSION_HEALTH_TO_SOCIAL: date(2024, 1, 1),
    Setting.PERMISSION_WELLBEING: date(2024, 1, 1),
    Setting.OUTSIDE_KANTA_GRANT: date(2023, 11, 30),
    Setting.OUTSIDE_KANTA_COVERAGE: date(2024, 1, 1),
    Setting.SOCIAL_PROHIBITIONS: date(2023, 1, 1),
    Setting.PRIVATE_OCCUPATIONAL_REGISTER_PROHIBITION: date(2024, 1, 1),
    Setting.ALL_HEALTH_PROHIBITION: date(2024, 1, 1),
    Setting.ALL_SOCIAL_PROHIBITION: date(2024, 1, 1),
}

DEFAULT_NOTICE_VERSIONS: Mapping[str, date] = {
    "2021-11": date(2021, 11, 1),
    "2022-11": date(2022, 11, 1),
    "2023-11": date(2023, 11, 30),
}


def start_of(day: date) -> datetime:
    """Returns the first moment of a day in Finnish time."""
    return datetime.combine(day, time(), HELSINKI)


def parse_setting(name: str) -> Setting:
    """Returns the setting of that name, or raises `InvalidValue` naming it."""
    try:
        return Setting(name)
    except ValueError:
        known = ", ".join(s.value for s in Setting)
        raise InvalidValue("setting", name, f"not a setting; known: {known}") from None


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A new value for a setting, in force for moments from `effective_from`."""

    setting: Setting
    value: date
    effective_from: datetime


@dataclass(frozen=True, slots=True)
class NoticeVersion:
    """A version of the notice, current from a day (INF-1)."""

    version: str
    current_from: date
    known_from: datetime | None = None

    @property
    def current_from_moment(self) -> datetime:
        """Returns the first moment this version is current."""
        return start_of(self.current_from)


@dataclass(frozen=True, slots=True)
class _Timeline:
    """A setting's values over time: `moments[i]` starts `starts[i]`."""

    moments: tuple[datetime, ...]
    starts: tuple[datetime, ...]
    values: tuple[date, ...]


@dataclass(frozen=True)
class Calendar:
    """The settings and notice versions, each as it stood at any moment."""

    base: Mapping[Setting, date] = field(default_factory=lambda: dict(DEFAULTS))
    changes: tuple[SettingChange, ...] = ()
    notice_versions: tuple[NoticeVersion, ...] = tuple(
        NoticeVersion(v, d) for v, d in DEFAULT_NOTICE_VERSIONS.items()
    )
    _timelines: dict[Setting, _Timeline] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for setting in Setting:
            self._timelines[setting] = self._timeline(setting)

    def _timeline(self, setting: Setting) -> _Timeline:
        base = self.base.get(setting, DEFAULTS[setting])
        own = sorted(
            (c for c in self.changes if c.setting is setting),
            key=lambda c: c.effective_from,
        )
        return _Timeline(
            moments=tuple(c.effective_from for c in own),
            starts=(start_of(base), *(start_of(c.value) for c in own)),
            values=(base, *(c.value for c in own)),
        )

    def value(self, setting: Setting, as_of: datetime) -> date:
        """Returns the setting's date as the calendar stood at `as_of` (CAL-1)."""
        line = self._timelines[setting]
        return line.values[bisect_right(line.moments, as_of)]

    def starts(self, setting: Setting, as_of: datetime) -> datetime:
        """Returns the first moment of the setting's day, as it stood at `as_of`."""
        line = self._timelines[setting]
        return line.starts[bisect_right(line.moments, as_of)]

    def is_in_force(self, setting: Setting, moment: datetime) -> bool:
        """Tells whether the setting's day has come at `moment`."""
        return moment >= self.starts(setting, moment)

    def history(self, setting: Setting) -> list[tuple[datetime | None, date]]:
        """Returns the setting's values, each with the moment it took effect."""
        line = self._timelines[setting]
        changed = zip(line.moments, line.values[1:], strict=True)
        return [(None, line.values[0]), *changed]

    def current_notice(self, moment: datetime) -> NoticeVersion | None:
        """Returns the notice version current at the moment, if any (INF-1)."""
        current: NoticeVersion | None = None
        for version in self.notice_versions:
            if version.known_from is not None and version.known_from > moment:
                continue
            if version.current_from_moment > moment:
                continue
            if current is None or version.current_from > current.current_from:
                current = version
        return current

    def with_change(self, change: SettingChange, now: datetime) -> Calendar:
        """Returns the calendar with a change; a change never reaches the past."""
        if change.effective_from < now:
            raise InvalidValue(
                "from", change.effective_from.isoformat(), "is already past (CAL-1)"
            )
        return Calendar(self.base, (*self.changes, change), self.notice_versions)

    def with_notice_version(self, version: NoticeVersion, now: datetime) -> Calendar:
        """Returns the calendar with a new notice version, current from now on."""
        if version.current_from_moment < now:
            raise InvalidValue(
                "current-from", version.current_from.isoformat(), "is already past"
            )
        if any(v.version == version.version for v in self.notice_versions):
            raise InvalidValue("version", version.version, "exists already")
        versions = (*self.notice_versions, version)
        return Calendar(self.base, self.changes, versions)


def calendar_with_overrides(
    settings: Mapping[Setting, date] | None = None,
    notice_versions: Mapping[str, date] | None = None,
    changes: Iterable[SettingChange] = (),
) -> Calendar:
    """Returns a calendar whose base values differ from the defaults.

    Notice versions given are added to the defaults; a version named again
    takes the new date.
    """
    base = dict(DEFAULTS)
    base.update(settings or {})
    versions = dict(DEFAULT_NOTICE_VERSIONS)
    versions.update(notice_versions or {})
    return Calendar(
        base=base,
        changes=tuple(changes),
        notice_versions=tuple(NoticeVersion(v, d) for v, d in versions.items()),
    )
