"""Request and response bodies of the accounts API; table models are never returned directly."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.accounts.models import EmailFrequency, PersonalAccessToken, User, UserSession
from app.security import MAX_PASSWORD_LENGTH

Language = Literal["nb", "sv", "en"]
# Lengths here are the contract's outer bounds; the service checks the rules and explains them field by field.
Email = Field(max_length=320, examples=["kari@example.no"])
Password = Field(max_length=MAX_PASSWORD_LENGTH * 4, examples=["riktig-hest-batteri-stift"])


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class AccountCreate(_Input):
    email: str = Email
    password: str = Password
    display_name: str = Field(max_length=500, examples=["Kari Nordmann"])
    language: Language = "nb"


class EmailVerification(_Input):
    token: str = Field(max_length=2000)


class PasswordResetRequest(_Input):
    email: str = Email


class PasswordResetConfirm(_Input):
    token: str = Field(max_length=2000)
    password: str = Password


class UserUpdate(_Input):
    display_name: str | None = Field(default=None, max_length=500)
    language: Language | None = None
    email_frequency: EmailFrequency | None = Field(
        default=None, description="News about challenges you follow: one email each, or one digest a day."
    )


class PasswordChange(_Input):
    current_password: str = Password
    new_password: str = Password


class EmailChange(_Input):
    email: str = Email
    password: str = Password


class AccountDelete(_Input):
    password: str = Password


class TokenCreate(_Input):
    name: str = Field(max_length=500, examples=["Open data export"])


class UserRead(BaseModel):
    id: int
    email: str
    pending_email: str | None
    display_name: str
    language: str
    email_frequency: EmailFrequency
    email_verified: bool
    is_platform_admin: bool
    created_at: datetime

    @classmethod
    def from_model(cls, user: User) -> UserRead:
        return cls.model_validate(user, from_attributes=True)


class SessionRead(BaseModel):
    id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str
    current: bool = Field(description="True for the session that made this request.")

    @classmethod
    def from_model(cls, user_session: UserSession, *, current_id: int | None) -> SessionRead:
        return cls(
            id=user_session.id or 0,
            created_at=user_session.created_at,
            last_seen_at=user_session.last_seen_at,
            expires_at=user_session.expires_at,
            user_agent=user_session.user_agent,
            current=user_session.id == current_id,
        )


class TokenRead(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, token: PersonalAccessToken) -> TokenRead:
        return cls.model_validate(token, from_attributes=True)


class TokenCreated(TokenRead):
    token: str = Field(description="The token itself. It is shown only this once; store it safely.")


class Accepted(BaseModel):
    detail: str
