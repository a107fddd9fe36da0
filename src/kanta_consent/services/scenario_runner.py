"""Running scenarios: a fresh store each, driven through the same services.

The runner only sets the stage and compares answers; every rule is decided
by `ConsentService`, exactly as for the portal and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kanta_consent.domain.calendar import Calendar, calendar_with_overrides
from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import Sector
from kanta_consent.domain.decide import Data
from kanta_consent.domain.errors import DomainError, Refused
from kanta_consent.domain.model import (
    Guardianship,
    Mandate,
    Organisation,
    Register,
    ServiceEvent,
)
from kanta_consent.services.consent import (
    ActorRef,
    CareActor,
    ConsentService,
    PortalActor,
)
from kanta_consent.services.errors import ServiceError
from kanta_consent.services.ports import Store
from kanta_consent.services.scenario_file import (
    Scenario,
    ScenarioFormatError,
    Step,
    load_scenario,
)

StoreFactory = Callable[[Calendar], Store]


@dataclass(frozen=True, slots=True)
class StepFailure:
    """A step whose answer was not the one expected."""

    number: int
    line: int
    expected: str
    actual: str


@dataclass
class ScenarioResult:
    """The outcome of one scenario file."""

    path: str
    name: str
    failures: list[StepFailure] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Tells whether every step answered as expected."""
        return self.error is None and not self.failures


def scenario_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Yields the scenario files of the paths; folders are searched for *.yaml."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.yaml"))
        else:
            yield path


def run_file(path: Path, stores: StoreFactory) -> ScenarioResult:
    """Loads and runs one file; a broken file is a failed result, never a crash."""
    try:
        scenario = load_scenario(path)
    except ScenarioFormatError as error:
        return ScenarioResult(
            str(path), "", error=f"{path}:{error.line}: {error.message}"
        )
    except OSError as error:
        return ScenarioResult(str(path), "", error=f"{path}: {error.strerror}")
    except Exception as error:
        return _unforeseen(path, "", error)
    try:
        return run_scenario(scenario, stores)
    except Exception as error:
        return _unforeseen(path, scenario.name, error)


def _unforeseen(path: Path, name: str, error: Exception) -> ScenarioResult:
    # One file's unforeseen failure must not stop the files after it; it is
    # reported, with its kind, as that file's failure.
    kind = type(error).__name__
    return ScenarioResult(str(path), name, error=f"{path}: {kind}: {error}")


def run_scenario(scenario: Scenario, stores: StoreFactory) -> ScenarioResult:
    """Runs one scenario in a fresh store."""
    calendar = calendar_with_overrides(scenario.settings, scenario.notice_versions)
    store = stores(calendar)
    _stage(scenario, store)
    runner = _Runner(scenario, ConsentService(store))
    result = ScenarioResult(scenario.path, scenario.name)
    for number, step in enumerate(scenario.steps, start=1):
        try:
            expected, actual = runner.run(step)
        except (DomainError, ServiceError) as error:
            expected, actual = _describe_expected(step), f"error: {error}"
        if expected != actual:
            result.failures.append(StepFailure(number, step.line, expected, actual))
    return result


def _describe_expected(step: Step) -> str:
    if step.kind == "do":
        return "refused" if step.expect == "refused" else "done"
    return str(step.expect)


def _stage(scenario: Scenario, store: Store) -> None:
    from kanta_consent.domain.identity import parse_identity_code
    from kanta_consent.domain.model import Person

    people = scenario.people
    with store.transaction():
        for code in people.values():
            store.add_person(Person(parse_identity_code(code)))
        for alias, spec in scenario.organisations.items():
            store.add_organisation(Organisation(alias, spec.public, spec.ended, alias))
            for name, kind in spec.registers.items():
                store.add_register(
                    Register(name, alias, kind, scenario.kanta_from.get(name), name)
                )
        for area, members in scenario.joint_areas.items():
            store.add_joint_area(area, members)
        for producer, for_register in scenario.purchased:
            store.add_purchased_service(producer, for_register)
        for relation in scenario.relations:
            first, second = people[relation.first], people[relation.second]
            if relation.kind == "guardianship":
                store.add_guardianship(
                    Guardianship(
                        first, second, relation.starts, relation.until, relation.blocked
                    )
                )
            else:
                store.add_mandate(
                    Mandate(
                        first, second, relation.starts, relation.until, relation.revoked
                    )
                )
        for alias, event in scenario.events.items():
            store.add_event(
                ServiceEvent(
                    alias,
                    people[event.person],
                    event.register,
                    event.recorded,
                    event.kanta,
                    event.capacity,
                    event.task,
                    event.recorded_by,
                )
            )


