"""Decisions per second against a store of a million people in PostgreSQL.

Run as `.venv/bin/python benchmarks/store.py [--people N]`. It creates a
fresh database `bench_store_<pid>` on the PostgreSQL of `--postgres`, loads
a synthetic population into it with COPY (people, a few service events each,
earlier-law informings or consents for about 85 %, some permissions, under
1 % prohibitions, over a directory shaped like the demo's), then decides
random queries one at a time on one thread through the path the API takes
for a query naming a service event: `find_event`, then
`ConsentService.decide`. It prints decisions per second with p50 and p99
latency, without and with the log append (DIS-12, LOG-1), and the size of
the database per million people, in PostgreSQL and, from a smaller
population loaded with SQLAlchemy's insertmany, in SQLite. The database is
dropped at the end. Goals (issue 3): without the log at least 5,000
decisions per second, p99 under 5 ms.

`load_population` is also what benchmarks/api_http.py serves from.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.pool import NullPool

from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as store_calendar
from kanta_consent.adapters.sql.tables import (
    ChoiceRow,
    JointAreaMemberRow,
    OrganisationRow,
    PersonRow,
    RegisterRow,
    ServiceEventRow,
)
from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.codes import Purpose, RegisterKind
from kanta_consent.domain.decide import Data
from kanta_consent.domain.identity import HELSINKI, check_character
from kanta_consent.services.consent import ConsentService

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
GOAL_RATE = 5_000
GOAL_P99_MS = 5.0

# The directory: the public organisers of ../shared/data (ids only), each
# with a health, an occupational health and a social welfare register; the
# predecessors that ended on 2022-12-31; a few private providers.
PUBLIC = (
    "ita-uusimaa", "keski-uusimaa", "lansi-uusimaa", "vantaa-kerava",
    "varsinais-suomi", "satakunta", "kanta-hame", "pirkanmaa", "paijat-hame",
    "kymenlaakso", "etela-karjala", "etela-savo", "pohjois-savo",
    "pohjois-karjala", "keski-suomi", "etela-pohjanmaa", "pohjanmaa",
    "keski-pohjanmaa", "pohjois-pohjanmaa", "kainuu", "lappi", "helsinki", "hus",
)  # fmt: skip
UUSIMAA = ("ita-uusimaa", "keski-uusimaa", "lansi-uusimaa", "vantaa-kerava",
           "helsinki", "hus")  # fmt: skip
PREDECESSORS = (
    "vsshp", "tampere", "pshp", "vantaa", "phhyky", "ksshp", "satshp", "khshp",
    "epshp", "siunsote", "essote", "ppshp", "lpshp",
)  # fmt: skip
PRIVATE = (
    ("kuusikko", (RegisterKind.PRIVATE_HEALTH,
                  RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH)),
    ("pihlaja", (RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH,)),
    ("kaisla", (RegisterKind.PRIVATE_HEALTH,)),
    ("kanerva", (RegisterKind.PRIVATE_SOCIAL,)),
    ("vaahtera", (RegisterKind.PRIVATE_SOCIAL, RegisterKind.PRIVATE_HEALTH)),
)  # fmt: skip
ENDED = date(2022, 12, 31)
REFORM = datetime(2021, 11, 1, tzinfo=HELSINKI)

FIRST = ("Aino", "Eino", "Helmi", "Juha", "Kaisa", "Lauri", "Maria", "Oskari",
         "Sanna", "Tapio", "Venla", "Ville")  # fmt: skip
LAST = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine",
        "Heikkinen", "Koskinen", "Järvinen", "Lehtonen")  # fmt: skip

PERSON_COLUMNS = ("code", "name", "safety_ban")
EVENT_COLUMNS = ("id", "person", "register", "recorded", "kanta", "capacity",
                 "task", "recorded_by")  # fmt: skip
CHOICE_COLUMNS = tuple(c.name for c in ChoiceRow.__table__.columns if c.name != "seq")


@dataclass(frozen=True)
class RegisterSpec:
    """A register of the benchmark's directory."""

    id: str
    organisation: str
    kind: RegisterKind
    kanta_from: date | None = None


