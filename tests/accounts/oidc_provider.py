"""A small OpenID Connect provider for the tests, served on 127.0.0.1: discovery, an authorize endpoint that
signs the person in at once and sends the browser back with a code, a token endpoint (single-use codes, PKCE
checked) and its keys. Its RSA keys are made here; a test decides who signs in and may spoil the next ID token."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "samskap-test"
CLIENT_SECRET = "test-client-secret"


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@dataclass
class Person:
    """Who signs in at the provider next, and what it says about them."""

    subject: str = "person-1"
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass
class LocalProvider:
    url: str = ""
    now: Callable[[], datetime] = datetime.now
    keys: list[RSAKey] = field(default_factory=lambda: [new_key("key-1")])
    person: Person = field(default_factory=Person)
    # Changes to the next ID token's claims (e.g. {"aud": "someone-else"}), and a way to spoil its text.
    id_token_changes: dict[str, Any] = field(default_factory=dict)
    spoil: Callable[[str], str] | None = None
    # Sign with a key that is not (yet) in the published set.
    unpublished_key: RSAKey | None = None
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    spent_codes: set[str] = field(default_factory=set)
    jwks_fetches: int = 0
    last_authorize: dict[str, str] = field(default_factory=dict)

    def reset(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.keys = [new_key("key-1")]
        self.person = Person()
        self.id_token_changes = {}
        self.spoil = None
        self.unpublished_key = None
        self.codes.clear()
        self.spent_codes.clear()
        self.jwks_fetches = 0
        self.last_authorize = {}

    def rotate_keys(self, kid: str) -> None:
        """Publish a new key and sign with it from now on (the old one is withdrawn)."""
        self.keys = [new_key(kid)]

    # ---------------------------------------------------------------- endpoints

    def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.last_authorize = params
        if params.get("client_id") != CLIENT_ID or params.get("response_type") != "code":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return JSONResponse({"error": "invalid_request", "error_description": "PKCE S256 required"}, 400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": params["redirect_uri"],
            "nonce": params.get("nonce"),
            "code_challenge": params["code_challenge"],
            "person": self.person,
        }
        query = urlencode({"code": code, "state": params.get("state", "")})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        code = str(form.get("code", ""))
        if code in self.spent_codes or code not in self.codes:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        grant = self.codes.pop(code)
        self.spent_codes.add(code)
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["code_challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(
            {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "id_token": self.id_token(grant)}
        )

    def id_token(self, grant: dict[str, Any]) -> str:
        person: Person = grant["person"]
        issued = int(self.now().timestamp())
        claims = {
            "iss": self.url,
            "sub": person.subject,
            "aud": CLIENT_ID,
            "iat": issued,
            "exp": issued + 300,
            "nonce": grant["nonce"],
            **person.claims,
            **self.id_token_changes,
        }
        key = self.unpublished_key or self.keys[-1]
        token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        return self.spoil(token) if self.spoil else token

    def jwks(self, request: Request) -> Response:
        self.jwks_fetches += 1
        return JSONResponse(KeySet(list(self.keys)).as_dict(private=False))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
            ]
        )


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the main thread belongs to pytest
        pass


def serve() -> Iterator[LocalProvider]:
    """The provider on a free port of 127.0.0.1 until the generator is closed."""
    provider = LocalProvider()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    provider.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = _Server(uvicorn.Config(provider.app(), log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="oidc-provider", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test OpenID provider did not start")
        time.sleep(0.01)
    yield provider
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()
