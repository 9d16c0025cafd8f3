"""How fast Samskap's public pages and API reads answer under wrk, beside the floor, on PostgreSQL (`make bench`).

Creates a fresh database (its name must contain "bench"; default samskap_bench), runs `samskap migrate` and
`samskap demo`, bulk-inserts 1,000 published challenges and 2,000 submitted concepts on one of them, then starts

- the app as a user does: `samskap serve --workers 2` (the console script next to this Python), and
- the floor: `bench/floor.py` (FastAPI + Jinja2, 20 rows, same driver) under uvicorn with 2 workers,

and for each address runs a short wrk warm-up, then `wrk -t2 -c10 -d8s --latency` (`/healthz` over one
keep-alive connection: `wrk -t1 -c1`, which shows a stall on kept-alive connections at once). Addresses with
several paths (a challenge's page, a concept's page) cycle through 50 different ones. It prints one table:
requests per second, p50/p95/p99 latency, errors (connection errors, timeouts and answers of 400 and above),
SQL statements per request (counted in-process: one request to the same app on the same database, after one
warm-up request, counting SQLAlchemy's `before_cursor_execute`), and the share of the floor's requests per
second. Then the memory of each app worker, and the database is dropped. Nothing is asserted.

    .venv/bin/python bench/run.py [--concepts 2000] [--duration 8s] [--only gallery] [--keep]
    make bench BENCH_ARGS="--concepts 100"
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import (  # noqa: E402
    DEFAULT_URL,
    ROOT,
    analyze,
    app_env,
    fresh_database,
    load_challenges,
    load_concepts,
    migrate_and_load_demo,
)

BENCH = Path(__file__).resolve().parent
# /healthz answers in well under a millisecond; a median this long over one keep-alive connection is a stall
# (Nagle's algorithm against the client's delayed acknowledgement: 40 ms on Linux), not a busy machine.
STALL_MS = 20
SPREAD = 50  # different challenges and concepts an address with several paths cycles through


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Address:
    name: str
    paths: list[str]
    floor: bool = False  # served by the floor, not the app
    connections: int = 10
    threads: int = 2


@dataclass
class Figures:
    rate: float
    p50: float
    p95: float
    p99: float
    errors: int
    queries: float | None


# --- the machine -------------------------------------------------------------------------------------------------


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def server_stack() -> str:
    """uvicorn's version and the HTTP parser and event loop its `auto` setting picks in this environment."""
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"uvicorn {importlib.metadata.version('uvicorn')} ({http}, {loop})"


# --- the servers -------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    name: str, command: list[str], env: dict[str, str], *, port: int, ready: str, log: IO[bytes]
) -> Iterator[int]:
    """Run `command` until the block ends; wait until `ready` answers 200 on `port`; the process id."""
    out(f"Starting {name}: {' '.join(command)}")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}{ready}", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not answer within 60 s; see {log.name}")
            time.sleep(0.2)
        yield process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def floor_command(port: int, workers: int) -> list[str]:
    """The floor under uvicorn (it reads FLOOR_DATABASE_URL)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "floor:create_app",
        "--factory",
        "--app-dir",
        str(BENCH),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def workers_rss(parent: int) -> list[float]:
    """The resident memory (MiB) of each worker process `parent` started."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != parent:  # the field after the state is the parent's id
                continue
            command = (stat.parent / "cmdline").read_bytes()
            if b"resource_tracker" in command:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except (OSError, IndexError, ValueError):
            continue
    return sorted(sizes)


# --- the load ----------------------------------------------------------------------------------------------------


def wrk(base: str, address: Address, *, duration: str, log: IO[bytes]) -> dict[str, Any]:
    """One wrk run against `address`; the JSON its `done()` prints."""
    command = [
        "wrk",
        f"-t{address.threads}",
        f"-c{address.connections}",
        f"-d{duration}",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "report.lua"),
        base,
        "--",
        *address.paths,
    ]
    result = subprocess.run(command, capture_output=True, check=True, text=True)  # noqa: S603
    log.write(f"$ {' '.join(command[:12])} ... ({len(address.paths)} paths)\n{result.stdout}{result.stderr}\n".encode())
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return dict(json.loads(line.removeprefix("BENCH-JSON ")))
    raise SystemExit(f"wrk printed no figures for {address.name}:\n{result.stdout}{result.stderr}")


