"""The bench's data: a fresh PostgreSQL database, migrated and filled with the demo data plus bulk rows.

`fresh_database` creates the database (its name must contain "bench", so a real database or CI's `test` is
never dropped) and drops it afterwards; `migrate_and_load_demo` runs `samskap migrate` and `samskap demo` as a
user would; `load_challenges` bulk-inserts published challenges, `load_concepts` submitted concepts on one of
them. The app is imported only inside the loaders, after `SAMSKAP_DATABASE_URL` points at the bench database.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
# This checkout's app for the loaders too: the virtualenv's editable install may point at another checkout (a git
# worktree sharing the main checkout's .venv), and a path entry comes before its finder.
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/samskap_bench"
# The bulk challenges' hosts: the demo's organisations where they exist, two more otherwise.
ORGANISATIONS = [
    ("halden", "Halden kommune", "Europe/Oslo"),
    ("baerum", "Bærum kommune", "Europe/Oslo"),
    ("stavanger", "Stavanger kommune", "Europe/Oslo"),
    ("helsingborg", "Helsingborgs stad", "Europe/Stockholm"),
    ("tampere", "Tampereen kaupunki", "Europe/Helsinki"),
    ("oulu", "Oulun kaupunki", "Europe/Helsinki"),
]
PEOPLE = 200  # the concepts' authors


def bench_name(url: str) -> str:
    """The database name of `url`; refuses any whose name does not contain "bench"."""
    name = make_url(url).database or ""
    if "bench" not in name or "test" in name:
        raise SystemExit(f"Refusing to use the database {name!r}: its name must contain 'bench' (and not 'test').")
    return name


@contextmanager
def fresh_database(url: str, *, keep: bool) -> Iterator[None]:
    """A new, empty database at `url`, dropped afterwards (unless `keep`)."""
    name = bench_name(url)
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


def app_env(url: str, **settings: str) -> dict[str, str]:
    """The environment for `samskap` commands on the database at `url` (and further SAMSKAP_* `settings`).

    PYTHONPATH names this checkout, so the console script imports this checkout's app even when the virtualenv's
    editable install points at another one (a git worktree sharing the main checkout's .venv).
    """
    path = os.pathsep.join(part for part in (str(ROOT), os.environ.get("PYTHONPATH", "")) if part)
    return {**os.environ, "PYTHONPATH": path, "SAMSKAP_DATABASE_URL": url, **settings}


def migrate(url: str, *, samskap: Path, demo: bool = False) -> None:
    """`samskap migrate` (and `samskap demo` if asked) on the database at `url`, as a user runs them."""
    for command in ("migrate", "demo") if demo else ("migrate",):
        subprocess.run(  # noqa: S603
            [str(samskap), command], cwd=ROOT, env=app_env(url), check=True, stdout=subprocess.DEVNULL
        )


def migrate_and_load_demo(url: str, *, samskap: Path) -> None:
    """`samskap migrate` and `samskap demo` on the database at `url`, as a user runs them."""
    migrate(url, samskap=samskap, demo=True)


def analyze(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def load_challenges(url: str, *, challenges: int, now: datetime) -> list[str]:
    """`challenges` published challenges across six organisations, in one bulk insert; their slugs.

    Every other one is co-hosted, every third a copy, each has two criteria; some are open, most upcoming, a few
    past (they start two hours apart, the first 45 days ago).
    """
    os.environ["SAMSKAP_DATABASE_URL"] = url
    from sqlmodel import Session, col, select

    from app.challenges.models import Challenge, ChallengeCoHost, Criterion
    from app.db import make_engine
    from app.organizations.models import Organization, OrganizationKind

    engine = make_engine(url, pool_size=2)
    with Session(engine) as session:
        slugs = [slug for slug, _name, _zone in ORGANISATIONS]
        existing = {
            row.slug: row for row in session.exec(select(Organization).where(col(Organization.slug).in_(slugs)))
        }
        organizations = [
            existing.get(slug) or Organization(slug=slug, name=name, timezone=zone, kind=OrganizationKind.MUNICIPALITY)
            for slug, name, zone in ORGANISATIONS
        ]
        session.add_all(organizations)
        session.flush()
        source = Challenge(
            host_id=organizations[0].id,  # type: ignore[arg-type]
            slug="bench-kilde",
            title="Bærekraftig sentrumshandel",
            status="published",
            published_at=now - timedelta(days=60),
        )
        session.add(source)
        session.flush()
        rows = []
        for n in range(challenges):
            start = now - timedelta(days=45) + timedelta(hours=2 * n)
            host = organizations[n % len(organizations)]
            challenge = Challenge(
                host_id=host.id,  # type: ignore[arg-type]
                slug=f"utfordring-{n:04d}",
                status="published",
                published_at=start - timedelta(days=7),
                title=f"Grønnere sentrum nummer {n}",
                summary="Hvordan kan kommunen gjøre sentrum grønnere?",
                problem_statement="Sentrum har **mange tomme lokaler**.\n\n- gjenbruk\n- handel uten bil\n" * 5,
                target_groups=["students", "citizens"],
                sdg_goals=[11, 12],
                prize_text="50 000 kroner delt på tre",
                prize_amount=5_000_000 + n * 100,
                voting_method="single",
                copied_from_id=source.id if n % 3 == 0 else None,
                opens_at=start,
                submissions_close_at=start + timedelta(days=30),
                review_ends_at=start + timedelta(days=45),
                voting_opens_at=start + timedelta(days=45),
                voting_closes_at=start + timedelta(days=55),
                announce_at=start + timedelta(days=60),
            )
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
        result = [row.slug for row in rows]
    engine.dispose()
    return result


def load_concepts(url: str, *, slug: str, concepts: int, now: datetime) -> list[int]:
    """`concepts` submitted concepts on the challenge `slug`, in a few bulk inserts; their ids.

    200 people write them; every third is a team of two with a comment, every other has a small cover, every
    fifth is anonymous.
    """
    os.environ["SAMSKAP_DATABASE_URL"] = url
    from sqlmodel import Session, select

    from app.accounts.models import User
    from app.challenges.models import Challenge
    from app.db import make_engine
    from app.demo import cover_for
    from app.submissions.models import Comment, Submission, SubmissionCover, SubmissionMember, SubmissionVersion

    engine = make_engine(url, pool_size=2)
    with Session(engine) as session:
        challenge = session.exec(select(Challenge).where(Challenge.slug == slug)).one()
        people = [
            User(email=f"deltaker{n}@example.no", display_name=f"Deltaker {n}", email_verified=True)
            for n in range(PEOPLE)
        ]
        session.add_all(people)
        session.flush()
        start = challenge.opens_at or now
        rows = [
            Submission(
                challenge_id=challenge.id,  # type: ignore[arg-type]
                title=f"Konsept nummer {n}: grønne tak og regnbed",
                status="submitted",
                summary="Tak som samler regnvann og gir skygge i sentrum om sommeren.",
                body="## Idé\nVi planter.\n",
                team_name=f"Lag {n}",
                anonymous=n % 5 == 0,
                version_count=1,
                submitted_at=start + timedelta(minutes=n),
                updated_at=start + timedelta(minutes=n),
            )
            for n in range(concepts)
        ]
        session.add_all(rows)
        session.flush()
        cover = cover_for(1, (40, 110, 90), 240, 80)
        digest = hashlib.sha256(cover).hexdigest()
        for n, row in enumerate(rows):
            session.add(SubmissionMember(submission_id=row.id, user_id=people[n % PEOPLE].id, role="lead"))
            if n % 3 == 0:
                member = people[(n + 7) % PEOPLE]
                session.add(SubmissionMember(submission_id=row.id, user_id=member.id, role="member"))
                author = people[(n + 3) % PEOPLE]
                session.add(Comment(submission_id=row.id, author_id=author.id, body="Fin idé!"))  # type: ignore[arg-type]
            if n % 2 == 0:
                session.add(
                    SubmissionCover(submission_id=row.id, content=cover, content_type="image/png", sha256=digest)  # type: ignore[arg-type]
                )
                row.cover_sha256 = digest
            session.add(
                SubmissionVersion(
                    submission_id=row.id,  # type: ignore[arg-type]
                    number=1,
                    title=row.title,
                    summary=row.summary,
                    body=row.body,
                    team_name=row.team_name,
                    attachment_ids=[],
                    created_at=row.submitted_at,
                )
            )
        session.commit()
        ids = [row.id for row in rows if row.id is not None]
    engine.dispose()
    return ids
