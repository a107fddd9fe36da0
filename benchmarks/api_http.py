"""The decision API over real HTTP on loopback, against a large PostgreSQL store.

Run as `.venv/bin/python benchmarks/api_http.py [--people N]`. It loads a fresh
database `bench_http_<pid>` with benchmarks/store.py's population, issues a
care client (register hus-health) and an operator client with
`ClientService`, starts uvicorn over a `SqlStore` in a subprocess, as
`kanta-consent serve` runs it (one process, JSON request log), and drives it
with wrk (Debian's `wrk`; a Python load generator when it is missing).
It prints:

- GET /health requests/s, the no-op yardstick;
- POST /api/v1/decisions requests/s with p50 and p99, with every decision
  logged (the care client) and without the log append (the operator client,
  whose answers are not disclosures and are not logged, DIS-12);
- p99 at a fixed 500 requests/s, open loop: each request is timed from the
  moment it was due, so a stalled server cannot hide its queue;
- POST /api/v1/decisions/batch with 1,000 queries a call: decisions/s.

Goals (issue 4): single decisions at least half the no-op rate with every
decision logged; p99 under 10 ms at 500 requests/s; batch at least 20,000
decisions/s. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import importlib.util
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

CARE_REGISTER = "hus-health"
GOAL_BATCH = 20_000
GOAL_P99_AT_500_MS = 10.0


def _store_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_store", Path(__file__).parent / "store.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_store"] = module
    spec.loader.exec_module(module)
    return module


bench_store = _store_module()


# The server, in its own process


def serve(url: str, port: int) -> None:
    """Runs the app over a SqlStore of the URL, as `kanta-consent serve` does."""
    import gc

    import uvicorn

    from kanta_consent.adapters.logging import configure_logging
    from kanta_consent.adapters.sql import SqlStore, make_engine
    from kanta_consent.entrypoints.api.app import build_app
    from kanta_consent.settings import Settings

    settings = Settings(database_url=url, log_format="json")
    configure_logging(settings.log_format)
    app = build_app(settings, SqlStore(make_engine(url)))
    gc.freeze()
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


def free_port() -> int:
    """Returns a loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """The server subprocess; its output goes to a file shown if it fails."""

    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.output = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="bench-http-", suffix=".log"
        )
        command = [sys.executable, __file__, "--serve", url, "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, stdout=self.output, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(self.base + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the server did not start:\n{self.tail()}")

    def tail(self) -> str:
        """Returns the last lines the server wrote."""
        return "\n".join(Path(self.output.name).read_text().splitlines()[-20:])

    def stop(self) -> None:
        """Stops the server and waits for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


# What to ask


@dataclass(frozen=True)
class Client:
    """An API client's credentials."""

    id: str
    secret: str

    @property
    def header(self) -> str:
        token = base64.b64encode(f"{self.id}:{self.secret}".encode()).decode()
        return "Basic " + token


def issue_clients(url: str) -> tuple[Client, Client]:
    """Issues a care client of CARE_REGISTER and an operator client."""
    from kanta_consent.adapters.sql import SqlStore, make_engine
    from kanta_consent.domain.identity import HELSINKI
    from kanta_consent.services.clients import ClientService

    engine = make_engine(url)
    service = ClientService(SqlStore(engine))
    now = datetime.now(HELSINKI)
    care = service.add(CARE_REGISTER, now)
    operator = service.add(CARE_REGISTER, now, operator=True)
    engine.dispose()
    return (
        Client(care.client.id, care.secret),
        Client(operator.client.id, operator.secret),
    )


def queries(population: Any, count: int, seed: int) -> list[dict[str, Any]]:
    """Returns request bodies asked as CARE_REGISTER about random people.

    Nine in ten name a service event of the person (which the API looks up),
    the others only the data's register; a few are emergencies.
    """
    rng = random.Random(seed)
    specs = {r.id: r for r in bench_store.registers()}
    found = []
    for _ in range(count):
        person, event, register, _, _ = rng.choice(population.sample.rows)
        data: dict[str, Any] = {
            "sector": specs[register].kind.sector.value,
            "register": register,
        }
        if rng.random() < 0.9:
            data["event"] = event
        purpose = "emergency" if rng.random() < 0.03 else "care"
        found.append(
            {
                "person": person,
                "data": data,
                "recipient": CARE_REGISTER,
                "purpose": purpose,
            }
        )
    return found


# Closed-loop load: wrk, or Python when wrk is missing


