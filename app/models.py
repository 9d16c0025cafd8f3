"""Every table model, imported so metadata (Alembic, tests) sees the whole schema."""

from app.accounts.models import OneTimeToken, PersonalAccessToken, User, UserSession
from app.audit.models import AuditEvent
from app.challenges.models import Challenge, ChallengeCoHost, Criterion
from app.integrations.models import OutboxMessage
from app.organizations.models import Invitation, Membership, Organization

__all__ = [
    "AuditEvent",
    "Challenge",
    "ChallengeCoHost",
    "Criterion",
    "Invitation",
    "Membership",
    "OneTimeToken",
    "Organization",
    "OutboxMessage",
    "PersonalAccessToken",
    "User",
    "UserSession",
]
