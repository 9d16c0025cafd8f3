"""Jury results: raw, standardised and calibrated concept scores, their uncertainty, and the jury's agreement.

In plain words:

- A juror's *total* for a concept is the weighted mean of their criterion scores (weights from the challenge's
  criteria), so it lies on the same 0..scale_max scale as a single score. Ratings for criteria without a weight
  are ignored; a juror who scored only some criteria gets the weighted mean of those.
- **Raw**: a concept's score is the plain mean of its jurors' totals. Each concept is seen by only a few jurors
  out of the panel, so a concept that drew a strict juror loses points it did not deserve.
- **Z-score** (what MacArthur's 100&Change does): each juror's totals are standardised by that juror's own mean
  and spread, then put back on the scale with the mean and spread of all totals. A juror with a single rating has
  no spread to divide by and is taken as given; one who gave everything the same total says nothing about order
  and lands on the overall mean.
- **Calibrated** (the reviewer-leniency model of NIPS 2013–14): a juror's total is read as the concept's quality
  plus the juror's leniency, ``total ≈ quality + leniency``, fitted by least squares over all ratings at once, so
  a concept scored by a strict juror gets the points back that the juror's strictness took away. Leniencies are
  reported so that they average 0 over the ratings: a positive leniency is a generous juror, a negative one a
  strict one, in points of the scale.

  Two choices keep the fit honest:

  * *Shrinking toward 0 (ridge, λ = 1).* Each juror's leniency is fitted as if they also had one extra rating
    exactly at the concept's quality (a pseudo-observation of leniency 0), so with n ratings at most n/(n+1) of
    their apparent offset is taken as leniency. A juror with many ratings is calibrated almost fully; a one-off
    juror, whose single deviation may as well be an opinion about that concept, only by half. The same penalty
    keeps the fit well-posed when the design falls apart into groups of jurors that share no concept: each group
    is then calibrated around its own average, which is the most the data can say. λ = 1 reads as "a juror's
    leniency is about as large as their disagreement on one concept", which holds on any scale.
  * *Spread as well as offset, only when it can be estimated.* When every juror has at least 5 ratings and the
    design is connected (every juror is linked to every other through shared concepts), the model also fits a
    spread factor per juror: ``total − mean ≈ spread × (quality − mean) + leniency``, where *mean* is the mean of
    all totals. A spread above 1 is a juror who uses more of the scale. Spreads are shrunk toward 1 the same way
    (one pseudo-concept one standard deviation from the mean), kept within 0.25..4 (a juror whose scores do not
    follow quality at all is down-weighted, not turned upside down), and reported with a geometric mean of 1
    over the ratings. Otherwise the spread is not estimated and reported as 1.0.

  The fit alternates: qualities given the leniencies, leniencies given the qualities (and spreads given both),
  until nothing moves by more than 1e-9 or after 500 rounds.

- **Uncertainty**: a 90% bootstrap percentile interval (5%..95%) of the chosen method's score. Each of a
  concept's jurors contributes a value (their total; for z-score their standardised total; for calibrated their
  total with the leniency and spread taken out). The bootstrap redraws a concept's values with replacement, with
  the deviations widened by √(k/(k−1)) because k values around their own mean understate the spread. Three
  jurors who happen to agree would otherwise make a concept look certain, so each redrawn deviation comes from
  the concept's own jurors with probability (k−1)/(k+1) and otherwise from the deviations of all concepts (the
  pooled residuals): the concept's own spread counts as k−1 degrees of freedom against a prior worth 2. A
  concept with one juror thus draws only from the pooled residuals; when no concept has two jurors there is
  nothing to pool and its interval is the score ± half the scale. Leniencies and spreads are held at their fitted
  values (each rests on many more ratings than one concept's), so calibrated intervals are slightly optimistic
  when jurors have few ratings. Scores and intervals are clipped to 0..scale_max.
- **Too close to call**: walking down the ranking, at each prize boundary (after 1st, 2nd, …, after the last
  prize place) the two concepts either side are flagged when their intervals overlap or their scores tie.
- **Agreement**: Krippendorff's alpha with the interval metric over the jurors' totals (concepts are the units,
  jurors the coders); 1 is perfect agreement, 0 is no better than chance.

Everything is deterministic: inputs are sorted before use and the bootstrap uses a seeded generator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

LENIENCY_PRIOR = 1.0  # λ: pseudo-observations of "leniency 0" (and "spread 1") added to each juror
MIN_RATINGS_FOR_SCALE = 5  # every juror needs this many ratings before spreads are estimated
SCALE_BOUNDS = (0.25, 4.0)
MAX_ITERATIONS = 500
TOLERANCE = 1e-9
INTERVAL = (0.05, 0.95)
PRIOR_DEGREES = 2.0  # weight of the pooled residuals against a concept's own k−1 degrees of freedom
MIN_BOOTSTRAP_SAMPLES = 10
SCORE_DECIMALS = 2  # scores equal to this many decimals share a rank
COMBINED_DECIMALS = 4


class Method(StrEnum):
    RAW = "raw"  # mean of the jurors' totals
    Z_SCORE = "z-score"  # each juror standardised by their own mean and spread, mapped back via all totals
    CALIBRATED = "calibrated"  # the least-squares leniency model


class Agreement(StrEnum):
    STRONG = "strong"  # alpha ≥ 0.8
    MODERATE = "moderate"  # alpha ≥ 0.667, Krippendorff's tentative threshold
    WEAK = "weak"  # alpha ≥ 0.4
    LITTLE = "little"  # below 0.4, including systematic disagreement (alpha < 0)
    UNKNOWN = "unknown"  # too few scores to compute alpha


AGREEMENT_WORDS: Mapping[Agreement, str] = {
    Agreement.STRONG: "Strong agreement",
    Agreement.MODERATE: "Moderate agreement",
    Agreement.WEAK: "Weak agreement",
    Agreement.LITTLE: "Little or no agreement",
    Agreement.UNKNOWN: "Too few scores to tell",
}


@dataclass(frozen=True)
class Rating:
    juror_id: int
    concept_id: int
    criterion_id: int
    value: float


@dataclass(frozen=True)
class ConceptResult:
    concept_id: int
    score: float  # on the 0..scale_max scale, by the chosen method
    low: float  # 90% bootstrap percentile interval, clipped to [0, scale_max]
    high: float
    raw: float
    z_score: float
    calibrated: float
    jurors: int  # how many jurors rated it
    spread: float  # max − min of the jurors' totals
    disagreement: bool  # spread > disagreement_threshold × scale_max
    rank: int  # competition ranking ("1, 2, 2, 4") on the score rounded to 2 decimals
    too_close_to_call: bool  # at a prize boundary with an overlapping interval (or a tie) on the other side


@dataclass(frozen=True)
class JurorReport:
    juror_id: int
    ratings: int  # how many concepts they rated
    mean_total: float
    leniency: float  # fitted offset in scale points: + lenient, − strict
    scale: float  # fitted spread factor (1.0 when not estimated)


@dataclass(frozen=True)
class JuryResults:
    method: Method
    concepts: tuple[ConceptResult, ...]  # best first, then by concept_id
    jurors: tuple[JurorReport, ...]  # by juror_id
    agreement: float | None  # Krippendorff's alpha (interval) over the totals; None with too little data
    agreement_level: Agreement
    agreement_words: str  # the English phrase for agreement_level (AGREEMENT_WORDS)
    top_places_agree: bool  # the top `places` concepts, in order, are the same by all three methods
    places_by_method: dict[Method, tuple[int, ...]]  # concept ids of the top `places` per method


@dataclass(frozen=True)
class CombinedEntry:
    concept_id: int
    jury: float | None  # jury score as a share of scale_max (0..1), None if not rated
    public: float | None  # public-vote points as a share of the most points any concept got, None when no vote
    combined: float  # a share 0..1
    rank: int  # competition ranking on combined rounded to 4 decimals


@dataclass(frozen=True)
class _Design:
    """The jurors' totals, indexed both ways (concept and juror indexes follow sorted ids)."""

    concept_ids: list[int]
    juror_ids: list[int]
    by_concept: list[list[tuple[int, float]]]  # concept index -> [(juror index, total)] by juror
    by_juror: list[list[tuple[int, float]]]  # juror index -> [(concept index, total)] by concept


