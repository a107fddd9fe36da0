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
