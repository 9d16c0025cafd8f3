"""The gallery listing, concept covers and the hosts' CSV export under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status

from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.challenges.schemas import MAX_COVER_BYTES
from app.clock import ClockDep
from app.db import SessionDep
from app.kit import bodies, images, pagination, responses
from app.openapi import NOT_FOUND, NOT_MODIFIED, WRITE_ERRORS, Responses, problem_response
from app.submissions import service, views
from app.submissions.deps import CONCEPT, CONCEPTS, SignedInConceptDep
from app.submissions.gallery import covers, dashboard
from app.submissions.gallery import service as gallery
from app.submissions.schemas import MAX_PAGE_SIZE, GalleryItemRead, GalleryPage, SubmissionRead, submission_read

router = APIRouter(tags=["submissions"])
COVER_ERRORS: Responses = {
    **WRITE_ERRORS,
    403: problem_response("Only the team changes its concept's cover."),
    413: problem_response("The image is larger than 2 MB."),
    415: problem_response("The image is not a PNG, JPEG or WebP image (judged by its content)."),
}


@router.get(
    CONCEPTS + "/export.csv",
    summary="Export the submitted entries as CSV (hosts)",
    description=(
        "The newest version of each submitted concept: id, title, summary, team name (with an `anonymous` column), "
        "version, submission time, number of files and the lead's email. UTF-8 with a byte order mark; cells that "
        "a spreadsheet would run as a formula start with a quote."
    ),
    responses={**NOT_FOUND, 403: problem_response("Only the challenge's hosts export its entries."),
               200: {"content": {"text/csv": {}}, "description": "The CSV file."}},
    response_class=Response,
)  # fmt: skip
def export_csv(
    slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> Response:
    text = dashboard.export_csv(session, actor=actor, challenge=challenge, now=clock.now())
    return responses.csv_download(text, filename=f"{slug}-submissions.csv")


@router.get(
    CONCEPTS,
    response_model=GalleryPage,
    summary="List the concepts you may see, with search, filters and sorts",
    description=(
        "Your team's concepts (drafts included), the submitted and withdrawn ones for the hosts (hidden ones marked "
        "`hidden`), and public ones for everyone once the challenge publishes them; `status=submitted` keeps the "
        "gallery's submitted ones only. `q` searches the title and summary of the newest submitted version. Sorts: "
        "`updated` (newest change first, the default), `newest` (newest submission), `comments` (most commented) and "
        "`random`, which follows `seed` (one is chosen and returned when you send none; `next` keeps it)."
    ),
    responses={**NOT_FOUND, **NOT_MODIFIED},
)
def list_submissions(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    challenge: ChallengeDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: gallery.Sort = gallery.Sort.UPDATED,
    seed: Annotated[int | None, Query(ge=1, le=gallery.MAX_SEED)] = None,
    with_files: Annotated[bool, Query(description="Only concepts whose newest version has files.")] = False,
    team: Annotated[gallery.TeamKind | None, Query(description="`team` (2+ people) or `solo`.")] = None,
    status_: Annotated[str | None, Query(alias="status", pattern="^submitted$")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    size: Annotated[int, Query(ge=1, description=f"Items per page; at most {MAX_PAGE_SIZE}.")] = 20,
) -> Response:
    size = pagination.page_size(size, cap=MAX_PAGE_SIZE)
    query = gallery.GalleryQuery(q=q, sort=sort, seed=seed, with_files=with_files, team=team, page=page, size=size,
                                 submitted_only=status_ == "submitted")  # fmt: skip
    found = gallery.gallery(session, challenge=challenge, actor=actor, now=clock.now(), query=query,
                            options=service.LOAD)  # fmt: skip
    shown = service.shown_many(session, submissions=[card.submission for card in found.cards], actor=actor)
    hidden = views.teams_hidden(session, challenge=challenge, actor=actor)
    items = [
        GalleryItemRead(
            **submission_read(item, actor=actor, challenge=challenge, teams_hidden=hidden).model_dump(),
            comment_count=card.comment_count, hidden=card.hidden, cover_url=card.cover_url,
        )
        for item, card in zip(shown, found.cards, strict=True)
    ]  # fmt: skip
    following = {"page": page + 1, "size": size, **({"seed": found.seed} if found.seed else {})}
    body = GalleryPage(
        items=items, page=page, size=size, total=found.total, seed=found.seed,
        next=str(request.url.include_query_params(**following)) if found.has_next else None,
    )  # fmt: skip
    return responses.json_with_etag(request, body, shared=not actor.is_authenticated)


@router.put(
    CONCEPT + "/cover",
    response_model=SubmissionRead,
    summary="Set the concept's cover image (multipart)",
    description="Team members, while submissions are open. PNG, JPEG or WebP judged by content, at most 2 MB.",
    responses=COVER_ERRORS,
)
@bodies.takes_files(max_bytes=MAX_COVER_BYTES)
def set_concept_cover(
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    file: Annotated[UploadFile, File(description="The image.")],
    concept: SignedInConceptDep,
) -> SubmissionRead:
    challenge, submission = concept
    content = images.read_upload(file, max_bytes=MAX_COVER_BYTES)
    covers.set_cover(session, actor=actor, challenge=challenge, submission=submission, content=content,
                     now=clock.now())  # fmt: skip
    return views.concept_read(session, challenge=challenge, submission=submission, actor=actor)


@router.delete(
    CONCEPT + "/cover",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove the concept's cover image",
    responses=COVER_ERRORS,
)
def remove_concept_cover(
    session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    challenge, submission = concept
    covers.remove_cover(session, actor=actor, challenge=challenge, submission=submission, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
