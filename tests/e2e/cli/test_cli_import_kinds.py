"""`kanta-consent import KIND FILE` for every kind, on SQLite and PostgreSQL.

For each kind: bad rows (malformed identity code, unknown reference, date
in the wrong form, duplicate) are reported with line and field while every
good row of the file is stored; running a file again changes nothing; and
`--dry-run` writes nothing.
"""

from __future__ import annotations

import pytest
from cli_driver import Cli
from import_files import (
    ADULT,
    CHILD,
    GOOD,
    HEADERS,
    KINDS,
    MALFORMED,
    SECOND,
    STRANGER,
    THIRD,
    refused,
    summary,
)
from sqlalchemy import func, inspect, select, table

from kanta_consent.domain.choices import (
    Acknowledgement,
    PermissionGranted,
    ProhibitionGiven,
)
from kanta_consent.domain.codes import Origin, Scope, Sector


def load(cli: Cli, *kinds: str) -> None:
    assert cli.run("db", "upgrade").exit_code == 0
    for kind in kinds:
        path = cli.csv(f"{kind}.csv", HEADERS[kind], *GOOD[kind])
        result = cli.run("import", kind, path)
        assert result.exit_code == 0, result.output


def before(kind: str) -> tuple[str, ...]:
    return KINDS[: KINDS.index(kind)]


def counts(cli: Cli) -> dict[str, int]:
    # The tables the database has, which the models may be ahead of.
    with cli.store() as store, store.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {
            name: conn.execute(
                select(func.count()).select_from(table(name))
            ).scalar_one()
            for name in names
        }


def counted(rows: int) -> str:
    """The summary's count of rows: "1 row", "2 rows"."""
    return "1 row" if rows == 1 else f"{rows} rows"


def run_with_bad_rows(cli: Cli, kind: str, *bad: str) -> list[tuple[int, str]]:
    load(cli, *before(kind))
    path = cli.csv(f"{kind}-bad.csv", HEADERS[kind], *GOOD[kind], *bad)

    result = cli.run("import", kind, path)

    assert result.exit_code == 1, result.output
    good, rows = len(GOOD[kind]), len(GOOD[kind]) + len(bad)
    assert summary(result) == (
        f"{kind}: {counted(rows)}; {good} added, 0 updated, 0 unchanged, "
        f"{len(bad)} refused (were written: {good})"
    )
    return refused(result)


# Every kind: a rerun changes nothing; a dry run writes nothing.


@pytest.mark.parametrize("kind", KINDS)
def test_importing_the_same_file_again_changes_nothing(cli: Cli, kind: str) -> None:
    load(cli, *before(kind), kind)
    stored = counts(cli)
    path = cli.csv(f"{kind}.csv", HEADERS[kind], *GOOD[kind])

    result = cli.run("import", kind, path)

    assert result.exit_code == 0, result.output
    good = len(GOOD[kind])
    assert summary(result) == (
        f"{kind}: {counted(good)}; 0 added, 0 updated, {good} unchanged, "
        "0 refused (were written: 0)"
    )
    assert counts(cli) == stored


@pytest.mark.parametrize("kind", KINDS)
def test_a_dry_run_reports_every_row_and_writes_nothing(cli: Cli, kind: str) -> None:
    load(cli, *before(kind))
    stored = counts(cli)
    path = cli.csv(f"{kind}.csv", HEADERS[kind], *GOOD[kind], "")

    result = cli.run("import", kind, path, "--dry-run")

    assert result.exit_code == 0, result.output
    good = len(GOOD[kind])
    assert summary(result) == (
        f"{kind}: {counted(good)}; {good} added, 0 updated, 0 unchanged, "
        f"0 refused (would be written: {good})"
    )
    assert counts(cli) == stored


# The directory


def test_pro_8_organisations_keep_the_day_one_ended_and_bad_rows_are_reported(
    cli: Cli,
) -> None:
    problems = run_with_bad_rows(
        cli,
        "organisations",
        "hus,HUS,yes,31.12.2022,",
        "tyks,TYKS,maybe,,",
        "vsshp,Again,yes,2022-12-31,",
        "kela,Kela,yes,,1234567-0",
    )

    assert problems == [(5, "ended"), (6, "public"), (7, "row"), (8, "business_id")]
    with cli.store() as store:
        organisations = store.directory().organisations
    assert sorted(organisations) == ["terveys-oy", "varha", "vsshp"]
    assert str(organisations["vsshp"].ended) == "2022-12-31"
    assert organisations["vsshp"].business_id == "0828255-9"
    assert organisations["terveys-oy"].public is False


