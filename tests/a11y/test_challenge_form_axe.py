"""The organiser's full challenge form (empty, with errors, with a cover) and the public pages with covers, SDG badges
and prize splits pass axe-core at 1280 and 390 px, fit a phone and obey the CSP. Screenshots land in /tmp/shots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.demo import cover_for
from app.organizations.models import Role
from tests.a11y.conftest import BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, check_page
from tests.conftest import NOW
from tests.factories import make_challenge, make_challenge_cover, make_member, make_organization, make_user

OpenBrowser = Callable[..., BrowserPage]
# Wide covers as the demo makes them, in Halden's blue, a wine red and a green.
COVERS = [
    cover_for(index, colour)
    for index, colour in enumerate([(0x1F, 0x4E, 0x8C), (0x8A, 0x1C, 0x3C), (0x3F, 0x7E, 0x44)])
]


def arrange(db: Session) -> User:
    """Halden with an editor, a draft with a cover and every goal, and published challenges with covers and splits."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    helsingborg = make_organization(db, name="Helsingborgs stad", slug="helsingborg", timezone="Europe/Stockholm")
    editor = make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Rut Redaktør"))
    draft = make_challenge(
        db, halden, slug="utkast", title="Bærekraftig sentrumshandel", status="draft", sdg_goals=list(range(1, 18)),
        prize_amount=5_000_000, prize_split={"kind": "fixed", "amounts": [2_500_000, 1_500_000, 1_000_000]},
        allowed_file_types=["pdf", "pptx"], voting_method="points", votes_per_voter=10, jury_weight=70,
    )  # fmt: skip
    make_challenge_cover(db, draft, content=COVERS[0])
    open_ = make_challenge(
        db, halden, slug="baerekraftig-sentrumshandel", title="Levende sentrum i Halden", cohosts=[helsingborg],
        summary="Hvordan får vi flere til å handle og møtes i sentrum av Halden?", sdg_goals=[7, 11, 12, 13],
        target_groups=["students", "citizens"], prize_text="50 000 kroner delt likt mellom de tre beste",
        prize_amount=5_000_000, prize_split={"kind": "shared", "best": 3}, jury_weight=60,
        start=NOW - timedelta(days=20),
    )  # fmt: skip
    make_challenge_cover(db, open_, content=COVERS[1])
    mobility = make_challenge(
        db, helsingborg, slug="smartare-mobilitet", title="Smartare mobilitet för alla", sdg_goals=[2, 3, 5, 6, 9],
        prize_amount=3_000_000, prize_split={"kind": "fixed", "amounts": [2_000_000, 1_000_000]},
        start=NOW - timedelta(days=10),
    )  # fmt: skip
    make_challenge_cover(db, mobility, content=COVERS[2])
    make_challenge(db, helsingborg, slug="utan-bild", title="Trygga stadsdelar", sdg_goals=[16, 17])  # no cover
    db.flush()
    return editor


PUBLIC = [
    ("challenges-with-covers", "/challenges"),
    ("challenges-sdg-filter", "/challenges?sdg=11"),
    ("challenge-with-cover", "/challenges/baerekraftig-sentrumshandel"),
    ("challenge-fixed-split", "/challenges/smartare-mobilitet"),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "path"), PUBLIC, ids=[name for name, _path in PUBLIC])
def test_public_pages_with_covers_and_sdg_badges_are_accessible(
    open_browser: OpenBrowser, db: Session, name: str, path: str, width: int
) -> None:
    arrange(db)
    browser_page = open_browser(width)
    assert browser_page.open(path) == 200
    assert browser_page.page.locator(".sdg").count() > 0
    check_page(browser_page, name)


ORGANISER = [
    ("challenge-form-new", "/manage/challenges/new?organisation=halden"),
    ("challenge-form-edit-with-cover", "/manage/challenges/utkast/edit"),
    ("challenge-draft-preview", "/challenges/utkast"),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "path"), ORGANISER, ids=[name for name, _path in ORGANISER])
def test_the_organisers_pages_are_accessible(
    open_browser: OpenBrowser, db: Session, name: str, path: str, width: int
) -> None:
    editor = arrange(db)
    browser_page = open_browser(width, user=editor)
    assert browser_page.open(path) == 200
    check_page(browser_page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_full_form_with_errors_shown_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    editor = arrange(db)
    browser_page = open_browser(width, user=editor)
    assert browser_page.open("/manage/challenges/new?organisation=halden") == 200
    page = browser_page.page
    form = page.locator('main form[action="/manage/challenges/new"]')
    form.locator("#field-title").fill("Bærekraftig sentrumshandel")
    form.locator("#field-slug").fill("Ikke gyldig")
    form.locator("#field-prize_amount").fill("50000")
    form.locator("#field-prize_split_kind-fixed").check()
    form.locator("#field-prize_split_1").fill("-5")
    form.locator("#field-allowed_file_types-pdf").uncheck()
    form.locator("#field-allowed_file_types-png").uncheck()
    form.locator("#field-allowed_file_types-jpg").uncheck()
    form.locator("#field-max_file_mb").fill("500")
    form.locator("#field-jury_weight").fill("101")
    form.locator("#field-sdg_goals-7").check()
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").first.click()
    for name in ("slug", "prize_split_1", "allowed_file_types", "max_file_mb", "jury_weight"):
        assert page.locator(f"#field-{name}-error").count() == 1, name
    assert page.locator("#field-sdg_goals-7").is_checked()  # what was typed is kept
    check_page(browser_page, "challenge-form-errors")
