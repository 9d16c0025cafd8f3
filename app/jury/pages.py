"""The jury on the pages: the hosts' jury page (settings, jurors, invitations, assignment, conflicts, progress),
the juror's list of assigned concepts and the scoring form, and the invitee's side of a jury invitation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.actor import Actor
from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import AppError
from app.i18n import gettext as _
from app.i18n import ngettext
from app.jury import awards, follow_up, permissions, reviews, service
from app.jury.models import AwardKind, FollowUpStatus, JurorRole
from app.jury.results import service as results_service
from app.kit import forms, urls
from app.kit.forms import FormData, FormDep, form_errors
from app.templating import redirect, render

router = APIRouter()

MANAGE = "/manage/challenges/{slug}/jury"
JURY = "/challenges/{slug}/jury"


def _manage_url(challenge: Challenge, anchor: str = "") -> str:
    return urls.manage_challenge(challenge.slug, "/jury", anchor=anchor)


def _host_page(
    request: Request,
    session: SessionDep,
    challenge: Challenge,
    actor: Actor,
    now: datetime,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    state = reviews.progress(session, actor=actor, challenge=challenge)
    context = {
        "challenge": challenge,
        "state": state,
        "invitations": service.pending_invitations(session, challenge=challenge, now=now),
        "conflicts": service.visible_conflicts(session, actor=actor, challenge=challenge),
        "can_manage": permissions.can_manage_jury(actor, challenge, now),
        "can_assign": permissions.can_assign(actor, challenge, now),
        "can_set_blind": permissions.can_set_blind_review(actor, challenge, now),
        "can_decide": permissions.can_decide_conflicts(actor, challenge, now),
        "can_reopen": permissions.can_reopen(actor, challenge, now),
        "finalists": service.finalist_ids(session, challenge),
        "shortlist": _shortlist(session, challenge, actor, now, state),
        "errors": errors or {},
        "values": values or {},
    }
    return render(request, "jury/manage.html", context, status_code=status_code)


def _shortlist(
    session: SessionDep, challenge: Challenge, actor: Actor, now: datetime, state: reviews.JuryProgress
) -> list[int]:
    """What the final round's form starts from: the first round's best (none once the final round has begun)."""
    if state.round_ != service.FIRST_ROUND or not permissions.can_assign(actor, challenge, now) or not state.reviews:
        return []
    return results_service.shortlist_proposal(session, actor=actor, challenge=challenge, now=now)


@router.get(MANAGE, response_class=HTMLResponse)
def host_page(
    request: Request, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _host_page(request, session, challenge, actor, clock.now())


def _checkbox(form: FormData, name: str) -> bool:
    return form.get(name) in ("on", "true", "1")


def _whole(form: FormData, name: str) -> int:
    typed = forms.whole_number(form.get(name), max_digits=4)
    forms.refuse_unreadable(_("Give a whole number."), {name: _("Give a whole number.")} if typed is None else {})
    return typed or 0


def _back(challenge: Challenge, message: str, kind: str = "success", anchor: str = "") -> Response:
    return redirect(_manage_url(challenge, anchor), message=message, kind=kind)


@router.post(f"{MANAGE}/settings")
def save_settings(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    try:
        service.update_panel(
            session,
            actor=actor,
            challenge=challenge,
            now=now,
            jurors_per_concept=_whole(form, "jurors_per_concept"),
            blind_review=_checkbox(form, "blind_review")
            if permissions.can_set_blind_review(actor, challenge, now)
            else None,
            scores_shared=_checkbox(form, "scores_shared"),
        )
    except AppError as error:
        return _host_page(
            request,
            session,
            challenge,
            actor,
            now,
            errors=form_errors(error),
            values=dict(form),
            status_code=error.status,
        )
    return _back(challenge, _("The jury's settings were saved."))


@router.post(f"{MANAGE}/invitations")
def invite(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    email = form.get("email", "").strip()
    role = JurorRole.CHAIR if form.get("role") == JurorRole.CHAIR.value else JurorRole.MEMBER
    try:
        service.invite(session, actor=actor, challenge=challenge, email=email, role=role, now=now)
    except AppError as error:
        return _host_page(
            request,
            session,
            challenge,
            actor,
            now,
            errors=form_errors(error),
            values=dict(form),
            status_code=error.status,
        )
    return _back(challenge, _("An invitation was sent to %(email)s.") % {"email": email.lower()}, anchor="jurors")


def _then(challenge: Challenge, act: Callable[[], object], message: str | Callable[[], str], anchor: str) -> Response:
    """Do `act`, then back to the hosts' page with `message`, or with what refused it."""
    try:
        act()
    except AppError as error:
        return _back(challenge, error.detail, "warning", anchor)
    return _back(challenge, message if isinstance(message, str) else message(), anchor=anchor)


