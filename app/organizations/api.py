"""The organisations API: organisations, logos, members and invitations under /api/v1."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status
from pydantic import BaseModel

from app.accounts.deps import ActorDep, SignedInDep
from app.actor import Actor
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import Forbidden
from app.i18n import gettext as _
from app.kit import images
from app.kit.pagination import MAX_PAGE, next_page_url, page_size
from app.openapi import problems
from app.organizations import permissions, service
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


def require_organization_creator(actor: SignedInDep) -> Actor:
    """Refuse non-platform-admins before the body is even read (the service checks again)."""
    if not permissions.can_create_organization(actor):
        raise Forbidden(_("Only platform administrators can create organisations."))
    return actor


CreatorDep = Annotated[Actor, Depends(require_organization_creator)]


def public_json(request: Request, body: BaseModel) -> Response:
    """A public read with an ETag; a client that already has this version gets 304 Not Modified."""
    content = body.model_dump_json().encode()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content, media_type="application/json", headers=headers)


PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
SizeQuery = Annotated[int, Query(ge=1, description="Items per page; at most 100 (larger sizes are capped).")]


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
    return public_json(request, OrganizationPage(
        items=[OrganizationRead.from_model(org) for org in organizations], page=page, size=size, total=total,
        next=next_page_url(request.url, page=page, size=size, total=total),
    ))  # fmt: skip


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
def get_organisation(request: Request, slug: str, session: SessionDep, actor: ActorDep) -> Response:
    return public_json(request, OrganizationRead.from_model(service.get_by_slug(session, slug=slug)))


@router.patch(
    "/organisations/{slug}",
    response_model=OrganizationRead,
    summary="Change an organisation's details (owners, admins, platform admins)",
    responses=problems(401, 403, 404, 422),
)
def update_organisation(
    slug: str, data: OrganizationUpdate, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> OrganizationRead:
    organization = service.get_by_slug(session, slug=slug)
    return OrganizationRead.from_model(
        service.update_organization(session, actor=actor, organization=organization, data=data, now=clock.now())
    )


@router.put(
    "/organisations/{slug}/logo",
    response_model=OrganizationRead,
    summary="Upload the organisation's logo (PNG, JPEG or WebP, at most 1 MB)",
    responses=problems(401, 403, 404, 413, 415),
)
def upload_logo(
    slug: str,
    logo: Annotated[UploadFile, File(description="A PNG, JPEG or WebP image of at most 1 MB.")],
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> OrganizationRead:
    organization = service.get_by_slug(session, slug=slug)
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
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, page: PageQuery = 1, size: SizeQuery = 50
) -> MemberPage:
    size = page_size(size)
    organization = service.get_by_slug(session, slug=slug)
    members = service.list_members(session, actor=actor, organization=organization)
    chunk = members[(page - 1) * size : page * size]
    return MemberPage(
        items=[member_read(row) for row in chunk], page=page, size=size, total=len(members),
        next=next_page_url(request.url, page=page, size=size, total=len(members)),
    )  # fmt: skip


@router.patch(
    "/organisations/{slug}/members/{user_id}",
    response_model=MemberRead,
    summary="Change a member's role",
    description="Owners change any role; admins manage editors and admins. The last owner cannot be demoted.",
    responses=problems(401, 403, 404, 409, 422),
)
def change_member_role(
    slug: str, user_id: RowId, data: MembershipUpdate, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> MemberRead:
    organization = service.get_by_slug(session, slug=slug)
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
def remove_member(slug: str, user_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    organization = service.get_by_slug(session, slug=slug)
    service.remove_member(session, actor=actor, organization=organization, user_id=user_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/organisations/{slug}/leave",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Leave an organisation",
    description="The last owner cannot leave; make someone else an owner first.",
    responses=problems(401, 404, 409),
)
def leave_organisation(slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    organization = service.get_by_slug(session, slug=slug)
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
    slug: str,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    page: PageQuery = 1,
    size: SizeQuery = 50,
) -> InvitationPage:
    size = page_size(size)
    organization = service.get_by_slug(session, slug=slug)
    invitations = service.list_invitations(session, actor=actor, organization=organization)
    now = clock.now()
    chunk = invitations[(page - 1) * size : page * size]
    return InvitationPage(
        items=[InvitationRead.from_model(invitation, now) for invitation in chunk], page=page, size=size,
        total=len(invitations), next=next_page_url(request.url, page=page, size=size, total=len(invitations)),
    )  # fmt: skip


@router.post(
    "/organisations/{slug}/invitations",
    response_model=InvitationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone by email",
    description="The invitee gets an email with a single-use link; they must sign in with that address to accept.",
    responses=problems(401, 403, 404, 409, 422),
)
def create_invitation(
    slug: str, data: InvitationCreate, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> InvitationRead:
    organization = service.get_by_slug(session, slug=slug)
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
    slug: str, invitation_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    organization = service.get_by_slug(session, slug=slug)
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
    slug: str, invitation_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> InvitationRead:
    organization = service.get_by_slug(session, slug=slug)
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
