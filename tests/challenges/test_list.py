"""Finding challenges: filters, sorting, pages, drafts for their hosts only, and a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from tests.challenges.conftest import Cast
from tests.conftest import NOW, Client
from tests.factories import make_challenge

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def slugs(client: Client, **params: Any) -> list[str]:
    response = client.get("/api/v1/challenges", params=params)
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def test_filters_combine_and_live_in_the_query(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel", title="Bærekraftig sentrumshandel",
                   target_groups=["students"], sdg_goals=[11, 12], prize_amount=5000000)  # fmt: skip
    make_challenge(client.db, cast.baerum, slug="unge-i-jobb", title="Flere unge i jobb", summary="Arbeid for unge",
                   target_groups=["young-professionals", "companies"], sdg_goals=[8], prize_amount=10000000,
                   start=NOW - 30 * DAY)  # fmt: skip
    make_challenge(client.db, cast.stavanger, slug="mobilitet", title="Smartere mobilitet", cohosts=[cast.baerum],
                   target_groups=["start-ups"], sdg_goals=[9, 11], start=NOW - 90 * DAY)  # fmt: skip
    make_challenge(client.db, cast.halden, slug="kladd", status="draft", sdg_goals=[11])
    client.db.commit()

    assert set(slugs(client)) == {"sentrumshandel", "unge-i-jobb", "mobilitet"}
    assert slugs(client, phase="upcoming") == ["sentrumshandel"]
    assert slugs(client, phase="open") == ["unge-i-jobb"]
    assert slugs(client, phase="announced") == ["mobilitet"]
    assert set(slugs(client, phase=["open", "upcoming"])) == {"sentrumshandel", "unge-i-jobb"}
    assert set(slugs(client, organisation="baerum")) == {"unge-i-jobb", "mobilitet"}  # hosts and co-hosts
    assert slugs(client, target_group="students") == ["sentrumshandel"]
    assert set(slugs(client, sdg=11)) == {"sentrumshandel", "mobilitet"}
    assert slugs(client, sdg=11, organisation="stavanger") == ["mobilitet"]
    assert slugs(client, q="unge") == ["unge-i-jobb"]
    assert slugs(client, q="MOBILITET") == ["mobilitet"]
    assert slugs(client, q="100%_") == []
    assert slugs(client, sort="prize") == ["unge-i-jobb", "sentrumshandel", "mobilitet"]
    assert slugs(client, sort="deadline") == ["unge-i-jobb", "sentrumshandel", "mobilitet"]
    assert slugs(client, sort="newest") == ["sentrumshandel", "unge-i-jobb", "mobilitet"]


def test_an_unknown_sort_or_filter_value_is_refused(client: Client, cast: Cast) -> None:
    response = client.get("/api/v1/challenges", params={"sort": "password"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "sort"
    assert client.get("/api/v1/challenges", params={"sdg": 18}).status_code == 422
    assert client.get("/api/v1/challenges", params={"phase": "someday"}).status_code == 422
    assert client.get("/api/v1/challenges", params={"page": 2**62}).status_code == 422


def test_drafts_are_listed_for_their_hosts_only(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="kladd", status="draft", cohosts=[cast.baerum])
    client.db.commit()
    assert slugs(client, phase="draft") == []
    client.sign_in(cast.stavanger_editor)
    assert slugs(client, phase="draft") == []
    for insider in (cast.halden_editor, cast.baerum_editor, cast.platform_admin):
        client.sign_in(insider)
        assert slugs(client, phase="draft") == ["kladd"]
        assert slugs(client) == []  # the default list is what the public sees


def test_the_list_is_paginated_with_a_next_link_and_a_capped_size(client: Client, cast: Cast) -> None:
    for n in range(5):
        make_challenge(client.db, cast.halden, slug=f"utfordring-{n}")
    client.db.commit()
    first = client.get("/api/v1/challenges", params={"size": 2, "sort": "deadline"}).json()
    assert (first["total"], len(first["items"])) == (5, 2)
    assert first["next"] == "http://testserver/api/v1/challenges?sort=deadline&page=2&size=2"  # filters kept
    last = client.get("/api/v1/challenges", params={"size": 2, "page": 3}).json()
    assert (len(last["items"]), last["next"]) == (1, None)
    assert client.get("/api/v1/challenges", params={"size": 1000}).json()["size"] == 50
    listed = client.get("/api/v1/challenges")
    assert client.get("/api/v1/challenges", headers={"If-None-Match": listed.headers["etag"]}).status_code == 304


@contextmanager
def counting_statements(client: Client) -> Iterator[list[str]]:
    statements: list[str] = []
    connection = client.db.connection()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _fill(client: Client, cast: Cast, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        make_challenge(client.db, cast.halden, slug=f"u-{n}", cohosts=[cast.baerum, cast.stavanger],
                       copied_from_id=None)  # fmt: skip
    client.db.commit()


def test_the_number_of_queries_does_not_grow_with_the_page(client: Client, cast: Cast) -> None:
    _fill(client, cast, 5)
    source = make_challenge(client.db, cast.halden, slug="kilde")
    make_challenge(client.db, cast.baerum, slug="kopi", copied_from_id=source.id)
    client.db.commit()
    client.sign_in(cast.halden_editor)
    with counting_statements(client) as few:
        assert len(client.get("/api/v1/challenges", params={"size": 50}).json()["items"]) == 7
    _fill(client, cast, 35, start=5)
    with counting_statements(client) as many:
        assert len(client.get("/api/v1/challenges", params={"size": 50}).json()["items"]) == 42
    assert len(many) == len(few), "\n".join(many)


def bulk_challenges(client: Client, cast: Cast, count: int) -> None:
    """`count` published challenges across three hosts, every other one co-hosted and every third a copy, inserted
    in one flush (the factories flush each row, which is slow for a thousand).

    Each is an hour apart, so any page of the list holds both a co-hosted challenge and a copy: a page without
    either skips loading what it lacks (`selectinload` has nothing to fetch), which would make the counts differ
    for another reason than the page size.
    """
    from app.challenges.models import Challenge, ChallengeCoHost, Criterion
    from tests.factories import CHALLENGE_TIMELINE_DAYS, TIMELINE_START

    source = make_challenge(client.db, cast.halden, slug="kilde")
    hosts = [cast.halden, cast.baerum, cast.stavanger]
    challenges = []
    for n in range(count):
        start = TIMELINE_START - n * HOUR
        dates = {name: start + days * DAY for name, days in CHALLENGE_TIMELINE_DAYS.items()}
        challenge = Challenge(
            host_id=hosts[n % 3].id, slug=f"masse-{n}", title=f"Utfordring nummer {n}", status="published",  # type: ignore[arg-type]
            summary="Hvordan kan kommunen gjøre sentrum grønnere?", published_at=start, prize_amount=n * 100,
            copied_from_id=source.id if n % 3 == 0 else None, sdg_goals=[11], **dates,
        )  # fmt: skip
        challenge.criteria = [Criterion(name="Nytteverdi", weight=3, position=0),
                              Criterion(name="Gjennomførbarhet", weight=1, position=1)]  # fmt: skip
        if n % 2 == 0:
            challenge.cohosts = [ChallengeCoHost(organization_id=hosts[(n + 1) % 3].id)]  # type: ignore[arg-type]
        challenges.append(challenge)
    client.db.add_all(challenges)
    client.db.commit()


def test_with_a_thousand_challenges_the_list_page_and_the_api_query_the_same_for_12_and_48_per_page(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.challenges import pages

    bulk_challenges(client, cast, 1000)
    counts: dict[str, int] = {}
    for size in (12, 48):
        with counting_statements(client) as statements:
            listed = client.get("/api/v1/challenges", params={"size": size, "sort": "deadline"}).json()
        assert (listed["total"], len(listed["items"])) == (1001, size)
        counts[f"api {size}"] = len(statements)
        monkeypatch.setattr(pages, "PAGE_SIZE", size)
        for page in (1, 20):
            with counting_statements(client) as statements:
                response = client.get("/challenges", params={"page": page})
            assert response.status_code == 200
            assert response.text.count('class="ds-link" href="/challenges/masse-') >= size
            counts[f"page {size} #{page}"] = len(statements)
    assert counts["api 12"] == counts["api 48"], counts
    assert counts["page 12 #1"] == counts["page 48 #1"] == counts["page 12 #20"] == counts["page 48 #20"], counts
