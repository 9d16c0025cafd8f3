"""Accounts: sign-up, verification, sign-in, password reset, profile, tokens, data export and deletion."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select, update

from app import i18n, ratelimit
from app.accounts import gdpr, permissions, sessions
from app.accounts.models import (
    EmailFrequency,
    ExternalIdentity,
    OneTimeToken,
    PersonalAccessToken,
    TokenPurpose,
    User,
    UserSession,
)
from app.actor import Actor
from app.audit import service as audit
from app.config import OidcProvider, get_settings
from app.errors import AppError, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import urls
from app.security import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    LinkExpired,
    LinkInvalid,
    hash_password,
    new_token,
    password_needs_rehash,
    sign,
    token_hash,
    unsign,
    verify_password,
)

VERIFY_EMAIL_PURPOSE = "verify-email"
MAX_DISPLAY_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
MAX_TOKEN_NAME_LENGTH = 80
MAX_ACTIVE_TOKENS = 50
DELETED_DISPLAY_NAME = "Deleted user"
# The chosen language is remembered for a year, signed in or not.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


class LinkRefused(AppError):
    """A verification or reset link that is unknown, used, expired or meant for an old address."""

    status, type, title = 400, "invalid-link", "Invalid or expired link"


class SignInFailed(AppError):
    """Wrong email or password (the same answer whichever was wrong)."""

    status, type, title = 401, "sign-in-failed", "Sign-in failed"


# ---------------------------------------------------------------- validation


def normalise_email(raw: str) -> str:
    """The address in the form we store (lower case); raises ValueError with a message people can act on."""
    candidate = raw.strip()
    if not candidate:
        raise ValueError(_("Enter your email address."))
    if len(candidate) > MAX_EMAIL_LENGTH:
        raise ValueError(_("The email address is too long."))
    try:
        checked = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(_("Enter a valid email address, like name@example.no.")) from error
    return checked.normalized.lower()


def throttle_key(email: str) -> str:
    """The address as throttles count it, so that every spelling that reaches one account counts as one.

    NFKC folds full-width letters, the email validator maps the domain by IDNA (`example。org` is `example.org`)
    and case-folding ignores case; input that is no address at all is counted as typed, folded the same way.
    """
    folded = unicodedata.normalize("NFKC", email.strip())
    try:
        folded = normalise_email(folded)
    except ValueError:
        pass
    return unicodedata.normalize("NFKC", folded).casefold()


def _password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(count)s characters.") % {"count": MIN_PASSWORD_LENGTH}
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password can have at most %(count)s characters.") % {"count": MAX_PASSWORD_LENGTH}
    return None


def _display_name_problem(display_name: str) -> str | None:
    if not display_name:
        return _("Enter the name others will see.")
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        return _("The name can have at most %(count)s characters.") % {"count": MAX_DISPLAY_NAME_LENGTH}
    return None


def _check_email(errors: dict[str, str], field: str, raw: str) -> str:
    try:
        return normalise_email(raw)
    except ValueError as error:
        errors[field] = str(error)
        return ""


def _email_taken(session: Session, email: str, *, except_user_id: int | None = None) -> bool:
    statement = select(func.count()).select_from(User).where(User.email == email)
    if except_user_id is not None:
        statement = statement.where(User.id != except_user_id)
    return session.exec(statement).one() > 0


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(_("Some fields need attention."), errors=errors)


def _require_account(actor: Actor) -> User:
    user = permissions.user_of(actor)
    if user is None or not permissions.can_manage_account(actor):
        raise NotFound(_("No such account."))
    return user


# ---------------------------------------------------------------- emails


def _link(path: str) -> str:
    return urls.absolute(path)


def verification_token(user: User, *, email: str, now: datetime) -> str:
    """A signed link token for confirming that `user` receives mail at `email`."""
    return sign({"uid": user.id, "email": email, "iat": int(now.timestamp())}, purpose=VERIFY_EMAIL_PURPOSE)


def _send_verification(session: Session, *, user: User, email: str, now: datetime) -> None:
    token = verification_token(user, email=email, now=now)
    outbox.enqueue_email(
        session,
        to=email,
        template="verify_email",
        language=user.language,
        context={
            "display_name": user.display_name,
            "link": _link(f"/account/verify/{token}"),
            "hours": get_settings().verification_hours,
            "is_change": email != user.email,
        },
        now=now,
    )


def _send_notice(session: Session, *, user: User, to: str, template: str, now: datetime, **context: Any) -> None:
    outbox.enqueue_email(
        session,
        to=to,
        template=template,
        language=user.language,
        context={"display_name": user.display_name, "account_link": _link("/account"), **context},
        now=now,
    )


# ---------------------------------------------------------------- sign-up and verification


def sign_up(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str,
    language: str,
    now: datetime,
    client_ip: str = "",
) -> User | None:
    """Create an unverified account and send the verification email; None when the address has an account.

    Callers answer both the same way ("check your email"), so sign-up never tells whether an address has an
    account: its owner gets an email saying so instead.
    """
    ratelimit.hit(ratelimit.SIGN_UP, "sign-up-ip", client_ip)
    ratelimit.hit(ratelimit.SIGN_UP, "sign-up-email", throttle_key(email))
    errors: dict[str, str] = {}
    normalised = _check_email(errors, "email", email)
    display_name = display_name.strip()
    if problem := _display_name_problem(display_name):
        errors["display_name"] = problem
    if problem := _password_problem(password):
        errors["password"] = problem
    if language not in i18n.LANGUAGES:
        errors["language"] = _("Choose one of the languages in the list.")
    _refuse(errors)
    # Hashed either way, so a sign-up takes as long whether or not the address is taken.
    password_hash = hash_password(password)
    existing = session.exec(select(User).where(User.email == normalised)).first()
    if existing is not None:
        _tell_the_owner(session, owner=existing, now=now)
        return None
    user = User(
        email=normalised, display_name=display_name, password_hash=password_hash, language=language, created_at=now
    )
    try:
        # A savepoint, so a simultaneous sign-up with the same address is answered like any taken address.
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        return None
    _send_verification(session, user=user, email=user.email, now=now)
    return user


def _tell_the_owner(session: Session, *, owner: User, now: datetime) -> None:
    # At most a few a day, quietly: someone typing the address again and again must not flood its owner.
    if not permissions.can_sign_in(owner):
        return
    if not ratelimit.allowed(ratelimit.PASSWORD_RESET_PER_ACCOUNT, "sign-up-owner-notice", str(owner.id)):
        return
    links = {"sign_in_link": _link("/account/sign-in"), "reset_link": _link("/account/forgot-password")}
    _send_notice(session, user=owner, to=owner.email, template="account_exists", now=now, **links)


def resend_verification(session: Session, *, actor: Actor, now: datetime, client_ip: str = "") -> str:
    """Send the verification link again (to the pending new address if there is one); returns the address."""
    user = _require_account(actor)
    ratelimit.hit(ratelimit.VERIFICATION_RESEND, "verify-resend-ip", client_ip)
    ratelimit.hit(ratelimit.VERIFICATION_RESEND, "verify-resend-user", str(user.id))
    if user.pending_email:
        target = user.pending_email
    elif not user.email_verified:
        target = user.email
    else:
        raise ValidationFailed(_("Your email address is already confirmed."))
    _send_verification(session, user=user, email=target, now=now)
    return target


def verify_email(session: Session, *, token: str, now: datetime) -> User:
    """Confirm the address a verification link was sent to; idempotent for an address already confirmed."""
    hours = get_settings().verification_hours
    refused = LinkRefused(
        _("This confirmation link is invalid or has expired. Ask for a new one from your account page.")
    )
    try:
        payload = unsign(token, purpose=VERIFY_EMAIL_PURPOSE, max_age_seconds=hours * 3600)
    except (LinkExpired, LinkInvalid):
        raise refused from None
    issued = payload.get("iat")
    user_id = payload.get("uid")
    email = payload.get("email")
    if not isinstance(issued, int) or not isinstance(user_id, int) or not isinstance(email, str):
        raise refused
    if now.timestamp() - issued > hours * 3600:
        raise refused
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.deleted_at is not None:
        raise refused
    if email == user.email:
        if user.email_verified_at is None:
            user.email_verified_at = now
    elif email == user.pending_email:
        if _email_taken(session, email, except_user_id=user.id):
            raise LinkRefused(_("Another account now uses this email address, so it cannot become yours."))
        try:
            # A savepoint: if another account took the address a moment ago, refuse instead of failing.
            with session.begin_nested():
                user.email = email
                user.pending_email = None
                user.email_verified_at = now
                session.add(user)
                session.flush()
        except IntegrityError:
            raise LinkRefused(_("Another account now uses this email address, so it cannot become yours.")) from None
    else:
        # The address changed since the link was sent: the old link must not confirm anything.
        raise refused
    session.add(user)
    session.flush()
    return user


# ---------------------------------------------------------------- sign-in and sign-out


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The account for `email` and `password`; one answer for every kind of failure."""
    try:
        normalised = normalise_email(email)
    except ValueError:
        normalised = ""
    user = session.exec(select(User).where(User.email == normalised)).first() if normalised else None
    usable = permissions.can_sign_in(user)
    matches = verify_password(password[: MAX_PASSWORD_LENGTH * 4], user.password_hash if user and usable else None)
    if user is None or not usable or not matches:
        raise SignInFailed(_("The email address or password is wrong."))
    if user.password_hash and password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    now: datetime,
    previous_token: str | None = None,
    user_agent: str = "",
    client_ip: str = "",
) -> tuple[User, str]:
    """Check the credentials and start a fresh session (any session the browser had ends); returns its token.

    Attempts are limited per address and per account; past the free failures each one doubles the wait.
    """
    ratelimit.hit(ratelimit.SIGN_IN, "sign-in-ip", client_ip)
    account_key = throttle_key(email)
    ratelimit.hit(ratelimit.SIGN_IN, "sign-in-email", account_key)
    ratelimit.check_backoff("sign-in", account_key)
    try:
        user = authenticate(session, email=email, password=password)
    except SignInFailed:
        ratelimit.record_failure("sign-in", account_key)
        raise
    ratelimit.record_success("sign-in", account_key)
    sessions.end_session(session, raw_token=previous_token)
    raw = sessions.start_session(session, user=user, now=now, user_agent=user_agent)
    return user, raw


