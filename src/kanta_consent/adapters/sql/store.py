"""The SQL store: the `Store` port over SQLite or PostgreSQL.

A `transaction()` holds one connection for the calling thread; a method
called outside one runs in a short transaction of its own. Choices and log
entries are only ever inserted (LOG-3). The directory and the calendar are
read once and kept, until this store writes to them; another process's
change to them is seen after a restart.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import namedtuple
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    String,
    Table,
    any_,
    bindparam,
    cast,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, IntegrityError

from kanta_consent.adapters.sql import rows
from kanta_consent.adapters.sql.engine import WRITE
from kanta_consent.adapters.sql.tables import (
    ApiClientRow,
    CalendarSettingRow,
    ChoiceRow,
    EndedSessionRow,
    GuardianshipRow,
    JointAreaMemberRow,
    LogEntryRow,
    MandateRow,
    NoticeTextRow,
    NoticeVersionRow,
    OrganisationRow,
    PersonRow,
    PortalVisitRow,
    PurchasedServiceRow,
    RegisterRow,
    ServiceEventRow,
    SettingChangeRow,
)
from kanta_consent.domain.calendar import (
    Calendar,
    NoticeVersion,
    Setting,
    SettingChange,
)
from kanta_consent.domain.choices import Choice, ChoiceHistory
from kanta_consent.domain.model import (
    Directory,
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.services.log import GENESIS, body_text, chained_hash, moment_text
from kanta_consent.services.ports import ApiClient, LogRecord, Store, StoreRefused

CHOICES: Table = ChoiceRow.__table__  # type: ignore[assignment]
LOG: Table = LogEntryRow.__table__  # type: ignore[assignment]
VISITS: Table = PortalVisitRow.__table__  # type: ignore[assignment]
ENDED_SESSIONS: Table = EndedSessionRow.__table__  # type: ignore[assignment]

# Any constant will do, as long as nothing else in the database uses it: the
# advisory lock that queues the log's writers on PostgreSQL (LOG-1).
LOG_LOCK = 0x4B414E5441

# Idle connections a store keeps for its reads on PostgreSQL. Checking one out
# of SQLAlchemy's pool cost a decision's read a quarter of its CPU (about
# 40 us: checkout, reset, autocommit on and off again).
KEPT_READERS = 4

# Keys per statement of the bulk reads, under every database's parameter limit.
_MANY = 5000

T = TypeVar("T")

LOG_PAGE = 1000

_CHOICES_OF = (
    select(CHOICES).where(CHOICES.c.person == bindparam("person")).order_by("seq")
)
_LOG_TAIL = select(LOG.c.seq, LOG.c.hash).order_by(LOG.c.seq.desc()).limit(1)
_LOG_COLUMNS = ("seq", "at", "kind", "subject", "body", "previous", "hash")

# The log append on PostgreSQL, as fixed SQL that psycopg prepares: the lock,
# the tail, and the insert of one entry, or a COPY of a group's.
# Two statements sent as one: PostgreSQL runs them in turn, and in READ
# COMMITTED each takes its own snapshot, so the tail is read only once the
# lock is held. Half the CPU and wall time of two round trips.
LOCK_AND_TAIL_SQL = (
    f"SELECT pg_advisory_xact_lock({LOG_LOCK}); "
    "SELECT seq, hash FROM log_entries ORDER BY seq DESC LIMIT 1"
)
COPY_LOG_SQL = f"COPY log_entries ({', '.join(_LOG_COLUMNS)}) FROM STDIN"
INSERT_LOG_SQL = (
    "INSERT INTO log_entries (seq, at, kind, subject, body, previous, hash) "
    "VALUES (%s, %s, %s, %s, %s::json, %s, %s)"
)

# A decision's reads on PostgreSQL, as fixed SQL that psycopg prepares once per
# connection: through SQLAlchemy's statement and result machinery the read of
# a person's choices cost four times the CPU of the read itself.
CHOICE_COLUMNS = tuple(c.name for c in CHOICES.columns if c.name != "seq")
_ChoiceColumns = namedtuple("_ChoiceColumns", CHOICE_COLUMNS)  # type: ignore[misc]
_AT = CHOICE_COLUMNS.index("at")
_CHOICES_OF_SQL = (
    f"SELECT {', '.join(CHOICE_COLUMNS)} FROM choices WHERE person = %s ORDER BY seq"
)
EVENT_COLUMNS = tuple(c.name for c in ServiceEventRow.__table__.columns)
EventColumns = namedtuple("EventColumns", EVENT_COLUMNS)  # type: ignore[misc]
_FIND_EVENT_SQL = f"SELECT {', '.join(EVENT_COLUMNS)} FROM service_events WHERE id = %s"
_READ_CURSOR = "kanta_read_cursor"
# A batch's reads: the keys travel as one array.
CHOICES_OF_MANY_SQL = (
    f"SELECT {', '.join(CHOICE_COLUMNS)} FROM choices "
    "WHERE person = ANY(%s) ORDER BY seq"
)
FIND_EVENTS_SQL = (
    f"SELECT {', '.join(EVENT_COLUMNS)} FROM service_events WHERE id = ANY(%s)"
)


class SqlStore:
    """Everything the use cases read and write, in SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        # One statement needs no transaction around it; on PostgreSQL that
        # saves the BEGIN and ROLLBACK round trips of a decision's one read.
        self._reader = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if self._postgres
            else engine
        )
        self._local = threading.local()
        self._directory: Directory | None = None
        self._calendar: Calendar | None = None
        self._group_lock = threading.Lock()
        self._waiting: list[_Waiting] = []
        self._leading = False
        # Idle connections for the prepared reads outside a transaction, last
        # in first out; list.pop and list.append need no lock of their own.
        self._readers: list[_Reader] = []
        weakref.finalize(self, _close_readers, self._readers)

    # Transactions

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._current() is not None:
            yield
            return
        self._local.touched = False
        with self.engine.connect().execution_options(**{WRITE: True}) as conn:
            self._local.connection = conn
            try:
                with conn.begin():
                    yield
            finally:
                self._local.connection = None
                if self._local.touched:
                    self._forget_cached()

    def _current(self) -> Connection | None:
        return getattr(self._local, "connection", None)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.transaction():
            conn = self._current()
            assert conn is not None
            yield conn

    @contextmanager
    def _read(self, *, single: bool = False) -> Iterator[Connection]:
        current = self._current()
        if current is not None:
            yield current
            return
        with (self._reader if single else self.engine).connect() as conn:
            yield conn

    def _driver_rows(self, sql: str, key: Any) -> list[tuple[Any, ...]]:
        # PostgreSQL only: one prepared statement through psycopg itself. In a
        # transaction it runs on the transaction's connection; outside one on
        # a kept connection of the store's, in autocommit.
        current = self._current()
        if current is not None:
            return _fetch(current.connection, sql, key)
        try:
            reader = self._readers.pop()
        except IndexError:
            reader = _Reader.open(self.engine)
        try:
            found = reader.fetch(sql, key)
        except Exception:
            if reader.connection.broken:
                # A connection lost mid-statement is not kept.
                reader.connection.close()
            else:
                self._keep(reader)
            raise
        self._keep(reader)
        return found

    def _keep(self, reader: _Reader) -> None:
        if len(self._readers) < KEPT_READERS:
            self._readers.append(reader)
        else:
            reader.connection.close()

    def _touch(self) -> None:
        # A change to the directory or the calendar is forgotten at once and
        # again when its transaction ends, so that no reader in between keeps
        # a copy without it, or with it after a rollback.
        self._forget_cached()
        self._local.touched = True

    def _forget_cached(self) -> None:
        self._directory = None
        self._calendar = None

    # People and representatives

    def find_person(self, code: str) -> Person | None:
        query = select(PersonRow.__table__).where(PersonRow.code == code)
        with self._read(single=True) as conn:
            row = conn.execute(query).first()
        return None if row is None else rows.person_of(row)

    def add_person(self, person: Person) -> None:
        values = {
            "code": person.id,
            "name": person.name,
            "safety_ban": person.safety_ban,
        }
        with self._write() as conn:
            _upsert(conn, PersonRow.__table__, values, ("code",))

    def guardianships(
        self, *, guardian: str | None = None, child: str | None = None
    ) -> Sequence[Guardianship]:
        table = GuardianshipRow.__table__
        query = select(table).order_by(table.c.seq)
        if guardian is not None:
            query = query.where(table.c.guardian == guardian)
        if child is not None:
            query = query.where(table.c.child == child)
        with self._read(single=True) as conn:
            return [rows.guardianship_of(r) for r in conn.execute(query)]

    def mandates(
        self, *, holder: str | None = None, principal: str | None = None
    ) -> Sequence[Mandate]:
        table = MandateRow.__table__
        query = select(table).order_by(table.c.seq)
        if holder is not None:
            query = query.where(table.c.holder == holder)
        if principal is not None:
            query = query.where(table.c.principal == principal)
        with self._read(single=True) as conn:
            return [rows.mandate_of(r) for r in conn.execute(query)]

    def add_guardianship(self, guardianship: Guardianship) -> None:
        values = {
            "guardian": guardianship.guardian,
            "child": guardianship.child,
            "starts": guardianship.starts,
            "until": guardianship.until,
            "blocked": guardianship.blocked,
        }
        with self._write() as conn:
            conn.execute(insert(GuardianshipRow), values)

    def add_mandate(self, mandate: Mandate) -> None:
        values = {
            "holder": mandate.holder,
            "principal": mandate.principal,
            "starts": mandate.starts,
            "until": mandate.until,
            "revoked": mandate.revoked,
        }
        with self._write() as conn:
            conn.execute(insert(MandateRow), values)

    # The directory

    def directory(self) -> Directory:
        cached = self._directory
        if cached is not None:
            return cached
        with self._read() as conn:
            organisations = conn.execute(select(OrganisationRow.__table__))
            registers = conn.execute(select(RegisterRow.__table__))
            directory = Directory.build(
                [rows.organisation_of(r) for r in organisations],
                [rows.register_of(r) for r in registers],
                _joint_areas(conn),
                [tuple(r) for r in conn.execute(select(PurchasedServiceRow.__table__))],
            )
        if self._current() is None or not self._local.touched:
            self._directory = directory
        return directory

    def add_organisation(self, organisation: Organisation) -> None:
        values = {
            "id": organisation.id,
            "public": organisation.public,
            "ended": organisation.ended,
            "name": organisation.name,
            "business_id": organisation.business_id,
        }
        with self._write() as conn:
            _upsert(conn, OrganisationRow.__table__, values, ("id",))
            self._touch()

    def add_register(self, register: Register) -> None:
        values = {
            "id": register.id,
            "organisation": register.organisation,
            "kind": register.kind.value,
            "kanta_from": register.kanta_from,
            "name": register.name,
            "oid": register.oid,
        }
        with self._write() as conn:
            _upsert(conn, RegisterRow.__table__, values, ("id",))
            self._touch()

    def add_joint_area(self, area: str, registers: Sequence[str]) -> None:
        with self._write() as conn:
            for register in registers:
                values = {"area": area, "register": register}
                _upsert(conn, JointAreaMemberRow.__table__, values, tuple(values))
            self._touch()

    def add_purchased_service(self, producer: str, for_register: str) -> None:
        values = {"producer": producer, "for_register": for_register}
        with self._write() as conn:
            _upsert(conn, PurchasedServiceRow.__table__, values, tuple(values))
            self._touch()

    # Service events

    def find_event(self, event_id: str) -> ServiceEvent | None:
        if self._postgres:
            found = self._driver_rows(_FIND_EVENT_SQL, event_id)
            return rows.event_of(EventColumns._make(found[0])) if found else None
        query = select(ServiceEventRow.__table__).where(ServiceEventRow.id == event_id)
        with self._read(single=True) as conn:
            row = conn.execute(query).first()
        return None if row is None else rows.event_of(row)

    def events_of(self, person: str) -> Sequence[ServiceEvent]:
        table = ServiceEventRow.__table__
        query = (
            select(table)
            .where(table.c.person == person)
            .order_by(table.c.recorded, table.c.id)
        )
        with self._read(single=True) as conn:
            return [rows.event_of(r) for r in conn.execute(query)]

    def add_event(self, event: ServiceEvent) -> None:
        with self._write() as conn:
            values = rows.event_values(event)
            _upsert(conn, ServiceEventRow.__table__, values, ("id",))

    # Choices

    def choices_of(self, person: str) -> ChoiceHistory:
        if self._postgres:
            return ChoiceHistory(
                [
                    choice_of_driver_row(r)
                    for r in self._driver_rows(_CHOICES_OF_SQL, person)
                ]
            )
        with self._read(single=True) as conn:
            found = conn.execute(_CHOICES_OF, {"person": person})
            return ChoiceHistory([rows.choice_of(r) for r in found])

    def choices_of_many(self, people: Collection[str]) -> Mapping[str, ChoiceHistory]:
        # A batch of decisions reads every person's choices in one statement
        # per _MANY people, not one per person.
        if self._postgres:
            found = [
                choice_of_driver_row(r)
                for chunk in chunks(people)
                for r in self._driver_rows(CHOICES_OF_MANY_SQL, chunk)
            ]
        else:
            query = (
                select(CHOICES)
                .where(CHOICES.c.person.in_(bindparam("k", expanding=True)))
                .order_by(CHOICES.c.seq)
            )
            found = self._find_many(query, people, rows.choice_of)
        grouped: dict[str, list[Choice]] = {}
        for choice in found:
            grouped.setdefault(choice.person, []).append(choice)
        return {person: ChoiceHistory(held) for person, held in grouped.items()}

    def add_choice(self, choice: Choice) -> None:
        with self._write() as conn:
            conn.execute(insert(CHOICES), rows.choice_values(choice))

    # The calendar

    def calendar(self) -> Calendar:
        cached = self._calendar
        if cached is not None:
            return cached
        with self._read() as conn:
            calendar = _load_calendar(conn)
        if self._current() is None or not self._local.touched:
            self._calendar = calendar
        return calendar

    def add_setting_change(self, change: SettingChange) -> None:
        values = {
            "setting": change.setting.value,
            "value": change.value,
            "effective_from": change.effective_from,
        }
        with self._write() as conn:
            conn.execute(insert(SettingChangeRow), values)
            self._touch()

    def add_notice_version(
        self, version: NoticeVersion, texts: dict[str, str] | None = None
    ) -> None:
        values = {
            "version": version.version,
            "current_from": version.current_from,
            "known_from": version.known_from,
        }
        with self._write() as conn:
            conn.execute(insert(NoticeVersionRow), values)
            for language, text in (texts or {}).items():
                conn.execute(
                    insert(NoticeTextRow),
                    {"version": version.version, "language": language, "text": text},
                )
            self._touch()

    def set_base_settings(self, base: Mapping[Setting, Any]) -> None:
        """Stores base values of settings, replacing those already stored."""
        with self._write() as conn:
            for setting, value in base.items():
                values = {"setting": setting.value, "value": value}
                _upsert(conn, CalendarSettingRow.__table__, values, ("setting",))
            self._touch()

    def notice_texts(self, version: str) -> dict[str, str]:
        """Returns a notice version's texts by language (fi, sv, en)."""
        table = NoticeTextRow.__table__
        query = select(table.c.language, table.c.text).where(table.c.version == version)
        with self._read(single=True) as conn:
            return {language: text for language, text in conn.execute(query)}

    # The log

    def append_log(self, records: Sequence[LogRecord]) -> None:
        if not records:
            return
        if self._current() is None:
            self._append_grouped(records)
            return
        # Part of the caller's transaction, stored or not with the rest of it.
        with self._write() as conn:
            self._append(conn, records)

    def _append(self, conn: Connection, records: Sequence[LogRecord]) -> None:
        if self._postgres:
            _append_postgres(conn.connection.driver_connection, records)
            return
        seq, previous = self._lock_tail(conn)
        entries = []
        for record in records:
            seq += 1
            entry = _entry(seq, record, previous)
            values = dict(zip(_LOG_COLUMNS, entry, strict=True))
            values["body"] = json.loads(entry[4])
            entries.append(values)
            previous = entry[-1]
        conn.execute(insert(LOG), entries)

    def _append_grouped(self, records: Sequence[LogRecord]) -> None:
        # Appends of their own (a decision's, not part of a larger
        # transaction) that arrive while one is being written are committed
        # together in the next transaction: one lock, one tail read and one
        # commit for the group (issue 3). The first to arrive leads; each
        # caller returns only once its entries are committed.
        mine = _Waiting(records)
        with self._group_lock:
            self._waiting.append(mine)
            leads = not self._leading
            self._leading = True
        if not leads:
            mine.done.wait()
            if not mine.leads:
                if mine.error is not None:
                    raise mine.error
                return
        with self._group_lock:
            group, self._waiting = self._waiting, []
        finished = False
        try:
            self._write_group(group)
            finished = True
        finally:
            if not finished:
                interrupted = RuntimeError("the log append was interrupted")
                for waiting in group:
                    waiting.error = waiting.error or interrupted
            with self._group_lock:
                if self._waiting:
                    # Those that came meanwhile are led by the first of them.
                    self._waiting[0].leads = True
                    self._waiting[0].done.set()
                else:
                    self._leading = False
            for waiting in group:
                if waiting is not mine:
                    waiting.done.set()
        if mine.error is not None:
            raise mine.error

    def _write_group(self, group: list[_Waiting]) -> None:
        try:
            with self._write() as conn:
                self._append(conn, [r for waiting in group for r in waiting.records])
        except Exception:
            if len(group) == 1:
                raise
            # One bad append must not fail the others: each alone, then.
            for waiting in group:
                try:
                    with self._write() as conn:
                        self._append(conn, waiting.records)
                except Exception as error:
                    waiting.error = error  # raised in its caller's thread

    def _lock_tail(self, conn: Connection) -> tuple[int, str]:
        # LOG-1: on SQLite the write transaction began IMMEDIATE, which holds
        # the database's one write lock: the tail read now is the tail.
        tail = conn.execute(_LOG_TAIL).first()
        return (0, GENESIS) if tail is None else (tail.seq, tail.hash)

    def log_entries(
        self,
        subject: str | None = None,
        *,
        kind: str | None = None,
        after: datetime | None = None,
    ) -> Iterator[dict[str, Any]]:
        # Pages by seq rather than one streaming cursor: a reader that stops
        # early (verify at the first problem) leaves no cursor open, and the
        # entries never change, so pages read apart still fit together.
        last = 0
        while True:
            page = self._log_page(last, subject, kind, after)
            yield from page
            if len(page) < LOG_PAGE:
                return
            last = page[-1]["seq"]

    def _log_page(
        self,
        last: int,
        subject: str | None,
        kind: str | None,
        after: datetime | None,
    ) -> list[dict[str, Any]]:
        query = select(LOG).where(LOG.c.seq > last).order_by(LOG.c.seq).limit(LOG_PAGE)
        if subject is not None:
            query = query.where(LOG.c.subject == subject)
        if kind is not None:
            query = query.where(LOG.c.kind == kind)
        if after is not None:
            query = query.where(LOG.c.at > after)
        with self._read(single=True) as conn:
            return [
                {
                    "seq": row.seq,
                    "at": moment_text(row.at),
                    "kind": row.kind,
                    "subject": row.subject,
                    "body": row.body,
                    "previous": row.previous,
                    "hash": row.hash,
                }
                for row in conn.execute(query)
            ]

    # API clients

    def add_client(self, client: ApiClient) -> None:
        values = {
            "id": client.id,
            "register": client.register,
            "secret_hash": client.secret_hash,
            "operator": client.operator,
            "created": client.created,
            "revoked": client.revoked,
        }
        with self._write() as conn:
            _upsert(conn, ApiClientRow.__table__, values, ("id",))

    def find_client(self, client_id: str) -> ApiClient | None:
        query = select(ApiClientRow.__table__).where(ApiClientRow.id == client_id)
        with self._read(single=True) as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return _client(row)

    def list_clients(self) -> Sequence[ApiClient]:
        table = ApiClientRow.__table__
        query = select(table).order_by(table.c.created, table.c.id)
        with self._read(single=True) as conn:
            return [_client(r) for r in conn.execute(query)]

    def revoke_client(self, client_id: str, at: datetime) -> None:
        # The first revocation's moment is kept: revoking again changes nothing.
        query = (
            update(ApiClientRow)
            .where(ApiClientRow.id == client_id, ApiClientRow.revoked.is_(None))
            .values(revoked=at)
        )
        with self._write() as conn:
            conn.execute(query)

    # Portal visits (DIS-9)

    def record_visit(self, person: str, at: datetime) -> None:
        with self._write() as conn:
            conn.execute(insert(VISITS), {"person": person, "at": at})

    def last_visit(self, person: str, before: datetime) -> datetime | None:
        query = select(func.max(VISITS.c.at)).where(
            VISITS.c.person == person, VISITS.c.at < before
        )
        with self._read(single=True) as conn:
            found: datetime | None = conn.execute(query).scalar()
        return found

    def end_session(self, session: str, at: datetime) -> None:
        with self._write() as conn:
            _upsert(conn, ENDED_SESSIONS, {"id": session, "at": at}, ("id",))

    def is_session_ended(self, session: str) -> bool:
        query = select(ENDED_SESSIONS.c.id).where(ENDED_SESSIONS.c.id == session)
        with self._read(single=True) as conn:
            return conn.execute(query).first() is not None

    # Bulk reads and writes for imports (services/imports.py). Added by the
    # imports work: one statement per batch of rows, not one per row.

    def find_people(self, codes: Collection[str]) -> Mapping[str, Person]:
        table = PersonRow.__table__
        query = select(table).where(self._among(table.c.code))
        return {p.id: p for p in self._find_many(query, codes, rows.person_of)}

    def known_people(self, codes: Collection[str]) -> set[str]:
        table = PersonRow.__table__
        query = select(table.c.code).where(self._among(table.c.code))
        return set(self._find_many(query, codes, lambda row: str(row.code)))

    def add_people(self, people: Sequence[Person]) -> None:
        values = [
            {"code": p.id, "name": p.name, "safety_ban": p.safety_ban} for p in people
        ]
        self._upsert_many(PersonRow.__table__, values, ("code",))

    def guardianships_of(self, children: Collection[str]) -> Sequence[Guardianship]:
        table = GuardianshipRow.__table__
        query = select(table).where(self._among(table.c.child)).order_by(table.c.seq)
        return self._find_many(query, children, rows.guardianship_of)

    def add_guardianships(self, guardianships: Sequence[Guardianship]) -> None:
        values = [
            {
                "guardian": g.guardian,
                "child": g.child,
                "starts": g.starts,
                "until": g.until,
                "blocked": g.blocked,
            }
            for g in guardianships
        ]
        self._insert_many(GuardianshipRow.__table__, values)

    def mandates_of(self, principals: Collection[str]) -> Sequence[Mandate]:
        table = MandateRow.__table__
        query = (
            select(table).where(self._among(table.c.principal)).order_by(table.c.seq)
        )
        return self._find_many(query, principals, rows.mandate_of)

    def add_mandates(self, mandates: Sequence[Mandate]) -> None:
        values = [
            {
                "holder": m.holder,
                "principal": m.principal,
                "starts": m.starts,
                "until": m.until,
                "revoked": m.revoked,
            }
            for m in mandates
        ]
        self._insert_many(MandateRow.__table__, values)

    def find_events(self, ids: Collection[str]) -> Mapping[str, ServiceEvent]:
        if self._postgres:
            return {
                row[0]: rows.event_of(EventColumns._make(row))
                for chunk in chunks(ids)
                for row in self._driver_rows(FIND_EVENTS_SQL, chunk)
            }
        table = ServiceEventRow.__table__
        query = select(table).where(self._among(table.c.id))
        return {e.id: e for e in self._find_many(query, ids, rows.event_of)}

    def add_events(self, events: Sequence[ServiceEvent]) -> None:
        values = [rows.event_values(e) for e in events]
        self._upsert_many(ServiceEventRow.__table__, values, ("id",))

    def find_choices(self, ids: Collection[str]) -> Mapping[str, Choice]:
        query = select(CHOICES).where(self._among(CHOICES.c.id))
        return {c.id: c for c in self._find_many(query, ids, rows.choice_of)}

    def add_choices(self, choices: Sequence[Choice]) -> None:
        # Every class's columns are named in each row, so that one executemany
        # serves a mix of classes.
        blank = dict.fromkeys(c.name for c in CHOICES.columns if c.name != "seq")
        values = [{**blank, **rows.choice_values(c)} for c in choices]
        self._insert_many(CHOICES, values)

    def _find_many(
        self, query: Any, keys: Collection[str], convert: Callable[[Any], T]
    ) -> list[T]:
        wanted = list(dict.fromkeys(keys))
        found: list[T] = []
        with self._read() as conn:
            for start in range(0, len(wanted), _MANY):
                chunk = wanted[start : start + _MANY]
                found.extend(convert(r) for r in conn.execute(query, {"k": chunk}))
        return found

    def _among(self, column: Any) -> Any:
        # On PostgreSQL the keys travel as one array, not one parameter each:
        # the server then parses and plans a short statement per batch.
        if self._postgres:
            # Not as varchar(n)[]: that cast would cut a longer key short and
            # find the row its first n characters name.
            return column == any_(bindparam("k", type_=_array_of(column.type)))
        return column.in_(bindparam("k", expanding=True))

    def _insert_many(self, table: Any, values: list[dict[str, Any]]) -> None:
        if not values:
            return
        with self._write() as conn, _refusals():
            if self._postgres:
                names, unnested, arrays = _unnest(table, values)
                conn.execute(insert(table).from_select(names, unnested), arrays)
            else:
                conn.execute(insert(table), values)

    def _upsert_many(
        self, table: Any, values: list[dict[str, Any]], keys: tuple[str, ...]
    ) -> None:
        if not values:
            return
        changing = [k for k in values[0] if k not in keys]
        with self._write() as conn, _refusals():
            if self._postgres:
                names, unnested, arrays = _unnest(table, values)
                into = postgresql.insert(table).from_select(names, unnested)
                changed = {k: into.excluded[k] for k in changing}
                upsert = into.on_conflict_do_update(index_elements=keys, set_=changed)
                conn.execute(upsert, arrays)
                return
            statement = sqlite.insert(table)
            changed = {k: statement.excluded[k] for k in changing}
            conn.execute(
                statement.on_conflict_do_update(index_elements=keys, set_=changed),
                values,
            )