@dataclass(frozen=True)
class _Fit:
    leniency: list[float]  # by juror index
    scale: list[float]  # by juror index, all 1.0 when not estimated
    centre: float  # the mean all totals are measured from


def jury_results(
    ratings: Iterable[Rating],
    *,
    weights: Mapping[int, int],
    scale_max: int,
    method: Method = Method.CALIBRATED,
    places: int = 3,
    disagreement_threshold: float = 0.3,
    bootstrap_samples: int = 400,
    seed: int = 0,
) -> JuryResults:
    """Score, rank and flag the concepts from the jury's ratings, with a report on each juror and on agreement."""
    if scale_max < 1:
        raise ValueError("scale_max must be at least 1")
    if any(weight <= 0 for weight in weights.values()):
        raise ValueError("criterion weights must be positive")
    if places < 0:
        raise ValueError("places must not be negative")
    if disagreement_threshold < 0:
        raise ValueError("disagreement_threshold must not be negative")
    if bootstrap_samples < MIN_BOOTSTRAP_SAMPLES:
        raise ValueError(f"bootstrap_samples must be at least {MIN_BOOTSTRAP_SAMPLES}")
    design = _design(_totals(ratings, weights, scale_max))
    if not design.concept_ids:
        return JuryResults(
            method=method,
            concepts=(),
            jurors=(),
            agreement=None,
            agreement_level=Agreement.UNKNOWN,
            agreement_words=AGREEMENT_WORDS[Agreement.UNKNOWN],
            top_places_agree=True,
            places_by_method=dict.fromkeys(Method, ()),
        )

    fit = _fit(design)
    values: dict[Method, list[list[tuple[float, float]]]] = {
        Method.RAW: [[(total, 1.0) for _, total in items] for items in design.by_concept],
        Method.Z_SCORE: _z_values(design),
        Method.CALIBRATED: _calibrated_values(design, fit),
    }

    def clip(x: float) -> float:
        return min(max(x, 0.0), float(scale_max))

    scores = {m: [clip(_weighted_mean(items)) for items in values[m]] for m in Method}
    rng = random.Random(seed)  # noqa: S311 - seeded so the bootstrap is reproducible; nothing secret depends on it
    intervals = [(clip(low), clip(high)) for low, high in _intervals(values[method], bootstrap_samples, scale_max, rng)]
    orders = {m: _order(scores[m], design.concept_ids) for m in Method}
    places_by_method = {m: tuple(design.concept_ids[c] for c in orders[m][:places]) for m in Method}

    order = orders[method]
    score = scores[method]
    rounded = [round(score[c], SCORE_DECIMALS) for c in order]
    ranks = _competition_ranks(rounded)
    # Keep each interval around its own score (a skewed percentile interval may miss it by a hair).
    bounds = [(min(low, score[c]), max(high, score[c])) for c, (low, high) in enumerate(intervals)]
    close: set[int] = set()
    for place in range(1, places + 1):
        if place >= len(order):
            break
        upper, lower = order[place - 1], order[place]
        overlap = bounds[upper][0] <= bounds[lower][1] and bounds[lower][0] <= bounds[upper][1]
        if overlap or rounded[place - 1] == rounded[place]:
            close.update((upper, lower))

    concepts = []
    for position, c in enumerate(order):
        totals = [total for _, total in design.by_concept[c]]
        spread = max(totals) - min(totals)
        concepts.append(
            ConceptResult(
                concept_id=design.concept_ids[c],
                score=score[c],
                low=bounds[c][0],
                high=bounds[c][1],
                raw=scores[Method.RAW][c],
                z_score=scores[Method.Z_SCORE][c],
                calibrated=scores[Method.CALIBRATED][c],
                jurors=len(totals),
                spread=spread,
                disagreement=spread > disagreement_threshold * scale_max,
                rank=ranks[position],
                too_close_to_call=c in close,
            )
        )
    jurors = tuple(
        JurorReport(
            juror_id=juror_id,
            ratings=len(design.by_juror[j]),
            mean_total=math.fsum(total for _, total in design.by_juror[j]) / len(design.by_juror[j]),
            leniency=fit.leniency[j],
            scale=fit.scale[j],
        )
        for j, juror_id in enumerate(design.juror_ids)
    )
    alpha = krippendorff_alpha([total for _, total in items] for items in design.by_concept)
    level = agreement_level(alpha)
    return JuryResults(
        method=method,
        concepts=tuple(concepts),
        jurors=jurors,
        agreement=alpha,
        agreement_level=level,
        agreement_words=AGREEMENT_WORDS[level],
        top_places_agree=len({places_by_method[m] for m in Method}) == 1,
        places_by_method=places_by_method,
    )


