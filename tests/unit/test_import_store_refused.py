"""An import whose batch the store refuses takes every other row of it.

The store refuses a bulk write whole (`StoreRefused`): the batch's
transaction stores none of it. The import then writes the batch again row
by row, so the row the store refuses is reported with its line and every
other row is taken, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from builders import hetu

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import Person
from kanta_consent.services.import_kinds import People
from kanta_consent.services.imports import Problem, Row, import_rows
from kanta_consent.services.ports import StoreRefused

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)
CODES = [hetu(date(1980, 1, day), number=900 + day) for day in range(1, 5)]


class RefusingStore(MemoryStore):
    """A store that refuses any batch holding a person named `refused`."""

    def add_people(self, people: Sequence[Person]) -> None:
        if any(p.name == "refused" for p in people):
            raise StoreRefused("value too long for type character varying(200)")
        super().add_people(people)


def test_the_row_the_store_refuses_is_reported_and_the_rest_of_its_batch_taken() -> (
    None
):
    store = RefusingStore()
    names = ["Aino", "refused", "Bertil", "Cecilia"]
    rows = [
        Row(line, {"code": code, "name": name})
        for line, (code, name) in enumerate(zip(CODES, names, strict=True), start=2)
    ]

    report = import_rows(store, People(NOW), ["code", "name"], rows)

    assert report.problems == [
        Problem(
            3,
            "row",
            CODES[1],
            "the store refused it: value too long for type character varying(200)",
        )
    ]
    assert (report.rows, report.added, report.refused) == (4, 3, 1)
    assert sorted(store.people) == sorted([CODES[0], CODES[2], CODES[3]])