def test_registers_with_an_unknown_organisation_or_a_bad_day_are_reported(
    cli: Cli,
) -> None:
    problems = run_with_bad_rows(
        cli,
        "registers",
        "hus-health,hus,public-health,,",
        "varha-social-2,varha,public-social,2024/01/01,",
        "varha-health,varha,public-health,,",
        "terveys-public,terveys-oy,public-health,,",
    )

    assert problems == [(6, "organisation"), (7, "kanta_from"), (8, "row"), (9, "kind")]
    with cli.store() as store:
        registers = store.directory().registers
    assert sorted(registers) == [
        "terveys-health",
        "varha-health",
        "varha-social",
        "vsshp-health",
    ]
    assert str(registers["varha-social"].kanta_from) == "2024-01-01"


def test_a_registers_oid_is_kept_and_a_malformed_one_reported(cli: Cli) -> None:
    organisations = cli.csv("o.csv", HEADERS["organisations"], *GOOD["organisations"])
    cli.run("import", "organisations", organisations)
    registers = cli.csv(
        "r.csv",
        "id,organisation,kind,oid",
        "varha-health,varha,public-health,1.2.246.10.1234567.10.1",
        "varha-social,varha,public-social,not-an-oid",
    )

    result = cli.run("import", "registers", registers)

    assert result.exit_code == 1
    assert "line 3: oid 'not-an-oid'" in result.output
    with cli.store() as store:
        held = store.directory().registers
    assert sorted(held) == ["varha-health"]
    assert held["varha-health"].oid == "1.2.246.10.1234567.10.1"


def test_joint_areas_naming_an_unknown_register_are_reported(cli: Cli) -> None:
    problems = run_with_bad_rows(
        cli, "joint-areas", "vs-area,nosuch", "vs-area,varha-health", "x y,varha"
    )

    assert problems == [(4, "register"), (5, "row"), (6, "area")]
    with cli.store() as store:
        areas = store.directory().joint_areas
    assert areas["varha-health"] == frozenset({"vs-area"})
    assert areas["vsshp-health"] == frozenset({"vs-area"})


def test_purchased_services_naming_an_unknown_register_are_reported(
    cli: Cli,
) -> None:
    problems = run_with_bad_rows(
        cli,
        "purchased-services",
        "nosuch,varha-health",
        "terveys-health,varha-health",
        "varha-health,varha-health",
    )

    assert problems == [(3, "producer"), (4, "row"), (5, "for_register")]
    with cli.store() as store:
        directory = store.directory()
    assert directory.is_purchased_service("terveys-health", "varha-health")


# People and their representatives


def test_people_with_a_malformed_code_or_twice_in_a_file_are_reported(
    cli: Cli,
) -> None:
    problems = run_with_bad_rows(
        cli,
        "people",
        f"{MALFORMED},Malformed,no",
        f"{ADULT},Aino Again,no",
        f"{STRANGER},Eero Testi,maybe",
    )

    assert problems == [(6, "code"), (7, "row"), (8, "safety_ban")]
    with cli.store() as store:
        people = store.find_people([ADULT, SECOND, CHILD, THIRD, STRANGER])
    assert sorted(people) == sorted([ADULT, SECOND, CHILD, THIRD])
    assert people[SECOND].safety_ban is True
    assert people[ADULT].name == "Aino Testi"


def test_guardianships_with_bad_codes_people_or_days_are_reported(cli: Cli) -> None:
    problems = run_with_bad_rows(
        cli,
        "guardianships",
        f"{MALFORMED},{CHILD},2015-06-15,,no",
        f"{STRANGER},{CHILD},2015-06-15,,no",
        f"{SECOND},{CHILD},15.6.2015,,no",
        f"{ADULT},{CHILD},2015-06-15,,yes",
        f"{SECOND},{CHILD},2014-01-01,,no",
    )

    assert problems == [
        (3, "guardian"),
        (4, "guardian"),
        (5, "starts"),
        (6, "row"),
        (7, "starts"),
    ]
    with cli.store() as store:
        held = store.guardianships_of([CHILD])
    assert [(g.guardian, g.blocked) for g in held] == [(ADULT, False)]


def test_mandates_with_bad_codes_people_or_days_are_reported(cli: Cli) -> None:
    problems = run_with_bad_rows(
        cli,
        "mandates",
        f"{MALFORMED},{ADULT},2020-01-01,,",
        f"{SECOND},{STRANGER},2020-01-01,,",
        f"{THIRD},{ADULT},2020-1-1,,",
        f"{SECOND},{ADULT},2020-01-01,2031-01-01,",
    )

    assert problems == [(3, "holder"), (4, "principal"), (5, "starts"), (6, "row")]
    with cli.store() as store:
        held = store.mandates_of([ADULT])
    assert [(m.holder, str(m.until)) for m in held] == [(SECOND, "2030-01-01")]


