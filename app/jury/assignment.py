"""Balanced assignment of jurors to concepts: each concept gets `per_concept` unconflicted jurors, and the work is
spread as evenly as the conflicts and the kept pairs allow.

The method is a min-cost flow with convex juror costs. The network is source -> concept (capacity k minus the
concept's kept pairs) -> juror (capacity 1 for each unconflicted pair that is not kept) -> sink, where the u-th unit
through a juror's sink edge costs (kept load + u). Its sink edges are unbounded, so a maximum flow gives every
concept min(k, unconflicted jurors); the convex costs make the cheapest maximum flow the one with the least sum of
squared loads. On such a network (the possible load vectors form an M-convex set, Frank & Murota, "Discrete
decreasing minimization") that flow is also decreasingly minimal: it has the smallest possible maximum load, then the
fewest jurors at it, and so on down; so the busiest and the least busy juror differ by at most one whenever any
assignment achieves that.

It is solved by cycle cancelling rather than by successive shortest paths, which would need one shortest-path search
per assigned pair (1,500 for 500 concepts and k=3). A greedy pass (each concept, in id order, takes its least loaded
eligible jurors) gives a maximum flow; the only negative-cost residual cycles then run from a juror with load L along
an alternating path (she gives a concept up to a juror who takes it, who gives another up, ...) to a juror with load
at most L - 2, and moving one concept along such a path lowers the cost. A breadth-first search from the busiest
jurors finds such a path or proves there is none, in which case every juror it reached is final and is left out of
later searches. No negative cycle left means the flow is optimal.

Rules on the input: ids are deduplicated and sorted first (ties are broken by id), so the same sets give the same
plan whatever their order. A kept pair is never removed, except one that is also a conflict: the conflict wins and
the pair is dropped. Kept pairs count toward a concept's k; a concept already over k keeps them all and gets none
added. Every kept pair must name a juror in `jurors` and a concept in `concepts` (ValueError otherwise); conflicts
that name neither are ignored.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortfall:
    """A concept that could not get `per_concept` jurors."""

    concept_id: int
    missing: int  # how many more jurors the concept needed
    available: int  # how many unconflicted jurors exist for it at all


@dataclass(frozen=True)
class AssignmentPlan:
    """The planned (juror_id, concept_id) pairs, those of them that are new, and the concepts left short."""

    pairs: frozenset[tuple[int, int]]
    added: frozenset[tuple[int, int]]
    shortfalls: tuple[Shortfall, ...]
    jurors: tuple[int, ...] = ()  # every juror planned for, sorted, so that load() can list those with none

    def load(self) -> dict[int, int]:
        """Number of assigned concepts per juror, every juror included (0 for one with none)."""
        loads = dict.fromkeys(self.jurors, 0)
        for juror_id, _concept_id in sorted(self.pairs):
            loads[juror_id] = loads.get(juror_id, 0) + 1
        return loads


def plan_assignment(
    *,
    jurors: Sequence[int],
    concepts: Sequence[int],
    per_concept: int,
    conflicts: Collection[tuple[int, int]] = (),
    keep: Collection[tuple[int, int]] = (),
) -> AssignmentPlan:
    """Give every concept `per_concept` unconflicted jurors (or all it has), keeping `keep`, with the load balanced."""
    if per_concept < 1:
        raise ValueError(f"per_concept must be at least 1, not {per_concept}")
    juror_ids = sorted(set(jurors))
    concept_ids = sorted(set(concepts))
    known_jurors = set(juror_ids)
    known_concepts = set(concept_ids)
    conflicted = set(conflicts)
    kept_pairs = set(keep)
    unknown = sorted(pair for pair in kept_pairs if pair[0] not in known_jurors or pair[1] not in known_concepts)
    if unknown:
        raise ValueError(f"kept pairs name a juror or a concept that is not being planned for: {unknown}")
    kept_pairs -= conflicted

    load = dict.fromkeys(juror_ids, 0)
    on_concept: dict[int, set[int]] = {concept_id: set() for concept_id in concept_ids}
    for juror_id, concept_id in kept_pairs:
        load[juror_id] += 1
        on_concept[concept_id].add(juror_id)
    kept_count = {concept_id: len(on_concept[concept_id]) for concept_id in concept_ids}
    # The jurors a concept may still be given: unconflicted and not kept on it.
    eligible = {
        concept_id: [
            juror_id
            for juror_id in juror_ids
            if (juror_id, concept_id) not in conflicted and juror_id not in on_concept[concept_id]
        ]
        for concept_id in concept_ids
    }
    added_to: dict[int, set[int]] = {juror_id: set() for juror_id in juror_ids}

    for concept_id in concept_ids:
        need = per_concept - kept_count[concept_id]
        if need <= 0:
            continue
        for juror_id in sorted(eligible[concept_id], key=lambda j: (load[j], j))[:need]:
            load[juror_id] += 1
            on_concept[concept_id].add(juror_id)
            added_to[juror_id].add(concept_id)

    _balance(juror_ids, load, on_concept, eligible, added_to)

    added = frozenset((juror_id, concept_id) for juror_id in juror_ids for concept_id in added_to[juror_id])
    shortfalls = tuple(
        Shortfall(
            concept_id=concept_id,
            missing=per_concept - len(on_concept[concept_id]),
            available=kept_count[concept_id] + len(eligible[concept_id]),
        )
        for concept_id in concept_ids
        if len(on_concept[concept_id]) < per_concept
    )
    return AssignmentPlan(
        pairs=frozenset(kept_pairs) | added, added=added, shortfalls=shortfalls, jurors=tuple(juror_ids)
    )


def _balance(
    juror_ids: list[int],
    load: dict[int, int],
    on_concept: dict[int, set[int]],
    eligible: dict[int, list[int]],
    added_to: dict[int, set[int]],
) -> None:
    """Cancel negative cycles: move added concepts from the busiest jurors along alternating paths (in place)."""
    final_jurors: set[int] = set()
    final_concepts: set[int] = set()
    while True:
        active = [juror_id for juror_id in juror_ids if juror_id not in final_jurors]
        if not active:
            return
        top = max(load[juror_id] for juror_id in active)
        sources = [juror_id for juror_id in active if load[juror_id] == top]
        # came_from[j] = (concept j would take, juror who would give it up)
        came_from: dict[int, tuple[int, int]] = {}
        seen_jurors = set(sources)
        seen_concepts: set[int] = set()
        queue = deque(sources)
        while queue:
            giver = queue.popleft()
            for concept_id in sorted(added_to[giver]):
                if concept_id in seen_concepts or concept_id in final_concepts:
                    continue
                seen_concepts.add(concept_id)
                for taker in eligible[concept_id]:
                    if taker in seen_jurors or taker in final_jurors or taker in on_concept[concept_id]:
                        continue
                    seen_jurors.add(taker)
                    came_from[taker] = (concept_id, giver)
                    queue.append(taker)
        target = min(
            (juror_id for juror_id in seen_jurors if load[juror_id] <= top - 2),
            key=lambda j: (load[j], j),
            default=None,
        )
        if target is None:
            # Everything reachable from the busiest jurors has load >= top - 1, and later moves (which avoid these
            # nodes) cannot open a path out of them: they are final.
            final_jurors |= seen_jurors
            final_concepts |= seen_concepts
            continue
        load[target] += 1
        taker = target
        while taker in came_from:
            concept_id, giver = came_from[taker]
            added_to[taker].add(concept_id)
            on_concept[concept_id].add(taker)
            added_to[giver].remove(concept_id)
            on_concept[concept_id].remove(giver)
            taker = giver
        load[taker] -= 1
