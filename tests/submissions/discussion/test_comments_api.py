"""Comments through the API: people discuss a public concept, the team hears of it, authors fix typos for 15 minutes,
delete their own words without breaking the thread, and nobody floods or writes where they may not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.challenges.models import Status
from app.challenges.phases import Phase
from app.clock import FrozenClock
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_comment, make_submission, make_user
from tests.mail import emails_to
from tests.submissions.conftest import Team
from tests.submissions.discussion import fixtures as comments_fixtures
from tests.submissions.discussion.fixtures import api_url, audit_actions, nb, stored_comments

concept = comments_fixtures.concept  # the shared fixture


def post(client: Client, concept: Any, body: str = "Flott idé! Hvem vedlikeholder takene?", **extra: Any) -> Any:
    return client.api("POST", api_url(concept, "/comments"), json={"body": body, **extra})


def test_a_citizen_comments_and_each_team_member_is_emailed_in_their_language(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
) -> None:
    client.sign_in(cast.citizen)
    made = post(client, concept, "Flott idé!\nHvem vedlikeholder takene?")
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["author_name"] == "Kari Innbygger"
    assert body["url"].endswith(f"#comment-{body['id']}")
    assert made.headers["location"].endswith(f"/comments/{body['id']}")
    lead_mail, member_mail = emails_to(db, team.lead.email), emails_to(db, team.member.email)
    assert len(lead_mail) == len(member_mail) == 1
    assert lead_mail[0].payload["language"] == "nb"
    assert member_mail[0].payload["language"] == "sv"
    assert "Hvem vedlikeholder takene?" in lead_mail[0].body
    assert f"#comment-{body['id']}" in lead_mail[0].body
    assert emails_to(db, cast.citizen.email) == []
    listed = client.sign_out().get(api_url(concept, "/comments")).json()
    assert [item["body"] for item in listed["items"]] == ["Flott idé!\nHvem vedlikeholder takene?"]
    assert "comment.create" in audit_actions(db)


def test_the_team_is_not_emailed_about_its_own_comments(
    client: Client,
    db: Session,
    team: Team,
    concept: Any,
) -> None:
    assert post(client.sign_in(team.lead), concept, "Takk for alle innspill!").status_code == 201
    assert emails_to(db, team.lead.email) == []
    assert len(emails_to(db, team.member.email)) == 1


def test_a_reply_to_a_reply_joins_the_top_level_comment(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
) -> None:
    top = post(client.sign_in(cast.citizen), concept, "Hva koster det?").json()
    reply = post(client.sign_in(team.lead), concept, "Rundt 200 kr per m².", parent_id=top["id"]).json()
    deeper = post(client.sign_in(cast.citizen), concept, "Takk!", parent_id=reply["id"])
    assert deeper.status_code == 201
    assert reply["parent_id"] == top["id"]
    assert deeper.json()["parent_id"] == top["id"]
    foreign = post(client, concept, "Svar", parent_id=999_999)
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "parent_id"
    assert len(stored_comments(db)) == 3


def test_authors_change_a_comment_for_15_minutes_then_it_is_final(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
    clock: FrozenClock,
) -> None:
    made = post(client.sign_in(cast.citizen), concept, "Flot idé").json()
    url = api_url(concept, f"/comments/{made['id']}")
    assert client.sign_in(team.lead).api("PATCH", url, json={"body": "Kapret"}).status_code == 403
    clock.at = clock.at + timedelta(minutes=14)
    changed = client.sign_in(cast.citizen).api("PATCH", url, json={"body": "Flott idé"})
    assert changed.status_code == 200
    assert changed.json()["body"] == "Flott idé"
    assert changed.json()["edited_at"] is not None
    clock.at = clock.at + timedelta(minutes=2)
    late = client.api("PATCH", url, json={"body": "For sent"})
    assert late.status_code == 409
    assert late.json()["detail"] == nb("A comment can be changed only in the first 15 minutes after it is posted.")
    assert [c.body for c in stored_comments(db)] == ["Flott idé"]


def test_deleting_a_comment_blanks_it_and_keeps_its_replies_in_place(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
) -> None:
    top = post(client.sign_in(cast.citizen), concept, "Dette er dumt.").json()
    post(client.sign_in(team.lead), concept, "Hvorfor det?", parent_id=top["id"])
    url = api_url(concept, f"/comments/{top['id']}")
    assert client.api("DELETE", url).status_code == 403  # not the author
    assert client.sign_in(cast.citizen).api("DELETE", url).status_code == 204
    items = client.get(api_url(concept, "/comments")).json()["items"]
    assert [(i["state"], i["body"], i["parent_id"]) for i in items] == [
        ("deleted", None, None),
        ("shown", "Hvorfor det?", top["id"]),
    ]
    assert stored_comments(db)[0].body == ""
    assert "comment.delete" in audit_actions(db)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("unverified", 403),
        ("citizen", 201),
        ("lead", 201),
        ("member", 201),
        ("host_editor", 201),
        ("cohost_editor", 201),
        ("other_org_editor", 201),
        ("platform_admin", 201),
    ],
)
def test_who_may_comment_on_a_public_concept(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
    who: str,
    expected: int,
) -> None:
    people = {
        "unverified": make_user(db, verified=False), "citizen": cast.citizen, "lead": team.lead,
        "member": team.member, "host_editor": cast.halden_editor, "cohost_editor": cast.baerum_editor,
        "other_org_editor": cast.stavanger_editor, "platform_admin": cast.platform_admin,
    }  # fmt: skip
    if who in people:
        client.sign_in(people[who])
    assert post(client, concept).status_code == expected
    assert len(stored_comments(db)) == (1 if expected == 201 else 0)


def test_no_comments_on_drafts_cancelled_challenges_or_hidden_concepts(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    challenge: Any,
    concept: Any,
    clock: FrozenClock,
) -> None:
    draft = make_submission(db, challenge, team.invitee, title="Utkast")
    db.commit()
    client.sign_in(cast.citizen)
    assert post(client, draft).status_code == 404
    concept.hidden_at, concept.hidden_reason = clock.now(), "Personopplysninger"
    db.add(concept)
    db.commit()
    assert post(client, concept).status_code == 404  # the public no longer sees it
    assert post(client.sign_in(team.lead), concept).status_code == 409  # its team does, but it takes no comments
    concept.hidden_at = None
    challenge.status = Status.CANCELLED
    db.add_all([concept, challenge])
    db.commit()
    assert post(client.sign_in(cast.citizen), concept).status_code in (404, 409)
    assert stored_comments(db) == []


def test_comments_go_on_after_the_deadline(
    client: Client,
    cast: Cast,
    concept: Any,
    clock: FrozenClock,
) -> None:
    for phase in (Phase.REVIEW, Phase.VOTING, Phase.ANNOUNCED):
        clock.at = at(phase)
        assert post(client.sign_in(cast.citizen), concept, f"I fasen {phase}").status_code == 201


def test_bad_comments_are_refused_and_nothing_is_stored(
    client: Client,
    db: Session,
    cast: Cast,
    concept: Any,
) -> None:
    client.sign_in(cast.citizen)
    for payload in ({"body": "   "}, {"body": "x" * 2001}, {"body": "Hei", "pinned": True}, {}):
        answer = client.api("POST", api_url(concept, "/comments"), json=payload)
        assert answer.status_code == 422, payload
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert post(client, concept, "x" * 2000).status_code == 201
    assert len(stored_comments(db)) == 1


def test_ten_comments_a_minute_then_a_pause(
    client: Client,
    db: Session,
    cast: Cast,
    concept: Any,
) -> None:
    client.sign_in(cast.citizen)
    for n in range(10):
        assert post(client, concept, f"Kommentar {n}").status_code == 201
    flooded = post(client, concept, "En til")
    assert flooded.status_code == 429
    assert "retry-after" in flooded.headers
    assert len(stored_comments(db)) == 10


def test_comments_are_listed_in_pages_with_a_next_link(
    client: Client,
    db: Session,
    cast: Cast,
    concept: Any,
    clock: FrozenClock,
) -> None:
    for n in range(5):
        make_comment(db, concept, author=cast.citizen, body=f"Nr {n}", created_at=clock.now() + timedelta(seconds=n))
    db.commit()
    first = client.get(api_url(concept, "/comments?size=2")).json()
    assert [item["body"] for item in first["items"]] == ["Nr 0", "Nr 1"]
    assert first["total"] == 5
    second = client.get(first["next"]).json()
    assert [item["body"] for item in second["items"]] == ["Nr 2", "Nr 3"]
    assert client.get(api_url(concept, "/comments?page=3&size=2")).json()["next"] is None


def test_a_concept_the_caller_may_not_see_has_no_comments_to_list(
    client: Client,
    db: Session,
    team: Team,
    challenge: Any,
    cast: Cast,
) -> None:
    draft = make_submission(db, challenge, team.lead, title="Utkast")
    db.commit()
    assert client.get(api_url(draft, "/comments")).status_code == 404
    assert client.sign_in(cast.halden_editor).get(api_url(draft, "/comments")).status_code == 404
    assert client.sign_in(team.lead).get(api_url(draft, "/comments")).status_code == 200
