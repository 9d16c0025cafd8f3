"""The gallery, the cover field on the edit page (also with an error) and the hosts' dashboard pass axe-core at
1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.demo import cover_for
from app.organizations.models import Role
from tests.a11y.conftest import BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, check_page
from tests.conftest import NOW
from tests.factories import (
    make_challenge,
    make_comment,
    make_member,
    make_organization,
    make_submission,
    make_submission_cover,
    make_user,
)

OpenBrowser = Callable[..., BrowserPage]


def arrange(db: Session) -> dict[str, Any]:
    """An open challenge with fourteen public concepts (two pages), covers on some, one anonymous, one hidden."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    editor = make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Rut Redaktør"))
    challenge = make_challenge(db, halden, slug="gronne-tak", title="Grønnere sentrum", start=NOW - timedelta(days=20))
    lead = make_user(db, email="liv@example.no", display_name="Liv Leder")
    first = None
    for n in range(14):
        person = lead if n == 0 else make_user(db, email=f"p{n}@example.no", display_name=f"Person {n}")
        made = make_submission(
            db, challenge, person, versions=1, title=f"Konsept nummer {n} med en ganske lang tittel som brytes",
            summary="Tak som samler regnvann og gir skygge i sentrum om sommeren.", team_name=f"Lag {n}",
            anonymous=n == 3, hidden_at=NOW if n == 5 else None,
        )  # fmt: skip
        first = first or made
        if n % 3 == 0:
            make_submission_cover(db, made, content=cover_for(n, (40, 110, 90), 240, 80))
        if n % 4 == 0:
            make_comment(db, made, author=person, body="Fin idé")
    make_submission(db, challenge, make_user(db, email="w@example.no"), versions=1, title="Trukket", status="withdrawn")
    db.flush()
    return {"lead": lead, "editor": editor, "submission": first}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("name", "who", "path"),
    [
        ("gallery", None, "/challenges/gronne-tak/submissions"),
        ("gallery-filtered-empty", None, "/challenges/gronne-tak/submissions?q=ingenting&team=team&files=yes"),
        ("gallery-host", "editor", "/challenges/gronne-tak/submissions?sort=random&page=2"),
        ("concepts-dashboard", "editor", "/manage/challenges/gronne-tak/submissions"),
        ("concept-edit-cover", "lead", "/challenges/gronne-tak/submissions/{id}/edit"),
        ("challenge-with-concepts", None, "/challenges/gronne-tak"),
    ],
)
def test_gallery_pages_are_accessible(
    open_browser: OpenBrowser, db: Session, name: str, who: str | None, path: str, width: int
) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people[who] if who else None)
    assert browser_page.open(path.format(id=people["submission"].id)) == 200
    check_page(browser_page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_cover_is_shown_accessibly(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people["lead"])
    browser_page.open(f"/challenges/gronne-tak/submissions/{people['submission'].id}/edit")
    page = browser_page.page
    form = page.locator('main form[action$="/cover"]')
    form.locator("#field-cover").set_input_files(
        {"name": "omslag.png", "mimeType": "image/png", "buffer": b"%PDF-1.4 not an image"}
    )
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator("#field-cover-error").count() == 1
    check_page(browser_page, "concept-edit-cover-error")
