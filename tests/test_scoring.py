"""The pure scoring model in srcscore._scoring: moments, noisy-OR, intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from srcscore._scoring import (
    DEFAULT_DISCOUNT,
    Moments,
    beta_interval,
    beta_moments,
    combine_witnesses,
    mean_interval,
    product_moments,
)

SEED = 20240917
N = 200_000
UNVERIFIED = (0.8, 5.0)


def beta_params(mean: float, strength: float) -> tuple[float, float]:
    return mean * strength, (1.0 - mean) * strength


def witness(mean: float, strength: float, support: tuple[float, float] = UNVERIFIED) -> Moments:
    return product_moments(beta_moments(mean, strength), beta_moments(*support))


# --- beta_moments and product_moments ---------------------------------------------------


@pytest.mark.parametrize(("mean", "strength"), [(0.5, 2.0), (0.9, 20.0), (0.2, 5.0), (0.99, 1.0)])
def test_beta_moments_exact(mean: float, strength: float) -> None:
    m = beta_moments(mean, strength)
    assert m.mean == pytest.approx(mean)
    assert m.variance == pytest.approx(mean * (1 - mean) / (strength + 1))
    assert m.second == pytest.approx(m.variance + mean**2)


def test_beta_moments_match_monte_carlo() -> None:
    rng = np.random.default_rng(SEED)
    for mean, strength in [(0.5, 2.0), (0.85, 30.0), (0.3, 4.0)]:
        x = rng.beta(*beta_params(mean, strength), N)
        m = beta_moments(mean, strength)
        assert m.mean == pytest.approx(x.mean(), abs=0.005)
        assert m.second == pytest.approx((x**2).mean(), abs=0.005)


def test_beta_moments_infinite_strength_is_a_point_mass() -> None:
    m = beta_moments(0.7, math.inf)
    assert m.mean == 0.7
    assert m.variance == pytest.approx(0.0)


def test_stronger_prior_has_smaller_variance() -> None:
    variances = [beta_moments(0.8, s).variance for s in [1, 2, 5, 10, 50, 1000]]
    assert variances == sorted(variances, reverse=True)
    assert len(set(variances)) == len(variances)


def test_product_moments_of_independent_factors() -> None:
    rng = np.random.default_rng(SEED)
    a, b = beta_moments(0.9, 20), beta_moments(0.6, 4)
    x = rng.beta(*beta_params(0.9, 20), N) * rng.beta(*beta_params(0.6, 4), N)
    p = product_moments(a, b)
    assert p.mean == pytest.approx(0.54)
    assert p.mean == pytest.approx(x.mean(), abs=0.005)
    assert p.second == pytest.approx((x**2).mean(), abs=0.005)


# --- combine_witnesses -----------------------------------------------------------------


def monte_carlo_noisy_or(
    rng: np.random.Generator, specs: list[tuple[float, float]], discount: float
) -> np.ndarray:
    """Sample T = 1 - prod_k (1 - d**k v_k), witnesses sorted by expected v."""
    order = sorted(specs, key=lambda s: -witness(*s).mean)
    miss = np.ones(N)
    for k, (mean, strength) in enumerate(order):
        r = rng.beta(*beta_params(mean, strength), N)
        s = rng.beta(*beta_params(*UNVERIFIED), N)
        miss *= 1.0 - discount**k * r * s
    return 1.0 - miss


@pytest.mark.parametrize(
    "specs",
    [
        [(0.9, 20.0)],
        [(0.9, 20.0), (0.5, 2.0)],
        [(0.7, 10.0), (0.8, 5.0), (0.6, 3.0)],
        [(0.3, 2.0), (0.95, 50.0), (0.5, 2.0), (0.6, 8.0)],
    ],
)
@pytest.mark.parametrize("discount", [DEFAULT_DISCOUNT, 1.0, 0.5])
def test_combine_witnesses_matches_monte_carlo(
    specs: list[tuple[float, float]], discount: float
) -> None:
    rng = np.random.default_rng(SEED)
    t = monte_carlo_noisy_or(rng, specs, discount)
    m = combine_witnesses([witness(*s) for s in specs], discount)
    assert m.mean == pytest.approx(t.mean(), abs=0.005)
    assert m.second == pytest.approx((t**2).mean(), abs=0.005)
    assert m.variance == pytest.approx(t.var(), abs=0.003)


def test_no_witness_means_zero() -> None:
    m = combine_witnesses([])
    assert m.mean == 0.0
    assert m.variance == 0.0


def test_one_witness_is_itself() -> None:
    w = witness(0.9, 20)
    m = combine_witnesses([w])
    assert m.mean == pytest.approx(w.mean)
    assert m.second == pytest.approx(w.second)


def test_order_of_witnesses_does_not_matter() -> None:
    ws = [witness(0.7, 10), witness(0.9, 3), witness(0.4, 2), witness(0.8, 50)]
    first = combine_witnesses(ws)
    for perm in [ws[::-1], ws[1:] + ws[:1], [ws[2], ws[0], ws[3], ws[1]]]:
        other = combine_witnesses(perm)
        assert other.mean == pytest.approx(first.mean, abs=1e-12)
        assert other.second == pytest.approx(first.second, abs=1e-12)


def test_adding_a_witness_never_lowers_the_mean() -> None:
    pool = [witness(m, s) for m in (0.05, 0.3, 0.5, 0.7, 0.95) for s in (1.0, 5.0, 40.0)]
    rng = np.random.default_rng(SEED)
    for _ in range(300):
        k = int(rng.integers(0, 5))
        base = [pool[int(i)] for i in rng.integers(0, len(pool), k)]
        extra = pool[int(rng.integers(0, len(pool)))]
        for d in (0.0, 0.5, DEFAULT_DISCOUNT, 1.0):
            before = combine_witnesses(base, d).mean
            after = combine_witnesses([*base, extra], d).mean
            assert after >= before - 1e-12


def test_more_reliable_witness_gives_higher_score() -> None:
    means = [combine_witnesses([witness(m, 10)]).mean for m in (0.2, 0.4, 0.6, 0.8, 0.95)]
    assert means == sorted(means)
    assert len(set(means)) == len(means)


def test_two_independent_witnesses_beat_one() -> None:
    one = combine_witnesses([witness(0.9, 20)])
    two = combine_witnesses([witness(0.9, 20), witness(0.9, 20)])
    assert two.mean > one.mean
    assert two.mean < 1.0


def test_discount() -> None:
    ws = [witness(0.9, 20), witness(0.8, 10), witness(0.7, 5)]
    strongest = max(w.mean for w in ws)
    # d = 0: only the strongest witness counts
    assert combine_witnesses(ws, 0.0).mean == pytest.approx(strongest)
    # d = 1: plain noisy-OR of independent witnesses
    assert combine_witnesses(ws, 1.0).mean == pytest.approx(1 - math.prod(1 - w.mean for w in ws))
    # the default lies in between, and the score grows with d
    by_d = [combine_witnesses(ws, d).mean for d in (0.0, 0.25, 0.5, DEFAULT_DISCOUNT, 1.0)]
    assert by_d == sorted(by_d)
    assert by_d[0] < by_d[3] < by_d[4]
    # the k-th witness (strongest first) weighs d**k
    d = 0.6
    a, b = ws[0].mean, ws[1].mean
    assert combine_witnesses(ws[:2], d).mean == pytest.approx(1 - (1 - a) * (1 - d * b))


@pytest.mark.parametrize("discount", [-0.1, 1.5, math.nan])
def test_discount_out_of_range(discount: float) -> None:
    with pytest.raises(ValueError):
        combine_witnesses([witness(0.9, 20)], discount)


def test_combined_moments_stay_in_range() -> None:
    ws = [witness(0.99, 1000)] * 6
    m = combine_witnesses(ws, 1.0)
    assert 0.0 <= m.mean <= 1.0
    assert 0.0 <= m.second <= m.mean <= 1.0
    assert m.variance >= 0.0


# --- beta_interval -----------------------------------------------------------------------


@pytest.mark.parametrize(("mean", "strength"), [(0.5, 2.0), (0.9, 20.0), (0.2, 5.0), (0.72, 7.0)])
@pytest.mark.parametrize("level", [0.5, 0.9, 0.95])
def test_beta_interval_matches_monte_carlo_quantiles(
    mean: float, strength: float, level: float
) -> None:
    rng = np.random.default_rng(SEED)
    x = rng.beta(*beta_params(mean, strength), N)
    tail = (1 - level) / 2
    want = np.quantile(x, [tail, 1 - tail])
    lo, hi = beta_interval(beta_moments(mean, strength), level)
    assert lo == pytest.approx(want[0], abs=0.01)
    assert hi == pytest.approx(want[1], abs=0.01)
    # and it holds about `level` of the mass
    assert np.mean((x >= lo) & (x <= hi)) == pytest.approx(level, abs=0.01)


@pytest.mark.parametrize(
    "specs",
    [[(0.9, 20.0)], [(0.9, 20.0), (0.5, 2.0)], [(0.7, 10.0), (0.8, 5.0), (0.6, 3.0)]],
)
def test_claim_interval_covers_about_its_level_of_the_noisy_or(
    specs: list[tuple[float, float]],
) -> None:
    # The claim interval is that of a Beta with the noisy-OR's two moments: an
    # approximation, so only a loose coverage check against the simulated score.
    rng = np.random.default_rng(SEED)
    t = monte_carlo_noisy_or(rng, specs, DEFAULT_DISCOUNT)
    lo, hi = beta_interval(combine_witnesses([witness(*s) for s in specs]), 0.9)
    assert np.mean((t >= lo) & (t <= hi)) == pytest.approx(0.9, abs=0.03)


def test_beta_interval_contains_the_mean_and_stays_in_unit_range() -> None:
    for mean in (0.01, 0.1, 0.5, 0.9, 0.99):
        for strength in (0.5, 2.0, 10.0, 1000.0):
            m = beta_moments(mean, strength)
            lo, hi = beta_interval(m)
            assert 0.0 <= lo <= mean <= hi <= 1.0


def test_beta_interval_widens_with_level_and_narrows_with_strength() -> None:
    m = beta_moments(0.7, 10.0)
    widths = [hi - lo for lo, hi in (beta_interval(m, lv) for lv in (0.5, 0.8, 0.9, 0.99))]
    assert widths == sorted(widths)
    by_strength = [
        (lambda iv: iv[1] - iv[0])(beta_interval(beta_moments(0.7, s))) for s in (2, 10, 100, 1e4)
    ]
    assert by_strength == sorted(by_strength, reverse=True)


def test_beta_interval_degenerate() -> None:
    assert beta_interval(Moments(0.0, 0.0)) == (0.0, 0.0)
    assert beta_interval(Moments(1.0, 1.0)) == (1.0, 1.0)
    assert beta_interval(beta_moments(0.4, math.inf)) == (0.4, 0.4)


def test_beta_interval_with_too_large_variance_is_capped() -> None:
    # a variance above mean * (1 - mean) is impossible for a Beta: still a valid interval
    lo, hi = beta_interval(Moments(0.5, 0.5))
    assert 0.0 <= lo <= 0.5 <= hi <= 1.0
    assert hi - lo > 0.8


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 1.5])
def test_beta_interval_level_out_of_range(level: float) -> None:
    with pytest.raises(ValueError):
        beta_interval(beta_moments(0.5, 2.0), level)


# --- mean_interval -----------------------------------------------------------------------


def test_mean_interval() -> None:
    assert mean_interval([]) == (0.0, 0.0)
    assert mean_interval([(0.2, 0.6)]) == (0.2, 0.6)
    lo, hi = mean_interval([(0.2, 0.6), (0.4, 1.0), (0.0, 0.2)])
    assert lo == pytest.approx(0.2)
    assert hi == pytest.approx(0.6)
