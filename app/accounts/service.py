"""Accounts: sign-up, verification, sign-in, password reset, profile, tokens, data export and deletion."""

from __future__ import annotations

from sqlmodel import Session

from app import i18n
from app.actor import Actor
from app.errors import Unauthenticated


def change_language(session: Session, *, actor: Actor, language: str) -> None:
    """Remember the signed-in user's language (used for pages and emails)."""
    if actor.user is None:
        raise Unauthenticated("Please sign in to continue.")
    actor.user.language = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    session.add(actor.user)
    session.flush()