def krippendorff_alpha(units: Iterable[Sequence[float]]) -> float | None:
    """Krippendorff's alpha with the interval metric; each unit holds the values its coders gave (missing left out)."""
    # Coincidence-matrix form, with the sums over value pairs done in closed form:
    # sum over ordered pairs i≠j of (v_i − v_j)² = 2·(m·Σv² − (Σv)²) for m values.
    pairable = [list(unit) for unit in units if len(unit) >= 2]
    n = sum(len(unit) for unit in pairable)
    if n < 2:
        return None
    observed = math.fsum(_pair_sum(unit) / (len(unit) - 1) for unit in pairable) / n
    every = [value for unit in pairable for value in unit]
    expected = _pair_sum(every) / (n * (n - 1))
    if expected <= 0:
        return None
    return 1.0 - observed / expected


def agreement_level(alpha: float | None) -> Agreement:
    """The verbal level of an alpha: strong ≥ 0.8, moderate ≥ 0.667, weak ≥ 0.4, else little; unknown for None."""
    if alpha is None:
        return Agreement.UNKNOWN
    if alpha >= 0.8:
        return Agreement.STRONG
    if alpha >= 0.667:
        return Agreement.MODERATE
    if alpha >= 0.4:
        return Agreement.WEAK
    return Agreement.LITTLE