def start_session_for(
    session: Session, *, user: User, now: datetime, previous_token: str | None, user_agent: str
) -> str:
    """A fresh session for a user who has just proved who they are (e.g. right after sign-up)."""
    sessions.end_session(session, raw_token=previous_token)
    return sessions.start_session(session, user=user, now=now, user_agent=user_agent)


def sign_out(session: Session, *, raw_token: str | None) -> None:
    sessions.end_session(session, raw_token=raw_token)


# ---------------------------------------------------------------- sign-in with an OpenID Connect provider

# An account made from an identity whose provider gave no confirmed address gets an address that reaches no one,
# until its owner confirms one (the unconfirmed claim waits as the pending address).
NO_EMAIL_DOMAIN = "sign-in.invalid"


def _claim_text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _display_name_from(provider: OidcProvider, claims: dict[str, Any]) -> str:
    for name in provider.name_claims:
        if text := _claim_text(claims, name):
            return text[:MAX_DISPLAY_NAME_LENGTH]
    return _("Participant")


def _email_from(provider: OidcProvider, claims: dict[str, Any]) -> str | None:
    try:
        return normalise_email(_claim_text(claims, provider.email_claim))
    except ValueError:
        return None


def _new_account_from(
    session: Session,
    *,
    provider: OidcProvider,
    claims: dict[str, Any],
    subject: str,
    email: str | None,
    email_verified: bool,
    language: str,
    now: datetime,
) -> User:
    placeholder = hashlib.sha256(f"{provider.issuer}\0{subject}".encode()).hexdigest()[:24]
    user = User(
        email=email if email and email_verified else f"{provider.id}-{placeholder}@{NO_EMAIL_DOMAIN}",
        display_name=_display_name_from(provider, claims),
        email_verified_at=now if email and email_verified else None,
        language=language if language in i18n.LANGUAGES else get_settings().default_language,
        created_at=now,
    )
    # An unconfirmed address is never the account's until its owner follows the link sent to it, and it is not
    # even offered when another account has it (that account is not linked, and nobody learns it exists).
    if email and not email_verified and not _email_taken(session, email):
        user.pending_email = email
    session.add(user)
    session.flush()
    if user.pending_email:
        _send_verification(session, user=user, email=user.pending_email, now=now)
    return user


