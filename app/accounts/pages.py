"""Account pages: sign-up, sign-in, verification, password reset, profile, sessions, tokens, data and deletion."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import i18n
from app.accounts import oidc, permissions, service
from app.accounts.models import User
from app.accounts.schemas import SessionRead, TokenRead
from app.actor import Actor
from app.auth.deps import ActorDep, ClientIpDep, SignedInDep
from app.challenges.follows import service as follows
from app.clock import ClockDep
from app.config import OidcProvider, get_settings
from app.db import RowId, SessionDep
from app.errors import AppError, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.kit.forms import form_errors
from app.kit.responses import delete_cookie, json_download, set_cookie
from app.kit.urls import safe_next
from app.security import CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE
from app.templating import redirect, render

router = APIRouter(prefix="/account")
logger = logging.getLogger("samskap.accounts")

FormText = Annotated[str, Form()]
ACCOUNT_HOME = "/account"
SIGN_IN = "/account/sign-in"


def _user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")


def _form_page(
    request: Request, template: str, error: AppError, values: dict[str, Any], **context: Any
) -> HTMLResponse:
    """The form again, with a summary and a message by each field, and what was typed (never passwords)."""
    context = {"errors": form_errors(error), "values": values, **context}
    return render(request, template, context, status_code=error.status)


def _set_session_cookies(response: Response, *, raw_token: str, user: User) -> None:
    set_cookie(response, SESSION_COOKIE, raw_token, max_age=get_settings().session_days * 24 * 3600)
    set_cookie(response, LANGUAGE_COOKIE, user.language, max_age=service.LANGUAGE_COOKIE_AGE)


def _end_browser_session(response: Response) -> None:
    # A new CSRF cookie comes with the next page, so no token from the signed-in session is accepted again.
    delete_cookie(response, SESSION_COOKIE)
    delete_cookie(response, CSRF_COOKIE)


def _language_options() -> list[tuple[str, str]]:
    return list(i18n.LANGUAGES.items())


# ---------------------------------------------------------------- sign-up and sign-in


@router.get("/sign-up", response_class=HTMLResponse)
def sign_up_form(request: Request, actor: ActorDep) -> Response:
    if actor.is_authenticated:
        return redirect(ACCOUNT_HOME)
    values = {"language": i18n.current_language()}
    return render(request, "accounts/sign_up.html", {"values": values, "languages": _language_options()})


@router.post("/sign-up", response_class=HTMLResponse)
def sign_up(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    client_ip: ClientIpDep,
    actor: ActorDep,
    email: FormText = "",
    display_name: FormText = "",
    password: FormText = "",
    language: FormText = "",
) -> Response:
    values = {"email": email, "display_name": display_name, "language": language}
    try:
        service.sign_up(
            session, email=email, password=password, display_name=display_name, language=language,
            now=clock.now(), client_ip=client_ip,
        )  # fmt: skip
    except ValidationFailed as error:
        return _form_page(request, "accounts/sign_up.html", error, values, languages=_language_options())
    # The same page whether the account is new or the address had one (its owner is emailed): no one learns which.
    return render(request, "accounts/sign_up_sent.html", {"email": email.strip()})


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, actor: ActorDep, next: str = "") -> Response:
    if actor.is_authenticated:
        return redirect(safe_next(next, ACCOUNT_HOME))
    return render(request, "accounts/sign_in.html", {"next": safe_next(next, ""), **_providers_context()})


def _providers_context() -> dict[str, Any]:
    language = i18n.current_language()
    providers = [(provider.id, provider.label_in(language)) for provider in get_settings().oidc_providers]
    return {"providers": providers}


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    client_ip: ClientIpDep,
    email: FormText = "",
    password: FormText = "",
    next: FormText = "",
) -> Response:
    try:
        user, raw = service.sign_in(
            session, email=email, password=password, now=clock.now(),
            previous_token=request.cookies.get(SESSION_COOKIE), user_agent=_user_agent(request),
            client_ip=client_ip,
        )  # fmt: skip
    except service.SignInFailed as error:
        failed = ValidationFailed(error.detail, errors={"email": error.detail})
        return _form_page(
            request, "accounts/sign_in.html", failed, {"email": email}, next=safe_next(next, ""), **_providers_context()
        )
    return _signed_in(user, raw_token=raw, next=next)


def _signed_in(user: User, *, raw_token: str, next: str) -> Response:
    """Off to where the person was going, signed in, told so in their own language."""
    with i18n.language(user.language):
        response = redirect(safe_next(next, ACCOUNT_HOME), message=_("You are signed in."))
    _set_session_cookies(response, raw_token=raw_token, user=user)
    return response


def _provider(provider_id: str) -> OidcProvider:
    provider = get_settings().oidc_provider(provider_id)
    if provider is None:
        raise NotFound(_("There is no such sign-in service here."))
    return provider


def _single_sign_on_refused(request: Request, error: AppError) -> HTMLResponse:
    response = render(request, "accounts/sign_in_refused.html", {"message": error.detail}, status_code=error.status)
    delete_cookie(response, oidc.FLOW_COOKIE)
    return response


@router.get("/sign-in/{provider_id}", response_class=HTMLResponse)
def sign_in_with_provider(request: Request, provider_id: str, next: str = "") -> Response:
    provider = _provider(provider_id)
    try:
        address, flow = oidc.begin(provider, next=safe_next(next, ""), language=i18n.current_language())
    except oidc.SingleSignOnFailed as error:
        logger.warning("sign-in with %s could not start: %s", provider.id, error.reason)
        return _single_sign_on_refused(request, error)
    response = RedirectResponse(address, status_code=303)
    # Bound to this browser: only the browser that left for the provider can come back with the answer.
    set_cookie(response, oidc.FLOW_COOKIE, oidc.seal_flow(flow), max_age=oidc.FLOW_SECONDS)
    return response


@router.get("/sign-in/{provider_id}/callback", response_class=HTMLResponse)
def sign_in_with_provider_callback(
    request: Request,
    provider_id: str,
    session: SessionDep,
    clock: ClockDep,
    code: str = "",
    state: str = "",
    error: str = "",
) -> Response:
    provider = _provider(provider_id)
    try:
        flow = oidc.open_flow(request.cookies.get(oidc.FLOW_COOKIE), provider=provider, state=state)
        if error:
            raise oidc.SingleSignOnFailed(_("The sign-in was cancelled or refused."), reason=f"provider said {error}")
        claims = oidc.finish(provider, flow=flow, code=code, now=clock.now())
        user, raw = service.sign_in_with_identity(
            session,
            provider=provider,
            claims=claims,
            now=clock.now(),
            language=i18n.current_language(),
            previous_token=request.cookies.get(SESSION_COOKIE),
            user_agent=_user_agent(request),
        )
    except oidc.SingleSignOnFailed as refused:
        logger.warning("sign-in with %s refused: %s", provider.id, refused.reason)
        return _single_sign_on_refused(request, refused)
    except service.SignInFailed as refused:
        return _single_sign_on_refused(request, refused)
    response = _signed_in(user, raw_token=raw, next=flow.next)
    delete_cookie(response, oidc.FLOW_COOKIE)
    return response


@router.post("/sign-out")
def sign_out(request: Request, session: SessionDep) -> Response:
    service.sign_out(session, raw_token=request.cookies.get(SESSION_COOKIE))
    response = redirect("/", message=_("You are signed out."))
    _end_browser_session(response)
    return response


# ---------------------------------------------------------------- email verification


@router.post("/verify/resend")
def resend_verification(session: SessionDep, actor: SignedInDep, clock: ClockDep, client_ip: ClientIpDep) -> Response:
    try:
        address = service.resend_verification(session, actor=actor, now=clock.now(), client_ip=client_ip)
    except ValidationFailed as error:
        return redirect(ACCOUNT_HOME, message=error.detail, kind="info")
    return redirect(ACCOUNT_HOME, message=_("We have sent a new confirmation link to %(email)s.") % {"email": address})


@router.get("/verify/{token}", response_class=HTMLResponse)
def verify_email_form(request: Request, token: str, actor: ActorDep) -> Response:
    # Confirming takes a button press, so mail scanners that open links do not confirm on the user's behalf.
    return render(request, "accounts/verify.html", {"token": token})


@router.post("/verify/{token}", response_class=HTMLResponse)
def verify_email(request: Request, token: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    try:
        service.verify_email(session, token=token, now=clock.now())
    except service.LinkRefused as error:
        return render(request, "accounts/link_refused.html", {"message": error.detail}, status_code=error.status)
    target = ACCOUNT_HOME if actor.is_authenticated else SIGN_IN
    return redirect(target, message=_("Thank you! Your email address is confirmed."))


# ---------------------------------------------------------------- password reset


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_password_form(request: Request, actor: ActorDep) -> Response:
    return render(request, "accounts/forgot_password.html")


@router.post("/forgot-password", response_class=HTMLResponse)
def forgot_password(
    request: Request, session: SessionDep, clock: ClockDep, client_ip: ClientIpDep, email: FormText = ""
) -> Response:
    try:
        service.check_reset_address(email)
    except ValidationFailed as error:
        return _form_page(request, "accounts/forgot_password.html", error, {"email": email})
    service.request_password_reset(session, email=email, now=clock.now(), client_ip=client_ip)
    return render(request, "accounts/forgot_password_sent.html")


@router.get("/reset-password/{token}", response_class=HTMLResponse)
def reset_password_form(request: Request, token: str, session: SessionDep, clock: ClockDep) -> Response:
    try:
        service.check_reset_token(session, token=token, now=clock.now())
    except service.LinkRefused as error:
        return render(request, "accounts/link_refused.html", {"message": error.detail}, status_code=error.status)
    return render(request, "accounts/reset_password.html", {"token": token})


@router.post("/reset-password/{token}", response_class=HTMLResponse)
def reset_password(
    request: Request, token: str, session: SessionDep, clock: ClockDep, password: FormText = ""
) -> Response:
    try:
        service.reset_password(session, token=token, password=password, now=clock.now())
    except service.LinkRefused as error:
        return render(request, "accounts/link_refused.html", {"message": error.detail}, status_code=error.status)
    except ValidationFailed as error:
        return _form_page(request, "accounts/reset_password.html", error, {}, token=token)
    response = redirect(SIGN_IN, message=_("Your password has been changed. Please sign in with the new password."))
    _end_browser_session(response)
    return response


# ---------------------------------------------------------------- the account page and profile


def _overview(request: Request, actor: Actor, session: SessionDep, clock: ClockDep, **context: Any) -> dict[str, Any]:
    assert actor.user is not None  # noqa: S101  (signed-in pages only)
    return {
        "user": actor.user,
        "follows": follows.follows_of(session, actor=actor, now=clock.now()),
        "needs_verification": permissions.needs_email_verification(actor),
        "languages": _language_options(),
        **context,
    }


@router.get("", response_class=HTMLResponse)
def account(request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    user = permissions.user_of(actor)
    assert user is not None  # noqa: S101  (SignedInDep guarantees it)
    values = {"display_name": user.display_name, "language": user.language}
    return render(request, "accounts/overview.html", _overview(request, actor, session, clock, values=values))


@router.post("/profile", response_class=HTMLResponse)
def update_profile(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    display_name: FormText = "",
    language: FormText = "",
) -> Response:
    try:
        user = service.update_profile(session, actor=actor, display_name=display_name, language=language or None)
    except ValidationFailed as error:
        values = {"display_name": display_name, "language": language}
        return _form_page(request, "accounts/overview.html", error, values, **_overview(request, actor, session, clock))
    with i18n.language(user.language):
        response = redirect(ACCOUNT_HOME, message=_("Your profile is saved."))
    set_cookie(response, LANGUAGE_COOKIE, user.language, max_age=service.LANGUAGE_COOKIE_AGE)
    return response


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request, actor: SignedInDep) -> Response:
    return render(request, "accounts/password.html")


@router.post("/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    current_password: FormText = "",
    new_password: FormText = "",
) -> Response:
    try:
        service.change_password(
            session, actor=actor, current_password=current_password, new_password=new_password, now=clock.now()
        )
    except ValidationFailed as error:
        return _form_page(request, "accounts/password.html", error, {})
    return redirect(
        ACCOUNT_HOME,
        message=_("Your password is changed. Your other devices are signed out and your access tokens revoked."),
    )


@router.get("/email", response_class=HTMLResponse)
def email_form(request: Request, actor: SignedInDep) -> Response:
    return render(request, "accounts/email.html", {"user": actor.user})


@router.post("/email", response_class=HTMLResponse)
def change_email(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    email: FormText = "",
    password: FormText = "",
) -> Response:
    try:
        user = service.change_email(session, actor=actor, email=email, password=password, now=clock.now())
    except ValidationFailed as error:
        return _form_page(request, "accounts/email.html", error, {"email": email}, user=actor.user)
    message = _("We have sent a confirmation link to %(email)s. Your address changes when you follow it.") % {
        "email": user.pending_email
    }
    return redirect(ACCOUNT_HOME, message=message)


@router.post("/email/cancel")
def cancel_email_change(session: SessionDep, actor: SignedInDep) -> Response:
    service.cancel_email_change(session, actor=actor)
    return redirect(ACCOUNT_HOME, message=_("The change of email address is cancelled."))


# ---------------------------------------------------------------- sessions


@router.get("/sessions", response_class=HTMLResponse)
def sessions_page(request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    rows = service.list_sessions(session, actor=actor, now=clock.now())
    listed = [SessionRead.from_model(row, current_id=actor.session_id) for row in rows]
    return render(request, "accounts/sessions.html", {"sessions": listed})


@router.post("/sessions/sign-out-everywhere")
def sign_out_everywhere(session: SessionDep, actor: SignedInDep) -> Response:
    service.sign_out_everywhere(session, actor=actor)
    response = redirect(SIGN_IN, message=_("You are signed out on all devices."))
    _end_browser_session(response)
    return response


@router.post("/sessions/{session_id}/end")
def end_session(session_id: RowId, session: SessionDep, actor: SignedInDep) -> Response:
    service.end_session_by_id(session, actor=actor, session_id=session_id)
    if session_id == actor.session_id:
        response = redirect(SIGN_IN, message=_("You are signed out."))
        _end_browser_session(response)
        return response
    return redirect("/account/sessions", message=_("That device is signed out."))


# ---------------------------------------------------------------- personal access tokens


def _tokens_context(session: SessionDep, actor: Actor) -> dict[str, Any]:
    return {"tokens": [TokenRead.from_model(token) for token in service.list_tokens(session, actor=actor)]}


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, session: SessionDep, actor: SignedInDep) -> Response:
    return render(request, "accounts/tokens.html", _tokens_context(session, actor))


@router.post("/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, name: FormText = ""
) -> Response:
    try:
        token, raw = service.create_token(session, actor=actor, name=name, now=clock.now())
    except ValidationFailed as error:
        return _form_page(request, "accounts/tokens.html", error, {"name": name}, **_tokens_context(session, actor))
    # The new token is shown on this response only, never put in a cookie or a redirect.
    response = render(
        request, "accounts/tokens.html",
        {"new_token": raw, "new_token_name": token.name, **_tokens_context(session, actor)},
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    token = service.revoke_token(session, actor=actor, token_id=token_id, now=clock.now())
    return redirect("/account/tokens", message=_("The token “%(name)s” is revoked.") % {"name": token.name})


# ---------------------------------------------------------------- your data


@router.get("/export")
def export_data(session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    data = service.export_data(session, actor=actor, now=clock.now())
    return json_download(data, filename=service.export_filename(actor))


@router.get("/delete", response_class=HTMLResponse)
def delete_form(request: Request, actor: SignedInDep) -> Response:
    return render(request, "accounts/delete.html")


@router.post("/delete", response_class=HTMLResponse)
def delete_account(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, password: FormText = ""
) -> Response:
    try:
        service.delete_account(session, actor=actor, password=password, now=clock.now())
    except ValidationFailed as error:
        return _form_page(request, "accounts/delete.html", error, {})
    response = redirect("/", message=_("Your account is deleted. Thank you for taking part."))
    _end_browser_session(response)
    return response
