"""Organisation pages: the public list and profile, invitations, and management under /manage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.actor import Actor
from app.audit import permissions as audit_permissions
from app.auth.deps import ActorDep, SignedInDep
from app.challenges import permissions as challenge_permissions
from app.challenges import views as challenge_views
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import AppError, Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.i18n import gettext as _
from app.jury import views as jury_views
from app.kit import bodies, images, urls
from app.kit.forms import form_errors, parse_form
from app.kit.pagination import MAX_PAGE
from app.organizations import permissions, service
from app.organizations.deps import CreatorDep, EditableOrganizationDep, OrganizationDep, SignedInOrganizationDep
from app.organizations.models import Invitation, Organization, OrganizationKind, Role
from app.organizations.schemas import (
    MAX_LOGO_BYTES,
    InvitationCreate,
    Language,
    OrganizationCreate,
    OrganizationUpdate,
    invitation_status,
)
from app.templating import redirect, render

router = APIRouter()
PAGE_SIZE = 24

# Lengths are checked by the schemas, so an overlong field comes back as a message next to it.
Text = Annotated[str, Form()]


def _form_context(organization: Organization | None = None) -> dict[str, Any]:
    return {"kinds": list(OrganizationKind), "languages": list(Language), "organization": organization}


# --- public -----------------------------------------------------------------------------------------------------


@router.get("/organisations", response_class=HTMLResponse)
def organisation_list(
    request: Request, session: SessionDep, actor: ActorDep, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1
) -> Response:
    organizations, total = service.page_of_organizations(session, page=page, size=PAGE_SIZE)
    return render(
        request,
        "organizations/list.html",
        {"organizations": organizations, "page": page, "has_next": page * PAGE_SIZE < total, "total": total},
    )


@router.get("/organisations/{slug}", response_class=HTMLResponse)
def organisation_page(
    request: Request, organization: OrganizationDep, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> Response:
    challenges = challenge_views.organization_cards(
        session, actor=actor, organization=organization.slug, now=clock.now()
    )
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "perm": permissions,
            "challenges": challenges,
            "follow_up": jury_views.follow_up_of_organisation(session, organization_id=organization.id or 0),
        },
    )


@router.get("/organisations/{slug}/logo")
def organisation_logo(organization: OrganizationDep) -> Response:
    logo, content_type = service.logo_of(organization)
    return Response(
        logo,
        media_type=content_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"},
    )


# --- invitations (the invitee's side) ----------------------------------------------------------------------------


@router.get("/invitations/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    try:
        invitation, organization = service.invitation_by_token(session, raw_token=token)
        service.check_usable(invitation, now=clock.now())
    except AppError as error:
        return render(request, "organizations/invitation.html", {"problem": error.detail}, status_code=error.status)
    return render(
        request,
        "organizations/invitation.html",
        {
            "invitation": invitation,
            "organization": organization,
            "token": token,
            "is_for_actor": service.is_for(invitation, actor),
            "next_path": request.url.path,
        },
    )


@router.post("/invitations/{token}/accept")
def accept_invitation(
    request: Request, token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        service.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
        organization = service.invitation_by_token(session, raw_token=token)[1]
    except AppError as error:
        return render(request, "organizations/invitation.html", {"problem": error.detail}, status_code=error.status)
    return redirect(
        urls.manage_organisation(organization.slug, "/members"),
        message=_("Welcome! You are now a member of %(name)s.") % {"name": organization.name},
    )


@router.post("/invitations/{token}/decline")
def decline_invitation(
    request: Request, token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        organization = service.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    except AppError as error:
        return render(request, "organizations/invitation.html", {"problem": error.detail}, status_code=error.status)
    return redirect("/", message=_("You declined the invitation from %(name)s.") % {"name": organization.name})


# --- management --------------------------------------------------------------------------------------------------


@router.get("/manage", response_class=HTMLResponse)
def manage_home(request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    memberships = service.organizations_of(session, actor=actor)
    now = clock.now()
    return render(
        request,
        "manage/home.html",
        {
            "memberships": memberships,
            "challenges": challenge_views.managed_challenges(
                session, actor=actor, organizations_=[org for org, _role in memberships], now=now
            ),
            "can_create_challenge": challenge_permissions.can_create,
            "now": now,
            "perm": permissions,
            "audit_perm": audit_permissions,
        },
    )


@router.get("/manage/organisations/new", response_class=HTMLResponse)
def new_organisation_form(request: Request, actor: CreatorDep) -> Response:
    values = {"timezone": "Europe/Oslo", "default_language": "nb", "kind": "municipality"}
    return render(request, "manage/organization_form.html", {**_form_context(), "values": values})


@router.post("/manage/organisations/new")
@bodies.takes_files(max_bytes=MAX_LOGO_BYTES)
def create_organisation(
    request: Request,
    session: SessionDep,
    actor: CreatorDep,
    clock: ClockDep,
    slug: Text = "",
    name: Text = "",
    kind: Text = "",
    description: Text = "",
    website: Text = "",
    timezone: Text = "",
    default_language: Text = "",
    logo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    values = {"slug": slug, "name": name, "kind": kind, "description": description, "website": website,
              "timezone": timezone, "default_language": default_language}  # fmt: skip
    messages = {"kind": _("Choose what kind of organisation this is."),
                "default_language": _("Choose one of the languages in the list.")}  # fmt: skip
    try:
        data = parse_form(OrganizationCreate, values, messages)
        content = images.read_chosen(logo, max_bytes=MAX_LOGO_BYTES) or None  # an empty file is no logo
        if content is not None:
            service.logo_content_type(content)  # refuse a bad logo before anything is stored
        organization = service.create_organization(session, actor=actor, data=data, now=clock.now())
        if content is not None:
            service.set_logo(session, actor=actor, organization=organization, content=content, now=clock.now())
    except (ValidationFailed, Conflict, PayloadTooLarge, UnsupportedMediaType) as error:
        return render(
            request,
            "manage/organization_form.html",
            {**_form_context(), "values": values, "errors": form_errors(error, file_field="logo")},
            status_code=422,
        )
    return redirect(
        urls.organisation(organization.slug), message=_("%(name)s was created.") % {"name": organization.name}
    )


@router.get("/manage/organisations/{slug}", response_class=HTMLResponse)
def edit_organisation_form(request: Request, organization: EditableOrganizationDep) -> Response:
    values = service.snapshot(organization)
    return render(request, "manage/organization_form.html", {**_form_context(organization), "values": values})


@router.post("/manage/organisations/{slug}")
@bodies.takes_files(max_bytes=MAX_LOGO_BYTES)
def update_organisation(
    request: Request,
    organization: EditableOrganizationDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    name: Text = "",
    kind: Text = "",
    description: Text = "",
    website: Text = "",
    timezone: Text = "",
    default_language: Text = "",
    logo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    values = {"slug": organization.slug, "name": name, "kind": kind, "description": description, "website": website,
              "timezone": timezone, "default_language": default_language}  # fmt: skip
    try:
        data = parse_form(OrganizationUpdate, {k: v for k, v in values.items() if k != "slug"})
        content = images.read_chosen(logo, max_bytes=MAX_LOGO_BYTES) or None  # an empty file is no logo
        if content is not None:
            service.logo_content_type(content)
        service.update_organization(session, actor=actor, organization=organization, data=data, now=clock.now())
        if content is not None:
            service.set_logo(session, actor=actor, organization=organization, content=content, now=clock.now())
    except (ValidationFailed, Conflict, PayloadTooLarge, UnsupportedMediaType) as error:
        return render(
            request,
            "manage/organization_form.html",
            {**_form_context(organization), "values": values, "errors": form_errors(error, file_field="logo")},
            status_code=422,
        )
    return redirect(urls.manage_organisation(organization.slug), message=_("Your changes were saved."))


def _members_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    organization: Organization,
    now: datetime,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    members = service.list_members(session, actor=actor, organization=organization)
    invitations = (
        service.list_invitations(session, actor=actor, organization=organization)
        if permissions.can_manage_invitations(actor, organization)
        else []
    )
    return render(
        request,
        "manage/members.html",
        {
            "organization": organization,
            "members": members,
            "invitations": [(invitation, invitation_status(invitation, now)) for invitation in invitations],
            "perm": permissions,
            "roles": list(Role),
            "grantable": permissions.grantable_roles(actor, organization),
            "errors": errors or {},
            "values": values or {"role": "editor"},
            "problem": problem,
        },
        status_code=status_code,
    )


@router.get("/manage/organisations/{slug}/members", response_class=HTMLResponse)
def members_page(
    request: Request, organization: SignedInOrganizationDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _members_page(request, session, actor, organization, clock.now())


def _member_action(
    request: Request,
    session: SessionDep,
    actor: Actor,
    organization: Organization,
    now: datetime,
    action: Callable[[], str],
    *,
    then: str | None = None,
) -> Response:
    """Run `action` (it returns the message to flash) and go to `then` (the members page); when it is refused, the
    members page again with the problem (a 404 still shows the error page)."""
    try:
        message = action()
    except NotFound:
        raise
    except AppError as error:
        return _members_page(request, session, actor, organization, now, problem=error.detail, status_code=error.status)
    return redirect(then or urls.manage_organisation(organization.slug, "/members"), message=message)


@router.post("/manage/organisations/{slug}/invitations")
def invite_member(
    request: Request,
    organization: SignedInOrganizationDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    email: Text = "",
    role: Text = "",
) -> Response:
    values = {"email": email, "role": role}
    messages = {"email": _("Enter a valid email address, such as name@example.no."),
                "role": _("Choose a role from the list.")}  # fmt: skip
    now = clock.now()
    try:
        data = parse_form(InvitationCreate, values, messages)
        service.invite(session, actor=actor, organization=organization, email=str(data.email), role=data.role, now=now)
    except (ValidationFailed, Conflict) as error:
        return _members_page(
            request, session, actor, organization, now, errors=form_errors(error), values=values, status_code=422
        )
    return redirect(
        urls.manage_organisation(organization.slug, "/members"),
        message=_("An invitation was sent to %(email)s.") % {"email": str(data.email)},
    )


class InvitationAct(Protocol):
    """A service write on one invitation of an organisation (revoke or resend)."""

    def __call__(
        self, session: Session, *, actor: Actor, organization: Organization, invitation_id: int, now: datetime
    ) -> Invitation: ...


def _invitation_action(
    request: Request,
    session: SessionDep,
    actor: Actor,
    organization: Organization,
    now: datetime,
    act: InvitationAct,
    invitation_id: int,
    message: str,
) -> Response:
    """Revoke or resend an invitation with `act`; `message` names the invitation's address as %(email)s."""

    def action() -> str:
        invitation = act(session, actor=actor, organization=organization, invitation_id=invitation_id, now=now)
        return message % {"email": invitation.email}

    return _member_action(request, session, actor, organization, now, action)


