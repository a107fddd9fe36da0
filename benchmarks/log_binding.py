"""What binding a log group's values costs the server, per group size.

Run as `.venv/bin/python benchmarks/log_binding.py`. A care system's
logged decision waits for its group's INSERT, whose values psycopg binds
on the client (adapters/sql/decision_store.py). For groups of 1 to 64
decision entries, as `log_rows` makes them, it prints the microseconds to
build the message two ways:

- in pieces of 7 rows, as the store does (`insert_message`);
- in one statement of every row, as before: psycopg keeps a statement's
  parsed form only up to 50 parameters, so a group of 8 rows or more was
  parsed anew each time.

No database is written; a connection to the local PostgreSQL is opened
only for psycopg's adapters (`--postgres`).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from typing import Any

from psycopg import ClientCursor, Connection

from kanta_consent.adapters.sql.decision_store import (
    _BEGIN_LOCK_SQL,
    _IF_TAIL_SQL,
    _INSERT_ROWS_END,
    _INSERT_ROWS_START,
    _ONE_ROW,
    insert_message,
)
from kanta_consent.adapters.sql.store import log_rows
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.services.ports import LogRecord

SIZES = (1, 4, 7, 8, 16, 32, 64)


def records(count: int) -> list[LogRecord]:
    """Returns decision records shaped as the API logs them."""
    moment = datetime(2026, 12, 4, 12, 0, tzinfo=HELSINKI)
    return [
        LogRecord(
            "decision_made",
            moment,
            f"010190-9{i % 100:02d}X",
            {
                "recipient": "hus-health",
                "purpose": "care",
                "sector": "health",
                "register": "helsinki-health",
                "event": f"ev-{i:08d}",
                "kanta": True,
                "outcome": "permit",
                "reason": "permission",
                "rule": "DIS-7",
                "based_on": [f"choice-{i}"],
                "follow_up": False,
                "context": {"client": "client-1"},
            },
        )
        for i in range(count)
    ]


def whole(cursor: Any, entries: list[tuple[Any, ...]], tail: int) -> str:
    """The message as one statement of every row's parameters."""
    rows = ", ".join([_ONE_ROW] * len(entries))
    insert = _INSERT_ROWS_START + rows + _INSERT_ROWS_END
    statement = _BEGIN_LOCK_SQL + insert + _IF_TAIL_SQL
    values = [value for entry in entries for value in entry] + [tail]
    message: str = cursor.mogrify(statement, values) + "; COMMIT"
    return message


def per_group_us(build: Any, rounds: int) -> float:
    """Returns the median of five timings of `rounds` builds, per build, in us."""
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(rounds):
            build()
        timings.append((time.perf_counter() - began) / rounds * 1e6)
    return sorted(timings)[2]


def main() -> None:
    """Prints, per group size, the microseconds to bind a group both ways."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", type=int, default=400)
    args = parser.parse_args()
    with Connection.connect(args.postgres + "/postgres") as conn:
        # Only its adapters are used: mogrify needs no round trip.
        pieces, one = ClientCursor(conn), ClientCursor(conn)
        print("log group binding, microseconds per group (median of 5)")
        print(f"{'rows':>5} {'in pieces of 7':>15} {'one statement':>14}")
        for size in SIZES:
            entries = log_rows((41, "0" * 64), records(size))

            def piecewise(entries: list[tuple[Any, ...]] = entries) -> str:
                return insert_message(
                    pieces, entries, _BEGIN_LOCK_SQL, _IF_TAIL_SQL, [41]
                )

            def statement(entries: list[tuple[Any, ...]] = entries) -> str:
                return whole(one, entries, 41)

            # Both ways write the same message.
            assert piecewise() == statement(), size
            fast = per_group_us(piecewise, args.rounds)
            slow = per_group_us(statement, args.rounds)
            print(f"{size:>5} {fast:>12.1f} us {slow:>11.1f} us", flush=True)


if __name__ == "__main__":
    main()
