"""OpenID Connect, the protocol half: discovery, the authorization request (PKCE, state, nonce), the code exchange
and the ID token's checks. Which account a checked identity signs in is the service's rule (service.py)."""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from app.config import OidcProvider, get_settings
from app.errors import AppError
from app.i18n import gettext as _
from app.security import LinkInvalid, sign, unsign

if TYPE_CHECKING:
    from joserfc.jwk import KeySet

# Authlib and joserfc (about 18 MiB with cryptography) are imported where a sign-in uses them, so that the workers
# of an installation without providers do not carry them.

FLOW_COOKIE = "samskap_oidc"
FLOW_PURPOSE = "oidc-flow"
# The time a person has at the provider between leaving and coming back.
FLOW_SECONDS = 600
# An ID token older than this (beyond the clock skew) is not from the sign-in that just happened.
MAX_ID_TOKEN_AGE_SECONDS = FLOW_SECONDS
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
MAX_RESPONSE_BYTES = 512 * 1024


class SingleSignOnFailed(AppError):
    """The sign-in at a provider could not be completed or its answer could not be trusted."""

    status, type, title = 400, "single-sign-on-failed", "Sign-in with the provider failed"

    def __init__(self, detail: str, *, reason: str) -> None:
        super().__init__(detail)
        # What went wrong, for the log (never shown: it could help someone probing the checks).
        self.reason = reason


@dataclass(frozen=True)
class Flow:
    """What the browser carries (signed) between leaving for the provider and coming back."""

    provider_id: str
    state: str
    nonce: str
    code_verifier: str
    next: str


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


_lock = threading.Lock()
_metadata: dict[str, Metadata] = {}
_keys: dict[str, KeySet] = {}


def forget_providers() -> None:
    """Drop the cached discovery documents and keys (the next sign-in fetches them again)."""
    with _lock:
        _metadata.clear()
        _keys.clear()


def _failed(reason: str) -> SingleSignOnFailed:
    # The reason is for the logs and the tests; people see one calm sentence.
    return SingleSignOnFailed(_("We could not sign you in with that service. Please try again."), reason=reason)


def _get_json(url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=get_settings().oidc_timeout_seconds, **kwargs)
    except httpx.HTTPError as error:
        raise _failed(f"could not reach {url}: {error}") from None
    return _json_of(response, url)


def _json_of(response: httpx.Response, url: str) -> dict[str, Any]:
    if len(response.content) > MAX_RESPONSE_BYTES:
        raise _failed(f"{url} answered with too much")
    try:
        body = response.json()
    except ValueError:
        raise _failed(f"{url} answered {response.status_code} without JSON") from None
    if not isinstance(body, dict):
        raise _failed(f"{url} answered {response.status_code} with no JSON object")
    if response.status_code != httpx.codes.OK:
        raise _failed(f"{url} answered {response.status_code}: {body.get('error', '')}")
    return body


def metadata_of(provider: OidcProvider) -> Metadata:
    """The provider's discovery document (fetched once per process), checked to name the configured issuer."""
    with _lock:
        known = _metadata.get(provider.issuer)
    if known is not None:
        return known
    document = _get_json(f"{provider.issuer}/.well-known/openid-configuration")
    fields = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(isinstance(document.get(name), str) for name in fields):
        raise _failed("the discovery document lacks an endpoint")
    if document["issuer"].rstrip("/") != provider.issuer:
        raise _failed("the discovery document names another issuer")
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(name for name in SIGNING_ALGORITHMS if name in offered)
    if not algorithms:
        raise _failed("the provider signs with no algorithm we accept")
    found = Metadata(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        algorithms=algorithms,
    )
    with _lock:
        _metadata[provider.issuer] = found
    return found


def _key_set(metadata: Metadata, *, refresh: bool) -> KeySet:
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    with _lock:
        known = None if refresh else _keys.get(metadata.jwks_uri)
    if known is not None:
        return known
    try:
        keys = KeySet.import_key_set(_get_json(metadata.jwks_uri))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise _failed(f"the provider's keys could not be read: {error}") from None
    with _lock:
        _keys[metadata.jwks_uri] = keys
    return keys


def callback_url(provider: OidcProvider) -> str:
    """The address the provider sends the browser back to (registered with the provider)."""
    return f"{get_settings().base_url}/account/sign-in/{provider.id}/callback"


