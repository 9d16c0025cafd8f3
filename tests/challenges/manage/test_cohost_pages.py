"""The host's owners and admins invite and remove co-host organisations on /manage/challenges/{slug}/co-hosts."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.challenges.models import ChallengeCoHost
from app.challenges.phases import Phase
from app.integrations.models import OutboxMessage
from app.organizations.models import Organization, Role
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_challenge, make_member, make_user
from tests.mail import emails_to, link_in

EN = {"Accept-Language": "en"}
PAGE = "/manage/challenges/mobilitet/co-hosts"


def cohost_slugs(client: Client) -> list[str]:
    client.db.expire_all()
    statement = select(Organization.slug).join(ChallengeCoHost, col(ChallengeCoHost.organization_id) == Organization.id)
    return list(client.db.exec(statement.order_by(col(ChallengeCoHost.id))).all())


def test_the_host_admin_adds_a_co_host_whose_admins_are_told_and_whose_editors_then_edit(
    client: Client, cast: Cast
) -> None:
    make_challenge(client.db, cast.halden, slug="mobilitet", title="Smartere mobilitet")
    owner = make_user(client.db, email="eier@baerum.no", language="en")
    make_member(client.db, cast.baerum, role=Role.OWNER, user=owner)
    client.db.commit()
    client.sign_in(cast.baerum_editor)
    assert client.get("/manage/challenges/mobilitet/edit").status_code == 403  # not a host yet

    client.sign_in(cast.halden_editor)  # editors edit; only owners and admins are offered the co-hosts page
    assert f'href="{PAGE}"' not in client.get("/manage/challenges/mobilitet/edit", headers=EN).text
    client.sign_in(cast.halden_admin)
    challenge_page = client.get("/challenges/mobilitet", headers=EN)
    assert f'href="{PAGE}"' in challenge_page.text
    assert f'href="{PAGE}"' in client.get("/manage/challenges/mobilitet/edit", headers=EN).text
    page = client.get(PAGE, headers=EN)
    assert page.status_code == 200
    assert "Co-hosts of Smartere mobilitet" in page.text
    assert "No co-hosts yet." in page.text
    assert '<option value="baerum"' in page.text
    assert '<option value="stavanger"' in page.text
    assert '<option value="halden"' not in page.text  # the host itself is not offered

    response = client.post_form(PAGE, {"organization": "baerum"}, headers=EN)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == PAGE
    assert cohost_slugs(client) == ["baerum"]
    after = client.get(PAGE, headers=EN)
    assert "Bærum kommune now co-hosts Smartere mobilitet" in after.text
    assert "Yes, remove Bærum kommune as a co-host" in after.text
    assert '<option value="baerum"' not in after.text

    # Bærum's owner hears about it (in their language); its editor gets no email.
    (email,) = emails_to(client.db, "eier@baerum.no")
    assert email.subject == "Bærum kommune now co-hosts Smartere mobilitet on Samskap"
    assert "Bærum kommune" in email.body
    assert link_in(email, "/manage/challenges/") == "/manage/challenges/mobilitet/edit"
    assert emails_to(client.db, cast.baerum_editor.email) == []
    audit = client.db.exec(select(AuditEvent).where(AuditEvent.action == "challenge.cohost.add")).one()
    assert audit.after == {"organization": "baerum"}

    # Bærum's editor now edits the challenge, and the public page shows both hosts.
    client.sign_in(cast.baerum_editor)
    assert client.get("/manage/challenges/mobilitet/edit").status_code == 200
    edited = client.api("PATCH", "/api/v1/challenges/mobilitet", json={"summary": "Reis grønt, sammen."})
    assert edited.status_code == 200, edited.text
    public = client.sign_out().get("/challenges/mobilitet", headers=EN)
    assert "Reis grønt, sammen." in public.text
    assert "Bærum kommune" in public.text


def test_the_host_admin_removes_a_co_host_after_confirming(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="mobilitet", title="Smartere mobilitet",
                   cohosts=[cast.baerum, cast.stavanger])  # fmt: skip
    client.db.commit()
    client.sign_in(cast.halden_admin)
    page = client.get(PAGE, headers=EN)
    # The remove button sits inside a disclosure that says what removing means, and names the organisation.
    assert "Remove Bærum kommune…" in page.text
    assert "Bærum kommune's editors will no longer be able to edit Smartere mobilitet" in page.text
    assert f'action="{PAGE}/baerum/remove"' in page.text

    response = client.post_form(f"{PAGE}/baerum/remove", headers=EN)
    assert response.status_code == 303, response.text
    assert cohost_slugs(client) == ["stavanger"]
    assert "Bærum kommune no longer co-hosts Smartere mobilitet." in client.get(PAGE, headers=EN).text
    client.sign_in(cast.baerum_editor)
    assert client.get("/manage/challenges/mobilitet/edit").status_code == 403

    # Removing it again (a second tab) is a message on the page, not a crash.
    client.sign_in(cast.halden_admin)
    again = client.post_form(f"{PAGE}/baerum/remove", headers=EN)
    assert again.status_code == 404
    assert "This organisation does not co-host the challenge." in again.text
    assert cohost_slugs(client) == ["stavanger"]


@pytest.mark.parametrize(
    ("organization", "status", "message"),
    [
        ("finnes-ikke", 422, "No such organisation."),
        ("stavanger", 409, "This organisation already hosts the challenge."),
        ("halden", 409, "This organisation already hosts the challenge."),
        ("", 422, "Choose an organisation from the list."),
        ("x" * 61, 422, "Choose an organisation from the list."),
    ],
    ids=["unknown", "already-a-co-host", "the-host-itself", "none-chosen", "too-long"],
)
def test_bad_input_is_a_field_message_and_nothing_is_stored(
    client: Client, cast: Cast, organization: str, status: int, message: str
) -> None:
    make_challenge(client.db, cast.halden, slug="mobilitet", cohosts=[cast.stavanger])
    client.db.commit()
    client.sign_in(cast.halden_admin)
    response = client.post_form(PAGE, {"organization": organization}, headers=EN)
    assert response.status_code == status
    assert "Please correct the following" in response.text
    assert 'href="#field-organization"' in response.text  # the summary leads to the field
    assert 'id="field-organization-error"' in response.text
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert cohost_slugs(client) == ["stavanger"]
    assert client.db.exec(select(OutboxMessage)).all() == []
    assert client.db.exec(select(AuditEvent)).all() == []


ALLOWED = {"host_admin", "host_owner", "platform_admin"}
WHO = ["citizen", "host_editor", "host_admin", "host_owner", "cohost_editor", "other_editor", "platform_admin"]


def person(client: Client, cast: Cast, who: str) -> object:
    if who == "host_owner":
        return make_member(client.db, cast.halden, role=Role.OWNER)
    return {
        "citizen": cast.citizen,
        "host_editor": cast.halden_editor,
        "host_admin": cast.halden_admin,
        "cohost_editor": cast.baerum_editor,
        "other_editor": cast.stavanger_editor,
        "platform_admin": cast.platform_admin,
    }[who]


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.OPEN, Phase.ANNOUNCED, Phase.CANCELLED])
@pytest.mark.parametrize("who", WHO)
def test_who_may_manage_co_hosts_in_each_phase(client: Client, cast: Cast, who: str, phase: Phase) -> None:
    status = {Phase.DRAFT: "draft", Phase.CANCELLED: "cancelled"}.get(phase, "published")
    make_challenge(client.db, cast.halden, slug="mobilitet", status=status, cohosts=[cast.baerum])
    user = person(client, cast, who)
    client.db.commit()
    client.clock.at = at(phase)
    client.sign_in(user)  # type: ignore[arg-type]

    page = client.get(PAGE)
    add = client.post_form(PAGE, {"organization": "stavanger"})
    remove = client.post_form(f"{PAGE}/baerum/remove")
    link_shown = f'href="{PAGE}"' in client.get("/challenges/mobilitet").text
    if who in ALLOWED and phase != Phase.CANCELLED:
        assert (page.status_code, add.status_code, remove.status_code) == (200, 303, 303)
        assert link_shown
        assert cohost_slugs(client) == ["stavanger"]
        return
    # A draft does not exist for outsiders; everyone else who may see it is refused.
    sees_draft = who in {"host_editor", "host_admin", "host_owner", "cohost_editor", "platform_admin"}
    refused = 404 if phase == Phase.DRAFT and not sees_draft else 403
    assert (page.status_code, add.status_code, remove.status_code) == (refused, refused, refused)
    assert not link_shown
    assert cohost_slugs(client) == ["baerum"]


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="mobilitet")
    client.db.commit()
    for response in (client.get(PAGE, follow_redirects=False), client.post_form(PAGE, {"organization": "baerum"}),
                     client.post_form(f"{PAGE}/baerum/remove")):  # fmt: skip
        assert response.status_code == 303
        assert response.headers["location"].startswith("/account/sign-in")
    assert cohost_slugs(client) == []


def test_a_form_without_its_csrf_token_is_refused(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="mobilitet")
    client.db.commit()
    client.sign_in(cast.halden_admin)
    response = client.post(PAGE, data={"organization": "baerum"}, follow_redirects=False)
    assert response.status_code == 403
    assert cohost_slugs(client) == []
