"""Every organisations and audit route has a rule, and anonymous callers are refused where sign-in is required."""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from app.audit import api as audit_api
from app.audit import pages as audit_pages
from app.organizations import api, pages
from tests.audit.route_rules import ROUTE_RULES as AUDIT_RULES
from tests.conftest import Client
from tests.factories import make_organization
from tests.organizations.route_rules import ROUTE_RULES

ALL_RULES = {**ROUTE_RULES, **AUDIT_RULES}


def _declared(modules: tuple[tuple[ModuleType, str], ...]) -> set[tuple[str, str]]:
    found = set()
    for module, prefix in modules:
        for route in module.router.routes:
            for method in getattr(route, "methods", set()) - {"HEAD"}:
                found.add((method, prefix + route.path))
    return found


def test_every_organisations_route_has_exactly_one_rule() -> None:
    assert _declared(((api, "/api/v1"), (pages, ""))) == set(ROUTE_RULES)
    assert set(ROUTE_RULES.values()) <= {"public", "signed-in", "platform-admin"}


def test_every_audit_route_has_exactly_one_rule() -> None:
    assert _declared(((audit_api, "/api/v1"), (audit_pages, ""))) == set(AUDIT_RULES)


@pytest.mark.parametrize(("method", "path"), sorted(key for key, rule in ALL_RULES.items() if rule != "public"))
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


@pytest.mark.parametrize(("method", "path"), sorted(key for key, rule in ALL_RULES.items() if rule == "public"))
def test_public_routes_answer_anonymous_callers(client: Client, method: str, path: str) -> None:
    make_organization(client.db, slug="1")
    response = client.request(method, re.sub(r"\{[^}]+\}", "1", path), follow_redirects=False)
    assert response.status_code not in {401, 403, 303}
