"""Every request is logged with its request id; production logs are JSON lines."""

from __future__ import annotations

import json

import pytest

from app.logging import configure_logging
from tests.conftest import Client


def test_requests_are_logged_as_json_with_the_request_id(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_lines=True)
    try:
        response = client.get("/privacy", headers={"X-Request-ID": "trace-42"})
    finally:
        configure_logging(json_lines=False)
    assert response.headers["x-request-id"] == "trace-42"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    entry = next(line for line in lines if line.get("path") == "/privacy")
    assert entry["request_id"] == "trace-42"
    assert entry["status"] == 200
    assert entry["level"] == "info"
    assert entry["duration_ms"] >= 0


def test_an_unsafe_incoming_request_id_is_replaced(client: Client) -> None:
    response = client.get("/privacy", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert response.headers["x-request-id"] != "<script>alert(1)</script>"
    assert len(response.headers["x-request-id"]) == 32
