"""Who may do what with the jury, phase by phase: jurors, the chair, a conflicted juror, the host's and a co-host's
editors, a team member, a citizen and an anonymous visitor, while the concepts come in, in review, during the
public vote and after the announcement. Each cell is the status the API answers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_assignment, make_jury_conflict
from tests.jury.conftest import AFTER_REVIEW, ANNOUNCED, OPEN, REVIEW, Jury, jury_url, make_jury

PHASES = {"open": OPEN, "review": REVIEW, "voting": AFTER_REVIEW, "announced": ANNOUNCED}
ROLES = ("host", "cohost", "chair", "juror", "conflicted", "team", "citizen", "anonymous")

# role -> phase -> status, for each action; "*" is every phase.
SEE_PANEL = {
    "host": 200,
    "cohost": 200,
    "chair": 200,
    "juror": 200,
    "conflicted": 200,
    "team": 404,
    "citizen": 404,
    "anonymous": 401,
}
RUN_ASSIGNMENT = {
    "host": {"review": 200, "*": 409},
    "cohost": {"review": 200, "*": 409},
    "chair": 403,
    "juror": 403,
    "conflicted": 403,
    "team": 403,
    "citizen": 403,
    "anonymous": 401,
}
SCORE = {
    "host": 404,
    "cohost": 404,
    "chair": {"review": 403, "*": 409},
    "juror": {"review": 200, "*": 409},
    "conflicted": {"review": 403, "*": 409},
    "team": 404,
    "citizen": 404,
    "anonymous": 401,
}
READ_SHEET = {
    "host": 404,
    "cohost": 404,
    "chair": 403,
    "juror": 200,
    "conflicted": 403,
    "team": 404,
    "citizen": 404,
    "anonymous": 401,
}
DECLARE = {
    "host": 403,
    "cohost": 403,
    "chair": {"open": 201, "review": 201, "*": 409},
    "juror": {"open": 201, "review": 201, "*": 409},
    "conflicted": {"open": 201, "review": 201, "*": 409},
    "team": 404,
    "citizen": 404,
    "anonymous": 401,
}
INVITE = {
    "host": {"announced": 409, "*": 201},
    "cohost": {"announced": 409, "*": 201},
    "chair": 403,
    "juror": 403,
    "conflicted": 403,
    "team": 403,
    "citizen": 403,
    "anonymous": 401,
}


def expected(table: dict[str, Any], role: str, phase: str) -> int:
    cell = table[role]
    return int(cell if isinstance(cell, int) else cell.get(phase, cell["*"]))


def person(role: str, jury: Jury, cast: Cast) -> Any:
    return {
        "host": cast.halden_editor,
        "cohost": cast.baerum_editor,
        "chair": jury.people[0],
        "juror": jury.people[1],
        "conflicted": jury.people[2],
        "team": jury.team_lead,
        "citizen": cast.citizen,
        "anonymous": None,
    }[role]


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(client: Client, db: Session, cast: Cast, role: str, phase: str) -> None:
    jury = make_jury(db, cast)
    scored = jury.concepts[2]
    make_assignment(db, jury.jurors[1], scored)
    make_jury_conflict(db, jury.jurors[2], scored, reason="Min bror er på laget.")
    db.commit()
    client.clock.at = PHASES[phase]
    who = person(role, jury, cast)
    if who is not None:
        client.sign_in(who)
    sheet = {"scores": [{"criterion": c, "value": 5} for c in jury.criteria], "submit": False}
    calls = {
        "see the panel": (SEE_PANEL, "GET", jury_url(jury), None),
        "read a scoring sheet": (READ_SHEET, "GET", jury_url(jury, f"/reviews/{scored.id}"), None),
        "score": (SCORE, "PUT", jury_url(jury, f"/reviews/{scored.id}"), sheet),
        "declare a conflict": (DECLARE, "POST", jury_url(jury, "/conflicts"), {"concept": jury.concepts[4].id}),
        "invite a juror": (INVITE, "POST", jury_url(jury, "/invitations"), {"email": "ny@jury.no"}),
        "run the assignment": (RUN_ASSIGNMENT, "POST", jury_url(jury, "/assignments/run"), None),
    }
    answered = {
        action: client.api(method, url, **({"json": body} if body is not None else {})).status_code
        for action, (_table, method, url, body) in calls.items()
    }
    wanted = {action: expected(table, role, phase) for action, (table, _m, _u, _b) in calls.items()}
    assert answered == wanted
