"""Each challenge predicate across roles × phases, allowed and refused (pure: no database)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from app.accounts.models import User
from app.actor import Actor
from app.challenges import permissions
from app.challenges.models import Challenge, ChallengeCoHost
from app.challenges.phases import Phase
from app.organizations.models import Organization, OrganizationKind, Role
from tests.challenges.conftest import at, status_for
from tests.factories import CHALLENGE_TIMELINE_DAYS, TIMELINE_START

HALDEN, BAERUM, STAVANGER = 1, 2, 3
ROLES = ["anonymous", "citizen", "host_editor", "host_admin", "cohost_editor", "other_editor", "platform_admin"]
RUNS = {"host_editor", "host_admin", "cohost_editor", "platform_admin"}
HOSTS = {"host_editor", "host_admin", "platform_admin"}
ALL_PHASES = set(Phase)
PUBLIC_PHASES = ALL_PHASES - {Phase.DRAFT, Phase.CANCELLED}


def actor_as(who: str) -> Actor:
    if who == "anonymous":
        return Actor.anonymous()
    user = User(id=10, email="person@example.no", display_name="Person", is_platform_admin=who == "platform_admin")
    roles = {
        "host_editor": {HALDEN: Role.EDITOR},
        "host_admin": {HALDEN: Role.ADMIN},
        "cohost_editor": {BAERUM: Role.EDITOR},
        "other_editor": {STAVANGER: Role.EDITOR},
    }
    return Actor(user=user, roles=roles.get(who, {}), via="session")


def challenge_in(phase: Phase) -> Challenge:
    dates = {name: TIMELINE_START + timedelta(days=days) for name, days in CHALLENGE_TIMELINE_DAYS.items()}
    return Challenge(
        id=7, host_id=HALDEN, slug="grønne-tak", title="Grønne tak", status=status_for(phase),
        cohosts=[ChallengeCoHost(organization_id=BAERUM)], **dates,
    )  # fmt: skip


def matrix(roles: set[str], phases: set[Phase]) -> list[tuple[str, Phase, bool]]:
    return [(who, phase, who in roles and phase in phases) for who in ROLES for phase in Phase]


Predicate = Callable[[Actor, Challenge, datetime], bool]


def check(predicate: Predicate, who: str, phase: Phase, allowed: bool) -> None:
    assert predicate(actor_as(who), challenge_in(phase), at(phase)) is allowed, (who, phase)


@pytest.mark.parametrize(
    ("who", "phase", "allowed"),
    [(who, phase, phase is not Phase.DRAFT or who in RUNS) for who in ROLES for phase in Phase],
)
def test_who_may_see_a_challenge(who: str, phase: Phase, allowed: bool) -> None:
    assert permissions.can_view(actor_as(who), challenge_in(phase)) is allowed


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(RUNS, ALL_PHASES - {Phase.CANCELLED}))
def test_who_may_edit(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_edit, who, phase, allowed)


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(RUNS, {Phase.DRAFT, Phase.UPCOMING}))
def test_who_may_edit_criteria_and_submission_rules(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_edit_rules, who, phase, allowed)


@pytest.mark.parametrize(
    ("who", "phase", "allowed"), matrix(RUNS, {Phase.DRAFT, Phase.UPCOMING, Phase.OPEN, Phase.REVIEW})
)
def test_who_may_edit_voting_settings(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_edit_voting, who, phase, allowed)


def test_voting_settings_stay_editable_while_closed_before_a_later_vote() -> None:
    challenge = challenge_in(Phase.CLOSED)
    challenge.voting_opens_at = at(Phase.ANNOUNCED)
    challenge.voting_closes_at = challenge.announce_at = None
    assert permissions.can_edit_voting(actor_as("host_editor"), challenge, at(Phase.CLOSED))


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(HOSTS, {Phase.DRAFT}))
def test_who_may_publish(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_publish, who, phase, allowed)


@pytest.mark.parametrize(
    ("who", "phase", "allowed"),
    matrix(HOSTS, {Phase.UPCOMING, Phase.OPEN, Phase.REVIEW, Phase.VOTING, Phase.CLOSED}),
)
def test_who_may_cancel(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_cancel, who, phase, allowed)


@pytest.mark.parametrize(
    ("who", "phase", "allowed"), matrix({"host_admin", "platform_admin"}, ALL_PHASES - {Phase.CANCELLED})
)
def test_who_may_manage_co_hosts(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_manage_cohosts, who, phase, allowed)


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(RUNS | {"other_editor"}, PUBLIC_PHASES))
def test_who_may_copy_as_a_template(who: str, phase: Phase, allowed: bool) -> None:
    check(permissions.can_copy, who, phase, allowed)


ORGS = {n: Organization(id=n, slug=f"org-{n}", name=f"Org {n}", kind=OrganizationKind.MUNICIPALITY) for n in (1, 3)}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [(who, who in {"host_editor", "host_admin", "platform_admin"}) for who in ROLES],
)
def test_who_may_draft_a_challenge_for_halden(who: str, allowed: bool) -> None:
    assert permissions.can_create(actor_as(who), ORGS[HALDEN]) is allowed
    assert permissions.can_copy_into(actor_as(who), ORGS[HALDEN]) is allowed
