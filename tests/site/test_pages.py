"""The site-wide pages and headers every response carries."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import Client
from tests.factories import make_organization, make_user


def test_front_page_lists_organisations(client: Client) -> None:
    make_organization(client.db, name="Halden kommune", slug="halden")
    page = client.get("/")
    assert page.status_code == 200
    assert "Halden kommune" in page.text
    assert 'href="#main"' in page.text


def test_every_response_carries_security_headers(client: Client) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert page.headers["x-request-id"]


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    page = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_unknown_api_route_is_problem_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


def test_health_and_readiness(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "reachable"


def test_a_form_post_without_csrf_token_is_refused(client: Client) -> None:
    response = client.post("/language", data={"language": "en"})
    assert response.status_code == 403
    assert client.get("/").status_code == 200


def test_choosing_a_language_switches_the_pages(client: Client) -> None:
    response = client.post_form("/language", {"language": "en", "next": "/"})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert '<html lang="en">' in client.get("/").text


def test_the_statement_pages_answer_in_the_visitors_language(client: Client) -> None:
    for path, heading in (("/accessibility", "Accessibility statement"), ("/privacy", "Privacy")):
        page = client.get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 200
        assert heading in page.text


def test_the_language_choice_never_leaves_the_site(client: Client) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", ""):
        response = client.post_form("/language", {"language": "sv", "next": target})
        assert response.status_code == 303
        assert response.headers["location"] == "/", target


def test_an_unknown_language_falls_back_to_bokmal(client: Client) -> None:
    response = client.post_form("/language", {"language": "xx", "next": "/privacy"})
    assert response.headers["location"] == "/privacy"
    assert client.cookies.get("samskap_lang") == "nb"


def test_a_signed_in_users_language_choice_is_remembered(client: Client) -> None:
    user = make_user(client.db, language="nb")
    client.sign_in(user)
    client.post_form("/language", {"language": "en", "next": "/"})
    client.db.refresh(user)
    assert user.language == "en"


def test_the_api_index_links_its_resources(client: Client) -> None:
    index = client.get("/api/v1/").json()
    assert index["openapi"] == "/api/v1/openapi.json"
    assert client.get(index["openapi"]).status_code == 200
    assert client.get(index["docs"]).status_code == 200


def test_the_openapi_document_has_tags_and_bearer_auth(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Samskap API"
    assert {"meta", "accounts", "organisations"} <= {tag["name"] for tag in document["tags"]}
    assert "/api/v1/" in document["paths"]


def test_readiness_reports_an_unreachable_database(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(client.db, "exec", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert client.get("/healthz").status_code == 200
