"""How fast a challenge's gallery, its API listing and a concept's page answer, with 2,000 concepts on PostgreSQL.

Creates a fresh database (its name must contain "bench"), migrates it and loads one published challenge with the
helpers of `challenges_list.py`, then bulk-inserts 2,000 submitted concepts on it (200 people, every third a team
of two with a comment, every other with a small cover, every fifth anonymous), starts uvicorn with several workers,
warms it up and sends concurrent requests to

    /challenges/{slug}/submissions                 the gallery (12 cards, newest first)
    /challenges/{slug}/submissions?sort=comments   most commented first
    /challenges/{slug}/submissions?sort=random&seed=42&page=50
    /api/v1/challenges/{slug}/submissions?status=submitted   the API listing (20 items)
    /challenges/{slug}/submissions/{id}            a concept's page (50 different ones)

and prints requests per second, p50, p95 and p99 latency and errors for each. Nothing is asserted.

    .venv/bin/python bench/gallery.py [--workers 4] [--clients 16] [--requests 800]
    make bench-gallery BENCH_ARGS="--workers 2"
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from challenges_list import DEFAULT_URL, drive, free_port, fresh_database, load, out, report, server  # noqa: E402


def load_concepts(url: str, *, slug: str, concepts: int, now: datetime) -> list[int]:
    """`concepts` submitted concepts on the challenge `slug`, in a few bulk inserts; their ids."""
    from sqlmodel import Session, select

    from app.accounts.models import User
    from app.challenges.models import Challenge
    from app.db import make_engine
    from app.demo import cover_for
    from app.submissions.models import Comment, Submission, SubmissionCover, SubmissionMember, SubmissionVersion

    engine = make_engine(url, pool_size=2)
    with Session(engine) as session:
        challenge = session.exec(select(Challenge).where(Challenge.slug == slug)).one()
        people = [User(email=f"deltaker{n}@example.no", display_name=f"Deltaker {n}", email_verified=True)
                  for n in range(200)]  # fmt: skip
        session.add_all(people)
        session.flush()
        start = challenge.opens_at or now
        rows = [
            Submission(
                challenge_id=challenge.id, title=f"Konsept nummer {n}: grønne tak og regnbed", status="submitted",  # type: ignore[arg-type]
                summary="Tak som samler regnvann og gir skygge i sentrum om sommeren.", body="## Idé\nVi planter.\n",
                team_name=f"Lag {n}", anonymous=n % 5 == 0, version_count=1,
                submitted_at=start + timedelta(minutes=n), updated_at=start + timedelta(minutes=n),
            )
            for n in range(concepts)
        ]  # fmt: skip
        session.add_all(rows)
        session.flush()
        cover = cover_for(1, (40, 110, 90), 240, 80)
        digest = hashlib.sha256(cover).hexdigest()
        for n, row in enumerate(rows):
            session.add(SubmissionMember(submission_id=row.id, user_id=people[n % 200].id, role="lead"))
            if n % 3 == 0:
                session.add(SubmissionMember(submission_id=row.id, user_id=people[(n + 7) % 200].id, role="member"))
                session.add(Comment(submission_id=row.id, author_id=people[(n + 3) % 200].id, body="Fin idé!"))  # type: ignore[arg-type]
            if n % 2 == 0:
                session.add(SubmissionCover(submission_id=row.id, content=cover, content_type="image/png",  # type: ignore[arg-type]
                                            sha256=digest))  # fmt: skip
                row.cover_sha256 = digest
            session.add(SubmissionVersion(submission_id=row.id, number=1, title=row.title, summary=row.summary,  # type: ignore[arg-type]
                                          body=row.body, team_name=row.team_name, attachment_ids=[],
                                          created_at=row.submitted_at))  # fmt: skip
        session.commit()
        ids = [row.id for row in rows if row.id is not None]
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    default_url = DEFAULT_URL.replace("samskap_bench", "samskap_bench_gallery")
    parser.add_argument("--database-url", default=os.environ.get("SAMSKAP_BENCH_DATABASE_URL", default_url))
    parser.add_argument("--workers", type=int, default=4, help="uvicorn worker processes (default 4)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--requests", type=int, default=800, help="requests per endpoint (default 800)")
    parser.add_argument("--warmup", type=int, default=40, help="warm-up requests per endpoint (default 40)")
    parser.add_argument("--concepts", type=int, default=2000, help="submitted concepts to load (default 2000)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    now = datetime.now(UTC)
    with fresh_database(args.database_url, keep=args.keep):
        started = time.perf_counter()
        slug = load(args.database_url, challenges=1, now=now)[0]
        ids = load_concepts(args.database_url, slug=slug, concepts=args.concepts, now=now)
        out(f"Loaded {len(ids)} concepts in {time.perf_counter() - started:.1f} s.")
        gallery = f"/challenges/{slug}/submissions"
        endpoints = [
            ("gallery (newest)", [gallery]),
            ("gallery ?sort=comments", [gallery + "?sort=comments"]),
            ("gallery random, page 50", [gallery + "?sort=random&seed=42&page=50"]),
            ("API list (20)", [f"/api/v1{gallery}?status=submitted"]),
            ("concept page", [f"{gallery}/{i}" for i in ids[:: max(1, len(ids) // 50)]]),
        ]
        with server(args.database_url, workers=args.workers, port=free_port()) as base:
            for _name, paths in endpoints:
                drive(base, "warm-up", paths, clients=args.clients, requests=args.warmup)
            results = [drive(base, name, paths, clients=args.clients, requests=args.requests)
                       for name, paths in endpoints]  # fmt: skip
        out(f"{os.cpu_count()} CPU cores, {args.workers} uvicorn workers, {args.clients} concurrent clients, "
            f"{len(ids)} concepts, PostgreSQL")  # fmt: skip
        report(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
