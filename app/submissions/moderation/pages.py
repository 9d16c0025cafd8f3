"""Pages to report a concept or comment, for the hosts to hide one, and their moderation queue (no JavaScript)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.actor import Actor
from app.auth.deps import SignedInDep
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import Conflict, ValidationFailed
from app.i18n import gettext as _
from app.kit import urls
from app.kit.forms import FormDep, form_message
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.deps import CONCEPT, SignedInConceptDep
from app.submissions.discussion import service as comments
from app.submissions.discussion.deps import SignedInCommentDep
from app.submissions.models import Comment, ReportTarget, Submission
from app.submissions.moderation import service as moderation
from app.templating import redirect, render

router = APIRouter()


# --- reports -----------------------------------------------------------------------------------------------------


def _target(submission: Submission, comment: Comment | None) -> tuple[ReportTarget, int]:
    """What a report or a hiding is about: the comment, or else the concept."""
    target_id = comment.id if comment else submission.id
    assert target_id is not None  # noqa: S101  (stored rows)
    return (ReportTarget.COMMENT if comment else ReportTarget.SUBMISSION), target_id


def _back(challenge: Challenge, submission: Submission, comment: Comment | None) -> str:
    """Where the reader returns to: the comment on the concept's page, or the concept."""
    return urls.concept(challenge.slug, submission.id, anchor=f"comment-{comment.id}" if comment else "")


def _report_page(
    request: Request, session: Session, actor: Actor, challenge: Challenge, submission: Submission,
    comment: Comment | None, now: datetime, *, value: str = "", error: str | None = None, status_code: int = 200,
    hiding: bool = False,
) -> Response:  # fmt: skip
    """The form to report a concept or comment to the hosts, or (`hiding`) for a host to hide it with a reason."""
    shown = submissions.shown(session, submission=submission, actor=actor)
    entry = comments.entry_for(session, actor=actor, comment=comment, now=now) if comment else None
    base = urls.concept(challenge.slug, submission.id)
    verb = "hide" if hiding else "report"
    return render(
        request,
        "submissions/report.html",
        {
            "challenge": challenge, "submission": submission, "shown": shown, "entry": entry, "hiding": hiding,
            "action": f"{base}/comments/{comment.id}/{verb}" if comment else f"{base}/{verb}",
            "back": _back(challenge, submission, comment),
            "values": {"reason": value}, "errors": {"reason": error} if error else {},
            "max_reason": moderation.MAX_HIDE_REASON if hiding else moderation.MAX_REASON,
        },
        status_code=status_code,
    )  # fmt: skip


def _file_report(
    request: Request, session: Session, actor: Actor, now: datetime, challenge: Challenge, submission: Submission,
    comment: Comment | None, reason: str,
) -> Response:  # fmt: skip
    kind, target_id = _target(submission, comment)
    try:
        _report, created = moderation.report(session, actor=actor, challenge=challenge, kind=kind,
                                             target_id=target_id, reason=reason, now=now)  # fmt: skip
    except ValidationFailed as error:
        return _report_page(request, session, actor, challenge, submission, comment, now, value=reason,
                            error=form_message(error), status_code=422)  # fmt: skip
    back = _back(challenge, submission, comment)
    if not created:
        return redirect(back, message=_("You have already reported this. The hosts will look at it."), kind="info")
    return redirect(back, message=_("Thank you. The hosts will look at your report."))


def _hide_form(
    request: Request, session: Session, actor: Actor, challenge: Challenge, submission: Submission,
    comment: Comment | None, now: datetime,
) -> Response:  # fmt: skip
    permissions.check_moderate(actor, challenge)
    return _report_page(request, session, actor, challenge, submission, comment, now, hiding=True)


def _hide(
    request: Request, session: Session, actor: Actor, now: datetime, challenge: Challenge, submission: Submission,
    comment: Comment | None, reason: str,
) -> Response:  # fmt: skip
    """A host hides a concept or comment straight away, reported or not; its author is told why."""
    kind, target_id = _target(submission, comment)
    try:
        moderation.hide(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, reason=reason,
                        now=now)  # fmt: skip
    except (ValidationFailed, Conflict) as error:
        return _report_page(request, session, actor, challenge, submission, comment, now, value=reason,
                            error=form_message(error), status_code=error.status, hiding=True)  # fmt: skip
    back = _back(challenge, submission, comment)
    return redirect(back, message=_("It is hidden, and its author is told why."))


# A form shown, and a form acted on, for a concept or (`comment`) one of its comments.
Show = Callable[[Request, Session, Actor, Challenge, Submission, Comment | None, datetime], Response]
Act = Callable[[Request, Session, Actor, datetime, Challenge, Submission, Comment | None, str], Response]


