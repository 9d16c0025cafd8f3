"""Who may ask, answer, merge, hide and see questions: every role in every phase (pure: no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.actor import Actor
from app.challenges import permissions
from app.challenges.models import Question
from app.challenges.phases import Phase
from tests.challenges.conftest import at
from tests.challenges.test_permissions import ROLES, RUNS, actor_as, challenge_in

ALL_PHASES = set(Phase)
ASKING = {Phase.UPCOMING, Phase.OPEN}
ANSWERING = ALL_PHASES - {Phase.DRAFT, Phase.CANCELLED}
SIGNED_IN = set(ROLES) - {"anonymous"}
ASKER_ID = 10  # actor_as gives every signed-in role this user id
MOMENT = datetime(2026, 12, 1, tzinfo=UTC)


def verified(who: str) -> Actor:
    actor = actor_as(who)
    if actor.user is not None:
        actor.user.email_verified_at = MOMENT
    return actor


def matrix(roles: set[str], phases: set[Phase]) -> list[tuple[str, Phase, bool]]:
    return [(who, phase, who in roles and phase in phases) for who in ROLES for phase in Phase]


def question(**fields: object) -> Question:
    return Question(id=5, challenge_id=7, author_id=fields.pop("author_id", 99), body="Hvor stor kan filen være?",
                    **fields)  # fmt: skip


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(SIGNED_IN, ASKING))
def test_who_may_ask(who: str, phase: Phase, allowed: bool) -> None:
    assert permissions.can_ask(verified(who), challenge_in(phase), at(phase)) is allowed


@pytest.mark.parametrize("phase", sorted(ASKING))
def test_an_unconfirmed_email_may_not_ask(phase: Phase) -> None:
    assert not permissions.can_ask(actor_as("citizen"), challenge_in(phase), at(phase))


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(RUNS, ANSWERING))
def test_who_may_answer(who: str, phase: Phase, allowed: bool) -> None:
    assert permissions.can_answer(actor_as(who), challenge_in(phase), at(phase)) is allowed


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(RUNS, ALL_PHASES))
def test_who_may_merge_and_hide_questions(who: str, phase: Phase, allowed: bool) -> None:
    assert permissions.can_moderate_questions(actor_as(who), challenge_in(phase)) is allowed


@pytest.mark.parametrize(("who", "phase", "allowed"), matrix(SIGNED_IN, ASKING))
def test_the_asker_may_reword_a_waiting_question_while_asking_is_open(who: str, phase: Phase, allowed: bool) -> None:
    own = question(author_id=ASKER_ID)
    assert permissions.can_edit_question(actor_as(who), own, challenge_in(phase), at(phase)) is allowed
    someone_elses = question(author_id=99)
    assert not permissions.can_edit_question(actor_as(who), someone_elses, challenge_in(phase), at(phase))


@pytest.mark.parametrize(
    "change", [{"answered_at": MOMENT}, {"hidden_at": MOMENT}, {"duplicate_of_id": 4}], ids=["answered", "hidden",
                                                                                             "merged"]
)  # fmt: skip
def test_an_answered_hidden_or_merged_question_is_not_reworded(change: dict[str, object]) -> None:
    own = question(author_id=ASKER_ID, **change)
    assert not permissions.can_edit_question(actor_as("citizen"), own, challenge_in(Phase.OPEN), at(Phase.OPEN))


ANSWERED = {"answered_at": MOMENT, "answer": "Ja."}
# (the question, its original when it is a duplicate, who besides the asker and the hosts sees it)
VISIBILITY = [
    pytest.param({}, None, False, id="waiting"),
    pytest.param(ANSWERED, None, True, id="answered"),
    pytest.param({**ANSWERED, "hidden_at": MOMENT}, None, False, id="answered-then-hidden"),
    pytest.param({"duplicate_of_id": 4}, Question(id=4, challenge_id=7, body="?", **ANSWERED), True,
                 id="duplicate-of-answered"),
    pytest.param({"duplicate_of_id": 4}, Question(id=4, challenge_id=7, body="?"), False,
                 id="duplicate-of-waiting"),
    pytest.param({"duplicate_of_id": 4}, Question(id=4, challenge_id=7, body="?", hidden_at=MOMENT, **ANSWERED),
                 False, id="duplicate-of-hidden"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "original", "public"), VISIBILITY)
@pytest.mark.parametrize("who", ROLES)
def test_who_sees_a_question(who: str, fields: dict[str, object], original: Question | None, public: bool) -> None:
    challenge = challenge_in(Phase.OPEN)
    asked_by_someone_else = question(author_id=99, **fields)
    expected = public or who in RUNS
    assert permissions.can_see_question(actor_as(who), asked_by_someone_else, challenge, original) is expected
    asked_by_them = question(author_id=ASKER_ID, **fields)
    assert permissions.can_see_question(actor_as(who), asked_by_them, challenge, original) is (
        expected or who != "anonymous"
    )
