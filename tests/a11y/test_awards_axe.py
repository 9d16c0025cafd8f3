"""Awards are accessible: the hosts' awards form (as the ranking proposes it, and with an error shown), the public
results page with the announced awards and the public vote, and the challenge page with its follow-up, at 1280
and 390 px with 0 axe violations and no CSP reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.actor import Actor
from app.clock import FrozenClock
from app.jury import awards, follow_up
from app.jury.models import AwardKind, FollowUpStatus
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_jury_results_axe import arrange
from tests.a11y.test_pages_axe import check_page
from tests.conftest import NOW

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]
DAY = timedelta(days=1)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_awards_form_is_accessible_as_proposed_and_with_an_error(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db, start_days_ago=67, voting_method="none")  # review over, not yet announced
    browser_page = open_browser(width, user=arranged["host"], language="en")
    assert browser_page.open("/manage/challenges/energi/jury/awards") == 200
    check_page(browser_page, "awards-form")
    page = browser_page.page
    page.fill("#field-prize-0", "")
    page.fill("#field-name-0", "")
    page.select_option("#field-kind-0", "custom")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save the awards").click()
    assert page.get_by_text("Give the award a name.").count() >= 1
    check_page(browser_page, "awards-form-error")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_announced_results_and_the_follow_up_are_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    arranged = arrange(db, start_days_ago=67, voting_method="none")
    challenge, concepts = arranged["challenge"], arranged["concepts"]
    system = Actor.system()
    given = [
        awards.AwardIn(concepts[0].id, AwardKind.FIRST, prize_amount=2_500_000, motivation="Modig og gjennomførbar."),
        awards.AwardIn(concepts[1].id, AwardKind.SECOND),
        awards.AwardIn(concepts[2].id, AwardKind.HONOURABLE_MENTION, motivation="Et godt nabolagsprosjekt."),
    ]
    awards.replace_awards(db, actor=system, challenge=challenge, awards=given, now=NOW)
    awards.announce(db, actor=system, challenge=challenge, feedback_to_entrants=True, now=NOW)
    follow_up.post_update(
        db,
        actor=system,
        challenge=challenge,
        submission_id=concepts[0].id,
        status=FollowUpStatus.STARTED,
        text="Piloten er i gang.",
        happened_on=NOW.date(),
        now=NOW,
    )
    db.flush()
    browser_page = open_browser(width, language="en")
    assert browser_page.open("/challenges/energi/results") == 200
    assert browser_page.page.get_by_role("heading", name="Awards").count() == 1
    check_page(browser_page, "awards-results")
    assert browser_page.open("/challenges/energi") == 200
    assert browser_page.page.get_by_role("heading", name="What became of it").count() == 1
    check_page(browser_page, "awards-follow-up")
