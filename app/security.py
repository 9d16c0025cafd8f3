"""Password hashing, random tokens, signed links and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from starlette.requests import HTTPConnection

from app.config import get_settings

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
SESSION_COOKIE = "samskap_session"
CSRF_COOKIE = "samskap_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LANGUAGE_COOKIE = "samskap_lang"
# Methods that change nothing: they carry no CSRF token and no body worth guarding.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_password_hash = PasswordHash((Argon2Hasher(),))
# Verifying against this keeps sign-in time the same whether or not the email exists.
_DUMMY_HASH = _password_hash.hash("samskap-timing-equaliser")


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; spends the same time when there is no hash."""
    if not password_hash:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


def password_needs_rehash(password_hash: str) -> bool:
    return _password_hash.current_hasher.check_needs_rehash(password_hash)


def new_token(prefix: str = "") -> str:
    """A random, URL-safe token of 256 bits."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=salt)


def sign(payload: dict[str, Any], *, purpose: str) -> str:
    """A signed, timestamped token for a link (e.g. email verification)."""
    return _serializer(purpose).dumps(payload)


class LinkInvalid(Exception):
    """The link's signature is wrong."""


class LinkExpired(LinkInvalid):
    """The link was genuine but is too old."""


def unsign(token: str, *, purpose: str, max_age_seconds: int) -> dict[str, Any]:
    """The payload of a token made by `sign`; raises LinkExpired or LinkInvalid."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as error:
        raise LinkExpired(str(error)) from error
    except BadSignature as error:
        raise LinkInvalid(str(error)) from error
    if not isinstance(payload, dict):
        raise LinkInvalid("unexpected payload")
    return payload


def bearer_token(request: HTTPConnection) -> str | None:
    """The token of an `Authorization: Bearer …` header, if the request has one."""
    header = request.headers.get("authorization", "")
    scheme, _sep, credentials = header.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def csrf_token_for(binding: str) -> str:
    """The CSRF token for a browser: a MAC of its session token (or, signed out, its CSRF cookie).

    Bound to the session, a token changes at sign-in and sign-out, and a cookie and token planted in a victim's
    browser do not match the victim's session.
    """
    mac = hmac.new(get_settings().secret_key.encode(), b"csrf\0" + binding.encode(), hashlib.sha256)
    return mac.hexdigest()


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))
