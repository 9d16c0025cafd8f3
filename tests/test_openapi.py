"""The API describes itself: tags, summaries, problem+json errors, bearer auth."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import Client

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_openapi_is_served_with_tags_and_bearer_auth(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Samskap API"
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {tag["name"] for tag in schema["tags"]} >= {"accounts", "organisations", "audit", "meta"}


def test_every_operation_has_a_tag_and_a_summary(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in _operations(schema)
        if not operation.get("tags") or not operation.get("summary")
    ]
    assert missing == []


def test_every_documented_error_is_problem_json(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    wrong = []
    for method, path, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and "content" in response:
                if set(response["content"]) != {"application/problem+json"}:
                    wrong.append(f"{method.upper()} {path} {status}")
    assert wrong == []
    api_operations = [op for _m, path, op in _operations(schema) if path.startswith("/api/v1/")]
    assert all("401" in op["responses"] and "422" in op["responses"] for op in api_operations)


def _references(node: Any) -> list[str]:
    """Every `$ref` in a JSON document."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_every_reference_resolves_and_errors_point_at_the_one_problem_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    dangling = sorted(
        {ref for ref in _references(schema) if ref.removeprefix("#/components/schemas/") not in components}
    )
    assert dangling == []
    problem = components["Problem"]
    assert set(problem["properties"]) >= {"type", "title", "status", "detail", "instance", "errors"}
    assert not [name for name in components if name.endswith("Problem") and name not in {"Problem", "FieldProblem"}]


def test_a_wrong_method_is_a_problem_too(client: Client) -> None:
    response = client.post("/api/v1/", json={"unexpected": True}, headers={"X-CSRF-Token": client.csrf_token})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/method-not-allowed"


def test_the_reference_lists_every_operation_with_its_responses(client: Client) -> None:
    page = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    for _method, path, operation in _operations(schema):
        assert f'<code class="api-path">{path}</code>' in page.text
        assert operation["summary"].replace("'", "&#39;") in page.text
    assert "application/problem+json" in page.text
    assert 'href="/api/v1/docs/try"' in page.text


def test_the_console_loads_self_hosted_swagger(client: Client) -> None:
    page = client.get("/api/v1/docs/try")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "/static/js/api-docs.js" in page.text
    assert "cdn" not in page.text.lower()


def test_path_parameters_are_listed_in_the_order_of_the_path(client: Client) -> None:
    # Generated SDKs pass path parameters by position: their order in `parameters` is the order in the path.
    schema = client.get("/api/v1/openapi.json").json()
    wrong = set()
    for method, path, operation in _operations(schema):
        in_path = re.findall(r"\{([^}]+)\}", path)
        listed = [parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "path"]
        if listed != in_path:
            wrong.add(f"{method.upper()} {path}")
    assert not wrong, sorted(wrong)