def registers() -> list[RegisterSpec]:
    """Returns every register of the directory."""
    found = []
    for n, org in enumerate(PUBLIC):
        found.append(RegisterSpec(f"{org}-health", org, RegisterKind.PUBLIC_HEALTH))
        found.append(
            RegisterSpec(
                f"{org}-occupational", org, RegisterKind.PUBLIC_OCCUPATIONAL_HEALTH
            )
        )
        kanta_from = date(2023, 11, 30) + timedelta(days=91 * (n % 6))
        found.append(
            RegisterSpec(f"{org}-social", org, RegisterKind.PUBLIC_SOCIAL, kanta_from)
        )
    for org in PREDECESSORS:
        found.append(RegisterSpec(f"{org}-health", org, RegisterKind.PUBLIC_HEALTH))
    for org, kinds in PRIVATE:
        for kind in kinds:
            found.append(RegisterSpec(f"{org}-{kind.value}", org, kind))
    return found


@dataclass
class Sample:
    """Events to ask about: person, event id, register, day recorded, in Kanta."""

    rows: list[tuple[str, str, str, date, bool]] = field(default_factory=list)


@dataclass
class Population:
    """What was loaded: counts of rows, and a sample of people to ask about."""

    people: int = 0
    events: int = 0
    choices: int = 0
    sample: Sample = field(default_factory=Sample)


def person_code(index: int) -> tuple[str, date]:
    """Returns a distinct test code (900-999, ID-3) and birth date for an index.

    Birth days run over a hundred years, and each day has a hundred codes.
    """
    days = 36_500
    born = date(1925, 1, 1) + timedelta(days=index % days)
    number = 900 + index // days
    if number > 999:
        raise ValueError(f"people: at most {days * 100:,} test codes")
    ddmmyy = born.strftime("%d%m%y")
    sign = "-" if born.year < 2000 else "A"
    digits = f"{ddmmyy}{number:03d}"
    return f"{ddmmyy}{sign}{number:03d}{check_character(digits)}", born


