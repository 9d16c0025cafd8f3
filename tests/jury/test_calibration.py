"""The jury statistics: raw, z-score and calibrated scores, intervals, ranks, agreement and the jury/public blend."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import pytest

from app.jury.calibration import (
    AGREEMENT_WORDS,
    Agreement,
    CombinedEntry,
    ConceptResult,
    JuryResults,
    Method,
    Rating,
    agreement_level,
    combine,
    jury_results,
    krippendorff_alpha,
)

# Two criteria weighted 2 and 1: a juror's total is (2·s1 + s2) / 3.
WEIGHTS = {1: 2, 2: 1}
SINGLE = {1: 1}  # one criterion of weight 1: the total is the score itself


def sheet(juror: int, concept: int, first: float, second: float) -> list[Rating]:
    return [Rating(juror, concept, 1, first), Rating(juror, concept, 2, second)]


def single(juror: int, concept: int, value: float) -> Rating:
    return Rating(juror, concept, 1, value)


def by_id(results: JuryResults) -> dict[int, ConceptResult]:
    return {concept.concept_id: concept for concept in results.concepts}


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    def ranks(values: Sequence[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        start = 0
        while start < len(order):
            end = start
            while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
                end += 1
            for i in order[start : end + 1]:
                result[i] = (start + end) / 2  # ties share the average rank
            start = end + 1
        return result

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    return cov / math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))


# 1. A hand-worked complete design ---------------------------------------------------------------------------------


def complete_design() -> list[Rating]:
    # Totals (2·s1 + s2)/3, jurors 1 = A, 2 = B (exactly 2 points stricter than A), 3 = C (uses the whole scale):
    #            concept 1        concept 2      concept 3        concept 4
    #   A   (8,5) → 21/3 = 7   (7,7) → 7      (5,5) → 5        (5,5) → 5
    #   B   (5,5) → 5          (5,5) → 5      (2,5) → 9/3 = 3  (3,3) → 3
    #   C   (9,9) → 9          (3,3) → 3      (3,3) → 3        (10,7) → 27/3 = 9
    # (An unweighted mean would give A 6.5 on concept 1, B 3.5 on 3 and C 8.5 on 4, so the weights matter.)
    return [
        *sheet(1, 1, 8, 5),
        *sheet(1, 2, 7, 7),
        *sheet(1, 3, 5, 5),
        *sheet(1, 4, 5, 5),
        *sheet(2, 1, 5, 5),
        *sheet(2, 2, 5, 5),
        *sheet(2, 3, 2, 5),
        *sheet(2, 4, 3, 3),
        *sheet(3, 1, 9, 9),
        *sheet(3, 2, 3, 3),
        *sheet(3, 3, 3, 3),
        *sheet(3, 4, 10, 7),
    ]


def test_hand_worked_complete_design_raw_z_and_calibrated() -> None:
    results = jury_results(complete_design(), weights=WEIGHTS, scale_max=10)
    concepts = by_id(results)

    # Raw: the means of the columns.
    #   concept 1: (7 + 5 + 9)/3 = 7     concept 2: (7 + 5 + 3)/3 = 5
    #   concept 3: (5 + 3 + 3)/3 = 11/3  concept 4: (5 + 3 + 9)/3 = 17/3
    assert concepts[1].raw == pytest.approx(7.0)
    assert concepts[2].raw == pytest.approx(5.0)
    assert concepts[3].raw == pytest.approx(11 / 3)
    assert concepts[4].raw == pytest.approx(17 / 3)

    # Z-score. Each juror: A mean 6, sd 1 → z = +1, +1, −1, −1; B mean 4, sd 1 → +1, +1, −1, −1;
    # C mean 6, sd √((9+9+9+9)/4) = 3 → +1, −1, −1, +1. Mean z per concept: 1, 1/3, −1, −1/3.
    # All twelve totals: sum 64, so M = 16/3; sum of squares 396, so variance 396/12 − (16/3)² = 33 − 256/9 = 41/9
    # and S = √41/3. Mapped back, M + S·z̄:
    #   concept 1: 16/3 + √41/3 ≈ 7.4677   concept 2: 16/3 + √41/9 ≈ 6.0448
    #   concept 3: 16/3 − √41/3 ≈ 3.1990   concept 4: 16/3 − √41/9 ≈ 4.6219
    assert concepts[1].z_score == pytest.approx(7.467708, abs=1e-6)
    assert concepts[2].z_score == pytest.approx(6.044792, abs=1e-6)
    assert concepts[3].z_score == pytest.approx(3.198959, abs=1e-6)
    assert concepts[4].z_score == pytest.approx(4.621875, abs=1e-6)

    # Calibrated: when every juror rates every concept, each concept carries every juror's leniency equally, so
    # quality = the column mean (the raw score) and nothing changes order: calibration matters in incomplete
    # designs (next test). The leniencies are the row means minus the grand mean 16/3, shrunk by n/(n + λ) = 4/5:
    #   A: (6 − 16/3)·4/5 = 8/15   B: (4 − 16/3)·4/5 = −16/15   C: (6 − 16/3)·4/5 = 8/15
    # so B comes out 24/15 = 1.6 stricter than A: the true 2 points, shrunk by 4/5.
    for concept in concepts.values():
        assert concept.calibrated == pytest.approx(concept.raw)
    leniency = {juror.juror_id: juror.leniency for juror in results.jurors}
    assert leniency == pytest.approx({1: 8 / 15, 2: -16 / 15, 3: 8 / 15})
    assert [juror.scale for juror in results.jurors] == [1.0, 1.0, 1.0]  # 4 ratings each: too few for a spread
    assert [juror.mean_total for juror in results.jurors] == pytest.approx([6.0, 4.0, 6.0])
    assert [juror.ratings for juror in results.jurors] == [4, 4, 4]

    # C's wide range puts concept 4 above concept 2 in the raw mean; standardised, concept 2 is ahead.
    assert results.places_by_method == {
        Method.RAW: (1, 4, 2),
        Method.Z_SCORE: (1, 2, 4),
        Method.CALIBRATED: (1, 4, 2),
    }
    assert not results.top_places_agree
    assert [concept.concept_id for concept in results.concepts] == [1, 4, 2, 3]
    assert [concept.rank for concept in results.concepts] == [1, 2, 3, 4]
    # Spreads: 9 − 5 = 4, 7 − 3 = 4, 5 − 3 = 2, 9 − 3 = 6; above 0.3 × 10 = 3 is a disagreement.
    assert {c: (concepts[c].spread, concepts[c].disagreement) for c in concepts} == {
        1: (4.0, True),
        2: (4.0, True),
        3: (2.0, False),
        4: (6.0, True),
    }
    for concept in results.concepts:
        assert concept.score == concept.calibrated
        assert 0 <= concept.low <= concept.score <= concept.high <= 10
        assert concept.jurors == 3

    # Agreement over the totals, units = concepts. Σ over ordered pairs within a unit of (v − v')² = 2·m·Σ(v − v̄)²:
    #   concept 1 {7, 5, 9}: 2·3·8 = 48      concept 2 {7, 5, 3}: 48
    #   concept 3 {5, 3, 3}: 2·3·24/9 = 16  concept 4 {5, 3, 9}: 2·3·168/9 = 112
    # Observed: (48 + 48 + 16 + 112)/(m − 1 = 2)/(n = 12) = 28/3. Expected: all twelve values, Σ(v − 16/3)² =
    # 12·41/9 = 164/3, so 2·12·(164/3)/(12·11) = 328/33. Alpha = 1 − (28/3)/(328/33) = 1 − 77/82 = 5/82 ≈ 0.061.
    assert results.agreement == pytest.approx(5 / 82)
    assert results.agreement_level is Agreement.LITTLE
    assert results.agreement_words == "Little or no agreement"


def test_method_chooses_the_score_and_the_order() -> None:
    z = jury_results(complete_design(), weights=WEIGHTS, scale_max=10, method=Method.Z_SCORE)
    assert z.method is Method.Z_SCORE
    assert [concept.concept_id for concept in z.concepts] == [1, 2, 4, 3]
    assert all(concept.score == concept.z_score for concept in z.concepts)
    raw = jury_results(complete_design(), weights=WEIGHTS, scale_max=10, method=Method.RAW)
    assert [concept.score for concept in raw.concepts] == pytest.approx([7, 17 / 3, 5, 11 / 3])


# 4. A strict juror does not sink the concepts they drew (hand-worked, incomplete design) ---------------------------


def test_strict_juror_does_not_sink_the_concepts_they_drew() -> None:
    # True qualities 8, 5, 6, 20/3; A is 1 point lenient, B 1 point strict, C exact. Each concept has two jurors:
    #   concept 1: A 9, B 7      concept 2: A 6, B 4
    #   concept 3: A 7, C 6      concept 4: B (6,5) → 17/3, C (7,6) → 20/3
    # Raw means: 8, 5, 6.5, 37/6 ≈ 6.167: concept 4 falls behind concept 3 only because it drew B.
    ratings = [
        *sheet(1, 1, 9, 9),
        *sheet(2, 1, 7, 7),
        *sheet(1, 2, 6, 6),
        *sheet(2, 2, 4, 4),
        *sheet(1, 3, 7, 7),
        *sheet(3, 3, 6, 6),
        *sheet(2, 4, 6, 5),
        *sheet(3, 4, 7, 6),
    ]
    results = jury_results(ratings, weights=WEIGHTS, scale_max=10)
    concepts = by_id(results)
    assert [concepts[c].raw for c in (1, 2, 3, 4)] == pytest.approx([8, 5, 6.5, 37 / 6])
    assert results.places_by_method[Method.RAW] == (1, 3, 4)

    # Least squares with the ridge (λ = 1), leniencies x (A), y (B), z (C). With two jurors on a concept its
    # quality is the mean of their leniency-free totals, so juror j's residual there is (d − (b_j − b_k))/2 with d
    # the difference of their totals. Each juror's residuals sum to λ·b_j:
    #   A (concepts 1, 2 with B, d = 2; concept 3 with C, d = 1): 2(2 − x + y) + (1 − x + z) = 2x
    #   B (1, 2 with A, d = −2; 4 with C, d = −1):                 2(−2 − y + x) + (−1 − y + z) = 2y
    #   C (3 with A, d = −1; 4 with B, d = 1):                     (−1 − z + x) + (1 − z + y) = 2z
    # C gives x + y = 4z; A + B gives 2z = 3(x + y), so z = 0, y = −x, and A's equation 5 − 2x = 5x: x = 5/7.
    # (The ratings-weighted mean 3·5/7 − 3·5/7 + 2·0 is already 0.) Qualities:
    #   concept 1: (9 − 5/7 + 7 + 5/7)/2 = 8             concept 2: (6 − 5/7 + 4 + 5/7)/2 = 5
    #   concept 3: (7 − 5/7 + 6)/2 = 6 + 1/7 = 43/7      concept 4: (17/3 + 5/7 + 20/3)/2 = 20/3 − 1/7 = 137/21
    # Concept 4 (≈ 6.524) is back ahead of concept 3 (≈ 6.143). The ridge takes out 5/7 of each point of
    # offset here, not all of it: with two or three ratings a juror's offset is only partly told from opinion.
    assert {juror.juror_id: juror.leniency for juror in results.jurors} == pytest.approx(
        {1: 5 / 7, 2: -5 / 7, 3: 0.0}, abs=1e-9
    )
    assert [concepts[c].calibrated for c in (1, 2, 3, 4)] == pytest.approx([8, 5, 43 / 7, 137 / 21])
    assert results.places_by_method[Method.CALIBRATED] == (1, 4, 3)
    assert [concept.concept_id for concept in results.concepts] == [1, 4, 3, 2]


def test_strict_juror_in_a_larger_panel() -> None:
    # Jurors 1–6 score as the concept deserves; juror 7 always 3 points lower. Concept 1 (9 by jurors 1 and 2)
    # drew juror 7 (6), so its raw mean 8 trails concepts 2 (9, 8, 9 → 8.67) and 3 (8, 9, 8 → 8.33). Juror 7 also
    # scores six weaker concepts 3 below the two exact jurors there, which is what shows their strictness.
    ratings = [single(1, 1, 9.0), single(2, 1, 9.0), single(7, 1, 6.0)]
    ratings += [single(3, 2, 9.0), single(4, 2, 8.0), single(5, 2, 9.0)]
    ratings += [single(4, 3, 8.0), single(5, 3, 9.0), single(6, 3, 8.0)]
    for concept, quality in zip(range(4, 10), (7.0, 6.0, 5.0, 4.0, 3.0, 5.0), strict=True):
        ratings += [single(1 + concept % 6, concept, quality), single(1 + (concept + 2) % 6, concept, quality)]
        ratings.append(single(7, concept, quality - 3))
    results = jury_results(ratings, weights=SINGLE, scale_max=10)
    assert results.places_by_method[Method.RAW] == (2, 3, 1)
    assert results.places_by_method[Method.CALIBRATED] == (1, 2, 3)
    assert results.concepts[0].concept_id == 1
    assert not results.top_places_agree
    leniency = {juror.juror_id: juror.leniency for juror in results.jurors}
    assert min(leniency, key=lambda juror: leniency[juror]) == 7
    others = [leniency[juror] for juror in range(1, 7)]
    # Three points apart in truth; with 3–7 ratings each the ridge takes out most of it, not all.
    assert sum(others) / len(others) - leniency[7] > 2


# 2. Krippendorff's alpha -------------------------------------------------------------------------------------------


def reliability_units(rows: Sequence[str]) -> list[list[float]]:
    table = [row.split() for row in rows]
    return [[float(row[u]) for row in table if row[u] != "*"] for u in range(len(table[0]))]


# The computational example of Wikipedia's "Krippendorff's alpha" (3 coders, 15 units, missing values), whose
# interval alpha 0.811 (0.810845) is also the reference value of the `krippendorff` package's tests.
WIKIPEDIA = (
    "* * * * * 3 4 1 2 1 1 3 3 * 3",
    "1 * 2 1 3 3 4 3 * * * * * * *",
    "* * 2 1 3 4 4 * 2 1 1 3 3 * 4",
)
# The reliability data of Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C
# (4 observers, 12 units, missing values): interval alpha 0.849.
KRIPPENDORFF_2011 = (
    "1 2 3 3 2 1 4 1 2 * * *",
    "1 2 3 3 2 2 4 1 2 5 * 3",
    "* 3 3 3 2 3 4 2 2 5 1 *",
    "1 2 3 3 2 4 4 1 2 5 1 *",
)


def test_krippendorff_alpha_reproduces_the_published_interval_examples() -> None:
    assert krippendorff_alpha(reliability_units(WIKIPEDIA)) == pytest.approx(0.810845, abs=1e-6)
    assert krippendorff_alpha(reliability_units(KRIPPENDORFF_2011)) == pytest.approx(0.849, abs=5e-4)


def test_agreement_through_jury_results() -> None:
    ratings = [
        single(coder, unit, float(value))
        for coder, row in enumerate(KRIPPENDORFF_2011, start=1)
        for unit, value in enumerate(row.split(), start=1)
        if value != "*"
    ]
    results = jury_results(ratings, weights=SINGLE, scale_max=5)
    assert results.agreement == pytest.approx(0.849, abs=5e-4)
    assert results.agreement_level is Agreement.STRONG
    assert results.agreement_words == "Strong agreement"


def test_krippendorff_alpha_with_too_little_data() -> None:
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([[3.0], [4.0]]) is None  # no unit has two values
    assert krippendorff_alpha([[3.0, 3.0], [3.0, 3.0]]) is None  # no variation: expected disagreement 0
    assert krippendorff_alpha([[1.0, 1.0], [5.0, 5.0]]) == 1.0
    # Two units, values {1, 2} and {2, 1}: observed = (2 + 2)/4 = 1, expected = Σ over ordered pairs of the four
    # values of (v − v')² / (4·3) = 8/12, so alpha = 1 − 1/(2/3) = −0.5 (systematic disagreement).
    assert krippendorff_alpha([[1.0, 2.0], [2.0, 1.0]]) == pytest.approx(-0.5)


def test_agreement_levels() -> None:
    assert agreement_level(None) is Agreement.UNKNOWN
    assert agreement_level(0.95) is Agreement.STRONG
    assert agreement_level(0.8) is Agreement.STRONG
    assert agreement_level(0.7) is Agreement.MODERATE
    assert agreement_level(0.5) is Agreement.WEAK
    assert agreement_level(0.1) is Agreement.LITTLE
    assert agreement_level(-0.5) is Agreement.LITTLE
    assert set(AGREEMENT_WORDS) == set(Agreement)


# 3. Calibration recovers planted leniencies ------------------------------------------------------------------------


PLANTED = (-2.0, -1.0, 0.0, 0.0, 0.5, 1.0, 1.5, 0.0)  # juror offsets, summing to 0


def simulated(
    seed: int, *, offsets: Sequence[float] = PLANTED, spreads: Sequence[float] | None = None
) -> tuple[list[Rating], dict[int, float], dict[int, int]]:
    """60 concepts, 8 jurors, each concept rated by 3 jurors in a cyclic balanced design (22–23 ratings each)."""
    rng = random.Random(seed)
    spreads = spreads or [1.0] * len(offsets)
    quality = {concept: rng.uniform(3, 7) for concept in range(60)}
    counts = dict.fromkeys(range(len(offsets)), 0)
    ratings = []
    for concept, q in quality.items():
        for juror in (concept % 8, (concept + 1) % 8, (concept + 3) % 8):
            counts[juror] += 1
            for criterion in (1, 2):
                seen = 5 + spreads[juror] * (q - 5) + offsets[juror] + rng.gauss(0, 0.5)
                ratings.append(Rating(juror, concept, criterion, float(min(max(round(seen), 0), 10))))
    return ratings, quality, counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_calibration_recovers_planted_leniencies(seed: int) -> None:
    ratings, quality, counts = simulated(seed)
    results = jury_results(ratings, weights={1: 1, 2: 1}, scale_max=10, bootstrap_samples=50)
    # The fitted leniencies average 0 over the ratings; put the planted ones on the same footing.
    centre = sum(PLANTED[j] * counts[j] for j in counts) / sum(counts.values())
    for juror in results.jurors:
        assert juror.leniency == pytest.approx(PLANTED[juror.juror_id] - centre, abs=0.3)
        assert juror.scale == pytest.approx(1.0, abs=0.25)  # estimated (22+ ratings each), and near the truth

    concepts = by_id(results)
    truth = [quality[c] for c in sorted(quality)]
    calibrated = spearman([concepts[c].calibrated for c in sorted(quality)], truth)
    raw = spearman([concepts[c].raw for c in sorted(quality)], truth)
    assert calibrated > raw
    assert calibrated > 0.9


def test_calibration_recovers_planted_spreads() -> None:
    spreads = (0.5, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    ratings, quality, _ = simulated(4, offsets=[0.0] * 8, spreads=spreads)
    results = jury_results(ratings, weights={1: 1, 2: 1}, scale_max=10, bootstrap_samples=50)
    scale = {juror.juror_id: juror.scale for juror in results.jurors}
    # Reported with a geometric mean of 1 over the ratings; the planted ones have a geometric mean near 0.93.
    geometric = math.exp(sum(math.log(s) for s in spreads) / len(spreads))
    assert scale[0] == pytest.approx(0.5 / geometric, abs=0.25)
    assert scale[1] == pytest.approx(1.5 / geometric, abs=0.25)
    assert scale[0] < 0.8
    assert scale[1] > 1.2


def test_one_off_juror_is_shrunk_toward_no_leniency() -> None:
    # Jurors 1 and 2 give all six concepts 6; juror 9 rates concept 1 only, with 9. Without the ridge all 3 points
    # would be called leniency and juror 9's opinion of concept 1 discarded. With λ = 1, by symmetry b1 = b2 = β,
    # b9 = γ, concepts 2–6 share one quality q. The ridge optimum has Σ b = 0, so γ = −2β, and
    #   concept 1: q1 = (6 − β + 6 − β + 9 − γ)/3 = 21/3 = 7
    #   juror 9:   γ = (9 − q1)/(1 + λ) = 1, so β = −1/2 and q = 6 − β = 6.5
    # Reported with leniencies averaging 0 over the 13 ratings (12·β + γ = −5, so everything moves by 5/13):
    #   γ = 1 + 5/13 = 18/13, β = −1/2 + 5/13 = −3/26, q1 = 7 − 5/13 = 86/13, q = 6.5 − 5/13 = 159/26.
    # Juror 9 comes out 18/13 + 3/26 = 1.5 points more lenient than the others: half their 3-point deviation.
    ratings = [single(juror, concept, 6.0) for juror in (1, 2) for concept in range(1, 7)]
    ratings.append(single(9, 1, 9.0))
    results = jury_results(ratings, weights=SINGLE, scale_max=10)
    leniency = {juror.juror_id: juror.leniency for juror in results.jurors}
    assert leniency == pytest.approx({1: -3 / 26, 2: -3 / 26, 9: 18 / 13}, abs=1e-8)
    concepts = by_id(results)
    assert concepts[1].calibrated == pytest.approx(86 / 13, abs=1e-8)
    assert [concepts[c].calibrated for c in range(2, 7)] == pytest.approx([159 / 26] * 5, abs=1e-8)


def test_disconnected_design_is_well_posed() -> None:
    # Jurors 1, 2 rate concepts 1–3; jurors 3, 4 rate concepts 4–6, two points lower throughout. Nothing links the
    # groups, so the fit cannot tell a stricter group from weaker concepts: each group is calibrated around itself.
    ratings = [single(j, c, v) for j in (1, 2) for c, v in ((1, 8.0), (2, 7.0), (3, 6.0))]
    ratings += [single(j, c, v) for j in (3, 4) for c, v in ((4, 6.0), (5, 5.0), (6, 4.0))]
    results = jury_results(ratings, weights=SINGLE, scale_max=10)
    assert all(math.isfinite(juror.leniency) for juror in results.jurors)
    assert [juror.leniency for juror in results.jurors] == pytest.approx([0.0] * 4, abs=1e-9)
    assert [concept.calibrated for concept in results.concepts] == pytest.approx([8, 7, 6, 6, 5, 4])


# 5. Ranks and "too close to call" ----------------------------------------------------------------------------------


def test_equal_scores_share_a_rank() -> None:
    values = {1: 9.0, 2: 8.0, 3: 8.0, 4: 5.0, 5: 8.004}  # 8.004 rounds to 8.00: a tie too
    ratings = [single(1, concept, value) for concept, value in values.items()]
    results = jury_results(ratings, weights=SINGLE, scale_max=10, method=Method.RAW)
    assert [(c.concept_id, c.rank) for c in results.concepts] == [(1, 1), (2, 2), (3, 2), (5, 2), (4, 5)]


def test_overlapping_intervals_at_first_place_are_too_close_to_call() -> None:
    # Concepts 1 and 2 are split by a third of a point with jurors disagreeing by a point: too close to call.
    # Concept 3 is far below 2, and concept 4 lies beyond the last boundary (places=2: after 1st and after 2nd).
    ratings = [
        *(single(j, 1, v) for j, v in ((1, 9.0), (2, 8.0), (3, 9.0))),
        *(single(j, 2, v) for j, v in ((1, 8.0), (2, 9.0), (3, 8.0))),
        *(single(j, 3, v) for j, v in ((1, 3.0), (2, 3.0), (3, 4.0))),
        *(single(j, 4, v) for j, v in ((1, 3.0), (2, 3.0), (3, 3.0))),
    ]
    results = jury_results(ratings, weights=SINGLE, scale_max=10, places=2)
    flags = {c.concept_id: c.too_close_to_call for c in results.concepts}
    assert [c.concept_id for c in results.concepts] == [1, 2, 3, 4]
    concepts = by_id(results)
    assert concepts[1].low <= concepts[2].high
    assert concepts[2].low > concepts[3].high
    assert flags == {1: True, 2: True, 3: False, 4: False}


def test_clear_gap_is_not_too_close_to_call() -> None:
    ratings = [
        *(single(j, 1, v) for j, v in ((1, 9.0), (2, 10.0), (3, 9.0))),
        *(single(j, 2, v) for j, v in ((1, 4.0), (2, 3.0), (3, 4.0))),
    ]
    results = jury_results(ratings, weights=SINGLE, scale_max=10)
    first, second = results.concepts
    assert first.low > second.high
    assert not first.too_close_to_call
    assert not second.too_close_to_call


def test_tie_at_a_prize_boundary_is_too_close_to_call() -> None:
    ratings = [single(1, 1, 9.0), single(1, 2, 9.0), single(1, 3, 2.0), single(2, 3, 2.0), single(2, 1, 9.0)]
    results = jury_results(ratings, weights=SINGLE, scale_max=10, places=1, method=Method.RAW)
    assert [(c.concept_id, c.rank, c.too_close_to_call) for c in results.concepts] == [
        (1, 1, True),
        (2, 1, True),
        (3, 3, False),
    ]


def test_one_juror_concept_gets_a_wide_interval() -> None:
    # Concept 3 has one juror: its interval comes from the other concepts' residuals and is wider than theirs.
    ratings = [single(j, c, v) for c in (1, 2) for j, v in ((1, 6.0 + c), (2, 5.0 + c), (3, 7.0 + c))]
    ratings.append(single(1, 3, 5.0))
    results = jury_results(ratings, weights=SINGLE, scale_max=10, method=Method.RAW)
    concepts = by_id(results)
    width = {c: concepts[c].high - concepts[c].low for c in concepts}
    assert width[3] > width[1]
    assert width[3] > width[2]


# 6. Jury and public vote -------------------------------------------------------------------------------------------


def test_combine_jury_only() -> None:
    entries = combine({1: 8.0, 2: 6.0, 3: 10.0}, {}, scale_max=10, jury_weight=60)
    assert entries == (
        CombinedEntry(3, jury=1.0, public=None, combined=1.0, rank=1),
        CombinedEntry(1, jury=0.8, public=None, combined=0.8, rank=2),
        CombinedEntry(2, jury=0.6, public=None, combined=0.6, rank=3),
    )
    assert combine({1: 8.0}, {1: 5, 2: 9}, scale_max=10, jury_weight=100)[0] == CombinedEntry(
        1, jury=0.8, public=5 / 9, combined=0.8, rank=1
    )


def test_combine_public_only() -> None:
    entries = combine({}, {1: 20, 2: 50, 3: 0}, scale_max=10, jury_weight=60)
    assert [(e.concept_id, e.jury, e.public, e.combined, e.rank) for e in entries] == [
        (2, None, 1.0, 1.0, 1),
        (1, None, 0.4, 0.4, 2),
        (3, None, 0.0, 0.0, 3),
    ]
    weightless = combine({1: 10.0, 2: 5.0}, {1: 1, 2: 4}, scale_max=10, jury_weight=0)
    assert [(e.concept_id, e.combined) for e in weightless] == [(2, 1.0), (1, 0.25)]


def test_combine_half_and_half_worked_example() -> None:
    # Scale 0..10, jury 50%. Jury shares: 1 → 9/10 = 0.9, 2 → 6/10 = 0.6, 3 → 8/10 = 0.8, 4 not rated.
    # Votes: the most points are 40 (concept 2), so public shares: 1 → 10/40 = 0.25, 2 → 40/40 = 1.0,
    # 3 → 20/40 = 0.5, 4 → 30/40 = 0.75. Concept 4 was not rated by the jury, so its jury side counts 0.
    # Combined: 1 → (0.9 + 0.25)/2 = 0.575, 2 → (0.6 + 1.0)/2 = 0.8, 3 → (0.8 + 0.5)/2 = 0.65, 4 → (0 + 0.75)/2
    # = 0.375.
    entries = combine({1: 9.0, 2: 6.0, 3: 8.0}, {1: 10, 2: 40, 3: 20, 4: 30}, scale_max=10, jury_weight=50)
    assert [(e.concept_id, e.rank) for e in entries] == [(2, 1), (3, 2), (1, 3), (4, 4)]
    combined = {e.concept_id: e.combined for e in entries}
    assert combined == pytest.approx({1: 0.575, 2: 0.8, 3: 0.65, 4: 0.375})
    jury = {e.concept_id: e.jury for e in entries}
    assert jury.pop(4) is None
    assert jury == pytest.approx({1: 0.9, 2: 0.6, 3: 0.8})
    assert {e.concept_id: e.public for e in entries} == pytest.approx({1: 0.25, 2: 1.0, 3: 0.5, 4: 0.75})
    # A concept the jury scored but the public did not vote for gets 0 points on the public side.
    assert combine({1: 10.0, 2: 10.0}, {1: 4}, scale_max=10, jury_weight=50)[1] == CombinedEntry(
        2, jury=1.0, public=0.0, combined=0.5, rank=2
    )


def test_combine_ties_share_a_rank() -> None:
    # 1: (1.0 + 0.5)/2 = 0.75; 2: (0.5 + 1.0)/2 = 0.75; 3: (0.7 + 0.8)/2 = 0.75; 4: (0.2 + 0)/2 = 0.1.
    entries = combine({1: 10.0, 2: 5.0, 3: 7.0, 4: 2.0}, {1: 5, 2: 10, 3: 8}, scale_max=10, jury_weight=50)
    assert [(e.concept_id, e.rank) for e in entries] == [(1, 1), (2, 1), (3, 1), (4, 4)]
    assert combine({}, {}, scale_max=10, jury_weight=50) == ()


def test_combine_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="percentage"):
        combine({1: 5.0}, {}, scale_max=10, jury_weight=101)
    with pytest.raises(ValueError, match="negative"):
        combine({}, {1: -1}, scale_max=10, jury_weight=50)


# 7. Edge cases -----------------------------------------------------------------------------------------------------


def test_no_ratings() -> None:
    results = jury_results([], weights=WEIGHTS, scale_max=10)
    assert results.concepts == ()
    assert results.jurors == ()
    assert results.agreement is None
    assert results.agreement_level is Agreement.UNKNOWN
    assert results.agreement_words == "Too few scores to tell"
    assert results.top_places_agree
    assert results.places_by_method == {Method.RAW: (), Method.Z_SCORE: (), Method.CALIBRATED: ()}


def test_one_juror_one_concept() -> None:
    results = jury_results(sheet(4, 7, 6, 9), weights=WEIGHTS, scale_max=10)
    (concept,) = results.concepts
    # (2·6 + 9)/3 = 7 by every method; nothing to pool, so the interval is 7 ± 10/2, clipped to 0..10.
    assert (concept.raw, concept.z_score, concept.calibrated) == pytest.approx((7, 7, 7))
    assert (concept.low, concept.high) == pytest.approx((2, 10))
    assert (concept.rank, concept.jurors, concept.spread, concept.disagreement) == (1, 1, 0.0, False)
    assert not concept.too_close_to_call
    (juror,) = results.jurors
    assert (juror.juror_id, juror.ratings, juror.mean_total, juror.leniency, juror.scale) == (4, 1, 7.0, 0.0, 1.0)
    assert results.agreement is None
    assert results.places_by_method[Method.CALIBRATED] == (7,)
    assert results.top_places_agree


def test_rating_for_an_unknown_criterion_is_ignored() -> None:
    with_stray = [*complete_design(), Rating(1, 1, 99, 0.0), Rating(5, 9, 99, 3.0)]
    assert jury_results(with_stray, weights=WEIGHTS, scale_max=10) == jury_results(
        complete_design(), weights=WEIGHTS, scale_max=10
    )
    assert jury_results([Rating(1, 1, 99, 5.0)], weights=WEIGHTS, scale_max=10).concepts == ()


def test_same_input_in_any_order_gives_equal_results() -> None:
    ratings, _, _ = simulated(7)
    shuffled = list(ratings)
    random.Random(1).shuffle(shuffled)
    first = jury_results(ratings, weights={1: 1, 2: 1}, scale_max=10, bootstrap_samples=100)
    assert jury_results(ratings, weights={1: 1, 2: 1}, scale_max=10, bootstrap_samples=100) == first
    assert jury_results(shuffled, weights={1: 1, 2: 1}, scale_max=10, bootstrap_samples=100) == first
    other_seed = jury_results(ratings, weights={1: 1, 2: 1}, scale_max=10, bootstrap_samples=100, seed=5)
    assert [c.score for c in other_seed.concepts] == [c.score for c in first.concepts]


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="outside"):
        jury_results([single(1, 1, 11.0)], weights=SINGLE, scale_max=10)
    with pytest.raises(ValueError, match="outside"):
        jury_results([single(1, 1, math.nan)], weights=SINGLE, scale_max=10)
    with pytest.raises(ValueError, match="twice"):
        jury_results([single(1, 1, 3.0), single(1, 1, 4.0)], weights=SINGLE, scale_max=10)
    with pytest.raises(ValueError, match="positive"):
        jury_results([], weights={1: 0}, scale_max=10)
    with pytest.raises(ValueError, match="bootstrap"):
        jury_results([], weights=SINGLE, scale_max=10, bootstrap_samples=1)


# 8. Size -----------------------------------------------------------------------------------------------------------


def test_five_hundred_concepts_thirty_jurors() -> None:
    rng = random.Random(8)
    ratings = []
    for concept in range(500):
        quality = rng.uniform(2, 8)
        for juror in rng.sample(range(30), 3):
            lean = juror / 10 - 1.5
            for criterion in range(4):
                value = min(max(round(quality + lean + rng.gauss(0, 1)), 0), 10)
                ratings.append(Rating(juror, concept, criterion, float(value)))
    assert len(ratings) == 6000
    results = jury_results(ratings, weights={0: 1, 1: 2, 2: 1, 3: 3}, scale_max=10)  # default 400 bootstrap samples
    assert len(results.concepts) == 500
    assert len(results.jurors) == 30
    assert len(results.places_by_method[Method.CALIBRATED]) == 3
