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
from app.jury.models import (
    Juror,
    JuryAssignment,
    JuryConflict,
    JuryInvitation,
    JuryPanel,
    Review,
    ReviewScore,
)
from app.organizations.models import Invitation, Membership, Organization
from app.submissions.models import (
    Attachment,
    AttachmentContent,
    Comment,
    Feedback,
    JoinRequest,
    Report,
    Submission,
    SubmissionCover,
    SubmissionMember,
    SubmissionVersion,
    TeamInvitation,
    TeammateSearch,
)
from app.voting.models import Ballot, BallotItem, SealedTally

__all__ = [
    "ReviewScore",
    "Review",
    "Juror",
    "JuryPanel",
    "JuryInvitation",
    "JuryConflict",
    "JuryAssignment",
    "Attachment",
    "AttachmentContent",
    "AuditEvent",
    "Ballot",
    "BallotItem",
    "Challenge",
    "ChallengeCoHost",
    "ChallengeCover",
    "ChallengeNotice",
    "Comment",
    "Criterion",
    "Feedback",
    "Follow",
    "FollowerNotification",
    "Invitation",
    "JoinRequest",
    "Membership",
    "OneTimeToken",
    "Organization",
    "OutboxMessage",
    "PersonalAccessToken",
    "Question",
    "Report",
    "SealedTally",
    "Submission",
    "SubmissionCover",
    "SubmissionMember",
    "SubmissionVersion",
    "TeamInvitation",
    "TeammateSearch",
    "User",
    "UserSession",
]
