"""What the jury API accepts and returns."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from app.db import MAX_ROW_ID
from app.jury import awards, reviews, service
from app.jury.models import (
    AwardKind,
    ConflictSource,
    ConflictStatus,
    FollowUpStatus,
    Juror,
    JurorRole,
    JuryConflict,
    JuryInvitation,
    JuryPanel,
    Review,
    ReviewStatus,
)
from app.kit import invitations
from app.kit.bounds import Day, Id
from app.kit.invitations import InvitationState

MAX_CRITERIA = 50


class PanelUpdate(BaseModel):
    """Change only what you send."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"jurors_per_concept": 3}]})

    jurors_per_concept: int | None = Field(default=None, ge=1, le=service.MAX_JURORS_PER_CONCEPT)
    blind_review: bool | None = Field(default=None, description="Only before submissions open.")
    scores_shared: bool | None = Field(
        default=None, description="Jurors see each other's scores on a concept once they submit their own."
    )


class JurorRead(BaseModel):
    id: int
    name: str
    role: JurorRole
    final_round: bool = Field(default=False, description="On the final round's panel.")
    assigned: int | None = Field(default=None, description="For the hosts: concepts assigned.")
    submitted: int | None = Field(default=None, description="For the hosts: reviews submitted.")

    @classmethod
    def of(cls, juror: Juror, progress: reviews.JurorProgress | None = None) -> JurorRead:
        return cls(
            id=juror.id or 0,
            name=juror.user.display_name if juror.user else "",
            role=juror.role,
            final_round=juror.final_round,
            assigned=progress.assigned if progress else None,
            submitted=progress.submitted if progress else None,
        )


class PanelRead(BaseModel):
    jurors_per_concept: int
    blind_review: bool
    scores_shared: bool
    round: int = Field(description="The round the jury scores in: 1, or 2 once the final round has begun.")
    final_round_at: datetime | None
    finalists: list[int] = Field(description="The concepts shortlisted for the final round.")
    jurors: list[JurorRead]
    you: JurorRead | None = Field(description="Your seat on the jury, if you have one.")

    @classmethod
    def of(cls, panel: JuryPanel, jurors: list[JurorRead], you: Juror | None, finalists: list[int]) -> PanelRead:
        return cls(
            jurors_per_concept=panel.jurors_per_concept,
            blind_review=panel.blind_review,
            scores_shared=panel.scores_shared,
            round=service.current_round(panel),
            final_round_at=panel.final_round_at,
            finalists=finalists,
            jurors=jurors,
            you=JurorRead.of(you) if you is not None else None,
        )


class JuryInvitationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"email": "juror@example.org", "role": "member"}]}
    )

    email: EmailStr = Field(max_length=254)
    role: JurorRole = JurorRole.MEMBER


class JuryInvitationRead(BaseModel):
    id: int
    email: str
    role: JurorRole
    status: InvitationState
    expires_at: datetime

    @classmethod
    def of(cls, invitation: JuryInvitation, now: datetime) -> JuryInvitationRead:
        return cls(
            id=invitation.id or 0,
            email=invitation.email,
            role=invitation.role,
            status=invitations.state(invitation, now),
            expires_at=invitation.expires_at,
        )


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "chair"}]})

    role: JurorRole


class ConflictCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"concept": 12, "reason": "I advised this team."}]}
    )

    concept: int = Field(ge=1, le=MAX_ROW_ID)
    reason: str = Field(default="", max_length=500, description="Seen by the hosts only.")


class Decision(StrEnum):
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class ConflictDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "dismissed"}]})

    status: Decision


class ConflictRead(BaseModel):
    id: int
    juror: int
    concept: int
    source: ConflictSource
    status: ConflictStatus
    reason: str

    @classmethod
    def of(cls, conflict: JuryConflict) -> ConflictRead:
        return cls(
            id=conflict.id or 0,
            juror=conflict.juror_id,
            concept=conflict.submission_id,
            source=conflict.source,
            status=conflict.status,
            reason=conflict.reason,
        )


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"juror": 3, "concept": 12}]})

    juror: int = Field(ge=1, le=MAX_ROW_ID)
    concept: int = Field(ge=1, le=MAX_ROW_ID)


class AssignmentRead(BaseModel):
    id: int
    juror: int
    concept: int
    manual: bool
    progress: str = Field(description="`not-started`, `draft` or `submitted`.")


class ShortfallRead(BaseModel):
    concept: int
    title: str
    missing: int = Field(description="How many more jurors the concept needs.")
    available: int = Field(description="How many jurors have no conflict with it.")


class AssignmentRunRead(BaseModel):
    added: int
    removed: int
    flagged: int = Field(description="Possible conflicts newly flagged for you to confirm or dismiss.")
    shortfalls: list[ShortfallRead]

    @classmethod
    def of(cls, outcome: service.AssignmentOutcome) -> AssignmentRunRead:
        return cls(
            added=outcome.added,
            removed=outcome.removed,
            flagged=outcome.flagged,
            shortfalls=[
                ShortfallRead(concept=s.submission_id, title=s.title, missing=s.missing, available=s.available)
                for s in outcome.shortfalls
            ],
        )


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: int = Field(ge=1, le=MAX_ROW_ID)
    value: int | None = Field(default=None, ge=0, le=1000, description="0 to the challenge's highest score.")
    comment: str = Field(default="", max_length=reviews.MAX_COMMENT)


