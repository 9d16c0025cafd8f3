"""The site-wide pages and headers every response carries."""

from __future__ import annotations

from tests.conftest import Client
from tests.factories import make_organization


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
