"""Reading the audit log through the API and the page: who sees what, and the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.clock import FrozenClock
from tests.conftest import NOW, Client
from tests.factories import make_audit_event
from tests.organizations.conftest import Cast

EN = {"Accept-Language": "en"}


@pytest.fixture
def history(db: Session, cast: Cast) -> None:
    """A few days of events in Halden and Bærum, by different people."""
    make_audit_event(
        db,
        actor=cast.platform_admin,
        action="organization.create",
        target_id=cast.org.id,
        organization=cast.org,
        after={"slug": "halden"},
        now=NOW - timedelta(days=3),
    )
    make_audit_event(
        db,
        actor=cast.owner,
        action="invitation.create",
        target_type="invitation",
        target_id=1,
        organization=cast.org,
        after={"email": "ola@halden.no"},
        now=NOW - timedelta(days=2),
    )
    make_audit_event(
        db,
        actor=cast.owner,
        action="membership.role",
        target_type="membership",
        target_id=2,
        organization=cast.org,
        before={"role": "editor"},
        after={"role": "admin"},
        now=NOW - timedelta(days=1),
    )
    make_audit_event(
        db,
        actor=cast.other_owner,
        action="membership.remove",
        target_type="membership",
        target_id=3,
        organization=cast.other_org,
        before={"role": "editor"},
        now=NOW,
    )
    db.commit()


def actions(response: object) -> list[str]:
    return [item["action"] for item in response.json()["items"]]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("history")
def test_a_platform_admin_sees_every_event_newest_first(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)
    response = client.api("GET", "/api/v1/audit-events")
    assert response.status_code == 200
    assert actions(response) == ["membership.remove", "membership.role", "invitation.create", "organization.create"]
    assert response.json()["items"][1]["before"] == {"role": "editor"}


@pytest.mark.usefixtures("history")
def test_an_organisation_admin_sees_only_their_organisations_events(client: Client, cast: Cast) -> None:
    client.sign_in(cast.admin)
    response = client.api("GET", "/api/v1/audit-events")
    assert actions(response) == ["membership.role", "invitation.create", "organization.create"]
    other = client.api("GET", "/api/v1/audit-events", params={"organisation": "baerum"})
    assert other.json()["items"] == []
    page = client.get("/manage/audit", headers=EN)
    assert page.status_code == 200
    assert "membership.role" in page.text
    assert "membership.remove" not in page.text
    assert "Bærum kommune" not in page.text


@pytest.mark.usefixtures("history")
def test_editors_and_citizens_are_refused(client: Client, cast: Cast) -> None:
    for person in (cast.editor, cast.citizen):
        client.sign_in(person)
        assert client.api("GET", "/api/v1/audit-events").status_code == 403
        assert client.get("/manage/audit").status_code == 403


def test_anonymous_callers_must_sign_in(client: Client) -> None:
    assert client.api("GET", "/api/v1/audit-events").status_code == 401
    page = client.get("/manage/audit", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/account/sign-in?next=%2Fmanage%2Faudit"


@pytest.mark.usefixtures("history")
def test_filters_by_organisation_action_actor_and_dates(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)

    def find(**params: str) -> list[str]:
        return actions(client.api("GET", "/api/v1/audit-events", params=params))

    assert find(organisation="baerum") == ["membership.remove"]
    assert find(action="membership") == ["membership.remove", "membership.role"]
    assert find(action="membership.role") == ["membership.role"]
    assert find(action="member") == []  # a prefix means a whole word before the dot
    assert find(actor="eier@halden.no") == ["membership.role", "invitation.create"]
    assert find(actor=str(cast.platform_admin.id)) == ["organization.create"]
    day_before = (NOW - timedelta(days=1)).date().isoformat()
    assert find(date_from=day_before) == ["membership.remove", "membership.role"]
    assert find(date_to=day_before) == ["membership.role", "invitation.create", "organization.create"]
    assert find(date_from=day_before, date_to=day_before) == ["membership.role"]
    assert client.api("GET", "/api/v1/audit-events", params={"date_from": "yesterday"}).status_code == 422
    assert client.api("GET", "/api/v1/audit-events", params={"organisation": "finnes-ikke"}).status_code == 404


@pytest.mark.usefixtures("history")
def test_the_page_filters_and_keeps_the_typed_values(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)
    page = client.get("/manage/audit", params={"organisation": "halden", "action": "invitation"}, headers=EN)
    assert page.status_code == 200
    assert "1 event found." in page.text
    assert "invitation.create" in page.text
    assert "organization.create" not in page.text
    assert 'value="invitation"' in page.text
    bad = client.get("/manage/audit", params={"date_from": "25.11.2026"}, headers=EN)
    assert bad.status_code == 422
    assert "Enter a date as YYYY-MM-DD" in bad.text


@pytest.mark.usefixtures("history")
def test_the_list_is_paginated_with_next_links(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)
    first = client.api("GET", "/api/v1/audit-events", params={"size": 3, "action": "membership"}).json()
    assert first["total"] == 2
    assert first["next"] is None
    first = client.api("GET", "/api/v1/audit-events", params={"size": 3}).json()
    assert len(first["items"]) == 3
    assert first["next"] == "http://testserver/api/v1/audit-events?page=2&size=3"
    second = client.get(first["next"], headers={"X-CSRF-Token": client.csrf_token}).json()
    assert [item["action"] for item in second["items"]] == ["organization.create"]
    assert second["next"] is None


def test_times_are_shown_in_the_organisations_time_zone(client: Client, cast: Cast, clock: FrozenClock) -> None:
    cast.org.timezone = "America/New_York"
    client.db.add(cast.org)
    make_audit_event(client.db, actor=cast.owner, target_id=cast.org.id, organization=cast.org, now=clock.now())
    client.db.commit()
    client.sign_in(cast.owner)
    page = client.get("/manage/audit", headers=EN)
    assert "7:00:00" in page.text  # 12:00 UTC is 07:00 in New York in November


@pytest.mark.parametrize(
    "query",
    ["page=" + "9" * 25, "actor=" + "9" * 25, "actor=²", "date_to=9999-12-31", "date_from=0001-01-01"],
)
def test_odd_filters_are_answered_not_a_server_error(client: Client, cast: Cast, query: str) -> None:
    client.sign_in(cast.platform_admin)
    api = client.api("GET", f"/api/v1/audit-events?{query}")
    assert api.status_code in (200, 422), api.text
    assert client.get(f"/manage/audit?{query}").status_code in (200, 400, 422)
