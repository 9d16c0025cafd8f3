"""Who may read the audit log, and which part of it, across the role matrix."""

from __future__ import annotations

import pytest

from app.audit import permissions
from app.errors import Forbidden
from tests.organizations.test_permissions import ROLES, actor_as


def matrix(allowed: set[str]) -> list[tuple[str, bool]]:
    return [(who, who in allowed) for who in ROLES]


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "other_owner", "platform_admin"}))
def test_who_may_open_the_audit_log(who: str, allowed: bool) -> None:
    assert permissions.can_view_audit_log(actor_as(who)) is allowed


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "platform_admin"}))
def test_who_may_read_an_organisations_events(who: str, allowed: bool) -> None:
    assert permissions.can_view_organization_events(actor_as(who), 1) is allowed


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("anonymous", frozenset()),
        ("citizen", frozenset()),
        ("editor", frozenset()),
        ("admin", frozenset({1})),
        ("owner", frozenset({1})),
        ("other_owner", frozenset({2})),
        ("platform_admin", None),
    ],
)
def test_which_events_each_role_sees(who: str, visible: frozenset[int] | None) -> None:
    assert permissions.visible_organization_ids(actor_as(who)) == visible


@pytest.mark.parametrize(("who", "allowed"), matrix({"admin", "owner", "other_owner", "platform_admin"}))
def test_the_audit_log_guard_refuses_whom_the_predicate_refuses(who: str, allowed: bool) -> None:
    if allowed:
        permissions.check_view_audit_log(actor_as(who))
    else:
        with pytest.raises(Forbidden):
            permissions.check_view_audit_log(actor_as(who))