class ReviewPut(BaseModel):
    """The whole review: scores per criterion, comments; `submit` makes it final (every criterion scored)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"scores": [{"criterion": 1, "value": 7, "comment": "Clear need."}], "submit": False}]
        },
    )

    scores: list[ScoreIn] = Field(max_length=MAX_CRITERIA)
    overall_comment: str = Field(default="", max_length=reviews.MAX_OVERALL_COMMENT)
    submit: bool = False


class ScoreRead(BaseModel):
    criterion: int
    value: int | None
    comment: str


class ReviewRead(BaseModel):
    concept: int
    status: ReviewStatus
    version_number: int
    submitted_at: datetime | None
    overall_comment: str
    scores: list[ScoreRead]

    @classmethod
    def of(cls, review: Review) -> ReviewRead:
        return cls(
            concept=review.submission_id,
            status=review.status,
            version_number=review.version_number,
            submitted_at=review.submitted_at,
            overall_comment=review.overall_comment,
            scores=[ScoreRead(criterion=s.criterion_id, value=s.value, comment=s.comment) for s in review.scores],
        )


class AssignedRead(BaseModel):
    concept: int
    title: str
    summary: str
    team_name: str | None = Field(description="None under blind review.")
    progress: str = Field(description="`not-started`, `draft` or `submitted`.")


class OtherReviewRead(BaseModel):
    juror: str = Field(description="Not the juror's name: Juror 1, Juror 2…")
    scores: list[ScoreRead]
    overall_comment: str


class SheetRead(BaseModel):
    concept: int
    title: str
    summary: str
    body: str
    team_name: str | None
    version_number: int
    review: ReviewRead | None
    can_edit: bool
    others: list[OtherReviewRead] | None = Field(
        description="The other jurors' submitted reviews: null until yours is submitted, and unless the chair allows."
    )

    @classmethod
    def of(cls, sheet: reviews.ReviewSheet) -> SheetRead:
        return cls(
            concept=sheet.version.submission_id,
            title=sheet.version.title,
            summary=sheet.version.summary,
            body=sheet.version.body,
            team_name=sheet.team_name,
            version_number=sheet.version.number,
            review=ReviewRead.of(sheet.review) if sheet.review else None,
            can_edit=sheet.can_edit,
            others=None
            if sheet.others is None
            else [
                OtherReviewRead(
                    juror=other.label,
                    scores=[
                        ScoreRead(criterion=c, value=v, comment=other.comments.get(c, ""))
                        for c, v in other.scores.items()
                    ],
                    overall_comment=other.overall_comment,
                )
                for other in sheet.others
            ],
        )


class RemindersIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"juror": None}]})

    juror: int | None = Field(default=None, ge=1, le=MAX_ROW_ID, description="One juror, or all with work left.")


class RemindersRead(BaseModel):
    emailed: int


class AwardItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept: int = Field(ge=1, le=MAX_ROW_ID)
    kind: AwardKind
    name: str = Field(default="", max_length=120, description="A custom award's name.")
    prize_amount: int | None = Field(default=None, ge=0, le=10**13, description="Minor units (øre, öre, cent).")
    motivation: str = Field(default="", max_length=awards.MAX_MOTIVATION, description="The jury's motivation.")

    def to_award(self) -> awards.AwardIn:
        return awards.AwardIn(self.concept, self.kind, self.name, self.prize_amount, self.motivation)

    @classmethod
    def of(cls, award: awards.AwardIn) -> AwardItem:
        return cls(
            concept=award.submission_id,
            kind=award.kind,
            name=award.name,
            prize_amount=award.prize_amount,
            motivation=award.motivation,
        )


class AwardsPut(BaseModel):
    """The whole list of awards (putting the same list twice changes nothing)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"awards": [{"concept": 12, "kind": "first", "prize_amount": 2500000, "motivation": "…"}]}]
        },
    )

    awards: list[AwardItem] = Field(max_length=awards.MAX_AWARDS)


class AwardRead(BaseModel):
    concept: int
    title: str
    team_name: str
    kind: AwardKind
    label: str = Field(description="What the award is called, in your language.")
    prize_amount: int | None
    motivation: str


class AwardsRead(BaseModel):
    announced_at: datetime | None
    awards: list[AwardRead]
    proposal: list[AwardItem] | None = Field(
        default=None, description="For the hosts before the announcement: awards proposed from the ranking."
    )


class AnnounceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"feedback_to_entrants": True}]})

    feedback_to_entrants: bool = Field(
        default=False, description="Email every team its scores beside the field's and the jurors' comments."
    )


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"concept": 12, "status": "piloted", "text": "Pilot i to bydeler.", "happened_on": "2027-03-01"}
            ]
        },
    )

    concept: int = Field(ge=1, le=MAX_ROW_ID, description="An awarded concept.")
    status: FollowUpStatus
    text: str = Field(default="", max_length=2000)
    happened_on: Day


class FollowUpRead(BaseModel):
    id: int
    concept: int
    title: str
    status: FollowUpStatus
    label: str
    text: str
    happened_on: date


class FinalRoundIn(BaseModel):
    """The shortlist and the final panel; every finalist is then assigned to the whole panel."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"concepts": [12, 15, 18], "jurors": [3, 4]}]}
    )

    concepts: list[Id] = Field(min_length=2, max_length=200)
    jurors: list[Id] = Field(min_length=1, max_length=100)