def begin(provider: OidcProvider, *, next: str, language: str) -> tuple[str, Flow]:
    """The provider's authorization address for a new sign-in, and the flow the browser keeps until it is back."""
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    metadata = metadata_of(provider)
    flow = Flow(
        provider_id=provider.id,
        state=generate_token(43),
        nonce=generate_token(43),
        code_verifier=generate_token(64),
        next=next,
    )
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": callback_url(provider),
        "scope": " ".join(provider.scopes),
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": create_s256_code_challenge(flow.code_verifier),
        "code_challenge_method": "S256",
        "ui_locales": language,
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    separator = "&" if "?" in metadata.authorization_endpoint else "?"
    return f"{metadata.authorization_endpoint}{separator}{urlencode(params)}", flow


def seal_flow(flow: Flow) -> str:
    """The flow as a signed cookie value."""
    payload = {"p": flow.provider_id, "s": flow.state, "n": flow.nonce, "v": flow.code_verifier, "x": flow.next}
    return sign(payload, purpose=FLOW_PURPOSE)


def open_flow(sealed: str | None, *, provider: OidcProvider, state: str) -> Flow:
    """The flow this browser started with `provider`, when `state` is the one it was given; refuses otherwise."""
    if not sealed:
        raise _failed("no sign-in was started in this browser (or it was finished already)")
    try:
        payload = unsign(sealed, purpose=FLOW_PURPOSE, max_age_seconds=FLOW_SECONDS)
    except LinkInvalid:
        raise _failed("the sign-in cookie is forged or too old") from None
    values = [payload.get(key) for key in ("p", "s", "n", "v", "x")]
    if not all(isinstance(value, str) for value in values):
        raise _failed("the sign-in cookie is malformed")
    flow = Flow(*values)  # type: ignore[arg-type]
    if flow.provider_id != provider.id or not hmac.compare_digest(flow.state.encode(), state.encode()):
        raise _failed("the state does not match the one this browser was given")
    return flow


def finish(provider: OidcProvider, *, flow: Flow, code: str, now: datetime) -> dict[str, Any]:
    """Exchange the code for tokens and return the ID token's claims, after checking everything about it."""
    if not code:
        raise _failed("the provider sent no code")
    metadata = metadata_of(provider)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": callback_url(provider),
        "code_verifier": flow.code_verifier,
        "client_id": provider.client_id,
    }
    auth = (provider.client_id, provider.client_secret) if provider.client_secret else None
    try:
        response = httpx.post(
            metadata.token_endpoint, data=data, auth=auth, timeout=get_settings().oidc_timeout_seconds
        )
    except httpx.HTTPError as error:
        raise _failed(f"could not reach the token endpoint: {error}") from None
    tokens = _json_of(response, metadata.token_endpoint)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise _failed("the token response has no ID token")
    return check_id_token(provider, metadata=metadata, id_token=id_token, nonce=flow.nonce, now=now)


def _decode(id_token: str, metadata: Metadata) -> dict[str, Any]:
    from joserfc import jwt
    from joserfc.errors import InvalidKeyIdError, JoseError, MissingKeyError

    try:
        try:
            token = jwt.decode(id_token, _key_set(metadata, refresh=False), algorithms=list(metadata.algorithms))
        except (InvalidKeyIdError, MissingKeyError):
            # A key we have not seen: the provider may have rotated its keys; fetch them once more.
            token = jwt.decode(id_token, _key_set(metadata, refresh=True), algorithms=list(metadata.algorithms))
    except JoseError as error:
        raise _failed(f"the ID token's signature does not verify: {error.error}") from None
    except ValueError as error:
        raise _failed(f"the ID token is malformed: {error}") from None
    return dict(token.claims)


def check_id_token(
    provider: OidcProvider, *, metadata: Metadata, id_token: str, nonce: str, now: datetime
) -> dict[str, Any]:
    """The ID token's claims, when it is signed by the provider's keys and meant for this sign-in, now."""
    claims = _decode(id_token, metadata)
    skew = get_settings().oidc_clock_skew_seconds
    at = now.timestamp()
    if claims.get("iss") != metadata.issuer:
        raise _failed("the ID token is from another issuer")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if provider.client_id not in audiences:
        raise _failed("the ID token is meant for another client")
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise _failed("the ID token's authorised party is another client")
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, int | float) or not isinstance(issued, int | float):
        raise _failed("the ID token lacks exp or iat")
    if expires + skew <= at:
        raise _failed("the ID token has expired")
    if issued - skew > at:
        raise _failed("the ID token is issued in the future")
    if issued + skew + MAX_ID_TOKEN_AGE_SECONDS < at:
        raise _failed("the ID token is too old for this sign-in")
    given = claims.get("nonce")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), nonce.encode()):
        raise _failed("the ID token's nonce is not this sign-in's")
    subject = claims.get(provider.subject_claim)
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise _failed("the ID token has no usable subject")
    return claims
