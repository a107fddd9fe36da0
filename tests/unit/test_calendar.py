"""The calendar: settings over time and notice versions (CAL-1, CAL-2, INF-1)."""

from __future__ import annotations

from datetime import date

import pytest
from builders import ADULT, World, at, person

from kanta_consent.domain.actions import is_scope_available
from kanta_consent.domain.calendar import (
    Calendar,
    NoticeVersion,
    Setting,
    SettingChange,
    calendar_with_overrides,
)
from kanta_consent.domain.choices import ChoiceState
from kanta_consent.domain.codes import Entry, Scope
from kanta_consent.domain.entry import has_own_notice_pending
from kanta_consent.domain.errors import InvalidValue
from kanta_consent.services.consent import PortalActor


def test_cal_1_every_setting_has_the_default_of_the_rule_book() -> None:
    calendar = Calendar()

    values = {s.value: calendar.value(s, at(2020, 1, 1)) for s in Setting}

    assert values == {
        "reform": date(2021, 11, 1),
        "permission-health": date(2021, 11, 1),
        "permission-social": date(2023, 1, 1),
        "permission-social-to-health": date(2024, 1, 1),
        "permission-health-to-social": date(2024, 1, 1),
        "permission-wellbeing": date(2024, 1, 1),
        "outside-kanta-grant": date(2023, 11, 30),
        "outside-kanta-coverage": date(2024, 1, 1),
        "social-prohibitions": date(2023, 1, 1),
        "private-occupational-register-prohibition": date(2024, 1, 1),
        "all-health-prohibition": date(2024, 1, 1),
        "all-social-prohibition": date(2024, 1, 1),
    }


def test_cal_1_a_change_affects_moments_from_its_effect_on_and_keeps_history() -> None:
    change = SettingChange(
        Setting.PERMISSION_WELLBEING, date(2026, 1, 1), at(2023, 5, 1, 0, 0)
    )

    calendar = Calendar().with_change(change, now=at(2023, 4, 30))

    assert calendar.value(Setting.PERMISSION_WELLBEING, at(2023, 4, 30)) == date(
        2024, 1, 1
    )
    assert calendar.value(Setting.PERMISSION_WELLBEING, at(2023, 5, 1, 0, 0)) == date(
        2026, 1, 1
    )
    assert calendar.history(Setting.PERMISSION_WELLBEING) == [
        (None, date(2024, 1, 1)),
        (at(2023, 5, 1, 0, 0), date(2026, 1, 1)),
    ]


def test_cal_1_a_change_never_reaches_a_moment_already_past() -> None:
    change = SettingChange(Setting.REFORM, date(2022, 1, 1), at(2021, 1, 1))

    with pytest.raises(InvalidValue) as refused:
        Calendar().with_change(change, now=at(2021, 1, 2))

    assert refused.value.field == "from"


def test_cal_1_a_change_moves_what_a_scope_needs_only_from_its_effect_on() -> None:
    change = SettingChange(
        Setting.PERMISSION_WELLBEING, date(2026, 1, 1), at(2024, 6, 1, 0, 0)
    )
    calendar = Calendar().with_change(change, now=at(2024, 5, 1))

    available = [
        is_scope_available(Scope.WELLBEING, calendar, at(2024, 5, 31)),
        is_scope_available(Scope.WELLBEING, calendar, at(2024, 6, 1)),
    ]

    assert available == [True, False]


def test_cal_1_an_override_changes_one_setting_and_keeps_the_others() -> None:
    calendar = calendar_with_overrides(
        {Setting.ALL_HEALTH_PROHIBITION: date(2025, 1, 1)}
    )

    values = [
        calendar.value(Setting.ALL_HEALTH_PROHIBITION, at(2024, 1, 1)),
        calendar.value(Setting.ALL_SOCIAL_PROHIBITION, at(2024, 1, 1)),
    ]

    assert values == [date(2025, 1, 1), date(2024, 1, 1)]


def test_cal_2_before_the_reform_nobody_is_gated_and_only_consent_exists() -> None:
    adult = person(date(1980, 5, 17), 901)
    before, after = at(2021, 10, 31, 23, 59), at(2021, 11, 1, 0, 0)

    gated = [
        has_own_notice_pending(adult, ChoiceState(), Calendar(), m)
        for m in (before, after)
    ]
    scopes = [s for s in Scope if is_scope_available(s, Calendar(), before)]

    assert gated == [False, True]
    assert scopes == [Scope.HEALTH]


def test_cal_2_the_reform_date_is_a_setting_the_gate_follows() -> None:
    world = World(calendar_with_overrides({Setting.REFORM: date(2022, 1, 1)}))
    world.add_code(ADULT)

    entries = [
        world.service.portal_entry(ADULT, ADULT, m).entry
        for m in (at(2021, 12, 31), at(2022, 1, 1, 0, 0))
    ]

    assert entries == [Entry.ENTER, Entry.NOTICE]


def test_inf_1_the_default_versions_are_current_from_their_dates() -> None:
    calendar = Calendar()
    moments = [at(2021, 10, 31), at(2021, 11, 1, 0, 0), at(2022, 11, 1, 0, 0)]
    moments += [at(2023, 11, 29, 23, 59), at(2023, 11, 30, 0, 0)]

    versions = [
        (v.version if (v := calendar.current_notice(m)) else None) for m in moments
    ]

    assert versions == [None, "2021-11", "2022-11", "2022-11", "2023-11"]


def test_inf_1_the_operator_adds_a_version_current_from_a_future_day() -> None:
    version = NoticeVersion("2025-05", date(2025, 5, 1))

    calendar = Calendar().with_notice_version(version, now=at(2025, 4, 1))

    assert calendar.current_notice(at(2025, 4, 30)).version == "2023-11"  # type: ignore[union-attr]
    assert calendar.current_notice(at(2025, 5, 1, 0, 0)).version == "2025-05"  # type: ignore[union-attr]


def test_inf_1_a_version_cannot_be_added_twice_or_in_the_past() -> None:
    calendar = Calendar()

    with pytest.raises(InvalidValue) as twice:
        calendar.with_notice_version(
            NoticeVersion("2023-11", date(2026, 1, 1)), now=at(2025, 1, 1)
        )
    with pytest.raises(InvalidValue) as past:
        calendar.with_notice_version(
            NoticeVersion("2024-01", date(2024, 1, 1)), now=at(2025, 1, 1)
        )

    assert (twice.value.field, past.value.field) == ("version", "current-from")


def test_inf_1_one_notice_covers_all_services_so_a_new_version_gates_again() -> None:
    world = World()
    world.add_code(ADULT)
    world.service.acknowledge(PortalActor(ADULT), ADULT, at(2022, 1, 1))

    entries = [
        world.service.portal_entry(ADULT, ADULT, m).entry
        for m in (at(2022, 10, 31), at(2022, 11, 1, 0, 0))
    ]

    assert entries == [Entry.ENTER, Entry.NOTICE]