def combine(
    jury: Mapping[int, float],
    votes: Mapping[int, int],
    *,
    scale_max: int,
    jury_weight: int,
) -> tuple[CombinedEntry, ...]:
    """Blend jury scores and public-vote points into one ranking, best first, then by concept_id.

    Both are put on a 0..1 scale first. The jury score is taken as a share of the top of the scale (8 of 10 is
    0.8). The public vote is taken as a share of the points of the concept that got the most: the winner of the
    public vote counts fully, as a top score does for the jury, whatever the number of concepts. (A share of all
    votes would not: with forty concepts even a clear favourite might hold 10% of the votes, and the public half
    would barely count.) The combination is then jury_weight% of the jury share plus the rest of the public share.

    With no votes at all, or jury_weight 100, the combined value is the jury share; with no jury scores, or
    jury_weight 0, the public share. A concept missing from a non-empty vote got 0 points; a concept the jury did
    not score counts 0 on the jury side (its `jury` field is None). Entries with equal combined values (to 4
    decimals) share a rank.
    """
    if scale_max < 1:
        raise ValueError("scale_max must be at least 1")
    if not 0 <= jury_weight <= 100:
        raise ValueError("jury_weight is a percentage, 0..100")
    if any(points < 0 for points in votes.values()):
        raise ValueError("vote points must not be negative")
    most = max(votes.values(), default=0)
    entries = []
    for concept_id in sorted(set(jury) | set(votes)):
        jury_share = min(max(jury[concept_id] / scale_max, 0.0), 1.0) if concept_id in jury else None
        public_share = (votes.get(concept_id, 0) / most if most else 0.0) if votes else None
        if not votes:
            combined = jury_share or 0.0
        elif not jury:
            combined = public_share or 0.0
        else:
            share = jury_weight / 100
            combined = share * (jury_share or 0.0) + (1 - share) * (public_share or 0.0)
        entries.append((concept_id, jury_share, public_share, combined))
    entries.sort(key=lambda entry: (-round(entry[3], COMBINED_DECIMALS), entry[0]))
    ranks = _competition_ranks([round(entry[3], COMBINED_DECIMALS) for entry in entries])
    return tuple(
        CombinedEntry(concept_id=concept_id, jury=jury_share, public=public_share, combined=combined, rank=rank)
        for (concept_id, jury_share, public_share, combined), rank in zip(entries, ranks, strict=True)
    )


def _totals(ratings: Iterable[Rating], weights: Mapping[int, int], scale_max: int) -> dict[tuple[int, int], float]:
    """Each (juror, concept)'s weighted mean over the weighted criteria it scored."""
    scores: dict[tuple[int, int], dict[int, float]] = {}
    for rating in ratings:
        if rating.criterion_id not in weights:
            continue
        if not 0 <= rating.value <= scale_max:  # also rejects NaN
            raise ValueError(f"rating value {rating.value} is outside 0..{scale_max}")
        sheet = scores.setdefault((rating.juror_id, rating.concept_id), {})
        if rating.criterion_id in sheet:
            raise ValueError(
                f"juror {rating.juror_id} rated criterion {rating.criterion_id} of concept {rating.concept_id} twice"
            )
        sheet[rating.criterion_id] = rating.value
    totals = {}
    for key, sheet in scores.items():
        criteria = sorted(sheet)  # a fixed summation order, so the input order cannot change the last bit
        weighted = math.fsum(weights[criterion] * sheet[criterion] for criterion in criteria)
        totals[key] = weighted / sum(weights[criterion] for criterion in criteria)
    return totals


