"""The sign-in page with a "Sign in with ID-porten" choice, and the page a refused sign-in shows, are accessible at
1280 and 390 px (0 axe violations), in bokmål. Screenshots land in /tmp/shots/sso-*-<width>.png."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.config import OidcProvider, get_settings
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import check_page

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]


@pytest.fixture
def idporten(monkeypatch: pytest.MonkeyPatch) -> None:
    """ID-porten configured (its address is never reached: the pages below only offer it)."""
    provider = OidcProvider(
        id="idporten",
        issuer="http://127.0.0.1:9",
        client_id="samskap",
        label={"nb": "ID-porten", "sv": "ID-porten", "en": "ID-porten"},
    )
    monkeypatch.setattr(get_settings(), "oidc_providers", [provider])


@pytest.mark.usefixtures("idporten")
@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_choices_are_accessible(open_browser: OpenBrowser, width: int) -> None:
    browser_page = open_browser(width)
    assert browser_page.open("/account/sign-in") == 200
    assert browser_page.page.get_by_role("link", name="Logg inn med ID-porten").is_visible()
    check_page(browser_page, "sso-sign-in")


@pytest.mark.usefixtures("idporten")
@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_sign_in_is_accessible(open_browser: OpenBrowser, width: int) -> None:
    browser_page = open_browser(width)
    assert browser_page.open("/account/sign-in/idporten/callback?state=x&code=y") == 400
    assert browser_page.page.get_by_role("heading", name="Vi kunne ikke logge deg inn").is_visible()
    check_page(browser_page, "sso-refused")
