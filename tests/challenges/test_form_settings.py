"""The organiser's form is complete: prize split, file rules, scoring scale and voting settings, page and API alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.challenges.models import Challenge
from tests.challenges.conftest import Cast
from tests.challenges.manage.test_manage_pages import EN, FORM, stored
from tests.challenges.test_api import new_challenge
from tests.conftest import Client
from tests.factories import CHALLENGE_TIMELINE_DAYS, TIMELINE_START, make_challenge

OSLO = ZoneInfo("Europe/Oslo")

SETTINGS = {
    "prize_split_kind": "fixed",
    "prize_split_1": "25 000",
    "prize_split_2": "15000",
    "prize_split_3": "",
    "allowed_file_types": ["pdf", "pptx", "odp"],
    "max_file_mb": "25",
    "scoring_scale_max": "5",
    "voting_method": "points",
    "votes_per_voter": "10",
    "max_points_per_concept": "3",
    "voter_rule": "email-domain",
    "voter_email_domains": "@Skole.no\nhalden.kommune.no, skole.no",
    "self_vote_allowed": "on",
    "live_counts": "on",
    "jury_weight": "70",
    "voting_opens_at": "2027-03-20T12:00",
    "voting_closes_at": "2027-03-30T12:00",
}


def test_every_setting_is_saved_from_the_page_shown_again_and_shown_to_the_public(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    response = client.post_form("/manage/challenges/new", {**FORM, **SETTINGS}, headers=EN)
    assert response.status_code == 303, response.text
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert challenge.prize_split == {"kind": "fixed", "amounts": [2_500_000, 1_500_000]}
    assert challenge.allowed_file_types == ["pdf", "pptx", "odp"]
    assert (challenge.max_file_mb, challenge.scoring_scale_max) == (25, 5)
    assert (challenge.voting_method, challenge.votes_per_voter, challenge.live_counts, challenge.jury_weight) == (
        "points", 10, True, 70,
    )  # fmt: skip

    edit = client.get("/manage/challenges/sentrumshandel/edit", headers=EN).text
    assert 'value="fixed" checked' in edit
    assert 'value="25000"' in edit
    assert 'value="pptx" checked' in edit
    assert 'value="docx" checked' not in edit
    assert 'id="field-live_counts" name="live_counts" checked' in edit
    assert 'value="70"' in edit
    assert '<option value="points" selected>' in edit
    assert '<option value="email-domain" selected>' in edit
    assert "skole.no\nhalden.kommune.no</textarea>" in edit

    voters = (challenge.max_points_per_concept, challenge.voter_rule, challenge.voter_email_domains)
    assert voters == (3, "email-domain", ["skole.no", "halden.kommune.no"])
    assert challenge.self_vote_allowed is True

    page = client.get("/challenges/sentrumshandel", headers=EN).text
    assert "1st place: 25,000 NOK" in page
    assert "2nd place: 15,000 NOK" in page
    assert "3rd place" not in page
    assert "the jury weighs 70 %, the public vote 30 % in the final ranking" in page
    assert "From 0 to 5 per criterion" in page
    assert "PDF, PPTX, ODP (at most 25 MB each)" in page


def test_a_shared_prize_shows_each_ones_share(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    form = {**FORM, "prize_split_kind": "shared", "prize_split_best": "3"}
    assert client.post_form("/manage/challenges/new", form).status_code == 303
    assert stored(client, "sentrumshandel").prize_split == {"kind": "shared", "best": 3}  # type: ignore[union-attr]
    page = client.get("/challenges/sentrumshandel", headers=EN).text
    assert "Shared equally by the best 3: 16,667 NOK each" in page
    assert client.get("/api/v1/challenges/sentrumshandel").json()["prize_split"] == {"kind": "shared", "best": 3}

    # Back to "not split": the split is cleared.
    cleared = client.post_form("/manage/challenges/sentrumshandel/edit", {**form, "prize_split_kind": "none"})
    assert cleared.status_code == 303, cleared.text
    assert stored(client, "sentrumshandel").prize_split is None  # type: ignore[union-attr]


BAD_FORMS: list[tuple[str, dict[str, Any], str, str]] = [
    ("negative amount", {"prize_split_kind": "fixed", "prize_split_1": "-5"}, "prize_split_1", "0 or more"),
    ("amount in words", {"prize_split_kind": "fixed", "prize_split_1": "mye"}, "prize_split_1", "0 or more"),
    ("no 1st place", {"prize_split_kind": "fixed"}, "prize_split_1", "Give the amount for 1st place."),
    ("over the total", {"prize_split_kind": "fixed", "prize_split_1": "40000", "prize_split_2": "20000"},
     "prize_split", "add up to more than the total"),
    ("nobody shares", {"prize_split_kind": "shared", "prize_split_best": "0"}, "prize_split_best", "from 1 to 50"),
    ("unknown split", {"prize_split_kind": "lottery"}, "prize_split", "from the list"),
    ("unknown file type", {"allowed_file_types": ["pdf", "exe"]}, "allowed_file_types", "file type"),
    ("no file type", {"allowed_file_types": []}, "allowed_file_types", "file type"),
    ("huge files", {"max_file_mb": "500"}, "max_file_mb", "from 1 to 25"),
    ("scale of one", {"scoring_scale_max": "1"}, "scoring_scale_max", "from 2 to 100"),
    ("jury weight 101", {"jury_weight": "101"}, "jury_weight", "from 0 to 100"),
    ("no votes", {"votes_per_voter": "0"}, "votes_per_voter", "from 1 to 100"),
    ("unknown method", {"voting_method": "lottery"}, "voting_method", "voting method"),
    ("unknown voters", {"voter_rule": "everyone"}, "voter_rule", "who may vote"),
    ("points over the total", {"voting_method": "points", "votes_per_voter": "5", "max_points_per_concept": "6",
     "voting_opens_at": "2027-03-20T12:00", "voting_closes_at": "2027-03-30T12:00"}, "max_points_per_concept",
     "more points than a person has"),
    ("domains left out", {"voting_method": "single", "voter_rule": "email-domain",
     "voting_opens_at": "2027-03-20T12:00", "voting_closes_at": "2027-03-30T12:00"}, "voter_email_domains",
     "at least one email domain"),
    ("not a domain", {"voter_rule": "email-domain", "voter_email_domains": "skole no"}, "voter_email_domains",
     "is not an email domain"),
    ("a vote on hidden concepts", {"voting_method": "single", "submissions_public": "never",
     "voting_opens_at": "2027-03-20T12:00", "voting_closes_at": "2027-03-30T12:00"}, "voting_method",
     "concepts the public can see"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "field", "message"), BAD_FORMS, ids=[case[0] for case in BAD_FORMS])
def test_bad_settings_get_a_field_message_keep_what_was_typed_and_store_nothing(
    client: Client, cast: Cast, case: str, changes: dict[str, Any], field: str, message: str
) -> None:
    client.sign_in(cast.halden_editor)
    response = client.post_form("/manage/challenges/new", {**FORM, **changes}, headers=EN)
    assert response.status_code == 422, response.text
    assert f'id="field-{field}-error"' in response.text
    assert f'href="#field-{field}"' in response.text  # the summary links to the field
    assert message in response.text
    assert 'value="Bærekraftig sentrumshandel"' in response.text
    assert client.db.exec(select(Challenge)).all() == []

    # The same on the edit page: nothing changes.
    make_challenge(client.db, cast.halden, slug="utkast", status="draft", prize_amount=5_000_000)
    client.db.commit()
    edited = client.post_form("/manage/challenges/utkast/edit", {**FORM, **changes, "title": "Nytt navn"}, headers=EN)
    assert edited.status_code == 422, edited.text
    assert f'id="field-{field}-error"' in edited.text
    assert stored(client, "utkast").title != "Nytt navn"  # type: ignore[union-attr]
    assert client.db.exec(select(AuditEvent)).all() == []


def test_frozen_settings_are_read_only_on_the_form_and_refused_by_the_api(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="apen", allowed_file_types=["pdf"], max_file_mb=10, jury_weight=60)
    client.db.commit()
    client.sign_in(cast.halden_editor)
    client.clock.at = TIMELINE_START + timedelta(days=20)  # submissions are open, voting has not
    edit = client.get("/manage/challenges/apen/edit", headers=EN).text
    assert "Submission rules and the scoring scale cannot change once submissions have opened." in edit
    for name in ("allowed_file_types", "max_file_mb", "scoring_scale_max"):
        assert f'name="{name}"' not in edit, name
    assert 'name="jury_weight"' in edit  # voting settings may still change
    # What the form would send for a frozen rule is ignored; the voting change is saved.
    dates = {name: (TIMELINE_START + timedelta(days=days)).astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")
             for name, days in CHALLENGE_TIMELINE_DAYS.items()}  # fmt: skip
    form = {**FORM, **dates, "voting_method": "single", "max_file_mb": "50", "jury_weight": "80"}
    saved = client.post_form("/manage/challenges/apen/edit", form, headers=EN)
    assert saved.status_code == 303, saved.text
    challenge = stored(client, "apen")
    assert (challenge.max_file_mb, challenge.jury_weight) == (10, 80)  # type: ignore[union-attr]
    api = client.api("PATCH", "/api/v1/challenges/apen", json={"max_file_mb": 20}, headers=EN)
    assert api.status_code == 409
    assert api.json()["detail"] == "Submission rules and the scoring scale cannot change once submissions have opened."

    client.clock.at = TIMELINE_START + timedelta(days=60)  # voting is open
    client.sign_in(cast.halden_editor)
    edit = client.get("/manage/challenges/apen/edit", headers=EN).text
    assert "Voting settings cannot change once voting has opened." in edit
    assert 'name="jury_weight"' not in edit
    assert "Anyone with a verified email address" in edit  # who may vote, read-only
    assert client.api("PATCH", "/api/v1/challenges/apen", json={"jury_weight": 50}).status_code == 409
    for change in ({"voter_rule": "verified-identity"}, {"max_points_per_concept": 2}, {"self_vote_allowed": True}):
        refused = client.api("PATCH", "/api/v1/challenges/apen", json=change)
        assert refused.status_code == 409, change
        assert refused.json()["type"] == "/problems/phase-closed"


def test_the_api_takes_and_refuses_the_same_settings(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    body = new_challenge(
        prize_split={"kind": "fixed", "amounts": [2_500_000, 1_500_000, 1_000_000]}, allowed_file_types=["pdf", "odt"],
        max_file_mb=20, scoring_scale_max=100, voting_method="multiple", votes_per_voter=3, live_counts=True,
        jury_weight=60, voting_opens_at=new_challenge()["review_ends_at"],
        voting_closes_at=new_challenge()["announce_at"],
    )  # fmt: skip
    created = client.api("POST", "/api/v1/challenges", json=body)
    assert created.status_code == 201, created.text
    read = created.json()
    assert read["prize_split"] == body["prize_split"]
    assert (read["allowed_file_types"], read["max_file_mb"], read["scoring_scale_max"]) == (["pdf", "odt"], 20, 100)
    assert (read["voting_method"], read["votes_per_voter"], read["live_counts"], read["jury_weight"]) == (
        "multiple", 3, True, 60,
    )  # fmt: skip

    url = "/api/v1/challenges/baerekraftig-sentrumshandel"
    bad: list[tuple[dict[str, Any], str]] = [
        ({"prize_split": {"kind": "fixed", "amounts": [-1]}}, "prize_split"),
        ({"prize_split": {"kind": "fixed", "amounts": [4_000_000, 2_000_000]}}, "prize_split"),
        ({"prize_split": {"kind": "shared", "best": 0}}, "prize_split"),
        ({"allowed_file_types": ["exe"]}, "allowed_file_types"),
        ({"allowed_file_types": []}, "allowed_file_types"),
        ({"max_file_mb": 26}, "max_file_mb"),
        ({"scoring_scale_max": 1}, "scoring_scale_max"),
        ({"jury_weight": 101}, "jury_weight"),
        ({"jury_weight": -1}, "jury_weight"),
        ({"voting_method": "lottery"}, "voting_method"),
        ({"voting_method": "points", "max_points_per_concept": 4}, "max_points_per_concept"),  # over the 3 points
        ({"voter_rule": "email-domain"}, "voter_email_domains"),
        ({"voter_email_domains": ["not a domain"]}, "voter_email_domains"),
        ({"voter_email_domains": ["x.no"] * 21}, "voter_email_domains"),
    ]
    for change, field in bad:
        response = client.api("PATCH", url, json=change)
        assert response.status_code == 422, (change, response.text)
        fields = {str(error["field"]).split(".")[0] for error in response.json().get("errors", [])}
        assert field in fields, (change, response.json())
    after = client.get(url).json()
    assert (after["jury_weight"], after["max_file_mb"], after["prize_split"]) == (60, 20, body["prize_split"])
