"""Forming the jury through the API: hosts invite by email, invitees accept or decline, a chair is named, jurors
leave; the settings; and who is refused."""

from __future__ import annotations

from sqlmodel import select

from app.jury.models import Juror, JuryInvitation, JuryPanel
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_user
from tests.jury.conftest import ANNOUNCED, OPEN, REVIEW, Jury, jury_url
from tests.mail import emails_to, link_in


def test_a_host_invites_a_juror_who_accepts_through_the_emailed_link(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = OPEN
    newcomer = make_user(client.db, email="eva@uni.no", display_name="Eva Ekspert")
    client.sign_in(cast.halden_editor)
    invited = client.api("POST", jury_url(jury, "/invitations"), json={"email": "Eva@Uni.no"})
    assert invited.status_code == 201, invited.text
    assert invited.json() | {"email": "eva@uni.no", "role": "member", "status": "pending"} == invited.json()
    [email] = emails_to(client.db, "eva@uni.no")
    assert "Grønn by" in email.subject
    token = link_in(email, "/jury-invitations/").rsplit("/", 1)[1]

    client.sign_in(newcomer)
    accepted = client.api("POST", f"/api/v1/jury-invitations/{token}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() | {"name": "Eva Ekspert", "role": "member"} == accepted.json()
    again = client.api("POST", f"/api/v1/jury-invitations/{token}/accept")
    assert again.status_code == 409
    assert again.json()["type"].endswith("/invitation-unusable")

    panel = client.api("GET", jury_url(jury))
    assert panel.status_code == 200
    assert panel.json()["you"]["name"] == "Eva Ekspert"
    assert "Eva Ekspert" in [juror["name"] for juror in panel.json()["jurors"]]
    assert panel.json()["jurors"][0] | {"name": "Ada Leder", "role": "chair"} == panel.json()["jurors"][0]


def test_an_invitation_for_someone_else_or_declined_seats_nobody(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.baerum_editor)  # a co-host's editor: one shared jury
    assert client.api("POST", jury_url(jury, "/invitations"), json={"email": "eva@uni.no"}).status_code == 201
    token = link_in(emails_to(client.db, "eva@uni.no")[0], "/jury-invitations/").rsplit("/", 1)[1]

    client.sign_in(cast.citizen)
    wrong = client.api("POST", f"/api/v1/jury-invitations/{token}/accept")
    assert wrong.status_code == 403

    eva = make_user(client.db, email="eva@uni.no")
    client.sign_in(eva)
    assert client.api("POST", f"/api/v1/jury-invitations/{token}/decline").status_code == 204
    assert client.api("POST", f"/api/v1/jury-invitations/{token}/accept").status_code == 409
    assert client.db.exec(select(Juror).where(Juror.user_id == eva.id)).first() is None


def test_inviting_a_juror_twice_or_someone_already_seated_is_a_conflict(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    seated = client.api("POST", jury_url(jury, "/invitations"), json={"email": "ada@met.no"})
    assert seated.status_code == 409
    assert "already on the jury" in seated.json()["detail"]
    assert client.api("POST", jury_url(jury, "/invitations"), json={"email": "eva@uni.no"}).status_code == 201
    twice = client.api("POST", jury_url(jury, "/invitations"), json={"email": "eva@uni.no"})
    assert twice.status_code == 409
    assert len(client.db.exec(select(JuryInvitation)).all()) == 1
    bad = client.api("POST", jury_url(jury, "/invitations"), json={"email": "not an address"})
    assert bad.status_code == 422


def test_only_the_hosts_invite_and_see_the_invitations(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = OPEN
    for outsider in (cast.citizen, cast.stavanger_editor, jury.people[0]):
        client.sign_in(outsider)
        response = client.api("POST", jury_url(jury, "/invitations"), json={"email": "eva@uni.no"})
        assert response.status_code == 403, outsider.email
        assert client.api("GET", jury_url(jury, "/invitations")).status_code == 403
    assert client.db.exec(select(JuryInvitation)).first() is None


def test_the_jury_is_seen_by_its_hosts_and_jurors_only(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    hosts_view = client.api("GET", jury_url(jury))
    assert hosts_view.status_code == 200
    assert [juror["assigned"] for juror in hosts_view.json()["jurors"]] == [0, 0, 0, 0]
    client.sign_in(jury.people[1])
    jurors_view = client.api("GET", jury_url(jury))
    assert jurors_view.status_code == 200
    assert jurors_view.json()["jurors"][0]["assigned"] is None  # progress is for the hosts
    for outsider in (cast.citizen, jury.team_lead):
        client.sign_in(outsider)
        assert client.api("GET", jury_url(jury)).status_code == 404


def test_naming_a_chair_makes_the_old_chair_a_member(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    response = client.api("PATCH", jury_url(jury, f"/jurors/{jury.jurors[1].id}"), json={"role": "chair"})
    assert response.status_code == 200
    client.db.expire_all()
    roles = {juror.id: juror.role for juror in client.db.exec(select(Juror)).all()}
    assert roles[jury.jurors[1].id] == "chair"
    assert roles[jury.jurors[0].id] == "member"


def test_hosts_change_the_settings_and_blind_review_freezes_when_submissions_open(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    changed = client.api("PATCH", jury_url(jury), json={"jurors_per_concept": 2, "scores_shared": True})
    assert changed.status_code == 200
    assert changed.json() | {"jurors_per_concept": 2, "scores_shared": True} == changed.json()
    frozen = client.api("PATCH", jury_url(jury), json={"blind_review": True, "jurors_per_concept": 4})
    assert frozen.status_code == 409
    client.db.expire_all()
    panel = client.db.exec(select(JuryPanel)).one()
    assert (panel.jurors_per_concept, panel.blind_review) == (2, False)  # nothing of a refused change is kept
    assert client.api("PATCH", jury_url(jury), json={"jurors_per_concept": 0}).status_code == 422


def test_the_chair_shares_scores_but_a_member_may_not(client: Client, jury: Jury) -> None:
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    assert client.api("PATCH", jury_url(jury), json={"scores_shared": True}).status_code == 403
    assert client.api("PATCH", jury_url(jury), json={"jurors_per_concept": 5}).status_code == 403
    client.sign_in(jury.people[0])
    assert client.api("PATCH", jury_url(jury), json={"scores_shared": True}).json()["scores_shared"] is True


def test_after_the_announcement_the_jury_no_longer_changes(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = ANNOUNCED
    client.sign_in(cast.halden_editor)
    assert client.api("POST", jury_url(jury, "/invitations"), json={"email": "eva@uni.no"}).status_code == 409
    assert client.api("DELETE", jury_url(jury, f"/jurors/{jury.jurors[1].id}")).status_code == 409
