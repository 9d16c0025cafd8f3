"""Concepts through the API: a team forms, accepts the terms, submits versions, attaches files."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import Attachment, Submission, SubmissionVersion
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_challenge, make_submission, make_user
from tests.mail import emails_to, link_in
from tests.submissions.conftest import PDF, PNG, Team

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


# --- team ---------------------------------------------------------------------------------------------------------


def test_the_per_person_limit_holds_on_create_and_on_accept(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    start(client, team.lead)
    second = client.api("POST", BASE, json={"title": "En til"})
    assert second.status_code == 409
    assert second.json()["type"] == "/problems/limit-reached"
    other = start(client, team.member)
    client.sign_in(team.member)
    client.api("POST", f"{BASE}/{other['id']}/invitations", json={"email": team.lead.email})
    token = link_in(emails_to(db, team.lead.email)[-1], "/team-invitations/").rsplit("/", 1)[1]
    client.sign_in(team.lead)
    refused = client.api("POST", f"/api/v1/team-invitations/{token}/accept")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/limit-reached"


def test_a_withdrawn_concept_frees_the_place(client: Client, team: Team, challenge: Any, open_now: Any) -> None:
    sid = start(client, team.lead)["id"]
    client.api("POST", f"{BASE}/{sid}/terms")
    client.api("POST", f"{BASE}/{sid}/submit")
    client.api("POST", f"{BASE}/{sid}/withdraw")
    assert client.api("POST", BASE, json={"title": "En ny idé"}).status_code == 201


def test_team_size_counts_open_invitations_and_is_checked_on_accept(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = start(client, team.lead)["id"]
    for email in ("en@example.no", "to@example.no"):
        assert client.api("POST", f"{BASE}/{sid}/invitations", json={"email": email}).status_code == 201
    full = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "tre@example.no"})
    assert full.status_code == 409
    assert full.json()["type"] == "/problems/limit-reached"
    again = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "en@example.no"})
    assert again.status_code == 409
    # An invitation that expired no longer holds a place.
    open_now.advance(timedelta(days=8))
    assert client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "tre@example.no"}).status_code == 201


def test_expired_reused_revoked_and_declined_links_are_refused(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = start(client, team.lead)["id"]
    client.api("POST", f"{BASE}/{sid}/invitations", json={"email": team.member.email})
    token = link_in(emails_to(db, team.member.email)[-1], "/team-invitations/").rsplit("/", 1)[1]

    client.sign_in(team.invitee)  # the wrong person
    assert client.api("POST", f"/api/v1/team-invitations/{token}/accept").status_code == 403
    client.sign_in(team.member)
    assert client.api("POST", f"/api/v1/team-invitations/{token}/accept").status_code == 200
    reused = client.api("POST", f"/api/v1/team-invitations/{token}/accept")
    assert reused.status_code == 409
    assert reused.json()["type"] == "/problems/invitation-unusable"
    assert "brukt" in reused.json()["detail"]  # in the member's language
    assert client.api("POST", "/api/v1/team-invitations/not-a-token/accept").status_code == 404

    client.sign_in(team.lead)
    invitation = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": team.invitee.email}).json()
    token = link_in(emails_to(db, team.invitee.email)[-1], "/team-invitations/").rsplit("/", 1)[1]
    assert client.api("DELETE", f"{BASE}/{sid}/invitations/{invitation['id']}").status_code == 200
    client.sign_in(team.invitee)
    revoked = client.api("POST", f"/api/v1/team-invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert revoked.status_code == 409
    assert "withdrawn" in revoked.json()["detail"]

    client.sign_in(team.lead)
    client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "sen@example.no"})
    token = link_in(emails_to(db, "sen@example.no")[-1], "/team-invitations/").rsplit("/", 1)[1]
    late = make_user(db, email="sen@example.no")
    db.commit()
    open_now.advance(timedelta(days=7, seconds=1))
    client.sign_in(late)
    expired = client.api("POST", f"/api/v1/team-invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert expired.status_code == 409
    assert "expired" in expired.json()["detail"]

    client.sign_in(team.lead)
    client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "nei@example.no"})
    token = link_in(emails_to(db, "nei@example.no")[-1], "/team-invitations/").rsplit("/", 1)[1]
    client.sign_in(make_user(db, email="nei@example.no"))
    db.commit()
    assert client.api("POST", f"/api/v1/team-invitations/{token}/decline").status_code == 204
    assert client.api("POST", f"/api/v1/team-invitations/{token}/accept").status_code == 409


def test_the_lead_hands_over_removes_and_members_leave(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, members=[team.member, team.invitee])
    db.commit()
    url = f"{BASE}/{sub.id}"
    client.sign_in(team.member)
    assert client.api("DELETE", f"{url}/members/{team.invitee.id}").status_code == 403
    assert client.api("POST", f"{url}/lead", json={"user_id": team.member.id}).status_code == 403
    client.sign_in(team.lead)
    cannot_leave = client.api("DELETE", f"{url}/members/{team.lead.id}", headers={"Accept-Language": "en"})
    assert cannot_leave.status_code == 409
    assert "Hand over" in cannot_leave.json()["detail"]
    assert client.api("DELETE", f"{url}/members/{team.invitee.id}").status_code == 204
    handed = client.api("POST", f"{url}/lead", json={"user_id": team.member.id}).json()
    assert {m["display_name"]: m["role"] for m in handed["members"]} == {"Liv Leder": "member", "Mats Medlem": "lead"}
    assert client.api("DELETE", f"{url}/members/{team.lead.id}").status_code == 204  # now they may leave
    assert client.api("GET", url).status_code == 404  # and no longer see the draft


# --- files --------------------------------------------------------------------------------------------------------


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client: Client, sid: int, name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return client.api("POST", f"{BASE}/{sid}/attachments", files={"file": (name, content, content_type)})


def test_files_are_checked_by_content(client: Client, db: Any, team: Team, challenge: Any, open_now: Any) -> None:
    sid = start(client, team.lead)["id"]
    assert upload(client, sid, "konsept.pdf", PDF).json()["content_type"] == "application/pdf"
    assert upload(client, sid, "skisse.bin", PNG, "application/octet-stream").json()["content_type"] == "image/png"
    spoofs = [
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # an .exe renamed
        ("side.pdf", b"<html><script>alert(1)</script></html>"),
        ("notat.docx", zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})),  # not allowed here
        ("tom.pdf", b""),
    ]
    for name, content in spoofs:
        response = upload(client, sid, name, content)
        assert response.status_code == 415, name
        assert response.json()["type"] == "/problems/unsupported-media-type"
    assert len(db.exec(select(Attachment)).all()) == 2


def test_office_files_are_recognised_when_the_challenge_allows_them(
    client: Client, db: Any, cast: Cast, team: Team, open_now: Any
) -> None:
    make_challenge(db, cast.halden, slug="gronne-tak", allowed_file_types=["docx", "odp"])
    db.commit()
    sid = start(client, team.lead)["id"]
    docx = zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    odp = zipped({"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b"<x/>"})
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert upload(client, sid, "a.docx", docx).status_code == 201
    assert upload(client, sid, "b.odp", odp).status_code == 201
    assert upload(client, sid, "c.odt", odt).status_code == 415
    assert upload(client, sid, "d.docx", zipped({"readme.txt": b"hei"})).status_code == 415
    assert upload(client, sid, "e.pdf", PDF).status_code == 415


def test_too_large_and_too_many_files_are_refused(
    client: Client, db: Any, cast: Cast, team: Team, open_now: Any
) -> None:
    make_challenge(db, cast.halden, slug="gronne-tak", max_file_mb=1)
    db.commit()
    sid = start(client, team.lead)["id"]
    big = PDF + b"0" * (1024 * 1024)
    too_large = upload(client, sid, "stor.pdf", big)
    assert too_large.status_code == 413
    assert too_large.json()["type"] == "/problems/payload-too-large"
    for n in range(5):
        assert upload(client, sid, f"{n}.pdf", PDF).status_code == 201
    sixth = upload(client, sid, "6.pdf", PDF)
    assert sixth.status_code == 409
    first = db.exec(select(Attachment).order_by(col(Attachment.id))).first()
    assert client.api("DELETE", f"{BASE}/{sid}/attachments/{first.id}").status_code == 204
    assert upload(client, sid, "6.pdf", PDF).status_code == 201


def test_downloads_are_attachments_with_safe_headers_and_names(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: Any
) -> None:
    sid = start(client, team.lead)["id"]
    created = upload(client, sid, "../../etc/Plan <æøå>.pdf", PDF).json()
    assert created["filename"] == "Plan _æøå_.pdf"
    response = client.get(created["url"])
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith('attachment; filename="Plan _____.pdf"')
    assert "filename*=UTF-8''Plan%20_%C3%A6%C3%B8%C3%A5_.pdf" in response.headers["content-disposition"]
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["cache-control"].startswith("private")
    client.sign_in(cast.halden_editor)  # a draft's file: not for the hosts
    assert client.get(created["url"]).status_code == 404


def test_a_removed_file_stays_in_the_version_that_listed_it(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: Any
) -> None:
    sid = start(client, team.lead)["id"]
    old = upload(client, sid, "v1.pdf", PDF).json()
    client.api("POST", f"{BASE}/{sid}/terms")
    client.api("POST", f"{BASE}/{sid}/submit")
    client.api("DELETE", f"{BASE}/{sid}/attachments/{old['id']}")
    new = upload(client, sid, "v2.png", PNG, "image/png").json()
    assert [a["filename"] for a in client.api("GET", f"{BASE}/{sid}").json()["attachments"]] == ["v2.png"]
    client.sign_out()
    public = client.get(f"{BASE}/{sid}").json()
    assert [a["filename"] for a in public["attachments"]] == ["v1.pdf"]
    assert client.get(old["url"]).status_code == 200
    assert client.get(new["url"]).status_code == 404  # not in any submitted version


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


def test_exports_list_file_names_not_bytes(client: Client, team: Team, challenge: Any, open_now: Any) -> None:
    sid = start(client, team.lead)["id"]
    upload(client, sid, "plan.pdf", PDF)
    export = client.get("/account/export")
    section = export.json()["submissions"][0]
    assert section["attachments"] == [{"filename": "plan.pdf", "size": len(PDF), "uploaded_by_you": True}]
    assert "%PDF" not in export.text


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


@pytest.mark.parametrize(("given", "kept"), [
    ('C:\\Users\\kari\\Plan "ny".pdf', "Plan _ny_.pdf"),
    ("../../etc/passwd", "passwd"),
    ("rapport\x00\x07\u202e.pdf", "rapport.pdf"),
    ("...", "attachment"),
    ("", "attachment"),
    ("a" * 300 + ".pdf", "a" * 190 + ".pdf"),
])  # fmt: skip
def test_file_names_lose_folders_and_control_characters(given: str, kept: str) -> None:
    from app.submissions.files.service import clean_filename

    assert clean_filename(given) == kept
