"""The route walker: every route has a rule saying who may call it, and the app keeps to the rules.

Each domain lists its routes in `tests/<domain>/route_rules.py` (or `<feature>_route_rules.py`) as
`ROUTE_RULES = {(method, path): rule}`:

- "public": anyone (a GET without path parameters answers an anonymous visitor with 200);
- "signed-in": an anonymous caller is refused before anything else is looked at: the API answers 401
  problem+json, a page redirects (303) to the sign-in page;
- "platform-admin": as "signed-in", and a signed-in, verified citizen is refused too (403 or 404);
- "development-only": in development only, to a browser on the machine itself or a platform admin; a 404 for
  everyone else and in every other environment (see tests/test_dev_mailbox.py).

A new route without a rule fails here, and so does a rule for a route that no longer exists.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from app.errors import PROBLEM_JSON
from tests.conftest import Client
from tests.factories import make_user

TESTS = Path(__file__).resolve().parent
RULES = frozenset({"public", "signed-in", "platform-admin", "development-only"})
NEEDS_SIGN_IN = frozenset({"signed-in", "platform-admin"})
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})

Key = tuple[str, str]


def rule_modules() -> list[str]:
    """The dotted names of every tests/**/route_rules.py module."""
    return sorted(
        ".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts))
        for path in TESTS.rglob("*route_rules.py")
        if not path.name.startswith("test_")
    )


def collect_rules() -> tuple[dict[Key, str], list[str]]:
    """Every module's rules merged, and the problems found while merging (duplicates, unknown rules)."""
    rules: dict[Key, str] = {}
    owners: dict[Key, str] = {}
    problems: list[str] = []
    for name in rule_modules():
        module_rules = getattr(importlib.import_module(name), "ROUTE_RULES", None)
        if not isinstance(module_rules, dict):
            problems.append(f"{name} has no ROUTE_RULES dict")
            continue
        for key, rule in module_rules.items():
            if rule not in RULES:
                problems.append(f"{name}: {key} has unknown rule {rule!r} (use one of {sorted(RULES)})")
            if key in rules:
                problems.append(f"{key} has a rule in both {owners[key]} and {name}")
            rules[key], owners[key] = rule, name
    return rules, problems


ROUTE_RULES, MERGE_PROBLEMS = collect_rules()


def app_routes(app: FastAPI) -> Iterator[Key]:
    """(method, path) of every route the app serves, the static files mount aside."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount) or not context.methods or context.path is None:
            continue
        for method in context.methods - IGNORED_METHODS:
            yield method, context.path


def fill_path(path: str) -> str:
    """The path with dummy values: numbers for ids, words for slugs and tokens."""
    return re.sub(r"\{([^}:]+)(:[^}]*)?\}", lambda m: "1" if m[1] == "id" or m[1].endswith("_id") else "x", path)


def routes_with(*rules: str) -> list[Key]:
    return sorted(key for key, rule in ROUTE_RULES.items() if rule in rules)


def format_keys(keys: set[Key]) -> str:
    return "\n".join(f"    ({method!r}, {path!r})," for method, path in sorted(keys, key=lambda k: (k[1], k[0])))


def test_rule_modules_are_found_and_consistent() -> None:
    assert "tests.site.route_rules" in rule_modules()
    assert MERGE_PROBLEMS == []


def test_every_route_has_a_rule(app: FastAPI) -> None:
    missing = set(app_routes(app)) - set(ROUTE_RULES)
    assert not missing, (
        "These routes have no rule; add them to the ROUTE_RULES of tests/<domain>/route_rules.py:\n"
        + format_keys(missing)
    )


def test_every_rule_names_a_route_that_exists(app: FastAPI) -> None:
    stale = set(ROUTE_RULES) - set(app_routes(app))
    assert not stale, "These rules name routes the app no longer has; remove them:\n" + format_keys(stale)


def assert_refused_as_anonymous(client: Client, method: str, path: str) -> None:
    url = fill_path(path)
    if path.startswith("/api/"):
        response = client.api(method, url, json={})
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}: {response.text[:300]}"
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["type"] == "/problems/unauthenticated"
    else:
        response = client.request(method, url, data={"csrf_token": client.csrf_token}, follow_redirects=False)
        assert response.status_code == 303, f"{method} {path} answered {response.status_code}"
        assert response.headers["location"].startswith("/account/sign-in")


@pytest.mark.parametrize(("method", "path"), routes_with(*NEEDS_SIGN_IN))
def test_an_anonymous_caller_is_sent_to_sign_in(client: Client, method: str, path: str) -> None:
    assert_refused_as_anonymous(client, method, path)


@pytest.mark.parametrize(("method", "path"), [key for key in routes_with(*NEEDS_SIGN_IN) if key[1].startswith("/api/")])
def test_a_bad_bearer_token_is_refused_on_the_api(client: Client, method: str, path: str) -> None:
    response = client.api(method, fill_path(path), token="smk_not-a-real-token", json={})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(("method", "path"), routes_with("platform-admin"))
def test_a_citizen_is_refused_platform_admin_routes(client: Client, method: str, path: str) -> None:
    client.sign_in(make_user(client.db, verified=True))
    # Committed (to the test's savepoint) like a real account, so the request's rollback on refusal keeps it.
    client.db.commit()
    url = fill_path(path)
    if path.startswith("/api/"):
        response = client.api(method, url, json={})
    else:
        response = client.request(method, url, data={"csrf_token": client.csrf_token}, follow_redirects=False)
    assert response.status_code in (403, 404), f"{method} {path} answered {response.status_code} to a citizen"
    if path.startswith("/api/"):
        assert response.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(
    ("method", "path"),
    [(method, path) for method, path in routes_with("public") if method == "GET" and "{" not in path],
)
def test_a_public_page_answers_an_anonymous_visitor(client: Client, method: str, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path} answered {response.status_code}"


@pytest.mark.parametrize(("method", "path"), routes_with("development-only"))
def test_a_development_page_is_a_developers_alone(
    client: Client, on_a_developers_machine: None, method: str, path: str
) -> None:
    assert client.request(method, fill_path(path)).status_code == 404, "refused to an anonymous visitor"
    client.sign_in(make_user(client.db, platform_admin=True))
    assert client.request(method, fill_path(path)).status_code == 200, "open to a platform admin"