class _Runner:
    def __init__(self, scenario: Scenario, service: ConsentService) -> None:
        self.scenario = scenario
        self.service = service
        self.choice_ids: dict[str, str] = {}

    def code(self, alias: str) -> str:
        return self.scenario.people[alias]

    def run(self, step: Step) -> tuple[str, str]:
        if step.kind == "do":
            return self.action(step)
        if step.kind == "portal":
            return self.portal(step)
        if step.kind == "decide":
            return self.decide(step)
        return self.sees(step)

    def action(self, step: Step) -> tuple[str, str]:
        fields = step.fields
        actor: ActorRef = (
            CareActor(fields["as"])
            if fields["channel"] == "care"
            else PortalActor(self.code(fields["as"]))
        )
        principal = self.code(fields["for"])
        expected = "refused" if step.expect == "refused" else "done"
        if step.reason is not None:
            expected = f"refused: {step.reason}"
        try:
            self.perform(step, actor, principal)
        except Refused as refusal:
            actual = f"refused: {refusal.code}" if step.reason else "refused"
            if expected == "done":
                actual = f"refused: {refusal.code} ({refusal.rule})"
            return expected, actual
        return expected, "done"

    def perform(self, step: Step, actor: ActorRef, principal: str) -> None:
        fields, at, service = step.fields, step.at, self.service
        verb = fields["verb"]
        if verb == "acknowledge":
            service.acknowledge(actor, principal, at)
        elif verb == "decline":
            service.decline(actor, principal, at)
        elif verb == "grant":
            service.grant(actor, principal, fields["scope"], at)
        elif verb == "withdraw" and "scope" in fields:
            service.withdraw_permission(actor, principal, fields["scope"], at)
        elif verb == "withdraw":
            prohibition = self.choice_ids.get(fields["choice"], fields["choice"])
            service.withdraw_prohibition(actor, principal, prohibition, at)
        else:
            kind, ref = fields["target"]
            choice = service.prohibit(
                actor, principal, Target(kind, ref), at, fields["emergency"]
            )
            if "id" in fields:
                self.choice_ids[fields["id"]] = choice.id

    def portal(self, step: Step) -> tuple[str, str]:
        result = self.service.portal_entry(
            self.code(step.fields["as"]), self.code(step.fields["for"]), step.at
        )
        expected, actual = str(step.expect), result.entry.value
        if step.reminders is not None:
            expected += f" with reminders {sorted(step.reminders)}"
            actual += f" with reminders {sorted(r.value for r in result.reminders)}"
        return expected, actual

    def decide(self, step: Step) -> tuple[str, str]:
        fields = step.fields
        raw = fields["data"]
        if isinstance(raw, str):
            person, data = self.service.event_data(raw)
        else:
            person = self.code(raw["person"])
            data = self.inline_data(raw)
        decision = self.service.decide(
            person, data, fields["to"], fields["purpose"], step.at, disclosure=False
        )
        expected, actual = str(step.expect), decision.outcome.value
        if step.reason is not None:
            expected += f" ({step.reason})"
            actual += f" ({decision.reason.value})"
        return expected, actual

    def inline_data(self, raw: dict[str, object]) -> Data:
        register = raw["register"]
        sector = raw["sector"]
        if sector is None:
            registers = self.service.store.directory().registers
            sector = registers[str(register)].sector
        assert isinstance(sector, Sector)
        return Data(
            sector=sector,
            register=None if register is None else str(register),
            kanta=bool(raw["kanta"]),
            recorded=raw["date"],  # type: ignore[arg-type]
        )

    def sees(self, step: Step) -> tuple[str, str]:
        fields = step.fields
        shown = self.service.sees(
            self.code(fields["as"]), self.code(fields["for"]), fields["data"], step.at
        )
        return str(step.expect), "shown" if shown else "hidden"
