"""Server-side sessions and personal access tokens: creating, resolving and revoking them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete

from app.accounts.models import User, UserSession
from app.config import get_settings
from app.security import new_token, token_hash

TOKEN_PREFIX = "smk_"  # noqa: S105  (a visible prefix, not a secret)


def start_session(session: Session, *, user: User, now: datetime, user_agent: str = "") -> str:
    """A new sign-in for `user`; returns the raw token for the cookie (the database keeps its hash)."""
    raw = new_token()
    session.add(
        UserSession(
            token_hash=token_hash(raw),
            user_id=user.id,  # type: ignore[arg-type]
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=get_settings().session_days),
            user_agent=user_agent[:255],
        )
    )
    session.flush()
    return raw


def end_session(session: Session, *, raw_token: str | None) -> None:
    if raw_token:
        session.exec(delete(UserSession).where(col(UserSession.token_hash) == token_hash(raw_token)))


def end_all_sessions(session: Session, *, user_id: int) -> int:
    """Sign `user_id` out everywhere; returns how many sessions ended."""
    result = session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))
    return int(result.rowcount or 0)
