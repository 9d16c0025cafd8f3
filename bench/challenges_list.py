"""How fast the challenge list and a challenge's page answer, with 1,000 published challenges on PostgreSQL.

Creates a fresh database (dropping one left behind by an earlier run), migrates it, loads 1,000 published
challenges across six organisations (every other one co-hosted, every third a copy, two criteria each) in one
bulk insert, starts `uvicorn app.main:create_app --factory` with several workers as a subprocess, warms it up,
then sends concurrent requests from threads (one keep-alive httpx client each) to

    /challenges              the list page (12 cards)
    /challenges?page=20      a page further down
    /api/v1/challenges       the API list (20 items)
    /challenges/{slug}       a challenge's page
    /api/v1/challenges/{slug}

and prints requests per second, p50, p95 and p99 latency and the error count for each. Finally it stops the
server and drops the database. Nothing is asserted: the figures depend on the machine.

    .venv/bin/python bench/challenges_list.py [--workers 4] [--clients 16] [--requests 800]
    make bench BENCH_ARGS="--workers 2"

The database URL defaults to postgresql+psycopg://postgres@127.0.0.1:5432/samskap_bench
(SAMSKAP_BENCH_DATABASE_URL or --database-url); its name must contain "bench", so a real database (or CI's
`test`) is never dropped.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/samskap_bench"
ORGANISATIONS = [
    ("halden", "Halden kommune", "Europe/Oslo"),
    ("baerum", "Bærum kommune", "Europe/Oslo"),
    ("stavanger", "Stavanger kommune", "Europe/Oslo"),
    ("helsingborg", "Helsingborgs stad", "Europe/Stockholm"),
    ("tampere", "Tampereen kaupunki", "Europe/Helsinki"),
    ("oulu", "Oulun kaupunki", "Europe/Helsinki"),
]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# --- the database ------------------------------------------------------------------------------------------------


@contextmanager
def fresh_database(url: str, *, keep: bool) -> Iterator[None]:
    """A new, empty database at `url`, dropped afterwards (unless `keep`)."""
    name = make_url(url).database or ""
    if "bench" not in name or name == "test":
        raise SystemExit(f"Refusing to use the database {name!r}: its name must contain 'bench'.")
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    quoted = '"' + name.replace('"', '""') + '"'
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {quoted}"))
    try:
        yield
    finally:
        if not keep:
            with server.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        server.dispose()


def load(url: str, *, challenges: int, now: datetime) -> list[str]:
    """Migrate, then insert the organisations and `challenges` published challenges; their slugs."""
    # The app reads its settings from the environment; they are pinned before it is imported.
    os.environ["SAMSKAP_DATABASE_URL"] = url
    from sqlmodel import Session

    from app import migrate
    from app.challenges.models import Challenge, ChallengeCoHost, Criterion
    from app.db import make_engine
    from app.organizations.models import Organization, OrganizationKind

    engine = make_engine(url, pool_size=2)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    with Session(engine) as session:
        organizations = [
            Organization(slug=slug, name=name, timezone=zone, kind=OrganizationKind.MUNICIPALITY)
            for slug, name, zone in ORGANISATIONS
        ]
        session.add_all(organizations)
        session.flush()
        source = Challenge(host_id=organizations[0].id, slug="kilde", title="Bærekraftig sentrumshandel",  # type: ignore[arg-type]
                           status="published", published_at=now - timedelta(days=60))  # fmt: skip
        session.add(source)
        session.flush()
        rows = []
        for n in range(challenges):
            start = now - timedelta(days=45) + timedelta(hours=2 * n)  # some open, most upcoming, a few past
            host = organizations[n % len(organizations)]
            challenge = Challenge(
                host_id=host.id, slug=f"utfordring-{n:04d}", status="published", published_at=start - timedelta(days=7),  # type: ignore[arg-type]
                title=f"Grønnere sentrum nummer {n}", summary="Hvordan kan kommunen gjøre sentrum grønnere?",
                problem_statement="Sentrum har **mange tomme lokaler**.\n\n- gjenbruk\n- handel uten bil\n" * 5,
                target_groups=["students", "citizens"], sdg_goals=[11, 12], prize_text="50 000 kroner delt på tre",
                prize_amount=5_000_000 + n * 100, voting_method="single",
                copied_from_id=source.id if n % 3 == 0 else None,
                opens_at=start, submissions_close_at=start + timedelta(days=30),
                review_ends_at=start + timedelta(days=45), voting_opens_at=start + timedelta(days=45),
                voting_closes_at=start + timedelta(days=55), announce_at=start + timedelta(days=60),
            )  # fmt: skip
            challenge.criteria = [
                Criterion(name="Nytteverdi", description="Hvor mye hjelper det innbyggerne?", weight=3, position=0),
                Criterion(name="Gjennomførbarhet", description="Kan kommunen teste det i år?", weight=1, position=1),
            ]
            if n % 2 == 0:
                cohost = organizations[(n + 1) % len(organizations)]
                challenge.cohosts = [ChallengeCoHost(organization_id=cohost.id)]  # type: ignore[arg-type]
            rows.append(challenge)
        session.add_all(rows)
        session.commit()
        slugs = [row.slug for row in rows]
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return slugs


# --- the server --------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(url: str, *, workers: int, port: int) -> Iterator[str]:
    """uvicorn serving the app with `workers` processes, as `samskap serve` starts it; its base URL."""
    env = {**os.environ, "SAMSKAP_DATABASE_URL": url, "SAMSKAP_BASE_URL": f"http://127.0.0.1:{port}"}
    command = [
        sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    # The app logs every request (as in production); the log goes to a file, not between the figures.
    log = tempfile.NamedTemporaryFile(prefix="samskap-bench-", suffix=".log", delete=False)
    out(f"Server log: {log.name}")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"uvicorn exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("uvicorn did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# --- the load ----------------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def drive(base: str, name: str, paths: list[str], *, clients: int, requests: int) -> Result:
    """`requests` GETs spread over `clients` threads, each with its own keep-alive connection."""
    result = Result(name)
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30, headers={"Accept-Language": "nb"}) as http:
            while True:
                with lock:
                    number = next(counter, None)
                if number is None:
                    return
                started = time.perf_counter()
                try:
                    ok = http.get(paths[number % len(paths)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    result.latencies.append(elapsed)
                    result.errors += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], share: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1] if len(values) > 1 else values[0]


def report(results: list[Result]) -> None:
    out(f"{'endpoint':28} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for result in results:
        count = len(result.latencies)
        p50, p95, p99 = (percentile(result.latencies, share) * 1000 for share in (50, 95, 99))
        rate = count / result.seconds
        out(f"{result.name:28} {count:8d} {rate:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} {result.errors:7d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("SAMSKAP_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=4, help="uvicorn worker processes (default 4)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--requests", type=int, default=800, help="requests per endpoint (default 800)")
    parser.add_argument("--warmup", type=int, default=40, help="warm-up requests per endpoint (default 40)")
    parser.add_argument("--challenges", type=int, default=1000, help="published challenges to load (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    now = datetime.now(UTC)
    with fresh_database(args.database_url, keep=args.keep):
        started = time.perf_counter()
        slugs = load(args.database_url, challenges=args.challenges, now=now)
        out(f"Loaded {len(slugs)} challenges in {time.perf_counter() - started:.1f} s.")
        # Detail pages: a spread of challenges (cached pages would flatter the figures).
        details = slugs[:: max(1, len(slugs) // 50)]
        endpoints = [
            ("/challenges", ["/challenges"]),
            ("/challenges?page=20", ["/challenges?page=20"]),
            ("/api/v1/challenges", ["/api/v1/challenges"]),
            ("/challenges/{slug}", [f"/challenges/{slug}" for slug in details]),
            ("/api/v1/challenges/{slug}", [f"/api/v1/challenges/{slug}" for slug in details]),
        ]
        with server(args.database_url, workers=args.workers, port=free_port()) as base:
            for _name, paths in endpoints:
                drive(base, "warm-up", paths, clients=args.clients, requests=args.warmup)
            results = [drive(base, name, paths, clients=args.clients, requests=args.requests)
                       for name, paths in endpoints]  # fmt: skip
        out(f"{os.cpu_count()} CPU cores, {args.workers} uvicorn workers, {args.clients} concurrent clients, "
            f"{args.challenges} published challenges, PostgreSQL")  # fmt: skip
        report(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