def _unnest(
    table: Any, values: list[dict[str, Any]]
) -> tuple[list[str], Any, dict[str, list[Any]]]:
    # PostgreSQL takes a batch as one array per column, unnested into rows:
    # one statement and one round trip, where executemany sends one per row.
    names = list(values[0])
    columns = [
        func.unnest(cast(bindparam(f"u_{n}"), _array_of(table.c[n].type))).label(n)
        for n in names
    ]
    arrays = {f"u_{n}": [row[n] for row in values] for n in names}
    return names, select(*columns), arrays


def _array_of(column_type: Any) -> Any:
    # An explicit cast to varchar(n) cuts a longer text to n characters
    # without a word (PostgreSQL's rule for casts), where storing it in a
    # varchar(n) column refuses it. So the texts travel as varchar without
    # a length, and the INSERT's assignment to each column checks them.
    if isinstance(column_type, String) and column_type.length is not None:
        return postgresql.ARRAY(String())
    return postgresql.ARRAY(column_type)


@contextmanager
def _refusals() -> Iterator[None]:
    # What the database refuses to hold becomes the port's error, which an
    # import reports by row; the statement's values stay out of it, since
    # they may hold identity codes.
    try:
        yield
    except (DataError, IntegrityError) as error:
        lines = str(error.orig).strip().splitlines()
        raise StoreRefused(lines[0] if lines else type(error.orig).__name__) from None


