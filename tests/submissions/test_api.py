"""Concepts through the API: a team forms, accepts the terms, submits versions, attaches files."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import select

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import Submission, SubmissionVersion
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_challenge, make_submission, make_user
from tests.mail import emails_to, link_in
from tests.submissions.conftest import PDF, Team

BASE = "/api/v1/challenges/gronne-tak/submissions"


def start(client: Client, user: Any, **fields: Any) -> dict[str, Any]:
    client.sign_in(user)
    response = client.api("POST", BASE, json={"title": "Grønne tak i sentrum", **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def invite_and_join(client: Client, lead: Any, invitee: Any, submission_id: int) -> None:
    client.sign_in(lead)
    response = client.api("POST", f"{BASE}/{submission_id}/invitations", json={"email": invitee.email})
    assert response.status_code == 201, response.text
    token = link_in(emails_to(client.db, invitee.email)[-1], "/team-invitations/").rsplit("/", 1)[1]
    client.sign_in(invitee)
    joined = client.api("POST", f"/api/v1/team-invitations/{token}/accept")
    assert joined.status_code == 200, joined.text


def test_a_team_forms_accepts_the_terms_and_submits_two_versions(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = start(client, team.lead, summary="Tak som samler regnvann.", body="Første **utkast**", team_name="Takfolk")
    assert draft["status"] == "draft"
    assert draft["working_copy"] is True
    assert draft["body_html"] == "<p>Første <strong>utkast</strong></p>\n"
    sid = draft["id"]
    invite_and_join(client, team.lead, team.member, sid)

    client.sign_in(team.lead)
    refused = client.api("POST", f"{BASE}/{sid}/submit")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/not-ready-to-submit"
    assert "Liv Leder" in refused.json()["detail"]
    assert "Mats Medlem" in refused.json()["detail"]

    for person in (team.lead, team.member):
        client.sign_in(person)
        assert client.api("POST", f"{BASE}/{sid}/terms").status_code == 200
    first = client.api("POST", f"{BASE}/{sid}/submit")
    assert first.status_code == 201, first.text
    assert first.json()["number"] == 1
    receipts = [m for m in emails_to(client.db, team.member.email) if m.payload["template"] == "submission_receipt"]
    assert len(receipts) == 1
    assert receipts[0].payload["language"] == "sv"
    assert len(emails_to(client.db, team.lead.email)) == 1

    changed = client.api("PATCH", f"{BASE}/{sid}", json={"body": "Andre utkast med **mer**", "title": "Grønne tak"})
    assert changed.status_code == 200
    stored = client.db.exec(select(SubmissionVersion).where(SubmissionVersion.submission_id == sid)).one()
    assert (stored.title, stored.body) == ("Grønne tak i sentrum", "Første **utkast**")  # the version never changes

    # The hosts see the submitted version, not the working copy.
    client.sign_in(cast.halden_editor)
    host_view = client.api("GET", f"{BASE}/{sid}").json()
    assert (host_view["title"], host_view["version"], host_view["working_copy"]) == ("Grønne tak i sentrum", 1, False)

    client.sign_in(team.member)
    second = client.api("POST", f"{BASE}/{sid}/submit")
    assert second.json()["number"] == 2
    versions = client.api("GET", f"{BASE}/{sid}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    diff = client.api("GET", f"{BASE}/{sid}/diff?from=1&to=2").json()["diff"]
    assert "-Første **utkast**" in diff
    assert "+Andre utkast med **mer**" in diff

    client.sign_in(cast.baerum_editor)  # a co-host reads the history too
    assert client.api("GET", f"{BASE}/{sid}/versions/1").json()["body"] == "Første **utkast**"
    assert client.api("GET", f"{BASE}/{sid}/diff?from=1&to=2").status_code == 200

    client.sign_in(team.lead)
    withdrawn = client.api("POST", f"{BASE}/{sid}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    again = client.api("POST", f"{BASE}/{sid}/submit")
    assert again.json()["number"] == 3
    assert client.db.get(Submission, sid).status == "submitted"  # type: ignore[union-attr]


def test_version_rows_are_never_updated(client: Client, team: Team, challenge: Any, open_now: FrozenClock) -> None:
    sid = start(client, team.lead)["id"]
    client.api("POST", f"{BASE}/{sid}/terms")
    client.api("POST", f"{BASE}/{sid}/submit")
    before = client.db.exec(select(SubmissionVersion)).one().model_dump()
    client.api("PATCH", f"{BASE}/{sid}", json={"title": "Nytt navn", "summary": "ny", "team_name": "Nye"})
    client.api("POST", f"{BASE}/{sid}/withdraw")
    client.api("POST", f"{BASE}/{sid}/submit")
    client.db.expire_all()
    first = client.db.exec(select(SubmissionVersion).where(SubmissionVersion.number == 1)).one()
    assert first.model_dump() == before


def test_drafts_are_seen_only_by_their_team(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = start(client, team.lead)["id"]
    for outsider in (cast.halden_editor, cast.baerum_editor, cast.platform_admin, cast.citizen):
        client.sign_in(outsider)
        assert client.api("GET", f"{BASE}/{sid}").status_code == 404
        assert client.api("GET", BASE).json()["total"] == 0
        assert client.api("PATCH", f"{BASE}/{sid}", json={"title": "x"}).status_code == 404
    client.sign_out()
    assert client.get(f"{BASE}/{sid}").status_code == 404


def test_submitted_concepts_are_public_per_the_challenge_setting(
    client: Client, db: Any, cast: Cast, team: Team, clock: FrozenClock
) -> None:
    at_submission = make_challenge(db, cast.halden, slug="straks")
    after_review = make_challenge(db, cast.halden, slug="etterpaa", submissions_public="after-review")
    never = make_challenge(db, cast.halden, slug="aldri", submissions_public="never")
    ids = {c.slug: make_submission(db, c, team.lead, versions=1).id for c in (at_submission, after_review, never)}
    db.commit()
    for phase, public in [(Phase.OPEN, {"straks"}), (Phase.REVIEW, {"straks"}), (Phase.VOTING, {"straks", "etterpaa"})]:
        clock.at = at(phase)
        for slug, sid in ids.items():
            anonymous = client.get(f"/api/v1/challenges/{slug}/submissions/{sid}")
            assert anonymous.status_code == (200 if slug in public else 404), (phase, slug)
            client.sign_in(cast.halden_editor)
            assert client.api("GET", f"/api/v1/challenges/{slug}/submissions/{sid}").status_code == 200
            client.sign_in(cast.stavanger_editor)  # another organisation's editor is the public
            assert client.api("GET", f"/api/v1/challenges/{slug}/submissions/{sid}").status_code == (
                200 if slug in public else 404
            )
            client.sign_out()
    page = client.get("/api/v1/challenges/straks/submissions")
    assert page.json()["total"] == 1
    assert "ETag" in page.headers


def test_the_public_sees_no_history_and_an_anonymous_team_unnamed(
    client: Client, db: Any, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(
        db, challenge, team.lead, members=[team.member], versions=2, anonymous=True, team_name="Hemmelig"
    )
    db.commit()
    public = client.get(f"{BASE}/{sub.id}").json()
    assert public["team_name"] is None
    assert public["members"] == []
    assert client.get(f"{BASE}/{sub.id}/versions").status_code == 404
    assert client.get(f"{BASE}/{sub.id}/versions/1").status_code == 404
    assert client.get(f"{BASE}/{sub.id}/versions/2").status_code == 200
    client.sign_in(cast.halden_editor)
    hosts = client.api("GET", f"{BASE}/{sub.id}").json()
    assert hosts["team_name"] == "Hemmelig"
    assert [m["display_name"] for m in hosts["members"]] == [
        "Liv Leder",
        "Mats Medlem",
    ]


@pytest.mark.parametrize(("phase", "status", "expected"), [
    (Phase.DRAFT, "draft", 404), (Phase.UPCOMING, "published", 409), (Phase.REVIEW, "published", 409),
    (Phase.CANCELLED, "cancelled", 409),
])  # fmt: skip
def test_no_concept_outside_the_open_phase(
    client: Client, db: Any, cast: Cast, team: Team, clock: FrozenClock, phase: Phase, status: str, expected: int
) -> None:
    make_challenge(db, cast.halden, slug="gronne-tak", status=status)
    db.commit()
    clock.at = at(phase)
    client.sign_in(team.lead)
    response = client.api("POST", BASE, json={"title": "For sent"})
    assert response.status_code == expected
    if expected == 409:
        assert response.json()["type"] == "/problems/phase-closed"
    assert client.db.exec(select(Submission)).all() == []


def test_after_the_deadline_every_write_is_refused(
    client: Client, db: Any, cast: Cast, team: Team, challenge: Any, clock: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, members=[team.member], versions=1)
    db.commit()
    clock.at = at(Phase.REVIEW)
    client.sign_in(team.lead)
    writes = [
        ("PATCH", f"{BASE}/{sub.id}", {"json": {"title": "Sent"}}),
        ("POST", f"{BASE}/{sub.id}/submit", {}),
        ("POST", f"{BASE}/{sub.id}/withdraw", {}),
        ("POST", f"{BASE}/{sub.id}/terms", {}),
        ("POST", f"{BASE}/{sub.id}/invitations", {"json": {"email": "ny@example.no"}}),
        ("POST", f"{BASE}/{sub.id}/lead", {"json": {"user_id": team.member.id}}),
        ("DELETE", f"{BASE}/{sub.id}/members/{team.member.id}", {}),
        ("POST", f"{BASE}/{sub.id}/attachments", {"files": {"file": ("a.pdf", PDF, "application/pdf")}}),
    ]
    for method, url, kwargs in writes:
        response = client.api(method, url, **kwargs)
        assert response.status_code == 409, (method, url, response.text)
        assert response.json()["type"] == "/problems/phase-closed"
    assert client.api("GET", f"{BASE}/{sub.id}").json()["title"] == "Grønne tak i sentrum"


def test_an_unverified_user_cannot_start_a_concept(client: Client, challenge: Any, open_now: FrozenClock) -> None:
    client.sign_in(make_user(client.db, verified=False))
    assert client.api("POST", BASE, json={"title": "Idé"}).status_code == 403


def test_bad_input_is_refused_with_field_messages(client: Client, team: Team, challenge: Any, open_now: Any) -> None:
    client.sign_in(team.lead)
    response = client.api("POST", BASE, json={"title": "   ", "color": "red"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"title", "color"}
    assert client.db.exec(select(Submission)).all() == []


def test_a_deleted_account_stays_on_the_team_as_deleted_user(
    client: Client, db: Any, team: Team, challenge: Any, open_now: Any
) -> None:
    from tests.factories import PASSWORD

    sub = make_submission(db, challenge, team.lead, members=[team.member], versions=1)
    db.commit()
    client.sign_in(team.lead)
    export = client.get("/account/export").json()["submissions"]
    assert export[0]["title"] == "Grønne tak i sentrum"
    assert export[0]["role"] == "lead"
    assert [v["number"] for v in export[0]["versions"]] == [1]
    assert client.post_form("/account/delete", {"password": PASSWORD}).status_code == 303
    client.sign_in(team.member)
    members = client.api("GET", f"{BASE}/{sub.id}").json()["members"]
    assert {m["display_name"]: m["role"] for m in members} == {"Deleted user": "member", "Mats Medlem": "lead"}


def test_listing_pages_have_next_links(client: Client, db: Any, cast: Cast, team: Team, challenge: Any) -> None:
    for n in range(3):
        make_submission(db, challenge, make_user(db), versions=1, title=f"Idé {n}")
    db.commit()
    client.clock.at = at(Phase.OPEN)
    first = client.get(f"{BASE}?size=2").json()
    assert first["total"] == 3
    assert len(first["items"]) == 2
    assert first["next"].endswith("page=2&size=2")
    assert client.get(first["next"]).json()["next"] is None
    db.execute(update(Submission).values(hidden_at=at(Phase.OPEN)))
    db.commit()
    assert client.get(BASE).json()["total"] == 0
