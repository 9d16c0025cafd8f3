"""Every accounts route has a rule, and anonymous callers are refused where sign-in is required."""

from __future__ import annotations

import re

import pytest

from app.accounts import api, pages
from tests.accounts.route_rules import ROUTE_RULES
from tests.conftest import Client


def _declared() -> set[tuple[str, str]]:
    found = set()
    for router, prefix in ((api.router, "/api/v1"), (pages.router, "")):
        for route in router.routes:
            for method in getattr(route, "methods", set()) - {"HEAD"}:
                found.add((method, prefix + route.path))  # type: ignore[attr-defined]
    return found


def test_every_accounts_route_has_exactly_one_rule() -> None:
    assert _declared() == set(ROUTE_RULES)
    assert set(ROUTE_RULES.values()) <= {"public", "signed-in", "platform-admin"}


@pytest.mark.parametrize(("method", "path"), sorted(key for key, rule in ROUTE_RULES.items() if rule == "signed-in"))
def test_anonymous_callers_are_refused(client: Client, method: str, path: str) -> None:
    url = re.sub(r"\{[^}]+\}", "1", path)
    if path.startswith("/api/"):
        response = client.api(method, url, json={})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    else:
        response = client.request(method, url, data={"csrf_token": client.csrf_token}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/account/sign-in")
