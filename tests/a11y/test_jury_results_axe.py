"""The hosts' jury results page is accessible: during the review (the jury ranks alone, a strict juror, jurors who
disagree, a concept not yet scored) and after the public vote (jury and vote combined), at 1280 and 390 px with 0
axe violations and no CSP reports. Screenshots land in /tmp/shots/jury-results-*.png."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.actor import Actor
from app.clock import FrozenClock
from app.voting import service as voting
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import check_page
from tests.conftest import NOW
from tests.factories import (
    make_challenge,
    make_juror,
    make_member,
    make_organization,
    make_review,
    make_submission,
    make_user,
)

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]
DAY = timedelta(days=1)
TITLES = (
    "Strømsparekampen i borettslaget: energicoacher for alle blokkene",
    "Varmepumpe-dugnad",
    "Energicoachen på biblioteket",
    "Solceller på skoletaket",
    "Delte verktøy for etterisolering",
)
# Each juror's (Nytteverdi, Gjennomførbarhet) per concept; None: not assigned. Juror 1 is strict, and the jurors
# disagree on concept 4.
SCORES: tuple[tuple[tuple[int, int] | None, ...] | None, ...] = (
    ((9, 7), (8, 8), None, (7, 5)),
    ((7, 7), None, (8, 6), (8, 8)),
    (None, (4, 4), (7, 7), (6, 8)),
    ((2, 3), (9, 9), (5, 5), None),
    None,  # not yet scored
)


def arrange(db: Session, *, start_days_ago: int, **settings: Any) -> dict[str, Any]:
    """Halden's challenge `start_days_ago` days into the standard timeline, a jury of four and their scores."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    host = make_member(db, halden, user=make_user(db, display_name="Rut Redaktør"))
    challenge = make_challenge(
        db, halden, slug="energi", title="Energismarte hjem", start=NOW - start_days_ago * DAY, **settings
    )
    concepts = [make_submission(db, challenge, make_user(db), title=title, versions=1) for title in TITLES]
    names = ("Ada Leder", "Bo Streng", "Cia Fjord", "Dag Dahl")
    jurors = [make_juror(db, challenge, make_user(db, display_name=name)) for name in names]
    usefulness, feasibility = (criterion.id for criterion in challenge.criteria)
    for concept, row in zip(concepts, SCORES, strict=True):
        for juror, given in zip(jurors, row or (), strict=False):
            if given is not None:
                make_review(db, juror, concept, {usefulness: given[0], feasibility: given[1]})
    db.flush()
    return {"challenge": challenge, "concepts": concepts, "host": host}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_jury_results_during_the_review_are_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db, start_days_ago=45)  # the standard timeline's review runs from day 40 to day 55
    browser_page = open_browser(width, user=arranged["host"], language="en")
    assert browser_page.open("/manage/challenges/energi/jury/results") == 200
    page = browser_page.page
    assert page.get_by_role("heading", name="Ranking").count() == 1
    assert page.get_by_role("img", name="Jury scores with their 90 % intervals").count() == 1
    check_page(browser_page, "jury-results-review")

    # The method switch is a plain form: choosing raw means and showing them reloads the page by that method.
    page.get_by_label("Raw means").check()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Show the results by this method").click()
    assert page.url.endswith("method=raw")
    assert page.get_by_label("Raw means").is_checked()
    check_page(browser_page, "jury-results-review-raw")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_jury_results_combined_with_the_public_vote_are_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db, start_days_ago=60, jury_weight=70)  # the vote runs from day 55 to day 65
    concepts = arranged["concepts"]
    for index in range(7):
        voter = make_user(db)
        concept = concepts[(1, 1, 3, 3, 3, 0, 4)[index]]
        actor = Actor(user=voter, via="session")
        voting.vote(db, challenge=arranged["challenge"], actor=actor, vote=voting.Vote(concept.id), now=NOW)
    db.flush()
    clock.at = NOW + 8 * DAY  # the vote has closed
    browser_page = open_browser(width, user=arranged["host"], language="en")
    assert browser_page.open("/manage/challenges/energi/jury/results") == 200
    assert browser_page.page.get_by_role("columnheader", name="Combined").count() == 1
    check_page(browser_page, "jury-results-combined")