@router.post(f"{MANAGE}/invitations/{{invitation_id}}/revoke")
def revoke_invitation(
    invitation_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _then(
        challenge,
        lambda: service.revoke_invitation(
            session, actor=actor, challenge=challenge, invitation_id=invitation_id, now=clock.now()
        ),
        _("The invitation was withdrawn."),
        "jurors",
    )


@router.post(f"{MANAGE}/jurors/{{juror_id}}/role")
def set_role(
    juror_id: RowId,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    role = JurorRole.CHAIR if form.get("role") == JurorRole.CHAIR.value else JurorRole.MEMBER
    return _then(
        challenge,
        lambda: service.set_role(
            session, actor=actor, challenge=challenge, juror_id=juror_id, role=role, now=clock.now()
        ),
        _("The chair was named.") if role == JurorRole.CHAIR else _("The chair is now a member of the jury."),
        "jurors",
    )


@router.post(f"{MANAGE}/jurors/{{juror_id}}/remove")
def remove_juror(
    juror_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _then(
        challenge,
        lambda: service.remove_juror(session, actor=actor, challenge=challenge, juror_id=juror_id, now=clock.now()),
        _("The juror was taken off the jury. Run the assignment again to give their open concepts to others."),
        "jurors",
    )


@router.post(f"{MANAGE}/assignments/run")
def run_assignment(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        outcome = service.run_assignment(session, actor=actor, challenge=challenge, now=clock.now())
    except AppError as error:
        return _back(challenge, error.detail, "warning", "assignments")
    message = ngettext("%(num)d assignment was made.", "%(num)d assignments were made.", outcome.added) % {
        "num": outcome.added
    }
    if outcome.flagged:
        message += " " + ngettext(
            "%(num)d possible conflict of interest was flagged for you to decide.",
            "%(num)d possible conflicts of interest were flagged for you to decide.",
            outcome.flagged,
        ) % {"num": outcome.flagged}
    for short in outcome.shortfalls:
        message += " " + ngettext(
            "%(title)s has only %(available)d juror without a conflict of interest, %(missing)d too few.",
            "%(title)s has only %(available)d jurors without a conflict of interest, %(missing)d too few.",
            short.available,
        ) % {"title": short.title, "available": short.available, "missing": short.missing}
    return _back(challenge, message, "warning" if outcome.shortfalls else "success", "assignments")


@router.post(f"{MANAGE}/final-round")
def start_final_round(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    ids = [
        [n for v in form.getlist(name) if (n := forms.whole_number(v)) is not None] for name in ("concepts", "jurors")
    ]
    try:
        outcome = service.start_final_round(
            session, actor=actor, challenge=challenge, submission_ids=ids[0], juror_ids=ids[1], now=now
        )
    except AppError as error:
        return _host_page(request, session, challenge, actor, now, errors=form_errors(error), status_code=error.status)
    message = ngettext(
        "The final round has begun: %(num)d review was assigned to the final panel.",
        "The final round has begun: %(num)d reviews were assigned to the final panel.",
        outcome.added,
    ) % {"num": outcome.added}
    return _back(challenge, message, anchor="final-round")


@router.post(f"{MANAGE}/assignments")
def assign(
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    juror, concept = form.get("juror", ""), form.get("concept", "")
    juror_id, concept_id = forms.whole_number(juror), forms.whole_number(concept)
    if juror_id is None or concept_id is None:
        return _back(challenge, _("Choose a juror and a concept."), "warning", "assignments")
    return _then(
        challenge,
        lambda: service.assign(
            session, actor=actor, challenge=challenge, juror_id=juror_id, submission_id=concept_id, now=clock.now()
        ),
        _("The juror was assigned to the concept."),
        "assignments",
    )


@router.post(f"{MANAGE}/assignments/{{assignment_id}}/remove")
def unassign(
    assignment_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _then(
        challenge,
        lambda: service.unassign(
            session, actor=actor, challenge=challenge, assignment_id=assignment_id, now=clock.now()
        ),
        _("The juror was taken off the concept."),
        "assignments",
    )


@router.post(f"{MANAGE}/conflicts/{{conflict_id}}")
def decide_conflict(
    conflict_id: RowId,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    confirm = form.get("decision") == "confirm"
    return _then(
        challenge,
        lambda: service.decide_conflict(
            session, actor=actor, challenge=challenge, conflict_id=conflict_id, confirm=confirm, now=clock.now()
        ),
        _("The conflict of interest was confirmed: the juror is off that concept.")
        if confirm
        else _("The flag was dismissed: the juror may review that concept."),
        "conflicts",
    )


@router.post(f"{MANAGE}/reminders")
def remind(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    juror = form.get("juror", "")
    juror_id = forms.whole_number(juror)
    emailed: list[int] = []
    return _then(
        challenge,
        lambda: emailed.append(
            reviews.remind(session, actor=actor, challenge=challenge, now=clock.now(), juror_id=juror_id)
        ),
        lambda: (
            ngettext(
                "A reminder was emailed to %(num)d juror.", "Reminders were emailed to %(num)d jurors.", emailed[0]
            )
            % {"num": emailed[0]}
        ),
        "progress",
    )


@router.post(f"{MANAGE}/reviews/{{submission_id}}/jurors/{{juror_id}}/reopen")
def reopen(
    submission_id: RowId,
    juror_id: RowId,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    return _then(
        challenge,
        lambda: reviews.reopen(
            session, actor=actor, challenge=challenge, juror_id=juror_id, submission_id=submission_id, now=clock.now()
        ),
        _("The review was reopened; the juror was emailed."),
        "assignments",
    )


# --- awards and the announcement ---------------------------------------------------------------------------------

AWARD_ROWS = 20  # the most rows the form reads
EMPTY_AWARD_ROWS = 2  # shown below the awards so far, for more


def _major_units(minor: int) -> str:
    """An amount in minor units as the form shows it: whole units, with two decimals only when needed."""
    return str(minor // 100) if minor % 100 == 0 else f"{minor // 100}.{minor % 100:02d}"


def _award_rows(state: awards.AwardsState) -> list[dict[str, str]]:
    """The form's rows: the awards so far, else the proposal from the ranking."""
    if state.awards:
        given = [
            awards.AwardIn(
                a.award.submission_id,
                AwardKind(a.award.kind),
                a.award.name,
                a.award.prize_amount,
                a.award.motivation,
            )
            for a in state.awards
        ]
    else:
        given = state.proposal or []
    return [
        {
            "concept": str(a.submission_id),
            "kind": str(a.kind),
            "name": a.name,
            "prize": "" if a.prize_amount is None else _major_units(a.prize_amount),
            "motivation": a.motivation,
        }
        for a in given
    ]


def _awards_page(
    request: Request,
    session: SessionDep,
    challenge: Challenge,
    actor: Actor,
    now: datetime,
    *,
    rows: list[dict[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    state = awards.hosts_state(session, actor=actor, challenge=challenge, now=now)
    rows = rows if rows is not None else _award_rows(state)
    empty = {"concept": "", "kind": "", "name": "", "prize": "", "motivation": ""}
    context = {
        "challenge": challenge,
        "state": state,
        "rows": (rows + [empty] * EMPTY_AWARD_ROWS)[: max(AWARD_ROWS, len(rows))],
        "concepts": service.concept_choices(session, challenge=challenge),
        "kinds": [(str(kind), awards.kind_label(kind)) for kind in awards.KIND_ORDER],
        "errors": errors or {},
        "values": values or {},
        "follow_up": follow_up.of_challenge(session, challenge=challenge) if state.announcement else [],
        "statuses": [(str(status), follow_up.status_label(status)) for status in FollowUpStatus],
        "today": now.date().isoformat(),
    }
    return render(request, "jury/awards.html", context, status_code=status_code)


@router.get(f"{MANAGE}/awards", response_class=HTMLResponse)
def awards_page(
    request: Request, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _awards_page(request, session, challenge, actor, clock.now())


def _posted_awards(form: FormData) -> tuple[list[dict[str, str]], list[awards.AwardIn], dict[str, str]]:
    """The form's filled rows (as typed), the awards they make, and messages for what cannot be read."""
    rows, given, errors = [], [], {}
    for n in range(AWARD_ROWS):
        row = {key: form.get(f"{key}-{n}", "").strip() for key in ("concept", "kind", "name", "prize", "motivation")}
        if not row["concept"]:
            continue
        rows.append(row)
        position = len(rows) - 1
        kinds = {str(kind) for kind in AwardKind}
        if forms.whole_number(row["concept"]) is None:
            errors[f"concept-{position}"] = _("Choose a concept submitted to this challenge.")
        if row["kind"] not in kinds:
            errors[f"kind-{position}"] = _("Choose the award.")
        prize = forms.amount_in_minor_units(row["prize"]) if row["prize"] else None
        if row["prize"] and prize is None:
            errors[f"prize-{position}"] = _(
                "Give the prize as an amount, such as 25000 or 16666.67, or leave it empty."
            )
        if f"concept-{position}" in errors or f"kind-{position}" in errors or f"prize-{position}" in errors:
            continue
        given.append(
            awards.AwardIn(
                forms.whole_number(row["concept"]) or 0,
                AwardKind(row["kind"]),
                row["name"],
                prize,
                row["motivation"],
            )
        )
    return rows, given, errors


def _renamed(errors: dict[str, str]) -> dict[str, str]:
    """The service's `awards.N.field` names as the form's `field-N`."""
    names = {"concept": "concept", "kind": "kind", "name": "name", "prize": "prize", "motivation": "motivation"}
    renamed = {}
    for key, message in errors.items():
        parts = key.split(".")
        renamed[f"{names.get(parts[2], parts[2])}-{parts[1]}" if len(parts) == 3 else key] = message
    return renamed


@router.post(f"{MANAGE}/awards")
def save_awards(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    rows, given, errors = _posted_awards(form)
    try:
        if errors:
            forms.refuse_unreadable(_("Some awards need another look."), errors)
        awards.replace_awards(session, actor=actor, challenge=challenge, awards=given, now=now)
    except AppError as error:
        return _awards_page(
            request,
            session,
            challenge,
            actor,
            now,
            rows=rows,
            errors=_renamed(form_errors(error)),
            status_code=error.status,
        )
    return redirect(urls.manage_challenge(challenge.slug, "/jury/awards"), message=_("The awards were saved."))


@router.post(f"{MANAGE}/announce")
def announce(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    back = urls.manage_challenge(challenge.slug, "/jury/awards")
    try:
        announced = awards.announce(
            session,
            actor=actor,
            challenge=challenge,
            feedback_to_entrants=_checkbox(form, "feedback_to_entrants"),
            now=clock.now(),
        )
    except AppError as error:
        return redirect(back, message=error.detail, kind="warning")
    message = ngettext(
        "The results are announced. %(num)d team was emailed its outcome.",
        "The results are announced. %(num)d teams were emailed their outcome.",
        announced.teams_emailed,
    ) % {"num": announced.teams_emailed}
    return redirect(urls.challenge(challenge.slug, "/results"), message=message)


@router.post(f"{MANAGE}/follow-up")
def post_follow_up(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    concept, status, happened = form.get("concept", ""), form.get("status", ""), form.get("happened_on", "")
    try:
        errors = {}
        concept_id = forms.whole_number(concept)
        if concept_id is None:
            errors["concept"] = _("Choose one of the awarded concepts.")
        if status not in {str(s) for s in FollowUpStatus}:
            errors["status"] = _("Choose where it stands.")
        try:
            day = date.fromisoformat(happened)
        except ValueError:
            errors["happened_on"] = _("Give the date as day, month and year.")
        if errors:
            forms.refuse_unreadable(_("The update needs another look."), errors)
        follow_up.post_update(
            session,
            actor=actor,
            challenge=challenge,
            submission_id=concept_id or 0,
            status=FollowUpStatus(status),
            text=form.get("text", ""),
            happened_on=day,
            now=now,
        )
    except AppError as error:
        return _awards_page(
            request,
            session,
            challenge,
            actor,
            now,
            errors=form_errors(error),
            values=dict(form),
            status_code=error.status,
        )
    return redirect(
        urls.manage_challenge(challenge.slug, "/jury/awards", anchor="follow-up"),
        message=_("The update is posted on the challenge, the concept and your organisation's page."),
    )


@router.post(f"{MANAGE}/follow-up/{{update_id}}/remove")
def remove_follow_up(
    update_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    back = urls.manage_challenge(challenge.slug, "/jury/awards", anchor="follow-up")
    try:
        follow_up.remove_update(session, actor=actor, challenge=challenge, update_id=update_id, now=clock.now())
    except AppError as error:
        return redirect(back, message=error.detail, kind="warning")
    return redirect(back, message=_("The update was taken back."))


# --- the juror's side --------------------------------------------------------------------------------------------


@router.get(JURY, response_class=HTMLResponse)
def my_work(
    request: Request, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    work = reviews.my_work(session, actor=actor, challenge=challenge, now=now)
    context = {
        "challenge": challenge,
        "work": work,
        "conflicts": service.visible_conflicts(session, actor=actor, challenge=challenge),
        "concepts": service.concept_choices(session, challenge=challenge),
        "can_declare": permissions.can_declare_conflict(challenge, work.juror, now),
        "can_share": permissions.can_share_scores(actor, challenge, work.juror, now),
    }
    return render(request, "jury/mine.html", context)


@router.post(f"{JURY}/conflicts")
def declare_conflict(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    concept = form.get("concept", "")
    back = urls.jury(challenge.slug, anchor="conflicts")
    concept_id = forms.whole_number(concept)
    if concept_id is None:
        return redirect(back, message=_("Choose the concept you have a conflict of interest with."), kind="warning")
    try:
        service.declare_conflict(
            session,
            actor=actor,
            challenge=challenge,
            submission_id=concept_id,
            reason=form.get("reason", ""),
            now=clock.now(),
        )
    except AppError as error:
        return redirect(back, message=error.detail, kind="warning")
    return redirect(back, message=_("Your conflict of interest is recorded: you will not review that concept."))


@router.post(f"{JURY}/settings")
def share_scores(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    back = urls.jury(challenge.slug)
    try:
        service.update_panel(
            session, actor=actor, challenge=challenge, now=clock.now(), scores_shared=_checkbox(form, "scores_shared")
        )
    except AppError as error:
        return redirect(back, message=error.detail, kind="warning")
    return redirect(back, message=_("The jury's settings were saved."))


def _sheet_page(
    request: Request,
    sheet: reviews.ReviewSheet,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "challenge": sheet.challenge,
        "sheet": sheet,
        "errors": errors or {},
        "values": values if values is not None else sheet.values,
    }
    return render(request, "jury/review.html", context, status_code=status_code)


@router.get(f"{JURY}/reviews/{{submission_id}}", response_class=HTMLResponse)
def review_form(
    request: Request,
    submission_id: RowId,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    sheet = reviews.sheet(session, actor=actor, challenge=challenge, submission_id=submission_id, now=clock.now())
    return _sheet_page(request, sheet)


def _scores_from(form: FormData, sheet: reviews.ReviewSheet) -> tuple[list[reviews.ScoreIn], dict[str, str]]:
    """The form's scores; a score that is not a whole number is a field message (kept as typed)."""
    scores, errors = [], {}
    for criterion in sheet.criteria:
        typed = form.get(f"score-{criterion.id}", "").strip()
        value = forms.whole_number(typed, max_digits=4)
        if typed and value is None:
            errors[f"score-{criterion.id}"] = _("Give a whole number from 0 to %(max)d.") % {
                "max": sheet.challenge.scoring_scale_max
            }
        scores.append(reviews.ScoreIn(criterion.id or 0, value, form.get(f"comment-{criterion.id}", "")))
    return scores, errors


@router.post(f"{JURY}/reviews/{{submission_id}}")
def save_review(
    request: Request,
    submission_id: RowId,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    sheet = reviews.sheet(session, actor=actor, challenge=challenge, submission_id=submission_id, now=now)
    scores, errors = _scores_from(form, sheet)
    submit = form.get("action") == "submit"
    try:
        if errors:  # with what the service would say of the rest, so one round tells everything
            errors = reviews.score_errors(challenge, sheet.criteria, scores, submit) | errors
            forms.refuse_unreadable(_("Some scores need another look."), errors)
        reviews.save(
            session,
            actor=actor,
            challenge=challenge,
            submission_id=submission_id,
            scores=scores,
            overall_comment=form.get("overall_comment", ""),
            submit=submit,
            now=now,
        )
    except AppError as error:
        return _sheet_page(request, sheet, errors=form_errors(error), values=dict(form), status_code=error.status)
    if submit:
        return redirect(
            urls.jury(challenge.slug),
            message=_("Your review of %(title)s is submitted.") % {"title": sheet.version.title},
        )
    return redirect(urls.jury(challenge.slug, f"/reviews/{submission_id}"), message=_("Your draft is saved."))


@router.get("/account/jury", response_class=HTMLResponse)
def my_seats(request: Request, session: SessionDep, actor: SignedInDep) -> Response:
    return render(request, "jury/seats.html", {"seats": reviews.seats(session, actor=actor)})


# --- invitations (the invitee's side) ----------------------------------------------------------------------------


@router.get("/jury-invitations/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    try:
        invitation, challenge = service.invitation_by_token(session, raw_token=token)
        service.check_usable(invitation, now=clock.now())
    except AppError as error:
        return render(request, "jury/invitation.html", {"problem": error.detail}, status_code=error.status)
    context = {
        "invitation": invitation,
        "challenge": challenge,
        "token": token,
        "is_for_actor": service.is_for(invitation, actor),
        "next_path": request.url.path,
        "tz": challenge.host.timezone,
    }
    return render(request, "jury/invitation.html", context)


@router.post("/jury-invitations/{token}/accept")
def accept_invitation(
    request: Request, token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        _seat, challenge = service.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
    except AppError as error:
        return render(request, "jury/invitation.html", {"problem": error.detail}, status_code=error.status)
    return redirect(urls.jury(challenge.slug), message=_("Welcome to the jury! Your assigned concepts appear here."))


@router.post("/jury-invitations/{token}/decline")
def decline_invitation(
    request: Request, token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        challenge = service.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    except AppError as error:
        return render(request, "jury/invitation.html", {"problem": error.detail}, status_code=error.status)
    return redirect(urls.challenge(challenge.slug), message=_("You declined the invitation."))