def _design(totals: Mapping[tuple[int, int], float]) -> _Design:
    concept_ids = sorted({concept for _, concept in totals})
    juror_ids = sorted({juror for juror, _ in totals})
    concept_index = {concept: c for c, concept in enumerate(concept_ids)}
    juror_index = {juror: j for j, juror in enumerate(juror_ids)}
    by_concept: list[list[tuple[int, float]]] = [[] for _ in concept_ids]
    by_juror: list[list[tuple[int, float]]] = [[] for _ in juror_ids]
    for (juror, concept), total in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0])):
        c, j = concept_index[concept], juror_index[juror]
        by_concept[c].append((j, total))
        by_juror[j].append((c, total))
    return _Design(concept_ids, juror_ids, by_concept, by_juror)


def _z_values(design: _Design) -> list[list[tuple[float, float]]]:
    """Each juror's totals standardised by their own mean and spread, mapped back with those of all totals."""
    every = [total for items in design.by_juror for _, total in items]
    pooled_mean, pooled_sd = _mean_sd(every)
    mapped: list[dict[int, float]] = []
    for items in design.by_juror:
        totals = [total for _, total in items]
        mean, sd = _mean_sd(totals)
        if len(totals) < 2:
            # One rating has no spread to standardise by: take it as given rather than force it to the mean.
            mapped.append(dict(items))
        elif sd == 0:
            mapped.append(dict.fromkeys((c for c, _ in items), pooled_mean))
        else:
            mapped.append({c: pooled_mean + pooled_sd * (total - mean) / sd for c, total in items})
    return [[(mapped[j][c], 1.0) for j, _ in items] for c, items in enumerate(design.by_concept)]


def _calibrated_values(design: _Design, fit: _Fit) -> list[list[tuple[float, float]]]:
    """Each juror's total with their leniency and spread taken out, weighted as least squares weighs it (spread²)."""
    centre = fit.centre
    return [
        [(centre + (total - centre - fit.leniency[j]) / fit.scale[j], fit.scale[j] ** 2) for j, total in items]
        for items in design.by_concept
    ]


def _fit(design: _Design) -> _Fit:
    """Least-squares leniencies (and spreads when they can be estimated), ridge-shrunk as the module explains."""
    by_concept, by_juror = design.by_concept, design.by_juror
    jurors = len(by_juror)
    every = [total for items in by_juror for _, total in items]
    centre, sd = _mean_sd(every)
    # Work on totals measured from the overall mean: quality u (relative), leniency b, spread a.
    u = [0.0] * len(by_concept)
    b = [0.0] * jurors
    a = [1.0] * jurors
    for _ in range(MAX_ITERATIONS):
        old = [*u, *b]
        for c, items in enumerate(by_concept):
            u[c] = math.fsum(total - centre - b[j] for j, total in items) / len(items)
        for j, items in enumerate(by_juror):
            b[j] = math.fsum(total - centre - u[c] for c, total in items) / (len(items) + LENIENCY_PRIOR)
        # Shifting every leniency up and every quality down by the same amount leaves the fit unchanged; only the
        # ridge penalty pins it, and slowly. Its optimum has leniencies summing to 0, so jump there each round.
        shift = math.fsum(b) / jurors
        b = [x - shift for x in b]
        u = [x + shift for x in u]
        if max(abs(new - before) for new, before in zip([*u, *b], old, strict=True)) < TOLERANCE:
            break

    if sd > 0 and _scale_estimable(design):
        prior = LENIENCY_PRIOR * sd * sd  # one pseudo-concept one standard deviation from the mean, at spread 1
        low, high = SCALE_BOUNDS
        for _ in range(MAX_ITERATIONS):
            old = [*u, *b, *a]
            for c, items in enumerate(by_concept):
                num = math.fsum(a[j] * (total - centre - b[j]) for j, total in items)
                u[c] = num / math.fsum(a[j] * a[j] for j, _ in items)
            for j, items in enumerate(by_juror):
                num = math.fsum(u[c] * (total - centre - b[j]) for c, total in items) + prior
                a[j] = min(max(num / (math.fsum(u[c] * u[c] for c, _ in items) + prior), low), high)
                b[j] = math.fsum(total - centre - a[j] * u[c] for c, total in items) / (len(items) + LENIENCY_PRIOR)
            # Two moves leave every fitted total unchanged: spreads × k with qualities ÷ k, and leniencies + spread·δ
            # with qualities − δ. Take each to where the ridge penalty is least (where its optimum lies anyway).
            k = math.fsum(a) / math.fsum(x * x for x in a)
            a = [x * k for x in a]
            u = [x / k for x in u]
            delta = -math.fsum(x * y for x, y in zip(a, b, strict=True)) / math.fsum(x * x for x in a)
            b = [y + x * delta for x, y in zip(a, b, strict=True)]
            u = [x - delta for x in u]
            if max(abs(new - before) for new, before in zip([*u, *b, *a], old, strict=True)) < TOLERANCE:
                break

    # Report on the agreed footing, again by moves that leave every fitted total unchanged: spreads with a
    # geometric mean of 1 over the ratings, leniencies averaging 0 over the ratings.
    counts = [len(items) for items in by_juror]
    n = sum(counts)
    g = math.exp(math.fsum(count * math.log(x) for count, x in zip(counts, a, strict=True)) / n)
    a = [x / g for x in a]
    delta = -math.fsum(count * y for count, y in zip(counts, b, strict=True))
    delta /= math.fsum(count * x for count, x in zip(counts, a, strict=True))
    b = [y + x * delta for x, y in zip(a, b, strict=True)]
    return _Fit(leniency=b, scale=a, centre=centre)


