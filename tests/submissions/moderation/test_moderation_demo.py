"""The demo has talk to look at: comments with replies in Norwegian and Swedish, feedback, open reports (one on a
comment) and a hidden comment; loading it twice adds nothing."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app import demo
from app.audit.models import AuditEvent
from app.submissions.models import Comment, Feedback, Report, ReportTarget
from tests.conftest import NOW


def test_the_demo_has_comments_feedback_reports_and_a_hidden_comment(db: Session) -> None:
    demo.load(db, now=NOW)
    comments = db.exec(select(Comment)).all()
    assert len({comment.submission_id for comment in comments}) >= 3
    assert any(comment.parent_id for comment in comments)
    assert any("Tack" in comment.body for comment in comments)
    assert [comment.hidden_reason for comment in comments if comment.hidden_at] == [demo.HIDDEN_COMMENT[3]]
    assert len(db.exec(select(Feedback)).all()) == 1
    reports = db.exec(select(Report).where(col(Report.resolved_at).is_(None))).all()
    assert sorted(report.target_type for report in reports) == [ReportTarget.COMMENT, ReportTarget.SUBMISSION]
    assert set(db.exec(select(AuditEvent.actor_label)).all()) == {"system"}
    assert demo.load(db, now=NOW) is False
    assert len(db.exec(select(Comment)).all()) == len(comments)
