"""Every kind of import refuses a text longer than its column, on both stores.

PostgreSQL cut such a value short where the bulk insert cast it to
varchar(n): a unit of 150 characters was stored as its first 100, an id of
80 as its first 64, and the file's rerun refused the row or failed on the
unique key. Each row is taken whole or reported: the report names the line,
the field and the value's length (domain/sizes.py), and the rest of the file
is imported; a value at its column's size is stored whole, so that a rerun
finds every taken row unchanged.
"""

from __future__ import annotations

import pytest
from cli_driver import Cli
from import_files import ADULT, CHILD, GOOD, HEADERS, KINDS, SECOND
from sqlalchemy import select

from kanta_consent.adapters.sql.tables import ChoiceRow

# Every column of each kind, so that each sized one can be written.
COLUMNS = {
    **HEADERS,
    "registers": "id,organisation,kind,kanta_from,name,oid",
    "legacy-choices": (
        "type,person,date,id,unit,target_kind,target_ref,emergency_allowed"
    ),
}


def oid(length: int) -> str:
    """Returns an OID (digits and dots) of exactly that many characters."""
    arcs = "1" + ".2" * ((length - 1) // 2)
    return arcs if len(arcs) == length else arcs[:-1] + "33"


# kind, field, its size, a good row (its field at the size where the kind
# stores it as written), and a row whose field is one character longer.
CASES = [
    ("organisations", "id", 100, f"{'o' * 100},Org,no,,", f"{'o' * 101},Org,no,,"),
    (
        "organisations",
        "name",
        200,
        f"named,{'n' * 200},no,,",
        f"named-2,{'n' * 201},no,,",
    ),
    (
        "organisations",
        "business_id",
        9,
        "kela,Kela,yes,,0828255-9",
        # A valid business id still, as spaces go, but not as the store holds it.
        "kela-2,Kela,yes,,0828255 -9",
    ),
    (
        "registers",
        "id",
        100,
        f"{'r' * 100},varha,public-health,,,",
        f"{'r' * 101},varha,public-health,,,",
    ),
    (
        "registers",
        "organisation",
        100,
        "own,varha,public-health,,,",
        f"other,{'o' * 101},public-health,,,",
    ),
    (
        "registers",
        "name",
        200,
        f"named,varha,public-health,,{'n' * 200},",
        f"named-2,varha,public-health,,{'n' * 201},",
    ),
    (
        "registers",
        "oid",
        200,
        f"with-oid,varha,public-health,,,{oid(200)}",
        f"with-oid-2,varha,public-health,,,{oid(201)}",
    ),
    (
        "joint-areas",
        "area",
        100,
        f"{'a' * 100},varha-health",
        f"{'a' * 101},vsshp-health",
    ),
    ("joint-areas", "register", 100, "area,varha-health", f"area,{'r' * 101}"),
    (
        "purchased-services",
        "producer",
        100,
        "terveys-health,varha-health",
        f"{'r' * 101},varha-health",
    ),
    (
        "purchased-services",
        "for_register",
        100,
        "terveys-health,vsshp-health",
        f"terveys-health,{'r' * 101}",
    ),
    ("people", "name", 200, f"{ADULT},{'n' * 200},no", f"{SECOND},{'n' * 201},no"),
    # An identity code is parsed into one that fits; a text too long to be
    # one is refused before it is parsed.
    ("people", "code", 20, f"{ADULT},Aino,no", f"{'1' * 21},Aino,no"),
    (
        "guardianships",
        "guardian",
        20,
        f"{ADULT},{CHILD},2015-06-15,,no",
        f"{'1' * 21},{CHILD},2016-01-01,,no",
    ),
    (
        "mandates",
        "principal",
        20,
        f"{SECOND},{ADULT},2020-01-01,,",
        f"{SECOND},{'1' * 21},2021-01-01,,",
    ),
    (
        "events",
        "id",
        100,
        f"{'e' * 100},{ADULT},varha-health,2022-03-01,yes,,,",
        f"{'e' * 101},{ADULT},varha-health,2022-03-01,yes,,,",
    ),
    (
        "events",
        "register",
        100,
        f"ev-9,{ADULT},varha-health,2022-03-01,yes,,,",
        f"ev-8,{ADULT},{'r' * 101},2022-03-01,yes,,,",
    ),
    (
        "events",
        "recorded_by",
        100,
        f"ev-9,{ADULT},varha-health,2022-03-01,yes,,,vsshp",
        f"ev-8,{ADULT},varha-health,2022-03-01,yes,,,{'o' * 101}",
    ),
    (
        "legacy-choices",
        "id",
        64,
        f"informing,{ADULT},2019-01-10,{'c' * 64},,,,",
        f"informing,{SECOND},2019-01-10,{'c' * 65},,,,",
    ),
    (
        "legacy-choices",
        "unit",
        100,
        f"informing,{ADULT},2019-01-10,,{'u' * 100},,,",
        f"consent,{SECOND},2019-02-01,,{'u' * 101},,,",
    ),
    (
        "legacy-choices",
        "target_ref",
        100,
        f"informing,{ADULT},2019-01-10,,,,,",
        f"prohibition,{ADULT},2019-03-01,,,organisation,{'o' * 101},no",
    ),
]


def load(cli: Cli, kind: str) -> None:
    for before in KINDS[: KINDS.index(kind)]:
        path = cli.csv(f"{before}.csv", HEADERS[before], *GOOD[before])
        assert cli.run("import", before, path).exit_code == 0


@pytest.mark.parametrize(
    ("kind", "field", "size", "good", "too_long"),
    CASES,
    ids=[f"{kind}-{field}" for kind, field, *_ in CASES],
)
def test_a_value_longer_than_its_column_is_reported_and_the_rest_imported(
    cli: Cli, kind: str, field: str, size: int, good: str, too_long: str
) -> None:
    load(cli, kind)
    path = cli.csv(f"{kind}-sizes.csv", COLUMNS[kind], too_long, good)

    result = cli.run("import", kind, path)

    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"refused line 2: {field} '{size + 1} characters': "
        f"is longer than {size} characters",
        f"{kind}: 2 rows; 1 added, 0 updated, 0 unchanged, 1 refused (were written: 1)",
    ]


