"""Each organisation predicate, allowed and refused, across the role matrix."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.actor import Actor
from app.errors import Forbidden
from app.organizations import permissions
from app.organizations.models import Organization, OrganizationKind, Role

ORG = Organization(id=1, slug="halden", name="Halden kommune", kind=OrganizationKind.MUNICIPALITY)
ROLES = ["anonymous", "citizen", "editor", "admin", "owner", "other_owner", "platform_admin"]


def actor_as(who: str) -> Actor:
    if who == "anonymous":
        return Actor.anonymous()
    user = User(id=10, email="person@example.no", display_name="Person", is_platform_admin=who == "platform_admin")
    roles = {
        "editor": {1: Role.EDITOR},
        "admin": {1: Role.ADMIN},
        "owner": {1: Role.OWNER},
        "other_owner": {2: Role.OWNER},
    }
    return Actor(user=user, roles=roles.get(who, {}), via="session")


def matrix(allowed: set[str]) -> list[tuple[str, bool]]:
    return [(who, who in allowed) for who in ROLES]


@pytest.mark.parametrize(("who", "allowed"), matrix({"platform_admin"}))
def test_who_may_create_organisations(who: str, allowed: bool) -> None:
    assert permissions.can_create_organization(actor_as(who)) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "platform_admin"}))
def test_who_may_edit_an_organisation(who: str, allowed: bool) -> None:
    assert permissions.can_edit_organization(actor_as(who), ORG) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"editor", "admin", "owner", "platform_admin"}))
def test_who_may_see_the_member_list(who: str, allowed: bool) -> None:
    assert permissions.can_view_members(actor_as(who), ORG) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "platform_admin"}))
def test_who_may_manage_invitations(who: str, allowed: bool) -> None:
    assert permissions.can_manage_invitations(actor_as(who), ORG) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"owner", "platform_admin"}))
def test_who_may_grant_the_owner_role(who: str, allowed: bool) -> None:
    assert permissions.can_grant_role(actor_as(who), ORG, Role.OWNER) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "platform_admin"}))
def test_who_may_grant_the_editor_and_admin_roles(who: str, allowed: bool) -> None:
    assert permissions.can_grant_role(actor_as(who), ORG, Role.EDITOR) is allowed
    assert permissions.can_grant_role(actor_as(who), ORG, Role.ADMIN) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "platform_admin"}))
def test_who_may_promote_an_editor_to_admin(who: str, allowed: bool) -> None:
    assert permissions.can_change_role(actor_as(who), ORG, Role.EDITOR, Role.ADMIN) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"owner", "platform_admin"}))
def test_who_may_demote_an_owner(who: str, allowed: bool) -> None:
    assert permissions.can_change_role(actor_as(who), ORG, Role.OWNER, Role.EDITOR) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"owner", "platform_admin"}))
def test_who_may_make_someone_an_owner(who: str, allowed: bool) -> None:
    assert permissions.can_change_role(actor_as(who), ORG, Role.ADMIN, Role.OWNER) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "platform_admin"}))
def test_who_may_remove_an_editor(who: str, allowed: bool) -> None:
    assert permissions.can_remove_member(actor_as(who), ORG, Role.EDITOR) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"owner", "platform_admin"}))
def test_who_may_remove_an_owner(who: str, allowed: bool) -> None:
    assert permissions.can_remove_member(actor_as(who), ORG, Role.OWNER) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"editor", "admin", "owner"}))
def test_who_may_leave(who: str, allowed: bool) -> None:
    assert permissions.can_leave(actor_as(who), ORG) is allowed


def test_grantable_roles_follow_the_grant_rule() -> None:
    assert permissions.grantable_roles(actor_as("owner"), ORG) == [Role.OWNER, Role.ADMIN, Role.EDITOR]
    assert permissions.grantable_roles(actor_as("admin"), ORG) == [Role.ADMIN, Role.EDITOR]
    assert permissions.grantable_roles(actor_as("editor"), ORG) == []


def test_roles_read_back_from_the_database_as_plain_strings_are_judged_the_same() -> None:
    admin = actor_as("admin")
    assert permissions.can_remove_member(admin, ORG, "owner") is False  # type: ignore[arg-type]
    assert permissions.can_change_role(admin, ORG, "owner", Role.EDITOR) is False  # type: ignore[arg-type]
    assert permissions.can_grant_role(admin, ORG, "owner") is False  # type: ignore[arg-type]
    assert permissions.can_remove_member(admin, ORG, "editor") is True  # type: ignore[arg-type]


@pytest.mark.parametrize("who", ROLES)
def test_the_create_and_edit_guards_refuse_exactly_when_the_predicates_say_no(who: str) -> None:
    actor = actor_as(who)
    for guard, allowed in [
        (lambda: permissions.check_create_organization(actor), permissions.can_create_organization(actor)),
        (lambda: permissions.check_edit_organization(actor, ORG), permissions.can_edit_organization(actor, ORG)),
    ]:
        if allowed:
            guard()
        else:
            with pytest.raises(Forbidden):
                guard()
