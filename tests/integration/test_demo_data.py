"""The demo population: test codes only, deterministic, realistic, importable.

The generated files are imported through the operator's import services on
SQLite and PostgreSQL; not one row may be refused.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kanta_consent.adapters.sql import SqlStore
from kanta_consent.bootstrap import demo_identities, is_empty
from kanta_consent.domain.codes import Capacity, Purpose, Reason, Sector
from kanta_consent.domain.identity import HELSINKI, eighteenth_birthday
from kanta_consent.domain.identity import parse_identity_code as parse
from kanta_consent.services.demo_directory import JOINT_AREA, build_directory
from kanta_consent.services.demo_load import load_demo
from kanta_consent.services.demo_people import ROLES
from kanta_consent.services.demo_population import (
    HEADERS,
    csv_sink,
    files_of,
    generate,
)
from kanta_consent.services.import_kinds import KINDS, make_kind
from kanta_consent.services.imports import import_file

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 9, 30, tzinfo=HELSINKI)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
CODE_COLUMNS = {
    "people": ("code",),
    "guardianships": ("guardian", "child"),
    "mandates": ("holder", "principal"),
    "events": ("person",),
    "legacy-choices": ("person",),
}


class Rows:
    """A sink that keeps the generated rows by kind, as dicts of columns."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)

    def row(self, kind: str, values: Sequence[str]) -> None:
        self.by_kind[kind].append(dict(zip(HEADERS[kind], values, strict=True)))


def population(people: int, seed: int = 7) -> Rows:
    rows = Rows()
    generate(rows, people, TODAY, seed=seed)
    return rows


@pytest.fixture(scope="module")
def crowd() -> Rows:
    """Three thousand people, generated once for the module."""
    return population(3000)


def age(code: str, on: date) -> int:
    return parse(code).age_at(datetime.combine(on, datetime.min.time(), HELSINKI))


def test_id_3_every_generated_identity_code_is_a_valid_test_code(
    crowd: Rows,
) -> None:
    codes = [
        row[column]
        for kind, columns in CODE_COLUMNS.items()
        for row in crowd.by_kind[kind]
        for column in columns
    ]

    parsed = [parse(code) for code in codes]

    assert len(codes) > 3000
    assert all(code.is_test_code for code in parsed)


def test_id_1_generated_people_have_distinct_codes_spread_over_birth_dates(
    crowd: Rows,
) -> None:
    codes = [row["code"] for row in crowd.by_kind["people"]]

    assert len(codes) == 3000
    assert len(set(codes)) == len(codes)
    assert len({parse(c).birth_date for c in codes}) > 1000


def test_the_same_seed_and_day_give_the_same_files_and_another_seed_others() -> None:
    first, again, other = population(300, 1), population(300, 1), population(300, 2)

    assert first.by_kind == again.by_kind
    assert first.by_kind["people"] != other.by_kind["people"]


def test_families_have_children_of_every_age_under_guardianship(crowd: Rows) -> None:
    children = {row["child"] for row in crowd.by_kind["guardianships"]}
    ages = {age(code, TODAY) for code in children}

    people = [row["code"] for row in crowd.by_kind["people"]]
    share = sum(age(code, TODAY) < 18 for code in people) / len(people)

    assert ages == set(range(18))
    assert 0.15 < share < 0.35


def test_some_minors_turn_18_within_a_month_min_5(crowd: Rows) -> None:
    soon = [
        row["code"]
        for row in crowd.by_kind["people"]
        if TODAY
        < eighteenth_birthday(parse(row["code"]).birth_date)
        <= TODAY + timedelta(days=30)
    ]

    assert len(soon) >= 10


def test_inf_5_about_85_percent_of_adults_were_informed_and_under_1_prohibited(
    crowd: Rows,
) -> None:
    adults = {
        row["code"] for row in crowd.by_kind["people"] if age(row["code"], TODAY) >= 18
    }
    by_type: dict[str, set[str]] = defaultdict(set)
    for row in crowd.by_kind["legacy-choices"]:
        by_type[row["type"]].add(row["person"])

    informed = len(by_type["informing"] & adults) / len(adults)
    prohibited = len(by_type["prohibition"]) / len(adults)

    assert 0.8 < informed < 0.9
    assert 0 < prohibited < 0.01
    assert by_type["consent"] <= by_type["informing"]
    assert all(row["date"] < "2021-11-01" for row in crowd.by_kind["legacy-choices"])


def test_rep_7_minors_events_from_age_10_carry_every_capacity_mark_or_none(
    crowd: Rows,
) -> None:
    marks = Counter(
        row["capacity"]
        for row in crowd.by_kind["events"]
        if 10 <= age(row["person"], date.fromisoformat(row["date"])) < 18
    )
    younger = {
        row["capacity"]
        for row in crowd.by_kind["events"]
        if age(row["person"], date.fromisoformat(row["date"])) < 10
    }

    assert set(marks) == {"", *(c.value for c in Capacity)}
    assert younger == {""}


def test_several_years_of_events_with_tasks_on_social_ones_only(crowd: Rows) -> None:
    kinds = {r.id: r.kind for r in build_directory().registers}
    events = crowd.by_kind["events"]
    social = [e for e in events if kinds[e["register"]].sector is Sector.SOCIAL]

    years = {e["date"][:4] for e in events}

    assert len(events) > 10 * 3000 / 2
    assert len(years) >= 6
    assert social and all(e["task"] for e in social)
    assert all(not e["task"] for e in events if e not in social)


