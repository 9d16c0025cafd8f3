"""The gallery through the API: what each reader finds, search, filters, sorts, a stable random order, pagination,
and a fixed number of SQL statements per page with 2,000 concepts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import Comment, Submission, SubmissionMember, SubmissionVersion
from tests.challenges.conftest import Cast, at
from tests.challenges.test_list import counting_statements
from tests.conftest import Client
from tests.factories import TIMELINE_START, make_comment, make_submission, make_user
from tests.submissions.conftest import Team

API = "/api/v1/challenges/gronne-tak/submissions"


def submitted(db: Session, challenge: Any, lead: Any, title: str, **fields: Any) -> Submission:
    made = make_submission(db, challenge, lead, title=title, versions=fields.pop("versions", 1), **fields)
    db.commit()
    return made  # type: ignore[no-any-return]


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


def test_the_public_finds_submitted_concepts_with_their_newest_version_and_comment_counts(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    roof = submitted(client.db, challenge, team.lead, "Grønne tak", versions=2, anonymous=True, team_name="Takfolk")
    roof.title = "Arbeidskopi som ingen andre ser"
    client.db.add(roof)
    make_submission(client.db, challenge, team.member, title="Hemmelig utkast")
    hidden = submitted(client.db, challenge, cast.citizen, "Skjult konsept")
    hidden.hidden_at = at(Phase.OPEN)
    client.db.add(hidden)
    make_comment(client.db, roof, author=cast.citizen, body="Fint!")
    make_comment(client.db, roof, author=cast.citizen, body="Fint!", deleted_at=at(Phase.OPEN))
    make_comment(client.db, roof, author=cast.citizen, body="Fint!", hidden_at=at(Phase.OPEN))
    client.db.commit()

    listed = client.get(API, params={"status": "submitted"})
    assert titles(listed) == ["Grønne tak"]
    item = listed.json()["items"][0]
    assert item["comment_count"] == 1
    assert item["team_name"] is None
    assert item["members"] == []
    assert item["hidden"] is False
    assert item["working_copy"] is False
    assert item["version"] == 2

    client.sign_in(cast.halden_editor)
    host_view = client.get(API, params={"status": "submitted", "sort": "newest"}).json()["items"]
    assert {i["title"]: i["hidden"] for i in host_view} == {"Grønne tak": False, "Skjult konsept": True}
    assert next(i for i in host_view if i["title"] == "Grønne tak")["team_name"] == "Takfolk"

    client.sign_in(team.member)
    assert "Hemmelig utkast" in titles(client.get(API))  # the team's draft is listed to the team (no status filter)
    assert "Hemmelig utkast" not in titles(client.get(API, params={"status": "submitted"}))


def test_search_filters_and_sorts(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    lonely = submitted(client.db, challenge, team.lead, "Regnbed i parken", summary="Vann som blir til blomster")
    duo = submitted(client.db, challenge, cast.citizen, "Sykkelveier", members=[team.member], summary="100% gøy")
    other_version = client.db.exec(select(SubmissionVersion).where(SubmissionVersion.submission_id == duo.id)).one()
    other_version.attachment_ids = [1]
    duo.submitted_at = TIMELINE_START + timedelta(days=1)
    client.db.add_all([other_version, duo])
    make_comment(client.db, lonely, author=cast.citizen, body="Fint!")
    client.db.commit()

    assert titles(client.get(API, params={"q": "BLOMSTER"})) == ["Regnbed i parken"]
    assert titles(client.get(API, params={"q": "100%"})) == ["Sykkelveier"]
    assert titles(client.get(API, params={"q": "_"})) == []
    assert titles(client.get(API, params={"with_files": "true"})) == ["Sykkelveier"]
    assert titles(client.get(API, params={"team": "team"})) == ["Sykkelveier"]
    assert titles(client.get(API, params={"team": "solo"})) == ["Regnbed i parken"]
    assert titles(client.get(API, params={"sort": "newest"})) == ["Sykkelveier", "Regnbed i parken"]
    assert titles(client.get(API, params={"sort": "comments"})) == ["Regnbed i parken", "Sykkelveier"]


@pytest.mark.parametrize("params", [{"sort": "popular"}, {"team": "duo"}, {"seed": "0"}, {"status": "draft"},
                                    {"q": "x" * 101}, {"size": "0"}])  # fmt: skip
def test_bad_listing_parameters_are_refused(
    client: Client, challenge: Any, open_now: FrozenClock, params: dict[str, str]
) -> None:
    refused = client.get(API, params=params)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_a_random_order_is_stable_for_its_seed_across_pages(
    client: Client, cast: Cast, challenge: Any, open_now: FrozenClock
) -> None:
    for n in range(12):
        make_submission(client.db, challenge, make_user(client.db, email=f"p{n}@example.no"), title=f"Idé {n}",
                        versions=1)  # fmt: skip
    client.db.commit()
    first = client.get(API, params={"sort": "random", "size": 5}).json()
    seed = first["seed"]
    assert seed is not None
    assert f"seed={seed}" in first["next"]
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert third["next"] is None
    everyone = [i["title"] for page in (first, second, third) for i in page["items"]]
    assert sorted(everyone) == sorted(f"Idé {n}" for n in range(12))
    again = client.get(API, params={"sort": "random", "size": 12, "seed": seed}).json()
    assert [i["title"] for i in again["items"]] == everyone
    other = client.get(API, params={"sort": "random", "size": 12, "seed": seed % 1000 + 7}).json()
    assert [i["title"] for i in other["items"]] != everyone


def test_visitors_with_different_seeds_see_genuinely_different_orders(
    client: Client, cast: Cast, challenge: Any, open_now: FrozenClock
) -> None:
    """Not just a rotation of one order: who comes first varies from visitor to visitor."""
    for n in range(12):
        make_submission(client.db, challenge, make_user(client.db, email=f"v{n}@example.no"), title=f"Idé {n}",
                        versions=1)  # fmt: skip
    client.db.commit()
    orders = [
        tuple(
            item["title"]
            for item in client.get(API, params={"sort": "random", "size": 12, "seed": seed}).json()["items"]
        )
        for seed in range(1_000, 31_000, 1_000)
    ]
    assert len(set(orders)) >= 25
    assert len({order[0] for order in orders}) >= 6


def test_nothing_is_public_before_the_challenge_says_so(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    challenge.submissions_public = "after_review"
    client.db.add(challenge)
    submitted(client.db, challenge, team.lead, "Grønne tak")
    assert titles(client.get(API)) == []
    client.sign_in(cast.baerum_editor)  # a co-host
    assert titles(client.get(API)) == ["Grønne tak"]
    client.sign_in(cast.stavanger_editor)
    assert titles(client.get(API)) == []


def bulk_submissions(db: Session, challenge: Any, count: int) -> None:
    """`count` submitted concepts, every third a team of two with a comment, inserted in a few flushes."""
    people = [make_user(db, email=f"deltaker{n}@example.no") for n in range(4)]
    rows = [
        Submission(challenge_id=challenge.id, title=f"Konsept {n}", summary="Grønt", status="submitted",
                   version_count=1, submitted_at=TIMELINE_START + timedelta(minutes=n), anonymous=n % 5 == 0,
                   cover_sha256="ab" * 32 if n % 2 else None)
        for n in range(count)
    ]  # fmt: skip
    db.add_all(rows)
    db.flush()
    for n, row in enumerate(rows):
        db.add(SubmissionMember(submission_id=row.id, user_id=people[n % 4].id, role="lead"))
        if n % 3 == 0:
            db.add(SubmissionMember(submission_id=row.id, user_id=people[(n + 1) % 4].id, role="member"))
            db.add(Comment(submission_id=row.id, author_id=people[0].id, body="Bra"))  # type: ignore[arg-type]
        db.add(SubmissionVersion(submission_id=row.id, number=1, title=row.title, summary=row.summary,  # type: ignore[arg-type]
                                 attachment_ids=[]))  # fmt: skip
    db.commit()


@pytest.mark.parametrize("sort", ["newest", "comments", "random"])
def test_the_number_of_statements_does_not_grow_with_the_page_size(
    client: Client, cast: Cast, challenge: Any, open_now: FrozenClock, sort: str
) -> None:
    bulk_submissions(client.db, challenge, 2000)
    counts = []
    for size in (5, 50):
        with counting_statements(client) as statements:
            listed = client.get(API, params={"size": size, "sort": sort, "status": "submitted"}).json()
        assert (listed["total"], len(listed["items"])) == (2000, size)
        counts.append(len(statements))
    with counting_statements(client) as page_statements:
        page = client.get("/challenges/gronne-tak/submissions", params={"sort": sort})
    assert page.status_code == 200
    assert page.text.count('class="ds-card concept-card') == 12
    with counting_statements(client) as later:
        assert client.get("/challenges/gronne-tak/submissions", params={"sort": sort, "page": 100}).status_code == 200
    assert counts[0] == counts[1], counts
    assert len(page_statements) == len(later)
