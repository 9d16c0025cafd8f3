"""Gallery pages: a challenge's concepts as cards with search, filters and sorts in the URL; concept covers (served,
set and removed from the edit page); and the hosts' dashboard with its CSV export."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.challenges.schemas import MAX_COVER_BYTES
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import AppError, NotFound
from app.i18n import gettext as _
from app.kit import bodies, forms, images, responses, urls
from app.kit.forms import form_errors
from app.submissions import permissions, service, views
from app.submissions.deps import ConceptDep, SignedInConceptDep
from app.submissions.gallery import covers, dashboard
from app.submissions.gallery import service as gallery
from app.submissions.models import SubmissionStatus
from app.templating import redirect, render

router = APIRouter()
PAGE_SIZE = 12
SEED_COOKIE = "gallery_seed"


def _choice(value: str | None, allowed: type[StrEnum]) -> Any:
    return allowed(value) if value in {item.value for item in allowed} else None


@router.get("/challenges/{slug}/submissions", response_class=HTMLResponse)
def gallery_page(
    request: Request,
    slug: str,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    challenge: ChallengeDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str | None, Query(max_length=20)] = None,
    seed: Annotated[str | None, Query(max_length=12)] = None,
    files: Annotated[str | None, Query(max_length=3)] = None,
    team: Annotated[str | None, Query(max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    now = clock.now()
    chosen_sort = _choice(sort, gallery.Sort) or gallery.Sort.NEWEST
    if chosen_sort is gallery.Sort.UPDATED:
        chosen_sort = gallery.Sort.NEWEST
    # The visitor's shuffle: from the link (pagination keeps it), else their cookie, else a new one kept in it.
    digits = len(str(gallery.MAX_SEED))
    typed_seed = forms.whole_number(seed, max_digits=digits)
    if typed_seed is None:
        typed_seed = forms.whole_number(request.cookies.get(SEED_COOKIE), max_digits=digits)
    chosen_seed = typed_seed if typed_seed is not None and 1 <= typed_seed <= gallery.MAX_SEED else None
    query = gallery.GalleryQuery(
        q=(q or "").strip() or None, sort=chosen_sort, seed=chosen_seed, with_files=files == "yes",
        team=_choice(team, gallery.TeamKind), page=page, size=PAGE_SIZE,
    )  # fmt: skip
    found = gallery.gallery(session, challenge=challenge, actor=actor, now=now, query=query)
    chosen: dict[str, str | int | None] = {
        "q": query.q,
        "files": "yes" if query.with_files else None,
        "team": query.team.value if query.team else None,
        "sort": chosen_sort.value,
        "seed": found.seed,
    }
    kept = {name: value for name, value in chosen.items() if value is not None}

    def page_url(number: int) -> str:
        return urls.challenge(slug, "/submissions?") + urlencode({**kept, "page": number})

    response = render(
        request,
        "submissions/gallery.html",
        {
            "challenge": challenge,
            "gallery": found,
            "chosen": chosen,
            "sorts": [gallery.Sort.NEWEST, gallery.Sort.COMMENTS, gallery.Sort.RANDOM],
            "sort_label": gallery.sort_label,
            "previous_url": page_url(page - 1) if page > 1 else None,
            "next_url": page_url(page + 1) if found.has_next else None,
            "runs_challenge": permissions.runs_challenge(actor, challenge),
            "public": permissions.submissions_are_public(challenge, now),
            "tz": challenge.host.timezone,
            "back": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        }
        | views.page_context(session, challenge=challenge, actor=actor, now=now),
    )
    if found.seed is not None and request.cookies.get(SEED_COOKIE) != str(found.seed) and not seed:
        response.set_cookie(SEED_COOKIE, str(found.seed), max_age=30 * 24 * 3600, httponly=True, samesite="lax")
    return response


# --- covers ------------------------------------------------------------------------------------------------------


@router.get("/challenges/{slug}/submissions/{submission_id}/cover/{sha256}")
def submission_cover(
    request: Request, sha256: str, session: SessionDep, actor: ActorDep, clock: ClockDep, concept: ConceptDep
) -> Response:
    now = clock.now()
    challenge, submission = concept  # a 404 to whoever may not see it
    cover = covers.cover_of(session, submission=submission, sha256=sha256)
    shared = covers.shared_cache_allowed(submission, challenge, now)
    return responses.immutable_image(
        request, content=cover.content, content_type=cover.content_type, sha256=cover.sha256, shared=shared
    )


@router.post("/challenges/{slug}/submissions/{submission_id}/cover")
@bodies.takes_files(max_bytes=MAX_COVER_BYTES)
def upload_cover(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
    cover: Annotated[UploadFile | None, File()] = None,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    try:
        content = covers.check_chosen(images.read_chosen(cover, max_bytes=MAX_COVER_BYTES))
        covers.set_cover(session, actor=actor, challenge=challenge, submission=submission, content=content, now=now)
    except AppError as error:
        if isinstance(error, NotFound):
            raise
        values: dict[str, Any] = {name: getattr(submission, name) for name in service.TEXT_FIELDS}
        values["anonymous"] = submission.anonymous
        errors = form_errors(error, file_field="cover", renamed={"form": "cover"})
        return render(
            request, "submissions/form.html",
            {"challenge": challenge, "submission": submission, "values": values, "errors": errors},
            status_code=error.status,
        )  # fmt: skip
    return redirect(urls.concept(challenge.slug, submission.id, "/edit"), message=_("The cover image was saved."))


@router.post("/challenges/{slug}/submissions/{submission_id}/cover/remove")
def remove_cover(session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep) -> Response:
    now = clock.now()
    challenge, submission = concept
    covers.remove_cover(session, actor=actor, challenge=challenge, submission=submission, now=now)
    return redirect(urls.concept(challenge.slug, submission.id, "/edit"), message=_("The cover image was removed."))


# --- the hosts' dashboard ----------------------------------------------------------------------------------------


@router.get("/manage/challenges/{slug}/submissions", response_class=HTMLResponse)
def dashboard_page(
    request: Request, session: SessionDep, actor: SignedInDep, challenge: SignedInChallengeDep
) -> Response:
    counts = dashboard.counts(session, actor=actor, challenge=challenge)
    rows = dashboard.rows(session, actor=actor, challenge=challenge,
                          statuses=[SubmissionStatus.SUBMITTED, SubmissionStatus.WITHDRAWN])  # fmt: skip
    return render(
        request,
        "manage/challenge_submissions.html",
        {"challenge": challenge, "counts": counts, "rows": rows, "tz": challenge.host.timezone},
    )


@router.get("/manage/challenges/{slug}/submissions.csv")
def dashboard_csv(
    slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> Response:
    text = dashboard.export_csv(session, actor=actor, challenge=challenge, now=clock.now())
    return responses.csv_download(text, filename=f"{slug}-submissions.csv")