def _scale_estimable(design: _Design) -> bool:
    """Every juror has enough ratings and the jurors are all linked through shared concepts."""
    if any(len(items) < MIN_RATINGS_FOR_SCALE for items in design.by_juror):
        return False
    jurors = len(design.by_juror)
    parent = list(range(jurors + len(design.by_concept)))  # jurors first, then concepts

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for c, items in enumerate(design.by_concept):
        for j, _ in items:
            parent[root(j)] = root(jurors + c)
    return len({root(node) for node in range(len(parent))}) == 1


def _intervals(
    values: list[list[tuple[float, float]]], samples: int, scale_max: int, rng: random.Random
) -> list[tuple[float, float]]:
    """The 5%..95% bootstrap percentile interval of each concept's weighted mean (see the module docstring)."""
    deviations: list[list[tuple[float, float]]] = []
    for items in values:
        k = len(items)
        centre = _weighted_mean(items)
        widen = math.sqrt(k / (k - 1)) if k > 1 else 0.0
        deviations.append([(weight, weight * (value - centre) * widen) for value, weight in items])
    pool = [pair for own in deviations if len(own) > 1 for pair in own]
    draw = rng.random
    result = []
    for items, own in zip(values, deviations, strict=True):
        centre = _weighted_mean(items)
        k = len(items)
        if not pool:
            result.append((centre - scale_max / 2, centre + scale_max / 2))
            continue
        own_share = (k - 1) / (k - 1 + PRIOR_DEGREES)
        size = len(pool)
        means = []
        for _ in range(samples):
            weight_sum = 0.0
            deviation_sum = 0.0
            for _ in range(k):
                weight, deviation = own[int(draw() * k)] if draw() < own_share else pool[int(draw() * size)]
                weight_sum += weight
                deviation_sum += deviation
            means.append(centre + deviation_sum / weight_sum)
        means.sort()
        result.append((_quantile(means, INTERVAL[0]), _quantile(means, INTERVAL[1])))
    return result


def _quantile(ordered: Sequence[float], p: float) -> float:
    """Linear interpolation between order statistics (the usual 'type 7' quantile)."""
    position = p * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _weighted_mean(items: Sequence[tuple[float, float]]) -> float:
    return math.fsum(value * weight for value, weight in items) / math.fsum(weight for _, weight in items)


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population standard deviation."""
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((x - mean) ** 2 for x in values) / len(values))


def _pair_sum(values: Sequence[float]) -> float:
    """Σ (v_i − v_j)² over ordered pairs i≠j."""
    mean = math.fsum(values) / len(values)
    return 2 * len(values) * math.fsum((x - mean) ** 2 for x in values)


def _order(scores: Sequence[float], concept_ids: Sequence[int]) -> list[int]:
    """Concept indexes best first (by the score rounded as ranks see it), then by concept id."""
    return sorted(range(len(scores)), key=lambda c: (-round(scores[c], SCORE_DECIMALS), concept_ids[c]))


def _competition_ranks(keys: Sequence[float]) -> list[int]:
    """Ranks "1, 2, 2, 4" for keys already sorted best first: equal keys share the rank of the first of them."""
    ranks: list[int] = []
    for position, key in enumerate(keys):
        ranks.append(ranks[-1] if position and key == keys[position - 1] else position + 1)
    return ranks