@dataclass(eq=False)
class _Reader:
    """A psycopg connection in autocommit kept for reads, with its one cursor."""

    connection: Any
    cursor: Any

    @classmethod
    def open(cls, engine: Engine) -> _Reader:
        # Opened as the engine opens its own (its URL, its connect arguments),
        # then taken out of its pool for good.
        pooled = engine.raw_connection()
        connection: Any = pooled.driver_connection
        pooled.detach()
        connection.autocommit = True
        return cls(connection, connection.cursor())

    def fetch(self, sql: str, key: Any) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = self.cursor.execute(
            sql, (key,), prepare=True
        ).fetchall()
        return found


def _close_readers(readers: list[_Reader]) -> None:
    while readers:
        readers.pop().connection.close()


@dataclass(eq=False)
class _Waiting:
    """An append waiting for its group to be committed, or to lead the next."""

    records: Sequence[LogRecord]
    done: threading.Event = field(default_factory=threading.Event)
    leads: bool = False
    error: Exception | None = None


def chunks(keys: Collection[str]) -> Iterator[list[str]]:
    wanted = list(dict.fromkeys(keys))
    for start in range(0, len(wanted), _MANY):
        yield wanted[start : start + _MANY]


def _fetch(pooled: Any, sql: str, key: Any) -> list[tuple[Any, ...]]:
    # Each connection keeps one cursor for these reads: making a cursor per
    # read cost a seventh of the read.
    cursor = pooled.info.get(_READ_CURSOR)
    if cursor is None or cursor.closed:
        cursor = pooled.info[_READ_CURSOR] = pooled.driver_connection.cursor()
    found: list[tuple[Any, ...]] = cursor.execute(sql, (key,), prepare=True).fetchall()
    return found


