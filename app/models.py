"""Every table model, imported so metadata (Alembic, tests) sees the whole schema."""

from app.accounts.models import OneTimeToken, PersonalAccessToken, User, UserSession
from app.audit.models import AuditEvent
from app.challenges.models import (
    Challenge,
    ChallengeCoHost,
    ChallengeCover,
    ChallengeNotice,
    Criterion,
    Follow,
    FollowerNotification,
    Question,
)
from app.integrations.models import OutboxMessage
from app.organizations.models import Invitation, Membership, Organization
from app.submissions.models import (
    Attachment,
    AttachmentContent,
    Submission,
    SubmissionCover,
    SubmissionMember,
    SubmissionVersion,
    TeamInvitation,
)

__all__ = [
    "Attachment",
    "AttachmentContent",
    "AuditEvent",
    "Challenge",
    "ChallengeCoHost",
    "ChallengeCover",
    "ChallengeNotice",
    "Criterion",
    "Follow",
    "FollowerNotification",
    "Invitation",
    "Membership",
    "OneTimeToken",
    "Organization",
    "OutboxMessage",
    "PersonalAccessToken",
    "Question",
    "Submission",
    "SubmissionCover",
    "SubmissionMember",
    "SubmissionVersion",
    "TeamInvitation",
    "User",
    "UserSession",
]
