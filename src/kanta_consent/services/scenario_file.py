"""Reading scenario files (SCENARIOS.md) into checked, typed scenarios.

Every mistake in a file raises `ScenarioFormatError` with the line it is on
and the value that is wrong; nothing of a broken file is run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import yaml

from kanta_consent.domain.calendar import NOTICE_VERSIONS, Setting
from kanta_consent.domain.codes import (
    Capacity,
    Purpose,
    RefusalCode,
    RegisterKind,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.errors import InvalidIdentityCode
from kanta_consent.domain.identity import HELSINKI, parse_identity_code

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_name(value: object) -> bool:
    # An alias or a code is a scalar; a list or a mapping in its place would
    # otherwise fail a lookup with a TypeError instead of naming its line.
    return isinstance(value, str | int | float | bool)


class ScenarioFormatError(Exception):
    """A scenario file that breaks the format, with the line of the mistake."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            raise ScenarioFormatError(
                key_node.start_mark.line + 1, f"key {key!r} twice"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    # A value shaped like a date that is no date (2021-02-30) would otherwise
    # escape YAML's own errors as a bare ValueError without a line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise ScenarioFormatError(
            node.start_mark.line + 1, f"{node.value!r} is not a date YYYY-MM-DD"
        ) from None


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    """An organisation of a scenario, with its registers by alias and kind."""

    public: bool
    registers: dict[str, RegisterKind]
    ended: date | None = None


@dataclass(frozen=True, slots=True)
class EventSpec:
    """A service event of a scenario."""

    person: str
    register: str
    recorded: date
    kanta: bool = True
    capacity: Capacity | None = None
    task: ServiceTask | None = None
    recorded_by: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A guardianship or a mandate of a scenario."""

    kind: str
    first: str
    second: str
    starts: date
    until: date | None = None
    blocked: bool = False
    revoked: date | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One step: an action (`do`) or a check (`portal`, `decide`, `sees`)."""

    line: int
    at: datetime
    kind: str
    fields: dict[str, Any]
    expect: str | None
    reason: str | None = None
    reminders: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Scenario:
    """A whole scenario, checked against the format and its own aliases."""

    name: str
    path: str
    rules: tuple[str, ...] = ()
    settings: dict[Setting, date] = field(default_factory=dict)
    notice_versions: dict[str, date] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, OrganisationSpec] = field(default_factory=dict)
    joint_areas: dict[str, list[str]] = field(default_factory=dict)
    purchased: list[tuple[str, str]] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: dict[str, EventSpec] = field(default_factory=dict)
    kanta_from: dict[str, date] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    @property
    def registers(self) -> dict[str, tuple[str, RegisterKind]]:
        """Returns register alias -> (organisation alias, kind)."""
        return {
            alias: (org, kind)
            for org, spec in self.organisations.items()
            for alias, kind in spec.registers.items()
        }


_TOP_KEYS = {
    "name",
    "rules",
    "calendar",
    "people",
    "organisations",
    "joint_areas",
    "purchased_services",
    "guardianships",
    "mandates",
    "service_events",
    "kanta_from",
    "steps",
}

_ACTION_KEYS = {
    "acknowledge": {"as", "for", "channel"},
    "decline": {"as", "for"},
    "grant": {"as", "for", "scope", "channel"},
    "withdraw": {"as", "for", "choice", "scope", "channel"},
    "prohibit": {"as", "for", "target", "emergency", "id", "channel"},
}
_CHECKS = {
    "portal": {"as", "for"},
    "decide": {"data", "to", "purpose"},
    "sees": {"as", "for", "data"},
}
_EXPECT = {
    "portal": {"enter", "notice", "refused"},
    "decide": {"permit", "deny"},
    "sees": {"shown", "hidden"},
    "do": {"refused"},
}
_TARGET_KEYS = {
    "service-event": TargetKind.SERVICE_EVENT,
    "organisation": TargetKind.ORGANISATION,
    "register": TargetKind.REGISTER,
    "private-occupational-register": TargetKind.PRIVATE_OCCUPATIONAL_REGISTER,
    "service-task": TargetKind.SERVICE_TASK,
    "document": TargetKind.DOCUMENT,
}
_REASONS = {
    "decide": {
        "same-register",
        "purchased-service",
        "not-informed",
        "prescription",
        "statutory",
        "prohibited",
        "permission",
        "joint-area",
        "emergency",
        "no-permission",
    },
    "do": {code.value for code in RefusalCode},
}


