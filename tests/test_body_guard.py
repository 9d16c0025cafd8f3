"""Bodies are capped before they are read: a small limit for forms and JSON, the file's limit where files go, and
no form is parsed for a browser request that has no cookie a CSRF token could match."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.challenges.models import Challenge
from app.main import create_app
from app.organizations.models import Organization
from tests.conftest import Client
from tests.factories import make_challenge, make_organization, make_user

MB = 1024 * 1024


def test_a_form_larger_than_any_form_needs_is_refused_with_a_page(client: Client) -> None:
    client.headers["Accept-Language"] = "en"
    refused = client.post_form("/account/sign-in", {"email": "kari@example.no", "password": "x" * (2 * MB)})
    assert refused.status_code == 413
    assert "text/html" in refused.headers["content-type"]
    assert "larger than this form accepts" in refused.text


def test_json_larger_than_the_api_needs_is_refused_with_a_problem(client: Client) -> None:
    client.sign_in(make_user(client.db))
    refused = client.api("PATCH", "/api/v1/me", json={"display_name": "x" * (2 * MB)})
    assert refused.status_code == 413
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/payload-too-large"


def test_a_body_without_a_length_is_counted_as_it_arrives(client: Client) -> None:
    client.sign_in(make_user(client.db))

    def chunks() -> Iterator[bytes]:
        yield b'{"display_name": "'
        for _chunk in range(3):
            yield b"x" * MB
        yield b'"}'

    headers = {"content-type": "application/json", "X-CSRF-Token": client.csrf_token}
    refused = client.patch("/api/v1/me", content=chunks(), headers=headers)
    assert refused.status_code == 413


def test_a_form_without_any_cookie_is_refused_before_it_is_read(client: Client) -> None:
    client.cookies.clear()
    refused = client.post("/account/sign-in", data={"csrf_token": "guess", "email": "a@example.no", "password": "x"})
    assert refused.status_code == 403


def test_a_bearer_token_call_needs_no_cookie(client: Client) -> None:
    client.cookies.clear()
    response = client.api("POST", "/api/v1/accounts/password-reset", json={"email": "a@example.no"}, token="smk_x")
    assert response.status_code == 401, "refused for the unknown token, not for a missing cookie"


# ---------------------------------------------------------------- over a real connection


@pytest.fixture(scope="module")
def server_address() -> Iterator[tuple[str, int]]:
    """The app served by uvicorn on 127.0.0.1 (these requests are refused before they reach the database)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=5)


def _send_part_of_a_huge_upload(
    address: tuple[str, int], *, declared: int, sent: int, slug: str = "x"
) -> tuple[bytes, int]:
    """Declare `declared` bytes, send `sent` of them while reading the answer; returns the answer and bytes sent."""
    head = (
        f"POST /challenges/{slug}/submissions/1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=grense\r\n"
        f"Content-Length: {declared}\r\nCookie: samskap_csrf={'n' * 43}\r\n\r\n"
    )
    delivered = 0
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(head.encode())
        connection.settimeout(0.05)
        answer = b""
        while delivered < sent and b"\r\n\r\n" not in answer:
            try:
                connection.sendall(b"x" * 65536)
                delivered += 65536
                answer += connection.recv(65536)
            except (TimeoutError, BlockingIOError):
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        connection.settimeout(10)
        while b"\r\n\r\n" not in answer:
            more = connection.recv(65536)
            if not more:
                break
            answer += more
    return answer, delivered


def test_an_anonymous_300_mb_upload_is_refused_before_its_body_is_read(server_address: tuple[str, int]) -> None:
    answer, delivered = _send_part_of_a_huge_upload(server_address, declared=300 * MB, sent=64 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert delivered < 64 * MB, "answered long before the client could send its body"


@pytest.fixture
def challenge_taking_one_megabyte(engine: Engine) -> Iterator[str]:
    """A challenge whose files may be 1 MB, committed for real (the server reads it on its own connection)."""
    with Session(engine, expire_on_commit=False) as session:
        organization = make_organization(session, slug="liten-fil")
        challenge = make_challenge(session, organization, slug="liten-fil", max_file_mb=1)
        session.commit()
    try:
        yield challenge.slug
    finally:
        with Session(engine) as session:
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def test_an_upload_over_the_challenges_own_limit_is_refused_before_its_body_is_read(
    server_address: tuple[str, int], challenge_taking_one_megabyte: str
) -> None:
    # 3 MB is far under the largest file any challenge may allow (25 MB), but over this challenge's 1 MB.
    answer, delivered = _send_part_of_a_huge_upload(
        server_address, declared=3 * MB, sent=3 * MB, slug=challenge_taking_one_megabyte
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