def figures(measured: dict[str, Any], queries: float | None) -> Figures:
    errors = sum(int(measured[kind]) for kind in ("connect", "read", "write", "status", "timeout"))
    return Figures(
        rate=measured["requests"] / (measured["duration_us"] / 1e6),
        p50=measured["p50_us"] / 1000,
        p95=measured["p95_us"] / 1000,
        p99=measured["p99_us"] / 1000,
        errors=errors,
        queries=queries,
    )


# --- queries per request -----------------------------------------------------------------------------------------


def count_queries(make_app: Callable[[], Any], addresses: list[Address]) -> dict[str, float]:
    """SQL statements per request for each address's first path, in-process on the same database.

    Each path gets one warm-up request (one-off work such as loading the translations stays out), then one
    counted request. A path that does not answer 200 stops the bench: its figures would mean nothing.
    """
    from fastapi.testclient import TestClient
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    count = 0

    def counted(*_args: object) -> None:
        nonlocal count
        count += 1

    result = {}
    app = make_app()
    logging.disable(logging.INFO)  # the app logs every request; those lines would come between the figures
    event.listen(Engine, "before_cursor_execute", counted)
    try:
        with TestClient(app, headers={"Accept-Language": "nb"}, follow_redirects=False) as client:
            for address in addresses:
                path = address.paths[0]
                client.get(path)
                count = 0
                status = client.get(path).status_code
                if status != 200:
                    raise SystemExit(f"{address.name}: {path} answered {status}, not 200")
                result[address.name] = float(count)
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
        logging.disable(logging.NOTSET)
    return result


def floor_app() -> Any:
    import floor

    return floor.create_app()


def samskap_app() -> Any:
    from app.main import create_app

    return create_app()


# --- the report --------------------------------------------------------------------------------------------------


