"""Balanced assignment of jurors to concepts (app/jury/assignment.py): hand-worked stories, then properties checked
with hypothesis (against a brute-force optimum on small inputs), then a plan at full size."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.jury.assignment import AssignmentPlan, Shortfall, plan_assignment

T = TypeVar("T")
BOUNDED = settings(max_examples=200, deadline=None, database=None, derandomize=True)


def jurors_per_concept(plan: AssignmentPlan) -> Counter[int]:
    return Counter(concept_id for _juror_id, concept_id in plan.pairs)


def spread(plan: AssignmentPlan) -> int:
    loads = plan.load().values()
    return max(loads) - min(loads)


# --- Stories -----------------------------------------------------------------------------------------------------


def test_three_jurors_on_four_concepts_with_two_each_share_the_eight_places_as_three_three_two() -> None:
    plan = plan_assignment(jurors=[1, 2, 3], concepts=[10, 11, 12, 13], per_concept=2)

    assert sorted(plan.load().values()) == [2, 3, 3]
    assert jurors_per_concept(plan) == {10: 2, 11: 2, 12: 2, 13: 2}
    assert plan.added == plan.pairs
    assert plan.shortfalls == ()


def test_a_juror_with_a_conflict_never_gets_that_concept_and_the_others_cover_it() -> None:
    plan = plan_assignment(
        jurors=[1, 2, 3], concepts=[10, 11, 12, 13], per_concept=2, conflicts=[(1, 10), (1, 11), (2, 12)]
    )

    assert not plan.pairs & {(1, 10), (1, 11), (2, 12)}
    assert {juror_id for juror_id, concept_id in plan.pairs if concept_id in (10, 11)} == {2, 3}
    assert jurors_per_concept(plan) == {10: 2, 11: 2, 12: 2, 13: 2}
    # Juror 3 must take 10 and 11 (1 is conflicted) and 12 (2 is conflicted); 13 goes to 1 and 2.
    assert plan.load() == {1: 2, 2: 3, 3: 3}


def test_a_concept_with_a_single_unconflicted_juror_gets_that_juror_and_a_shortfall_of_one() -> None:
    plan = plan_assignment(jurors=[1, 2, 3], concepts=[10, 11], per_concept=2, conflicts=[(1, 11), (2, 11)])

    assert {pair for pair in plan.pairs if pair[1] == 11} == {(3, 11)}
    assert plan.shortfalls == (Shortfall(concept_id=11, missing=1, available=1),)


def test_shortfalls_are_sorted_by_concept_and_say_how_many_jurors_there_are_at_all() -> None:
    plan = plan_assignment(jurors=[1, 2], concepts=[30, 20, 10], per_concept=3, conflicts=[(1, 20), (2, 20)])

    assert plan.shortfalls == (
        Shortfall(concept_id=10, missing=1, available=2),
        Shortfall(concept_id=20, missing=3, available=0),
        Shortfall(concept_id=30, missing=1, available=2),
    )


def test_kept_pairs_survive_a_re_plan_after_a_juror_leaves_and_her_concepts_go_to_the_others() -> None:
    concepts = [10, 11, 12, 13, 14, 15]
    before = plan_assignment(jurors=[1, 2, 3, 4], concepts=concepts, per_concept=2)
    assert before.load() == {1: 3, 2: 3, 3: 3, 4: 3}
    left_behind = {concept_id for juror_id, concept_id in before.pairs if juror_id == 4}
    assert {(3, concept_id) for concept_id in left_behind} <= before.pairs

    keep = {pair for pair in before.pairs if pair[0] != 4}
    after = plan_assignment(jurors=[1, 2, 3], concepts=concepts, per_concept=2, keep=keep)

    assert keep <= after.pairs
    assert after.pairs - keep == after.added
    assert {concept_id for _juror_id, concept_id in after.added} == left_behind
    assert len(after.added) == len(left_behind)
    assert jurors_per_concept(after) == dict.fromkeys(concepts, 2)
    # Juror 4 shared each of her concepts with juror 3, so all three go to jurors 1 and 2 (5 and 4, as even as can be).
    assert {juror_id for juror_id, _concept_id in after.added} == {1, 2}
    assert after.load() == {1: 5, 2: 4, 3: 3}


def test_kept_pairs_beyond_k_are_all_kept_and_nothing_is_added_to_that_concept() -> None:
    keep = {(1, 10), (2, 10), (3, 10)}
    plan = plan_assignment(jurors=[1, 2, 3, 4], concepts=[10, 11], per_concept=2, keep=keep)

    assert {pair for pair in plan.pairs if pair[1] == 10} == keep
    assert {pair for pair in plan.added if pair[1] == 10} == set()
    # Juror 4 has nothing yet, so 11 goes to her and to the lowest id among the jurors with one.
    assert {pair for pair in plan.pairs if pair[1] == 11} == {(4, 11), (1, 11)}
    assert plan.shortfalls == ()


def test_a_kept_pair_that_is_also_a_conflict_is_dropped_because_the_conflict_wins() -> None:
    plan = plan_assignment(jurors=[1, 2, 3], concepts=[10], per_concept=2, conflicts=[(1, 10)], keep=[(1, 10)])

    assert (1, 10) not in plan.pairs
    assert plan.pairs == plan.added == {(2, 10), (3, 10)}


def test_the_load_lists_every_juror_even_one_without_a_concept() -> None:
    plan = plan_assignment(jurors=[5, 6, 7], concepts=[10], per_concept=1)

    assert plan.load() == {5: 1, 6: 0, 7: 0}


def test_duplicate_ids_are_ignored() -> None:
    plan = plan_assignment(jurors=[2, 1, 2, 1], concepts=[10, 10, 11], per_concept=1)

    assert plan == plan_assignment(jurors=[1, 2], concepts=[10, 11], per_concept=1)
    assert plan.load() == {1: 1, 2: 1}


def test_without_jurors_every_concept_is_short_of_all_its_places() -> None:
    plan = plan_assignment(jurors=[], concepts=[10, 11], per_concept=2)

    assert plan.pairs == frozenset()
    assert plan.shortfalls == (Shortfall(10, missing=2, available=0), Shortfall(11, missing=2, available=0))
    assert plan.load() == {}


def test_a_greedy_first_pass_that_leaves_a_juror_idle_is_rebalanced() -> None:
    # Greedy, in id order: 10 to juror 1 (tied with 3, lower id), 11 to juror 2, and 12 -- which only 1 and 2 may
    # take, both at one -- to juror 1 again, leaving juror 3 idle. Rebalancing moves 10 from juror 1 to juror 3.
    plan = plan_assignment(
        jurors=[1, 2, 3], concepts=[10, 11, 12], per_concept=1, conflicts=[(2, 10), (3, 11), (3, 12)]
    )

    assert plan.load() == {1: 1, 2: 1, 3: 1}
    assert plan.pairs == {(3, 10), (2, 11), (1, 12)}


def test_when_the_idle_juror_may_not_take_the_busy_one_s_concepts_they_move_along_a_chain() -> None:
    # Greedy: 10 to juror 1 (tied with 2, lower id), 11 to juror 2 (tied with 3) and 12, which only juror 1 may take,
    # to juror 1. Juror 3 may take neither 10 nor 12, so juror 2 takes 10 from juror 1 and gives 11 to juror 3.
    plan = plan_assignment(
        jurors=[1, 2, 3], concepts=[10, 11, 12], per_concept=1, conflicts=[(3, 10), (1, 11), (2, 12), (3, 12)]
    )

    assert plan.pairs == {(2, 10), (3, 11), (1, 12)}


@pytest.mark.parametrize("per_concept", [0, -1])
def test_fewer_than_one_juror_per_concept_is_refused(per_concept: int) -> None:
    with pytest.raises(ValueError, match="per_concept"):
        plan_assignment(jurors=[1], concepts=[10], per_concept=per_concept)


def test_a_kept_pair_for_a_juror_who_is_not_being_planned_for_is_refused() -> None:
    with pytest.raises(ValueError, match="not being planned for"):
        plan_assignment(jurors=[1, 2], concepts=[10], per_concept=1, keep=[(3, 10)])


def test_five_hundred_concepts_thirty_jurors_and_three_each_with_conflicts_come_out_balanced() -> None:
    rng = random.Random(2026)
    jurors = list(range(1, 31))
    concepts = list(range(1000, 1500))
    conflicts = {(juror_id, concept_id) for juror_id in jurors for concept_id in concepts if rng.random() < 0.08}
    keep = {(rng.choice(jurors), concept_id) for concept_id in concepts[:60]} - conflicts

    plan = plan_assignment(jurors=jurors, concepts=concepts, per_concept=3, conflicts=conflicts, keep=keep)

    assert plan.shortfalls == ()
    assert jurors_per_concept(plan) == dict.fromkeys(concepts, 3)
    assert not plan.pairs & conflicts
    assert keep <= plan.pairs
    assert set(plan.load().values()) == {50}  # 1,500 places over 30 jurors, no one more than another


# --- Properties --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    jurors: list[int]
    concepts: list[int]
    per_concept: int
    conflicts: list[tuple[int, int]]
    keep: list[tuple[int, int]]

    def plan(self) -> AssignmentPlan:
        return plan_assignment(
            jurors=self.jurors,
            concepts=self.concepts,
            per_concept=self.per_concept,
            conflicts=self.conflicts,
            keep=self.keep,
        )


def repeats_of(ids: list[int]) -> st.SearchStrategy[list[int]]:
    return st.lists(st.sampled_from(ids), max_size=3) if ids else st.just([])


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    min_jurors: int = 0,
    max_jurors: int = 7,
    min_concepts: int = 0,
    max_concepts: int = 9,
    max_per_concept: int = 4,
    conflicts: bool = True,
    keep: bool = True,
) -> Instance:
    # Juror and concept ids from different ranges, in any order and with repeats (which are to be ignored).
    juror_ids = sorted(draw(st.sets(st.integers(1, 2 * max_jurors), min_size=min_jurors, max_size=max_jurors)))
    concept_ids = sorted(
        draw(st.sets(st.integers(100, 100 + 2 * max_concepts), min_size=min_concepts, max_size=max_concepts))
    )
    juror_list = draw(st.permutations(juror_ids + draw(repeats_of(juror_ids))))
    concept_list = draw(st.permutations(concept_ids + draw(repeats_of(concept_ids))))
    per_concept = draw(st.integers(1, max_per_concept))
    all_pairs = [(j, c) for j in juror_ids for c in concept_ids]
    # Conflicts pair by pair, about half of them: dense enough that the greedy first pass is often uneven.
    conflict_list = [pair for pair in all_pairs if draw(st.booleans())] if conflicts else []
    if conflicts and draw(st.booleans()):
        conflict_list += [(999, 100), (1, 999)]  # naming a juror or a concept not being planned for: ignored
    keep_list = draw(st.lists(st.sampled_from(all_pairs), unique=True)) if keep and all_pairs else []
    return Instance(juror_list, concept_list, per_concept, conflict_list, keep_list)


def unconflicted(instance: Instance, concept_id: int) -> int:
    return sum(1 for juror_id in set(instance.jurors) if (juror_id, concept_id) not in set(instance.conflicts))


@BOUNDED
@given(instances())
def test_no_conflicted_pair_is_ever_assigned(instance: Instance) -> None:
    assert not instance.plan().pairs & set(instance.conflicts)


@BOUNDED
@given(instances())
def test_kept_pairs_that_are_not_conflicts_are_always_in_the_plan_and_only_the_others_count_as_added(
    instance: Instance,
) -> None:
    plan = instance.plan()
    kept = set(instance.keep) - set(instance.conflicts)

    assert kept <= plan.pairs
    assert plan.added == plan.pairs - kept
    assert not plan.added & set(instance.keep)


@BOUNDED
@given(instances())
def test_each_concept_gets_k_or_every_unconflicted_juror_and_a_shortfall_tells_by_how_much_it_missed(
    instance: Instance,
) -> None:
    plan = instance.plan()
    kept = Counter(concept_id for _juror_id, concept_id in set(instance.keep) - set(instance.conflicts))
    per_concept = jurors_per_concept(plan)
    added = Counter(concept_id for _juror_id, concept_id in plan.added)
    k = instance.per_concept
    expected_shortfalls = []
    for concept_id in sorted(set(instance.concepts)):
        available = unconflicted(instance, concept_id)
        assert per_concept[concept_id] == max(min(k, available), kept[concept_id])
        assert added[concept_id] == max(0, min(k, available) - kept[concept_id])
        if available < k:
            expected_shortfalls.append(Shortfall(concept_id, missing=k - available, available=available))

    assert plan.shortfalls == tuple(expected_shortfalls)
    assert set(plan.load()) == set(instance.jurors)
    assert sum(plan.load().values()) == len(plan.pairs)


@BOUNDED
@given(instances(conflicts=False, keep=False))
def test_without_conflicts_or_kept_pairs_no_juror_has_more_than_one_concept_more_than_another(
    instance: Instance,
) -> None:
    plan = instance.plan()

    if instance.jurors:
        assert spread(plan) <= 1


@BOUNDED
@given(instances(), st.randoms(use_true_random=False))
def test_the_same_input_in_any_order_gives_the_same_plan(instance: Instance, rng: random.Random) -> None:
    def shuffled(items: list[T]) -> list[T]:
        items = list(items)
        rng.shuffle(items)
        return items

    again = plan_assignment(
        jurors=tuple(shuffled(instance.jurors + instance.jurors[:2])),
        concepts=shuffled(instance.concepts),
        per_concept=instance.per_concept,
        conflicts=set(shuffled(instance.conflicts)),
        keep=frozenset(shuffled(instance.keep)),
    )

    assert again == instance.plan()


def best_sorted_loads(instance: Instance) -> tuple[int, ...]:
    """The decreasingly smallest load vector over every valid assignment, found by trying them all."""
    juror_ids = sorted(set(instance.jurors))
    conflicts = set(instance.conflicts)
    kept = set(instance.keep) - conflicts
    choices = []
    for concept_id in sorted(set(instance.concepts)):
        on_it = {juror_id for juror_id, kept_concept in kept if kept_concept == concept_id}
        free = [j for j in juror_ids if j not in on_it and (j, concept_id) not in conflicts]
        need = min(max(0, instance.per_concept - len(on_it)), len(free))
        choices.append([tuple(on_it) + chosen for chosen in itertools.combinations(free, need)])
    best: tuple[int, ...] | None = None
    for assignment in itertools.product(*choices):
        loads = Counter(juror_id for jurors_on_concept in assignment for juror_id in jurors_on_concept)
        candidate = tuple(sorted((loads[juror_id] for juror_id in juror_ids), reverse=True))
        if best is None or candidate < best:
            best = candidate
    assert best is not None
    return best


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(instances(min_jurors=3, max_jurors=4, min_concepts=3, max_concepts=4, max_per_concept=3))
def test_with_conflicts_and_kept_pairs_the_loads_are_the_most_even_any_assignment_can_have(instance: Instance) -> None:
    plan = instance.plan()

    # Lexicographically smallest sorted-descending vector: the least maximum load, then the fewest jurors at it, ...
    assert tuple(sorted(plan.load().values(), reverse=True)) == best_sorted_loads(instance)