@router.post("/manage/organisations/{slug}/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request,
    organization: SignedInOrganizationDep,
    invitation_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    message = _("The invitation to %(email)s was revoked.")
    act = service.revoke_invitation
    return _invitation_action(request, session, actor, organization, clock.now(), act, invitation_id, message)


@router.post("/manage/organisations/{slug}/invitations/{invitation_id}/resend")
def resend_invitation(
    request: Request,
    organization: SignedInOrganizationDep,
    invitation_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    message = _("The invitation was sent again to %(email)s.")
    act = service.resend_invitation
    return _invitation_action(request, session, actor, organization, clock.now(), act, invitation_id, message)


@router.post("/manage/organisations/{slug}/members/{user_id}/role")
def change_member_role(
    request: Request,
    organization: SignedInOrganizationDep,
    user_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    role: Text = "",
) -> Response:
    now = clock.now()

    def change() -> str:
        chosen = service.role_named(role)
        service.change_role(session, actor=actor, organization=organization, user_id=user_id, role=chosen, now=now)
        return _("The member's role was changed.")

    return _member_action(request, session, actor, organization, now, change)


@router.post("/manage/organisations/{slug}/members/{user_id}/remove")
def remove_member(
    request: Request,
    organization: SignedInOrganizationDep,
    user_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    now = clock.now()

    def remove() -> str:
        service.remove_member(session, actor=actor, organization=organization, user_id=user_id, now=now)
        return _("The member was removed.")

    return _member_action(request, session, actor, organization, now, remove)


@router.post("/manage/organisations/{slug}/leave")
def leave_organisation(
    request: Request, organization: SignedInOrganizationDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()

    def leave() -> str:
        service.leave(session, actor=actor, organization=organization, now=now)
        return _("You left %(name)s.") % {"name": organization.name}

    return _member_action(request, session, actor, organization, now, leave, then="/manage")
