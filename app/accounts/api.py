"""The accounts API: sign-up, verification, password reset, your profile, sessions, tokens and data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse, Response

from app.accounts import permissions, service
from app.accounts.schemas import (
    Accepted,
    AccountCreate,
    AccountDelete,
    EmailChange,
    EmailVerification,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    SessionRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserRead,
    UserUpdate,
)
from app.auth.deps import ClientIpDep, SignedInDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import PROBLEM_JSON
from app.i18n import gettext as _
from app.kit.responses import json_download

router = APIRouter(tags=["accounts"])


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": {"type": "object"}}}}


Responses = dict[int | str, dict[str, Any]]
INVALID: Responses = {422: _problem("Invalid input; `errors` lists each field with a message.")}
SIGNED_IN: Responses = {401: _problem("Sign-in required: no valid session or bearer token.")}
LIMITED: Responses = {429: _problem("Too many attempts; see the `Retry-After` header.")}
LINK: Responses = {400: _problem("The link's token is invalid, used or expired.")}
MISSING: Responses = {404: _problem("No such object among your own.")}


@router.post(
    "/accounts", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted, summary="Create an account",
    description=(
        "Creates an unverified account and emails a confirmation link in the chosen language. If the address "
        "already has an account, none is made and its owner is emailed instead; the answer is the same 202 either "
        "way, so it does not tell whether an address has an account."
    ),
    responses={**INVALID, **LIMITED},
)  # fmt: skip
def create_account(body: AccountCreate, client_ip: ClientIpDep, session: SessionDep, clock: ClockDep) -> Accepted:
    service.sign_up(
        session, email=body.email, password=body.password, display_name=body.display_name,
        language=body.language, now=clock.now(), client_ip=client_ip,
    )  # fmt: skip
    return Accepted(detail=_("We have sent an email to the address. Follow the link in it to confirm the address."))


@router.post(
    "/accounts/verify", response_model=UserRead, summary="Confirm an email address",
    description="Confirms the address a verification link was sent to (the token is the link's last part).",
    responses={**LINK, **INVALID},
)  # fmt: skip
def verify_email(body: EmailVerification, session: SessionDep, clock: ClockDep) -> UserRead:
    return UserRead.from_model(service.verify_email(session, token=body.token, now=clock.now()))


@router.post(
    "/accounts/password-reset", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted,
    summary="Ask for a password reset link",
    description="Always answers 202, whether or not an account uses the address.",
    responses={**INVALID, **LIMITED},
)  # fmt: skip
def request_password_reset(
    body: PasswordResetRequest, client_ip: ClientIpDep, session: SessionDep, clock: ClockDep
) -> Accepted:
    service.request_password_reset(session, email=body.email, now=clock.now(), client_ip=client_ip)
    return Accepted(detail=_("If an account uses this address, we have sent it a link to choose a new password."))


@router.post(
    "/accounts/password-reset/confirm", response_model=Accepted, summary="Set a new password with a reset token",
    description="Spends the token and signs the account out everywhere.",
    responses={**LINK, **INVALID},
)  # fmt: skip
def confirm_password_reset(body: PasswordResetConfirm, session: SessionDep, clock: ClockDep) -> Accepted:
    service.reset_password(session, token=body.token, password=body.password, now=clock.now())
    return Accepted(detail=_("Your password has been changed. Please sign in again."))


@router.get("/me", response_model=UserRead, summary="Your account", responses=SIGNED_IN)
def read_me(actor: SignedInDep) -> UserRead:
    user = permissions.user_of(actor)
    assert user is not None  # noqa: S101  (SignedInDep guarantees it)
    return UserRead.from_model(user)


@router.patch(
    "/me", response_model=UserRead, summary="Change your display name, language or email frequency",
    responses={**SIGNED_IN, **INVALID},
)  # fmt: skip
def update_me(body: UserUpdate, session: SessionDep, actor: SignedInDep) -> UserRead:
    user = service.update_profile(
        session, actor=actor, display_name=body.display_name, language=body.language,
        email_frequency=body.email_frequency,
    )  # fmt: skip
    return UserRead.from_model(user)


@router.post(
    "/me/password", status_code=status.HTTP_204_NO_CONTENT, summary="Change your password",
    description="Needs the current password; every other session of the account ends.",
    responses={**SIGNED_IN, **INVALID},
)  # fmt: skip
def change_password(body: PasswordChange, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    service.change_password(
        session, actor=actor, current_password=body.current_password, new_password=body.new_password, now=clock.now()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/me/email", status_code=status.HTTP_202_ACCEPTED, response_model=UserRead, summary="Change your email address",
    description="Needs the password. The address changes when the link sent to the new address is followed.",
    responses={**SIGNED_IN, **INVALID},
)  # fmt: skip
def change_email(body: EmailChange, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> UserRead:
    user = service.change_email(session, actor=actor, email=body.email, password=body.password, now=clock.now())
    return UserRead.from_model(user)


@router.post(
    "/me/verification", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted,
    summary="Send the confirmation link again", responses={**SIGNED_IN, **INVALID, **LIMITED},
)  # fmt: skip
def resend_verification(client_ip: ClientIpDep, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Accepted:
    address = service.resend_verification(session, actor=actor, now=clock.now(), client_ip=client_ip)
    return Accepted(detail=_("We have sent a new confirmation link to %(email)s.") % {"email": address})


@router.get("/me/sessions", response_model=list[SessionRead], summary="Your active sessions", responses=SIGNED_IN)
def list_sessions(session: SessionDep, actor: SignedInDep, clock: ClockDep) -> list[SessionRead]:
    rows = service.list_sessions(session, actor=actor, now=clock.now())
    return [SessionRead.from_model(row, current_id=actor.session_id) for row in rows]


@router.delete(
    "/me/sessions", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out on all devices",
    description="Ends every session of the account, the calling one included. Tokens stay valid.",
    responses=SIGNED_IN,
)  # fmt: skip
def sign_out_everywhere(session: SessionDep, actor: SignedInDep) -> Response:
    service.sign_out_everywhere(session, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/me/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out one device",
    responses={**SIGNED_IN, **MISSING},
)  # fmt: skip
def end_session(session_id: RowId, session: SessionDep, actor: SignedInDep) -> Response:
    service.end_session_by_id(session, actor=actor, session_id=session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/tokens", response_model=list[TokenRead], summary="Your personal access tokens", responses=SIGNED_IN)
def list_tokens(session: SessionDep, actor: SignedInDep) -> list[TokenRead]:
    return [TokenRead.from_model(token) for token in service.list_tokens(session, actor=actor)]


@router.post(
    "/me/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenCreated,
    summary="Create a personal access token",
    description="The token is in this response only; the platform keeps its hash. Needs a browser session.",
    responses={**SIGNED_IN, 403: _problem("Tokens cannot create tokens."), **INVALID},
)  # fmt: skip
def create_token(body: TokenCreate, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> JSONResponse:
    token, raw = service.create_token(session, actor=actor, name=body.name, now=clock.now())
    created = TokenCreated(**TokenRead.from_model(token).model_dump(), token=raw)
    return JSONResponse(
        created.model_dump(mode="json"), status_code=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"}
    )


@router.delete(
    "/me/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke a personal access token",
    responses={**SIGNED_IN, **MISSING},
)  # fmt: skip
def revoke_token(token_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    service.revoke_token(session, actor=actor, token_id=token_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/me/export", summary="Download your data",
    description="Everything the platform keeps about you, as one JSON document (GDPR art. 15 and 20).",
    response_model=dict[str, Any], responses=SIGNED_IN,
)  # fmt: skip
def export_data(session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    data = service.export_data(session, actor=actor, now=clock.now())
    return json_download(data, filename=service.export_filename(actor))


@router.post(
    "/me/delete", status_code=status.HTTP_204_NO_CONTENT, summary="Delete your account",
    description="Needs the password. Anonymises the account; contributions stay without your name.",
    responses={**SIGNED_IN, **INVALID},
)  # fmt: skip
def delete_account(body: AccountDelete, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    service.delete_account(session, actor=actor, password=body.password, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
