"""The comment named in the path (`.../submissions/{submission_id}/comments/{comment_id}`), on a concept the
caller may see: else a 404."""

from __future__ import annotations

from typing import Annotated, NamedTuple

from fastapi import Depends

from app.challenges.models import Challenge
from app.db import RowId, SessionDep
from app.submissions.deps import SignedInConceptDep
from app.submissions.discussion import service as comments
from app.submissions.models import Comment, Submission


class ConceptComment(NamedTuple):
    """A comment, the concept it is on and that concept's challenge."""

    challenge: Challenge
    submission: Submission
    comment: Comment


def signed_in_comment(concept: SignedInConceptDep, comment_id: RowId, session: SessionDep) -> ConceptComment:
    """The comment `comment_id` on the concept in the path, for a signed-in caller who may see the concept."""
    challenge, submission = concept
    return ConceptComment(
        challenge, submission, comments.get_comment(session, submission=submission, comment_id=comment_id)
    )


SignedInCommentDep = Annotated[ConceptComment, Depends(signed_in_comment)]
