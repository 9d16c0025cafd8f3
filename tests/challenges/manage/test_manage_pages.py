"""The organiser's challenge pages under /manage: draft, edit under the freeze rules, criteria, publish, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.audit.models import AuditEvent
from app.challenges.models import Challenge, Status
from app.organizations.models import Role
from tests.challenges.conftest import Cast
from tests.challenges.test_list import counting_statements
from tests.conftest import Client
from tests.factories import TIMELINE_START, make_challenge, make_member

EN = {"Accept-Language": "en"}
FORM = {
    "organization": "halden",
    "title": "Bærekraftig sentrumshandel",
    "slug": "sentrumshandel",
    "summary": "Flere handlende i sentrum.",
    "problem_statement": "Sentrum har **mange tomme lokaler**.",
    "prize_text": "50 000 kroner delt på tre",
    "prize_amount": "50000",
    "prize_currency": "NOK",
    "follow_up_text": "Et betalt oppdrag.",
    "target_groups": ["students", "citizens"],
    "sdg_goals": ["11", "12"],
    "team_size_min": "1",
    "team_size_max": "4",
    "max_submissions_per_person": "2",
    "opens_at": "2027-02-01T08:00",
    "submissions_close_at": "2027-03-15T12:00",
    "review_ends_at": "",
    "voting_opens_at": "",
    "voting_closes_at": "",
    "announce_at": "2027-04-15T12:00",
    "voting_method": "none",
    "prize_split_kind": "none",
    "allowed_file_types": ["pdf", "png"],
    "max_file_mb": "10",
    "scoring_scale_max": "10",
    "votes_per_voter": "1",
    "jury_weight": "100",
}
CRITERIA = {"criteria-0-name": "Nytteverdi", "criteria-0-weight": "3", "criteria-1-name": "",
            "criteria-2-name": "Gjennomførbarhet", "criteria-2-description": "Kan vi teste det?",
            "criteria-2-weight": "1"}  # fmt: skip


def stored(client: Client, slug: str) -> Challenge | None:
    client.db.expire_all()
    return client.db.exec(select(Challenge).where(Challenge.slug == slug)).first()


def test_an_editor_drafts_a_challenge_through_the_form_and_sees_it(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    form = client.get("/manage/challenges/new?organisation=halden", headers=EN)
    assert form.status_code == 200
    assert '<option value="halden" selected>' in form.text
    assert 'type="datetime-local"' in form.text

    response = client.post_form("/manage/challenges/new", FORM, headers=EN)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/manage/challenges/sentrumshandel/edit"
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert challenge.status == Status.DRAFT
    assert challenge.prize_amount == 5_000_000
    assert challenge.target_groups == ["students", "citizens"]
    assert challenge.sdg_goals == [11, 12]
    assert challenge.team_size_max == 4
    # 08:00 in Oslo in February is 07:00 UTC.
    assert challenge.opens_at == datetime(2027, 2, 1, 7, 0, tzinfo=UTC)

    edit = client.get("/manage/challenges/sentrumshandel/edit", headers=EN)
    assert "The draft Bærekraftig sentrumshandel was saved." in edit.text
    assert 'value="2027-02-01T08:00"' in edit.text
    assert 'value="50000"' in edit.text
    assert 'href="/challenges/sentrumshandel"' in edit.text  # the preview
    home = client.get("/manage", headers=EN)
    assert "Bærekraftig sentrumshandel" in home.text
    assert "Draft" in home.text
    assert 'href="/manage/challenges/sentrumshandel/edit"' in home.text
    assert client.get("/challenges/sentrumshandel", headers=EN).status_code == 200


def test_a_form_with_errors_is_shown_again_with_what_was_typed_and_nothing_is_stored(
    client: Client, cast: Cast
) -> None:
    client.sign_in(cast.halden_editor)
    bad = {**FORM, "slug": "Ikke gyldig", "prize_amount": "mye", "team_size_min": "x",
           "submissions_close_at": "2027-01-01T12:00", "sdg_goals": ["11", "12"]}  # fmt: skip
    response = client.post_form("/manage/challenges/new", bad, headers=EN)
    assert response.status_code == 422
    assert "Please correct the following" in response.text
    for name in ("slug", "prize_amount", "team_size_min"):
        assert f'id="field-{name}-error"' in response.text, name
    assert "Give a whole number from 1 to 20." in response.text
    assert 'value="Ikke gyldig"' in response.text
    assert 'value="mye"' in response.text
    assert 'value="Bærekraftig sentrumshandel"' in response.text
    assert 'value="12" checked' in response.text
    assert stored(client, "ikke-gyldig") is None
    assert client.db.exec(select(Challenge)).all() == []

    dates = client.post_form("/manage/challenges/new", {**FORM, "submissions_close_at": "2027-01-01T12:00"}, headers=EN)
    assert dates.status_code == 422
    assert "Submissions must close after they open." in dates.text
    assert client.db.exec(select(Challenge)).all() == []


def test_a_taken_slug_is_a_field_message(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    response = client.post_form("/manage/challenges/new", FORM, headers=EN)
    assert response.status_code == 422
    assert 'id="field-slug-error"' in response.text


def test_citizens_and_other_organisations_are_refused(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="utkast", status="draft")
    make_challenge(client.db, cast.halden, slug="publisert")
    client.db.commit()
    client.sign_in(cast.citizen)
    assert client.get("/manage/challenges/new").status_code == 403
    assert client.post_form("/manage/challenges/new", FORM).status_code == 403
    client.sign_in(cast.stavanger_editor)
    assert client.post_form("/manage/challenges/new", FORM).status_code == 403  # not an organisation of theirs
    for person in (cast.citizen, cast.stavanger_editor):
        client.sign_in(person)
        for path in ("edit", "criteria"):
            assert client.get(f"/manage/challenges/utkast/{path}").status_code == 404
            assert client.post_form(f"/manage/challenges/utkast/{path}", {}).status_code == 404
            assert client.get(f"/manage/challenges/publisert/{path}").status_code == 403
            assert client.post_form(f"/manage/challenges/publisert/{path}", CRITERIA).status_code == 403
        assert client.post_form("/manage/challenges/utkast/publish").status_code == 404
        assert client.post_form("/manage/challenges/publisert/cancel", {"reason": "Nei"}).status_code == 403
    assert stored(client, "publisert").status == Status.PUBLISHED  # type: ignore[union-attr]
    assert client.db.exec(select(AuditEvent)).all() == []


def test_criteria_are_saved_from_the_table_and_shown_as_percentages(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="utkast", status="draft", criteria=[("Gammel", 1)])
    client.db.commit()
    client.sign_in(cast.halden_editor)
    page = client.get("/manage/challenges/utkast/criteria", headers=EN)
    assert page.status_code == 200
    assert page.text.count('name="criteria-') == 8 * 3
    response = client.post_form("/manage/challenges/utkast/criteria", CRITERIA, headers=EN)
    assert response.status_code == 303, response.text
    saved = client.get("/manage/challenges/utkast/criteria", headers=EN).text
    assert "75 % of the score" in saved
    assert "25 % of the score" in saved
    assert "Gammel" not in saved

    bad = client.post_form("/manage/challenges/utkast/criteria", {**CRITERIA, "criteria-0-weight": "0"}, headers=EN)
    assert bad.status_code == 422
    assert 'id="field-criteria-0-weight-error"' in bad.text
    assert 'value="Gjennomførbarhet"' in bad.text


def test_rules_freeze_once_submissions_open(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="apen")
    client.db.commit()
    client.clock.at = TIMELINE_START + timedelta(days=20)  # submissions are open
    client.sign_in(cast.halden_editor)
    edit = client.get("/manage/challenges/apen/edit", headers=EN)
    assert edit.status_code == 200
    assert "Submission rules and the scoring scale cannot change once submissions have opened." in edit.text
    assert 'name="team_size_max"' not in edit.text
    assert 'name="voting_method"' in edit.text  # voting settings may still change
    criteria = client.get("/manage/challenges/apen/criteria", headers=EN)
    assert "Criteria cannot change once submissions have opened." in criteria.text
    refused = client.post_form("/manage/challenges/apen/criteria", CRITERIA, headers=EN)
    assert refused.status_code == 409
    assert "Criteria cannot change once submissions have opened." in refused.text

    # The form still saves what may change; a passed date moved is a conflict shown at the top.
    values = {**FORM, "title": "Nytt navn", "opens_at": "2026-12-01T12:00"}
    moved = client.post_form("/manage/challenges/apen/edit", values, headers=EN)
    assert moved.status_code == 409
    assert "A date that has passed cannot be changed." in moved.text
    assert stored(client, "apen").title != "Nytt navn"  # type: ignore[union-attr]


def test_an_editor_edits_a_draft(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    client.post_form("/manage/challenges/new", FORM)
    response = client.post_form(
        "/manage/challenges/sentrumshandel/edit", {**FORM, "title": "Levende sentrum", "team_size_max": "6"}
    )
    assert response.status_code == 303, response.text
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert (challenge.title, challenge.team_size_max) == ("Levende sentrum", 6)
    assert challenge.opens_at == datetime(2027, 2, 1, 7, 0, tzinfo=UTC)  # unchanged


def test_publish_and_cancel_through_the_pages(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    client.post_form("/manage/challenges/new", FORM)
    edit = client.get("/manage/challenges/sentrumshandel/edit", headers=EN)
    assert "Publish the challenge" in edit.text
    assert "Cancel the challenge" not in edit.text

    incomplete = client.post_form("/manage/challenges/sentrumshandel/publish", headers=EN)
    assert incomplete.status_code == 422
    assert "Add at least one criterion for the jury." in incomplete.text
    assert stored(client, "sentrumshandel").status == Status.DRAFT  # type: ignore[union-attr]

    client.post_form("/manage/challenges/sentrumshandel/criteria", CRITERIA)
    published = client.post_form("/manage/challenges/sentrumshandel/publish", headers=EN)
    assert published.status_code == 303, published.text
    assert published.headers["location"] == "/challenges/sentrumshandel"
    assert stored(client, "sentrumshandel").status == Status.PUBLISHED  # type: ignore[union-attr]
    page = client.get("/challenges/sentrumshandel", headers=EN)
    assert "The challenge is published." in page.text
    assert "Publish the challenge" not in page.text
    assert "Cancel the challenge" in page.text

    empty = client.post_form("/manage/challenges/sentrumshandel/cancel", {"reason": " "}, headers=EN)
    assert empty.status_code == 422
    assert 'id="field-reason-error"' in empty.text
    cancelled = client.post_form(
        "/manage/challenges/sentrumshandel/cancel", {"reason": "Ingen midler til oppfølging."}, headers=EN
    )
    assert cancelled.status_code == 303
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert (challenge.status, challenge.cancel_reason) == (Status.CANCELLED, "Ingen midler til oppfølging.")
    assert "Ingen midler til oppfølging." in client.get("/challenges/sentrumshandel", headers=EN).text

    client.sign_out()
    assert "Cancel the challenge" not in client.get("/challenges/sentrumshandel", headers=EN).text


def test_field_messages_are_in_the_users_language_not_pydantics_english(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    response = client.post_form(
        "/manage/challenges/new", {**FORM, "title": "", "team_size_min": "to"}, headers={"Accept-Language": "nb"}
    )
    assert response.status_code == 422
    assert "Dette feltet må fylles ut." in response.text
    assert "String should" not in response.text
    assert "valid integer" not in response.text


def test_the_manage_page_queries_do_not_grow_with_the_number_of_organisations(client: Client, cast: Cast) -> None:
    member = make_member(client.db, cast.halden, role=Role.EDITOR)
    make_challenge(client.db, cast.halden, slug="eget-utkast", status=Status.DRAFT)
    make_challenge(client.db, cast.baerum, slug="samarbeid", cohosts=[cast.halden])
    client.sign_in(member)
    with counting_statements(client) as one_organisation:
        page = client.get("/manage", headers=EN)
    assert "eget-utkast" in page.text
    assert "samarbeid" in page.text  # co-hosted challenges are listed too
    for organization in (cast.baerum, cast.stavanger):
        make_member(client.db, organization, role=Role.EDITOR, user=member)
        make_challenge(client.db, organization, slug=f"utfordring-{organization.slug}")
    with counting_statements(client) as three_organisations:
        page = client.get("/manage", headers=EN)
    assert "utfordring-stavanger" in page.text
    assert len(three_organisations) == len(one_organisation), "\n".join(three_organisations)
