"""User journeys in the browser, checked with axe-core at every step: the states users reach between pages.

Links that arrive by email are read from the outbox, as a user would read them in the development mailbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select

from app.integrations.models import OutboxMessage
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, arrange_organisation, check_page
from tests.factories import PASSWORD, make_user

OpenBrowser = Callable[..., BrowserPage]


def emailed_path(db: Session, recipient: str, prefix: str) -> str:
    """The path of the newest link starting with `prefix` emailed to `recipient`."""
    messages = db.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(col(OutboxMessage.id).desc())
    ).all()
    for message in messages:
        match = re.search(re.escape(prefix) + r"[A-Za-z0-9._~%-]+", message.body)
        if match:
            return match.group(0)
    raise AssertionError(f"no {prefix} link was emailed to {recipient}")


def submit(browser_page: BrowserPage, action: str, fields: dict[str, str] | None = None) -> None:
    """Fill and submit the form posting to `action`, and wait for the page it leads to."""
    page = browser_page.page
    form = page.locator(f'main form[action="{action}"]')
    for name, value in (fields or {}).items():
        form.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").first.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_signing_up_and_confirming_the_email_address(
    open_browser: OpenBrowser, db: Session, on_a_developers_machine: None, width: int
) -> None:
    browser_page = open_browser(width)
    browser_page.open("/account/sign-up")
    submit(
        browser_page,
        "/account/sign-up",
        {"display_name": "Ingrid Fjeld", "email": "ingrid@example.no", "password": "lang-og-tilfeldig-passord"},
    )
    assert browser_page.page.get_by_role("heading", level=1).inner_text() in ("Sjekk e-posten din", "Check your email")
    check_page(browser_page, "journey-signed-up")

    assert browser_page.open("/dev/mail") == 200
    assert "ingrid@example.no" in browser_page.page.inner_text("main")
    check_page(browser_page, "journey-mailbox")

    browser_page.open(emailed_path(db, "ingrid@example.no", "/account/verify/"))
    check_page(browser_page, "journey-verify")
    submit(browser_page, browser_page.page.locator("main form").first.get_attribute("action") or "")
    check_page(browser_page, "journey-verified")


def test_resetting_a_forgotten_password(open_browser: OpenBrowser, db: Session) -> None:
    make_user(db, email="per@example.no", display_name="Per Hansen")
    browser_page = open_browser(MOBILE)
    browser_page.open("/account/forgot-password")
    submit(browser_page, "/account/forgot-password", {"email": "per@example.no"})
    check_page(browser_page, "journey-reset-link-sent")

    path = emailed_path(db, "per@example.no", "/account/reset-password/")
    browser_page.open(path)
    check_page(browser_page, "journey-reset-password")
    submit(browser_page, path, {"password": "kort"})
    assert browser_page.page.locator("[aria-invalid=true]").count() > 0
    check_page(browser_page, "journey-reset-password-errors")

    browser_page.open("/account/reset-password/not-a-real-token")
    check_page(browser_page, "journey-reset-link-refused")


def test_creating_a_personal_access_token_shows_it_once(open_browser: OpenBrowser, db: Session) -> None:
    user = make_user(db, display_name="Siri Dahl")
    browser_page = open_browser(MOBILE, user=user)
    browser_page.open("/account/tokens")
    submit(browser_page, "/account/tokens", {"name": "Integrasjon med saksbehandlingssystemet"})
    assert browser_page.page.locator("main").inner_text().count("smk_") >= 1
    check_page(browser_page, "journey-token-created")


def test_deleting_an_account_with_the_wrong_password(open_browser: OpenBrowser, db: Session) -> None:
    user = make_user(db)
    browser_page = open_browser(DESKTOP, user=user)
    browser_page.open("/account/delete")
    submit(browser_page, "/account/delete", {"password": PASSWORD + "-feil"})
    assert browser_page.page.locator("[aria-invalid=true]").count() > 0
    check_page(browser_page, "journey-delete-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_reading_the_audit_log_with_the_changes_open(open_browser: OpenBrowser, db: Session, width: int) -> None:
    owner = arrange_organisation(db)
    browser_page = open_browser(width, user=owner)
    browser_page.open("/manage/audit")
    page = browser_page.page
    for summary in page.locator("main details > summary").all():
        summary.click()
    assert page.locator("main details[open]").count() > 0
    check_page(browser_page, "journey-audit-changes-open")
