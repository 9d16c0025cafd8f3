"""Every id and every date the API takes is bounded: the extreme value is refused (422), never a crash (500).

The test walks the OpenAPI document, so a new integer or date parameter (path, query or a JSON body field) is
covered the day it is added."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session

from app.challenges.phases import Phase
from app.organizations.models import Role
from tests.challenges.conftest import at
from tests.conftest import Client
from tests.factories import (
    make_challenge,
    make_comment,
    make_member,
    make_organization,
    make_question,
    make_submission,
    make_user,
)

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
TOO_LARGE_ID = 2**63
EXTREME_DATES = ["0001-01-01", "9999-12-31"]
EXTREME_MOMENTS = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]


@dataclass
class World:
    token: str
    organisation: str
    challenge: str
    ids: dict[str, int]


@pytest.fixture
def world(client: Client, db: Session) -> World:
    """A host organisation whose owner (also a platform admin) runs an open challenge with a published concept, a
    comment and a question: enough for every route to get past its lookups and reach the value under test."""
    host = make_organization(db, slug="halden", name="Halden kommune")
    owner = make_member(db, host, role=Role.OWNER, user=make_user(db, platform_admin=True))
    challenge = make_challenge(db, host, submissions_public="at-submission")
    concept = make_submission(db, challenge, make_user(db), versions=1)
    comment = make_comment(db, concept)
    question = make_question(db, challenge)
    db.commit()
    client.clock.at = at(Phase.OPEN)
    created = client.sign_in(owner).api("POST", "/api/v1/me/tokens", json={"name": "Grenseverdier"})
    assert created.status_code == 201, created.text
    client.sign_out()
    ids = {"submission_id": concept.id, "comment_id": comment.id, "question_id": question.id}
    return World(token=created.json()["token"], organisation=host.slug, challenge=challenge.slug, ids=ids)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _options(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """`schema` resolved, or each of its alternatives (without `null`)."""
    schema = _resolve(document, schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if not alternatives:
        return [schema]
    return [option for item in alternatives for option in _options(document, item) if option.get("type") != "null"]


def _example(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A plausible valid value of `schema`: its example, else one built from its required parts."""
    schema = _options(document, schema)[0]
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _example(document, part)
            for name, part in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [_example(document, schema.get("items", {})) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    return {"email": "fuzz@example.no", "date": "2027-03-01", "date-time": "2027-03-01T12:00:00+01:00"}.get(
        schema.get("format", ""), "x" * max(1, schema.get("minLength", 1))
    )


def _extremes(schema: dict[str, Any]) -> list[Any]:
    if schema.get("type") == "integer":
        return [TOO_LARGE_ID]
    return {"date": EXTREME_DATES, "date-time": EXTREME_MOMENTS}.get(schema.get("format", ""), [])


def _fields(document: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...] = ()) -> list[Any]:
    """(path, schema) of every integer and date field in a body, nested objects and lists included."""
    found = []
    for option in _options(document, schema):
        if _extremes(option):
            found.append((path, option))
        for name, part in option.get("properties", {}).items():
            if name not in path:  # no recursion into a self-referencing schema
                found += _fields(document, part, (*path, name))
        if option.get("type") == "array":
            found += _fields(document, option.get("items", {}), (*path, "[]"))
    return found


def _set(document: dict[str, Any], node: Any, schema: dict[str, Any], path: tuple[str, ...], value: Any) -> Any:
    """`node` (built from `schema`) with the field at `path` set to `value`, the parts on the way filled in."""
    if not path:
        return value
    schema = _options(document, schema)[0]
    head, rest = path[0], path[1:]
    if head == "[]":
        items = schema.get("items", {})
        node = list(node) if isinstance(node, list) and node else [_example(document, items)]
        node[0] = _set(document, node[0], items, rest, value)
        return node
    part = schema.get("properties", {}).get(head, {})
    node = dict(node) if isinstance(node, dict) else {}
    if head not in node or node[head] is None:
        node[head] = _example(document, part)
    node[head] = _set(document, node[head], part, rest, value)
    return node


def _path_value(world: World, path: str, name: str) -> Any:
    if name == "slug":
        return world.organisation if path.startswith("/api/v1/organisations") else world.challenge
    if name == "org_slug":
        return world.organisation
    return world.ids.get(name, "x" if name == "token" else 1)


def _requests(document: dict[str, Any], world: World) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(what is tried, method, url, request arguments): each operation once per extreme value of each of its
    integer and date parameters and body fields, everything else valid."""
    tried = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = [p for p in operation.get("parameters", []) if p["in"] in {"path", "query"}]
            normal = {p["name"]: _path_value(world, path, p["name"]) for p in parameters if p["in"] == "path"}
            json_body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            body = _example(document, json_body["schema"]) if json_body else None
            for parameter in parameters:
                for option in _options(document, parameter["schema"]):
                    for value in _extremes(option):
                        values = {**normal, parameter["name"]: value} if parameter["in"] == "path" else normal
                        query = {parameter["name"]: str(value)} if parameter["in"] == "query" else {}
                        kwargs = {"params": query} | ({"json": body} if json_body else {})
                        tried.append((f"{parameter['name']}={value}", method, path.format(**values), kwargs))
            if json_body:
                for field, option in _fields(document, json_body["schema"]):
                    for value in _extremes(option):
                        sent = _set(document, body, json_body["schema"], field, value)
                        tried.append((f"{'.'.join(field)}={value}", method, path.format(**normal), {"json": sent}))
    return tried


def test_no_id_or_date_at_the_edge_of_what_computers_count_crashes_the_api(client: Client, world: World) -> None:
    document = client.get("/api/v1/openapi.json").json()
    tried = _requests(document, world)
    assert len(tried) > 100  # every integer and date parameter and body field, not a handful
    crashed = []
    for what, method, url, kwargs in tried:
        response = client.api(method.upper(), url, token=world.token, **kwargs)
        if response.status_code >= 500:
            crashed.append(f"{method.upper()} {url} {what}: {response.status_code}")
    assert crashed == [], "\n".join(crashed)


def test_an_id_too_large_for_the_database_is_refused_with_the_field_named(client: Client, world: World) -> None:
    url = f"/api/v1/challenges/{world.challenge}/submissions/{world.ids['submission_id']}/comments"
    response = client.api("POST", url, token=world.token, json={"body": "Enig!", "parent_id": TOO_LARGE_ID})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["parent_id"]
