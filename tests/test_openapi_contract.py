"""The API keeps the contract its OpenAPI document states, checked by schemathesis against the app itself: no
server error, every response of a documented status and shape, anonymous and with a personal token.

A few generated requests per operation keep this within seconds; a full fuzz is `schemathesis run`'s job."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlmodel import Session

from app.main import create_app
from tests.conftest import Client
from tests.factories import make_user

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 15,  # the same requests every run: a failure here is reproducible
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": 2},
    }
)

# Read when the tests are collected, before the session's `app` exists, from an app built the same way; the requests
# go to the session's app through `client`, so they see the test's database and clock.
schema = schemathesis.openapi.from_dict(create_app().openapi(), config=CONFIG)


@pytest.fixture
def personal_token(client: Client, db: Session) -> str:
    created = client.sign_in(make_user(db)).api("POST", "/api/v1/me/tokens", json={"name": "Kontrakt"})
    client.sign_out()
    return str(created.json()["token"])


def _call(client: Client, case: schemathesis.Case, headers: dict[str, str]) -> None:
    request = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
    if isinstance(request.get("data"), bytes | str):  # requests' name for a raw body is httpx's `content`
        request["content"] = request.pop("data")
    if not request.get("cookies"):
        request.pop("cookies", None)  # the client's own cookies (the CSRF cookie) are sent as they are
    response = client.request(**request)
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_anonymous_requests_keep_the_contract(client: Client, case: schemathesis.Case) -> None:
    _call(client, case, {})


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_requests_with_a_personal_token_keep_the_contract(
    client: Client, personal_token: str, case: schemathesis.Case
) -> None:
    _call(client, case, {"Authorization": f"Bearer {personal_token}"})