def _refresh_verified_identity(user: User, *, provider: OidcProvider, claims: dict[str, Any], now: datetime) -> None:
    """Record a verified identity when this sign-in showed the configured assurance level; let an old one lapse."""
    level = claims.get(provider.assurance_claim)
    if isinstance(level, str) and level in provider.verified_assurance_values:
        user.identity_verified_at = now
        user.identity_verified_by = provider.id
        return
    if user.identity_verified_at is None:
        return
    verifier = get_settings().oidc_provider(user.identity_verified_by or "") or provider
    if now - user.identity_verified_at >= timedelta(days=verifier.verified_identity_days):
        user.identity_verified_at = None
        user.identity_verified_by = None


def sign_in_with_identity(
    session: Session,
    *,
    provider: OidcProvider,
    claims: dict[str, Any],
    now: datetime,
    language: str,
    previous_token: str | None = None,
    user_agent: str = "",
) -> tuple[User, str]:
    """Sign in the account behind a checked ID token's identity, linking or making one; returns the session token.

    A known identity signs in its account. Otherwise the identity is linked to the account with the same address
    only when the provider says the address is verified; else a new account is made (never linked by an
    unverified claim).
    """
    subject = _claim_text(claims, provider.subject_claim)
    if not subject:
        raise SignInFailed(_("The sign-in service did not say who you are."))
    identity = session.exec(
        select(ExternalIdentity).where(ExternalIdentity.issuer == provider.issuer, ExternalIdentity.subject == subject)
    ).first()
    if identity is not None:
        user = session.get(User, identity.user_id)
    else:
        email = _email_from(provider, claims)
        email_verified = claims.get("email_verified") is True
        user = session.exec(select(User).where(User.email == email)).first() if email and email_verified else None
        if user is None:
            user = _new_account_from(
                session,
                provider=provider,
                claims=claims,
                subject=subject,
                email=email,
                email_verified=email_verified,
                language=language,
                now=now,
            )
        identity = ExternalIdentity(user_id=user.id, issuer=provider.issuer, subject=subject, created_at=now)  # type: ignore[arg-type]
    if user is None or not permissions.can_sign_in_with_identity(user):
        raise SignInFailed(_("This account is closed."))
    identity.last_used_at = now
    try:
        # A savepoint: the same identity's first sign-in in another tab a moment ago is refused, not a 500.
        with session.begin_nested():
            session.add(identity)
            session.flush()
    except IntegrityError:
        raise SignInFailed(_("You signed in at the same moment elsewhere. Please try again.")) from None
    _refresh_verified_identity(user, provider=provider, claims=claims, now=now)
    session.add(user)
    session.flush()
    return user, start_session_for(session, user=user, now=now, previous_token=previous_token, user_agent=user_agent)


