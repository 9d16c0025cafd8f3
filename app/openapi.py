"""OpenAPI: problem+json documented for every error response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from app.errors import PROBLEM_JSON


class FieldProblem(BaseModel):
    field: str = Field(examples=["email"])
    message: str = Field(examples=["Enter a valid email address."])
    location: str | None = Field(default=None, examples=["body"], description="`body`, `query` or `path`.")


class Problem(BaseModel):
    """An RFC 9457 problem details body."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "No such organisation.",
                    "instance": "/api/v1/organisations/nowhere",
                }
            ]
        }
    )

    type: str = Field(description="A stable identifier of the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = Field(default=None, description="Per-field messages (validation).")


def _problem_response(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


def problem_response(description: str) -> dict[str, Any]:
    """A route's own error response, documented as problem+json with `description`."""
    return _problem_response(description)


_STATUS_DESCRIPTIONS = {
    401: "Sign-in required (no or unknown bearer token)",
    403: "Signed in, but not allowed to do this",
    404: "No such object, or not visible to you",
    409: "Conflicts with the current state",
    413: "The upload is too large",
    415: "The upload's content is not an accepted type",
    422: "Invalid input; `errors` lists the fields",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route can answer with."""
    return {status: _problem_response(_STATUS_DESCRIPTIONS[status]) for status in statuses}


COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _problem_response("The request holds a value that cannot be stored (such as a NUL character in a text)."),
    401: _problem_response("Authentication is missing or the token is unknown or revoked."),
    403: _problem_response("Authenticated, but not allowed (or the CSRF token is missing)."),
    422: _problem_response("The request has invalid or missing fields; `errors` lists them."),
    429: _problem_response("Too many requests; retry after the `Retry-After` header's seconds."),
}
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: _problem_response("No such resource, or you may not see it.")}
CONFLICT: Responses = {409: _problem_response("The change conflicts with the current state; `detail` says why.")}
WRITE_ERRORS: Responses = {**NOT_FOUND, **CONFLICT}
NOT_MODIFIED: Responses = {304: {"description": "Not modified (the `If-None-Match` ETag still matches)"}}


def operation_id(route: APIRoute) -> str:
    """A route's operationId: its function's name (`list_challenges`), which generated clients name their calls by
    (a test keeps them unique)."""
    return route.name


def _move_errors_to_problem_json(schema: dict[str, Any]) -> None:
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if str(status)[0] in "45" and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
                    content[PROBLEM_JSON]["schema"] = {"$ref": "#/components/schemas/Problem"}
    schemas = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _order_path_parameters(schema: dict[str, Any]) -> None:
    """List each operation's path parameters in the order they stand in its path (FastAPI lists an endpoint's own
    parameters before those its dependencies read, and SDK generators pass path parameters by position)."""
    for path, path_item in schema.get("paths", {}).items():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "parameters" not in operation:
                continue
            parameters = operation["parameters"]
            in_path = sorted(
                (p for p in parameters if p.get("in") == "path"), key=lambda p: path.find("{" + p["name"] + "}")
            )
            others = [p for p in parameters if p.get("in") != "path"]
            operation["parameters"] = in_path + others


def install(app: FastAPI) -> None:
    """Replace the app's OpenAPI generator with one that documents problem+json errors."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearerAuth"] = {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal access token from your account page.",
            }
            schema["security"] = [{"bearerAuth": []}, {}]
            _move_errors_to_problem_json(schema)
            _order_path_parameters(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


@dataclass(frozen=True)
class ReferenceParameter:
    name: str
    location: str
    required: bool
    type: str
    description: str


@dataclass(frozen=True)
class ReferenceOperation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[ReferenceParameter]
    body: str | None
    responses: list[tuple[str, str]]

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".lower().replace("/", "-").replace("{", "").replace("}", "").strip("-")


@dataclass(frozen=True)
class ReferenceSection:
    tag: str
    description: str
    operations: list[ReferenceOperation]


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_name(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_schema_name(schema.get('items', {}))}]"
    return str(schema.get("type", "object"))


def _operation(method: str, path: str, operation: dict[str, Any]) -> ReferenceOperation:
    parameters = [
        ReferenceParameter(
            name=parameter["name"],
            location=parameter["in"],
            required=bool(parameter.get("required")),
            type=_schema_name(parameter.get("schema", {})),
            description=parameter.get("description", ""),
        )
        for parameter in operation.get("parameters", [])
    ]
    body_content = operation.get("requestBody", {}).get("content", {})
    body = next((f"{media}: {_schema_name(spec.get('schema', {}))}" for media, spec in body_content.items()), None)
    responses = [(str(status), str(item.get("description", ""))) for status, item in operation["responses"].items()]
    return ReferenceOperation(
        method=method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        description=operation.get("description", ""),
        parameters=parameters,
        body=body,
        responses=sorted(responses),
    )


def reference(schema: dict[str, Any]) -> list[ReferenceSection]:
    """The OpenAPI description grouped by tag, for the server-rendered (accessible) API reference."""
    grouped: dict[str, list[ReferenceOperation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                tag = (operation.get("tags") or ["other"])[0]
                grouped.setdefault(tag, []).append(_operation(method, path, operation))
    descriptions = {tag["name"]: tag.get("description", "") for tag in schema.get("tags", [])}
    order = [tag["name"] for tag in schema.get("tags", [])] + sorted(set(grouped) - set(descriptions))
    return [ReferenceSection(tag, descriptions.get(tag, ""), grouped[tag]) for tag in order if tag in grouped]