def choice_of_driver_row(values: tuple[Any, ...]) -> Choice:
    # As UtcDateTime gives it: psycopg gives a moment in the session's zone.
    row = list(values)
    row[_AT] = row[_AT].astimezone(UTC)
    return rows.choice_of(_ChoiceColumns._make(row))


def _append_postgres(driver: Any, records: Sequence[LogRecord]) -> None:
    # LOG-1: the tail row cannot be locked before it exists, so writers queue
    # on a lock of their own, held to the end of the transaction, and read
    # the tail only once they hold it (a statement of its own, whose
    # snapshot is taken after the lock is granted).
    locked = driver.execute(LOCK_AND_TAIL_SQL)
    locked.nextset()
    entries = log_rows(locked.fetchone(), records)
    if len(entries) == 1:
        # psycopg's executemany runs a pipeline, which for one row cost twice
        # the CPU of the whole append.
        driver.execute(INSERT_LOG_SQL, entries[0], prepare=True)
        return
    # A group goes in by COPY: a quarter of executemany's CPU for a batch's
    # thousand entries, and as cheap for a few.
    with driver.cursor() as cursor, cursor.copy(COPY_LOG_SQL) as copy:
        for entry in entries:
            copy.write_row(entry)


def log_rows(
    tail: tuple[int, str] | None, records: Sequence[LogRecord]
) -> list[tuple[Any, ...]]:
    """Returns the log rows of the records, chained on from the tail (LOG-1)."""
    seq, previous = (0, GENESIS) if tail is None else tail
    entries = []
    moment, at = None, ""
    for record in records:
        seq += 1
        if record.at is not moment:
            # A batch's entries share one moment: put in words once.
            moment, at = record.at, _moment_text(record.at)
        entries.append(_entry(seq, record, previous, at))
        previous = entries[-1][-1]
    return entries