# ---------------------------------------------------------------- password reset


def check_reset_address(email: str) -> None:
    """Refuse a reset form sent without an address (the API answers 202 whatever it is sent)."""
    if not email.strip():
        raise ValidationFailed(_("Some fields need attention."), errors={"email": _("Enter your email address.")})


def request_password_reset(session: Session, *, email: str, now: datetime, client_ip: str = "") -> None:
    """Email a single-use reset link if the account exists; says nothing about whether it does."""
    ratelimit.hit(ratelimit.PASSWORD_RESET, "password-reset-ip", client_ip)
    ratelimit.hit(ratelimit.PASSWORD_RESET, "password-reset-email", throttle_key(email))
    try:
        normalised = normalise_email(email)
    except ValueError:
        return
    user = session.exec(select(User).where(User.email == normalised)).first()
    if user is None or not permissions.can_sign_in(user):
        return
    # Over the account's limit nothing is sent, and nothing is said: a refusal would tell that the account exists.
    if not ratelimit.allowed(ratelimit.PASSWORD_RESET_PER_ACCOUNT, "password-reset-account", str(user.id)):
        return
    # One live link per account: asking again spends the links sent before.
    _spend_reset_links(session, user_id=user.id, now=now)  # type: ignore[arg-type]
    raw = new_token()
    minutes = get_settings().password_reset_minutes
    session.add(
        OneTimeToken(
            user_id=user.id,  # type: ignore[arg-type]
            purpose=TokenPurpose.PASSWORD_RESET,
            token_hash=token_hash(raw),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    session.flush()
    _send_notice(
        session, user=user, to=user.email, template="password_reset", now=now,
        link=_link(f"/account/reset-password/{raw}"), minutes=minutes,
    )  # fmt: skip


def _usable_reset_token(session: Session, *, token: str, now: datetime) -> tuple[OneTimeToken, User]:
    row = session.exec(
        select(OneTimeToken, User)
        .join(User, col(User.id) == OneTimeToken.user_id)
        .where(OneTimeToken.token_hash == token_hash(token), OneTimeToken.purpose == TokenPurpose.PASSWORD_RESET)
    ).first()
    if row is None or row[0].used_at is not None or row[0].expires_at <= now or not permissions.can_sign_in(row[1]):
        raise LinkRefused(_("This password reset link is invalid, used or expired. Ask for a new one."))
    return row


def check_reset_token(session: Session, *, token: str, now: datetime) -> None:
    """Raise LinkRefused unless `token` can still reset a password."""
    _usable_reset_token(session, token=token, now=now)


def reset_password(session: Session, *, token: str, password: str, now: datetime) -> User:
    """Set a new password with a reset link; the link is spent and every session of the account ends."""
    reset_token, user = _usable_reset_token(session, token=token, now=now)
    if problem := _password_problem(password):
        raise ValidationFailed(_("Some fields need attention."), errors={"password": problem})
    user.password_hash = hash_password(password)
    session.add(user)
    # Every outstanding reset link of the account is spent, not only this one.
    _spend_reset_links(session, user_id=user.id, now=now)  # type: ignore[arg-type]
    reset_token.used_at = now
    sessions.end_all_sessions(session, user_id=user.id)  # type: ignore[arg-type]
    revoked = _revoke_all_tokens(session, user_id=user.id, now=now)  # type: ignore[arg-type]
    session.flush()
    _send_notice(session, user=user, to=user.email, template="password_changed", now=now, tokens_revoked=revoked)
    return user


def _spend_reset_links(session: Session, *, user_id: int, now: datetime) -> None:
    session.exec(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.user_id) == user_id,
            col(OneTimeToken.purpose) == TokenPurpose.PASSWORD_RESET,
            col(OneTimeToken.used_at).is_(None),
        )
        .values(used_at=now)
    )


