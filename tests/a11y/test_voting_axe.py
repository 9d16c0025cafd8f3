"""The public vote is accessible: the gallery with the ballot panel (signed out, ready, after a vote made in place
with JavaScript, after a refusal), a concept with points, the results with the hosts' integrity report, and "My
votes", at 1280 and 390 px with 0 axe violations and no CSP reports. Screenshots land in /tmp/shots/vote-*.png."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.actor import Actor
from app.clock import FrozenClock
from app.voting import service
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import check_page
from tests.conftest import NOW
from tests.factories import make_challenge, make_member, make_organization, make_submission, make_user

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]
DAY = timedelta(days=1)
TITLES = ("Strømsparekampen i borettslaget", "Varmepumpe-dugnad", "Energicoachen på biblioteket", "Solceller")


def arrange(db: Session, *, method: str = "multiple") -> dict[str, Any]:
    """Halden's challenge whose vote is open now, four concepts, a voter and a host."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    host = make_member(db, halden)
    start = NOW - 60 * DAY  # the standard timeline's vote runs from day 55 to day 65
    votes = {"votes_per_voter": 2 if method == "multiple" else 5, "max_points_per_concept": 3}
    challenge = make_challenge(
        db, halden, slug="energi", title="Energismarte hjem", start=start, voting_method=method, **votes
    )
    concepts = [make_submission(db, challenge, make_user(db), title=title, versions=1) for title in TITLES]
    voter = make_user(db, display_name="Nora Dahl", email="nora.dahl@example.org")
    db.flush()
    return {"challenge": challenge, "concepts": concepts, "voter": voter, "host": host}


def vote_now(db: Session, challenge: Any, voter: User, concept: Any, points: int = 1) -> None:
    actor = Actor(user=voter, via="session")
    service.vote(db, challenge=challenge, actor=actor, vote=service.Vote(concept.id, points), now=NOW)
    db.flush()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_gallery_with_its_ballot_is_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db)
    signed_out = open_browser(width, language="en")
    assert signed_out.open("/challenges/energi/submissions") == 200
    check_page(signed_out, "vote-gallery-signed-out")

    browser_page = open_browser(width, user=arranged["voter"], language="en")
    assert browser_page.open("/challenges/energi/submissions") == 200
    check_page(browser_page, "vote-gallery-ready")

    # With JavaScript the vote is sent in place: the voting area and the message change, the page stays.
    page = browser_page.page
    page.get_by_role("button", name=f"Vote for {TITLES[1]}").click()
    status = page.locator("#flash")
    status.get_by_text(f"Your vote for {TITLES[1]} is saved.").wait_for()
    assert page.locator("#ballot").get_by_role("link", name=TITLES[1]).count() == 1
    check_page(browser_page, "vote-gallery-after-vote")

    # Another tab used the last vote meanwhile: this page's button is refused, and says why.
    vote_now(db, arranged["challenge"], arranged["voter"], arranged["concepts"][2])
    page.get_by_role("button", name=f"Vote for {TITLES[3]}").click()
    status.get_by_text("You have used all your 2 votes.").wait_for()
    check_page(browser_page, "vote-gallery-refused")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_concept_with_points_and_my_votes_are_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db, method="points")
    vote_now(db, arranged["challenge"], arranged["voter"], arranged["concepts"][0], points=2)
    browser_page = open_browser(width, user=arranged["voter"])
    concept = arranged["concepts"][1]
    assert browser_page.open(f"/challenges/energi/submissions/{concept.id}") == 200
    check_page(browser_page, "vote-concept-points")
    assert browser_page.open("/account/votes") == 200
    check_page(browser_page, "vote-my-votes")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_results_are_accessible_to_the_public_and_the_hosts(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db, method="single")
    voters = [make_user(db) for _ in range(5)]
    challenge = arranged["challenge"]
    concepts = arranged["concepts"]
    for index, voter in enumerate(voters):
        vote_now(db, challenge, voter, concepts[index % 2])
    clock.at = NOW + 8 * DAY  # the vote has closed
    public = open_browser(width, language="en")
    assert public.open("/challenges/energi/results") == 200
    check_page(public, "vote-results-public")
    hosts = open_browser(width, user=arranged["host"], language="en")
    assert hosts.open("/challenges/energi/results") == 200
    assert hosts.page.get_by_role("heading", name="Integrity report for hosts").count() == 1
    check_page(hosts, "vote-results-hosts")