def load_scenario(path: Path) -> Scenario:
    """Reads and checks one scenario file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise ScenarioFormatError(line, f"not UTF-8 text: {error.reason}") from None
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise ScenarioFormatError(line, f"not YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ScenarioFormatError(1, f"not YAML: {error}") from None
    if not isinstance(raw, _Mapping):
        raise ScenarioFormatError(1, "a scenario is a mapping of keys")
    return _Reader(raw, str(path)).scenario()


class _Reader:
    def __init__(self, raw: _Mapping, path: str) -> None:
        self.raw = raw
        self.path = path
        self.people: dict[str, str] = {}
        self.registers: set[str] = set()
        self.organisations: set[str] = set()
        self.events: set[str] = set()

    def fail(
        self, where: _Mapping | int, message: str, key: str | None = None
    ) -> NoReturn:
        line = (
            where
            if isinstance(where, int)
            else where.key_lines.get(key or "", where.line)
        )
        raise ScenarioFormatError(line, message)

    def mapping(self, parent: _Mapping, key: str, required: bool = False) -> _Mapping:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(parent, f"key {key!r} is missing")
            empty = _Mapping()
            empty.line, empty.key_lines = parent.line, {}
            return empty
        if not isinstance(value, _Mapping):
            self.fail(parent, f"{key!r} must be a mapping, not {value!r}", key)
        return value

    def keys(self, mapping: _Mapping, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fail(mapping, f"unknown key {key!r} in {what}", key)

    def scenario(self) -> Scenario:
        raw = self.raw
        self.keys(raw, _TOP_KEYS, "the scenario")
        for key in ("name", "people", "steps"):
            if key not in raw:
                self.fail(raw, f"key {key!r} is missing")
        name = raw["name"]
        if not isinstance(name, str) or not name.strip():
            self.fail(raw, f"name must be a line of text, not {name!r}", "name")
        rules = raw.get("rules") or []
        if not isinstance(rules, list):
            self.fail(raw, "rules must be a list of rule ids", "rules")
        settings, versions = self.calendar()
        people = self.read_people()
        organisations = self.read_organisations()
        scenario = Scenario(
            name=name.strip(),
            path=self.path,
            rules=tuple(str(r) for r in rules),
            settings=settings,
            notice_versions=versions,
            people=people,
            organisations=organisations,
            joint_areas=self.read_joint_areas(),
            purchased=self.read_purchased(),
            relations=self.read_relations(),
            kanta_from=self.read_kanta_from(),
        )
        scenario.events.update(self.read_events())
        scenario.steps.extend(self.read_steps())
        return scenario

    def calendar(self) -> tuple[dict[Setting, date], dict[str, date]]:
        raw = self.mapping(self.raw, "calendar")
        settings: dict[Setting, date] = {}
        versions: dict[str, date] = {}
        for key, value in raw.items():
            if key == NOTICE_VERSIONS:
                if not isinstance(value, _Mapping):
                    self.fail(raw, "notice-versions must map version -> date", key)
                for version, day in value.items():
                    versions[str(version)] = self.day(value, version, day)
                continue
            try:
                setting = Setting(key)
            except ValueError:
                self.fail(raw, f"unknown calendar setting {key!r}", key)
            settings[setting] = self.day(raw, key, value)
        return settings, versions

    def day(self, where: _Mapping, key: str, value: Any) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if value is None:
            self.fail(where, f"{key!r} is missing")
        try:
            # fromisoformat alone would also take 20210101 or 2021-W01-1.
            if _DAY.fullmatch(str(value)) is None:
                raise ValueError(value)
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(where, f"{key}: {value!r} is not a date YYYY-MM-DD", key)

    def optional_day(self, where: _Mapping, key: str) -> date | None:
        value = where.get(key)
        return None if value is None else self.day(where, key, value)

    def read_people(self) -> dict[str, str]:
        raw = self.mapping(self.raw, "people", required=True)
        seen: dict[str, str] = {}
        for alias, code in raw.items():
            try:
                parsed = parse_identity_code(str(code))
            except InvalidIdentityCode as error:
                self.fail(raw, f"person {alias!r}: {error}", alias)
            if parsed.value in seen:
                self.fail(
                    raw,
                    f"person {alias!r} has the code of {seen[parsed.value]!r}",
                    alias,
                )
            seen[parsed.value] = alias
            self.people[alias] = parsed.value
        return dict(self.people)

    def read_organisations(self) -> dict[str, OrganisationSpec]:
        raw = self.mapping(self.raw, "organisations")
        result: dict[str, OrganisationSpec] = {}
        for alias in raw:
            spec = self.mapping(raw, alias, required=True)
            self.keys(spec, {"public", "ended", "registers"}, f"organisation {alias!r}")
            public = spec.get("public")
            if not isinstance(public, bool):
                self.fail(
                    spec,
                    f"organisation {alias!r}: public must be true or false",
                    "public",
                )
            registers: dict[str, RegisterKind] = {}
            for name, kind in self.mapping(spec, "registers").items():
                if name in self.registers:
                    self.fail(spec, f"register {name!r} is named twice", "registers")
                registers[name] = self.enum(
                    RegisterKind, kind, spec, "registers", "register kind"
                )
                self.registers.add(name)
            result[alias] = OrganisationSpec(
                public, registers, self.optional_day(spec, "ended")
            )
            self.organisations.add(alias)
        return result

    def enum(self, kind: Any, value: Any, where: _Mapping, key: str, what: str) -> Any:
        try:
            return kind(str(value))
        except ValueError:
            known = ", ".join(v.value for v in kind)
            self.fail(where, f"unknown {what} {value!r}; known: {known}", key)

    def register(self, where: _Mapping, key: str, value: Any) -> str:
        if value is None:
            self.fail(where, f"{key!r} is missing")
        if not _is_name(value) or value not in self.registers:
            self.fail(where, f"{key}: unknown register {value!r}", key)
        return str(value)

    def person(self, where: _Mapping, key: str, value: Any) -> str:
        if value is None:
            self.fail(where, f"{key!r} is missing")
        if not _is_name(value) or value not in self.people:
            self.fail(where, f"{key}: unknown person {value!r}", key)
        return str(value)

    def read_joint_areas(self) -> dict[str, list[str]]:
        raw = self.mapping(self.raw, "joint_areas")
        areas: dict[str, list[str]] = {}
        for alias, members in raw.items():
            if not isinstance(members, list):
                self.fail(raw, f"joint area {alias!r} must list registers", alias)
            areas[alias] = [self.register(raw, alias, m) for m in members]
        return areas

    def entries(self, key: str) -> list[_Mapping]:
        value = self.raw.get(key) or []
        if not isinstance(value, list):
            self.fail(self.raw, f"{key} must be a list", key)
        for item in value:
            if not isinstance(item, _Mapping):
                self.fail(self.raw, f"{key}: {item!r} is not a mapping", key)
        return value

    def read_purchased(self) -> list[tuple[str, str]]:
        links = []
        for item in self.entries("purchased_services"):
            self.keys(item, {"producer", "for"}, "a purchased service")
            links.append(
                (
                    self.register(item, "producer", item.get("producer")),
                    self.register(item, "for", item.get("for")),
                )
            )
        return links

    def read_relations(self) -> list[Relation]:
        relations = []
        for item in self.entries("guardianships"):
            self.keys(
                item,
                {"guardian", "child", "from", "until", "blocked"},
                "a guardianship",
            )
            relations.append(
                Relation(
                    "guardianship",
                    self.person(item, "guardian", item.get("guardian")),
                    self.person(item, "child", item.get("child")),
                    self.day(item, "from", item.get("from")),
                    self.optional_day(item, "until"),
                    blocked=self.boolean(item, "blocked"),
                )
            )
        for item in self.entries("mandates"):
            self.keys(
                item, {"holder", "principal", "from", "until", "revoked"}, "a mandate"
            )
            relations.append(
                Relation(
                    "mandate",
                    self.person(item, "holder", item.get("holder")),
                    self.person(item, "principal", item.get("principal")),
                    self.day(item, "from", item.get("from")),
                    self.optional_day(item, "until"),
                    revoked=self.optional_day(item, "revoked"),
                )
            )
        return relations

    def boolean(self, where: _Mapping, key: str, default: bool = False) -> bool:
        value = where.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"{key} must be true or false, not {value!r}", key)
        return bool(value)

    def read_kanta_from(self) -> dict[str, date]:
        raw = self.mapping(self.raw, "kanta_from")
        return {
            self.register(raw, str(k), k): self.day(raw, str(k), v)
            for k, v in raw.items()
        }

    def read_events(self) -> dict[str, EventSpec]:
        raw = self.mapping(self.raw, "service_events")
        events: dict[str, EventSpec] = {}
        allowed = {
            "person",
            "register",
            "date",
            "kanta",
            "capacity",
            "task",
            "recorded_by",
        }
        for alias in raw:
            spec = self.mapping(raw, alias, required=True)
            self.keys(spec, allowed, f"service event {alias!r}")
            capacity = spec.get("capacity")
            task = spec.get("task")
            recorded_by = spec.get("recorded_by")
            if recorded_by is not None and (
                not _is_name(recorded_by) or recorded_by not in self.organisations
            ):
                self.fail(
                    spec,
                    f"recorded_by: unknown organisation {recorded_by!r}",
                    "recorded_by",
                )
            events[alias] = EventSpec(
                person=self.person(spec, "person", spec.get("person")),
                register=self.register(spec, "register", spec.get("register")),
                recorded=self.day(spec, "date", spec.get("date")),
                kanta=self.boolean(spec, "kanta", True),
                capacity=None
                if capacity is None
                else self.enum(Capacity, capacity, spec, "capacity", "capacity mark"),
                task=None
                if task is None
                else self.enum(ServiceTask, task, spec, "task", "service task"),
                recorded_by=recorded_by,
            )
            self.events.add(alias)
        return events

    def read_steps(self) -> list[Step]:
        raw = self.raw["steps"]
        if not isinstance(raw, list) or not raw:
            self.fail(self.raw, "steps must be a list with at least one step", "steps")
        steps: list[Step] = []
        last_action: datetime | None = None
        choice_ids: set[str] = set()
        for item in raw:
            if not isinstance(item, _Mapping):
                self.fail(self.raw, f"a step must be a mapping, not {item!r}", "steps")
            step = self.step(item, choice_ids)
            if step.kind == "do":
                if last_action is not None and step.at < last_action:
                    self.fail(
                        item,
                        f"at {item['at']}: an action may not go back in "
                        f"time (the action before is at {last_action:%Y-%m-%dT%H:%M})",
                        "at",
                    )
                last_action = step.at
            steps.append(step)
        return steps

    def moment(self, where: _Mapping, value: Any) -> datetime:
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.strptime(str(value), "%Y-%m-%dT%H:%M")
            except ValueError:
                self.fail(
                    where, f"at: {value!r} is not a moment YYYY-MM-DDTHH:MM", "at"
                )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=HELSINKI)
        return moment

    def step(self, item: _Mapping, choice_ids: set[str]) -> Step:
        if "at" not in item:
            self.fail(item, "a step needs 'at'")
        at = self.moment(item, item["at"])
        kinds = [k for k in ("do", "portal", "decide", "sees") if k in item]
        if len(kinds) != 1:
            self.fail(item, "a step has exactly one of do, portal, decide, sees")
        kind = kinds[0]
        common = {"at", kind, "expect", "reason"}
        if kind == "do":
            return self.action(item, at, common, choice_ids)
        return self.check(item, at, kind, common)

    def expectation(self, item: _Mapping, kind: str, required: bool) -> str | None:
        expect = item.get("expect")
        if expect is None:
            if required:
                self.fail(item, f"a {kind} check needs 'expect'")
            return None
        if str(expect) not in _EXPECT[kind]:
            self.fail(
                item,
                f"expect: {expect!r} is not one of {', '.join(sorted(_EXPECT[kind]))}",
                "expect",
            )
        return str(expect)

    def reason(self, item: _Mapping, kind: str) -> str | None:
        reason = item.get("reason")
        if reason is None:
            return None
        if str(reason) not in _REASONS.get(kind, set()):
            self.fail(item, f"reason: unknown code {reason!r}", "reason")
        return str(reason)

    def action(
        self, item: _Mapping, at: datetime, common: set[str], choice_ids: set[str]
    ) -> Step:
        verb = item["do"]
        if not _is_name(verb) or verb not in _ACTION_KEYS:
            self.fail(item, f"do: unknown action {verb!r}", "do")
        self.keys(item, common | _ACTION_KEYS[verb], f"a {verb} step")
        channel = str(item.get("channel", "portal"))
        if channel not in ("portal", "care"):
            self.fail(item, f"channel: {channel!r} is not portal or care", "channel")
        fields: dict[str, Any] = {"verb": verb, "channel": channel}
        if "as" not in item:
            self.fail(item, "an action needs 'as'")
        if channel == "care":
            fields["as"] = self.register(item, "as", item["as"])
        else:
            fields["as"] = self.person(item, "as", item["as"])
        fields["for"] = (
            self.person(item, "for", item.get("for", item["as"]))
            if "for" in item or channel == "portal"
            else None
        )
        if channel == "care" and fields["for"] is None:
            self.fail(item, "a care action needs 'for'")
        if "scope" in item:
            fields["scope"] = self.enum(Scope, item["scope"], item, "scope", "scope")
        if verb == "grant" and "scope" not in item:
            self.fail(item, "grant needs 'scope'")
        if verb == "withdraw":
            if ("choice" in item) == ("scope" in item):
                self.fail(item, "withdraw needs one of 'choice' or 'scope'")
            if "choice" in item:
                choice = item["choice"]
                if not _is_name(choice) or choice not in choice_ids:
                    self.fail(
                        item,
                        f"choice: unknown prohibition id {item['choice']!r}",
                        "choice",
                    )
                fields["choice"] = str(item["choice"])
        if verb == "prohibit":
            fields["target"] = self.target(item)
            fields["emergency"] = self.boolean(item, "emergency")
            if "id" in item:
                if not _is_name(item["id"]):
                    self.fail(item, f"id: {item['id']!r} is not a name", "id")
                if item["id"] in choice_ids:
                    self.fail(item, f"id {item['id']!r} is used twice", "id")
                choice_ids.add(str(item["id"]))
                fields["id"] = str(item["id"])
        expect = self.expectation(item, "do", required=False)
        reason = self.reason(item, "do")
        if reason is not None and expect != "refused":
            self.fail(item, "reason goes with expect: refused", "reason")
        return Step(item.line, at, "do", fields, expect, reason)

    def target(self, item: _Mapping) -> tuple[TargetKind, str | None]:
        raw = item.get("target")
        if not isinstance(raw, _Mapping) or len(raw) != 1:
            self.fail(item, f"target must be one key and value, not {raw!r}", "target")
        key, value = next(iter(raw.items()))
        if key == "all":
            if value not in ("health", "social"):
                self.fail(raw, f"all: {value!r} is not health or social", key)
            return (
                TargetKind.ALL_HEALTH if value == "health" else TargetKind.ALL_SOCIAL
            ), None
        if key not in _TARGET_KEYS:
            self.fail(raw, f"unknown target {key!r}", key)
        kind = _TARGET_KEYS[key]
        if kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
            if not _is_name(value) or value not in self.events:
                self.fail(raw, f"{key}: unknown service event {value!r}", key)
        elif kind is TargetKind.ORGANISATION:
            if not _is_name(value) or value not in self.organisations:
                self.fail(raw, f"{key}: unknown organisation {value!r}", key)
        elif kind is TargetKind.SERVICE_TASK:
            self.enum(ServiceTask, value, raw, key, "service task")
        else:
            self.register(raw, key, value)
        return kind, str(value)

    def check(self, item: _Mapping, at: datetime, kind: str, common: set[str]) -> Step:
        extra = {"reminders"} if kind == "portal" else set()
        self.keys(item, common | extra, f"a {kind} check")
        body = self.mapping(item, kind, required=True)
        self.keys(body, _CHECKS[kind], f"{kind}")
        fields: dict[str, Any] = {}
        if kind in ("portal", "sees"):
            fields["as"] = self.person(body, "as", body.get("as"))
            fields["for"] = self.person(body, "for", body.get("for", body.get("as")))
        if kind == "sees":
            data = body.get("data")
            if not _is_name(data) or data not in self.events:
                self.fail(
                    body, f"data: unknown service event {body.get('data')!r}", "data"
                )
            fields["data"] = body["data"]
        if kind == "decide":
            fields["data"] = self.data(body)
            fields["to"] = self.register(body, "to", body.get("to"))
            fields["purpose"] = self.enum(
                Purpose, body.get("purpose", "care"), body, "purpose", "purpose"
            )
        reminders = None
        if "reminders" in item:
            value = item["reminders"]
            known = {"permission-missing", "permission-renew"}
            if not isinstance(value, list) or any(
                not _is_name(v) or v not in known for v in value
            ):
                self.fail(
                    item,
                    f"reminders: {value!r} is not a list of "
                    "permission-missing, permission-renew",
                    "reminders",
                )
            reminders = tuple(value)
        expect = self.expectation(item, kind, required=True)
        reason = self.reason(item, kind) if kind == "decide" else None
        if "reason" in item and kind != "decide":
            self.fail(item, f"a {kind} check has no reason", "reason")
        return Step(item.line, at, kind, fields, expect, reason, reminders)

    def data(self, body: _Mapping) -> Any:
        value = body.get("data")
        if isinstance(value, str) or value is None:
            if not _is_name(value) or value not in self.events:
                self.fail(body, f"data: unknown service event {value!r}", "data")
            return value
        if not isinstance(value, _Mapping):
            self.fail(
                body, f"data: {value!r} is neither an alias nor a mapping", "data"
            )
        self.keys(value, {"person", "register", "sector", "date", "kanta"}, "data")
        sector = value.get("sector")
        parsed_sector = (
            None
            if sector is None
            else self.enum(Sector, sector, value, "sector", "sector")
        )
        register = value.get("register")
        if parsed_sector is Sector.WELLBEING:
            if register is not None:
                self.fail(value, "wellbeing data has no register", "register")
        else:
            register = self.register(value, "register", register)
        return {
            "person": self.person(value, "person", value.get("person")),
            "register": register,
            "sector": parsed_sector,
            "date": self.optional_day(value, "date"),
            "kanta": self.boolean(value, "kanta", True),
        }
