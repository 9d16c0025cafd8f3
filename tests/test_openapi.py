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


def test_every_operation_has_a_short_unique_operation_id_named_after_its_handler(client: Client) -> None:
    # Generated SDKs name their calls by operationId: `list_challenges`, not `list_challenges_api_v1_challenges_get`.
    schema = client.get("/api/v1/openapi.json").json()
    ids = [operation["operationId"] for _method, _path, operation in _operations(schema)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert not [i for i in ids if "api_v1" in i or i.endswith(("_get", "_post", "_put", "_patch", "_delete"))]
    operation = schema["paths"]["/api/v1/challenges/{slug}"]["get"]
    assert (schema["paths"]["/api/v1/challenges"]["get"]["operationId"], operation["operationId"]) == (
        "list_challenges",
        "get_challenge",
    )


def test_every_schema_has_a_plain_name(client: Client) -> None:
    # Two Pydantic classes of one name would be published under their module paths (`app__…__MemberRead`).
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert [name for name in components if not re.fullmatch(r"[A-Z][A-Za-z0-9_]*", name) or "__" in name] == []


def test_a_value_the_database_refuses_is_a_documented_400(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    api_operations = [op for _m, path, op in _operations(schema) if path.startswith("/api/v1/")]
    assert all("400" in op["responses"] for op in api_operations)


def test_the_challenge_list_documents_its_sort_orders_and_refuses_others(client: Client) -> None:
    from app.challenges import service

    schema = client.get("/api/v1/openapi.json").json()
    (sort,) = [p for p in schema["paths"]["/api/v1/challenges"]["get"]["parameters"] if p["name"] == "sort"]
    enum = schema["components"]["schemas"][sort["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert enum["enum"] == list(service.SORTS)
    assert sort["schema"]["default"] == "newest"
    refused = client.get("/api/v1/challenges?sort=popular")
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["sort"]
    assert client.get("/api/v1/challenges?sort=prize").status_code == 200


def test_an_attachment_is_documented_as_the_file_types_it_is_served_as(client: Client) -> None:
    from app.submissions import service

    schema = client.get("/api/v1/openapi.json").json()
    path = "/api/v1/challenges/{slug}/submissions/{submission_id}/attachments/{attachment_id}"
    documented = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(documented) == set(service.CONTENT_TYPES.values())
    assert "application/octet-stream" not in documented


def test_a_wrong_method_names_every_method_the_address_answers(client: Client) -> None:
    # GET and POST on the questions of a challenge are two handlers; the 405 must name both, as the document does.
    schema = client.get("/api/v1/openapi.json").json()
    path = "/api/v1/challenges/{slug}/questions"
    documented = sorted(method.upper() for method in schema["paths"][path] if method in HTTP_METHODS)
    assert documented == ["GET", "POST"]
    response = client.api("PUT", path.format(slug="gronne-tak"), json={})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert sorted(method.strip() for method in response.headers["allow"].split(",")) == documented
