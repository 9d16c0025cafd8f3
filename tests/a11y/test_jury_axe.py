"""The jury's pages pass axe-core at 1280 and 390 px: the hosts' jury page (jurors, an open invitation, assignments
with progress, a flagged and a declared conflict; and with the invitation form's errors shown), a juror's work, the
scoring form (empty, and with its errors after a submit in the browser), a submitted review beside the other jurors'
scores, and the invitation page (signed out, and for the invitee). Screenshots land in /tmp/shots/jury-*.png."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.jury import service as jury
from app.jury.models import JuryInvitation
from app.kit import invitations
from app.organizations.models import Role
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import check_page
from tests.conftest import NOW
from tests.factories import (
    make_assignment,
    make_challenge,
    make_juror,
    make_jury_conflict,
    make_member,
    make_organization,
    make_review,
    make_submission,
    make_user,
)

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]
DAY = timedelta(days=1)
SLUG = "gronn-by"
CONCEPTS = (
    ("Grønne tak på alle kommunale bygg innen 2030", "Takfolket"),
    ("Bysykler", "Sykkelgjengen"),
    ("Regnbed i gatene", "Fjordlab"),
    ("Lesebenker", "Biblioteksvennene"),
)


def arrange(db: Session, *, scores_shared: bool = False) -> dict[str, Any]:
    """Halden's challenge in its review now (day 45: submissions closed on day 40, the review ends on day 55), with
    four jurors, four concepts, assignments in every state, a flagged and a declared conflict, and an invitation."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    host = make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Rut Redaktør"))
    challenge = make_challenge(db, halden, slug=SLUG, title="Grønn by", start=NOW - 45 * DAY)
    people = [
        make_user(db, email="ada@met.no", display_name="Ada Leder"),
        make_user(db, email="bo@ntnu.no", display_name="Bo Streng med et ganske langt etternavn"),
        make_user(db, email="cia@fjordlab.no", display_name="Cia Fjord"),
        make_user(db, email="dag@uio.no", display_name="Dag Deltaker"),
    ]
    seats = [make_juror(db, challenge, person, role="chair" if n == 0 else "member") for n, person in enumerate(people)]
    leads = [make_user(db, email=f"lag{n}@{'fjordlab.no' if n == 2 else 'lag.no'}") for n in range(len(CONCEPTS))]
    concepts = [
        make_submission(
            db,
            challenge,
            lead,
            members=[people[3]] if n == 0 else [],
            title=title,
            team_name=team,
            versions=1,
            body="## Idé\nVi planter **sedum** på kommunale tak.\n\n- samler regnvann\n- gir skygge om sommeren",
        )
        for n, (lead, (title, team)) in enumerate(zip(leads, CONCEPTS, strict=True))
    ]
    criteria = [criterion.id for criterion in challenge.criteria]
    ada, bo, cia, dag = seats
    for juror, concept in [(ada, 0), (bo, 0), (cia, 0), (ada, 1), (bo, 1), (dag, 1), (ada, 3), (bo, 3), (dag, 2)]:
        make_assignment(db, juror, concepts[concept], manual=juror is dag)
    make_review(db, bo, concepts[0], {criteria[0]: 7, criteria[1]: 5}, overall_comment="Solid og gjennomførbart.")
    make_review(db, cia, concepts[0], {criteria[0]: 9, criteria[1]: 6}, overall_comment="Modig, men dyrt.")
    make_review(db, ada, concepts[1], {criteria[0]: 4}, submitted=False)
    make_jury_conflict(db, cia, concepts[2], source="email-domain", status="flagged")
    make_jury_conflict(db, bo, concepts[2], reason="Jeg har jobbet med laget tidligere.")
    panel = jury.panel_of(db, challenge)
    panel.scores_shared = scores_shared
    db.add(panel)
    db.flush()
    token = invitations.issue_token()
    db.add(
        JuryInvitation(
            challenge_id=challenge.id,
            email="eva@uni.no",
            token_hash=token.hash,
            invited_by_id=host.id,
            created_at=NOW - DAY,
            expires_at=NOW + 13 * DAY,
        )
    )
    db.flush()
    return {"host": host, "people": people, "concepts": concepts, "invitation": f"/jury-invitations/{token.raw}"}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hosts_jury_page_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    arranged = arrange(db)
    browser_page = open_browser(width, user=arranged["host"], language="en")
    assert browser_page.open(f"/manage/challenges/{SLUG}/jury") == 200
    page = browser_page.page
    conflicts = page.locator("#conflicts")
    assert conflicts.get_by_role("button", name="Dismiss the flag (Cia Fjord, Regnbed i gatene)").count() == 1
    assert page.locator("#jurors").get_by_text("eva@uni.no").count() > 0
    check_page(browser_page, "jury-manage")

    # With the invitation form's error shown (the browser's own check is off: the server says what is wrong).
    form = page.locator(f'form[action="/manage/challenges/{SLUG}/jury/invitations"]')
    form.locator("#field-email").fill("eva at uni.no")
    with page.expect_navigation(wait_until="load"):
        form.get_by_role("button", name="Send the invitation").click()
    assert page.locator("#field-email-error").inner_text() == "Give an email address, such as name@example.org."
    assert page.locator("#field-email").input_value() == "eva at uni.no"
    check_page(browser_page, "jury-manage-invite-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_jurors_work_page_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    arranged = arrange(db)
    chair = open_browser(width, user=arranged["people"][0], language="en")
    assert chair.open(f"/challenges/{SLUG}/jury") == 200
    assert chair.page.get_by_role("heading", name="As chair").count() == 1
    check_page(chair, "jury-mine-chair")
    member = open_browser(width, user=arranged["people"][2], language="en")
    assert member.open(f"/challenges/{SLUG}/jury") == 200
    check_page(member, "jury-mine-member")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_scoring_form_is_accessible_empty_and_with_its_errors(
    open_browser: OpenBrowser, db: Session, width: int
) -> None:
    arranged = arrange(db)
    concept = arranged["concepts"][3]
    browser_page = open_browser(width, user=arranged["people"][1], language="en")
    assert browser_page.open(f"/challenges/{SLUG}/jury/reviews/{concept.id}") == 200
    check_page(browser_page, "jury-review")

    page = browser_page.page
    page.get_by_label("Score for Nytteverdi, 0 to 10").fill("8")
    page.get_by_label("Comment on Nytteverdi").fill("Enkelt å komme i gang med.")
    page.get_by_label("Overall comment").fill("Et godt forslag som bør prøves ut.")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit the review").click()
    summary = page.locator(".ds-error-summary")
    assert summary.get_by_role("link").all_inner_texts() == ["Gjennomførbarhet: Give a score before you submit."]
    assert page.locator("[aria-invalid=true]").count() == 1  # the missing score
    assert page.get_by_label("Score for Nytteverdi, 0 to 10").input_value() == "8"
    assert page.get_by_label("Overall comment").input_value() == "Et godt forslag som bør prøves ut."
    check_page(browser_page, "jury-review-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_submitted_review_beside_the_other_jurors_scores_is_accessible(
    open_browser: OpenBrowser, db: Session, width: int
) -> None:
    arranged = arrange(db, scores_shared=True)
    browser_page = open_browser(width, user=arranged["people"][1], language="en")
    assert browser_page.open(f"/challenges/{SLUG}/jury/reviews/{arranged['concepts'][0].id}") == 200
    assert browser_page.page.get_by_role("heading", name="The other jurors' scores").count() == 1
    check_page(browser_page, "jury-review-submitted")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("viewer", ["visitor", "invitee"])
def test_the_jury_invitation_page_is_accessible(
    open_browser: OpenBrowser, db: Session, viewer: str, width: int
) -> None:
    arranged = arrange(db)
    invitee = make_user(db, email="eva@uni.no", display_name="Eva Ekspert")
    browser_page = open_browser(width, user=invitee if viewer == "invitee" else None, language="en")
    assert browser_page.open(arranged["invitation"]) == 200
    if viewer == "invitee":
        assert browser_page.page.get_by_role("button", name="Join the jury").count() == 1
    check_page(browser_page, f"jury-invitation-{viewer}")