def _revoke_all_tokens(session: Session, *, user_id: int, now: datetime) -> int:
    # A new password shuts out whoever had the old one, and a token made with the old one is theirs too.
    revoked = session.exec(
        update(PersonalAccessToken)
        .where(col(PersonalAccessToken.user_id) == user_id, col(PersonalAccessToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return int(revoked.rowcount or 0)


# ---------------------------------------------------------------- profile, password, email


def change_language(session: Session, *, actor: Actor, language: str) -> None:
    """Remember the signed-in user's language (used for pages and emails)."""
    user = _require_account(actor)
    user.language = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    session.add(user)
    session.flush()


def update_profile(
    session: Session,
    *,
    actor: Actor,
    display_name: str | None = None,
    language: str | None = None,
    email_frequency: str | None = None,
) -> User:
    """Change the signed-in user's display name, language and/or how follow news is emailed."""
    user = _require_account(actor)
    errors: dict[str, str] = {}
    if display_name is not None:
        display_name = display_name.strip()
        if problem := _display_name_problem(display_name):
            errors["display_name"] = problem
    if language is not None and language not in i18n.LANGUAGES:
        errors["language"] = _("Choose one of the languages in the list.")
    if email_frequency is not None and email_frequency not in set(EmailFrequency):
        errors["email_frequency"] = _("Choose one email per piece of news, or one a day.")
    _refuse(errors)
    if email_frequency is not None:
        user.email_frequency = EmailFrequency(email_frequency)
    if display_name is not None:
        user.display_name = display_name
    if language is not None:
        user.language = language
    session.add(user)
    session.flush()
    return user


def _check_current_password(user: User, password: str, field: str) -> None:
    # A stolen session must not become a way to guess the password.
    ratelimit.hit(ratelimit.SIGN_IN, "current-password", str(user.id))
    if user.password_hash is None:
        # An account that signs in only through a provider confirms by typing its own address instead.
        if throttle_key(password) != throttle_key(user.email):
            message = _("Type your email address, %(email)s, to confirm.") % {"email": user.email}
            raise ValidationFailed(_("Some fields need attention."), errors={field: message})
        return
    if not verify_password(password[: MAX_PASSWORD_LENGTH * 4], user.password_hash):
        raise ValidationFailed(_("Some fields need attention."), errors={field: _("The password is wrong.")})


def change_password(session: Session, *, actor: Actor, current_password: str, new_password: str, now: datetime) -> User:
    """Set a new password after checking the current one; other sessions end and access tokens are revoked."""
    user = _require_account(actor)
    _check_current_password(user, current_password, "current_password")
    if problem := _password_problem(new_password):
        raise ValidationFailed(_("Some fields need attention."), errors={"new_password": problem})
    user.password_hash = hash_password(new_password)
    session.add(user)
    end_other_sessions(session, actor=actor)
    revoked = _revoke_all_tokens(session, user_id=user.id, now=now)  # type: ignore[arg-type]
    session.flush()
    _send_notice(session, user=user, to=user.email, template="password_changed", now=now, tokens_revoked=revoked)
    return user


def change_email(session: Session, *, actor: Actor, email: str, password: str, now: datetime) -> User:
    """Ask to move the account to a new address; it changes only when the link sent there is followed."""
    user = _require_account(actor)
    _check_current_password(user, password, "password")
    errors: dict[str, str] = {}
    normalised = _check_email(errors, "email", email)
    if normalised and normalised == user.email:
        errors["email"] = _("This is already your email address.")
    elif normalised and _email_taken(session, normalised):
        errors["email"] = _("Another account uses this email address.")
    _refuse(errors)
    user.pending_email = normalised
    session.add(user)
    session.flush()
    _send_verification(session, user=user, email=normalised, now=now)
    _send_notice(session, user=user, to=user.email, template="email_changed", now=now, new_email=normalised)
    return user


def cancel_email_change(session: Session, *, actor: Actor) -> User:
    user = _require_account(actor)
    user.pending_email = None
    session.add(user)
    session.flush()
    return user


# ---------------------------------------------------------------- sessions


def list_sessions(session: Session, *, actor: Actor, now: datetime) -> Sequence[UserSession]:
    """The signed-in user's unexpired sessions, newest first."""
    user = _require_account(actor)
    return session.exec(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.expires_at > now)
        .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
    ).all()


def end_session_by_id(session: Session, *, actor: Actor, session_id: int) -> None:
    """Sign one of the user's devices out; another user's session is a 404."""
    _require_account(actor)
    user_session = session.get(UserSession, session_id)
    if user_session is None or not permissions.owns_session(actor, user_session):
        raise NotFound(_("No such session."))
    session.delete(user_session)
    session.flush()


def end_other_sessions(session: Session, *, actor: Actor) -> int:
    """End every session of the user except the one making this request; returns how many ended."""
    user = _require_account(actor)
    statement = delete(UserSession).where(col(UserSession.user_id) == user.id)
    if actor.session_id is not None:
        statement = statement.where(col(UserSession.id) != actor.session_id)
    return int(session.exec(statement).rowcount or 0)


def sign_out_everywhere(session: Session, *, actor: Actor) -> int:
    """End every session of the user, this one included; returns how many ended."""
    user = _require_account(actor)
    return sessions.end_all_sessions(session, user_id=user.id)  # type: ignore[arg-type]


# ---------------------------------------------------------------- personal access tokens


def list_tokens(session: Session, *, actor: Actor) -> Sequence[PersonalAccessToken]:
    """The user's tokens, active ones first, newest first."""
    user = _require_account(actor)
    return session.exec(
        select(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id)
        .order_by(col(PersonalAccessToken.revoked_at).is_not(None), col(PersonalAccessToken.id).desc())
    ).all()


def create_token(session: Session, *, actor: Actor, name: str, now: datetime) -> tuple[PersonalAccessToken, str]:
    """A new personal access token; the raw token is returned once and only its hash is stored."""
    user = _require_account(actor)
    if not permissions.can_create_token(actor):
        raise Forbidden(_("New access tokens can only be made while signed in on the website."))
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Some fields need attention."), errors={"name": _("Give the token a name.")})
    if len(name) > MAX_TOKEN_NAME_LENGTH:
        message = _("The name can have at most %(count)s characters.") % {"count": MAX_TOKEN_NAME_LENGTH}
        raise ValidationFailed(_("Some fields need attention."), errors={"name": message})
    active = session.exec(
        select(func.count())
        .select_from(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id, col(PersonalAccessToken.revoked_at).is_(None))
    ).one()
    if active >= MAX_ACTIVE_TOKENS:
        message = _("You can have at most %(count)s active tokens. Revoke one first.") % {"count": MAX_ACTIVE_TOKENS}
        raise ValidationFailed(message, errors={"name": message})
    raw = new_token(sessions.TOKEN_PREFIX)
    token = PersonalAccessToken(
        user_id=user.id,  # type: ignore[arg-type]
        name=name,
        prefix=raw[: len(sessions.TOKEN_PREFIX) + 6],
        token_hash=token_hash(raw),
        created_at=now,
    )
    session.add(token)
    session.flush()
    return token, raw


def revoke_token(session: Session, *, actor: Actor, token_id: int, now: datetime) -> PersonalAccessToken:
    """Revoke one of the user's tokens (idempotent); another user's token is a 404."""
    _require_account(actor)
    token = session.get(PersonalAccessToken, token_id)
    if token is None or not permissions.owns_token(actor, token):
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        session.add(token)
        session.flush()
    return token


# ---------------------------------------------------------------- GDPR: export and deletion


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_data(session: Session, *, actor: Actor, now: datetime) -> dict[str, Any]:
    """Everything the platform keeps about the signed-in user, as JSON-able data."""
    user = _require_account(actor)
    user_sessions = session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    tokens = session.exec(select(PersonalAccessToken).where(PersonalAccessToken.user_id == user.id)).all()
    identities = session.exec(select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)).all()
    account = {
        "profile": {
            "id": user.id,
            "email": user.email,
            "pending_email": user.pending_email,
            "display_name": user.display_name,
            "language": user.language,
            "email_frequency": str(user.email_frequency),
            "email_verified_at": _iso(user.email_verified_at),
            "identity_verified_at": _iso(user.identity_verified_at),
            "identity_verified_by": user.identity_verified_by,
            "is_platform_admin": user.is_platform_admin,
            "created_at": _iso(user.created_at),
        },
        "sessions": [
            {
                "created_at": _iso(s.created_at),
                "last_seen_at": _iso(s.last_seen_at),
                "expires_at": _iso(s.expires_at),
                "user_agent": s.user_agent,
            }
            for s in user_sessions
        ],
        "tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in tokens
        ],
        "identities": [
            {
                "issuer": i.issuer,
                "subject": i.subject,
                "created_at": _iso(i.created_at),
                "last_used_at": _iso(i.last_used_at),
            }
            for i in identities
        ],
    }
    return {"format": "samskap-export/1", "exported_at": now.isoformat(), "account": account,
            **gdpr.export_sections(session, user)}  # fmt: skip


