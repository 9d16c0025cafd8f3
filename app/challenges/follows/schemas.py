"""What the follows API returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.challenges.models import Challenge
from app.challenges.phases import Phase, phase_of
from app.kit import urls


class FollowRead(BaseModel):
    """A challenge you follow."""

    challenge: str = Field(description="The challenge's slug.", examples=["baerekraftig-sentrumshandel"])
    title: str = Field(examples=["Bærekraftig sentrumshandel"])
    phase: Phase
    submissions_close_at: datetime | None
    followed_at: datetime
    url: str = Field(
        description="The challenge in the API.", examples=["/api/v1/challenges/baerekraftig-sentrumshandel"]
    )

    @classmethod
    def from_model(cls, challenge: Challenge, *, followed_at: datetime, now: datetime) -> FollowRead:
        return cls(
            challenge=challenge.slug,
            title=challenge.title,
            phase=phase_of(challenge, now),
            submissions_close_at=challenge.submissions_close_at,
            followed_at=followed_at,
            url=urls.api_challenge(challenge.slug),
        )
