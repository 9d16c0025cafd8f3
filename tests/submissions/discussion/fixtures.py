"""A public concept to talk about: Halden's open challenge (co-hosted by Bærum) and Liv's team's submitted concept."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from app import i18n
from app.audit.models import AuditEvent
from app.clock import FrozenClock
from app.submissions.models import Comment
from tests.challenges.conftest import Cast
from tests.factories import make_submission
from tests.submissions.conftest import Team

SLUG = "gronne-tak"


@pytest.fixture
def concept(db: Session, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock) -> Any:
    """Liv and Mats's submitted concept, public since the challenge shows concepts once submitted."""
    made = make_submission(db, challenge, team.lead, members=[team.member], versions=1, team_name="Takfolket")
    db.commit()
    return made


def api_url(concept: Any, rest: str = "") -> str:
    return f"/api/v1/challenges/{SLUG}/submissions/{concept.id}{rest}"


def page_url(concept: Any, rest: str = "") -> str:
    return f"/challenges/{SLUG}/submissions/{concept.id}{rest}"


def stored_comments(db: Session) -> list[Comment]:
    db.expire_all()
    return list(db.exec(select(Comment).order_by(col(Comment.id))).all())


def audit_actions(db: Session) -> list[str]:
    return list(db.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all())


def nb(message: str, **values: str) -> str:
    """`message` as a Norwegian page shows it (the tests' people and visitors read bokmål)."""
    with i18n.language("nb"):
        text = i18n.gettext(message)
    return text % values if values else text
