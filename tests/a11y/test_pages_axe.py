"""Every page passes axe-core at desktop width and at 390 px, fits a phone screen, and obeys the CSP.

Each page is opened in Debian Chromium against the live server, in the states a user reaches (signed out,
signed in, form errors shown). A screenshot of each lands in /tmp/shots/<name>-<width>.png for a human look.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from app.accounts.models import User
from app.actor import Actor
from app.integrations.models import OutboxMessage
from app.organizations import service as organizations
from app.organizations.models import Role
from tests.a11y.conftest import (
    DESKTOP,
    MOBILE,
    BrowserPage,
    assert_fits_the_width,
    assert_no_axe_violations,
    screenshot,
)
from tests.conftest import NOW
from tests.factories import make_challenge, make_member, make_organization, make_outbox_message, make_user

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    status: int = 200


PUBLIC_PAGES = [
    PublicPage("home", "/"),
    PublicPage("accessibility", "/accessibility"),
    PublicPage("privacy", "/privacy"),
    PublicPage("not-found", "/no-such-page", status=404),
]


def check_page(browser_page: BrowserPage, name: str) -> None:
    """axe-core, the width, the CSP and a screenshot: what every page must pass."""
    page = browser_page.page
    screenshot(page, name, browser_page.width)
    assert_no_axe_violations(page, name)
    if browser_page.width <= MOBILE:
        assert_fits_the_width(page, browser_page.width)
    csp_reports = [text for text in browser_page.console_errors if "Content Security Policy" in text]
    assert not csp_reports, f"{name} broke the Content-Security-Policy:\n" + "\n".join(csp_reports)


def arrange_public_data(db: Session) -> None:
    make_organization(db, name="Halden kommune", slug="halden", description="Grensekommunen ved Iddefjorden.")
    make_organization(db, name="Helsingborgs stad", slug="helsingborg")
    make_outbox_message(
        db,
        recipient="kari@example.no",
        subject="Bekreft e-postadressen din",
        body="Hei Kari,\n\nBekreft adressen her: http://127.0.0.1/account/verify?token=abc\n",
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=lambda item: item.name)
def test_public_page_is_accessible(open_browser: OpenBrowser, db: Session, public_page: PublicPage, width: int) -> None:
    arrange_public_data(db)
    browser_page = open_browser(width)
    assert browser_page.open(public_page.path) == public_page.status
    check_page(browser_page, public_page.name)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_development_mailbox_is_accessible(
    open_browser: OpenBrowser, db: Session, on_a_developers_machine: None, width: int
) -> None:
    arrange_public_data(db)
    browser_page = open_browser(width)
    assert browser_page.open("/dev/mail") == 200
    check_page(browser_page, "dev-mail")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(DESKTOP)
    browser_page.open("/")
    page = browser_page.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Hopp til hovedinnhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_swedish_browser_gets_the_swedish_interface(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(MOBILE, language="sv")
    browser_page.open("/accessibility")
    page = browser_page.page
    assert page.get_attribute("html", "lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Tillgänglighetsredogörelse"


def test_choosing_a_language_in_the_header_switches_the_page(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(DESKTOP, language="nb")
    browser_page.open("/privacy")
    page = browser_page.page
    page.get_by_label("Språk").select_option("en")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Bytt").click()
    assert page.url.endswith("/privacy")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy"
    check_page(browser_page, "privacy-after-language-change")


# --- Accounts, organisations and management: signed out, signed in, and with form errors shown ---


@dataclass(frozen=True)
class FormErrorState:
    name: str
    path: str
    action: str
    fill: tuple[tuple[str, str], ...] = ()
    signed_in: bool = False


SIGNED_OUT_PAGES = [
    PublicPage("sign-up", "/account/sign-up"),
    PublicPage("sign-in", "/account/sign-in"),
    PublicPage("forgot-password", "/account/forgot-password"),
    PublicPage("organisations", "/organisations"),
    PublicPage("organisation", "/organisations/halden"),
]

SIGNED_IN_PAGES = [
    PublicPage("account", "/account"),
    PublicPage("account-password", "/account/password"),
    PublicPage("account-email", "/account/email"),
    PublicPage("account-sessions", "/account/sessions"),
    PublicPage("account-tokens", "/account/tokens"),
    PublicPage("account-delete", "/account/delete"),
    PublicPage("organisation-signed-in", "/organisations/halden"),
    PublicPage("manage", "/manage"),
    PublicPage("manage-new-organisation", "/manage/organisations/new"),
    PublicPage("manage-organisation", "/manage/organisations/halden"),
    PublicPage("manage-members", "/manage/organisations/halden/members"),
    PublicPage("manage-audit", "/manage/audit"),
    PublicPage("manage-new-challenge", "/manage/challenges/new?organisation=halden"),
    PublicPage("manage-edit-challenge", "/manage/challenges/utkast/edit"),
    PublicPage("manage-challenge-criteria", "/manage/challenges/utkast/criteria"),
    PublicPage("challenge-draft-host", "/challenges/utkast"),
]

FORM_ERRORS = [
    FormErrorState("sign-up-errors", "/account/sign-up", "/account/sign-up"),
    FormErrorState(
        "sign-in-errors",
        "/account/sign-in",
        "/account/sign-in",
        fill=(("#field-email", "kari@example.no"), ("#field-password", "feil-passord-123")),
    ),
    FormErrorState("forgot-password-errors", "/account/forgot-password", "/account/forgot-password"),
    FormErrorState("account-password-errors", "/account/password", "/account/password", signed_in=True),
    FormErrorState("account-email-errors", "/account/email", "/account/email", signed_in=True),
    FormErrorState("account-tokens-errors", "/account/tokens", "/account/tokens", signed_in=True),
    FormErrorState(
        "manage-new-organisation-errors",
        "/manage/organisations/new",
        "/manage/organisations/new",
        signed_in=True,
    ),
    FormErrorState(
        "manage-invite-errors",
        "/manage/organisations/halden/members",
        "/manage/organisations/halden/invitations",
        fill=(("#field-email", "ikke-en-adresse"),),
        signed_in=True,
    ),
    FormErrorState("manage-new-challenge-errors", "/manage/challenges/new", "/manage/challenges/new", signed_in=True),
    FormErrorState(
        "manage-challenge-criteria-errors",
        "/manage/challenges/utkast/criteria",
        "/manage/challenges/utkast/criteria",
        fill=(("#field-criteria-0-name", "Nytteverdi"), ("#field-criteria-0-weight", "mye")),
        signed_in=True,
    ),
]


def arrange_organisation(db: Session) -> User:
    """Halden kommune with an owner (who is also a platform admin), an editor and a pending invitation."""
    halden = make_organization(
        db,
        name="Halden kommune",
        slug="halden",
        description="Grensekommunen ved Iddefjorden.",
        website="https://www.halden.kommune.no",
    )
    owner = make_member(
        db, halden, role=Role.OWNER, user=make_user(db, display_name="Kari Nordmann", platform_admin=True)
    )
    make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Ola Halvorsen"))
    owner_actor = Actor(user=owner, roles={halden.id: Role.OWNER}, via="session")  # type: ignore[dict-item]
    organizations.invite(db, actor=owner_actor, organization=halden, email="nils@example.no", role=Role.EDITOR, now=NOW)
    make_challenge(db, halden, slug="utkast", title="Bærekraftig sentrumshandel", status="draft", sdg_goals=[11])
    db.flush()
    return owner


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("public_page", SIGNED_OUT_PAGES, ids=lambda item: item.name)
def test_signed_out_page_is_accessible(
    open_browser: OpenBrowser, db: Session, public_page: PublicPage, width: int
) -> None:
    arrange_organisation(db)
    browser_page = open_browser(width)
    assert browser_page.open(public_page.path) == public_page.status
    check_page(browser_page, public_page.name)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("signed_in_page", SIGNED_IN_PAGES, ids=lambda item: item.name)
def test_signed_in_page_is_accessible(
    open_browser: OpenBrowser, db: Session, signed_in_page: PublicPage, width: int
) -> None:
    owner = arrange_organisation(db)
    browser_page = open_browser(width, user=owner)
    assert browser_page.open(signed_in_page.path) == signed_in_page.status
    assert browser_page.page.locator('header form[action="/account/sign-out"]').count() == 1, "not signed in"
    check_page(browser_page, signed_in_page.name)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("state", FORM_ERRORS, ids=lambda item: item.name)
def test_form_with_errors_shown_is_accessible(
    open_browser: OpenBrowser, db: Session, state: FormErrorState, width: int
) -> None:
    owner = arrange_organisation(db)
    browser_page = open_browser(width, user=owner if state.signed_in else None)
    assert browser_page.open(state.path) == 200
    page = browser_page.page
    form = page.locator(f'main form[action="{state.action}"]')
    for selector, value in state.fill:
        form.locator(selector).fill(value)
    with page.expect_navigation(wait_until="load"):  # the re-rendered form, not the page before it
        form.locator("button[type=submit]").first.click()
    assert page.locator("[aria-invalid=true], .ds-error-summary").count() > 0, f"{state.name}: no errors are shown"
    check_page(browser_page, state.name)


def invitation_token(db: Session, email: str) -> str:
    """The raw token from the invitation email (only the email carries it)."""
    message = db.exec(select(OutboxMessage).where(OutboxMessage.recipient == email)).one()
    match = re.search(r"/invitations/([A-Za-z0-9_-]+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("viewer", ["visitor", "invitee", "someone-else", "broken-link"])
def test_invitation_page_is_accessible(open_browser: OpenBrowser, db: Session, viewer: str, width: int) -> None:
    owner = arrange_organisation(db)
    invitee = make_user(db, email="nils@example.no", display_name="Nils Nilsen")
    token = "not-a-real-token" if viewer == "broken-link" else invitation_token(db, "nils@example.no")
    user = {"invitee": invitee, "someone-else": owner}.get(viewer)
    browser_page = open_browser(width, user=user)
    browser_page.open(f"/invitations/{token}")
    check_page(browser_page, f"invitation-{viewer}")


@pytest.mark.parametrize("path", ["/", "/account/sign-up", "/manage/organisations/halden/members", "/account/tokens"])
def test_pages_reflow_at_320_css_pixels(open_browser: OpenBrowser, db: Session, path: str) -> None:
    """WCAG 1.4.10: at 320 CSS px (1280 px at 400 % zoom) nothing needs sideways scrolling but data tables."""
    owner = arrange_organisation(db)
    browser_page = open_browser(320, user=None if path.endswith("sign-up") else owner)
    browser_page.open(path)
    assert_fits_the_width(browser_page.page, 320)


def test_every_header_control_shows_where_the_keyboard_focus_is(open_browser: OpenBrowser, db: Session) -> None:
    """Tab through the header and footer: each focused control draws an outline or a focus ring."""
    owner = arrange_organisation(db)
    browser_page = open_browser(DESKTOP, user=owner)
    browser_page.open("/account")
    page = browser_page.page
    invisible, checked = [], 0
    for _stop in range(12):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                    || (style.boxShadow && style.boxShadow !== 'none');
                return {name: el.tagName.toLowerCase() + ' ' + (el.textContent || el.name || '').trim().slice(0, 30),
                        inHeader: !!el.closest('header'), skip: el.classList.contains('ds-skip-link'), ring};
            }"""
        )
        if focus["skip"]:
            continue  # the skip link becomes visible when focused instead of drawing a ring
        if not focus["inHeader"]:
            break
        checked += 1
        if not focus["ring"]:
            invisible.append(focus["name"])
    assert checked >= 6, "the header has fewer focusable controls than expected"
    assert not invisible, f"no visible focus on: {invisible}"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("path", ["/", "/accessibility", "/account", "/manage/organisations/halden/members"])
