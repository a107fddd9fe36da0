"""How fast the demo is made and how soon `serve --demo` is healthy.

Run as `.venv/bin/python benchmarks/demo_start.py [PEOPLE]` (default
10,000, the demo's own size). It prints:

- `demo generate` rows per second: the population written as CSV files in
  a temporary folder, in this process;
- seconds from starting `kanta-consent serve --demo` on an empty SQLite
  file until `/health` answers (the goal is under a minute: the README's
  first command), then the same for a second start on the loaded file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from kanta_consent.services.demo_population import csv_sink, generate

GOAL_SECONDS = 60.0
CLI = Path(sys.executable).parent / "kanta-consent"


def generate_rate(people: int, folder: Path) -> tuple[int, float]:
    started = time.perf_counter()
    with csv_sink(folder) as sink:
        counts = generate(sink, people, date.today())
    return counts.total, time.perf_counter() - started


def is_healthy(port: int) -> bool:
    # A raw request, so that the probe costs the machine next to nothing.
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(
                b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            return conn.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def seconds_to_health(database: Path, people: int) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "KANTA_CONSENT_DATABASE_URL": f"sqlite:///{database}",
        "KANTA_CONSENT_DEMO_PEOPLE": str(people),
    }
    command = [str(CLI), "serve", "--demo", "--port", str(port)]
    started = time.perf_counter()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as process:
        try:
            for _ in range(3000):
                if process.poll() is not None:
                    raise SystemExit(f"serve --demo exited {process.returncode}")
                if is_healthy(port):
                    return time.perf_counter() - started
                time.sleep(0.05)
            raise SystemExit("serve --demo never answered /health")
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(prefix="kanta-bench-demo-") as folder:
        rows, elapsed = generate_rate(people, Path(folder) / "files")
        print(
            f"demo generate: {people:,} people, {rows:,} rows in {elapsed:.1f} s "
            f"({rows / elapsed:,.0f} rows/s)"
        )
        database = Path(folder) / "demo.db"
        first = seconds_to_health(database, people)
        second = seconds_to_health(database, people)
    verdict = "meets" if first < GOAL_SECONDS else "misses"
    print(
        f"serve --demo, empty store: healthy after {first:.1f} s ({verdict} "
        f"the goal of {GOAL_SECONDS:.0f} s)"
    )
    print(f"serve --demo, loaded store: healthy after {second:.1f} s")


if __name__ == "__main__":
    main()
