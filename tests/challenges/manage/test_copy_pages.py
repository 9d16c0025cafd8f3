"""Copy as a template ("steal and share"): an organisation's editor copies a published challenge into a draft."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.challenges.models import Challenge, Criterion, Status
from app.challenges.phases import Phase
from app.organizations.models import Role
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_challenge, make_member

EN = {"Accept-Language": "en"}
COPY = "/manage/challenges/sentrumshandel/copy"


def challenge_slugs(client: Client) -> list[str]:
    client.db.expire_all()
    return list(client.db.exec(select(Challenge.slug).order_by(col(Challenge.id))).all())


def test_another_municipality_copies_a_challenge_and_the_copy_credits_its_source(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel", title="Bærekraftig sentrumshandel",
                   summary="Flere handlende i sentrum.", criteria=[("Nytteverdi", 3), ("Gjennomførbarhet", 1)],
                   prize_amount=5_000_000, team_size_max=4)  # fmt: skip
    client.db.commit()
    client.sign_in(cast.stavanger_editor)
    source_page = client.get("/challenges/sentrumshandel", headers=EN)
    assert f'href="{COPY}"' in source_page.text
    assert "Copy as a template" in source_page.text

    form = client.get(COPY, headers=EN)
    assert form.status_code == 200
    assert "Copy Bærekraftig sentrumshandel as a template" in form.text
    assert '<option value="stavanger" selected>' in form.text
    assert '<option value="halden"' not in form.text  # only organisations the editor works in
    assert 'value="Bærekraftig sentrumshandel"' in form.text
    assert 'value="sentrumshandel-stavanger"' in form.text

    response = client.post_form(
        COPY,
        {"organization": "stavanger", "title": "Levende sentrum i Stavanger", "slug": "levende-sentrum"},
        headers=EN,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/manage/challenges/levende-sentrum/edit"
    client.db.expire_all()
    copied = client.db.exec(select(Challenge).where(Challenge.slug == "levende-sentrum")).one()
    source = client.db.exec(select(Challenge).where(Challenge.slug == "sentrumshandel")).one()
    assert (copied.status, copied.host_id, copied.copied_from_id) == (Status.DRAFT, cast.stavanger.id, source.id)
    assert (copied.title, copied.summary, copied.team_size_max) == ("Levende sentrum i Stavanger",
                                                                    "Flere handlende i sentrum.", 4)  # fmt: skip
    assert (copied.prize_amount, copied.opens_at) == (None, None)  # the prize and dates are the new host's
    names = client.db.exec(select(Criterion.name).where(Criterion.challenge_id == copied.id)).all()
    assert sorted(names) == ["Gjennomførbarhet", "Nytteverdi"]

    # The edit page greets the new draft; its page credits the source, whose page counts the reuse.
    assert "was created from Bærekraftig sentrumshandel" in client.get(response.headers["location"], headers=EN).text
    draft = client.get("/challenges/levende-sentrum", headers=EN)
    assert "Based on" in draft.text
    assert 'href="/challenges/sentrumshandel">Bærekraftig sentrumshandel</a> by Halden kommune' in draft.text
    assert "Copy as a template" not in draft.text  # a draft is not copied
    assert "Reused as a template 1 time" in client.sign_out().get("/challenges/sentrumshandel", headers=EN).text
    event = client.db.exec(select(AuditEvent).where(AuditEvent.action == "challenge.copy")).one()
    assert event.after is not None
    assert event.after["source"] == "sentrumshandel"


def test_an_editor_of_two_organisations_chooses_where_the_copy_goes(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel")
    make_member(client.db, cast.baerum, role=Role.EDITOR, user=cast.stavanger_editor)
    client.db.commit()
    client.sign_in(cast.stavanger_editor)
    form = client.get(COPY, headers=EN)
    assert '<option value="baerum" selected>' in form.text  # first by name
    assert '<option value="stavanger"' in form.text
    assert 'value="sentrumshandel-baerum"' in form.text
    response = client.post_form(
        COPY, {"organization": "stavanger", "title": "Sentrum", "slug": "sentrum-stavanger"}, headers=EN
    )
    assert response.status_code == 303, response.text
    client.db.expire_all()
    copied = client.db.exec(select(Challenge).where(Challenge.slug == "sentrum-stavanger")).one()
    assert copied.host_id == cast.stavanger.id


def test_the_host_may_copy_its_own_challenge(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    form = client.get(COPY, headers=EN)
    assert '<option value="halden" selected>' in form.text
    assert 'value="sentrumshandel-halden"' in form.text


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        ({"slug": "sentrumshandel"}, 409, "slug", "That address is already used by another challenge."),
        ({"slug": "Ikke gyldig"}, 422, "slug", "Use 2 to 80 lowercase letters"),
        ({"organization": "halden"}, 422, "organization", "Choose one of your organisations from the list."),
        ({"organization": "finnes-ikke"}, 422, "organization", "Choose one of your organisations from the list."),
        ({"title": "  "}, 422, "title", "Enter a title."),
        ({"title": "x" * 141}, 422, "title", "Keep the title under 140 characters."),
    ],
    ids=["slug-taken", "slug-malformed", "not-their-organisation", "unknown-organisation", "no-title", "long-title"],
)
def test_bad_input_is_a_field_message_and_nothing_is_stored(
    client: Client, cast: Cast, changes: dict[str, str], status: int, field: str, message: str
) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel")
    client.db.commit()
    client.sign_in(cast.stavanger_editor)
    values = {"organization": "stavanger", "title": "Levende sentrum", "slug": "levende-sentrum", **changes}
    response = client.post_form(COPY, values, headers=EN)
    assert response.status_code == status
    assert "Please correct the following" in response.text
    assert f'href="#field-{field}"' in response.text
    assert f'id="field-{field}-error"' in response.text
    assert message in response.text
    if field != "title":
        assert 'value="Levende sentrum"' in response.text  # what was typed is kept
    assert challenge_slugs(client) == ["sentrumshandel"]
    assert client.db.exec(select(AuditEvent)).all() == []


WHO = ["citizen", "host_editor", "cohost_editor", "other_editor", "other_admin", "platform_admin"]
EDITORS = {"host_editor", "cohost_editor", "other_editor", "other_admin", "platform_admin"}
INSIDERS = {"host_editor", "cohost_editor", "platform_admin"}  # they see a draft


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.UPCOMING, Phase.OPEN, Phase.ANNOUNCED, Phase.CANCELLED])
@pytest.mark.parametrize("who", WHO)
def test_who_may_copy_in_each_phase(client: Client, cast: Cast, who: str, phase: Phase) -> None:
    status = {Phase.DRAFT: "draft", Phase.CANCELLED: "cancelled"}.get(phase, "published")
    make_challenge(client.db, cast.halden, slug="sentrumshandel", status=status, cohosts=[cast.baerum])
    user = {
        "citizen": cast.citizen,
        "host_editor": cast.halden_editor,
        "cohost_editor": cast.baerum_editor,
        "other_editor": cast.stavanger_editor,
        "other_admin": make_member(client.db, cast.stavanger, role=Role.ADMIN),
        "platform_admin": cast.platform_admin,
    }[who]
    client.db.commit()
    client.clock.at = at(phase)
    client.sign_in(user)
    target = "stavanger" if who.startswith("other") else {"cohost_editor": "baerum"}.get(who, "halden")

    form = client.get(COPY)
    post = client.post_form(COPY, {"organization": target, "title": "Kopi", "slug": "kopi"}, headers=EN)
    button_shown = f'href="{COPY}"' in client.get("/challenges/sentrumshandel").text
    if who in EDITORS and phase not in (Phase.DRAFT, Phase.CANCELLED):
        assert (form.status_code, post.status_code) == (200, 303)
        assert button_shown
        assert challenge_slugs(client) == ["sentrumshandel", "kopi"]
        return
    refused = 404 if phase == Phase.DRAFT and who not in INSIDERS else 403
    assert (form.status_code, post.status_code) == (refused, refused)
    assert not button_shown
    assert challenge_slugs(client) == ["sentrumshandel"]


def test_an_anonymous_visitor_is_sent_to_sign_in_and_sees_no_button(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel")
    client.db.commit()
    assert "Copy as a template" not in client.get("/challenges/sentrumshandel", headers=EN).text
    for response in (client.get(COPY, follow_redirects=False),
                     client.post_form(COPY, {"organization": "halden", "title": "Kopi", "slug": "kopi"})):  # fmt: skip
        assert response.status_code == 303
        assert response.headers["location"].startswith("/account/sign-in")
    assert challenge_slugs(client) == ["sentrumshandel"]