def test_swedish_and_english_pages_pass_on_a_phone(
    open_browser: OpenBrowser, db: Session, path: str, language: str
) -> None:
    """Longer Swedish words and English wording must fit too, and the page says which language it is in."""
    owner = arrange_organisation(db)
    browser_page = open_browser(MOBILE, user=owner, language=language)
    browser_page.open(path)
    assert browser_page.page.get_attribute("html", "lang") == language
    name = "home" if path == "/" else path.strip("/").replace("/", "-")
    check_page(browser_page, f"{name}-{language}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_api_reference_is_accessible_with_an_operation_opened(open_browser: OpenBrowser, width: int) -> None:
    browser_page = open_browser(width)
    browser_page.open("/api/v1/docs")
    page = browser_page.page
    page.locator("#tag-organisations ~ details summary").first.click()
    page.locator("details[open] table caption").first.wait_for(state="visible")
    check_page(browser_page, "api-reference")


def test_the_api_console_renders_swagger_ui_under_the_content_security_policy(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(DESKTOP)
    browser_page.open("/api/v1/docs/try")
    page = browser_page.page
    page.locator(".swagger-ui .opblock").first.wait_for()
    csp_reports = [text for text in browser_page.console_errors if "Content Security Policy" in text]
    assert not csp_reports, "\n".join(csp_reports)
    screenshot(page, "api-console", DESKTOP)


@pytest.mark.xfail(
    strict=True,
    reason="Swagger UI's own markup: a second <main>, nested controls, low-contrast method badges "
    "(a known limitation named in the accessibility statement; /api/v1/docs is the accessible reference)",
)
def test_the_swagger_ui_console_passes_axe(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(DESKTOP)
    browser_page.open("/api/v1/docs/try")
    browser_page.page.locator(".swagger-ui .opblock").first.wait_for()
    assert_no_axe_violations(browser_page.page, "api-console")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", ["sign-in-needed", "forbidden"])
def test_error_pages_are_accessible(open_browser: OpenBrowser, db: Session, case: str, width: int) -> None:
    citizen = make_user(db, display_name="Liv Berg")
    browser_page = open_browser(width, user=citizen if case == "forbidden" else None)
    if case == "forbidden":
        assert browser_page.open("/manage/organisations/new") == 403
    else:
        browser_page.open("/manage/audit")
        assert "/account/sign-in" in browser_page.page.url  # the sign-in page, then back to where they were going
    check_page(browser_page, f"error-{case}")


# --- Challenges: the list, and a challenge's page while open and once its results are announced ---

CHALLENGE_PAGES = [
    PublicPage("challenges", "/challenges"),
    PublicPage("challenges-filtered", "/challenges?phase=open&sdg=11&sort=prize"),
    PublicPage("challenge-open", "/challenges/baerekraftig-sentrumshandel"),
    PublicPage("challenge-announced", "/challenges/hjemme-etter-sykehuset"),
]


def arrange_challenges(db: Session) -> None:
    from datetime import timedelta

    from tests.factories import make_challenge

    halden = make_organization(db, name="Halden kommune", slug="halden")
    helsingborg = make_organization(db, name="Helsingborgs stad", slug="helsingborg", timezone="Europe/Stockholm")
    make_challenge(
        db, halden, slug="baerekraftig-sentrumshandel", title="Bærekraftig sentrumshandel", cohosts=[helsingborg],
        summary="Hvordan får vi flere til å handle og møtes i sentrum av Halden?",
        problem_statement="Sentrum har **mange tomme lokaler**.\n\n- gjenbruk\n- handel uten bil",
        target_groups=["students", "citizens"], sdg_goals=[11, 12], prize_text="50 000 kroner delt på tre",
        prize_amount=5_000_000, follow_up_text="Et betalt oppdrag for vinneren.", start=NOW - timedelta(days=20),
    )  # fmt: skip
    make_challenge(
        db, halden, slug="hjemme-etter-sykehuset", title="Hjemme etter sykehuset", sdg_goals=[3],
        target_groups=["young-professionals"], start=NOW - timedelta(days=120),
    )  # fmt: skip
    make_challenge(db, helsingborg, slug="trygga-stadsdelar", title="Trygga och levande stadsdelar", sdg_goals=[11])
    db.flush()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("challenge_page", CHALLENGE_PAGES, ids=lambda item: item.name)
def test_challenge_page_is_accessible(
    open_browser: OpenBrowser, db: Session, challenge_page: PublicPage, width: int
) -> None:
    arrange_challenges(db)
    browser_page = open_browser(width)
    assert browser_page.open(challenge_page.path) == challenge_page.status
    check_page(browser_page, challenge_page.name)
