"""A challenge's submission settings: when concepts become public and its own terms for participants, set through
the API and the organiser's form, frozen like the other submission rules once submissions open, shown on the
challenge page and on the concept's terms."""

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
from tests.factories import CHALLENGE_TIMELINE_DAYS, TIMELINE_START, make_challenge, make_submission

OSLO = ZoneInfo("Europe/Oslo")
TERMS = "Kommunen får bruke konseptet **fritt**.\n\n<script>alert(1)</script>"
URL = "/api/v1/challenges/baerekraftig-sentrumshandel"


def test_an_organiser_sets_them_through_the_api(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    created = client.api("POST", "/api/v1/challenges", json=new_challenge(submissions_public="never",
                                                                         terms_text=TERMS))  # fmt: skip
    assert created.status_code == 201, created.text
    read = created.json()
    assert (read["submissions_public"], read["terms_text"]) == ("never", TERMS)
    assert "<strong>fritt</strong>" in read["terms_html"]
    assert "<script>" not in read["terms_html"]

    changed = client.api("PATCH", URL, json={"submissions_public": "after-review", "terms_text": ""})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["submissions_public"], changed.json()["terms_text"]) == ("after-review", "")
    assert client.api("GET", URL).json()["submissions_public"] == "after-review"
    default = client.api("POST", "/api/v1/challenges", json=new_challenge(slug="standard")).json()
    assert (default["submissions_public"], default["terms_text"]) == ("at-submission", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"submissions_public": "sometimes"}, "submissions_public"), ({"terms_text": "x" * 20_001}, "terms_text"),
     ({"terms_text": 5}, "terms_text")],
)  # fmt: skip
def test_bad_values_are_refused_with_the_field_named(
    client: Client, cast: Cast, changes: dict[str, Any], field: str
) -> None:
    client.sign_in(cast.halden_editor)
    client.api("POST", "/api/v1/challenges", json=new_challenge())
    events = len(client.db.exec(select(AuditEvent)).all())
    refused = client.api("PATCH", URL, json=changes)
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == [field]
    assert len(client.db.exec(select(AuditEvent)).all()) == events
    challenge = stored(client, "baerekraftig-sentrumshandel")
    assert challenge is not None
    assert (challenge.submissions_public, challenge.terms_text) == ("at-submission", "")


def test_they_freeze_once_submissions_open(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="apen", submissions_public="after-review", terms_text=TERMS)
    client.db.commit()
    client.clock.at = TIMELINE_START + timedelta(days=20)  # submissions are open
    client.sign_in(cast.halden_editor)
    for changes in ({"submissions_public": "at-submission"}, {"terms_text": "Nye vilkår"}):
        refused = client.api("PATCH", "/api/v1/challenges/apen", json=changes, headers=EN)
        assert refused.status_code == 409
        assert refused.json()["type"] == "/problems/phase-closed"
    edit = client.get("/manage/challenges/apen/edit", headers=EN).text
    assert 'name="submissions_public"' not in edit
    assert 'name="terms_text"' not in edit
    assert "After the jury&#39;s review" in edit or "After the jury's review" in edit
    assert "<strong>fritt</strong>" in edit
    # What the form would send for them is ignored; the rest saves.
    dates = {name: (TIMELINE_START + timedelta(days=days)).astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")
             for name, days in CHALLENGE_TIMELINE_DAYS.items()}  # fmt: skip
    form = {
        **FORM,
        **dates,
        "voting_method": "single",
        "title": "Nytt navn",
        "submissions_public": "never",
        "terms_text": "Ingen",
    }
    saved = client.post_form("/manage/challenges/apen/edit", form, headers=EN)
    assert saved.status_code == 303, saved.text[saved.text.find("ds-error-summary") :][:1500]
    challenge = stored(client, "apen")
    assert challenge is not None
    assert (challenge.title, challenge.submissions_public, challenge.terms_text) == ("Nytt navn", "after-review",
                                                                                     TERMS)  # fmt: skip


def test_the_organisers_form_sets_them_and_keeps_what_was_typed_on_error(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    new = client.get("/manage/challenges/new", headers=EN).text
    assert 'name="submissions_public" value="at-submission" checked' in new
    assert "When concepts become public" in new
    assert "Terms for participants" in new
    bad = client.post_form("/manage/challenges/new", {**FORM, "submissions_public": "sometimes",
                                                      "terms_text": "Våre vilkår"}, headers=EN)  # fmt: skip
    assert bad.status_code == 422
    assert 'id="field-submissions_public-error"' in bad.text
    assert "Choose when concepts become public." in bad.text
    assert "Våre vilkår</textarea>" in bad.text
    assert client.db.exec(select(Challenge)).all() == []

    saved = client.post_form("/manage/challenges/new", {**FORM, "submissions_public": "never",
                                                        "terms_text": "Våre vilkår"}, headers=EN)  # fmt: skip
    assert saved.status_code == 303, saved.text
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert (challenge.submissions_public, challenge.terms_text) == ("never", "Våre vilkår")
    edit = client.get("/manage/challenges/sentrumshandel/edit", headers=EN).text
    assert 'name="submissions_public" value="never" checked' in edit
    form = {**FORM, "submissions_public": "after-review", "terms_text": ""}
    changed = client.post_form("/manage/challenges/sentrumshandel/edit", form, headers=EN)
    assert changed.status_code == 303
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert (challenge.submissions_public, challenge.terms_text) == ("after-review", "")


def test_the_challenge_page_and_the_concepts_terms_show_them(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="apen", submissions_public="never", terms_text=TERMS)
    lead = cast.citizen
    draft = make_submission(client.db, challenge, lead, terms_accepted=False)
    client.db.commit()
    client.clock.at = TIMELINE_START + timedelta(days=20)
    page = client.get("/challenges/apen", headers=EN).text
    assert "Concepts become public" in page
    assert "Never: only the team and the hosts see them" in page
    assert "<strong>fritt</strong>" in page
    assert "<script>alert(1)</script>" not in page
    client.sign_in(lead)
    concept = client.get(f"/challenges/apen/submissions/{draft.id}", headers=EN).text
    assert "<strong>fritt</strong>" in concept
