"""The organisations API: organisations, logos, members and invitations under /api/v1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status

from app.auth.deps import ActorDep, SignedInDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.kit import bodies, images
from app.kit.pagination import MAX_PAGE, next_page_url, page_size
from app.kit.responses import json_with_etag
from app.openapi import problems
from app.organizations import service
from app.organizations.deps import CreatorDep, OrganizationDep, SignedInOrganizationDep
from app.organizations.schemas import (
    MAX_LOGO_BYTES,
    InvitationCreate,
    InvitationPage,
    InvitationRead,
    MemberPage,
    MemberRead,
    MembershipUpdate,
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationUpdate,
)

router = APIRouter(tags=["organisations"])


T = TypeVar("T")


PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
SizeQuery = Annotated[int, Query(ge=1, description="Items per page; at most 100 (larger sizes are capped).")]


def page_of(items: Sequence[T], *, page: int, size: int) -> Sequence[T]:
    """The items on page `page` of a list the service returned whole (members and invitations are few)."""
    return items[(page - 1) * size : page * size]


def member_read(row: service.MemberRow) -> MemberRead:
    return MemberRead(
        user_id=row.user.id or 0,
        display_name=row.user.display_name,
        email=row.user.email,
        role=row.membership.role,
        joined_at=row.membership.created_at,
    )


@router.get(
    "/organisations",
    response_model=OrganizationPage,
    summary="List organisations",
    responses={304: {"description": "Not modified (the `If-None-Match` ETag still matches)"}},
)
def list_organisations(
    request: Request, session: SessionDep, actor: ActorDep, page: PageQuery = 1, size: SizeQuery = 20
) -> Response:
    size = page_size(size)
    organizations, total = service.page_of_organizations(session, page=page, size=size)
    body = OrganizationPage(
        items=[OrganizationRead.from_model(org) for org in organizations],
        page=page,
        size=size,
        total=total,
        next=next_page_url(request.url, page=page, size=size, total=total),
    )
    return json_with_etag(request, body, shared=True)


@router.post(
    "/organisations",
    response_model=OrganizationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation (platform admins)",
    responses=problems(401, 403, 409, 422),
)
def create_organisation(
    data: OrganizationCreate, response: Response, session: SessionDep, actor: CreatorDep, clock: ClockDep
) -> OrganizationRead:
    organization = service.create_organization(session, actor=actor, data=data, now=clock.now())
    response.headers["Location"] = f"/api/v1/organisations/{organization.slug}"
    return OrganizationRead.from_model(organization)


@router.get(
    "/organisations/{slug}",
    response_model=OrganizationRead,
    summary="Get an organisation",
    responses={**problems(404), 304: {"description": "Not modified (the `If-None-Match` ETag still matches)"}},
)
def get_organisation(request: Request, actor: ActorDep, organization: OrganizationDep) -> Response:
    return json_with_etag(request, OrganizationRead.from_model(organization), shared=True)


@router.patch(
    "/organisations/{slug}",
    response_model=OrganizationRead,
    summary="Change an organisation's details (owners, admins, platform admins)",
    responses=problems(401, 403, 404, 422),
)
def update_organisation(
    organization: SignedInOrganizationDep,
    data: OrganizationUpdate,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> OrganizationRead:
    return OrganizationRead.from_model(
        service.update_organization(session, actor=actor, organization=organization, data=data, now=clock.now())
    )


@router.put(
    "/organisations/{slug}/logo",
    response_model=OrganizationRead,
    summary="Upload the organisation's logo (PNG, JPEG or WebP, at most 1 MB)",
    responses=problems(401, 403, 404, 413, 415),
)
@bodies.takes_files(max_bytes=MAX_LOGO_BYTES)
def upload_logo(
    organization: SignedInOrganizationDep,
    logo: Annotated[UploadFile, File(description="A PNG, JPEG or WebP image of at most 1 MB.")],
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> OrganizationRead:
    content = images.read_upload(logo, max_bytes=MAX_LOGO_BYTES)
    service.set_logo(session, actor=actor, organization=organization, content=content, now=clock.now())
    return OrganizationRead.from_model(organization)


@router.get(
    "/organisations/{slug}/members",
    response_model=MemberPage,
    summary="List members (visible to the organisation's members and platform admins)",
    responses=problems(401, 404),
)
def list_members(
    request: Request,
    organization: SignedInOrganizationDep,
    session: SessionDep,
    actor: SignedInDep,
    page: PageQuery = 1,
    size: SizeQuery = 50,
) -> MemberPage:
    size = page_size(size)
    members = service.list_members(session, actor=actor, organization=organization)
    total = len(members)
    return MemberPage(
        items=[member_read(row) for row in page_of(members, page=page, size=size)],
        page=page,
        size=size,
        total=total,
        next=next_page_url(request.url, page=page, size=size, total=total),
    )


@router.patch(
    "/organisations/{slug}/members/{user_id}",
    response_model=MemberRead,
    summary="Change a member's role",
    description="Owners change any role; admins manage editors and admins. The last owner cannot be demoted.",
    responses=problems(401, 403, 404, 409, 422),
)
def change_member_role(
    organization: SignedInOrganizationDep,
    user_id: RowId,
    data: MembershipUpdate,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> MemberRead:
    service.change_role(session, actor=actor, organization=organization, user_id=user_id, role=data.role,
                        now=clock.now())  # fmt: skip
    row = next(r for r in service.list_members(session, actor=actor, organization=organization) if r.user.id == user_id)
    return member_read(row)


@router.delete(
    "/organisations/{slug}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member",
    description="Admins cannot remove owners; the last owner cannot be removed.",
    responses=problems(401, 403, 404, 409),
)
def remove_member(
    organization: SignedInOrganizationDep,
    user_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    service.remove_member(session, actor=actor, organization=organization, user_id=user_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/organisations/{slug}/leave",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Leave an organisation",
    description="The last owner cannot leave; make someone else an owner first.",
    responses=problems(401, 404, 409),
)
def leave_organisation(
    organization: SignedInOrganizationDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    service.leave(session, actor=actor, organization=organization, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/organisations/{slug}/invitations",
    response_model=InvitationPage,
    summary="List open invitations (owners, admins, platform admins)",
    responses=problems(401, 403, 404),
)
def list_invitations(
    request: Request,
    organization: SignedInOrganizationDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    page: PageQuery = 1,
    size: SizeQuery = 50,
) -> InvitationPage:
    size = page_size(size)
    invitations = service.list_invitations(session, actor=actor, organization=organization)
    now = clock.now()
    total = len(invitations)
    return InvitationPage(
        items=[InvitationRead.from_model(invitation, now) for invitation in page_of(invitations, page=page, size=size)],
        page=page,
        size=size,
        total=total,
        next=next_page_url(request.url, page=page, size=size, total=total),
    )


@router.post(
    "/organisations/{slug}/invitations",
    response_model=InvitationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone by email",
    description="The invitee gets an email with a single-use link; they must sign in with that address to accept.",
    responses=problems(401, 403, 404, 409, 422),
)
def create_invitation(
    organization: SignedInOrganizationDep,
    data: InvitationCreate,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> InvitationRead:
    now = clock.now()
    invitation = service.invite(
        session, actor=actor, organization=organization, email=str(data.email), role=data.role, now=now
    )
    return InvitationRead.from_model(invitation, now)


@router.delete(
    "/organisations/{slug}/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an invitation",
    responses=problems(401, 403, 404, 409),
)
def revoke_invitation(
    organization: SignedInOrganizationDep,
    invitation_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    service.revoke_invitation(
        session, actor=actor, organization=organization, invitation_id=invitation_id, now=clock.now()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/organisations/{slug}/invitations/{invitation_id}/resend",
    response_model=InvitationRead,
    summary="Send an invitation again with a fresh link",
    responses=problems(401, 403, 404, 409),
)
def resend_invitation(
    organization: SignedInOrganizationDep,
    invitation_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> InvitationRead:
    now = clock.now()
    invitation = service.resend_invitation(
        session, actor=actor, organization=organization, invitation_id=invitation_id, now=now
    )
    return InvitationRead.from_model(invitation, now)


@router.post(
    "/invitations/{token}/accept",
    response_model=OrganizationRead,
    summary="Accept an invitation (signed in with the invited email address)",
    responses=problems(401, 403, 404, 409),
)
def accept_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> OrganizationRead:
    service.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
    organization = service.invitation_by_token(session, raw_token=token)[1]
    return OrganizationRead.from_model(organization)


@router.post(
    "/invitations/{token}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Decline an invitation (signed in with the invited email address)",
    responses=problems(401, 403, 404, 409),
)
def decline_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    service.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
