"""The audit log API: read-only, filtered and paginated."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.audit import service
from app.audit.schemas import AuditEventPage, AuditEventRead
from app.auth.deps import SignedInDep
from app.db import SessionDep
from app.kit.bounds import Day
from app.kit.pagination import MAX_PAGE, next_page_url, page_size
from app.openapi import problems
from app.organizations import service as organizations

router = APIRouter(tags=["audit"])


@router.get(
    "/audit-events",
    response_model=AuditEventPage,
    summary="List audit events, newest first",
    description=(
        "Platform admins see every event; owners and admins of an organisation see that organisation's events, "
        "except what teams do on their concepts before submitting (drafts, invitations, members, the team finder): "
        "they see a concept's submission and withdrawal. Filters combine with AND."
    ),
    responses=problems(401, 403, 404, 422),
)
def list_audit_events(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    organisation: Annotated[str | None, Query(max_length=60, description="Organisation slug.")] = None,
    action: Annotated[
        str | None, Query(max_length=80, description="An action (`membership.role`) or its prefix (`membership`).")
    ] = None,
    actor_filter: Annotated[
        str | None, Query(alias="actor", max_length=254, description="The acting user's email address or id.")
    ] = None,
    date_from: Annotated[Day | None, Query(description="First day (UTC), included.")] = None,
    date_to: Annotated[Day | None, Query(description="Last day (UTC), included.")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, description="At most 100 (larger sizes are capped).")] = 50,
) -> AuditEventPage:
    size = page_size(size)
    organization_id = organizations.get_by_slug(session, slug=organisation).id if organisation else None
    filters = service.EventFilter(
        organization_id=organization_id, action=action, actor=actor_filter, date_from=date_from, date_to=date_to
    )
    events, total = service.events_for(session, actor=actor, filters=filters, page=page, size=size)
    return AuditEventPage(
        items=[AuditEventRead.from_model(event) for event in events], page=page, size=size, total=total,
        next=next_page_url(request.url, page=page, size=size, total=total),
    )  # fmt: skip