class Generator:
    """Makes the rows of a synthetic population, chunk by chunk, reproducibly."""

    def __init__(self, seed: int, now: datetime, sample_every: int) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.sample_every = sample_every
        self.registers = registers()
        self.health = [r for r in self.registers if r.kind.sector.value == "health"]
        self.social = [r for r in self.registers if r.kind.sector.value == "social"]
        self.event_no = 0

    def _id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def chunk(
        self, start: int, stop: int, population: Population
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Returns the rows of people, events and choices of indexes start..stop."""
        rng = self.rng
        people, events, choices = [], [], []
        today = self.now.date()
        for index in range(start, stop):
            code, born = person_code(index)
            name = f"{rng.choice(LAST)} {rng.choice(FIRST)}"
            people.append((code, name, rng.random() < 0.005))
            home = rng.choice(self.health)
            own: list[tuple[str, str, date, bool]] = []
            for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5, 6))):
                self.event_no += 1
                social = rng.random() < 0.15
                register = rng.choice(self.social) if social else (
                    home if rng.random() < 0.7 else rng.choice(self.health)
                )  # fmt: skip
                earliest = max(born, date(2012, 1, 1))
                span = max((today - earliest).days, 1)
                recorded = earliest + timedelta(days=rng.randrange(span))
                event_id = f"1.2.246.10.{self.event_no:010d}"
                minor = (recorded - born).days < 18 * 365
                events.append(
                    (
                        event_id,
                        code,
                        register.id,
                        recorded,
                        rng.random() < 0.97,
                        rng.choice("1234") if minor and rng.random() < 0.3 else None,
                        "families" if social else None,
                        None,
                    )
                )
                own.append(events[-1][:1] + events[-1][2:5])
            choices.extend(self._choices(code, born, own))
            if index % self.sample_every == 0:
                event_id, register_id, recorded, kanta = rng.choice(own)
                population.sample.rows.append(
                    (code, event_id, register_id, recorded, kanta)
                )
        population.people += len(people)
        population.events += len(events)
        population.choices += len(choices)
        return people, events, choices

    def _choices(
        self, code: str, born: date, own: list[tuple[str, str, date, bool]]
    ) -> list[tuple[Any, ...]]:
        rng = self.rng
        roll = rng.random()
        if roll >= 0.85:
            return []  # not informed (DIS-3)
        rows = []
        first = datetime(2015, 1, 1, 9, tzinfo=UTC) + timedelta(
            minutes=rng.randrange(3_600_000)
        )
        first = max(first, datetime(born.year, born.month, born.day, 12, tzinfo=UTC))
        legacy = first < REFORM
        common = {
            "person": code,
            "at": first,
            "actor_role": "import" if legacy else "self",
            "actor_person": None if legacy else code,
            "actor_unit": "ward 3" if legacy else None,
            "channel": "care" if legacy else "portal",
            "origin": "legacy" if legacy else "native",
        }
        minor = (first.date() - born).days < 18 * 365
        if roll < 0.5 or not legacy:
            version = None if legacy else "2021-11"
            rows.append(
                {**common, "id": self._id(), "type": "acknowledgement",
                 "version": version, "while_minor": minor}
            )  # fmt: skip
        else:
            rows.append(
                {**common, "id": self._id(), "type": "permission-granted",
                 "scope": "health", "by_minor_in_care": False}
            )  # fmt: skip
        if rng.random() < 0.12:
            # A permission given in the portal after the reform.
            at = datetime(2022, 1, 1, 9, tzinfo=UTC) + timedelta(
                minutes=rng.randrange(2_000_000)
            )
            at = min(at, self.now - timedelta(days=1))
            scope = "social" if rng.random() < 0.3 else "health"
            if scope == "social":
                at = max(at, datetime(2023, 1, 2, tzinfo=UTC))
            actor = {"actor_role": "self", "actor_person": code, "actor_unit": None,
                     "channel": "portal", "origin": "native"}  # fmt: skip
            rows.append(
                {"person": code, "at": at - timedelta(minutes=1), **actor,
                 "id": self._id(), "type": "acknowledgement",
                 "version": "2021-11", "while_minor": False}
            )  # fmt: skip
            rows.append(
                {"person": code, "at": at, **actor, "id": self._id(),
                 "type": "permission-granted", "scope": scope,
                 "by_minor_in_care": False}
            )  # fmt: skip
        if rng.random() < 0.0085:
            # An earlier-law prohibition of one of the person's health events,
            # or of a health register's organisation (PRO-1, PRO-4).
            event_id, register = rng.choice(own)[:2]
            at = max(first + timedelta(days=1), datetime(2021, 6, 1, tzinfo=UTC))
            if rng.random() < 0.6 and not register.endswith("social"):
                target = ("service-event", event_id)
            else:
                target = ("organisation", rng.choice(self.health).organisation)
            rows.append(
                {"person": code, "at": at, "actor_role": "import",
                 "actor_person": None, "actor_unit": "ward 3", "channel": "care",
                 "origin": "legacy", "id": self._id(), "type": "prohibition-given",
                 "target_kind": target[0], "target_ref": target[1],
                 "sectors": "health", "emergency_allowed": rng.random() < 0.5,
                 "by_minor_in_care": False}
            )  # fmt: skip
        return [tuple(r.get(c) for c in CHOICE_COLUMNS) for r in rows]


def write_directory(engine: Engine) -> None:
    """Writes the organisations, registers and the Uusimaa joint area."""
    specs = registers()
    organisations = [
        {"id": org, "public": True, "ended": None, "name": org} for org in PUBLIC
    ]
    organisations += [
        {"id": org, "public": True, "ended": ENDED, "name": org} for org in PREDECESSORS
    ]
    organisations += [
        {"id": org, "public": False, "ended": None, "name": org} for org, _ in PRIVATE
    ]
    with engine.begin() as conn:
        conn.execute(insert(OrganisationRow.__table__), organisations)
        conn.execute(
            insert(RegisterRow.__table__),
            [
                {
                    "id": r.id,
                    "organisation": r.organisation,
                    "kind": r.kind.value,
                    "kanta_from": r.kanta_from,
                    "name": r.id,
                }
                for r in specs
            ],
        )
        conn.execute(
            insert(JointAreaMemberRow.__table__),
            [{"area": "uusimaa-health", "register": f"{o}-health"} for o in UUSIMAA],
        )
    store_calendar(SqlStore(engine), Calendar())


def load_population(
    engine: Engine,
    people: int,
    *,
    seed: int = 2026,
    sample: int = 200_000,
    chunk: int = 50_000,
    progress: bool = True,
) -> Population:
    """Creates the schema and loads `people` people with their events and choices.

    PostgreSQL is loaded with COPY, its foreign key triggers off for the
    session (the rows are consistent by construction); SQLite with
    SQLAlchemy's insertmany. Keeps a sample of about `sample` queries.
    """
    create_schema(engine)
    write_directory(engine)
    population = Population()
    generator = Generator(seed, datetime.now(HELSINKI), max(people // sample, 1))
    began = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"
    with _loader(engine, postgres) as write:
        for start in range(0, people, chunk):
            stop = min(start + chunk, people)
            write(*generator.chunk(start, stop, population))
            if progress and (stop // chunk) % 5 == 0:
                spent = time.perf_counter() - began
                print(f"  loaded {stop:>9,} people in {spent:6.1f} s", flush=True)
    if postgres:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
            # Written out now, so that no checkpoint of the load's pages
            # competes with the measurements for the disk.
            c.execute(text("CHECKPOINT"))
    else:
        with engine.connect() as c:
            c.exec_driver_sql("ANALYZE")
    return population


@contextmanager
def _loader(engine: Engine, postgres: bool) -> Iterator[Any]:
    if not postgres:
        with engine.begin() as conn:

            def write_sqlite(people: Any, events: Any, choices: Any) -> None:
                for table, columns, rows in (
                    (PersonRow.__table__, PERSON_COLUMNS, people),
                    (ServiceEventRow.__table__, EVENT_COLUMNS, events),
                    (ChoiceRow.__table__, CHOICE_COLUMNS, choices),
                ):
                    values = [dict(zip(columns, r, strict=True)) for r in rows]
                    conn.execute(insert(table), values)

            yield write_sqlite
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET session_replication_role = replica")

        def write_postgres(people: Any, events: Any, choices: Any) -> None:
            for table, columns, rows in (
                ("persons", PERSON_COLUMNS, people),
                ("service_events", EVENT_COLUMNS, events),
                ("choices", CHOICE_COLUMNS, choices),
            ):
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

        yield write_postgres
        raw.commit()
    finally:
        raw.close()


@contextmanager
def postgres_database(base: str, prefix: str) -> Iterator[str]:
    """Creates a uniquely named database, yields its URL, and drops it."""
    name = f"{prefix}_{os.getpid()}"
    admin = make_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


Asked = tuple[str, Data, str, Purpose]


def queries(population: Population, count: int, seed: int) -> list[Asked]:
    """Returns random queries: person, data, recipient register, purpose.

    Nine in ten name a service event of the person, the others only the
    data's register; the recipient is another register, a few times the
    data's own; a few are emergencies.
    """
    rng = random.Random(seed)
    specs = {r.id: r for r in registers()}
    found = []
    for _ in range(count):
        person, event, register, recorded, kanta = rng.choice(population.sample.rows)
        sector = specs[register].kind.sector
        if rng.random() < 0.9:
            data = Data(sector, register, event, kanta, recorded)
        else:
            data = Data(sector, register)
        recipient = register if rng.random() < 0.05 else rng.choice(list(specs))
        purpose = Purpose.EMERGENCY if rng.random() < 0.03 else Purpose.CARE
        found.append((person, data, recipient, purpose))
    return found


def measure(
    service: ConsentService,
    asked: list[Asked],
    seconds: float,
    *,
    logged: bool,
    lookup: bool = False,
    monitor: Engine | None = None,
) -> Run:
    """Decides the queries in turn, for at most `seconds`.

    With `lookup`, a query naming an event first finds it in the store, as
    the API does for a care system that names only the event.
    """
    store = service.store
    directory = store.directory()
    latencies: list[float] = []
    context = {"client": "benchmark"}
    cpu = time.process_time()
    backends = postgres_cpu(monitor)
    began = time.perf_counter()
    deadline = began + seconds
    for person, data, recipient, purpose in asked:
        start = time.perf_counter()
        if lookup and data.event is not None:
            event = store.find_event(data.event)
            if event is not None and event.person == person:
                data = Data.of_event(event, directory.registers[event.register])
        service.decide(
            person,
            data,
            recipient,
            purpose,
            datetime.now(HELSINKI),
            disclosure=logged,
            context=context,
        )
        end = time.perf_counter()
        latencies.append(end - start)
        if end > deadline:
            break
    spent = time.perf_counter() - began
    server = sum(postgres_cpu(monitor, backends).values())
    return Run(len(latencies), spent, latencies, time.process_time() - cpu, server)


@dataclass
class Run:
    """A measurement: decisions, seconds, latencies, CPU seconds here and in
    the database's server processes."""

    count: int
    spent: float
    latencies: list[float]
    cpu: float
    server_cpu: float


def postgres_cpu(
    engine: Engine | None, since: dict[int, float] | None = None
) -> dict[int, float]:
    """Returns the CPU seconds of each server process of the engine's database
    but its own (from /proc), less those of `since`; empty where /proc cannot
    tell. The engine must not be the one measured (NullPool is best)."""
    if engine is None or not os.path.exists("/proc/self/stat"):
        return {}
    query = text(
        "SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with engine.connect() as conn:
        pids = list(conn.execute(query).scalars())
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    if since is not None:
        found = {pid: cpu - since.get(pid, 0.0) for pid, cpu in found.items()}
    return found


def report(label: str, run: Run) -> float:
    """Prints and returns the rate, with p50 and p99 in milliseconds and the
    CPU time of one decision here and in PostgreSQL."""
    cuts = statistics.quantiles(run.latencies, n=100)
    rate = run.count / run.spent
    here = run.cpu / run.count * 1e6
    there = run.server_cpu / run.count * 1e6
    print(
        f"{label:<34} {rate:>8,.0f} decisions/s   p50 {cuts[49] * 1000:6.3f} ms"
        f"   p99 {cuts[98] * 1000:6.3f} ms   ({run.count:,} decisions; CPU each "
        f"{here:,.0f} us here + {there:,.0f} us in PostgreSQL)"
    )
    return rate


def database_size(engine: Engine) -> int:
    """Returns the bytes of the current PostgreSQL database."""
    with engine.connect() as conn:
        size: int = conn.execute(
            text("SELECT pg_database_size(current_database())")
        ).scalar_one()
        return size


def sqlite_size(people: int, seed: int) -> tuple[int, float]:
    """Loads `people` into a fresh SQLite file; returns its bytes and load time."""
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        path = Path(folder) / "store.db"
        engine = make_engine(f"sqlite:///{path}")
        began = time.perf_counter()
        load_population(engine, people, seed=seed, progress=False)
        spent = time.perf_counter() - began
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        return size, spent


def main() -> None:
    """Loads, measures and prints; drops the database at the end."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="at most this long for each measurement")  # fmt: skip
    parser.add_argument("--decisions", type=int, default=50_000,
                        help="at most this many decisions per measurement")  # fmt: skip
    parser.add_argument("--sqlite-people", type=int, default=20_000)
    parser.add_argument("--postgres", default=POSTGRES,
                        help="server URL without a database name")  # fmt: skip
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile's top of the unlogged run")  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    print(f"store benchmark: {args.people:,} people in PostgreSQL, one thread")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    with postgres_database(args.postgres, "bench_store") as url:
        engine = make_engine(url)
        began = time.perf_counter()
        population = load_population(engine, args.people, seed=args.seed)
        spent = time.perf_counter() - began
        rows = population.people + population.events + population.choices
        print(
            f"loaded {population.people:,} people, {population.events:,} events, "
            f"{population.choices:,} choices in {spent:.1f} s "
            f"({rows / spent:,.0f} rows/s, COPY)"
        )
        size = database_size(engine)
        per_million = size / population.people * 1_000_000
        print(
            f"PostgreSQL size: {size / 2**20:,.0f} MiB, "
            f"{per_million / 2**30:.2f} GiB per million people"
        )
        store = SqlStore(make_engine(url))
        service = ConsentService(store)
        asked = queries(population, args.decisions, args.seed)
        monitor = make_engine(url, poolclass=NullPool)
        measure(service, asked[:2_000], 60, logged=False)  # warm the caches
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        unlogged = measure(service, asked, args.seconds, logged=False, monitor=monitor)
        if profile:
            profile.disable()
        rate = report("decide, without the log:", unlogged)
        logged = measure(service, asked, args.seconds, logged=True, monitor=monitor)
        report("decide, with the log append:", logged)
        for logs in (False, True):
            looked = measure(
                service, asked, args.seconds, logged=logs, lookup=True, monitor=monitor
            )
            report(f"find_event+decide, {'with' if logs else 'without'} log:", looked)
        p99 = statistics.quantiles(unlogged.latencies, n=100)[98] * 1000
        verdict = "met" if rate >= GOAL_RATE and p99 < GOAL_P99_MS else "NOT met"
        print(
            f"goal without the log: >= {GOAL_RATE:,}/s and p99 < {GOAL_P99_MS} ms: "
            f"{verdict}"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        store.engine.dispose()
        monitor.dispose()
        engine.dispose()
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    if args.sqlite_people > 0:
        size, spent = sqlite_size(args.sqlite_people, args.seed)
        per_million = size / args.sqlite_people * 1_000_000
        print(
            f"SQLite size: {size / 2**20:,.1f} MiB for {args.sqlite_people:,} people "
            f"(loaded in {spent:.1f} s, insertmany), "
            f"{per_million / 2**30:.2f} GiB per million people"
        )


if __name__ == "__main__":
    main()