def _add_routes(verb: str, show: Show, act: Act) -> None:
    """The routes of one verb: its form and its post, on a concept (`.../{verb}`) and on one of its comments."""

    def concept_form(
        request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
    ) -> Response:
        challenge, submission = concept
        return show(request, session, actor, challenge, submission, None, clock.now())

    def concept_post(
        request: Request,
        session: SessionDep,
        actor: SignedInDep,
        clock: ClockDep,
        form: FormDep,
        concept: SignedInConceptDep,
    ) -> Response:
        challenge, submission = concept
        return act(request, session, actor, clock.now(), challenge, submission, None, form.get("reason", ""))

    def comment_form(
        request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, found: SignedInCommentDep
    ) -> Response:
        challenge, submission, comment = found
        return show(request, session, actor, challenge, submission, comment, clock.now())

    def comment_post(
        request: Request,
        session: SessionDep,
        actor: SignedInDep,
        clock: ClockDep,
        form: FormDep,
        found: SignedInCommentDep,
    ) -> Response:
        challenge, submission, comment = found
        return act(request, session, actor, clock.now(), challenge, submission, comment, form.get("reason", ""))

    for path, what in ((CONCEPT, "concept"), (CONCEPT + "/comments/{comment_id}", "comment")):
        shown, posted = (concept_form, concept_post) if what == "concept" else (comment_form, comment_post)
        router.add_api_route(
            f"{path}/{verb}", shown, methods=["GET"], response_class=HTMLResponse, name=f"{verb}_{what}_form"
        )
        router.add_api_route(f"{path}/{verb}", posted, methods=["POST"], name=f"{verb}_{what}")


_add_routes("report", _report_page, _file_report)
_add_routes("hide", _hide_form, _hide)


# --- the hosts' moderation queue ---------------------------------------------------------------------------------

QUEUE = "/manage/challenges/{slug}/moderation"


def _queue(
    request: Request, session: Session, actor: Actor, challenge: Challenge, *, values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    found = moderation.queue(session, actor=actor, challenge=challenge)
    return render(
        request,
        "manage/challenge_moderation.html",
        {
            "challenge": challenge, "queue": found, "values": values or {}, "errors": errors or {},
            "tz": challenge.host.timezone, "max_reason": moderation.MAX_HIDE_REASON,
        },
        status_code=status_code,
    )  # fmt: skip


def _moderated(session: Session, actor: Actor, slug: str) -> Challenge:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    permissions.check_moderate(actor, challenge)
    return challenge


@router.get(QUEUE, response_class=HTMLResponse)
def moderation_queue(request: Request, slug: str, session: SessionDep, actor: SignedInDep) -> Response:
    return _queue(request, session, actor, _moderated(session, actor, slug))


def _act(
    request: Request, session: Session, actor: Actor, slug: str, target_type: str, target_id: int, now: datetime,
    action: str, reason: str, done: str,
) -> Response:  # fmt: skip
    challenge = _moderated(session, actor, slug)
    kind = moderation.target_kind(target_type)
    name = f"reason-{kind}-{target_id}"
    try:
        if action == "hide":
            moderation.hide(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, reason=reason,
                            now=now)  # fmt: skip
        elif action == "restore":
            moderation.restore(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id,
                               reason=reason, now=now)  # fmt: skip
        else:
            moderation.dismiss(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, now=now)
    except (ValidationFailed, Conflict) as error:
        return _queue(request, session, actor, challenge, values={name: reason}, errors={name: form_message(error)},
                      status_code=error.status)  # fmt: skip
    return redirect(QUEUE.format(slug=slug), message=done)


@router.post(QUEUE + "/{target_type}/{target_id}/hide")
def hide(
    request: Request, slug: str, target_type: str, target_id: RowId, session: SessionDep, actor: SignedInDep,
    clock: ClockDep, form: FormDep,
) -> Response:  # fmt: skip
    reason = form.get(f"reason-{target_type}-{target_id}", "")
    return _act(request, session, actor, slug, target_type, target_id, clock.now(), "hide", reason,
                _("It is hidden, and its author is told why."))  # fmt: skip


@router.post(QUEUE + "/{target_type}/{target_id}/restore")
def restore(
    request: Request, slug: str, target_type: str, target_id: RowId, session: SessionDep, actor: SignedInDep,
    clock: ClockDep, form: FormDep,
) -> Response:  # fmt: skip
    reason = form.get(f"reason-{target_type}-{target_id}", "")
    return _act(request, session, actor, slug, target_type, target_id, clock.now(), "restore", reason,
                _("It is shown again."))  # fmt: skip


@router.post(QUEUE + "/{target_type}/{target_id}/dismiss")
def dismiss(
    request: Request, slug: str, target_type: str, target_id: RowId, session: SessionDep, actor: SignedInDep,
    clock: ClockDep,
) -> Response:  # fmt: skip
    return _act(request, session, actor, slug, target_type, target_id, clock.now(), "dismiss", "",
                _("The reports are dismissed."))  # fmt: skip
