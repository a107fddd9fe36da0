"""Decisions from `kanta-consent serve --demo` over real HTTP, on SQLite and
PostgreSQL (DIS-12, LOG-1).

On PostgreSQL the decision routes read and log over psycopg's own
connections (adapters/sql/decision_store.py), on SQLite through the store
in a worker thread; both must answer as the rules engine does over the
store, and log every care system's answer in one unbroken chain.
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from test_serve import serving

from kanta_consent.adapters.sql import SqlStore, make_engine
from kanta_consent.domain.codes import Purpose
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.services.clients import ClientService
from kanta_consent.services.consent import DECISION_KIND, ConsentService
from kanta_consent.services.log import verify_chain

QUERIES = 40


def _basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _queries(store: SqlStore, recipient: str) -> list[dict[str, Any]]:
    """Queries about the demo's service events, asked as the recipient."""
    directory = store.directory()
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, person, register FROM service_events ORDER BY id LIMIT :n"
            ),
            {"n": QUERIES},
        ).all()
    assert len(rows) == QUERIES
    return [
        {
            "person": person,
            "data": {
                "sector": directory.registers[register].kind.sector.value,
                "register": register,
                "event": event,
            },
            "recipient": recipient,
            "purpose": "care",
        }
        for event, person, register in rows
    ]


def _expected(store: SqlStore, queries: list[dict[str, Any]]) -> list[str]:
    """What the rules engine answers over the store, read the store's own way."""
    service = ConsentService(store)
    asked = []
    for query in queries:
        person, data = service.event_data(query["data"]["event"])
        assert person == query["person"]
        asked.append((person, data, query["recipient"], Purpose.CARE))
    moment = datetime.now(HELSINKI)
    decisions = service.decide_many(asked, moment, disclosure=False)
    return [d.outcome.value for d in decisions]


def _logged_decisions(store: SqlStore) -> int:
    return sum(1 for _ in store.log_entries(kind=DECISION_KIND))


def test_dis_12_log_1_served_decisions_answer_as_the_engine_and_are_all_logged(
    tmp_path: Path, database_url: str
) -> None:
    with serving(tmp_path, database_url, "--demo") as url:
        store = SqlStore(make_engine(database_url))
        try:
            recipient = next(iter(sorted(store.directory().registers)))
            issued = ClientService(store).add(recipient, datetime.now(HELSINKI))
            care = _basic(issued.client.id, issued.secret)
            queries = _queries(store, recipient)
            expected = _expected(store, queries)
            before = _logged_decisions(store)

            singles = [
                httpx.post(f"{url}/api/v1/decisions", json=q, headers=care, timeout=30)
                for q in queries
            ]
            batch = httpx.post(
                f"{url}/api/v1/decisions/batch",
                json={"queries": queries},
                headers=care,
                timeout=30,
            )

            assert [r.status_code for r in singles] == [200] * QUERIES
            assert [r.json()["decision"] for r in singles] == expected
            assert batch.status_code == 200, batch.text
            assert [d["decision"] for d in batch.json()["decisions"]] == expected
            # Both outcomes occur, so a route answering one of them always
            # would not pass.
            assert set(expected) == {"permit", "deny"}
            # LOG-1: each answer was logged before it was given.
            assert _logged_decisions(store) == before + 2 * QUERIES
            count, problem = verify_chain(store.log_entries())
            assert problem is None
            assert count >= before + 2 * QUERIES
        finally:
            store.engine.dispose()