# Service events


def test_pro_8_events_keep_the_ended_organisation_that_recorded_them(
    cli: Cli,
) -> None:
    problems = run_with_bad_rows(
        cli,
        "events",
        f"ev-4,{MALFORMED},varha-health,2022-03-01,yes,,,",
        f"ev-5,{ADULT},nosuch,2022-03-01,yes,,,",
        f"ev-6,{ADULT},varha-health,01.03.2022,yes,,,",
        f"ev-1,{ADULT},varha-health,2022-03-01,yes,,,vsshp",
        f"ev-7,{ADULT},varha-health,2022-03-01,yes,,,nosuch",
        f"ev-8,{STRANGER},varha-health,2022-03-01,yes,,,",
    )

    assert problems == [
        (5, "person"),
        (6, "register"),
        (7, "date"),
        (8, "row"),
        (9, "recorded_by"),
        (10, "person"),
    ]
    with cli.store() as store:
        events = store.find_events(["ev-1", "ev-2", "ev-3", "ev-4", "ev-5", "ev-6"])
    assert sorted(events) == ["ev-1", "ev-2", "ev-3"]
    assert events["ev-1"].recorded_by == "vsshp"
    assert events["ev-2"].capacity is not None
    assert events["ev-3"].task == "older-people"


# Choices under the earlier law


def test_inf_5_per_4_pro_4_earlier_law_choices_are_stored_as_they_were_made(
    cli: Cli,
) -> None:
    problems = run_with_bad_rows(
        cli,
        "legacy-choices",
        f"informing,{MALFORMED},2019-01-10,,,",
        f"informing,{STRANGER},2019-01-10,,,",
        f"consent,{THIRD},10.1.2019,,,",
        f"informing,{ADULT},2019-01-10,,,",
        f"consent,{THIRD},2022-01-10,,,",
        f"prohibition,{THIRD},2019-03-01,organisation,vsshp,no",
    )

    assert problems == [
        (5, "person"),
        (6, "person"),
        (7, "date"),
        (8, "row"),
        (9, "date"),
        (10, "date"),
    ]
    with cli.store() as store:
        adult = list(store.choices_of(ADULT))
        second = list(store.choices_of(SECOND))
        third = list(store.choices_of(THIRD))
        logged = [e["kind"] for e in store.log_entries()]
    informing, prohibition = adult
    assert isinstance(informing, Acknowledgement)
    assert informing.version is None
    assert informing.origin is Origin.LEGACY
    assert isinstance(prohibition, ProhibitionGiven)
    assert Sector.HEALTH in prohibition.sectors
    (consent,) = second
    assert isinstance(consent, PermissionGranted)
    assert consent.scope is Scope.HEALTH
    assert consent.origin is Origin.LEGACY
    assert third == []
    assert logged == ["notice_acknowledged", "permission_granted", "prohibition_given"]


# Files that cannot be imported at all


def test_an_unknown_kind_is_refused_naming_the_known_ones(sqlite_cli: Cli) -> None:
    path = sqlite_cli.csv("people.csv", HEADERS["people"], *GOOD["people"])

    result = sqlite_cli.run("import", "persons", path)

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "error: kind 'persons': not one of " + ", ".join(KINDS)
    )


def test_a_header_missing_a_column_refuses_the_whole_file_and_writes_nothing(
    sqlite_cli: Cli,
) -> None:
    path = sqlite_cli.csv("people.csv", "name,safety_ban,colour", "Aino,no,red")

    result = sqlite_cli.run("import", "people", path)

    assert result.exit_code == 2
    assert "missing column(s) code; unknown column(s) colour" in result.stderr
    assert counts(sqlite_cli)["persons"] == 0


def test_a_file_that_is_not_utf_8_is_refused_naming_it(sqlite_cli: Cli) -> None:
    path = sqlite_cli.folder / "people.csv"
    path.write_bytes("code,name\n010180-9015,Äijä\n".encode("latin-1"))

    result = sqlite_cli.run("import", "people", str(path))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"error: {path}: is not UTF-8 text"


def test_a_row_that_differs_from_the_stored_one_updates_only_it(cli: Cli) -> None:
    load(cli, "people")
    rows = [*GOOD["people"][:-1], GOOD["people"][-1].replace(",no", ",yes")]
    path = cli.csv("people-changed.csv", HEADERS["people"], *rows)

    result = cli.run("import", "people", path)

    assert result.exit_code == 0, result.output
    assert summary(result) == (
        "people: 4 rows; 0 added, 1 updated, 3 unchanged, 0 refused (were written: 1)"
    )
    with cli.store() as store:
        assert store.find_people([THIRD])[THIRD].safety_ban is True
