"""The decision routes' groups of reads and log appends (LOG-1, DIS-11).

The store is a fake port here; tests/integration/test_decision_store.py runs
the same groups over SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime

from kanta_consent.domain.choices import ChoiceHistory
from kanta_consent.domain.model import ServiceEvent
from kanta_consent.entrypoints.api.groups import Groups, LogGroups, ReadGroups
from kanta_consent.services.ports import DecisionData, LogRecord
from loops import run_on_own_loop


class _Store:
    """A decision store that records what it was asked and can be told to fail."""

    def __init__(self, fail_reads: bool = False, bad: str | None = None) -> None:
        self.fail_reads = fail_reads
        self.bad = bad
        self.reads: list[tuple[set[str], set[str]]] = []
        self.appends: list[list[str | None]] = []
        self.log: list[str | None] = []

    async def read(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        self.reads.append((set(people), set(events)))
        await asyncio.sleep(0)
        if self.fail_reads:
            raise ConnectionError("the database went away")
        if self.bad in people:
            raise ValueError("bad key")
        found = {
            e: ServiceEvent(e, "someone", "reg", date(2024, 1, 1), True) for e in events
        }
        return found, {p: ChoiceHistory() for p in people}

    async def append_log(self, records: Sequence[LogRecord]) -> None:
        subjects = [r.subject for r in records]
        self.appends.append(subjects)
        await asyncio.sleep(0)
        if self.bad in subjects:
            raise ValueError("bad record")
        self.log.extend(subjects)

    async def close(self) -> None:
        return None


def _record(subject: str) -> LogRecord:
    return LogRecord("decision_made", datetime(2025, 3, 1, tzinfo=UTC), subject)


def test_what_arrives_while_a_group_runs_forms_the_next_group() -> None:
    seen: list[list[int]] = []
    release = asyncio.Event()

    async def run_group(items: list[int]) -> list[int]:
        seen.append(items)
        await release.wait()
        return [i * 10 for i in items]

    async def main() -> list[int]:
        groups: Groups[int, int] = Groups(run_group, "interrupted")
        first = asyncio.ensure_future(groups.submit(0))
        while not seen:
            await asyncio.sleep(0)
        later = [asyncio.ensure_future(groups.submit(i)) for i in range(1, 5)]
        await asyncio.sleep(0)
        release.set()
        return await asyncio.gather(first, *later)

    assert run_on_own_loop(main) == [0, 10, 20, 30, 40]
    assert seen == [[0], [1, 2, 3, 4]]


def test_callers_that_arrive_together_form_one_group() -> None:
    seen: list[list[int]] = []

    async def run_group(items: list[int]) -> list[int]:
        seen.append(items)
        return [-i for i in items]

    async def main() -> list[int]:
        groups: Groups[int, int] = Groups(run_group, "interrupted")
        return await asyncio.gather(*(groups.submit(i) for i in range(3)))

    assert run_on_own_loop(main) == [0, -1, -2]
    assert seen == [[0, 1, 2]]


def test_a_group_that_raises_fails_each_of_its_callers() -> None:
    store = _Store(fail_reads=True)

    async def main() -> list[DecisionData | BaseException]:
        reads = ReadGroups(store)
        return await asyncio.gather(
            *(reads.read({p}, set()) for p in ("a", "b", "c")), return_exceptions=True
        )

    outcomes = run_on_own_loop(main)

    assert len(outcomes) == 3
    assert all(isinstance(o, ConnectionError) for o in outcomes)
    # Together, then each alone.
    assert store.reads == [
        ({"a", "b", "c"}, set()),
        ({"a"}, set()),
        ({"b"}, set()),
        ({"c"}, set()),
    ]


def test_one_bad_read_fails_only_its_caller() -> None:
    store = _Store(bad="b")

    async def main() -> list[DecisionData | BaseException]:
        reads = ReadGroups(store)
        return await asyncio.gather(
            *(reads.read({p}, {"e-" + p}) for p in ("a", "b", "c")),
            return_exceptions=True,
        )

    first, second, third = run_on_own_loop(main)

    assert isinstance(second, ValueError)
    assert not isinstance(first, BaseException) and not isinstance(third, BaseException)
    assert (set(first[0]), set(first[1])) == ({"e-a"}, {"a"})
    assert (set(third[0]), set(third[1])) == ({"e-c"}, {"c"})


def test_dis_11_each_single_read_gets_only_what_it_asked_for() -> None:
    store = _Store()

    async def main() -> tuple[DecisionData, ...]:
        reads = ReadGroups(store)
        return await asyncio.gather(
            reads.read({"a"}, {"e1"}),
            reads.read({"b"}, {"e2"}),
            reads.read({"c"}, set()),
        )

    first, second, third = run_on_own_loop(main)

    assert (set(first[0]), set(first[1])) == ({"e1"}, {"a"})
    assert (set(second[0]), set(second[1])) == ({"e2"}, {"b"})
    assert (set(third[0]), set(third[1])) == (set(), {"c"})


def test_a_batchs_read_is_not_grouped_with_others() -> None:
    store = _Store()

    async def main() -> None:
        reads = ReadGroups(store)
        await asyncio.gather(
            reads.read({"a", "b"}, {"e1", "e2"}), reads.read({"c"}, set())
        )

    run_on_own_loop(main)

    assert sorted(store.reads, key=len) == [({"a", "b"}, {"e1", "e2"}), ({"c"}, set())]


def test_log_1_a_bad_append_fails_only_its_caller_and_the_rest_are_logged() -> None:
    store = _Store(bad="bad")

    async def main() -> list[BaseException | None]:
        groups = LogGroups(store)
        return await asyncio.gather(
            *(groups.append([_record(s)]) for s in ("first", "good", "bad", "also")),
            return_exceptions=True,
        )

    outcomes = run_on_own_loop(main)

    assert outcomes[0] is None and outcomes[1] is None and outcomes[3] is None
    assert isinstance(outcomes[2], ValueError)
    assert store.log == ["first", "good", "also"]
    # Together first, then each alone once the group failed.
    assert store.appends == [
        ["first", "good", "bad", "also"],
        ["first"],
        ["good"],
        ["bad"],
        ["also"],
    ]


def test_log_1_a_caller_that_goes_away_does_not_stop_its_groups_commit() -> None:
    store = _Store()

    async def main() -> None:
        groups = LogGroups(store)
        asking = asyncio.ensure_future(groups.append([_record("left")]))
        await asyncio.sleep(0)
        asking.cancel()
        await groups.append([_record("stayed")])

    run_on_own_loop(main)

    assert store.log == ["left", "stayed"]
