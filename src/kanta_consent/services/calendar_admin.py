"""The operator's changes to the calendar and the notice (CAL-1, INF-1).

A setting changes from a moment that is now or later, never from one
already past, so that no answer already given is rewritten (CAL-1); the
calendar keeps every earlier value beside the moment it gave way. A notice
version is added with its text in Finnish, Swedish and English, current
from a day not yet begun. Both go into the log (LOG-1) as the operator's
acts, with no person as their subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import structlog

from kanta_consent.domain.calendar import (
    Calendar,
    NoticeVersion,
    Setting,
    SettingChange,
    parse_setting,
)
from kanta_consent.domain.errors import InvalidValue
from kanta_consent.services.log import moment_text
from kanta_consent.services.ports import LogRecord, Store

LANGUAGES = ("fi", "sv", "en")

# A version names itself in the notice_versions table's 20 characters.
VERSION_LENGTH = 20

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class SettingHistory:
    """A setting's values, each with the moment it took effect (None: always)."""

    setting: Setting
    values: list[tuple[datetime | None, date]]


def setting_histories(calendar: Calendar) -> list[SettingHistory]:
    """Returns every setting with its history, in the rule book's order."""
    return [SettingHistory(s, calendar.history(s)) for s in Setting]


def change_setting(
    store: Store, name: str, value: date, effective_from: datetime, now: datetime
) -> SettingChange:
    """Changes a setting from a moment now or later (CAL-1), or raises."""
    change = SettingChange(parse_setting(name), value, effective_from)

    with store.transaction():
        store.calendar().with_change(change, now)
        store.add_setting_change(change)
        body = {
            "setting": change.setting.value,
            "value": value.isoformat(),
            "from": moment_text(effective_from),
        }
        store.append_log([LogRecord("setting_changed", now, None, body)])

    logger.info("setting_changed", **body)
    return change


def add_notice_version(
    store: Store,
    version: str,
    current_from: date,
    texts: Mapping[str, str],
    now: datetime,
) -> NoticeVersion:
    """Adds a notice version with its three texts, current from a day to come."""
    _check_version(version)
    _check_texts(texts)
    notice = NoticeVersion(version, current_from, known_from=now)

    with store.transaction():
        store.calendar().with_notice_version(notice, now)
        store.add_notice_version(notice, {k: texts[k] for k in LANGUAGES})
        body = {"version": version, "current_from": current_from.isoformat()}
        store.append_log([LogRecord("notice_version_added", now, None, body)])

    logger.info("notice_version_added", **body)
    return notice


def _check_version(version: str) -> None:
    if not version or len(version) > VERSION_LENGTH:
        raise InvalidValue(
            "version", version, f"must be 1 to {VERSION_LENGTH} characters"
        )
    if not all(c.isalnum() or c in "-._" for c in version):
        raise InvalidValue("version", version, "may hold letters, digits and - . _")


def _check_texts(texts: Mapping[str, str]) -> None:
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise InvalidValue("language", unknown[0], "is not one of fi, sv, en")
    for language in LANGUAGES:
        if not texts.get(language, "").strip():
            raise InvalidValue(f"text-{language}", "", "is required and not empty")
