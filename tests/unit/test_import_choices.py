"""Earlier-law choices imported row by row: what a prohibition may rest on.

A prohibition needs an informing or a consent at or before it (PRO-2,
PER-4), stored or earlier in the file; the import keeps, by person, only
the earliest informing or consent of the file, not every row it read.
"""

from __future__ import annotations

from datetime import date, datetime

from builders import hetu

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.codes import RegisterKind
from kanta_consent.domain.identity import HELSINKI, parse_identity_code
from kanta_consent.domain.model import Organisation, Person, Register
from kanta_consent.services.import_choices import LegacyChoices
from kanta_consent.services.imports import ImportReport, Row, import_rows

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)
FIRST = hetu(date(1980, 5, 17), number=901)
SECOND = hetu(date(1975, 2, 14), number=902)
HEADER = ["type", "person", "date", "target_kind", "target_ref"]


def store() -> MemoryStore:
    made = MemoryStore()
    made.add_organisation(Organisation("hus", True))
    made.add_register(Register("hus-health", "hus", RegisterKind.PUBLIC_HEALTH))
    for code in (FIRST, SECOND):
        made.add_person(Person(parse_identity_code(code)))
    return made


def rows(*lines: str) -> list[Row]:
    split = (line.split(",") for line in lines)
    return [
        Row(number, dict(zip(HEADER, values, strict=True)))
        for number, values in enumerate(split, start=2)
    ]


def run(
    kind: LegacyChoices, *lines: str, dry_run: bool = True
) -> tuple[ImportReport, MemoryStore]:
    target = store()
    report = import_rows(
        target, kind, HEADER, rows(*lines), dry_run=dry_run, batch_size=1
    )
    return report, target


def test_pro_2_in_a_dry_run_a_prohibition_rests_on_an_informing_batches_above() -> None:
    report, target = run(
        LegacyChoices(NOW),
        f"informing,{FIRST},2019-01-10,,",
        f"consent,{SECOND},2019-02-01,,",
        f"prohibition,{FIRST},2019-03-01,organisation,hus",
        f"prohibition,{SECOND},2019-03-01,register,hus-health",
    )

    assert (report.added, report.problems) == (4, [])
    assert target.choices == {}


def test_pro_2_the_earliest_informing_counts_though_a_later_one_came_first() -> None:
    report, _ = run(
        LegacyChoices(NOW),
        f"informing,{FIRST},2019-06-01,,",
        f"informing,{FIRST},2019-01-10,,",
        f"prohibition,{FIRST},2019-03-01,organisation,hus",
    )

    assert (report.added, report.problems) == (3, [])


def test_pro_2_an_informing_dated_after_the_prohibition_does_not_carry_it() -> None:
    report, _ = run(
        LegacyChoices(NOW),
        f"informing,{FIRST},2019-06-01,,",
        f"prohibition,{FIRST},2019-03-01,organisation,hus",
    )

    assert [(p.line, p.field) for p in report.problems] == [(3, "date")]


def test_the_import_keeps_one_choice_per_person_not_every_row_it_read() -> None:
    kind = LegacyChoices(NOW)

    report, _ = run(
        kind,
        f"informing,{FIRST},2019-01-10,,",
        f"consent,{FIRST},2019-01-20,,",
        f"informing,{FIRST},2019-02-10,,",
        f"prohibition,{FIRST},2019-03-01,organisation,hus",
        f"prohibition,{FIRST},2019-03-02,register,hus-health",
        f"consent,{SECOND},2019-02-01,,",
        f"informing,{SECOND},2019-01-01,,",
    )

    assert (report.added, report.problems) == (7, [])
    kept = {person: choice.at.date() for person, choice in kind.informed_by.items()}
    assert kept == {FIRST: date(2019, 1, 10), SECOND: date(2019, 1, 1)}


def test_a_real_run_stores_the_prohibition_that_rests_on_the_files_informing() -> None:
    report, target = run(
        LegacyChoices(NOW),
        f"informing,{FIRST},2019-01-10,,",
        f"prohibition,{FIRST},2019-03-01,organisation,hus",
        dry_run=False,
    )

    assert (report.added, report.problems) == (2, [])
    assert [type(c).__name__ for c in target.choices_of(FIRST)] == [
        "Acknowledgement",
        "ProhibitionGiven",
    ]


def test_id_2_a_moment_with_an_offset_is_held_against_the_birth_in_finnish_time() -> (
    None
):
    # FIRST was born on 1980-05-17: 22:30 UTC the day before is 01:30 in
    # Helsinki on the birthday. SECOND was born on 1975-02-14: 00:30 at
    # +05:00 that day is 21:30 in Helsinki the day before.
    report, _ = run(
        LegacyChoices(NOW),
        f"informing,{FIRST},1980-05-16T22:30:00+00:00,,",
        f"informing,{SECOND},1975-02-14T00:30:00+05:00,,",
    )

    assert [(p.line, p.field, p.value) for p in report.problems] == [
        (3, "date", "1975-02-14T00:30:00+05:00")
    ]
    assert report.added == 1


def test_cal_2_a_moment_after_the_reform_is_reported_as_the_file_writes_it() -> None:
    # 23:30 UTC on 31 October 2021 is 01:30 on 1 November in Helsinki: after
    # the reform, though its UTC day is the day before.
    report, _ = run(
        LegacyChoices(NOW),
        f"consent,{FIRST},2021-10-31T23:30:00+00:00,,",
        f"informing,{SECOND},2021-11-01,,",
    )

    assert [(p.line, p.field, p.value) for p in report.problems] == [
        (2, "date", "2021-10-31T23:30:00+00:00"),
        (3, "date", "2021-11-01"),
    ]
