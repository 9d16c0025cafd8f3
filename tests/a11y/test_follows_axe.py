"""Following is accessible: the follow control on a challenge's page (signed out, ready to follow, following), the
account page's section on followed challenges, and the unfollow-by-link pages, at 1280 and 390 px with 0 axe
violations. Screenshots land in /tmp/shots/follow-*-<width>.png."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.challenges.follows import service as follows
from app.clock import FrozenClock
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import check_page
from tests.challenges.follows.follows_helpers import as_user
from tests.conftest import NOW
from tests.factories import make_challenge, make_follow, make_organization, make_user

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]
DAY = timedelta(days=1)


def arrange(db: Session, clock: FrozenClock) -> User:
    """Halden's open challenge and two more; Nora follows two of them."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    stavanger = make_organization(db, name="Stavanger kommune", slug="stavanger")
    sentrum = make_challenge(db, halden, slug="sentrum", title="Bærekraftig sentrumshandel", start=NOW - 20 * DAY,
                             summary="Hvordan får vi flere til å handle, møtes og bli værende i sentrum?")  # fmt: skip
    mobility = make_challenge(db, stavanger, slug="mobilitet", title="Smartere mobilitet i en by med mange bakker",
                              start=NOW - 3 * DAY)  # fmt: skip
    make_challenge(db, halden, slug="unge", title="Flere unge i jobb")
    nora = make_user(db, display_name="Nora Dahl", email="nora.dahl@example.org")
    make_follow(db, nora, sentrum, created_at=clock.now())
    make_follow(db, nora, mobility, created_at=clock.now())
    db.flush()
    return nora


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("name", "path", "signed_in"),
    [
        ("follow-challenge-signed-out", "/challenges/sentrum", False),
        ("follow-challenge-ready", "/challenges/unge", True),
        ("follow-challenge-following", "/challenges/sentrum", True),
        ("follow-account", "/account#follows", True),
    ],
)
def test_follow_pages_are_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, name: str, path: str, signed_in: bool, width: int
) -> None:
    nora = arrange(db, clock)
    browser_page = open_browser(width, user=nora if signed_in else None)
    assert browser_page.open(path) == 200
    check_page(browser_page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_unfollowing_from_an_email_is_accessible(
    open_browser: OpenBrowser, db: Session, clock: FrozenClock, width: int
) -> None:
    nora = arrange(db, clock)
    sentrum_id = follows.follows_of(db, actor=as_user(nora), now=clock.now())[-1].challenge.id
    token = follows.unfollow_token(user_id=nora.id or 0, challenge_id=sentrum_id or 0, now=clock.now())
    browser_page = open_browser(width)
    assert browser_page.open(f"/unfollow/{token}") == 200
    check_page(browser_page, "follow-unfollow-confirm")

    page = browser_page.page
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Slutt å følge").or_(page.get_by_role("button", name="Stop following")).click()
    assert page.get_by_role("heading", level=1).count() == 1
    check_page(browser_page, "follow-unfollow-done")

    assert browser_page.open(f"/unfollow/{token}x") == 400
    check_page(browser_page, "follow-unfollow-refused")
