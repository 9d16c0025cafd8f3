"""A jury invitation, like every invitation, is answered only from a confirmed email address (the one rule of the
invitation mechanism): an unconfirmed account with the invited address takes no seat."""

from __future__ import annotations

from sqlmodel import select

from app.jury.models import Juror
from tests.challenges.conftest import Cast
from tests.conftest import NOW, Client
from tests.factories import make_user
from tests.jury.conftest import OPEN, Jury, jury_url
from tests.mail import emails_to, link_in

CONFIRM_FIRST = "Confirm your email address before you answer this invitation"


def test_an_unconfirmed_invitee_takes_no_seat_until_the_address_is_confirmed(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    eva = make_user(client.db, email="eva@uni.no", verified=False)
    client.sign_in(cast.halden_editor)
    assert client.api("POST", jury_url(jury, "/invitations"), json={"email": "eva@uni.no"}).status_code == 201
    token = link_in(emails_to(client.db, "eva@uni.no")[0], "/jury-invitations/").rsplit("/", 1)[1]

    client.sign_in(eva)
    assert CONFIRM_FIRST in client.get(f"/jury-invitations/{token}").text
    refused = client.api("POST", f"/api/v1/jury-invitations/{token}/accept")
    assert refused.status_code == 403
    assert CONFIRM_FIRST in refused.json()["detail"]
    page = client.post_form(f"/jury-invitations/{token}/accept")
    assert page.status_code == 403
    assert CONFIRM_FIRST in page.text
    assert client.db.exec(select(Juror).where(Juror.user_id == eva.id)).first() is None

    eva.email_verified_at = NOW
    client.db.add(eva)
    client.db.commit()
    assert client.api("POST", f"/api/v1/jury-invitations/{token}/accept").status_code == 200
    assert client.db.exec(select(Juror).where(Juror.user_id == eva.id)).one()
