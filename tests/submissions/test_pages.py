"""Concept pages without JavaScript: a draft that loses nothing on error, the team page, invitations, versions."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import Submission
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_submission
from tests.mail import emails_to, link_in
from tests.submissions.conftest import PDF, Team

PAGE = "/challenges/gronne-tak/submissions"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_challenge_page_offers_to_submit_while_open(client: Client, challenge: Any, clock: FrozenClock) -> None:
    clock.at = at(Phase.OPEN)
    page = client.get("/challenges/gronne-tak")
    assert f'href="{PAGE}/new"' in page.text
    new = client.get(f"{PAGE}/new", follow_redirects=False)
    assert new.status_code == 303
    assert new.headers["location"].startswith("/account/sign-in?next=")
    clock.at = at(Phase.REVIEW)
    assert f'href="{PAGE}/new"' not in client.get("/challenges/gronne-tak").text


def test_a_draft_with_errors_loses_nothing_and_then_saves(
    client: Client, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    client.sign_in(team.lead)
    assert client.get(f"{PAGE}/new").status_code == 200
    typed = {"title": "  ", "summary": "Kort", "body": "Lang **tekst**", "team_name": "Takfolk", "anonymous": "yes"}
    failed = client.post_form(f"{PAGE}/new", typed)
    assert failed.status_code == 422
    assert "ds-error-summary" in failed.text
    assert 'aria-invalid="true"' in failed.text
    assert "Lang **tekst**</textarea>" in failed.text
    assert 'value="Takfolk"' in failed.text
    assert 'name="anonymous" value="yes" checked' in failed.text
    saved = client.post_form(f"{PAGE}/new", {**typed, "title": "Grønne tak"})
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert "Grønne tak" in page.text
    assert "<strong>tekst</strong>" in page.text
    assert "Liv Leder" in page.text
    assert "has not accepted the terms yet" in page.text or "ikke godtatt" in page.text


def test_a_team_forms_and_submits_through_the_pages(
    client: Client, db: Any, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    client.sign_in(team.lead)
    sid = client.post_form(f"{PAGE}/new", {"title": "Grønne tak"}).headers["location"].rsplit("/", 1)[1]
    url = f"{PAGE}/{sid}"
    bad = client.post_form(f"{url}/invitations", {"email": "ikke-en-adresse"})
    assert bad.status_code == 422
    assert 'value="ikke-en-adresse"' in bad.text
    assert client.post_form(f"{url}/invitations", {"email": team.member.email}).status_code == 303
    link = link_in(emails_to(db, team.member.email)[-1], "/team-invitations/")
    client.sign_out()
    invitation = client.get(link)
    assert "Grønne tak" in invitation.text
    assert "/account/sign-in?next=" in invitation.text
    client.sign_in(team.member)
    joined = client.post_form(f"{link}/accept")
    assert joined.headers["location"] == url
    assert client.post_form(f"{link}/accept").status_code == 409  # the link is used up
    client.post_form(f"{url}/terms")
    page = client.get(url).text
    assert "Liv Leder" in page  # still waiting for the lead
    client.sign_in(team.lead)
    client.post_form(f"{url}/terms")
    upload = client.post(f"{url}/attachments", data={"csrf_token": client.csrf_token},
                         files={"file": ("plan.pdf", PDF, "application/pdf")}, follow_redirects=False)  # fmt: skip
    assert upload.status_code == 303
    spoof = client.post(f"{url}/attachments", data={"csrf_token": client.csrf_token},
                        files={"file": ("x.pdf", b"<html>", "application/pdf")})  # fmt: skip
    assert spoof.status_code == 415
    assert 'id="field-file-error"' in spoof.text
    assert client.post_form(f"{url}/submit").status_code == 303
    client.post_form(f"{url}/edit", {"title": "Grønne tak 2", "body": "Ny tekst"})
    client.post_form(f"{url}/submit")
    versions = client.get(f"{url}/versions")
    assert versions.status_code == 200
    assert '<ins class="diff__added">+Ny tekst</ins>' in versions.text
    client.sign_in(cast.halden_editor)
    host_page = client.get(url).text
    assert "Grønne tak 2" in host_page
    assert "I accept the terms" not in host_page
    assert client.get(f"{url}/versions").status_code == 200
    client.sign_in(team.member)
    assert "Grønne tak 2" in client.get("/account/submissions").text


def test_titles_bodies_and_file_names_are_escaped(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, title=XSS, body=f"Tekst {XSS}\n\n[lenke](javascript:alert(1))",
                          summary=XSS, team_name=XSS, versions=1)  # fmt: skip
    db.commit()
    client.sign_in(team.lead)
    client.post(f"{PAGE}/{sub.id}/attachments", data={"csrf_token": client.csrf_token},
                files={"file": (f"{XSS}.pdf", PDF, "application/pdf")})  # fmt: skip
    for url in (f"{PAGE}/{sub.id}", f"{PAGE}/{sub.id}/versions", "/account/submissions"):
        page = client.get(url).text
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert 'href="javascript:' not in page, url
    client.sign_out()
    assert "<script>alert" not in client.get(f"{PAGE}/{sub.id}").text


def test_drafts_are_a_404_page_for_hosts_and_after_the_deadline_forms_are_gone(
    client: Client, db: Any, cast: Cast, team: Team, challenge: Any, clock: FrozenClock
) -> None:
    draft = make_submission(db, challenge, team.lead)
    submitted = make_submission(db, challenge, team.member, versions=1, title="Innsendt")
    db.commit()
    clock.at = at(Phase.OPEN)
    client.sign_in(cast.halden_editor)
    assert client.get(f"{PAGE}/{draft.id}").status_code == 404
    assert client.get(f"{PAGE}/{draft.id}/versions").status_code == 404
    clock.at = at(Phase.REVIEW)
    client.sign_in(team.member)
    page = client.get(f"{PAGE}/{submitted.id}").text
    assert "Submit the concept" not in page
    assert f"{PAGE}/{submitted.id}/edit" not in page
    assert client.post_form(f"{PAGE}/{submitted.id}/edit", {"title": "For sent"}).status_code == 409
    assert db.exec(select(Submission.title).where(Submission.id == submitted.id)).one() == "Innsendt"


def test_demo_concepts_load_once_with_real_files(db: Any) -> None:
    from app import demo
    from app.submissions.files.service import file_type
    from app.submissions.models import AttachmentContent

    demo.load(db, now=at(Phase.OPEN))
    count = len(db.exec(select(Submission)).all())
    assert count >= 10
    assert not demo.load(db, now=at(Phase.OPEN))
    assert len(db.exec(select(Submission)).all()) == count
    kinds = {str(file_type(row.content)) for row in db.exec(select(AttachmentContent)).all()}
    assert kinds == {"pdf", "png"}