def test_pro_8_events_before_2023_name_the_predecessor_that_recorded_them(
    crowd: Rows,
) -> None:
    directory = build_directory()
    ended = {o.id: o.successor for o in directory.organisations if o.ended}
    owners = {r.id: r.organisation for r in directory.registers}

    recorded = [e for e in crowd.by_kind["events"] if e["recorded_by"]]

    assert len(recorded) > 100
    assert all(e["date"] < "2023-01-01" for e in recorded)
    assert all(ended[e["recorded_by"]] == owners[e["register"]] for e in recorded)


def test_directory_holds_the_shared_public_organisers_and_their_predecessors() -> None:
    directory = build_directory()
    organisations = {o.id: o for o in directory.organisations}
    with (SHARED / "public-organisers.csv").open(encoding="utf-8") as handle:
        public = list(csv.DictReader(handle))
    with (SHARED / "predecessor-organisers.csv").open(encoding="utf-8") as handle:
        ended = list(csv.DictReader(handle))

    for row in public:
        made = organisations[row["id"]]
        assert (made.name, made.business_id, made.public) == (
            row["name_fi"],
            row["business_id"],
            True,
        )
    for row in ended:
        made = organisations[row["id"]]
        assert (made.name, made.business_id, made.successor) == (
            row["name_fi"],
            row["business_id"],
            row["successor"],
        )
        assert made.ended == date(2022, 12, 31)
    assert {o.id for o in directory.organisations if not o.public}


def test_dis_8_the_joint_area_is_uusimaa_public_health_and_inf_7_social_later() -> None:
    directory = build_directory()
    with (SHARED / "public-organisers.csv").open(encoding="utf-8") as handle:
        uusimaa = {r["id"] for r in csv.DictReader(handle) if r["area"] == "uusimaa"}
    kinds = {r.id: r for r in directory.registers}

    members = {register for area, register in directory.joint_area}
    social = [r for r in directory.registers if r.kind.sector is Sector.SOCIAL]

    assert {a for a, _ in directory.joint_area} == {JOINT_AREA}
    assert {kinds[m].organisation for m in members} == uusimaa
    assert {kinds[m].kind.value for m in members} == {"public-health"}
    assert all(
        r.kanta_from is not None and r.kanta_from >= date(2023, 11, 30) for r in social
    )


def test_every_generated_file_has_the_columns_of_its_import_kind() -> None:
    assert list(HEADERS) == list(KINDS)
    for kind, columns in HEADERS.items():
        made = make_kind(kind, NOW)
        assert set(made.required) <= set(columns)
        assert set(columns) <= set(made.required) | set(made.optional)


def test_generated_files_import_without_a_refused_row(
    store: SqlStore, tmp_path: Path
) -> None:
    with csv_sink(tmp_path) as sink:
        counts = generate(sink, 800, TODAY, seed=11)

    reports = [import_file(store, k, path, NOW) for k, path in files_of(tmp_path)]
    again = [import_file(store, k, path, NOW) for k, path in files_of(tmp_path)]

    assert [(r.kind, r.problems) for r in reports] == [(k, []) for k in KINDS]
    assert {r.kind: r.added for r in reports} == counts.rows
    assert sum(r.added + r.updated for r in again) == 0


def test_demo_load_lists_the_curated_people_as_the_store_finds_them_again(
    store: SqlStore, tmp_path: Path
) -> None:
    loaded = load_demo(store, NOW, 300, tmp_path / "demo")

    found = demo_identities(store)
    almost = eighteenth_birthday(
        parse(loaded.counts.curated["almost-adult"]).birth_date
    )

    assert found == loaded.identities
    assert [i.code for i in found] == [loaded.counts.curated[r.key] for r in ROLES]
    assert ("A 17-year-old who turns 18 on %(adult_on)s", {"adult_on": almost}) in [
        (i.description, dict(i.parameters)) for i in found
    ]


def test_curated_people_each_show_their_situation(
    store: SqlStore, tmp_path: Path
) -> None:
    curated = load_demo(store, NOW, 300, tmp_path / "demo").counts.curated
    child = curated["child-12"]
    tenth = parse(child).birth_date.replace(year=parse(child).birth_date.year + 10)

    events = store.events_of(child)
    later = {e.capacity for e in events if e.recorded >= tenth}
    almost = eighteenth_birthday(parse(curated["almost-adult"]).birth_date)
    log = list(store.log_entries(curated["emergency"]))

    assert any(e.recorded < tenth for e in events)
    assert later == {None, *Capacity}
    assert TODAY < almost <= TODAY + timedelta(days=7)
    assert 190 <= len(store.events_of(curated["many-events"])) <= 230
    assert store.choices_of(curated["prohibition"]).as_of(NOW).prohibitions
    assert store.choices_of(curated["permission"]).as_of(NOW).permissions
    pending = store.choices_of(curated["unacknowledged"]).as_of(NOW)
    assert pending.informed
    assert all(a.version is None for a in pending.acknowledgements)
    assert [
        (e["body"]["purpose"], e["body"]["reason"])
        for e in log
        if e["kind"] == "decision_made"
    ] == [(Purpose.EMERGENCY.value, Reason.EMERGENCY.value)]


class Stopped(Exception):
    """Stands for a start stopped halfway through the load."""


def test_a_demo_load_stopped_halfway_leaves_the_store_empty_for_the_next_start(
    store: SqlStore, tmp_path: Path
) -> None:
    def stop_at_events(step: str, done: int, total: int) -> None:
        if step == "events":
            raise Stopped

    with pytest.raises(Stopped):
        load_demo(store, NOW, 200, tmp_path / "demo", progress=stop_at_events)

    assert is_empty(store)
    assert list(store.log_entries()) == []
    assert load_demo(store, NOW, 200, tmp_path / "again").identities
