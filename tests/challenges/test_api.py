"""The challenges API as hosts, co-hosts, other organisations and the public use it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.challenges.models import Challenge, Criterion
from app.organizations.models import Role
from tests.challenges.conftest import Cast
from tests.conftest import NOW, Client
from tests.factories import make_challenge, make_member, make_user
from tests.mail import emails_to

DAY = timedelta(days=1)


def iso(days: float) -> str:
    return (NOW + days * DAY).isoformat()


def new_challenge(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organization": "halden",
        "slug": "baerekraftig-sentrumshandel",
        "title": "Bærekraftig sentrumshandel",
        "summary": "Hvordan får vi flere til å handle i sentrum av Halden?",
        "problem_statement": "Sentrum har **mange tomme lokaler**.\n\n<script>alert('x')</script>",
        "target_groups": ["students", "citizens"],
        "sdg_goals": [12, 11],
        "prize_text": "50 000 kroner delt likt mellom de tre beste",
        "prize_amount": 5000000,
        "prize_split": {"kind": "shared", "best": 3},
        "opens_at": iso(10),
        "submissions_close_at": iso(40),
        "review_ends_at": iso(55),
        "announce_at": iso(70),
        "criteria": [{"name": "Nytteverdi", "weight": 3}, {"name": "Gjennomførbarhet", "weight": 1}],
    }
    return {**body, **overrides}


def challenge_count(client: Client) -> int:
    return int(client.db.exec(select(func.count()).select_from(Challenge)).one())


def actions(client: Client) -> list[str]:
    return list(client.db.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all())  # type: ignore[arg-type]


def test_an_editor_of_halden_drafts_edits_and_publishes_and_the_public_reads_it(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    created = client.api("POST", "/api/v1/challenges", json=new_challenge())
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/challenges/baerekraftig-sentrumshandel"
    draft = created.json()
    assert (draft["status"], draft["phase"]) == ("draft", "draft")
    assert draft["host"]["name"] == "Halden kommune"
    assert draft["sdg_goals"] == [11, 12]
    assert "<strong>mange tomme lokaler</strong>" in draft["problem_statement_html"]
    assert "<script>" not in draft["problem_statement_html"]
    assert "<script>" in draft["problem_statement"]  # stored as written, sanitised on render

    client.sign_out()
    assert client.get("/api/v1/challenges/baerekraftig-sentrumshandel").status_code == 404
    assert client.get("/api/v1/challenges").json()["total"] == 0
    client.sign_in(cast.stavanger_editor)
    assert client.api("GET", "/api/v1/challenges/baerekraftig-sentrumshandel").status_code == 404

    client.sign_in(cast.halden_editor)
    edited = client.api("PATCH", "/api/v1/challenges/baerekraftig-sentrumshandel", json={"summary": "Flere i sentrum"})
    assert edited.status_code == 200, edited.text
    published = client.api("POST", "/api/v1/challenges/baerekraftig-sentrumshandel/publish")
    assert published.status_code == 200, published.text
    assert (published.json()["status"], published.json()["phase"]) == ("published", "upcoming")
    assert published.json()["published_at"] is not None
    assert actions(client) == ["challenge.create", "challenge.update", "challenge.publish"]

    client.sign_out()
    listed = client.get("/api/v1/challenges").json()
    assert [item["slug"] for item in listed["items"]] == ["baerekraftig-sentrumshandel"]
    public = client.get("/api/v1/challenges/baerekraftig-sentrumshandel")
    assert public.status_code == 200
    detail = public.json()
    assert detail["summary"] == "Flere i sentrum"
    assert [(c["name"], c["percentage"]) for c in detail["criteria"]] == [
        ("Nytteverdi", 75.0),
        ("Gjennomførbarhet", 25.0),
    ]
    assert detail["prize_split"] == {"kind": "shared", "best": 3}
    again = client.get(
        "/api/v1/challenges/baerekraftig-sentrumshandel", headers={"If-None-Match": public.headers["etag"]}
    )
    assert again.status_code == 304

    client.clock.at = at_day(20)
    assert client.get("/api/v1/challenges/baerekraftig-sentrumshandel").json()["phase"] == "open"
    assert client.get("/api/v1/challenges", params={"phase": "open"}).json()["total"] == 1


def at_day(days: float) -> datetime:
    return NOW + days * DAY


def test_a_co_host_editor_edits_but_only_the_host_publishes(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="smartere-mobilitet", status="draft")
    baerum_owner = make_member(
        client.db, cast.baerum, role=Role.OWNER, user=make_user(client.db, email="eier@baerum.no")
    )
    client.db.commit()
    client.sign_in(cast.baerum_editor)
    assert client.api("GET", "/api/v1/challenges/smartere-mobilitet").status_code == 404

    client.sign_in(cast.halden_editor)
    refused = client.api("POST", "/api/v1/challenges/smartere-mobilitet/co-hosts", json={"organization": "baerum"})
    assert refused.status_code == 403  # editors edit; owners and admins choose co-hosts
    client.sign_in(cast.halden_admin)
    added = client.api("POST", "/api/v1/challenges/smartere-mobilitet/co-hosts", json={"organization": "baerum"})
    assert added.status_code == 200, added.text
    assert [host["name"] for host in added.json()["co_hosts"]] == ["Bærum kommune"]
    # Through the API as on the page, Bærum's owner is told; its editor is not.
    assert len(emails_to(client.db, baerum_owner.email)) == 1
    assert emails_to(client.db, cast.baerum_editor.email) == []
    twice = client.api("POST", "/api/v1/challenges/smartere-mobilitet/co-hosts", json={"organization": "baerum"})
    assert twice.status_code == 409

    client.sign_in(cast.baerum_editor)
    edited = client.api("PATCH", "/api/v1/challenges/smartere-mobilitet", json={"title": "Smartere mobilitet"})
    assert edited.status_code == 200, edited.text
    assert client.api("POST", "/api/v1/challenges/smartere-mobilitet/publish").status_code == 403

    client.sign_in(cast.halden_admin)
    removed = client.api("DELETE", "/api/v1/challenges/smartere-mobilitet/co-hosts/baerum")
    assert removed.status_code == 200
    assert removed.json()["co_hosts"] == []
    client.sign_in(cast.baerum_editor)
    assert client.api("PATCH", "/api/v1/challenges/smartere-mobilitet", json={"title": "Kapret"}).status_code == 404
    assert "challenge.cohost.add" in actions(client)
    assert "challenge.cohost.remove" in actions(client)


def test_rules_freeze_when_submissions_open_and_voting_settings_when_voting_opens(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="gronne-tak")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    url = "/api/v1/challenges/gronne-tak"
    assert client.api("PATCH", url, json={"team_size_max": 3}).status_code == 200  # upcoming: still free

    client.clock.at = at_day(20)  # submissions are open
    frozen = client.api("PATCH", url, json={"team_size_max": 8}, headers={"Accept-Language": "en"})
    assert frozen.status_code == 409
    assert frozen.json()["type"] == "/problems/phase-closed"
    assert "once submissions have opened" in frozen.json()["detail"]
    assert frozen.json()["fields"] == ["team_size_max"]
    criteria = client.api("PUT", f"{url}/criteria", json={"criteria": [{"name": "Pris", "weight": 1}]})
    assert criteria.status_code == 409
    assert client.api("PATCH", url, json={"team_size_max": 3, "summary": "Samme regler"}).status_code == 200
    assert client.api("PATCH", url, json={"votes_per_voter": 2}).status_code == 200  # voting not open yet

    client.clock.at = at_day(60)  # voting is open
    client.sign_in(cast.halden_editor)  # a new session: the old one has expired by now
    voting = client.api("PATCH", url, json={"voting_method": "points"}, headers={"Accept-Language": "en"})
    assert voting.status_code == 409
    assert "once voting has opened" in voting.json()["detail"]

    client.db.refresh(challenge)
    assert (challenge.team_size_max, challenge.votes_per_voter, challenge.voting_method) == (3, 2, "single")
    assert [c.name for c in client.db.exec(select(Criterion).where(Criterion.challenge_id == challenge.id))] == [
        "Nytteverdi", "Gjennomførbarhet",
    ]  # fmt: skip


def test_a_deadline_is_extended_forward_only_and_never_into_the_past(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    client.clock.at = at_day(20)
    url = "/api/v1/challenges/gronne-tak"
    longer = client.api("PATCH", url, json={"submissions_close_at": iso(45), "review_ends_at": iso(55)})
    assert longer.status_code == 200, longer.text
    earlier = client.api("PATCH", url, json={"submissions_close_at": iso(30)})
    assert earlier.status_code == 422
    assert earlier.json()["errors"][0]["field"] == "submissions_close_at"
    past = client.api("PATCH", url, json={"submissions_close_at": iso(5)})
    assert past.status_code == 422
    passed = client.api("PATCH", url, json={"opens_at": iso(12)})
    assert passed.status_code == 409
    out_of_order = client.api("PATCH", url, json={"submissions_close_at": iso(60)})  # after the jury's end
    assert out_of_order.status_code == 422
    assert {e["field"] for e in out_of_order.json()["errors"]} == {"review_ends_at"}
    assert client.get(url).json()["submissions_close_at"].startswith(at_day(45).date().isoformat())


def test_copy_as_template_credits_the_source_and_counts_the_reuse(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak", title="Grønne tak", prize_amount=5000000,
                   criteria=[("Nytteverdi", 2), ("Pris", 1)])  # fmt: skip
    client.db.commit()
    client.clock.at = at_day(80)  # announced: other cities may reuse it
    client.sign_in(cast.baerum_editor)
    copied = client.api("POST", "/api/v1/challenges/gronne-tak/copy",
                        json={"organization": "baerum", "slug": "gronne-tak-baerum"})  # fmt: skip
    assert copied.status_code == 201, copied.text
    copy = copied.json()
    assert (copy["status"], copy["host"]["slug"], copy["title"]) == ("draft", "baerum", "Grønne tak")
    assert copy["copied_from"] == {"slug": "gronne-tak", "title": "Grønne tak", "host_name": "Halden kommune",
                                   "url": "/challenges/gronne-tak"}  # fmt: skip
    assert [(c["name"], c["weight"]) for c in copy["criteria"]] == [("Nytteverdi", 2), ("Pris", 1)]
    assert copy["opens_at"] is None
    assert copy["announce_at"] is None
    assert copy["prize_amount"] is None

    refused = client.api("POST", "/api/v1/challenges/gronne-tak/copy", json={"organization": "halden", "slug": "x-y"})
    assert refused.status_code == 403  # only into an organisation you work in
    client.sign_in(cast.citizen)
    assert client.api("POST", "/api/v1/challenges/gronne-tak/copy",
                      json={"organization": "baerum", "slug": "kopi"}).status_code == 403  # fmt: skip

    client.sign_out()
    assert client.get("/api/v1/challenges/gronne-tak").json()["reuse_count"] == 1
    assert "challenge.copy" in actions(client)


def test_a_cancelled_challenge_shows_its_reason(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak", cohosts=[cast.baerum])
    client.db.commit()
    client.clock.at = at_day(20)
    client.sign_in(cast.baerum_editor)
    reason = {"reason": "Kommunen fikk ikke midler til oppfølging."}
    assert client.api("POST", "/api/v1/challenges/gronne-tak/cancel", json=reason).status_code == 403
    client.sign_in(cast.halden_editor)
    cancelled = client.api("POST", "/api/v1/challenges/gronne-tak/cancel", json=reason)
    assert cancelled.status_code == 200, cancelled.text
    assert client.api("POST", "/api/v1/challenges/gronne-tak/cancel", json=reason).status_code == 409
    assert client.api("PATCH", "/api/v1/challenges/gronne-tak", json={"summary": "x"}).status_code == 403

    client.sign_out()
    public = client.get("/api/v1/challenges/gronne-tak").json()
    assert (public["phase"], public["cancel_reason"]) == ("cancelled", "Kommunen fikk ikke midler til oppfølging.")
    assert client.get("/api/v1/challenges", params={"phase": "cancelled"}).json()["total"] == 1
    assert client.get("/api/v1/challenges").json()["total"] == 0


def test_publishing_an_incomplete_draft_lists_what_is_missing(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    body = new_challenge(criteria=[], opens_at=None, announce_at=None, review_ends_at=None)
    assert client.api("POST", "/api/v1/challenges", json=body).status_code == 201
    refused = client.api("POST", "/api/v1/challenges/baerekraftig-sentrumshandel/publish")
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"criteria", "opens_at", "announce_at"}
    assert client.get("/api/v1/challenges/baerekraftig-sentrumshandel").json()["status"] == "draft"
    two_equal = {"criteria": [{"name": "Nytte", "weight": 1}, {"name": "Pris", "weight": 1}]}
    replaced = client.api("PUT", "/api/v1/challenges/baerekraftig-sentrumshandel/criteria", json=two_equal)
    assert [c["percentage"] for c in replaced.json()["criteria"]] == [50.0, 50.0]
    client.api(
        "PATCH", "/api/v1/challenges/baerekraftig-sentrumshandel", json={"opens_at": iso(1), "announce_at": iso(50)}
    )
    assert client.api("POST", "/api/v1/challenges/baerekraftig-sentrumshandel/publish").status_code == 200


def test_bad_input_is_refused_with_field_names_and_nothing_is_stored(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="tatt")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    before = challenge_count(client)
    cases: list[tuple[dict[str, Any], int, str]] = [
        (new_challenge(sdg_goals=[3, 18]), 422, "sdg_goals"),
        (new_challenge(prize_amount=-1), 422, "prize_amount"),
        (new_challenge(criteria=[{"name": "Nytte", "weight": 0}]), 422, "criteria.0.weight"),
        (new_challenge(criteria=[{"name": "Nytte", "weight": -2}]), 422, "criteria.0.weight"),
        (new_challenge(submissions_close_at=iso(5)), 422, "submissions_close_at"),
        (new_challenge(voting_opens_at=iso(56)), 422, "voting_closes_at"),
        (new_challenge(prize_split={"kind": "fixed", "amounts": [4000000, 2000000]}), 422, "prize_split"),
        (new_challenge(prize_currency="KRONER"), 422, "prize_currency"),
        (new_challenge(team_size_min=4, team_size_max=2), 422, "team_size_max"),
        (new_challenge(slug="Ikke gyldig!"), 422, "slug"),
        (new_challenge(organization="atlantis"), 422, "organization"),
        (new_challenge(target_groups=["pensioners"]), 422, "target_groups.0"),
        (new_challenge(is_featured=True), 422, "is_featured"),
        (new_challenge(slug="tatt"), 409, "slug"),
    ]
    for body, status, field in cases:
        response = client.api("POST", "/api/v1/challenges", json=body)
        assert response.status_code == status, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        fields = {e["field"] for e in problem.get("errors", [])} | {problem.get("field")}
        assert field in fields, (field, problem)
    assert challenge_count(client) == before
    assert actions(client) == []


def test_only_an_organisations_editors_draft_for_it(client: Client, cast: Cast) -> None:
    assert client.api("POST", "/api/v1/challenges", json=new_challenge()).status_code == 401
    for outsider in (cast.citizen, cast.stavanger_editor):
        client.sign_in(outsider)
        assert client.api("POST", "/api/v1/challenges", json=new_challenge()).status_code == 403
    client.sign_in(cast.platform_admin)
    assert client.api("POST", "/api/v1/challenges", json=new_challenge()).status_code == 201


def test_outsiders_cannot_change_a_published_challenge(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak")
    client.db.commit()
    for outsider in (cast.citizen, cast.stavanger_editor):
        client.sign_in(outsider)
        assert client.api("PATCH", "/api/v1/challenges/gronne-tak", json={"title": "Kapret"}).status_code == 403
        put = client.api(
            "PUT", "/api/v1/challenges/gronne-tak/criteria", json={"criteria": [{"name": "X", "weight": 1}]}
        )
        assert put.status_code == 403
        assert client.api("POST", "/api/v1/challenges/gronne-tak/cancel", json={"reason": "Nei"}).status_code == 403
    assert client.get("/api/v1/challenges/gronne-tak").json()["title"] != "Kapret"
    assert actions(client) == []


def test_publishing_twice_or_cancelling_a_draft_is_a_conflict_for_the_host_only(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak")
    make_challenge(client.db, cast.halden, slug="kladd", status="draft")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    assert client.api("POST", "/api/v1/challenges/gronne-tak/publish").status_code == 409
    assert client.api("POST", "/api/v1/challenges/kladd/cancel", json={"reason": "Nei"}).status_code == 409
    client.sign_in(cast.stavanger_editor)
    assert client.api("POST", "/api/v1/challenges/gronne-tak/publish").status_code == 403
    assert client.api("POST", "/api/v1/challenges/kladd/publish").status_code == 404


def test_an_edit_is_audited_with_what_changed_and_a_fixed_split_is_kept(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    fixed = {"kind": "fixed", "amounts": [3000000, 1500000, 500000]}
    created = client.api("POST", "/api/v1/challenges", json=new_challenge(prize_split=fixed))
    assert created.json()["prize_split"] == fixed
    client.api("PATCH", "/api/v1/challenges/baerekraftig-sentrumshandel", json={"title": "Levende sentrum"})
    event = client.db.exec(select(AuditEvent).where(AuditEvent.action == "challenge.update")).one()
    assert (event.before, event.after) == ({"title": "Bærekraftig sentrumshandel"}, {"title": "Levende sentrum"})
    assert event.organization_id == cast.halden.id
    unchanged = client.api("PATCH", "/api/v1/challenges/baerekraftig-sentrumshandel", json={"title": "Levende sentrum"})
    assert unchanged.status_code == 200
    assert actions(client).count("challenge.update") == 1  # nothing changed, nothing recorded