def export_filename(actor: Actor) -> str:
    """The name the downloaded export is saved under."""
    return f"samskap-data-{actor.user_id}.json"


def delete_account(session: Session, *, actor: Actor, password: str, now: datetime) -> None:
    """Anonymise the signed-in user's account after checking the password; their contributions stay, unnamed."""
    user = _require_account(actor)
    _check_current_password(user, password, "password")
    user_id: int = user.id  # type: ignore[assignment]
    former_emails = [user.email, user.pending_email or ""]
    user.email = f"deleted-{user_id}@deleted.invalid"
    user.display_name = DELETED_DISPLAY_NAME
    user.password_hash = None
    user.pending_email = None
    user.deleted_at = now
    user.is_active = False
    user.is_platform_admin = False
    session.add(user)
    sessions.end_all_sessions(session, user_id=user_id)
    _revoke_all_tokens(session, user_id=user_id, now=now)
    session.exec(delete(ExternalIdentity).where(col(ExternalIdentity.user_id) == user_id))
    session.exec(delete(OneTimeToken).where(col(OneTimeToken.user_id) == user_id))
    session.flush()
    gdpr.run_anonymisers(session, user)
    # Last, so the events the anonymisers just wrote are pseudonymised too; the hash chain still verifies.
    audit.pseudonymise_person(session, user_id=user_id, emails=former_emails)
    session.flush()


