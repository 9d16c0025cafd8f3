"""How many votes a second Samskap's ballot API takes under wrk, and that none is lost (`make bench-votes`).

Creates a fresh PostgreSQL database (its name must contain "bench" and not "test"; default
samskap_bench_votes), runs `samskap migrate`, and bulk-inserts a published challenge whose public vote is open
now (method `multiple`, 3 votes a voter) with 100 submitted public concepts and 2,000 voters with a verified
email, each with a personal access token (hashed as the app hashes them). It empties a spare Redis database
(default 14) and starts

- the app as a user does: `samskap serve --workers 2`, both workers counting rate limits in that Redis database,
  with SAMSKAP_VOTES_PER_ADDRESS_PER_MINUTE set high (every request comes from 127.0.0.1), and
- the floor (bench/floor.py under uvicorn, 2 workers; `--no-floor` leaves it out), measured first,

then drives votes with wrk (`bench/votes.lua`: `PUT /api/v1/challenges/{slug}/ballot/votes/{id}` with a bearer
token, the voters taking turns, each naming at most 3 concepts): a short warm-up, then `wrk -t2 -c10 -d10s`.
Afterwards it checks the database against the answers: every (voter, concept) answered 200 is stored once, and
nothing is stored that was not asked for. It prints one table (votes/s, latency, refusals, SQL statements and
Redis commands per vote, the check) and exits 1 when the check fails. No speed is asserted.

    .venv/bin/python bench/votes.py [--duration 10s] [--voters 2000] [--no-floor] [--keep]
    make bench-votes BENCH_ARGS="--duration 5s"
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from data import analyze, app_env, fresh_database, load_challenges, migrate  # noqa: E402
from run import (  # noqa: E402
    Address,
    cpu_model,
    figures,
    floor_command,
    free_port,
    load_average,
    memory_gib,
    out,
    server_stack,
    serving,
    workers_rss,
    wrk,
)

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/samskap_bench_votes"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # the tests use 15
SLUG = "bench-folkets-valg"
VOTES = 3  # votes each voter has (method `multiple`)
# All load comes from 127.0.0.1: the per-address limit (600 a minute by default) would be all that is measured.
ADDRESS_LIMIT = 1_000_000
PATH = "PUT /api/v1/challenges/{slug}/ballot/votes/{id}"
# Issue 11's speed requirement.
TARGET_RATE, TARGET_P95_MS = 700, 100
REQUEST_ID = re.compile(r"^u(\d+)-c(\d+)-(\d+)$")
LOGGED_ID = re.compile(r"\bu(\d+)-c(\d+)-(\d+)\b")


@dataclass
class Vote:
    slug: str
    challenge_id: int
    concepts: list[int]
    voters: list[tuple[int, str]]  # (user id, raw token), the load's voters
    probes: list[tuple[int, str]]  # two more voters, outside the load, for counting queries


# --- the data ----------------------------------------------------------------------------------------------------


def load_vote(url: str, *, voters: int, concepts: int, now: datetime) -> Vote:
    """A published challenge whose public vote is open now, `concepts` submitted concepts (one version each, one
    lead each) and `voters` + 2 voters with a verified email and a personal access token each."""
    os.environ["SAMSKAP_DATABASE_URL"] = url
    from sqlalchemy import insert
    from sqlmodel import Session, col, select

    from app.accounts.models import PersonalAccessToken, User
    from app.accounts.sessions import TOKEN_PREFIX
    from app.challenges.models import Challenge, Criterion
    from app.db import make_engine
    from app.organizations.models import Organization
    from app.security import new_token, token_hash
    from app.submissions.models import MemberRole, Submission, SubmissionMember, SubmissionVersion

    engine = make_engine(url, pool_size=2)
    with Session(engine) as session:
        host = session.exec(select(Organization).where(Organization.slug == "halden")).one()
        challenge = Challenge(
            host_id=host.id,  # type: ignore[arg-type]
            slug=SLUG,
            title="Folkets valg: grønnere sentrum",
            summary="Stem på konseptene du vil se i sentrum.",
            status="published",
            published_at=now - timedelta(days=50),
            voting_method="multiple",
            votes_per_voter=VOTES,
            opens_at=now - timedelta(days=40),
            submissions_close_at=now - timedelta(days=10),
            review_ends_at=now - timedelta(days=2),
            voting_opens_at=now - timedelta(days=1),
            voting_closes_at=now + timedelta(days=6),
            announce_at=now + timedelta(days=7),
        )
        challenge.criteria = [
            Criterion(name="Nytteverdi", weight=3, position=0),
            Criterion(name="Gjennomførbarhet", weight=1, position=1),
        ]
        session.add(challenge)
        session.flush()

        def people(kind: str, count: int, *, days: int) -> list[int]:
            """`count` users with a verified email, in one bulk insert; their ids, in order."""
            since = now - timedelta(days=days)
            rows = [
                {
                    "email": f"{kind}{n}@bench.example.no",
                    "display_name": f"{kind.capitalize()} {n}",
                    "email_verified_at": since,
                    "created_at": since,
                }
                for n in range(count)
            ]
            returning = insert(User).returning(col(User.id), sort_by_parameter_order=True)
            return [int(user_id) for user_id in session.scalars(returning, rows)]

        leads = people("lagleder", concepts, days=60)
        voter_ids = people("velger", voters + 2, days=30)
        submitted = now - timedelta(days=20)
        rows = [
            Submission(
                challenge_id=challenge.id,  # type: ignore[arg-type]
                title=f"Konsept nummer {n}: grønne tak og regnbed",
                status="submitted",
                summary="Tak som samler regnvann og gir skygge i sentrum om sommeren.",
                body="## Idé\nVi planter sedum på kommunale tak.\n",
                team_name=f"Lag {n}",
                version_count=1,
                created_by_id=leads[n],
                submitted_at=submitted + timedelta(minutes=n),
                updated_at=submitted + timedelta(minutes=n),
            )
            for n in range(concepts)
        ]
        session.add_all(rows)
        session.flush()
        for n, row in enumerate(rows):
            lead = leads[n]
            session.add(
                SubmissionMember(submission_id=row.id, user_id=lead, role=MemberRole.LEAD, terms_accepted_at=submitted)
            )
            session.add(
                SubmissionVersion(
                    submission_id=row.id,  # type: ignore[arg-type]
                    number=1,
                    title=row.title,
                    summary=row.summary,
                    body=row.body,
                    team_name=row.team_name,
                    attachment_ids=[],
                    submitted_by_id=lead,
                    created_at=row.submitted_at,
                )
            )
        # Tokens as the account page makes them (app.accounts.service.create_token): shown once, stored hashed.
        raws = [new_token(TOKEN_PREFIX) for _ in voter_ids]
        tokens = [
            {
                "user_id": user_id,
                "name": "bench-votes",
                "prefix": raw[: len(TOKEN_PREFIX) + 6],
                "token_hash": token_hash(raw),
                "created_at": now - timedelta(days=1),
            }
            for user_id, raw in zip(voter_ids, raws, strict=True)
        ]
        session.execute(insert(PersonalAccessToken), tokens)
        session.commit()
        pairs = list(zip(voter_ids, raws, strict=True))
        vote = Vote(
            SLUG, challenge.id or 0, [row.id for row in rows if row.id is not None], pairs[:voters], pairs[voters:]
        )
    engine.dispose()
    return vote


def empty_redis(url: str) -> int:
    """Empty the Redis database `url` names (refused for database 0 or none); how many keys it held."""
    import redis

    client = redis.Redis.from_url(url)
    database = client.connection_pool.connection_kwargs.get("db", 0)
    if not database:
        raise SystemExit(f"Refusing to empty Redis database 0 of {url}: name a spare one, e.g. redis://…:6379/14")
    try:
        keys = cast(int, client.dbsize())
        client.flushdb()
    finally:
        client.close()
    return keys


# --- CPU time ----------------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def worker_pids(parent: int) -> list[int]:
    """The worker processes `parent` (uvicorn's supervisor) started, without multiprocessing's helper."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != parent:
                continue
            if b"resource_tracker" not in (stat.parent / "cmdline").read_bytes():
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def backend_pids(url: str) -> list[int]:
    """The PostgreSQL server processes serving connections to the bench database (the app's pools)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        pids = [int(pid) for pid in connection.execute(text(query)).scalars()]
    engine.dispose()
    return pids


@dataclass
class CpuUse:
    """CPU seconds the app's workers, their PostgreSQL backends and wrk spent during one run."""

    app: float
    database: float
    wrk: float


@contextmanager
def cpu_use(url: str, app_pid: int) -> Iterator[CpuUse]:
    """Measure the CPU time spent while the block runs; filled in when it ends."""
    workers = worker_pids(app_pid)
    backends_before = {pid: cpu_seconds(pid) for pid in backend_pids(url)}
    app_before = sum(cpu_seconds(pid) for pid in workers)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    use = CpuUse(0.0, 0.0, 0.0)
    yield use
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    use.wrk = children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    use.app = sum(cpu_seconds(pid) for pid in workers) - app_before
    # Backends opened during the run started from 0; one that closed during it is missed (the pools keep theirs).
    use.database = sum(cpu_seconds(pid) - backends_before.get(pid, 0.0) for pid in backend_pids(url))


# --- queries per vote --------------------------------------------------------------------------------------------


def count_queries(vote: Vote) -> dict[str, tuple[int, int]]:
    """SQL statements and Redis commands of one vote request, in-process on the same database and Redis.

    The first probe casts a vote first (one-off work such as loading Redis's scripts stays out); then the
    second probe's first vote (a new ballot, and the token's first use), another vote, and the same vote again.
    """
    import logging

    import redis
    from fastapi.testclient import TestClient
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from app.config import get_settings
    from app.main import create_app

    get_settings.cache_clear()
    statements = commands = 0

    def counted_sql(*_args: object) -> None:
        nonlocal statements
        statements += 1

    original = redis.Redis.execute_command

    def counted_redis(self: redis.Redis, *args: Any, **kwargs: Any) -> Any:
        nonlocal commands
        commands += 1
        return original(self, *args, **kwargs)

    first, second = vote.concepts[0], vote.concepts[1]
    (_warm_id, warm_token), (_probe_id, probe_token) = vote.probes
    steps = [
        ("warm-up", warm_token, first),
        ("first vote (a new ballot)", probe_token, first),
        ("another vote", probe_token, second),
        ("the same vote again", probe_token, second),
    ]
    result = {}
    logging.disable(logging.INFO)
    event.listen(Engine, "before_cursor_execute", counted_sql)
    redis.Redis.execute_command = counted_redis  # type: ignore[method-assign]
    try:
        with TestClient(create_app(), follow_redirects=False) as client:
            for name, token, concept in steps:
                statements = commands = 0
                path = f"/api/v1/challenges/{vote.slug}/ballot/votes/{concept}"
                response = client.put(path, headers={"Authorization": f"Bearer {token}"})
                if response.status_code != 200:
                    raise SystemExit(f"{name}: PUT {path} answered {response.status_code}: {response.text}")
                result[name] = (statements, commands)
    finally:
        redis.Redis.execute_command = original  # type: ignore[method-assign]
        event.remove(Engine, "before_cursor_execute", counted_sql)
        logging.disable(logging.NOTSET)
    del result["warm-up"]
    return result


# --- the load ----------------------------------------------------------------------------------------------------


def wrk_votes(
    base: str,
    vote: Vote,
    *,
    voters_file: Path,
    prefix: Path,
    offset: int,
    duration: str,
    args: argparse.Namespace,
    log: IO[bytes],
) -> dict[str, Any]:
    """One wrk run of votes.lua; the JSON its `done()` prints."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "votes.lua"),
        base,
        "--",
        vote.slug,
        str(voters_file),
        str(prefix),
        str(offset),
        str(args.threads),
        str(VOTES),
        *(str(concept) for concept in vote.concepts),
    ]
    result = subprocess.run(command, capture_output=True, check=True, text=True)  # noqa: S603
    log.write(
        f"$ {' '.join(command[:18])} ... ({len(vote.concepts)} concepts)\n{result.stdout}{result.stderr}\n".encode()
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return dict(json.loads(line.removeprefix("BENCH-JSON ")))
    raise SystemExit(f"wrk printed no figures for the votes:\n{result.stdout}{result.stderr}")


@dataclass
class Answers:
    """What the wrk runs asked and were answered, per (voter, concept), from votes.lua's logs."""

    sent: Counter[tuple[int, int]] = field(default_factory=Counter)
    answered: dict[tuple[int, int], Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    per_voter: Counter[int] = field(default_factory=Counter)
    unknown: int = 0  # answers whose request id is missing or unknown

    def read(self, prefix: Path) -> None:
        for path in sorted(prefix.parent.glob(f"{prefix.name}-*.log")):
            for line in path.read_text().splitlines():
                what, _space, request_id = line.partition(" ")
                found = REQUEST_ID.match(request_id)
                if found is None:
                    self.unknown += 1
                    continue
                pair = (int(found[1]), int(found[2]))
                if what == "sent":
                    self.sent[pair] += 1
                    self.per_voter[pair[0]] += 1
                else:
                    self.answered[pair][int(what)] += 1

    def read_app_log(self, path: Path) -> None:
        """Attribute the app's 500s to their requests by the request id its error log names: an error that escapes
        the app's middleware is answered without the X-Request-ID header, so votes.lua logged it as "500 -"."""
        for line in path.read_text(errors="replace").splitlines():
            if "Unhandled error" not in line:
                continue
            found = LOGGED_ID.search(line)
            if found is not None and self.unknown > 0:
                self.answered[(int(found[1]), int(found[2]))][500] += 1
                self.unknown -= 1

    @property
    def succeeded(self) -> set[tuple[int, int]]:
        return {pair for pair, statuses in self.answered.items() if statuses[200]}

    def unanswered(self, pair: tuple[int, int]) -> int:
        """Requests for `pair` sent without an answer read (in flight when wrk stopped)."""
        return self.sent[pair] - sum(self.answered.get(pair, Counter()).values())


@dataclass
class Check:
    answered_200: int  # distinct (voter, concept) pairs answered 200
    stored: int  # ballot items of the load's voters
    lost: int  # answered 200, not stored
    duplicated: int  # stored more than once
    # Stored, asked for, and an answer not read: in flight when wrk stopped (at most one a connection), or
    # answered without a request id that the app's log does not name either.
    unattributed: int
    refused_but_stored: int  # stored, every request for it answered and none with 200
    never_sent: int  # stored, never asked for
    over_limit: int  # ballots with more than VOTES points
    unknown_answers: int  # answers without a request id

    @property
    def passed(self) -> bool:
        wrong = (self.lost, self.duplicated, self.refused_but_stored, self.never_sent, self.over_limit)
        return not any(wrong)

    def summary(self) -> str:
        verdict = "OK" if self.passed else "FAILED"
        return (
            f"{verdict}: {self.answered_200:,} (voter, concept) pairs answered 200, {self.stored:,} ballot items "
            f"stored; {self.lost} lost, {self.duplicated} duplicated, {self.refused_but_stored} stored though "
            f"refused, {self.never_sent} stored never asked for, {self.over_limit} ballots over {VOTES} votes; "
            f"{self.unattributed} stored whose answer was not read (in flight when wrk stopped); "
            f"{self.unknown_answers} answers without a request id"
        )


def check(url: str, vote: Vote, answers: Answers) -> Check:
    """The load's voters' stored ballot items against what the answers imply."""
    from sqlalchemy import bindparam, create_engine, text

    voters = [user_id for user_id, _token in vote.voters]
    items = text(
        "SELECT b.voter_id, i.submission_id, i.points FROM ballot_items i JOIN ballots b ON b.id = i.ballot_id "
        "WHERE b.challenge_id = :challenge AND b.voter_id IN :voters"
    ).bindparams(bindparam("voters", expanding=True))
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(items, {"challenge": vote.challenge_id, "voters": voters}).all()
    engine.dispose()
    stored = Counter((int(voter), int(concept)) for voter, concept, _points in rows)
    points: Counter[int] = Counter()
    for voter, _concept, given in rows:
        points[int(voter)] += int(given)
    succeeded = answers.succeeded
    extra = set(stored) - succeeded
    in_flight = {pair for pair in extra if answers.sent[pair] and answers.unanswered(pair) > 0}
    never_sent = {pair for pair in extra if not answers.sent[pair]}
    return Check(
        answered_200=len(succeeded),
        stored=sum(stored.values()),
        lost=len(succeeded - set(stored)),
        duplicated=sum(count - 1 for count in stored.values() if count > 1),
        unattributed=len(in_flight),
        refused_but_stored=len(extra - in_flight - never_sent),
        never_sent=len(never_sent),
        over_limit=sum(1 for total in points.values() if total > VOTES),
        unknown_answers=answers.unknown,
    )


# --- the report --------------------------------------------------------------------------------------------------


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def table(
    floor: dict[str, Any] | None, votes: dict[str, Any], queries: dict[str, tuple[int, int]], verdict: str
) -> list[str]:
    seconds = votes["duration_us"] / 1e6
    errors = sum(int(votes[kind]) for kind in ("connect", "read", "write", "timeout"))
    statements = "–".join(sorted({str(sql) for sql, _redis in queries.values()}, key=int))
    commands = "–".join(sorted({str(redis) for _sql, redis in queries.values()}, key=int))
    lines = [
        "| address | votes/s | req/s | p50 ms | p95 ms | p99 ms | 409 limit | 429 | other | socket errors "
        "| SQL/vote | Redis/vote | check |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    if floor is not None:
        found = figures(floor, 1)
        lines.append(
            f"| the floor (bench/floor.py, GET) | – | {found.rate:,.0f} | {found.p50:.1f} | {found.p95:.1f} "
            f"| {found.p99:.1f} | – | – | {found.errors} | – | 1 | 0 | – |"
        )
    lines.append(
        f"| `{PATH}` | {votes['ok'] / seconds:,.0f} | {votes['requests'] / seconds:,.0f} | {ms(votes['p50_us'])} "
        f"| {ms(votes['p95_us'])} | {ms(votes['p99_us'])} | {votes['limit']} | {votes['throttled']} | {votes['other']} "
        f"| {errors} | {statements} | {commands} | {verdict} |"
    )
    return lines


@contextmanager
def redis_database(url: str) -> Iterator[None]:
    """The spare Redis database, empty while the block runs and emptied afterwards."""
    keys = empty_redis(url)
    out(f"Emptied Redis {url} ({keys} keys) for the rate-limit counters.")
    try:
        yield
    finally:
        empty_redis(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("SAMSKAP_BENCH_VOTES_DATABASE_URL", DEFAULT_URL))
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help=f"a spare Redis database, emptied (default {DEFAULT_REDIS_URL})"
    )
    parser.add_argument("--voters", type=int, default=2000, help="voters, each with a token (default 2000)")
    parser.add_argument("--concepts", type=int, default=100, help="submitted concepts on the ballot (default 100)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the app and of the floor (default 2)")
    parser.add_argument("--duration", default="10s", help="wrk's -d for the votes (default 10s)")
    parser.add_argument("--warmup", default="2s", help="wrk's -d of the warm-up votes (default 2s)")
    parser.add_argument("--floor-duration", default="5s", help="wrk's -d for the floor (default 5s)")
    parser.add_argument("--connections", type=int, default=10, help="wrk's -c (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk's -t (default 2)")
    parser.add_argument("--no-floor", action="store_true", help="do not measure the floor")
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
    if args.concepts < 2 or args.voters < 1:
        raise SystemExit("The vote needs at least 2 concepts and 1 voter.")

    url = args.database_url
    settings = {
        "SAMSKAP_DATABASE_URL": url,
        "SAMSKAP_REDIS_URL": args.redis_url,
        "SAMSKAP_VOTES_PER_ADDRESS_PER_MINUTE": str(ADDRESS_LIMIT),
    }
    os.environ.update(settings)  # before the app is imported: its settings are read once
    environment = os.environ.get("SAMSKAP_ENVIRONMENT", "development")
    now = datetime.now(UTC)
    started = time.monotonic()
    out(f"{now:%Y-%m-%d %H:%M} UTC · {os.cpu_count()} CPU cores ({cpu_model()}) · {memory_gib():.1f} GiB memory")
    out(
        f"Python {platform.python_version()} · {server_stack()} · environment {environment} · "
        f"load average {load_average()}"
    )
    with ExitStack() as stack:
        stack.enter_context(fresh_database(url, keep=args.keep))
        migrate(url, samskap=args.samskap)
        load_challenges(url, challenges=20, now=now)  # the organisations, and the floor's 20 rows
        vote = load_vote(url, voters=args.voters, concepts=args.concepts, now=now)
        analyze(url)
        out(
            f"Loaded a vote open now ({VOTES} votes each) on {len(vote.concepts)} concepts, {len(vote.voters)} voters "
            f"with tokens, in {time.monotonic() - started:.0f} s."
        )
        stack.enter_context(redis_database(args.redis_url))
        queries = count_queries(vote)
        for name, (statements, commands) in queries.items():
            out(f"  {name}: {statements} SQL statements, {commands} Redis commands")

        logs = Path(tempfile.mkdtemp(prefix="samskap-bench-votes-"))
        out(f"Logs: {logs}")
        voters_file = logs / "voters.txt"
        voters_file.write_text("".join(f"{user_id} {token}\n" for user_id, token in vote.voters))
        app_log = stack.enter_context((logs / "samskap.log").open("wb"))
        wrk_log = stack.enter_context((logs / "wrk.log").open("wb"))
        env = app_env(url, **settings)
        floor = None
        if not args.no_floor:
            floor_log = stack.enter_context((logs / "floor.log").open("wb"))
            floor_port = free_port()
            floor_env = {**env, "FLOOR_DATABASE_URL": url}
            with serving(
                "the floor",
                floor_command(floor_port, args.workers),
                floor_env,
                port=floor_port,
                ready="/",
                log=floor_log,
            ):
                address = Address("the floor", ["/"], floor=True, connections=args.connections, threads=args.threads)
                wrk(f"http://127.0.0.1:{floor_port}", address, duration="1s", log=wrk_log)
                floor = wrk(f"http://127.0.0.1:{floor_port}", address, duration=args.floor_duration, log=wrk_log)
            out(f"The floor: {figures(floor, 1).rate:,.0f} req/s (GET, 20 rows)")

        app_port = free_port()
        app_command = [str(args.samskap), "serve", "--workers", str(args.workers), "--port", str(app_port)]
        with serving("samskap", app_command, env, port=app_port, ready="/healthz", log=app_log) as app_pid:
            base = f"http://127.0.0.1:{app_port}"
            before = load_average()
            out(
                f"Voting: {args.warmup} warm-up, then wrk -t{args.threads} -c{args.connections} -d{args.duration} "
                f"(load average {before})"
            )
            run = partial(wrk_votes, base, vote, voters_file=voters_file, args=args, log=wrk_log)
            warmup = run(prefix=logs / "warmup", offset=0, duration=args.warmup)
            offset = int(warmup["requests"]) + args.connections  # past the warm-up's requests, in flight ones too
            with cpu_use(url, app_pid) as cpu:
                votes = run(prefix=logs / "votes", offset=offset, duration=args.duration)
            after = load_average()
            rss = workers_rss(app_pid)
        # The app has stopped: nothing is written behind the check's back.
        answers = Answers()
        answers.read(logs / "warmup")
        answers.read(logs / "votes")
        answers.read_app_log(logs / "samskap.log")
        result = check(url, vote, answers)

    out()
    out(f"{now:%Y-%m-%d} · {os.cpu_count()} CPU cores ({cpu_model()}) · {memory_gib():.1f} GiB · PostgreSQL, Redis")
    out(f"Python {platform.python_version()} · {server_stack()} · {args.workers} workers · environment {environment}")
    out(
        f"{len(vote.voters)} voters, {len(vote.concepts)} concepts, `multiple` with {VOTES} votes · "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration} after {args.warmup} · "
        f"load average before: {before}, after: {after}"
    )
    out()
    for line in table(floor, votes, queries, "OK" if result.passed else "FAILED"):
        out(line)
    out()
    out(
        f"The warm-up: {warmup['ok']} answered 200, {warmup['limit']} 409 vote-limit-reached, "
        f"{warmup['throttled']} 429, {warmup['other']} other."
    )
    out("The check (warm-up and run): " + result.summary() + ".")
    busiest = max(answers.per_voter.values(), default=0)
    out(
        f"Requests per voter over both wrk runs: at most {busiest} (the limits: 60 votes a minute per person, "
        f"120 API writes a minute per user; {ADDRESS_LIMIT:,} votes a minute from 127.0.0.1)."
    )
    for name, (statements, commands) in queries.items():
        out(f"Per request, {name}: {statements} SQL statements, {commands} Redis commands.")
    seconds = votes["duration_us"] / 1e6
    rate, p95 = votes["ok"] / seconds, votes["p95_us"] / 1000
    out(
        f"Issue 11's target, ≥ {TARGET_RATE} votes/s at {args.connections} clients with p95 < {TARGET_P95_MS} ms and "
        f"0 lost: {rate:,.0f} votes/s ({'met' if rate >= TARGET_RATE else 'not met'}), p95 {p95:.1f} ms "
        f"({'met' if p95 < TARGET_P95_MS else 'not met'}), {result.lost} lost."
    )
    answered = max(int(votes["answered"]), 1)
    out(
        f"CPU time per answer during the run: app workers {1000 * cpu.app / answered:.1f} ms, their PostgreSQL "
        f"backends {1000 * cpu.database / answered:.1f} ms, wrk {1000 * cpu.wrk / answered:.1f} ms "
        f"({cpu.app / seconds:.2f}, {cpu.database / seconds:.2f} and {cpu.wrk / seconds:.2f} of {os.cpu_count()} "
        "cores)."
    )
    out("Memory after the run: " + ", ".join(f"{size:.0f} MiB" for size in rss) + " RSS per app worker.")
    out(f"The whole run took {time.monotonic() - started:.0f} s.")
    return 0 if result.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