def _moment_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"moment {moment.isoformat()} has no time zone")
    return moment_text(moment)


def _entry(
    seq: int, record: LogRecord, previous: str, at: str | None = None
) -> tuple[Any, ...]:
    # The body is stored as the JSON text it is hashed as, encoded once, so
    # that what is read back hashes alike whatever types the caller put in it.
    if at is None:
        at = _moment_text(record.at)
    body = body_text(record.body)
    digest = chained_hash(seq, at, record.kind, record.subject, body, previous)
    return (seq, record.at, record.kind, record.subject, body, previous, digest)


def _client(row: Any) -> ApiClient:
    return ApiClient(
        row.id, row.register, row.secret_hash, row.operator, row.created, row.revoked
    )


def _upsert(
    conn: Connection, table: Any, values: dict[str, Any], keys: tuple[str, ...]
) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(values)
    changed = {k: statement.excluded[k] for k in values if k not in keys}
    if changed:
        conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))
    else:
        conn.execute(statement.on_conflict_do_nothing(index_elements=keys))


def _joint_areas(conn: Connection) -> dict[str, list[str]]:
    areas: dict[str, list[str]] = {}
    for area, register in conn.execute(select(JointAreaMemberRow.__table__)):
        areas.setdefault(area, []).append(register)
    return areas


def _load_calendar(conn: Connection) -> Calendar:
    base = {
        Setting(r.setting): r.value
        for r in conn.execute(select(CalendarSettingRow.__table__))
    }
    changes = conn.execute(
        select(SettingChangeRow.__table__).order_by(SettingChangeRow.seq)
    )
    versions = conn.execute(
        select(NoticeVersionRow.__table__).order_by(
            NoticeVersionRow.current_from, NoticeVersionRow.version
        )
    )
    return Calendar(
        base,
        tuple(
            SettingChange(Setting(r.setting), r.value, r.effective_from)
            for r in changes
        ),
        tuple(NoticeVersion(r.version, r.current_from, r.known_from) for r in versions),
    )


def as_store(store: SqlStore) -> Store:
    """Returns the store as the port; mypy proves here that it implements it."""
    return store