@dataclass
class Result:
    """Requests per second, p50 and p99 in ms, and what went wrong."""

    rate: float
    p50: float
    p99: float
    requests: int
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk(
    base: str,
    path: str,
    bodies: list[str] | None,
    header: str | None,
    connections: int,
    seconds: float,
) -> Result:
    """Runs wrk against the path: GET without bodies, else POST of the bodies in
    turn; each connection starts at its own place in the list."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lines = ['wrk.headers["Content-Type"] = "application/json"']
        if header:
            lines.append(f'wrk.headers["Authorization"] = {_lua_string(header)}')
        if bodies:
            lines.append("bodies = {")
            lines.extend(f"  {_lua_string(b)}," for b in bodies)
            lines.append("}")
            lines.append("counter = 0")
            lines.append(
                "function setup(thread) counter = counter + 1; "
                "thread:set('start', counter * 9973) end"
            )
            lines.append(
                "function init(args) n = start end\n"
                "function request()\n"
                "  n = n + 1\n"
                "  return wrk.format('POST', nil, nil, bodies[n % #bodies + 1])\n"
                "end"
            )
        lines.append(
            "function done(summary, latency, requests)\n"
            "  io.write(string.format('ERRORS %d %d %d %d %d\\n',\n"
            "    summary.errors.connect, summary.errors.read, summary.errors.write,\n"
            "    summary.errors.status, summary.errors.timeout))\n"
            "end"
        )
        script.write("\n".join(lines) + "\n")
    try:
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(int(seconds), 1)}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            script.name,
            base + path,
        ]
        out = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    percentiles = {
        int(p): float(v) * _UNITS[u]
        for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    errors = sum(int(n) for n in re.search(r"ERRORS ([\d ]+)", out).group(1).split())  # type: ignore[union-attr]
    return Result(rate, percentiles[50], percentiles[99], total, errors)


async def _python_closed_loop(
    base: str,
    path: str,
    bodies: list[str] | None,
    header: str | None,
    connections: int,
    seconds: float,
) -> Result:
    headers = {"Content-Type": "application/json"}
    if header:
        headers["Authorization"] = header
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        deadline = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal errors
            n = offset
            while time.perf_counter() < deadline:
                n += 1
                began = time.perf_counter()
                try:
                    if bodies:
                        body = bodies[n % len(bodies)]
                        response = await client.post(
                            path, content=body, headers=headers
                        )
                    else:
                        response = await client.get(path, headers=headers)
                    if response.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(worker(i * 9973) for i in range(connections)))
        spent = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return Result(
        len(latencies) / spent, cuts[49] * 1000, cuts[98] * 1000, len(latencies), errors
    )


def closed_loop(
    base: str,
    path: str,
    bodies: list[str] | None,
    header: str | None,
    connections: int,
    seconds: float,
) -> Result:
    """Keeps `connections` requests in flight for `seconds`."""
    if shutil.which("wrk"):
        return wrk(base, path, bodies, header, connections, seconds)
    return asyncio.run(
        _python_closed_loop(base, path, bodies, header, connections, seconds)
    )


# Open-loop load at a fixed rate


def _raw_request(host: str, path: str, body: str, header: str) -> bytes:
    data = body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {header}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


_LENGTH = re.compile(rb"(?i)\r\ncontent-length:\s*(\d+)")


async def _paced(
    base: str, path: str, bodies: list[str], header: str, rate: float, seconds: float
) -> Result:
    # A lean HTTP/1.1 client over a fixed set of kept-alive connections, so
    # that the generator keeps its pace on a busy machine where httpx could
    # not: each request is due at its moment, waits for a free connection if
    # all are busy, and is timed from when it was due.
    url = httpx.URL(base)
    host, port = url.host, url.port or 80
    raws = [_raw_request(f"{host}:{port}", path, b, header) for b in bodies]
    free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]]
    free = asyncio.Queue()
    for _ in range(64):
        free.put_nowait(await asyncio.open_connection(host, port))
    latencies: list[float] = []
    errors = 0

    async def one(due: float, raw: bytes) -> None:
        nonlocal errors
        await asyncio.sleep(max(due - time.perf_counter(), 0))
        reader, writer = await free.get()
        try:
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            if int(head[9:12]) >= 400:
                errors += 1
            free.put_nowait((reader, writer))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            errors += 1
            writer.close()
            free.put_nowait(await asyncio.open_connection(host, port))
        latencies.append(time.perf_counter() - due)

    count = int(rate * seconds)
    start = time.perf_counter() + 0.1
    due = {
        asyncio.create_task(one(start + i / rate, raws[i % len(raws)])): start
        + i / rate
        for i in range(count)
    }
    # Bounded: what is not answered 20 s after the last one was due is
    # cancelled and counted as an error, timed up to the cancelling.
    _, late = await asyncio.wait(due, timeout=seconds + 20)
    stopped = time.perf_counter()
    for task in late:
        task.cancel()
        latencies.append(stopped - due[task])
    errors += len(late)
    spent = time.perf_counter() - start
    while not free.empty():
        free.get_nowait()[1].close()
    cuts = statistics.quantiles(latencies, n=100)
    return Result(count / spent, cuts[49] * 1000, cuts[98] * 1000, count, errors)


def paced(
    base: str, path: str, bodies: list[str], header: str, rate: float, seconds: float
) -> Result:
    """Sends requests at a fixed rate, whatever the answers' pace (open loop)."""
    return asyncio.run(_paced(base, path, bodies, header, rate, seconds))