@pytest.mark.parametrize(
    ("kind", "good"),
    [(kind, good) for kind, _, _, good, _ in CASES],
    ids=[f"{kind}-{field}" for kind, field, *_ in CASES],
)
def test_a_value_at_its_columns_size_is_stored_whole_and_found_unchanged(
    cli: Cli, kind: str, good: str
) -> None:
    load(cli, kind)
    path = cli.csv(f"{kind}-sizes.csv", COLUMNS[kind], good)
    assert cli.run("import", kind, path).exit_code == 0

    result = cli.run("import", kind, path)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{kind}: 1 row; 0 added, 0 updated, 1 unchanged, 0 refused (were written: 0)"
    ]


def test_log_3_an_earlier_law_choice_keeps_its_64_character_id_and_unit_whole(
    cli: Cli,
) -> None:
    load(cli, "legacy-choices")
    choice_id, unit = "c" * 64, "u" * 100
    path = cli.csv(
        "legacy.csv",
        COLUMNS["legacy-choices"],
        f"informing,{ADULT},2019-01-10,{choice_id},{unit},,,",
        f"informing,{SECOND},2019-01-10,{'c' * 80},{'u' * 150},,,",
    )

    result = cli.run("import", "legacy-choices", path)
    again = cli.run("import", "legacy-choices", path)

    assert (result.exit_code, again.exit_code) == (1, 1)
    assert again.stdout.splitlines()[-1] == (
        "legacy-choices: 2 rows; 0 added, 0 updated, 1 unchanged, 1 refused "
        "(were written: 0)"
    )
    with cli.store() as store, store.engine.connect() as conn:
        stored = conn.execute(select(ChoiceRow.id, ChoiceRow.actor_unit)).all()
    assert [tuple(row) for row in stored] == [(choice_id, unit)]