# ---------------------------------------------------------------- platform admins


def create_platform_admin(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str,
    now: datetime,
    actor: Actor | None = None,
) -> User:
    """A verified platform admin: a new account, or an existing one promoted (its password set when given)."""
    actor = actor or Actor.system()
    if not permissions.can_make_platform_admin(actor):
        raise Forbidden(_("Only a platform admin can appoint platform admins."))
    errors: dict[str, str] = {}
    normalised = _check_email(errors, "email", email)
    existing = session.exec(select(User).where(User.email == normalised)).first() if normalised else None
    if existing is None or password:
        if problem := _password_problem(password):
            errors["password"] = problem
    display_name = display_name.strip()
    if existing is None and (problem := _display_name_problem(display_name)):
        errors["display_name"] = problem
    _refuse(errors)
    if existing is not None:
        if existing.deleted_at is not None:
            raise ValidationFailed(_("Some fields need attention."), errors={"email": _("This account was deleted.")})
        before = {"is_platform_admin": existing.is_platform_admin}
        existing.is_platform_admin = True
        existing.is_active = True
        if existing.email_verified_at is None:
            existing.email_verified_at = now
        if password:
            existing.password_hash = hash_password(password)
        session.add(existing)
        session.flush()
        audit.record(
            session, actor=actor, action="user.promote_platform_admin", target_type="user",
            target_id=existing.id, now=now, before=before, after={"is_platform_admin": True},
        )  # fmt: skip
        return existing
    user = User(
        email=normalised, display_name=display_name, password_hash=hash_password(password),
        email_verified_at=now, is_platform_admin=True, language=get_settings().default_language, created_at=now,
    )  # fmt: skip
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="user.create_platform_admin", target_type="user",
        target_id=user.id, now=now, after={"is_platform_admin": True},
    )  # fmt: skip
    return user
