"""Concept pages pass axe-core at 1280 and 390 px: the draft form (empty and with errors), the concept page for the
team and for the public, the team invitation page, and the versions page with a diff."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from app.accounts.models import User
from app.actor import Actor
from app.challenges import service as challenges
from app.integrations.models import OutboxMessage
from app.organizations.models import Role
from app.submissions import service
from app.submissions.team import service as teams
from tests.a11y.conftest import BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, check_page
from tests.conftest import NOW
from tests.factories import (
    make_attachment,
    make_challenge,
    make_member,
    make_organization,
    make_submission,
    make_user,
)

OpenBrowser = Callable[..., BrowserPage]
PDF = b"%PDF-1.4\n%%EOF\n"


def arrange(db: Session) -> dict[str, Any]:
    """An open challenge with a team whose concept was submitted twice, has a file and an open invitation."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    editor = make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Rut Redaktør"))
    challenge = make_challenge(
        db, halden, slug="gronne-tak", title="Grønnere sentrum", start=NOW - timedelta(days=20), team_size_max=4,
        terms_text="Konseptet kan brukes **fritt** av kommunen.",
    )  # fmt: skip
    lead = make_user(db, email="liv@example.no", display_name="Liv Leder")
    member = make_user(db, email="mats@example.no", display_name="Mats Medlem")
    submission = make_submission(
        db, challenge, lead, members=[member], versions=2, title="Grønne tak i sentrum", team_name="Takfolket",
        body="## Idé\nVi planter **sedum** på kommunale tak.\n\n- regnvann\n- skygge",
    )  # fmt: skip
    make_attachment(db, submission, filename="Konseptskisse med et langt filnavn.pdf", content=PDF)
    loaded = challenges.get_for(db, slug="gronne-tak", actor=Actor.system())
    team = service.get_for(db, challenge=loaded, submission_id=submission.id, actor=Actor(user=lead), now=NOW)
    teams.invite(db, actor=Actor(user=lead), challenge=loaded, submission=team, email="ida@example.no", now=NOW)
    db.flush()
    return {"lead": lead, "member": member, "editor": editor, "submission": submission}


def invitation_token(db: Session) -> str:
    message = db.exec(select(OutboxMessage).where(OutboxMessage.recipient == "ida@example.no")).one()
    match = re.search(r"/team-invitations/([A-Za-z0-9_-]+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("name", "who", "path"),
    [
        ("concept-new", "lead", "/challenges/gronne-tak/submissions/new"),
        ("concept-team", "lead", "/challenges/gronne-tak/submissions/{id}"),
        ("concept-member", "member", "/challenges/gronne-tak/submissions/{id}"),
        ("concept-public", None, "/challenges/gronne-tak/submissions/{id}"),
        ("concept-host", "editor", "/challenges/gronne-tak/submissions/{id}"),
        ("concept-edit", "lead", "/challenges/gronne-tak/submissions/{id}/edit"),
        ("concept-versions", "lead", "/challenges/gronne-tak/submissions/{id}/versions"),
        ("my-concepts", "member", "/account/submissions"),
        ("challenge-open-submit", None, "/challenges/gronne-tak"),
    ],
)
def test_concept_page_is_accessible(
    open_browser: OpenBrowser, db: Session, name: str, who: str | None, path: str, width: int
) -> None:
    people = arrange(db)
    user: User | None = people[who] if who else None
    browser_page = open_browser(width, user=user)
    assert browser_page.open(path.format(id=people["submission"].id)) == 200
    check_page(browser_page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_draft_form_with_errors_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=make_user(db, display_name="Nina Ny"))
    assert browser_page.open("/challenges/gronne-tak/submissions/new") == 200
    page = browser_page.page
    form = page.locator('main form[action="/challenges/gronne-tak/submissions/new"]')
    form.locator("#field-body").fill("Beskrivelsen skal ikke forsvinne.")
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator(".ds-error-summary").count() == 1
    assert page.locator("#field-body").input_value() == "Beskrivelsen skal ikke forsvinne."
    check_page(browser_page, "concept-new-errors")
    assert people


@pytest.mark.parametrize("width", WIDTHS)
def test_invite_form_with_errors_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people["lead"])
    browser_page.open(f"/challenges/gronne-tak/submissions/{people['submission'].id}")
    page = browser_page.page
    form = page.locator(f'main form[action$="/submissions/{people["submission"].id}/invitations"]')
    form.locator("#field-email").fill("ikke-en-adresse")
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator("[aria-invalid=true]").count() > 0
    check_page(browser_page, "concept-invite-errors")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("viewer", ["visitor", "invitee", "broken-link"])
def test_team_invitation_page_is_accessible(open_browser: OpenBrowser, db: Session, viewer: str, width: int) -> None:
    arrange(db)
    invitee = make_user(db, email="ida@example.no", display_name="Ida Invitert")
    token = "not-a-real-token" if viewer == "broken-link" else invitation_token(db)
    browser_page = open_browser(width, user=invitee if viewer == "invitee" else None)
    browser_page.open(f"/team-invitations/{token}")
    check_page(browser_page, f"team-invitation-{viewer}")