def line(label: str, result: Result, unit: str = "requests/s", scale: int = 1) -> str:
    """Formats a result as one line."""
    errors = f", {result.errors:,} ERRORS" if result.errors else ""
    return (
        f"{label:<44} {result.rate * scale:>9,.0f} {unit}   p50 {result.p50:7.2f} ms"
        f"   p99 {result.p99:7.2f} ms   ({result.requests:,} requests{errors})"
    )


def main() -> None:
    """Loads, serves, measures and prints; drops the database at the end."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="length of each closed-loop run")  # fmt: skip
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=float, default=500.0,
                        help="requests/s of the open-loop run")  # fmt: skip
    parser.add_argument("--postgres", default=bench_store.POSTGRES,
                        help="server URL without a database name")  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return

    tool = "wrk" if shutil.which("wrk") else "a Python load generator (no wrk)"
    print(f"HTTP benchmark: {args.people:,} people in PostgreSQL, uvicorn, {tool}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    with bench_store.postgres_database(args.postgres, "bench_http") as url:
        engine = bench_store.make_engine(url)
        began = time.perf_counter()
        population = bench_store.load_population(engine, args.people, seed=args.seed)
        engine.dispose()
        print(f"loaded in {time.perf_counter() - began:.1f} s")
        care, operator = issue_clients(url)
        asked = queries(population, 4_000, args.seed)
        singles = [json.dumps(q) for q in asked]
        batches = [
            json.dumps({"queries": asked[i : i + 1000]}) for i in range(0, 4000, 1000)
        ]
        server = Server(url)
        meter = Meter(server, url)
        try:
            run(args, server.base, meter, care, operator, singles, batches)
        finally:
            server.stop()
            meter.monitor.dispose()


def process_cpu(pid: int) -> float:
    """Returns the CPU seconds a process (all its threads) has used, or 0."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """CPU time of the server process and of its database's backends."""

    def __init__(self, server: Server, url: str) -> None:
        from sqlalchemy.pool import NullPool

        self.pid = server.process.pid
        self.monitor = bench_store.make_engine(url, poolclass=NullPool)

    def __call__(self, label: str, measure: Any, scale: int = 1) -> Result:
        """Runs the measurement and prints its line with CPU ms per request."""
        before = process_cpu(self.pid)
        backends = bench_store.postgres_cpu(self.monitor)
        result: Result = measure()
        server = process_cpu(self.pid) - before
        database = sum(bench_store.postgres_cpu(self.monitor, backends).values())
        unit = "decisions/s" if scale > 1 else "requests/s"
        print(
            line(label, result, unit, scale)
            + f"; CPU per request {server / max(result.requests, 1) * 1000:.2f} ms"
            f" server + {database / max(result.requests, 1) * 1000:.2f} ms PostgreSQL",
            flush=True,
        )
        return result


def run(
    args: argparse.Namespace,
    base: str,
    meter: Meter,
    care: Client,
    operator: Client,
    singles: list[str],
    batches: list[str],
) -> None:
    """Measures every endpoint in turn and prints the lines and the verdicts."""
    conns, seconds = args.connections, args.seconds
    path = "/api/v1/decisions"
    batch_path = path + "/batch"
    # Warm the server: the directory, the calendar, the clients, the statements.
    closed_loop(base, path, singles, care.header, conns, 2)
    noop = meter(
        "GET /health (no-op yardstick)",
        lambda: closed_loop(base, "/health", None, None, conns, seconds),
    )
    meter(
        "POST /decisions, without the log (operator)",
        lambda: closed_loop(base, path, singles, operator.header, conns, seconds),
    )
    logged = meter(
        "POST /decisions, every decision logged",
        lambda: closed_loop(base, path, singles, care.header, conns, seconds),
    )
    fixed = meter(
        f"POST /decisions at a fixed {args.rate:,.0f}/s, logged",
        lambda: paced(base, path, singles, care.header, args.rate, seconds),
    )
    meter(
        "POST /batch x1000, without the log",
        lambda: closed_loop(base, batch_path, batches, operator.header, 2, seconds),
        1000,
    )
    batch = meter(
        "POST /batch x1000, every decision logged",
        lambda: closed_loop(base, batch_path, batches, care.header, 2, seconds),
        1000,
    )

    half = logged.rate >= noop.rate / 2
    print(
        f"goal: logged single decisions >= half the no-op rate "
        f"({logged.rate:,.0f} vs {noop.rate / 2:,.0f}): {'met' if half else 'NOT met'}"
    )
    within = fixed.p99 < GOAL_P99_AT_500_MS and not fixed.errors
    print(
        f"goal: p99 < {GOAL_P99_AT_500_MS:.0f} ms at {args.rate:,.0f}/s "
        f"({fixed.p99:.2f} ms): {'met' if within else 'NOT met'}"
    )
    fast = batch.rate * 1000 >= GOAL_BATCH and not batch.errors
    print(
        f"goal: batch >= {GOAL_BATCH:,} decisions/s, logged "
        f"({batch.rate * 1000:,.0f}): {'met' if fast else 'NOT met'}"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