def table(rows: list[tuple[Address, Figures]]) -> list[str]:
    floor = next((found.rate for address, found in rows if address.floor), None)
    lines = [
        "| address | req/s | p50 ms | p95 ms | p99 ms | errors | queries/request | share of the floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for address, found in rows:
        share = f"{found.rate / floor:.1%}" if floor else "–"
        queries = "–" if found.queries is None else f"{found.queries:g}"
        name = address.name if address.floor else f"`{address.name}`"
        lines.append(
            f"| {name} | {found.rate:,.0f} | {found.p50:.1f} | {found.p95:.1f} | {found.p99:.1f} | {found.errors} "
            f"| {queries} | {share} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("SAMSKAP_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--challenges", type=int, default=1000, help="published challenges to add (default 1000)")
    parser.add_argument("--concepts", type=int, default=2000, help="submitted concepts to add (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the app and of the floor (default 2)")
    parser.add_argument("--duration", default="8s", help="wrk's -d per address (default 8s)")
    parser.add_argument("--warmup", default="1s", help="wrk's -d of the warm-up before each address (default 1s)")
    parser.add_argument("--connections", type=int, default=10, help="wrk's -c (default 10; /healthz uses 1)")
    parser.add_argument("--threads", type=int, default=2, help="wrk's -t (default 2; /healthz uses 1)")
    parser.add_argument("--only", action="append", default=[], help="measure only addresses containing this")
    parser.add_argument(
        "--samskap",
        type=Path,
        default=Path(sys.executable).with_name("samskap"),
        help="the samskap console script (default: the one next to this Python)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (see bench/README.md)")
    if not args.samskap.exists():
        raise SystemExit(f"{args.samskap} does not exist: install the checkout first (make install)")

    url = args.database_url
    now = datetime.now(UTC)
    started = time.monotonic()
    out(f"{now:%Y-%m-%d %H:%M} UTC · {os.cpu_count()} CPU cores ({cpu_model()}) · {memory_gib():.1f} GiB memory")
    out(f"Python {platform.python_version()} · {server_stack()} · load average {load_average()}")
    with ExitStack() as stack:
        stack.enter_context(fresh_database(url, keep=args.keep))
        migrate_and_load_demo(url, samskap=args.samskap)
        slugs = load_challenges(url, challenges=args.challenges, now=now)
        gallery_slug = slugs[0]  # opened 45 days ago: its gallery is public
        ids = load_concepts(url, slug=gallery_slug, concepts=args.concepts, now=now)
        analyze(url)
        out(f"Loaded the demo, {len(slugs)} challenges and {len(ids)} concepts in {time.monotonic() - started:.0f} s.")

        gallery = f"/challenges/{gallery_slug}/submissions"
        spread = slugs[:: max(1, len(slugs) // SPREAD)][:SPREAD]
        concepts = ids[:: max(1, len(ids) // SPREAD)][:SPREAD]
        deep = max(1, min(50, -(-len(ids) // 12)))  # a page deep in the shuffled gallery (12 cards a page)
        shuffled = f"{gallery}?sort=random&seed=42&page={deep}"
        wide = {"threads": args.threads, "connections": args.connections}
        addresses = [
            Address("the floor (bench/floor.py)", ["/"], floor=True, **wide),
            Address("/healthz", ["/healthz"], threads=1, connections=1),
            Address("/", ["/"], **wide),
            Address("/challenges", ["/challenges"], **wide),
            Address("/challenges/{slug}", [f"/challenges/{slug}" for slug in spread], **wide),
            Address("/challenges/{slug}/submissions", [gallery], **wide),
            Address("/challenges/{slug}/submissions?sort=comments", [gallery + "?sort=comments"], **wide),
            Address(f"/challenges/{{slug}}/submissions?sort=random&page={deep}", [shuffled], **wide),
            Address("/challenges/{slug}/submissions/{id}", [f"{gallery}/{id_}" for id_ in concepts], **wide),
            Address("/api/v1/challenges", ["/api/v1/challenges"], **wide),
            Address("/api/v1/challenges/{slug}", [f"/api/v1/challenges/{slug}" for slug in spread], **wide),
            Address("/api/v1/challenges/{slug}/submissions", [f"/api/v1{gallery}"], **wide),
        ]
        addresses = [a for a in addresses if a.paths]  # no concept's page without concepts
        if args.only:
            addresses = [a for a in addresses if a.floor or any(part in a.name for part in args.only)]

        os.environ["FLOOR_DATABASE_URL"] = url
        queries = count_queries(floor_app, [a for a in addresses if a.floor])
        queries |= count_queries(samskap_app, [a for a in addresses if not a.floor])

        logs = Path(tempfile.mkdtemp(prefix="samskap-bench-"))
        out(f"Logs: {logs}")
        app_log = stack.enter_context((logs / "samskap.log").open("wb"))
        floor_log = stack.enter_context((logs / "floor.log").open("wb"))
        wrk_log = stack.enter_context((logs / "wrk.log").open("wb"))
        app_port, floor_port = free_port(), free_port()
        env = app_env(url)
        app_command = [str(args.samskap), "serve", "--workers", str(args.workers), "--port", str(app_port)]
        floor_pid = stack.enter_context(
            serving(
                "the floor", floor_command(floor_port, args.workers), env, port=floor_port, ready="/", log=floor_log
            )
        )
        app_pid = stack.enter_context(
            serving("samskap", app_command, env, port=app_port, ready="/healthz", log=app_log)
        )
        before = load_average()
        out(f"Measuring {len(addresses)} addresses, wrk -d{args.duration} each (load average {before})")
        rows = []
        for address in addresses:
            base = f"http://127.0.0.1:{floor_port if address.floor else app_port}"
            wrk(base, address, duration=args.warmup, log=wrk_log)
            rows.append(
                (address, figures(wrk(base, address, duration=args.duration, log=wrk_log), queries.get(address.name)))
            )
            out(table(rows)[-1])
        rss = {"samskap": workers_rss(app_pid), "the floor": workers_rss(floor_pid)}

    out()
    out(f"{now:%Y-%m-%d} · {os.cpu_count()} CPU cores ({cpu_model()}) · {memory_gib():.1f} GiB · PostgreSQL")
    out(f"Python {platform.python_version()} · {server_stack()} · {args.workers} workers each")
    out(
        f"demo data + {len(slugs)} challenges + {len(ids)} concepts · wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration} (/healthz: -t1 -c1) · load average before: {before}, after: {load_average()}"
    )
    out()
    for line in table(rows):
        out(line)
    out()
    for name, sizes in rss.items():
        out(f"Memory after the run, {name}: " + ", ".join(f"{size:.0f} MiB" for size in sizes) + " RSS per worker")
    healthz = next((found for address, found in rows if address.name == "/healthz"), None)
    if healthz is not None and healthz.p50 >= STALL_MS:
        out(
            f"/healthz over one keep-alive connection: p50 {healthz.p50:.0f} ms, {healthz.rate:.0f} req/s. Kept-alive "
            "requests stall (is uvloop installed? see bench/README.md)."
        )
    out(f"The whole run took {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
