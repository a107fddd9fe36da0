"""The operator's calendar changes at the boundary of now (CAL-1, INF-1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.calendar import Setting
from kanta_consent.domain.errors import InvalidValue
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.services.calendar_admin import (
    add_notice_version,
    change_setting,
    setting_histories,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=HELSINKI)
TEXTS = {"fi": "Tiedote", "sv": "Meddelande", "en": "Notice"}


def test_cal_1_a_change_from_this_very_moment_takes_effect() -> None:
    store = MemoryStore()

    change_setting(store, "permission-social", date(2027, 1, 1), NOW, NOW)

    calendar = store.calendar()
    assert calendar.value(Setting.PERMISSION_SOCIAL, NOW) == date(2027, 1, 1)
    assert calendar.value(
        Setting.PERMISSION_SOCIAL, NOW - timedelta(microseconds=1)
    ) == date(2023, 1, 1)


def test_cal_1_a_change_from_a_microsecond_ago_is_refused_and_nothing_kept() -> None:
    store = MemoryStore()
    past = NOW - timedelta(microseconds=1)

    with pytest.raises(InvalidValue) as refused:
        change_setting(store, "permission-social", date(2027, 1, 1), past, NOW)

    assert refused.value.field == "from"
    assert store.calendar().changes == ()
    assert list(store.log_entries()) == []


def test_cal_1_the_history_lists_the_default_then_each_change_in_order() -> None:
    store = MemoryStore()
    later = NOW + timedelta(days=30)
    change_setting(store, "reform", date(2021, 11, 2), later, NOW)
    change_setting(store, "reform", date(2021, 11, 3), NOW, NOW)

    histories = {h.setting: h.values for h in setting_histories(store.calendar())}

    assert histories[Setting.REFORM] == [
        (None, date(2021, 11, 1)),
        (NOW, date(2021, 11, 3)),
        (later, date(2021, 11, 2)),
    ]


def test_inf_1_a_notice_version_current_from_today_is_refused_once_today_began() -> (
    None
):
    store = MemoryStore()

    with pytest.raises(InvalidValue) as refused:
        add_notice_version(store, "2026-03", NOW.date(), TEXTS, NOW)

    assert refused.value.field == "current-from"


def test_inf_1_a_notice_version_from_tomorrow_is_current_from_then() -> None:
    store = MemoryStore()
    tomorrow = NOW.date() + timedelta(days=1)

    add_notice_version(store, "2026-03", tomorrow, TEXTS, NOW)

    calendar = store.calendar()
    current = calendar.current_notice(NOW + timedelta(days=1))
    assert current is not None
    assert current.version == "2026-03"
    before = calendar.current_notice(NOW)
    assert before is not None
    assert before.version == "2023-11"
